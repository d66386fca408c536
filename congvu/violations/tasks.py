"""Background work of violations: the daily reminders of remedies, in the morning."""

from django.utils import timezone
from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from congvu.core.logging import log_event
from congvu.violations import services


@db_periodic_task(crontab(hour="7", minute="10"))
def remedy_reminders() -> None:
    sent = services.remedy_reminders_send(today=timezone.localdate())
    log_event("violations.reminders", sent=sent)
