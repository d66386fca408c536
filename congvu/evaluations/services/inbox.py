"""The user's own inbox: sending notifications, marking them read."""

from collections.abc import Iterable

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


def notifications_write(
    *, recipient_ids: Iterable[int], kind: str, message: str, key: str | None = None
) -> None:
    """Inbox rows for ``recipient_ids``, written now. With ``key``, a recipient who already
    got that key is not sent it again."""
    now = timezone.now()
    Notification.objects.bulk_create(
        [Notification(recipient_id=r, kind=kind, message=message, created_at=now,
                      key=f"{key}:{r}" if key else None) for r in sorted(set(recipient_ids))],
        ignore_conflicts=bool(key),
    )  # fmt: skip


def notifications_send(
    *, recipient_ids: Iterable[int], kind: str, message: str, key: str | None = None
) -> None:
    """``notifications_write`` after commit (at once outside a transaction)."""
    wanted = sorted(set(recipient_ids))
    if wanted:
        transaction.on_commit(
            lambda: notifications_write(recipient_ids=wanted, kind=kind, message=message, key=key)
        )
