"""The council's, decisions' and revocation's forms: they parse; the services decide."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from congvu.core.labels import translated
from congvu.emulation import rules
from congvu.organisations.forms import DATE_WIDGET

DATE_FORMATS = ["%d/%m/%Y", "%Y-%m-%d"]
TEXT = {"class": "form-control"}
SELECT = {"class": "form-select"}


class SessionForm(forms.Form):
    title = forms.CharField(
        label=_("Tên phiên họp"), max_length=255, widget=forms.TextInput(attrs=TEXT)
    )
    unit = forms.ChoiceField(label=_("Hội đồng cấp"), widget=forms.Select(attrs=SELECT))
    held_on = forms.DateField(label=_("Ngày họp"), input_formats=DATE_FORMATS, widget=DATE_WIDGET)
    members = forms.MultipleChoiceField(
        label=_("Thành viên Hội đồng"),
        widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}),
        help_text=_("Mọi thành viên Hội đồng: tỷ lệ tán thành tính trên tổng số thành viên."),
    )

    def __init__(self, *args: Any, units: list, candidates: list, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.units = {str(u.pk): u for u in units}
        self.candidates = {str(c.pk): c for c in candidates}
        self.fields["unit"].choices = [(k, u.name) for k, u in self.units.items()]
        self.fields["members"].choices = [(k, _member_label(c)) for k, c in self.candidates.items()]


def _member_label(user: Any) -> str:
    staff = getattr(user, "staff", None)
    name = staff.full_name if staff is not None else user.get_username()
    return f"{name} ({user.get_username()})" + (" ★" if getattr(user, "in_council", 0) else "")


class AddItemsForm(forms.Form):
    nominations = forms.MultipleChoiceField(
        label=_("Hồ sơ đã thẩm định"),
        widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}),
    )

    def __init__(self, *args: Any, nominations: list, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.rows = {str(n.pk): n for n in nominations}
        self.fields["nominations"].choices = [(k, str(n)) for k, n in self.rows.items()]


class DecisionForm(forms.Form):
    unit = forms.ChoiceField(label=_("Đơn vị trình"), widget=forms.Select(attrs=SELECT))
    award = forms.ChoiceField(
        label=_("Danh hiệu, hình thức"),
        choices=translated(rules.AWARD_NAMES),
        widget=forms.Select(attrs=SELECT),
    )
    year = forms.IntegerField(
        label=_("Năm thành tích"), min_value=2000, max_value=2100, widget=forms.NumberInput(TEXT)
    )
    issuer = forms.CharField(
        label=_("Cơ quan ban hành"),
        max_length=255,
        initial="Ủy ban nhân dân tỉnh Khánh Hòa",
        widget=forms.TextInput(attrs=TEXT),
    )
    signer_title = forms.CharField(
        label=_("Chức vụ người ký"),
        max_length=255,
        initial="Chủ tịch",
        widget=forms.TextInput(attrs=TEXT),
    )
    signer_name = forms.CharField(
        label=_("Họ tên người ký"), max_length=255, widget=forms.TextInput(attrs=TEXT)
    )
    number = forms.CharField(
        label=_("Số quyết định"),
        max_length=64,
        required=False,
        widget=forms.TextInput(attrs=TEXT),
        help_text=_("Có thể ghi khi ban hành."),
    )
    signed_on = forms.DateField(
        label=_("Ngày ký"), required=False, input_formats=DATE_FORMATS, widget=DATE_WIDGET
    )

    def __init__(self, *args: Any, units: list, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.units = {str(u.pk): u for u in units}
        self.fields["unit"].choices = [(k, u.name) for k, u in self.units.items()]


class IssueForm(forms.Form):
    number = forms.CharField(
        label=_("Số quyết định"), max_length=64, widget=forms.TextInput(attrs=TEXT)
    )
    signed_on = forms.DateField(label=_("Ngày ký"), input_formats=DATE_FORMATS, widget=DATE_WIDGET)


class RevokeForm(forms.Form):
    ground = forms.ChoiceField(
        label=_("Căn cứ hủy bỏ"),
        choices=translated(rules.REVOCATION_GROUNDS),
        widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
        help_text=rules.REVOCATION_SOURCE,
    )
    reason = forms.CharField(
        label=_("Lý do hủy bỏ"),
        max_length=4000,
        widget=forms.Textarea(attrs={"class": "form-control", "rows": 3}),
    )
    document = forms.CharField(
        label=_("Quyết định hủy bỏ (số, ngày)"),
        max_length=255,
        widget=forms.TextInput(attrs=TEXT),
    )
