"""Writers of the discipline register: validated against the regime in force, audited.

The actor needs ``discipline.manage`` over the person (a ``SystemActor`` is a system process:
a command, an import or a fixture, which has no scope to check).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from congvu.core.actors import SystemActor, is_system
from congvu.core.audit import audit_record
from congvu.core.logging import log_event
from congvu.core.permissions import Action
from congvu.core.text import nfc
from congvu.discipline import rules
from congvu.discipline.access import DISCIPLINE, discipline_check_record
from congvu.discipline.models import DisciplineRecord
from congvu.organisations.models import Staff
from congvu.organisations.rules import CIVIL_SERVICE_CATEGORIES as CATEGORIES

if TYPE_CHECKING:
    from congvu.accounts.models import User


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


def _check(staff: Staff, spec: DecisionSpec) -> None:
    """Bad input, in Vietnamese: the form lawful for the person on the effective date
    (docs/legal/discipline.md#d-2), dates in order and not in the future, the text fields
    filled, no duplicate."""
    if staff.unit_id is None:
        raise ValidationError(_("Cán bộ chưa thuộc đơn vị nào."))
    if staff.category not in CATEGORIES:
        raise ValidationError(
            _(
                "Sổ kỷ luật này dành cho cán bộ, công chức, viên chức; người lao động bị xử lý kỷ "
                "luật theo Bộ luật Lao động."
            )
        )
    if spec.decision_date > timezone.localdate():
        raise ValidationError(_("Ngày quyết định không được sau ngày hôm nay."))
    if spec.decision_date > spec.effective_from:
        raise ValidationError(_("Ngày có hiệu lực không được trước ngày quyết định."))
    if spec.system not in rules.SYSTEMS:
        raise ValidationError(_("Loại kỷ luật không có trong danh mục."))
    for name, limit in (("decision_number", 64), ("issuer", 255)):
        if not nfc(getattr(spec, name)) or len(nfc(getattr(spec, name))) > limit:
            label = "Số quyết định" if name == "decision_number" else "Cơ quan quyết định"
            raise ValidationError(
                _("%(label)s không được để trống, tối đa %(limit)s ký tự.")
                % {"label": label, "limit": limit}
            )
    if not nfc(spec.violation):
        raise ValidationError(_("Cần ghi hành vi vi phạm."))
    if DisciplineRecord.objects.filter(
        staff=staff, decision_number=nfc(spec.decision_number), decision_date=spec.decision_date
    ).exists():
        raise ValidationError(
            _(
                "Quyết định số %(decision_number)s ngày %(decision_date)s đã được ghi nhận cho cán bộ này."
            )
            % {
                "decision_number": nfc(spec.decision_number),
                "decision_date": f"{spec.decision_date:%d/%m/%Y}",
            }
        )
    problem = rules.form_problem(
        spec.form, staff.category, staff.is_leader, spec.effective_from, spec.system
    )
    if problem:
        raise ValidationError(problem[0].upper() + problem[1:] + ".")


def discipline_record(
    *, actor: User | SystemActor, staff: Staff, spec: DecisionSpec
) -> DisciplineRecord:
    """Record a decision; the form must be lawful for the person on the effective date."""
    if not is_system(actor) and not discipline_check_record(actor, staff):
        log_event("access.denied", user=actor.pk, action="discipline.record")
        raise PermissionDenied
    _check(staff, spec)
    end = rules.duration_end(
        rules.Discipline(spec.form, spec.effective_from, spec.duty_related, spec.system),
        staff.category,
    )
    with transaction.atomic():
        # staff.unit_id is set: _check refused a person without a unit.
        record = DisciplineRecord(  # type: ignore[misc]
            staff=staff,
            system=spec.system,
            form=spec.form,
            decision_number=nfc(spec.decision_number),
            decision_date=spec.decision_date,
            issuer=nfc(spec.issuer),
            effective_from=spec.effective_from,
            effective_to=end,
            violation=nfc(spec.violation),
            duty_related=spec.duty_related,
            unit_id=staff.unit_id,
            category=staff.category,
            is_leader=staff.is_leader,
        )
        record.full_clean()
        record.save()
        audit_record(
            actor=actor,
            action="discipline.record",
            obj=record,
            staff=staff.code,
            form=spec.form,
            effective_from=str(spec.effective_from),
        )
    return record


def discipline_revoke(
    *, actor: User | SystemActor, record: DisciplineRecord, reason: str
) -> DisciplineRecord:
    """A decision annulled (e.g. on complaint) stays in the register, marked revoked."""
    if not is_system(actor):
        DISCIPLINE.require(actor, Action.DISCIPLINE_MANAGE, record)  # never about oneself
    if not nfc(reason):
        raise ValidationError(_("Cần ghi lý do hủy bỏ quyết định."))
    with transaction.atomic():
        record = DisciplineRecord.objects.select_for_update(of=("self",)).get(pk=record.pk)
        if record.revoked_at is not None:
            raise ValidationError(_("Quyết định này đã bị hủy bỏ trước đó."))
        record.revoked_at = timezone.now()
        record.revoke_reason = nfc(reason)
        record.save(update_fields=["revoked_at", "revoke_reason"])
        audit_record(
            actor=actor, action="discipline.revoke", obj=record, reason=record.revoke_reason
        )
    return record
