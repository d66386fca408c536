"""Writers of discipline cases (vụ việc kỷ luật): open, pause and resume, council, decision,
closing as time-barred, dropping. Each write is one transaction on the locked case with its
audit record; moves go through the kernel's workflow (``rules.CASE_MACHINE``,
``core.transitions``). The actor needs ``discipline.manage`` over the person, and nobody
handles a case about themself (``access.DISCIPLINE_CASE``); a ``SystemActor`` (a command, a
fixture) has no scope to check. docs/discipline-cases.md."""

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
from congvu.core.notifications import notifications_send
from congvu.core.permissions import Action
from congvu.core.text import nfc
from congvu.core.transitions import transition_decide, transition_record
from congvu.core.workflow import Decision
from congvu.discipline import rules, selectors, services
from congvu.discipline.access import DISCIPLINE_CASE, discipline_check_record
from congvu.discipline.models import CasePause, DisciplineCase, DisciplineRecord
from congvu.discipline.services import DecisionSpec
from congvu.organisations.models import Staff
from congvu.organisations.rules import CIVIL_SERVICE_CATEGORIES as CATEGORIES

if TYPE_CHECKING:
    from congvu.accounts.models import User

    Actor = User | SystemActor

TEXT_MAX, SOURCE_MAX = 4000, 500


@dataclass(frozen=True)
class CaseSpec:
    committed_on: date
    detected_on: date
    level: str
    description: str
    source: str = ""
    no_limitation: str | None = None
    complex: bool = False


def _text(value: str, limit: int, label: str, *, required: bool = True) -> str:
    text = nfc(value or "")
    if (required and not text) or len(text) > limit:
        raise ValidationError(
            _("%(label)s không được để trống, tối đa %(limit)s ký tự.")
            % {"label": label, "limit": limit}
            if required
            else _("%(label)s tối đa %(limit)s ký tự.") % {"label": label, "limit": limit}
        )
    return text


def _check_open(staff: Staff, spec: CaseSpec, today: date) -> None:
    if staff.unit_id is None:
        raise ValidationError(_("Cán bộ chưa thuộc đơn vị nào."))
    if staff.category not in CATEGORIES:
        raise ValidationError(
            _(
                "Vụ việc kỷ luật này dành cho cán bộ, công chức, viên chức; người lao động bị xử "
                "lý kỷ luật theo Bộ luật Lao động."
            )
        )
    if spec.detected_on > today:
        raise ValidationError(_("Ngày phát hiện không được sau ngày hôm nay."))
    if spec.committed_on > spec.detected_on:
        raise ValidationError(_("Ngày vi phạm không được sau ngày phát hiện."))
    if spec.level not in rules.LEVELS:
        raise ValidationError(_("Mức vi phạm không có trong danh mục."))
    if spec.no_limitation and spec.no_limitation not in rules.NO_LIMITATION:
        raise ValidationError(_("Trường hợp không áp dụng thời hiệu không có trong danh mục."))


def case_open(*, actor: Actor, staff: Staff, spec: CaseSpec) -> DisciplineCase:
    """Open a case about ``staff``, with the person's unit, category and post of today."""
    if not is_system(actor) and not discipline_check_record(actor, staff):  # never oneself
        log_event("access.denied", user=actor.pk, action="discipline.case_open")
        raise PermissionDenied
    _check_open(staff, spec, timezone.localdate())
    description = _text(spec.description, TEXT_MAX, _("Hành vi vi phạm"))
    source = _text(spec.source, SOURCE_MAX, _("Nguồn phát hiện"), required=False)
    with transaction.atomic():
        case = DisciplineCase(  # type: ignore[misc]  # unit_id is set: _check_open
            staff=staff,
            unit_id=staff.unit_id,
            category=staff.category,
            is_leader=staff.is_leader,
            committed_on=spec.committed_on,
            detected_on=spec.detected_on,
            level=spec.level,
            no_limitation=spec.no_limitation or None,
            complex=spec.complex,
            description=description,
            source=source,
            created_by=None if is_system(actor) else actor,
        )
        case.full_clean()
        case.save()
        audit_record(
            actor=actor,
            action="discipline.case_open",
            obj=case,
            staff=staff.code,
            detected_on=str(spec.detected_on),
        )
    return case


def _locked(actor: Actor, case: DisciplineCase) -> DisciplineCase:
    """The case locked for the write, once the actor may handle it (inside a transaction)."""
    case = (
        DisciplineCase.objects.select_for_update(of=("self",))
        .select_related("staff", "decision")
        .get(pk=case.pk)
    )
    if not is_system(actor):
        DISCIPLINE_CASE.require(actor, Action.DISCIPLINE_MANAGE, case)  # never about oneself
    return case


def _decide(case: DisciplineCase, move: str, **texts: str) -> Decision:
    """The machine's decision, refused in the page's language."""
    if move not in rules.CASE_MACHINE.moves_for(case.status):
        raise ValidationError(
            _("Không thể %(move)s khi vụ việc ở trạng thái «%(status)s».")
            % {
                "move": _(rules.CASE_MOVE_NAMES[move]),
                "status": _(rules.CASE_STATUS_NAMES[case.status]),
            }
        )
    return transition_decide(obj=case, machine=rules.CASE_MACHINE, move=move, texts=texts)


def _pause_dates(case: DisciplineCase, start: date, end: date | None, today: date) -> None:
    if start < case.committed_on:
        raise ValidationError(_("Thời gian chưa xem xét không được bắt đầu trước ngày vi phạm."))
    if start > today:
        raise ValidationError(_("Ngày bắt đầu không được sau ngày hôm nay."))
    if end is not None and end < start:
        raise ValidationError(_("Ngày kết thúc không được trước ngày bắt đầu."))


def case_pause(
    *,
    actor: Actor,
    case: DisciplineCase,
    reason: str,
    start: date,
    end: date | None = None,
    note: str = "",
) -> CasePause:
    """Record days the case is not considered. Without ``end`` the pause runs on and the case
    waits (open → paused) until it is resumed; with ``end`` (a pause already over, e.g. found
    later) the case keeps its state. Either way the days lengthen both limits."""
    today = timezone.localdate()
    if reason not in rules.PAUSE_REASONS:
        raise ValidationError(_("Lý do chưa xem xét không có trong danh mục."))
    note = _text(note, SOURCE_MAX, _("Ghi chú"), required=False)
    with transaction.atomic():
        case = _locked(actor, case)
        _pause_dates(case, start, end, today)
        if end is None:
            decision = _decide(case, rules.MOVE_PAUSE)
        elif case.status not in rules.CASE_ACTIVE:
            raise ValidationError(_("Vụ việc đã kết thúc."))
        pause = CasePause.objects.create(
            case=case,
            reason=reason,
            paused_from=start,
            paused_to=end,
            note=note,
            created_by=None if is_system(actor) else actor,
        )
        data = {"reason": reason, "from": str(start), "to": str(end) if end else None}
        if end is None:
            transition_record(
                actor=actor, obj=case, decision=decision, action="discipline.case_pause", data=data
            )
        else:
            audit_record(actor=actor, action="discipline.case_pause_add", obj=case, **data)
    return pause


def case_resume(*, actor: Actor, case: DisciplineCase, end: date) -> DisciplineCase:
    """Close the running pause on ``end`` (its last day) and consider the case again."""
    with transaction.atomic():
        case = _locked(actor, case)
        decision = _decide(case, rules.MOVE_RESUME)
        pause = case.pauses.filter(paused_to__isnull=True).order_by("-paused_from").first()
        if pause is not None:
            if end < pause.paused_from:
                raise ValidationError(_("Ngày kết thúc không được trước ngày bắt đầu."))
            if end > timezone.localdate():
                raise ValidationError(_("Ngày kết thúc không được sau ngày hôm nay."))
            pause.paused_to = end
            pause.save(update_fields=["paused_to"])
        transition_record(
            actor=actor,
            obj=case,
            decision=decision,
            action="discipline.case_resume",
            data={"to": str(end)},
        )
    return case


def case_council(
    *, actor: Actor, case: DisciplineCase, meeting_on: date, members: str, conclusion: str = ""
) -> DisciplineCase:
    """The discipline council (hội đồng kỷ luật): its meeting day, members and, once it has
    met, its conclusion. The first record moves the case to the council; later ones update."""
    members = _text(members, TEXT_MAX, _("Thành viên hội đồng"))
    conclusion = _text(conclusion, TEXT_MAX, _("Kết luận"), required=False)
    fields = {
        "council_on": meeting_on,
        "council_members": members,
        "council_conclusion": conclusion,
    }
    with transaction.atomic():
        case = _locked(actor, case)
        if meeting_on < case.detected_on:
            raise ValidationError(_("Ngày họp hội đồng không được trước ngày phát hiện."))
        if conclusion and meeting_on > timezone.localdate():
            raise ValidationError(_("Hội đồng chưa họp thì chưa có kết luận."))
        if case.status == rules.CASE_COUNCIL:
            for name, value in fields.items():
                setattr(case, name, value)
            case.save(update_fields=list(fields))
            audit_record(
                actor=actor, action="discipline.case_council", obj=case, meeting_on=str(meeting_on)
            )
        else:
            decision = _decide(case, rules.MOVE_COUNCIL)
            transition_record(
                actor=actor,
                obj=case,
                decision=decision,
                action="discipline.case_council",
                fields=fields,
                data={"meeting_on": str(meeting_on)},
            )
    return case


def case_decide(*, actor: Actor, case: DisciplineCase, spec: DecisionSpec) -> DisciplineRecord:
    """Record the case's decision in the register (``services.discipline_record``): an
    administrative form lawful for the person (as at the opening) on its effective day, and
    not after the limitation period ends (``rules.case_check``)."""
    today = timezone.localdate()
    with transaction.atomic():
        case = _locked(actor, case)
        decision = _decide(case, rules.MOVE_DECIDE)
        if spec.system != "administrative":
            raise ValidationError(
                _(
                    "Vụ việc ghi nhận quyết định kỷ luật hành chính; quyết định kỷ luật đảng ghi "
                    "thẳng vào sổ theo dõi kỷ luật."
                )
            )
        problem = rules.form_problem(spec.form, case.category, case.is_leader, spec.effective_from)
        if problem:
            raise ValidationError(problem[0].upper() + problem[1:] + ".")
        planned = rules.Discipline(spec.form, spec.effective_from, spec.duty_related)
        intervals = list(case.pauses.values_list("paused_from", "paused_to"))
        row = selectors.case_row(case, intervals, today, decision=planned)
        if row.check.time_barred and row.check.limitation_ends is not None:
            raise ValidationError(
                _(
                    "Không thể ghi nhận quyết định có hiệu lực từ %(day)s: thời hiệu xử lý kỷ luật "
                    "đã hết ngày %(end)s."
                )
                % {
                    "day": f"{spec.effective_from:%d/%m/%Y}",
                    "end": f"{row.check.limitation_ends:%d/%m/%Y}",
                }
            )
        record = services.discipline_record(actor=actor, staff=case.staff, spec=spec)
        transition_record(
            actor=actor,
            obj=case,
            decision=decision,
            action="discipline.case_decide",
            fields={"decision": record, "closed_on": today},
            data={"record": record.pk, "form": spec.form},
        )
    return record


def case_time_bar(*, actor: Actor, case: DisciplineCase) -> DisciplineCase:
    """Close a case whose limitation period has ended (checked today, with its pauses)."""
    today = timezone.localdate()
    with transaction.atomic():
        case = _locked(actor, case)
        decision = _decide(case, rules.MOVE_TIME_BAR)
        intervals = list(case.pauses.values_list("paused_from", "paused_to"))
        check = selectors.case_row(case, intervals, today).check
        if not check.time_barred:
            if check.limitation_ends is None:
                raise ValidationError(_("Vụ việc này không áp dụng thời hiệu."))
            raise ValidationError(
                _("Vụ việc còn thời hiệu xử lý kỷ luật đến hết ngày %(end)s.")
                % {"end": f"{check.limitation_ends:%d/%m/%Y}"}
            )
        case.pauses.filter(paused_to__isnull=True).update(paused_to=today)
        transition_record(
            actor=actor,
            obj=case,
            decision=decision,
            action="discipline.case_time_bar",
            fields={"closed_on": today},
        )
    return case


def case_drop(*, actor: Actor, case: DisciplineCase, reason: str) -> DisciplineCase:
    """Stop considering a case (no violation found, exempted, …), with the reason."""
    today = timezone.localdate()
    reason = nfc(reason or "")
    if not reason:
        raise ValidationError(_("Cần ghi lý do dừng xem xét vụ việc."))
    reason = _text(reason, TEXT_MAX, _("Lý do"))
    with transaction.atomic():
        case = _locked(actor, case)
        decision = _decide(case, rules.MOVE_DROP, reason=reason)
        case.pauses.filter(paused_to__isnull=True).update(paused_to=today)
        transition_record(
            actor=actor,
            obj=case,
            decision=decision,
            action="discipline.case_drop",
            fields={"closed_on": today, "close_reason": reason},
            data={"reason": reason},
        )
    return case


# --- Reminders of the processing limit ---------------------------------------------------------

REMIND_DAYS_BEFORE = 7


def case_reminders_send(*, today: date) -> int:
    """Tell the handlers of each case being considered (not paused: its limit still moves)
    when its processing limit is 7 days away or nearer, and once it has passed: once per
    case, deadline and kind (the inbox key); the number of notices sent."""
    cases = DisciplineCase.objects.filter(
        status__in=(rules.CASE_OPEN, rules.CASE_COUNCIL)
    ).select_related("staff", "decision")
    count = 0
    for row in selectors.case_rows(cases, today):
        deadline = row.check.processing_deadline
        left = (deadline - today).days
        if row.overdue:
            kind, message = (
                "overdue",
                _(
                    "Vụ việc kỷ luật #%(pk)s đã quá thời hạn xử lý (hết ngày %(due)s); vụ việc "
                    "vẫn tiếp tục, không tự chấm dứt."
                ),
            )
        elif 0 <= left <= REMIND_DAYS_BEFORE:
            kind, message = (
                "due",
                _("Vụ việc kỷ luật #%(pk)s còn %(days)s ngày đến hết thời hạn xử lý (%(due)s)."),
            )
        else:
            continue
        notifications_send(
            recipient_ids=selectors.case_handler_ids(case=row.case, day=today),
            kind="discipline_case",
            message=message % {"pk": row.case.pk, "days": left, "due": f"{deadline:%d/%m/%Y}"},
            key=f"discipline.case_{kind}:{row.case.pk}:{deadline:%Y%m%d}",
            subject=row.case,
        )
        count += 1
    return count
