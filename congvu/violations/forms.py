"""The violations pages' forms: they parse; the services decide."""

from django import forms
from django.utils.translation import gettext_lazy as _

from congvu.organisations.forms import DATE_WIDGET
from congvu.violations import rules

DATE_FORMATS = ["%d/%m/%Y", "%Y-%m-%d"]
TEXTAREA = {"class": "form-control", "rows": 3}


class ViolationForm(forms.Form):
    unit = forms.ChoiceField(label=_("Đơn vị"), widget=forms.Select(attrs={"class": "form-select"}))
    staff_code = forms.CharField(
        label=_("Mã cán bộ vi phạm"),
        required=False,
        max_length=32,
        widget=forms.TextInput(attrs={"class": "form-control"}),
        help_text=_("Để trống nếu vi phạm của tập thể đơn vị."),
    )
    criterion = forms.ChoiceField(
        label=_("Tiêu chuẩn bị vi phạm"), widget=forms.Select(attrs={"class": "form-select"})
    )
    source = forms.ChoiceField(
        label=_("Nguồn phát hiện"),
        choices=[
            (rules.INTERNAL, _("Đơn vị tự phát hiện")),
            (rules.INSPECTION, _("Kiểm tra công vụ")),
        ],
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    report_code = forms.CharField(
        label=_("Hoặc: mã phản ánh của người dân (đã xác minh có cơ sở)"),
        required=False,
        max_length=16,
        widget=forms.TextInput(attrs={"class": "form-control"}),
    )
    occurred_on = forms.DateField(
        label=_("Ngày vi phạm"), input_formats=DATE_FORMATS, widget=DATE_WIDGET
    )
    found_on = forms.DateField(
        label=_("Ngày phát hiện"), input_formats=DATE_FORMATS, widget=DATE_WIDGET
    )
    description = forms.CharField(
        label=_("Nội dung vi phạm"), max_length=4000, widget=forms.Textarea(attrs=TEXTAREA)
    )
    source_ref = forms.CharField(
        label=_("Căn cứ (biên bản, văn bản)"),
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"class": "form-control"}),
    )

    def __init__(self, *args, units, criteria, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.units = {str(u.pk): u for u in units}
        self.criteria = {str(c.pk): c for c in criteria}
        self.fields["unit"].choices = [(k, f"{u.code} — {u.name}") for k, u in self.units.items()]
        self.fields["criterion"].choices = [
            (k, f"{c.stable_id} — {c.text[:90]}") for k, c in self.criteria.items()
        ]


class RecommendationForm(forms.Form):
    responsible_unit = forms.ChoiceField(
        label=_("Đơn vị chịu trách nhiệm khắc phục"),
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    content = forms.CharField(
        label=_("Nội dung kiến nghị"), max_length=4000, widget=forms.Textarea(attrs=TEXTAREA)
    )
    due_on = forms.DateField(
        label=_("Hạn khắc phục"), input_formats=DATE_FORMATS, widget=DATE_WIDGET
    )

    def __init__(self, *args, units, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.units = {str(u.pk): u for u in units}
        self.fields["responsible_unit"].choices = [
            (k, f"{u.code} — {u.name}") for k, u in self.units.items()
        ]


class RemedyForm(forms.Form):
    move = forms.ChoiceField(
        choices=[
            (rules.REPORT, rules.REPORT),
            (rules.VERIFY, rules.VERIFY),
            (rules.RETURN, rules.RETURN),
        ]
    )
    text = forms.CharField(
        label=_("Nội dung"), required=False, max_length=4000, widget=forms.Textarea(attrs=TEXTAREA)
    )
    evidence = forms.FileField(
        label=_("Tệp minh chứng"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"class": "form-control"}),
        help_text=_("PDF, ảnh, Word hoặc Excel; tối đa 10 MB."),
    )


class WithdrawForm(forms.Form):
    reason = forms.CharField(
        label=_("Lý do rút lại"),
        max_length=4000,
        widget=forms.Textarea(attrs={"class": "form-control", "rows": 2}),
    )
