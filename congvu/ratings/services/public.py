"""A citizen's rating from a desk's QR page: idempotent, checked, limited, flagged."""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, Q
from django.utils import timezone

from congvu.ratings import rules
from congvu.ratings.models import (
    DeskToken,
    Rating,
    RatingContact,
    RatingSource,
    RatingStatus,
    ServicePoint,
)
from congvu.ratings.services.common import (
    MSG_DOSSIER_TAKEN,
    MSG_KEY,
    MSG_KEY_REUSED,
    DeskUnavailable,
    KeyConflict,
    RatingRefused,
    hashes,
)
from congvu.ratings.tallies import tallies_add


@dataclass(frozen=True)
class ClientInfo:
    """Where a public request came from; only keyed hashes of it are stored."""

    ip: str = ""
    user_agent: str = ""

    def _digest(self, *parts: str) -> str:
        message = "|".join(parts).encode("utf-8", "replace")
        key = settings.SECRET_KEY.encode()
        return hmac.new(key, message, hashlib.sha256).hexdigest()[:32]

    @property
    def network(self) -> str:
        """The address, or its /64 for IPv6 (one subscriber's block)."""
        try:
            address = ipaddress.ip_address(self.ip.strip())
        except ValueError:
            return self.ip.strip()[:64]
        if address.version == 6:
            return str(ipaddress.ip_network(f"{address}/64", strict=False))
        return str(address)

    @property
    def network_key(self) -> str:
        return self._digest("network", self.network)

    @property
    def client_key(self) -> str:
        return self._digest("client", self.ip.strip(), self.user_agent[:400])


@dataclass(frozen=True)
class Submission:
    rating: Rating
    created: bool


def new_form_key() -> str:
    """The hidden key of a fresh rating form: a retried POST carries it again."""
    return secrets.token_urlsafe(18)


def desk_for_token(token: str) -> DeskToken:
    """The token's desk if it takes ratings, else DeskUnavailable."""
    found = (
        DeskToken.objects.select_related("desk__unit", "desk__staff")
        .filter(token=token[:32])
        .first()
        if token
        else None
    )
    if found is None:
        raise DeskUnavailable("unknown")
    if found.revoked_at is not None:
        raise DeskUnavailable("revoked")
    if not found.desk.is_active or found.desk.unit.valid_to is not None:
        raise DeskUnavailable("inactive")
    return found


def _limits() -> rules.Limits:
    return rules.limits_from(getattr(settings, "RATINGS_LIMITS", None))


def _recent(desk: ServicePoint, client: ClientInfo, content: str, phone: str, now) -> rules.Recent:
    """What this client, network and desk sent recently (three indexed queries at most)."""
    day_ago, hour_ago = now - timedelta(hours=24), now - timedelta(hours=1)
    ck = client.client_key
    counts = Rating.objects.filter(network_key=client.network_key, created_at__gte=day_ago).aggregate(
        network_day=Count("id"),
        network_hour=Count("id", filter=Q(created_at__gte=hour_ago)),
        client_day=Count("id", filter=Q(client_key=ck)),
        client_hour=Count("id", filter=Q(client_key=ck, created_at__gte=hour_ago)),
        client_desk_30min=Count(
            "id", filter=Q(client_key=ck, desk=desk, created_at__gte=now - timedelta(minutes=30))
        ),
        identical_day=Count("id", filter=Q(desk=desk, content_hash=content)),
    )  # fmt: skip
    counts["desk_minute"] = Rating.objects.filter(  # QR only: a one-stop push is no burst
        desk=desk, created_at__gte=now - timedelta(minutes=1), source=RatingSource.QR
    ).count()
    if phone:
        counts["phone_desk_day"] = RatingContact.objects.filter(
            phone=phone, created_at__gte=day_ago, rating__desk=desk
        ).count()
    return rules.Recent(**counts)


def _replay(existing: Rating, payload: str) -> Submission:
    if existing.payload_hash != payload:
        raise KeyConflict(MSG_KEY_REUSED)
    return Submission(existing, created=False)


def rating_submit(
    *,
    token: str,
    key: str,
    score: object,
    answers: dict[str, object],
    reason: object = "",
    phone: object = "",
    dossier: object = "",
    client: ClientInfo,
    now: datetime | None = None,
    desk_token: DeskToken | None = None,
) -> Submission:
    """Store one citizen's rating from a desk's QR page, at most once per ``key``.

    A replay of the same key with the same input returns the stored rating
    (``created=False``); with different input, KeyConflict. Bad input raises
    ValidationError (a dict by field, in Vietnamese); a dead token DeskUnavailable; too
    many ratings RatingRefused. In those cases nothing is stored. Suspicious ratings are
    stored as flagged and left out of the tallies until reviewed.

    ``desk_token``: the result of ``desk_for_token(token)`` when the caller (the public
    page) has just looked it up, to save the second lookup (a three-table join).
    """
    now = now or timezone.now()
    if desk_token is None or desk_token.token != token[:32]:
        desk_token = desk_for_token(token)
    desk = desk_token.desk
    if not rules.valid_key(key):
        raise ValidationError({"key": [MSG_KEY]})
    clean, errors = rules.check_rating(
        score=score, answers=answers, reason=reason, phone=phone, dossier=dossier
    )
    if errors:
        raise ValidationError(errors)
    assert clean is not None
    payload, content = hashes(desk.pk, desk.staff_id, desk.unit_id, clean)
    full_key = f"qr:{key}"
    existing = Rating.objects.filter(key=full_key).first()
    if existing is not None:
        return _replay(existing, payload)
    # exclude(""): the partial unique index's own condition, without which SQLite scans
    # every rating (it cannot infer it from the equality).
    if (
        clean.dossier
        and Rating.objects.filter(dossier_code=clean.dossier).exclude(dossier_code="").exists()
    ):
        raise ValidationError({"dossier": [MSG_DOSSIER_TAKEN]})
    decision = rules.abuse_decision(_recent(desk, client, content, clean.phone, now), _limits())
    if decision.refusal:
        raise RatingRefused(decision.refusal)
    yes, no = rules.conduct_masks(clean.answers)
    rating = Rating(
        key=full_key, payload_hash=payload, content_hash=content, source=RatingSource.QR,
        desk=desk, desk_token=desk_token, unit_id=desk.unit_id, staff_id=desk.staff_id,
        created_at=now, rated_at=now, day=timezone.localdate(now), score=clean.score,
        conduct_yes=yes, conduct_no=no, reason=clean.reason, dossier_code=clean.dossier,
        status=RatingStatus.FLAGGED if decision.flags else RatingStatus.COUNTED,
        flags=",".join(decision.flags), client_key=client.client_key,
        network_key=client.network_key,
    )  # fmt: skip
    with transaction.atomic():
        try:
            with transaction.atomic():
                rating.save(force_insert=True)
        except IntegrityError:
            # A concurrent replay of the same key, or the same dossier, won the race.
            existing = Rating.objects.filter(key=full_key).first()
            if existing is not None:
                return _replay(existing, payload)
            raise ValidationError({"dossier": [MSG_DOSSIER_TAKEN]}) from None
        if clean.phone:
            RatingContact.objects.create(rating=rating, phone=clean.phone, created_at=now)
        if rating.status == RatingStatus.COUNTED:
            tallies_add([rating])
    return Submission(rating, created=True)
