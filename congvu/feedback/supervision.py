"""Supervision by the Fatherland Front (Ủy ban MTTQ): the findings and recommendations it files
on a unit, the unit's answer, the Front's closing or asking for more, reminders of findings
awaiting an answer; and the reads of findings, scoped by ``congvu.core.permissions``.

Writers follow the services' rule: one transaction, an audit record, notifications after
commit. The read-only supervision of citizens' reports is in ``selectors`` (as the handlers'
reads, with the ``feedback.view`` action); its pages are in ``views_supervision``.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from congvu.core import permissions
from congvu.core.audit import audit_record
from congvu.core.logging import log_event
from congvu.core.notifications import notifications_write
from congvu.core.permissions import ROLE_ACTIONS, Action, Entity
from congvu.core.transitions import Step, transition_apply
from congvu.feedback import rules
from congvu.feedback.models import SupervisionFinding
from congvu.feedback.rules import FindingMove
from congvu.feedback.selectors import users_covering
from congvu.feedback.services import REMIND_DAYS_BEFORE, TEXT_MAX, clean_line, clean_text
from congvu.organisations import rules as org_rules
from congvu.organisations.models import Unit

if TYPE_CHECKING:
    from congvu.accounts.models import User
    from congvu.core.permissions import Actor

# --- Reads ------------------------------------------------------------------------------------

FINDING_READERS = (Action.FEEDBACK_VIEW, Action.SUPERVISION_FILE, Action.SUPERVISION_ANSWER)


FINDING = Entity(units=("unit_id",))
"""A finding of the Front belongs to the supervised unit: the Front (SUPERVISION_FILE), the
unit (SUPERVISION_ANSWER) and whoever reads feedback on the unit see it."""


def finding_list_for_user(*, user: Actor) -> QuerySet[SupervisionFinding]:
    qs = SupervisionFinding.objects.select_related("unit", "filed_by")
    return FINDING.filter_any(user, FINDING_READERS, qs)


def finding_get_for_user(*, user: Actor, pk: int) -> SupervisionFinding | None:
    return permissions.first_by_pk(finding_list_for_user(user=user), pk)


def finding_roles(user: Actor, finding: SupervisionFinding) -> set[str]:
    """``unit`` when the user answers for the unit, ``front`` when they supervise it."""
    who = set()
    if FINDING.allows(user, Action.SUPERVISION_ANSWER, finding):
        who.add(rules.UNIT)
    if FINDING.allows(user, Action.SUPERVISION_FILE, finding):
        who.add(rules.FRONT)
    return who


def finding_answerer_ids(*, unit_id: int) -> list[int]:
    """Whom a finding waits on: the unit's handlers and heads (through org history)."""
    roles = tuple(
        r for r in ("handler", "unit_head") if Action.SUPERVISION_ANSWER in ROLE_ACTIONS[r]
    )
    by_role = users_covering(unit_id, Action.SUPERVISION_ANSWER, roles)
    return sorted(set().union(*by_role.values()))


# --- Writes -----------------------------------------------------------------------------------


def finding_file(
    *, actor: User, unit: Unit, title: str, content: str, due_on: date | None
) -> SupervisionFinding:
    """The Fatherland Front files a finding and recommendation on a unit in its scope."""
    if not permissions.can(actor, Action.SUPERVISION_FILE, unit):
        raise PermissionDenied
    title, content = clean_line(title), clean_text(content)
    errors = {}
    if not title:
        errors["tieu_de"] = _("Hãy nhập tiêu đề.")
    elif len(title) > 200:
        errors["tieu_de"] = _("Tiêu đề tối đa 200 ký tự.")
    if len(content) < 10:
        errors["noi_dung"] = _("Hãy ghi nội dung giám sát, kiến nghị.")
    elif len(content) > TEXT_MAX:
        errors["noi_dung"] = _("Nội dung tối đa %(count)s ký tự.") % {
            "count": f"{TEXT_MAX:,}".replace(",", ".")
        }
    today = timezone.localdate()
    due_on = due_on or today + timedelta(days=rules.FINDING_ANSWER_DAYS)
    if due_on <= today:
        errors["han"] = _("Hạn trả lời phải sau hôm nay.")
    if not org_rules.holds_on(unit.valid_from, unit.valid_to, today):
        errors["don_vi"] = _("Đơn vị này không còn hoạt động.")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        now = timezone.now()
        finding = SupervisionFinding.objects.create(
            unit=unit,
            title=title,
            content=content,
            filed_by=actor,
            filed_at=now,
            due_on=due_on,
            updated_at=now,
        )
        audit_record(
            actor=actor,
            action="supervision.file",
            obj=finding,
            unit=unit.code,
            due_on=due_on.isoformat(),
        )
        _notify_answerers(
            finding,
            f"Kiến nghị giám sát mới của Ủy ban MTTQ: «{title}», hạn trả lời {due_on:%d/%m/%Y}.",
        )
    return finding


def _notify_answerers(finding: SupervisionFinding, message: str, key: str | None = None) -> None:
    unit_id = finding.unit_id

    def send() -> None:
        recipients = finding_answerer_ids(unit_id=unit_id)
        notifications_write(recipient_ids=recipients, kind="supervision", message=message, key=key)

    transaction.on_commit(send)


def finding_move(
    *,
    actor: User,
    finding: SupervisionFinding,
    move: str,
    text: str = "",
    due_on: date | None = None,
) -> SupervisionFinding:
    """The unit answers, the Front closes or asks for a fuller answer (rules.FINDING_RULES)."""
    text = clean_text(text, TEXT_MAX)
    with transaction.atomic():
        finding = SupervisionFinding.objects.select_for_update().get(pk=finding.pk)
        who = finding_roles(actor, finding)
        movers = rules.finding_movers(move)
        if movers and not movers & set(who):  # not this actor's move
            log_event(
                "access.denied", user=getattr(actor, "pk", None), action=f"supervision.{move}"
            )
            raise PermissionDenied
        today = timezone.localdate()

        def step() -> Step:  # once the move is allowed: the texts and dates it sets
            changes = Step(fields={"updated_at": timezone.now()})
            if move == FindingMove.ANSWER:
                changes.fields.update(answer=text, answered_by=actor, answered_on=today)
            elif move == FindingMove.CLOSE:
                changes.fields.update(closed_on=today, front_comment=text or finding.front_comment)
            else:  # the Front asks for a fuller answer, with a new deadline
                due = due_on or today + timedelta(days=rules.FINDING_ANSWER_DAYS)
                if due <= today:
                    raise ValidationError(_("Hạn trả lời mới phải sau hôm nay."))
                changes.fields.update(front_comment=text, due_on=due)
            return changes

        transition_apply(
            actor=actor,
            obj=finding,
            machine=rules.FINDING_MACHINE,
            move=move,
            action=f"supervision.{move}",
            roles=who,
            texts={"text": text},
            step=step,
        )
    return finding


def finding_reminders_send(*, today: date) -> int:
    """Inbox reminders for findings awaiting the unit's answer, due within two days or late,
    once a day each (the reports' reminders: ``services.report_reminders_send``)."""
    horizon = today + timedelta(days=REMIND_DAYS_BEFORE)
    count = 0
    open_findings = SupervisionFinding.objects.filter(status="open", due_on__lte=horizon)
    for finding in open_findings.iterator():
        text = f"Nhắc việc: trả lời kiến nghị giám sát «{finding.title}», hạn {finding.due_on:%d/%m/%Y}."
        notifications_write(
            recipient_ids=finding_answerer_ids(unit_id=finding.unit_id),
            kind="reminder",
            message=text,
            key=f"finding-remind:{finding.pk}:{today.isoformat()}",
        )
        count += 1
    return count
