"""The review of flagged ratings, and the purge of personal data (S11)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from congvu.core import permissions
from congvu.core.actors import SYSTEM
from congvu.core.audit import audit_record
from congvu.core.permissions import Action
from congvu.ratings import rules
from congvu.ratings.models import (
    Rating,
    RatingContact,
    RatingStatus,
)
from congvu.ratings.services.common import (
    CLIENT_KEY_DAYS,
    CONTACT_DAYS,
    in_scope,
    user_or_none,
)
from congvu.ratings.tallies import tallies_add

if TYPE_CHECKING:
    from congvu.accounts.models import User


def ratings_review(*, actor: User, ids: Sequence[int], accept: bool, note: str = "") -> int:
    """Accept (count from now on) or reject flagged ratings; each decision audited.
    Only ratings of units in the actor's DESK_MANAGE scope; returns how many changed."""
    note = rules.clean_text(note)[:500]
    scope = permissions.unit_scope(actor, Action.DESK_MANAGE)
    if not scope:
        raise PermissionDenied
    now = timezone.now()
    with transaction.atomic():
        rows = list(
            Rating.objects.select_for_update()
            .filter(pk__in=list(ids)[:500], status=RatingStatus.FLAGGED)
            .order_by("pk")
        )
        if any(not in_scope(scope, r.unit_id) for r in rows):
            raise PermissionDenied
        if not rows:
            raise ValidationError(_("Không còn đánh giá nào chờ xem xét trong các mục đã chọn."))
        status = RatingStatus.COUNTED if accept else RatingStatus.REJECTED
        for rating in rows:
            rating.status, rating.reviewed_at = status, now
            rating.reviewed_by, rating.review_note = user_or_none(actor), note
            audit_record(
                actor=actor,
                action="rating.accept" if accept else "rating.reject",
                obj=rating,
                flags=rating.flags,
                note=note,
            )
        Rating.objects.bulk_update(
            rows, ["status", "reviewed_at", "reviewed_by", "review_note"], batch_size=200
        )
        if accept:
            tallies_add(rows)
    return len(rows)


# --- Personal data retention -------------------------------------------------------------


def ratings_personal_data_purge(*, now: datetime | None = None) -> tuple[int, int]:
    """Delete phone numbers older than CONTACT_DAYS and clear client and network keys older
    than CLIENT_KEY_DAYS (S11). Returns (contacts deleted, ratings cleared)."""
    now = now or timezone.now()
    with transaction.atomic():
        contacts, _ = RatingContact.objects.filter(
            created_at__lt=now - timedelta(days=CONTACT_DAYS)
        ).delete()
        cleared = (
            Rating.objects.filter(created_at__lt=now - timedelta(days=CLIENT_KEY_DAYS))
            .exclude(client_key="", network_key="")
            .update(client_key="", network_key="")
        )
        if contacts or cleared:
            audit_record(
                actor=SYSTEM, action="ratings.purge_personal", contacts=contacts, cleared=cleared
            )
    return contacts, cleared
