"""Background work of discipline: each morning, the handlers of a case are told 7 days before
its processing limit and once it has passed (docs/discipline-cases.md)."""

from django.utils import timezone
from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from congvu.core.logging import log_event
from congvu.discipline import cases


@db_periodic_task(crontab(hour="7", minute="5"))
def discipline_case_reminders() -> None:
    sent = cases.case_reminders_send(today=timezone.localdate())
    log_event("discipline.case_reminders", sent=sent)
