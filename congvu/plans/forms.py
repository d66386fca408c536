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
    evidence = forms.FileField(
        label=_("Tệp minh chứng"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"class": "form-control"}),
        help_text=_("Không bắt buộc; thêm tệp khác sau khi ghi."),
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


class EvidenceForm(forms.Form):
    """One evidence file (the service checks its type and size)."""

    file = forms.FileField(
        label=_("Tệp minh chứng"),
        widget=forms.ClearableFileInput(attrs={"class": "form-control"}),
        help_text=_("PDF, ảnh, Word hoặc Excel; tối đa 10 MB."),
    )


class ReportMoveForm(forms.Form):
    move = forms.ChoiceField(
        choices=[
            (rules.SUBMIT, rules.SUBMIT),
            (rules.RETURN, rules.RETURN),
            (rules.ACCEPT, rules.ACCEPT),
        ]
    )
    comment = forms.CharField(
        label=_("Ý kiến"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"class": "form-control", "rows": 3}),
    )


class TemplateForm(forms.Form):
    name = forms.CharField(
        label=_("Tên mẫu"), max_length=200, widget=forms.TextInput(attrs={"class": "form-control"})
    )
    text = forms.CharField(
        label=_("Các mục, mỗi mục một dòng"),
        max_length=4000,
        widget=forms.Textarea(attrs={"class": "form-control", "rows": 8}),
        help_text=_(
            "Mỗi dòng: loại mục, dấu hai chấm, tên mục, và nếu cần: dấu | rồi gợi ý cho đơn vị. "
            "Loại mục: «Đoạn văn» (đơn vị tự viết), «Bảng nhiệm vụ» (các nhiệm vụ, tình trạng, "
            "kết quả), «Bảng số liệu» (số liệu từ các lĩnh vực). "
            "Ví dụ: Đoạn văn: Khó khăn, vướng mắc | Nêu rõ nguyên nhân"
        ),
    )


class PlanTemplateForm(forms.Form):
    template = forms.ChoiceField(
        label=_("Mẫu báo cáo định kỳ"),
        required=False,
        widget=forms.Select(attrs={"class": "form-select"}),
    )

    def __init__(self, *args, templates, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.by_pk = {str(t.pk): t for t in templates}
        self.fields["template"].choices = [
            ("", _("Mẫu chung")),
            *[(k, t.name) for k, t in self.by_pk.items()],
        ]

    def chosen(self):
        return self.by_pk.get(self.cleaned_data["template"] or "")


class ExplanationAskForm(forms.Form):
    question = forms.CharField(
        label=_("Nội dung yêu cầu giải trình"),
        max_length=4000,
        widget=forms.Textarea(attrs={"class": "form-control", "rows": 2}),
    )


class ExplanationAnswerForm(forms.Form):
    answer = forms.CharField(
        label=_("Nội dung giải trình"),
        max_length=4000,
        widget=forms.Textarea(attrs={"class": "form-control", "rows": 3}),
    )


class UnitTaskForm(forms.Form):
    """How the unit will carry out a task: its own content, who is in charge, its own due day."""

    content = forms.CharField(
        label=_("Nội dung cụ thể của đơn vị"),
        max_length=4000,
        widget=forms.Textarea(attrs={"class": "form-control", "rows": 2}),
    )
    owner = forms.ChoiceField(
        label=_("Người phụ trách"),
        required=False,
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    due_on = forms.DateField(
        label=_("Hạn của đơn vị"), required=False, input_formats=DATE_FORMATS, widget=DATE_WIDGET
    )

    def __init__(self, *args, staff, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.by_pk = {str(s.pk): s for s in staff}
        self.fields["owner"].choices = [
            ("", "—"),
            *[(k, s.full_name) for k, s in self.by_pk.items()],
        ]

    def chosen_owner(self):
        return self.by_pk.get(self.cleaned_data["owner"] or "")
