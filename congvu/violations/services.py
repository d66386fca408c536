"""Writers of violations, recommendations and remedies. One transaction each, an audit record
each; bad input is a ``ValidationError`` in Vietnamese that changes nothing."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from congvu.core import uploads
from congvu.core.actors import SystemActor, is_system
from congvu.core.audit import audit_record
from congvu.core.logging import log_event
from congvu.core.text import clean_text
from congvu.core.transitions import transition_decide, transition_record
from congvu.organisations.models import Staff, Unit
from congvu.standards.models import Criterion
from congvu.violations import access, rules
from congvu.violations.models import Recommendation, RemedyEvidence, RemedyStep, Violation

if TYPE_CHECKING:
    from congvu.accounts.models import User
    from congvu.feedback.models import Report

TEXT_MAX = 4000
EVIDENCE_FOLDER = "violations"
EVIDENCE_MAX_BYTES = 10 * 1024 * 1024
EVIDENCE_PER_STEP = 10


def _denied(actor: Any, action: str) -> PermissionDenied:
    log_event("access.denied", user=getattr(actor, "pk", None), action=action)
    return PermissionDenied()


def _own_unit_id(actor: Any) -> int | None:
    staff = getattr(actor, "staff", None)
    return getattr(staff, "unit_id", None)


@dataclass(frozen=True)
class ViolationSpec:
    unit: Unit
    criterion: Criterion
    source: str
    occurred_on: date
    found_on: date
    description: str
    staff: Staff | None = None
    source_ref: str = ""


def _checked(spec: ViolationSpec, today: date) -> str:
    if spec.source not in rules.SOURCES:
        raise ValidationError(_("Nguồn phát hiện không hợp lệ."))
    if spec.occurred_on > spec.found_on:
        raise ValidationError(_("Ngày vi phạm không được sau ngày phát hiện."))
    if spec.found_on > today:
        raise ValidationError(_("Ngày phát hiện không được sau hôm nay."))
    if spec.staff is not None and spec.staff.unit_id != spec.unit.pk:
        raise ValidationError(_("Cán bộ vi phạm phải thuộc đơn vị được ghi."))
    if spec.unit.valid_from > spec.found_on or (
        spec.unit.valid_to is not None and spec.unit.valid_to <= spec.found_on
    ):
        raise ValidationError(_("Đơn vị không hoạt động vào ngày phát hiện."))
    description = clean_text(spec.description, TEXT_MAX)
    if not description:
        raise ValidationError(_("Cần ghi nội dung vi phạm."))
    return description


def violation_record(
    *,
    actor: User | SystemActor,
    spec: ViolationSpec,
    feedback_report: Report | None = None,
) -> Violation:
    """Record a violation of ``spec.criterion`` by the unit (or a person of it). Refused to
    whoever may not manage discipline over the unit, about oneself, and — for an inspection's
    finding — about the recorder's own unit."""
    if not is_system(actor):
        if not access.violation_check_record(actor, spec.unit):
            raise _denied(actor, "violations.record")
        if spec.staff is not None and spec.staff.pk == getattr(actor, "staff_id", None):
            raise _denied(actor, "violations.record_self")
        if spec.source == rules.INSPECTION and _own_unit_id(actor) == spec.unit.pk:
            raise ValidationError(
                _("Không ghi kết quả kiểm tra về chính đơn vị của mình (xung đột lợi ích).")
            )
    return _create(actor=actor, spec=spec, feedback_report=feedback_report)


def _create(
    *,
    actor: User | SystemActor,
    spec: ViolationSpec,
    feedback_report: Report | None = None,
    finding: Any = None,
) -> Violation:
    description = _checked(spec, timezone.localdate())
    with transaction.atomic():
        violation = Violation.objects.create(
            unit=spec.unit,
            staff=spec.staff,
            criterion=spec.criterion,
            standard_code=spec.criterion.stable_id,
            standard_text=spec.criterion.text,
            source=spec.source,
            feedback_report=feedback_report,
            finding=finding,
            source_ref=clean_text(spec.source_ref, 200),
            occurred_on=spec.occurred_on,
            found_on=spec.found_on,
            description=description,
            recorded_by=None if is_system(actor) else actor,
        )
        audit_record(
            actor=actor,
            action="violations.record",
            obj=violation,
            unit=spec.unit.code,
            standard=violation.standard_code,
            source=spec.source,
        )
    return violation


def _finding_spec(answer: Any, criterion: Criterion, day: date) -> ViolationSpec:
    inspection = answer.item.inspection
    staff = (
        answer.staff
        if answer.staff is not None and answer.staff.unit_id == inspection.unit_id
        else None
    )
    text = answer.item.text + (f" — {answer.note}" if answer.note else "")
    seen = min(answer.answered_at.date(), day)  # the day the team saw it
    return ViolationSpec(
        unit=inspection.unit,
        criterion=criterion,
        source=rules.INSPECTION,
        occurred_on=seen,
        found_on=seen,
        description=text,
        staff=staff,
        source_ref=_("Biên bản kiểm tra theo %(code)s") % {"code": inspection.decision_code},
    )


def _vhcs_criteria(day: date) -> list[Criterion]:
    from congvu.standards.selectors import version_in_force

    version = version_in_force(code="vhcs", day=day)
    return list(version.criteria.all()) if version is not None else []


def violations_from_inspection(*, actor: User, inspection: Any) -> tuple[int, int]:
    """When an inspection closes, each finding whose checklist item names a standard of QĐ
    129/2007's catalogue becomes a violation of it (once: a finding gives one violation);
    the others wait for the team to name the standard (``violation_from_finding``). The
    caller (``inspections.services.inspection_close``) has checked that the actor leads it.
    Returns (recorded, left to name)."""
    from congvu.inspections.selectors import findings

    day = timezone.localdate()
    criteria = {
        c.stable_id: c
        for c in _vhcs_criteria(inspection.closed_at.date() if inspection.closed_at else day)
    }
    pairs = [(c.stable_id, c.source) for c in criteria.values()]
    recorded = left = 0
    for answer in findings(inspection=inspection).filter(violation__isnull=True):
        code = rules.criterion_for_item(answer.item.code, pairs)
        if code is None:
            left += 1
            continue
        _create(actor=actor, spec=_finding_spec(answer, criteria[code], day), finding=answer)
        recorded += 1
    return recorded, left


def violation_from_finding(*, actor: User, answer: Any, criterion: Criterion) -> Violation:
    """A finding the checklist could not tie to a standard, tied by the team's lead (or Sở Nội
    vụ) to the standard broken; once per finding, after the inspection closed."""
    from congvu.inspections import access as inspection_access
    from congvu.inspections import rules as inspection_rules

    inspection = answer.item.inspection
    lead = inspection_rules.LEAD in inspection_access.team_roles(actor, inspection)
    if not lead and not access.violation_check_record(actor, inspection.unit):
        raise _denied(actor, "violations.from_finding")
    if inspection.status != inspection_rules.CLOSED:
        raise ValidationError(_("Chỉ ghi vi phạm từ kết quả của cuộc kiểm tra đã kết thúc."))
    if answer.result != inspection_rules.NOT_COMPLIANT or not answer.current:
        raise ValidationError(_("Chỉ kết quả không đạt mới được ghi thành vi phạm."))
    if Violation.objects.filter(finding=answer).exists():
        raise ValidationError(_("Kết quả này đã được ghi thành vi phạm."))
    if _own_unit_id(actor) == inspection.unit_id:
        raise ValidationError(
            _("Không ghi kết quả kiểm tra về chính đơn vị của mình (xung đột lợi ích).")
        )
    return _create(
        actor=actor, spec=_finding_spec(answer, criterion, timezone.localdate()), finding=answer
    )


def violation_from_report(
    *, actor: User, report: Report, criterion: Criterion, staff: Staff | None = None
) -> Violation:
    """A citizen's misconduct report found substantiated becomes a violation of its unit (once:
    a report gives at most one violation)."""
    if report.substantiated is not True:
        raise ValidationError(_("Chỉ phản ánh đã xác minh là có cơ sở mới được ghi thành vi phạm."))
    if Violation.objects.filter(feedback_report=report).exists():
        raise ValidationError(_("Phản ánh này đã được ghi thành vi phạm."))
    spec = ViolationSpec(
        unit=report.unit,
        criterion=criterion,
        source=rules.CITIZEN_REPORT,
        occurred_on=report.happened_on,
        found_on=report.received_on,
        description=report.description,
        staff=staff or report.official,
        source_ref=_("Phản ánh %(code)s") % {"code": report.code},
    )
    return violation_record(actor=actor, spec=spec, feedback_report=report)


def violation_withdraw(*, actor: User, violation: Violation, reason: str) -> Violation:
    """A violation recorded in error stays, withdrawn with its reason, out of statistics."""
    if not access.violation_check_manage(actor, violation):
        raise _denied(actor, "violations.withdraw")
    reason = clean_text(reason, TEXT_MAX)
    if not reason:
        raise ValidationError(_("Cần ghi lý do rút lại."))
    with transaction.atomic():
        violation = Violation.objects.select_for_update(of=("self",)).get(pk=violation.pk)
        if violation.withdrawn_at is not None:
            raise ValidationError(_("Vi phạm này đã được rút lại."))
        violation.withdrawn_at, violation.withdraw_reason = timezone.now(), reason
        violation.save(update_fields=["withdrawn_at", "withdraw_reason"])
        audit_record(actor=actor, action="violations.withdraw", obj=violation, reason=reason)
    return violation


def recommendation_issue(
    *, actor: User, violation: Violation, responsible_unit: Unit, content: str, due_on: date
) -> Recommendation:
    """A recommendation to remedy ``violation`` by ``responsible_unit`` before ``due_on``."""
    if not access.violation_check_manage(actor, violation):
        raise _denied(actor, "violations.recommend")
    if violation.withdrawn_at is not None:
        raise ValidationError(_("Vi phạm đã được rút lại."))
    content = clean_text(content, TEXT_MAX)
    if not content:
        raise ValidationError(_("Cần ghi nội dung kiến nghị."))
    if due_on <= timezone.localdate():
        raise ValidationError(_("Hạn khắc phục phải sau hôm nay."))
    if responsible_unit.valid_to is not None:
        raise ValidationError(_("Đơn vị chịu trách nhiệm đã chấm dứt hoạt động."))
    with transaction.atomic():
        row = Recommendation.objects.create(
            violation=violation,
            responsible_unit=responsible_unit,
            content=content,
            due_on=due_on,
            issued_by=actor,
        )
        audit_record(
            actor=actor,
            action="violations.recommend",
            obj=row,
            unit=responsible_unit.code,
            due=str(due_on),
        )
    return row


def remedy_move(
    *,
    actor: User,
    recommendation: Recommendation,
    move: str,
    text: str = "",
    evidence: Sequence[Any] = (),
) -> Recommendation:
    """The responsible unit reports its remedy (with evidence files); the recommending side
    verifies it or returns it with a reason. Every move is kept (``RemedyStep``)."""
    text = clean_text(text, TEXT_MAX)
    kept: list[uploads.Kept] = []
    try:
        with transaction.atomic():
            row = Recommendation.objects.select_for_update(of=("self",)).get(pk=recommendation.pk)
            roles = access.recommendation_roles(actor, row)
            if not roles:
                raise _denied(actor, "violations.remedy")
            decision = transition_decide(
                obj=row,
                machine=rules.RECOMMENDATION_MACHINE,
                move=move,
                roles=roles,
                texts={"text": text},
                state_field="state",
            )
            today = timezone.localdate()
            fields: dict[str, Any] = {}
            if move == rules.REPORT and row.reported_on is None:
                fields["reported_on"] = today
            if move == rules.VERIFY:
                fields["verified_on"] = today
            transition_record(
                actor=actor,
                obj=row,
                decision=decision,
                action=f"violations.remedy_{move}",
                fields=fields,
                data={"text": text},
                state_field="state",
            )
            step = RemedyStep.objects.create(
                recommendation=row, move=move, text=text, actor=actor, at=timezone.now()
            )
            if evidence and move != rules.REPORT:
                raise ValidationError(_("Chỉ đính kèm minh chứng khi báo cáo khắc phục."))
            if len(evidence) > EVIDENCE_PER_STEP:
                raise ValidationError(
                    _("Tối đa %(n)s tệp minh chứng mỗi lần.") % {"n": EVIDENCE_PER_STEP}
                )
            for upload in evidence:
                item = uploads.evidence_keep(
                    upload,
                    folder=EVIDENCE_FOLDER,
                    limit=EVIDENCE_MAX_BYTES,
                    default_name="minh-chung",
                )
                kept.append(item)
                RemedyEvidence.objects.create(
                    step=step,
                    **item.row(),
                )
    except BaseException:
        for item in kept:  # the step rolled back: so do its files
            item.path.unlink(missing_ok=True)
        raise
    return row


def remedy_evidence_path(evidence: RemedyEvidence) -> Path:
    return uploads.evidence_dir(EVIDENCE_FOLDER) / evidence.stored_name


# --- Reminders of remedies ----------------------------------------------------------------


def remedy_reminders_send(*, today: date) -> int:
    """Tell the heads of each responsible unit 7 and 1 days before a remedy is due and on the
    day (``violations.reminder_days_before``, a dated setting), and — once, the day after — tell them
    and whoever issued it that it is overdue. Once a day per remedy and offset (the inbox
    key). Returns how many remedies were reminded."""
    from congvu.core import permissions
    from congvu.core.dated_store import setting_overrides
    from congvu.core.notifications import notifications_send
    from congvu.core.permissions import Action

    days = rules.reminder_days(today, setting_overrides(today))
    count = 0
    for row in Recommendation.objects.filter(state=rules.OPEN).select_related(
        "responsible_unit", "violation"
    ):
        heads = permissions.unit_heads(row.responsible_unit_id, Action.DISCIPLINE_MANAGE, today)
        left = rules.remedy_reminder_due(row.due_on, today, row.state, days)
        if left is not None:
            notifications_send(
                recipient_ids=heads,
                kind="remedy_due",
                message=_("Còn %(days)s ngày đến hạn khắc phục kiến nghị (hạn %(due)s).")
                % {"days": left, "due": f"{row.due_on:%d/%m/%Y}"},
                key=f"violations.remedy:{row.pk}:{left}",
                subject=row.violation,
            )
            count += 1
        elif (today - row.due_on).days == 1:
            notifications_send(
                recipient_ids=sorted({*heads, row.issued_by_id}),
                kind="remedy_late",
                message=_("Kiến nghị quá hạn khắc phục (hạn %(due)s).")
                % {"due": f"{row.due_on:%d/%m/%Y}"},
                key=f"violations.remedy_late:{row.pk}",
                subject=row.violation,
            )
            count += 1
    return count
