"""Background work of ratings (Huey): the nightly purge of personal data (S11)."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from congvu.ratings import services


@db_periodic_task(crontab(hour="3", minute="15"))
def ratings_purge_personal_data() -> None:
    """Phone numbers older than 90 days, client and network keys older than 7 days."""
    services.ratings_personal_data_purge()
