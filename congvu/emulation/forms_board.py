"""The good models' forms: they parse; the services decide."""

from django import forms
from django.utils.translation import gettext_lazy as _

TEXTAREA = {"class": "form-control", "rows": 5}


class GoodModelForm(forms.Form):
    unit = forms.ChoiceField(label=_("Đơn vị"), widget=forms.Select(attrs={"class": "form-select"}))
    year = forms.IntegerField(
        label=_("Năm"),
        min_value=1945,
        max_value=9999,
        widget=forms.NumberInput(attrs={"class": "form-control", "inputmode": "numeric"}),
    )
    title = forms.CharField(
        label=_("Tên mô hình, cách làm"),
        max_length=255,
        widget=forms.TextInput(attrs={"class": "form-control"}),
    )
    description = forms.CharField(
        label=_("Mô tả: cách làm, kết quả, khả năng nhân rộng"),
        max_length=4000,
        widget=forms.Textarea(attrs=TEXTAREA),
    )

    def __init__(self, *args, units, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.units = {str(u.pk): u for u in units}
        self.fields["unit"].choices = [(k, f"{u.code} — {u.name}") for k, u in self.units.items()]


class WithdrawForm(forms.Form):
    reason = forms.CharField(
        label=_("Lý do gỡ khỏi bảng vàng"),
        max_length=4000,
        widget=forms.Textarea(attrs={"class": "form-control", "rows": 2}),
    )
