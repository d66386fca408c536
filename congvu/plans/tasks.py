"""Background work of the plans: the daily reminders of periodic reports (7 and 1 days before
the due day, dated settings), sent in the morning."""

from django.utils import timezone
from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from congvu.core.logging import log_event
from congvu.plans import reporting


@db_periodic_task(crontab(hour="7", minute="0"))
def plans_reminders() -> None:
    sent = reporting.reminders_send(today=timezone.localdate())
    log_event("plans.reminders", sent=sent)
