"""The inbox every capability writes to (no e-mail): the one writer and reader of
``core.Notification``. Below the capabilities: a notice names its subject by label and id,
never by a foreign key into a capability."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.db import models, transaction
from django.db.models import QuerySet
from django.utils import timezone

from congvu.core.audit import audit_record
from congvu.core.models import Notification

if TYPE_CHECKING:
    # The kernel knows no accounts app: any user model, or the anonymous visitor. The
    # plugin wants accounts.User in lookups on ``recipient``, hence the two ignores below.
    from django.contrib.auth.base_user import AbstractBaseUser
    from django.contrib.auth.models import AnonymousUser


def subject_of(obj: models.Model | None) -> dict[str, str]:
    """The subject fields naming ``obj`` (none for None)."""
    if obj is None:
        return {"subject_type": "", "subject_id": ""}
    return {"subject_type": obj._meta.label_lower, "subject_id": str(obj.pk)}


def notifications_write(
    *,
    recipient_ids: Iterable[int | None],
    kind: str,
    message: str,
    key: str | None = None,
    subject: models.Model | None = None,
) -> None:
    """Inbox rows for ``recipient_ids``, written now. With ``key``, a recipient who already
    got that key is not sent it again."""
    now, about = timezone.now(), subject_of(subject)
    wanted = sorted({r for r in recipient_ids if r is not None})
    Notification.objects.bulk_create(
        [
            Notification(
                recipient_id=r,
                kind=kind,
                message=message,
                created_at=now,
                key=f"{key}:{r}" if key else None,
                **about,
            )
            for r in wanted
        ],
        ignore_conflicts=bool(key),
    )


def notifications_send(
    *,
    recipient_ids: Iterable[int | None],
    kind: str,
    message: str,
    key: str | None = None,
    subject: models.Model | None = None,
) -> None:
    """``notifications_write`` after commit (at once outside a transaction): nothing is
    announced for a change that rolled back."""
    wanted = sorted({r for r in recipient_ids if r is not None})
    if wanted:
        transaction.on_commit(
            lambda: notifications_write(
                recipient_ids=wanted, kind=kind, message=message, key=key, subject=subject
            )
        )


def notifications_mark_read(
    *, actor: AbstractBaseUser | AnonymousUser, ids: list[int] | None = None
) -> int:
    """Mark the actor's unread notifications read: those in ``ids``, or all when None.
    Nobody can mark another user's: other ids are ignored. Returns how many changed."""
    if not getattr(actor, "is_authenticated", False):
        return 0
    with transaction.atomic():
        unread = Notification.objects.filter(recipient=actor, read_at__isnull=True)  # type: ignore[misc]
        if ids is not None:
            unread = unread.filter(pk__in=ids[:1000])
        changed = unread.update(read_at=timezone.now())
        if changed:
            audit_record(actor=actor, action="notifications.read", count=changed)
    return changed


def notifications_for_user(
    *, user: AbstractBaseUser | AnonymousUser, unread_only: bool = False
) -> QuerySet[Notification]:
    """The user's own inbox (nobody reads another's)."""
    if not getattr(user, "is_authenticated", False):
        return Notification.objects.none()
    qs = Notification.objects.filter(recipient=user)  # type: ignore[misc]
    return qs.filter(read_at__isnull=True) if unread_only else qs
