"""The form a unit head fills to issue (a new version of) the unit's own rules."""

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from congvu.organisations.forms import DATE_WIDGET
from congvu.standards.rules import MAX_RULE_LINES


class SupplementForm(forms.Form):
    title = forms.CharField(
        label=_("Tên nội quy"),
        max_length=255,
        widget=forms.TextInput(attrs={"class": "form-control"}),
    )
    version = forms.RegexField(
        label=_("Phiên bản"),
        regex=r"^[0-9A-Za-z][0-9A-Za-z.\-]{0,31}$",
        max_length=32,
        error_messages={
            "invalid": _("Phiên bản gồm chữ, số, dấu chấm, gạch ngang (ví dụ 2026.1).")
        },
        help_text=_("Mỗi lần sửa nội quy là một phiên bản mới; phiên bản cũ được giữ nguyên."),
        widget=forms.TextInput(attrs={"class": "form-control"}),
    )
    effective_from = forms.DateField(label=_("Hiệu lực từ ngày"), widget=DATE_WIDGET)
    rules_text = forms.CharField(
        label=_("Các quy định"),
        max_length=200_000,
        widget=forms.Textarea(attrs={"class": "form-control", "rows": 16}),
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # Here, not on the field: the line limit goes into the text in the request's language.
        self.fields["rules_text"].help_text = gettext(
            "Mỗi dòng một quy định. Dòng bắt đầu bằng # là tên nhóm. Thêm quy định mới ở cuối "
            "nhóm để giữ nguyên mã của các quy định cũ. Tối đa %(n)s dòng."
        ) % {"n": MAX_RULE_LINES}


class UnitRulesForm(forms.Form):
    """A new version of a unit's internal rules: typed, or a Word/PDF file, or both."""

    title = forms.CharField(
        label=_("Tên văn bản"),
        max_length=255,
        widget=forms.TextInput(attrs={"class": "form-control"}),
    )
    adopted_on = forms.DateField(label=_("Ngày ban hành"), widget=DATE_WIDGET)
    text = forms.CharField(
        label=_("Nội dung"),
        required=False,
        max_length=200_000,
        help_text=_(
            "Mỗi điều bắt đầu bằng «Điều 1.», «Điều 2.»…, hoặc mỗi khoản một dòng đánh số "
            "«1.», «2.». Để trống nếu tải lên tệp Word, PDF có chữ."
        ),
        widget=forms.Textarea(attrs={"class": "form-control", "rows": 10}),
    )
    file = forms.FileField(
        label=_("Tệp văn bản đã ký (Word hoặc PDF)"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"class": "form-control", "accept": ".pdf,.docx"}),
    )
