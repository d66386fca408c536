"""Forms of the movements, registrations and clusters pages: they parse; the services
decide."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from congvu.core.labels import translated
from congvu.emulation import rules
from congvu.emulation.models import Milestone
from congvu.emulation.services_movements import REGISTRABLE
from congvu.organisations.forms import DATE_WIDGET

DATE_FORMATS = ["%d/%m/%Y", "%Y-%m-%d"]
TEXT = {"class": "form-control"}
SELECT = {"class": "form-select"}
YEAR = {"class": "form-control", "inputmode": "numeric"}


def _year_field(label: Any, required: bool = True) -> forms.IntegerField:
    return forms.IntegerField(
        label=label,
        required=required,
        min_value=2000,
        max_value=2100,
        widget=forms.NumberInput(attrs=YEAR),
        error_messages={
            "invalid": _("Năm phải là số."),
            "min_value": _("Năm phải từ 2000 đến 2100."),
            "max_value": _("Năm phải từ 2000 đến 2100."),
        },
    )


def _date_field(label: Any, required: bool = False) -> forms.DateField:
    return forms.DateField(
        label=label,
        required=required,
        input_formats=DATE_FORMATS,
        widget=DATE_WIDGET,
        error_messages={"invalid": _("Ngày phải theo dạng dd/mm/yyyy.")},
    )


class MovementForm(forms.Form):
    name = forms.CharField(label=_("Tên phong trào"), max_length=255, widget=forms.TextInput(TEXT))
    launch_document = forms.CharField(
        label=_("Văn bản phát động"), max_length=255, widget=forms.TextInput(TEXT)
    )
    launched_on = _date_field(_("Ngày phát động"), required=True)
    start_year = _year_field(_("Từ năm"))
    end_year = _year_field(_("Đến năm"))
    owner = forms.ChoiceField(label=_("Đơn vị phát động"), widget=forms.Select(SELECT))
    for_collectives = forms.BooleanField(label=_("Tập thể"), required=False, initial=True)
    for_individuals = forms.BooleanField(label=_("Cá nhân"), required=False, initial=True)
    content = forms.CharField(
        label=_("Nội dung thi đua"),
        required=False,
        max_length=8000,
        widget=forms.Textarea(attrs={**TEXT, "rows": 4}),
    )
    predecessor = forms.ChoiceField(
        label=_("Giai đoạn trước"), required=False, widget=forms.Select(SELECT)
    )
    criteria = forms.MultipleChoiceField(
        label=_("Tiêu chí thi đua"),
        required=False,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}),
    )

    def __init__(self, *args, units, movements, criteria, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.units = {str(u.pk): u for u in units}
        self.movements = {str(m.pk): m for m in movements}
        self.criteria = {str(c.pk): c for c in criteria}
        self.fields["owner"].choices = [(k, u.name) for k, u in self.units.items()]
        self.fields["predecessor"].choices = [("", _("(không có)"))] + [
            (k, str(m)) for k, m in self.movements.items()
        ]
        self.fields["criteria"].choices = [
            (k, f"{c.stable_id} — {c.text[:120]}") for k, c in self.criteria.items()
        ]
        for kind, label in Milestone.KINDS.items():
            self.fields[f"{kind}_year"] = _year_field(
                _("Năm %(kind)s") % {"kind": _(label).lower()}, required=False
            )
            self.fields[f"{kind}_due"] = _date_field(_("Thời hạn"))
            self.fields[f"{kind}_held"] = _date_field(_("Ngày tổ chức"))

    def milestone_rows(self) -> list[tuple[str, Any, list[Any]]]:
        return [
            (kind, _(label), [self[f"{kind}_year"], self[f"{kind}_due"], self[f"{kind}_held"]])
            for kind, label in Milestone.KINDS.items()
        ]


class OpenListForm(forms.Form):
    unit = forms.ChoiceField(label=_("Đơn vị"), widget=forms.Select(SELECT))
    year = _year_field(_("Năm"))
    movement = forms.ChoiceField(label=_("Phong trào"), required=False, widget=forms.Select(SELECT))

    def __init__(self, *args, units, movements, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.units = {str(u.pk): u for u in units}
        self.movements = {str(m.pk): m for m in movements}
        self.fields["unit"].choices = [(k, u.name) for k, u in self.units.items()]
        self.fields["movement"].choices = [("", _("(không gắn phong trào)"))] + [
            (k, str(m)) for k, m in self.movements.items()
        ]


class LineForm(forms.Form):
    staff = forms.ChoiceField(
        label=_("Cá nhân, tập thể"), required=False, widget=forms.Select(SELECT)
    )
    award = forms.ChoiceField(
        label=_("Danh hiệu, hình thức đăng ký"),
        widget=forms.Select(SELECT),
        error_messages={"invalid_choice": _("Danh hiệu không hợp lệ.")},
    )

    def __init__(self, *args, staff, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.staff = {str(s.pk): s for s in staff}
        self.fields["staff"].choices = [("", _("Tập thể đơn vị"))] + [
            (k, s.full_name) for k, s in self.staff.items()
        ]
        names = translated(rules.AWARD_NAMES)
        self.fields["award"].choices = [(code, names[code]) for code in REGISTRABLE]


class ReviewForm(forms.Form):
    decision = forms.ChoiceField(choices=[("accept", "accept"), ("return", "return")])
    comment = forms.CharField(
        label=_("Ý kiến"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={**TEXT, "rows": 2}),
    )


class ClusterForm(forms.Form):
    name = forms.CharField(label=_("Tên cụm, khối"), max_length=255, widget=forms.TextInput(TEXT))
    kind = forms.ChoiceField(
        label=_("Loại"),
        choices=list(translated(rules.CLUSTER_KINDS).items()),
        widget=forms.Select(SELECT),
    )


class ClusterYearForm(forms.Form):
    year = _year_field(_("Năm"))
    members = forms.MultipleChoiceField(
        label=_("Đơn vị thành viên"),
        widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}),
        error_messages={"required": _("Cần chọn các đơn vị thành viên.")},
    )
    leader = forms.ChoiceField(
        label=_("Đơn vị trưởng cụm, khối"), required=False, widget=forms.Select(SELECT)
    )
    criteria = forms.CharField(
        label=_("Tiêu chí chấm điểm"),
        help_text=_("Mỗi dòng một tiêu chí: «mã | nội dung | điểm tối đa»."),
        max_length=8000,
        widget=forms.Textarea(attrs={**TEXT, "rows": 5}),
    )

    def __init__(self, *args, units, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.units = {str(u.pk): u for u in units}
        self.fields["members"].choices = [(k, u.name) for k, u in self.units.items()]
        self.fields["leader"].choices = [("", _("(chưa chọn)"))] + [
            (k, u.name) for k, u in self.units.items()
        ]
