"""The inspections pages' forms: a plan, an inspection with its checklist, a team. They parse;
the services decide (access, the conflict of interest, the checklist's limits)."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from congvu.core.labels import translated
from congvu.inspections import catalogue, rules
from congvu.organisations.forms import DATE_WIDGET

DATE_FORMATS = ["%d/%m/%Y", "%Y-%m-%d"]
TEXT = {"class": "form-control"}
SELECT = {"class": "form-select"}


def _date(label: str) -> forms.DateField:
    return forms.DateField(label=label, input_formats=DATE_FORMATS, widget=DATE_WIDGET)


class _OwnerMixin:
    """The organising unit: shown as a choice only when there is more than one."""

    def _owners(self, owners) -> None:
        self.owners = {str(u.pk): u for u in owners}
        field = self.fields["owner"]  # type: ignore[attr-defined]
        field.choices = [(k, f"{u.code} — {u.name}") for k, u in self.owners.items()]
        if len(self.owners) == 1:
            field.initial = next(iter(self.owners))


class PlanForm(_OwnerMixin, forms.Form):
    owner = forms.ChoiceField(label=_("Đơn vị ban hành"), widget=forms.Select(attrs=SELECT))
    year = forms.IntegerField(
        label=_("Năm"),
        min_value=2000,
        max_value=2100,
        widget=forms.NumberInput(attrs={**TEXT, "inputmode": "numeric"}),
    )
    title = forms.CharField(
        label=_("Tên kế hoạch kiểm tra"), max_length=300, widget=forms.TextInput(attrs=TEXT)
    )
    decision_code = forms.CharField(
        label=_("Số, ký hiệu quyết định"), max_length=64, widget=forms.TextInput(attrs=TEXT)
    )
    decision_date = _date(_("Ngày quyết định"))

    def __init__(self, *args, owners, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._owners(owners)
        self.fields["year"].initial = timezone.localdate().year


class InspectionForm(_OwnerMixin, forms.Form):
    owner = forms.ChoiceField(label=_("Đơn vị tổ chức kiểm tra"), widget=forms.Select(attrs=SELECT))
    plan = forms.ChoiceField(
        label=_("Thuộc kế hoạch kiểm tra"), required=False, widget=forms.Select(attrs=SELECT)
    )
    kind = forms.ChoiceField(label=_("Hình thức"), widget=forms.RadioSelect)
    unit = forms.ChoiceField(label=_("Đơn vị được kiểm tra"), widget=forms.Select(attrs=SELECT))
    title = forms.CharField(
        label=_("Nội dung cuộc kiểm tra"), max_length=300, widget=forms.TextInput(attrs=TEXT)
    )
    decision_code = forms.CharField(
        label=_("Số, ký hiệu quyết định thành lập đoàn"),
        max_length=64,
        widget=forms.TextInput(attrs=TEXT),
    )
    decision_date = _date(_("Ngày quyết định"))
    scheduled_on = _date(_("Ngày kiểm tra dự kiến"))
    areas = forms.MultipleChoiceField(
        label=_("Nhóm nội dung kiểm tra (QĐ 129/2007/QĐ-TTg)"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    free_items = forms.CharField(
        label=_("Nội dung tự nhập"),
        required=False,
        max_length=20000,
        widget=forms.Textarea(attrs={**TEXT, "rows": 4}),
        help_text=_("Mỗi dòng một nội dung (nhóm G)."),
    )

    def __init__(self, *args, owners, units, plans, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._owners(owners)
        self.units = {str(u.pk): u for u, _depth in units}
        self.fields["unit"].choices = [("", "—")] + [
            (str(u.pk), "— " * depth + u.name) for u, depth in units
        ]
        self.plans = {str(p.pk): p for p in plans}
        self.fields["plan"].choices = [("", _("Không thuộc kế hoạch"))] + [
            (k, f"{p.year} · {p.decision_code} — {p.title}") for k, p in self.plans.items()
        ]
        self.fields["kind"].choices = list(translated(rules.KIND_NAMES).items())
        self.fields["kind"].initial = rules.PLANNED
        self.fields["areas"].choices = [
            (code, f"{code}. {name}") for code, name in translated(catalogue.AREA_NAMES).items()
        ]

    def free_lines(self) -> list[str]:
        return [
            line.strip() for line in self.cleaned_data["free_items"].splitlines() if line.strip()
        ]


class TeamForm(forms.Form):
    lead = forms.ChoiceField(label=_("Trưởng đoàn"), widget=forms.RadioSelect)
    members = forms.MultipleChoiceField(
        label=_("Thành viên"), required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, candidates, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.candidates = {str(u.pk): u for u in candidates}
        choices = [(k, person_label(u)) for k, u in self.candidates.items()]
        self.fields["lead"].choices = choices
        self.fields["members"].choices = choices
        self.fields["lead"].error_messages["invalid_choice"] = _(
            "Người được chọn không thuộc danh sách có thể cử."
        )
        self.fields["members"].error_messages["invalid_choice"] = _(
            "Người được chọn không thuộc danh sách có thể cử."
        )

    def rows(self) -> list[tuple[str, str, bool, bool]]:
        """(user id, label, chosen as lead, chosen as member) for the page's table."""
        if self.is_bound:
            lead, members = self.data.get("lead", ""), set(self.data.getlist("members"))
        else:
            lead, members = self.initial.get("lead", ""), set(self.initial.get("members", []))
        return [(k, person_label(u), k == lead, k in members) for k, u in self.candidates.items()]


def person_label(user) -> str:
    staff = user.staff
    if staff is None:
        return user.get_username()
    unit = staff.unit.name if staff.unit_id else ""
    return f"{staff} — {unit}" if unit else str(staff)
