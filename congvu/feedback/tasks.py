"""Background work of reports (Huey): daily reminders of reports and findings due or late."""

from django.utils import timezone
from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from congvu.feedback import services, supervision


@db_periodic_task(crontab(hour="7", minute="15"))
def report_reminders() -> None:
    """Every morning: remind the handlers of reports due within two days or late, and the units
    of supervision findings awaiting their answer; at most once a day each."""
    today = timezone.localdate()
    services.report_reminders_send(today=today)
    supervision.finding_reminders_send(today=today)
