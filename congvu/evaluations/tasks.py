"""Background work of evaluations (Huey): daily deadline reminders to the inbox (no e-mail)."""

from django.utils import timezone
from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from congvu.evaluations import services


@db_periodic_task(crontab(hour="7", minute="0"))
def evaluation_reminders() -> None:
    """Every morning: remind whoever a step waits on, once a day per evaluation and step."""
    services.reminders_send(today=timezone.localdate())
