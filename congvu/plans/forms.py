"""The plans pages' forms: assigning a plan, a conditional task's event date, a progress entry.
They parse; the services decide (access, dates, periods, quantities)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from congvu.organisations.forms import DATE_WIDGET
from congvu.plans import rules

DATE_FORMATS = ["%d/%m/%Y", "%Y-%m-%d"]
QUANTITY_FIELDS = 3


class AssignForm(forms.Form):
    units = forms.MultipleChoiceField(
        label=_("Đơn vị được giao"),
        widget=forms.SelectMultiple(attrs={"class": "form-select", "size": 6}),
    )
    day = forms.DateField(label=_("Ngày giao"), input_formats=DATE_FORMATS, widget=DATE_WIDGET)

    def __init__(self, *args, units, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.field_units = {str(u.pk): u for u in units}
        self.fields["units"].choices = [(str(u.pk), f"{u.code} — {u.name}") for u in units]

    def chosen(self) -> list:
        return [self.field_units[pk] for pk in self.cleaned_data["units"]]


class EventDateForm(forms.Form):
    day = forms.DateField(
        label=_("Ngày xảy ra sự kiện"),
        required=False,
        input_formats=DATE_FORMATS,
        widget=DATE_WIDGET,
        help_text=_("Để trống để xóa ngày đã ghi."),
    )


class ProgressForm(forms.Form):
    on = forms.DateField(label=_("Ngày"), input_formats=DATE_FORMATS, widget=DATE_WIDGET)
    period = forms.IntegerField(
        label=_("Kỳ (năm)"),
        required=False,
        min_value=1900,
        max_value=2999,
        widget=forms.NumberInput(attrs={"class": "form-control", "inputmode": "numeric"}),
        help_text=_("Chỉ với nhiệm vụ hằng năm hoặc thường xuyên; để trống: năm của ngày ghi."),
    )
    state = forms.ChoiceField(
        label=_("Tình trạng"),
        choices=[(rules.IN_PROGRESS, _("Đang thực hiện")), (rules.DONE, _("Đã hoàn thành"))],
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    text = forms.CharField(
        label=_("Kết quả thực hiện"),
        max_length=4000,
        widget=forms.Textarea(attrs={"class": "form-control", "rows": 3}),
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for i in range(1, QUANTITY_FIELDS + 1):
            self.fields[f"ten_{i}"] = forms.CharField(
                label=_("Tên số liệu %(i)s") % {"i": i},
                required=False,
                max_length=100,
                widget=forms.TextInput(attrs={"class": "form-control"}),
            )
            self.fields[f"so_{i}"] = forms.IntegerField(
                label=_("Số liệu %(i)s") % {"i": i},
                required=False,
                widget=forms.NumberInput(attrs={"class": "form-control", "inputmode": "numeric"}),
            )

    def clean(self) -> dict:
        data = super().clean()
        names = [(data.get(f"ten_{i}") or "").strip() for i in range(1, QUANTITY_FIELDS + 1)]
        for name in {n for n in names if n and names.count(n) > 1}:
            raise forms.ValidationError(_("Số liệu «%(name)s» bị trùng.") % {"name": name})
        return data

    def quantities(self) -> dict[str, object]:
        """The named counts as typed; the service checks names and numbers (a name without a
        number reaches it as None and is refused with its message)."""
        pairs: dict[str, object] = {}
        for i in range(1, QUANTITY_FIELDS + 1):
            name = (self.cleaned_data.get(f"ten_{i}") or "").strip()
            value = self.cleaned_data.get(f"so_{i}")
            if name or value is not None:
                pairs[name] = value
        return pairs
