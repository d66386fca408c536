"""Forms for organisation changes. Choices are limited to the user's scope."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from congvu.organisations.models import LineageKind, Unit, UnitType

DATE_WIDGET = forms.DateInput(
    format="%d/%m/%Y",
    attrs={"placeholder": "dd/mm/yyyy", "inputmode": "numeric", "class": "form-control"},
)


class _UnitChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Unit) -> str:
        return f"{obj.name} ({obj.code})"


class UnitCreateForm(forms.Form):
    code = forms.CharField(
        label=_("Mã đơn vị"), max_length=32, widget=forms.TextInput(attrs={"class": "form-control"})
    )
    name = forms.CharField(
        label=_("Tên đơn vị"),
        max_length=255,
        widget=forms.TextInput(attrs={"class": "form-control"}),
    )
    unit_type = forms.ChoiceField(
        label=_("Loại đơn vị"),
        choices=UnitType.choices,
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    parent = _UnitChoice(
        label=_("Đơn vị cấp trên"),
        queryset=Unit.objects.none(),
        required=False,
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    valid_from = forms.DateField(label=_("Thành lập từ ngày"), widget=DATE_WIDGET)
    basis = forms.CharField(
        label=_("Căn cứ (số, ngày quyết định)"),
        max_length=255,
        required=False,
        widget=forms.TextInput(attrs={"class": "form-control"}),
    )

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["parent"].queryset = units


class UnitChangeForm(forms.Form):
    """One lineage change of a unit from an effective date."""

    KINDS = [
        (LineageKind.RENAME, _("Đổi tên, đổi mã")),
        (LineageKind.MOVE, _("Chuyển đơn vị cấp trên")),
        (LineageKind.MERGE, _("Sáp nhập vào đơn vị khác")),
        (LineageKind.DISSOLVE, _("Giải thể, kết thúc hoạt động")),
    ]
    kind = forms.ChoiceField(
        label=_("Loại thay đổi"), choices=KINDS, widget=forms.Select(attrs={"class": "form-select"})
    )
    day = forms.DateField(label=_("Có hiệu lực từ ngày"), widget=DATE_WIDGET)
    name = forms.CharField(
        label=_("Tên mới"),
        max_length=255,
        required=False,
        widget=forms.TextInput(attrs={"class": "form-control"}),
    )
    code = forms.CharField(
        label=_("Mã mới"),
        max_length=32,
        required=False,
        widget=forms.TextInput(attrs={"class": "form-control"}),
    )
    target = _UnitChoice(
        label=_("Đơn vị cấp trên mới / đơn vị tiếp nhận"),
        queryset=Unit.objects.none(),
        required=False,
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    basis = forms.CharField(
        label=_("Căn cứ (số, ngày quyết định)"),
        max_length=255,
        required=False,
        widget=forms.TextInput(attrs={"class": "form-control"}),
    )

    def __init__(self, *args, unit: Unit, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.unit = unit
        self.fields["target"].queryset = units.exclude(pk=unit.pk)
        self.fields["day"].initial = timezone.localdate()

    def clean(self):
        data = super().clean()
        kind = data.get("kind")
        if kind == LineageKind.RENAME and not (data.get("name") or data.get("code")):
            self.add_error("name", gettext("Nhập tên mới hoặc mã mới."))
        if kind in (LineageKind.MOVE, LineageKind.MERGE) and not data.get("target"):
            self.add_error("target", gettext("Chọn đơn vị."))
        return data
