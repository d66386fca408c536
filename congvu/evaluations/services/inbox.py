"""The user's own inbox: marking notifications read."""

from django.db import transaction
from django.utils import timezone

from congvu.core.audit import audit_record
from congvu.evaluations.models import Notification


def notifications_mark_read(*, actor, ids: list[int] | None = None) -> int:
    """Mark the actor's unread notifications read: those in ``ids``, or all when None.
    Nobody can mark another user's: other ids are ignored. Returns how many changed."""
    if not getattr(actor, "is_authenticated", False):
        return 0
    with transaction.atomic():
        unread = Notification.objects.filter(recipient=actor, read_at__isnull=True)
        if ids is not None:
            unread = unread.filter(pk__in=ids[:1000])
        changed = unread.update(read_at=timezone.now())
        if changed:
            audit_record(actor=actor, action="notifications.read", count=changed)
    return changed
