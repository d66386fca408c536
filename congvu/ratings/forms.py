"""Forms of the staff pages over desks. The services check everything again."""

from django import forms
from django.utils.translation import gettext_lazy as _

from congvu.organisations.models import Staff
from congvu.ratings.models import DeskKind

INPUT = {"class": "form-control"}
SELECT = {"class": "form-select"}


class DeskCreateForm(forms.Form):
    unit = forms.TypedChoiceField(label=_("Đơn vị"), coerce=int, widget=forms.Select(SELECT))
    kind = forms.ChoiceField(
        label=_("Loại điểm đánh giá"), choices=DeskKind.choices, widget=forms.Select(SELECT)
    )
    name = forms.CharField(
        label=_("Tên điểm đánh giá"),
        max_length=120,
        help_text=_("Ví dụ «Quầy số 3 – Lĩnh vực đất đai». Tên in trên áp phích."),
        widget=forms.TextInput(INPUT),
    )
    staff_code = forms.CharField(
        label=_("Mã cán bộ (khi là điểm đánh giá một cán bộ)"),
        max_length=32,
        required=False,
        widget=forms.TextInput(INPUT),
    )
    location = forms.CharField(
        label=_("Vị trí"), max_length=200, required=False, widget=forms.TextInput(INPUT)
    )

    def __init__(self, *args, units: list[tuple[int, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].choices = units

    def clean_staff_code(self) -> Staff | None:
        code = self.cleaned_data["staff_code"].strip().upper()
        if not code:
            return None
        staff = Staff.objects.filter(code=code).first()
        if staff is None:
            raise forms.ValidationError(
                _("Không tìm thấy cán bộ này trong phạm vi quản lý của bạn.")
            )
        return staff


class DeskEditForm(forms.Form):
    name = forms.CharField(
        label=_("Tên điểm đánh giá"), max_length=120, widget=forms.TextInput(INPUT)
    )
    location = forms.CharField(
        label=_("Vị trí"), max_length=200, required=False, widget=forms.TextInput(INPUT)
    )
    is_active = forms.BooleanField(
        label=_("Đang nhận đánh giá"),
        required=False,
        widget=forms.CheckboxInput({"class": "form-check-input"}),
    )
