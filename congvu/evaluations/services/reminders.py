"""Deadline reminders to the inbox, at most once a day per evaluation and step."""

from datetime import date

from congvu.core.models import Notification
from congvu.evaluations import workflow
from congvu.evaluations.models import CycleStatus, EvaluationCycle
from congvu.evaluations.services.common import utc_now
from congvu.evaluations.workflow import State

REMIND_DAYS_BEFORE = 3


def reminders_send(*, today: date) -> int:
    """Inbox reminders for steps due within REMIND_DAYS_BEFORE days or late, once a day each.

    Draft → the official (or the unit's respondent); submitted → the manager; at the
    council's step → whoever created the cycle. Returns the number of reminders written.
    """
    written = 0
    for cycle in EvaluationCycle.objects.filter(status=CycleStatus.OPEN):
        deadlines = workflow.Deadlines(
            cycle.self_deadline, cycle.manager_deadline, cycle.council_deadline
        )
        states = workflow.reminder_states(deadlines, today, REMIND_DAYS_BEFORE)
        if not states:
            continue
        rows = cycle.evaluations.filter(state__in=sorted(states)).values_list(
            "pk", "state", "staff__user__id", "respondent_id", "manager_id"
        )
        now, notes = utc_now(), []
        for pk, state, staff_user, respondent, manager in rows:
            recipient = {
                State.DRAFT: staff_user or respondent,
                State.SUBMITTED: manager,
            }.get(state, cycle.created_by_id)  # type: ignore[call-overload]  # a str finds its State
            if recipient is None:
                continue
            due = workflow.deadline(state, deadlines)
            late = workflow.days_late(state, deadlines, today)
            text = f"Nhắc việc ({cycle.title}): {workflow.STATE_NAMES[state]}, hạn {due:%d/%m/%Y}"
            text += f", đã quá hạn {late} ngày." if late else "."
            notes.append(
                Notification(
                    recipient_id=recipient,
                    subject_type="evaluations.evaluation",
                    subject_id=str(pk),
                    kind="reminder",
                    message=text,
                    key=f"remind:{pk}:{state}:{today.isoformat()}",
                    created_at=now,
                )
            )
        Notification.objects.bulk_create(notes, batch_size=1000, ignore_conflicts=True)
        written += len(notes)
    return written
