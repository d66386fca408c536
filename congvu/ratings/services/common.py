"""What the rating services share: limits, refusals, messages, hashing, scope checks."""

from __future__ import annotations

import hashlib
import json
from datetime import datetime
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_noop

from congvu.core import permissions
from congvu.core.actors import login_of
from congvu.core.permissions import EVERYTHING, Action
from congvu.core.text import fold
from congvu.ratings import rules

if TYPE_CHECKING:
    from congvu.accounts.models import User
    from congvu.core.permissions import Actor

MAX_BATCH = 1000
CONTACT_DAYS = 90  # a phone number left for follow-up is kept this long
CLIENT_KEY_DAYS = 7  # the client and network keys are cleared after this (limits look back 24 h)


class DeskUnavailable(Exception):
    """The QR token is unknown, revoked, or its desk no longer takes ratings."""

    def __init__(self, state: str):
        super().__init__(state)
        self.state = state  # "unknown" | "revoked" | "inactive"


class RatingRefused(Exception):
    """Too many ratings from this client, network or desk: nothing stored (HTTP 429)."""


class KeyConflict(Exception):
    """An idempotency key already used for a different rating (HTTP 409)."""


MSG_KEY = gettext_noop(
    "Phiên đánh giá không hợp lệ hoặc đã hết hạn. Vui lòng tải lại trang rồi đánh giá."
)
MSG_KEY_REUSED = gettext_noop(
    "Mã phiên này đã được dùng cho một đánh giá khác. Vui lòng tải lại trang để đánh giá mới."
)
MSG_DOSSIER_TAKEN = gettext_noop("Hồ sơ này đã được đánh giá. Mỗi hồ sơ chỉ được đánh giá một lần.")


def user_or_none(actor: User) -> User | None:
    return login_of(actor)


def _hash(*parts: object) -> str:
    text = json.dumps(parts, ensure_ascii=False, sort_keys=True, default=str)
    return hashlib.sha256(text.encode()).hexdigest()[:32]


def hashes(
    desk_id: int | None,
    staff_id: int | None,
    unit_id: int,
    clean: rules.CleanRating,
    rated_at: datetime | None = None,
) -> tuple[str, str]:
    answers = sorted(clean.answers.items())
    content = _hash(desk_id, unit_id, staff_id, clean.score, answers, fold(clean.reason))
    payload = _hash(
        desk_id,
        unit_id,
        staff_id,
        clean.score,
        answers,
        clean.reason,
        clean.phone,
        clean.dossier,
        rated_at,
    )
    return payload, content


def require_desk_manage(actor: Actor, unit_id: int) -> None:
    if not in_scope(permissions.unit_scope(actor, Action.DESK_MANAGE), unit_id):
        raise PermissionDenied


def in_scope(scope: frozenset[int], unit_id: int) -> bool:
    return scope is EVERYTHING or unit_id in scope
