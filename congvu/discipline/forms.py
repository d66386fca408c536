"""The form of a discipline decision: only the forms some regime allows for the person.

The lawful forms depend on the regime in force on the effective date
(docs/legal/discipline.md#d-2): the select lists every form any regime allows for the person's
category and position, says which no longer apply today, and the service checks the one chosen
against the date entered.
"""

from datetime import date

from django import forms
from django.utils.translation import gettext_lazy as _

from congvu.core.labels import translated
from congvu.discipline import rules
from congvu.organisations.forms import DATE_WIDGET
from congvu.organisations.models import Staff

DATE_FORMATS = ["%d/%m/%Y", "%Y-%m-%d"]
SEPARATOR = ":"


def form_options(category: str, is_leader: bool, today: date) -> list[tuple[str, list]]:
    """Grouped choices "system:form", administrative first, in the order of FORMS.

    A form no regime allows today carries the day it stopped applying.
    """
    wanted = (rules.ANY, rules.LEADER if is_leader else rules.NON_LEADER)
    ends: dict[str, list[date | None]] = {}
    for regime in rules.DISCIPLINE_REGIMES:
        for form, who in regime.forms.get(category, ()):
            if who in wanted:
                ends.setdefault(form, []).append(regime.valid_to)
    ended = {form: None if None in days else max(days) for form, days in ends.items()}
    current = set(rules.valid_forms(category, is_leader, today))
    names, systems = translated(rules.FORMS), translated(rules.SYSTEMS)
    administrative = []
    for form, name in names.items():
        if form not in ended:
            continue
        label = name.capitalize()
        if form not in current and ended[form] is not None:
            label = _("%(form)s (chỉ trước %(day)s)") % {
                "form": label,
                "day": f"{ended[form]:%d/%m/%Y}",
            }
        administrative.append((f"administrative{SEPARATOR}{form}", label))
    party = [(f"party{SEPARATOR}{form}", names[form].capitalize()) for form in rules.PARTY_FORMS]
    return [
        (systems["administrative"].capitalize(), administrative),
        (systems["party"].capitalize(), party),
    ]


class DecisionForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Hình thức kỷ luật"), widget=forms.Select(attrs={"class": "form-select"})
    )
    decision_number = forms.CharField(
        label=_("Số quyết định"),
        max_length=64,
        widget=forms.TextInput(attrs={"class": "form-control", "placeholder": "12/QĐ-SYT"}),
    )
    decision_date = forms.DateField(
        label=_("Ngày quyết định"), input_formats=DATE_FORMATS, widget=DATE_WIDGET
    )
    issuer = forms.CharField(
        label=_("Cơ quan, người ra quyết định"),
        max_length=255,
        widget=forms.TextInput(attrs={"class": "form-control"}),
    )
    effective_from = forms.DateField(
        label=_("Có hiệu lực từ ngày"), input_formats=DATE_FORMATS, widget=DATE_WIDGET
    )
    violation = forms.CharField(
        label=_("Hành vi vi phạm"),
        max_length=4000,
        widget=forms.Textarea(attrs={"class": "form-control", "rows": 3}),
    )
    duty_related = forms.BooleanField(
        label=_("Vi phạm liên quan đến việc thực hiện chức trách, nhiệm vụ"),
        required=False,
        initial=True,
        widget=forms.CheckboxInput(attrs={"class": "form-check-input"}),
    )

    def __init__(self, *args, staff: Staff, today: date, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = form_options(staff.category, staff.is_leader, today)
        regime = rules.discipline_regime_for(staff.category, today)
        if regime is not None:
            labels = translated(rules.FORMS)
            names = ", ".join(
                str(labels[f]) for f in rules.valid_forms(staff.category, staff.is_leader, today)
            )
            self.fields["kind"].help_text = _(
                "Hiện nay theo %(regime)s: %(forms)s. Hình thức được kiểm tra theo quy định "
                "có hiệu lực vào ngày quyết định có hiệu lực."
            ) % {"regime": regime.title, "forms": names}

    def spec_values(self) -> dict:
        """The cleaned data in the shape of ``services.DecisionSpec``."""
        data = dict(self.cleaned_data)
        system, form = data.pop("kind").split(SEPARATOR, 1)
        return {**data, "system": system, "form": form}


# --- Discipline cases ----------------------------------------------------------------------


def _date(label) -> forms.DateField:
    return forms.DateField(label=label, input_formats=DATE_FORMATS, widget=DATE_WIDGET)


class CaseForm(forms.Form):
    """Opening a case (``cases.CaseSpec``)."""

    committed_on = _date(_("Ngày vi phạm"))
    detected_on = _date(_("Ngày phát hiện"))
    level = forms.ChoiceField(
        label=_("Mức vi phạm"),
        choices=list(translated(rules.LEVEL_NAMES).items()),
        widget=forms.Select(attrs={"class": "form-select"}),
        help_text=_("Thời hiệu: 5 năm với vi phạm ở mức khiển trách, 10 năm với các mức khác."),
    )
    no_limitation = forms.ChoiceField(
        label=_("Trường hợp không áp dụng thời hiệu"),
        choices=[("", _("Không (áp dụng thời hiệu)"))]
        + list(translated(rules.NO_LIMITATION).items()),
        required=False,
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    complex = forms.BooleanField(
        label=_("Vụ việc phức tạp (thời hạn xử lý 150 ngày)"),
        required=False,
        widget=forms.CheckboxInput(attrs={"class": "form-check-input"}),
    )
    description = forms.CharField(
        label=_("Hành vi vi phạm"),
        max_length=4000,
        widget=forms.Textarea(attrs={"class": "form-control", "rows": 3}),
    )
    source = forms.CharField(
        label=_("Nguồn phát hiện"),
        max_length=500,
        required=False,
        widget=forms.TextInput(
            attrs={"class": "form-control", "placeholder": _("Biên bản kiểm tra, phản ánh, …")}
        ),
    )

    def spec_values(self) -> dict:
        data = dict(self.cleaned_data)
        data["no_limitation"] = data["no_limitation"] or None
        return data


class PauseForm(forms.Form):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "pause_%s")  # several forms on the case page
        super().__init__(*args, **kwargs)

    reason = forms.ChoiceField(
        label=_("Lý do chưa xem xét"),
        choices=list(translated(rules.PAUSE_REASONS).items()),
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    start = _date(_("Từ ngày"))
    end = forms.DateField(
        label=_("Đến hết ngày (để trống nếu còn tiếp diễn)"),
        input_formats=DATE_FORMATS,
        widget=DATE_WIDGET,
        required=False,
    )
    note = forms.CharField(
        label=_("Ghi chú"),
        max_length=500,
        required=False,
        widget=forms.TextInput(attrs={"class": "form-control"}),
    )


class ResumeForm(forms.Form):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "resume_%s")  # several forms on the case page
        super().__init__(*args, **kwargs)

    end = _date(_("Ngày cuối cùng chưa xem xét"))


class CouncilForm(forms.Form):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "council_%s")  # several forms on the case page
        super().__init__(*args, **kwargs)

    meeting_on = _date(_("Ngày họp hội đồng kỷ luật"))
    members = forms.CharField(
        label=_("Thành viên hội đồng"),
        max_length=4000,
        widget=forms.Textarea(attrs={"class": "form-control", "rows": 2}),
    )
    conclusion = forms.CharField(
        label=_("Kết luận của hội đồng"),
        max_length=4000,
        required=False,
        widget=forms.Textarea(attrs={"class": "form-control", "rows": 2}),
    )


class DropForm(forms.Form):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "drop_%s")  # several forms on the case page
        super().__init__(*args, **kwargs)

    reason = forms.CharField(
        label=_("Lý do dừng xem xét"),
        max_length=4000,
        widget=forms.Textarea(attrs={"class": "form-control", "rows": 2}),
    )


class CaseDecisionForm(DecisionForm):
    """A case's decision: administrative forms only (a Party decision goes to the register)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = self.fields["kind"].choices[:1]
