"""Writers of the discipline register: validated against the regime in force, audited."""

from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from congvu.core.audit import audit_record
from congvu.core.text import nfc
from congvu.discipline.models import DisciplineRecord
from congvu.evaluations import discipline as rules
from congvu.organisations.models import Staff


@dataclass(frozen=True)
class DecisionSpec:
    form: str
    decision_number: str
    decision_date: date
    issuer: str
    effective_from: date
    violation: str
    duty_related: bool = True
    system: str = "administrative"


def discipline_record(*, actor, staff: Staff, spec: DecisionSpec) -> DisciplineRecord:
    """Record a decision; the form must be lawful for the person on the effective date."""
    if staff.unit_id is None:
        raise ValidationError("Cán bộ chưa thuộc đơn vị nào.")
    if spec.decision_date > spec.effective_from:
        raise ValidationError("Ngày có hiệu lực không được trước ngày quyết định.")
    problem = rules.form_problem(
        spec.form, staff.category, staff.is_leader, spec.effective_from, spec.system
    )
    if problem:
        raise ValidationError(problem[0].upper() + problem[1:] + ".")
    end = rules.duration_end(
        rules.Discipline(spec.form, spec.effective_from, spec.duty_related, spec.system),
        staff.category,
    )
    with transaction.atomic():
        record = DisciplineRecord(
            staff=staff, system=spec.system, form=spec.form, decision_number=nfc(spec.decision_number),
            decision_date=spec.decision_date, issuer=nfc(spec.issuer), effective_from=spec.effective_from,
            effective_to=end, violation=nfc(spec.violation), duty_related=spec.duty_related,
            unit_id=staff.unit_id, category=staff.category, is_leader=staff.is_leader,
        )  # fmt: skip
        record.full_clean()
        record.save()
        audit_record(
            actor=actor, action="discipline.record", obj=record, staff=staff.code, form=spec.form,
            effective_from=str(spec.effective_from),
        )  # fmt: skip
    return record


def discipline_revoke(*, actor, record: DisciplineRecord, reason: str) -> DisciplineRecord:
    """A decision annulled (e.g. on complaint) stays in the register, marked revoked."""
    if not nfc(reason):
        raise ValidationError("Cần ghi lý do hủy bỏ quyết định.")
    if record.revoked_at is not None:
        raise ValidationError("Quyết định này đã bị hủy bỏ trước đó.")
    with transaction.atomic():
        record.revoked_at = timezone.now()
        record.revoke_reason = nfc(reason)
        record.save(update_fields=["revoked_at", "revoke_reason"])
        audit_record(
            actor=actor, action="discipline.revoke", obj=record, reason=record.revoke_reason
        )
    return record
