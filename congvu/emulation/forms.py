"""Emulation's forms for nominations, initiatives and earlier achievements: they parse; the
services decide."""

from django import forms
from django.utils.translation import gettext_lazy as _

from congvu.core.labels import translated
from congvu.emulation import rules
from congvu.emulation.models import KIND_NAMES, LEVEL_NAMES, Initiative

SELECT = {"class": "form-select"}
TEXT = {"class": "form-control"}
PENDING_CHOICES = [
    ("investigation", _("Đang bị điều tra, thanh tra, kiểm tra có dấu hiệu vi phạm")),
    ("complaint", _("Có đơn khiếu nại, tố cáo đang được xác minh")),
]


class NominationForm(forms.Form):
    subject = forms.ChoiceField(
        label=_("Đối tượng được đề nghị"), widget=forms.Select(attrs=SELECT)
    )
    award = forms.ChoiceField(label=_("Danh hiệu, hình thức"), widget=forms.Select(attrs=SELECT))
    year = forms.IntegerField(
        label=_("Năm thành tích"),
        min_value=2000,
        max_value=2100,
        widget=forms.NumberInput(attrs={**TEXT, "inputmode": "numeric"}),
    )
    kind = forms.ChoiceField(
        label=_("Loại khen thưởng"),
        choices=list(translated(KIND_NAMES).items()),
        widget=forms.Select(attrs=SELECT),
    )
    summary = forms.CharField(
        label=_("Tóm tắt thành tích"),
        max_length=6000,
        widget=forms.Textarea(attrs={**TEXT, "rows": 5}),
    )
    initiatives = forms.MultipleChoiceField(
        label=_("Sáng kiến, đề tài làm căn cứ"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    pending = forms.MultipleChoiceField(
        label=_("Tình tiết đang xem xét (đơn vị khai báo)"),
        required=False,
        choices=PENDING_CHOICES,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, subjects, initiatives, editing=False, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["subject"].choices = subjects
        self.fields["award"].choices = list(translated(rules.AWARD_NAMES).items())
        self.fields["initiatives"].choices = [
            (str(i.pk), f"{i.title} ({i.get_level_display()}, {i.year})") for i in initiatives
        ]
        if editing:
            for name in ("subject", "award", "year", "kind"):
                self.fields[name].required = False
                self.fields[name].disabled = True


class InitiativeForm(forms.Form):
    title = forms.CharField(
        label=_("Tên sáng kiến, đề tài"), max_length=500, widget=forms.TextInput(attrs=TEXT)
    )
    kind = forms.ChoiceField(
        label=_("Loại"),
        choices=list(translated(Initiative.KINDS).items()),
        widget=forms.Select(attrs=SELECT),
    )
    level = forms.ChoiceField(
        label=_("Cấp công nhận"),
        choices=list(translated(LEVEL_NAMES).items()),
        widget=forms.Select(attrs=SELECT),
    )
    year = forms.IntegerField(
        label=_("Năm công nhận"),
        min_value=2000,
        max_value=2100,
        widget=forms.NumberInput(attrs={**TEXT, "inputmode": "numeric"}),
    )
    recognised_by = forms.CharField(
        label=_("Văn bản công nhận"), max_length=255, widget=forms.TextInput(attrs=TEXT)
    )


class PastAchievementForm(forms.Form):
    award = forms.ChoiceField(label=_("Danh hiệu, hình thức"), widget=forms.Select(attrs=SELECT))
    year = forms.IntegerField(
        label=_("Năm thành tích"),
        min_value=2000,
        max_value=2100,
        widget=forms.NumberInput(attrs={**TEXT, "inputmode": "numeric"}),
    )
    kind = forms.ChoiceField(
        label=_("Loại khen thưởng"),
        choices=list(translated(KIND_NAMES).items()),
        widget=forms.Select(attrs=SELECT),
    )
    source_document = forms.CharField(
        label=_("Số, ngày quyết định"), max_length=255, widget=forms.TextInput(attrs=TEXT)
    )

    def __init__(self, *args, kind: str, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["award"].choices = [
            (code, name)
            for code, name in translated(rules.AWARD_NAMES).items()
            if kind in rules.KINDS_OF[code]
        ]


class MoveForm(forms.Form):
    move = forms.CharField(max_length=16)
    comment = forms.CharField(required=False, max_length=2000)


class EvidenceForm(forms.Form):
    file = forms.FileField(label=_("Tệp hồ sơ (PDF, ảnh, Word)"))
