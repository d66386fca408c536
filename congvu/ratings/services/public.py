"""A citizen's rating from a desk's QR page: idempotent, checked, limited, flagged."""

from __future__ import annotations

import functools
import hashlib
import hmac
import secrets
import time
from contextlib import nullcontext
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, TypeVar

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from congvu.core import ratelimit
from congvu.core.bulk import insert_one, insert_one_statement, inserted
from congvu.organisations.models import Staff, Unit
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
from congvu.ratings.tallies import tallies_add, tally_rows, upsert_sql


@dataclass(frozen=True)
class ClientInfo:
    """Where a public request came from; only keyed hashes of it are stored.

    Every limit counts by ``network_key``, the address (an IPv6 /64): a browser can say it is
    any browser, so what it says never makes a new client (docs/feedback.md, S4).
    ``client_key`` (the address and the browser) is stored beside it but counts nothing.
    """

    ip: str = ""
    user_agent: str = ""

    def _digest(self, *parts: str) -> str:
        message = "|".join(parts).encode("utf-8", "replace")
        key = settings.SECRET_KEY.encode()
        return hmac.new(key, message, hashlib.sha256).hexdigest()[:32]

    @property
    def network(self) -> str:
        """The address, or its /64 for IPv6 (one subscriber's block)."""
        return ratelimit.client_network(self.ip)

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


_TOKENS: dict[str, tuple[float, DeskToken]] = {}
"""Per process: token → its desk (with unit and official), for TOKEN_CACHE_SECONDS. Only
what does not change is trusted from it: whether the token still takes ratings is checked
again by every POST, in the same query as its other checks (``_checks``)."""
TOKEN_CACHE_SECONDS = 60.0
TOKEN_CACHE_SIZE = 10_000


@functools.cache
def _token_sql() -> str:
    q = connection.ops.quote_name
    token, desk = q(DeskToken._meta.db_table), q(ServicePoint._meta.db_table)
    unit, staff = q(Unit._meta.db_table), q(Staff._meta.db_table)
    return (  # names from the models, the token as a parameter
        "SELECT t.id, t.revoked_at IS NULL, d.id, d.unit_id, d.staff_id, d.kind, d.name,"  # noqa: S608
        " d.location, d.is_active, u.code, u.name, u.valid_to IS NULL, s.ho, s.dem, s.ten"
        f" FROM {token} t JOIN {desk} d ON d.id = t.desk_id JOIN {unit} u ON u.id = d.unit_id"
        f" LEFT JOIN {staff} s ON s.id = d.staff_id WHERE t.token = %s"
    )


_M = TypeVar("_M", bound=models.Model)


def _partial(model: type[_M], **values: object) -> _M:
    """An instance as the database gave it, with only ``values`` loaded (by attname); any
    other field loads on access, as with ``only()``."""
    names = [f.attname for f in model._meta.concrete_fields if f.attname in values]
    return model.from_db(connection.alias, names, [values[name] for name in names])


def _lookup(token: str) -> DeskToken:
    """The token with its desk, unit and official, in one statement of constant text: the
    ORM's three-table select_related cost ~1.5 ms to compile per request. The instances
    hold only the fields read here; any other field loads on access, as with ``only()``."""
    with connection.cursor() as cursor:
        cursor.execute(_token_sql(), [token])
        row = cursor.fetchone()
    if row is None:
        raise DeskUnavailable("unknown")
    (
        token_id,
        token_open,
        desk_id,
        unit_id,
        staff_id,
        kind,
        name,
        location,
        active,
        unit_code,
        unit_name,
        unit_open,
        ho,
        dem,
        ten,
    ) = row
    if not token_open:
        raise DeskUnavailable("revoked")
    if not active or not unit_open:
        raise DeskUnavailable("inactive")
    unit = _partial(Unit, id=unit_id, code=unit_code, name=unit_name, valid_to=None)
    official = None if staff_id is None else _partial(Staff, id=staff_id, ho=ho, dem=dem, ten=ten)
    desk = _partial(
        ServicePoint,
        id=desk_id,
        unit_id=unit_id,
        staff_id=staff_id,
        kind=kind,
        name=name,
        location=location,
        is_active=True,
    )
    desk.unit, desk.staff = unit, official
    found = _partial(DeskToken, id=token_id, desk_id=desk_id, token=token, revoked_at=None)
    found.desk = desk
    return found


def desk_for_token(token: str, *, cached: bool = False) -> DeskToken:
    """The token's desk if it takes ratings, else DeskUnavailable. ``cached``: a desk
    looked up in the last minute by this process may be returned without a query; the
    caller must then check that it still takes ratings (``rating_submit`` does)."""
    token = token[:32]
    if cached:
        hit = _TOKENS.get(token)
        if hit is not None and hit[0] > time.monotonic():
            return hit[1]
    if not token:
        raise DeskUnavailable("unknown")
    found = _lookup(token)
    if len(_TOKENS) >= TOKEN_CACHE_SIZE:
        _TOKENS.clear()
    _TOKENS[token] = (time.monotonic() + TOKEN_CACHE_SECONDS, found)
    return found


def _limits() -> rules.Limits:
    return rules.limits_from(getattr(settings, "RATINGS_LIMITS", None))


@dataclass(frozen=True)
class Checks:
    """What one POST must know before it stores anything, read in one statement."""

    existing_id: int | None  # a rating already stored under this key
    token_open: bool  # the token, its desk and its unit still take ratings
    dossier_taken: bool
    recent: rules.Recent


@functools.cache
def _checks_sql(with_dossier: bool, with_phone: bool) -> str:
    q = connection.ops.quote_name
    rating, token = q(Rating._meta.db_table), q(DeskToken._meta.db_table)
    desk, contact = q(ServicePoint._meta.db_table), q(RatingContact._meta.db_table)
    unit = q(Unit._meta.db_table)
    dossier = (
        f"(SELECT COUNT(*) FROM {rating} WHERE dossier_code = %(dossier)s"  # noqa: S608
        " AND NOT (dossier_code = ''))"
        if with_dossier
        else "0"
    )  # NOT (… = ''): the partial unique index's own condition, word for word: SQLite
    # cannot infer it from the equality, nor match it written as <> '' (it scans instead).
    phone = (
        f"(SELECT COUNT(*) FROM {contact} c JOIN {rating} r ON r.id = c.rating_id"  # noqa: S608
        " WHERE c.phone = %(phone)s AND c.created_at >= %(day_ago)s AND r.desk_id = %(desk)s)"
        if with_phone
        else "0"
    )
    return (  # names from the models, values as parameters
        f"SELECT (SELECT id FROM {rating} WHERE {q('key')} = %(key)s), "  # noqa: S608
        f"(SELECT COUNT(*) FROM {token} t JOIN {desk} d ON d.id = t.desk_id"
        f" JOIN {unit} u ON u.id = d.unit_id WHERE t.id = %(token)s AND t.revoked_at IS NULL"
        f" AND d.is_active AND u.valid_to IS NULL), {dossier}, "
        "n.client_day, COALESCE(n.client_hour, 0), COALESCE(n.client_desk_30min, 0), "
        "COALESCE(n.identical_day, 0), "
        f"(SELECT COUNT(*) FROM {rating} WHERE desk_id = %(desk)s"
        f" AND created_at >= %(minute_ago)s AND source = '{RatingSource.QR}'), {phone} "
        "FROM (SELECT COUNT(*) AS client_day,"
        " SUM(CASE WHEN created_at >= %(hour_ago)s THEN 1 ELSE 0 END) AS client_hour,"
        " SUM(CASE WHEN desk_id = %(desk)s AND created_at >= %(half_hour_ago)s"
        " THEN 1 ELSE 0 END) AS client_desk_30min,"
        " SUM(CASE WHEN desk_id = %(desk)s AND content_hash = %(content)s"
        " THEN 1 ELSE 0 END) AS identical_day"
        f" FROM {rating} WHERE network_key = %(network)s AND created_at >= %(day_ago)s) n"
    )  # the client is the address (network_key), whatever the browser says: see ClientInfo


def _checks(
    *,
    key: str,
    desk_token: DeskToken,
    client: ClientInfo,
    content: str,
    phone: str,
    dossier: str,
    now: datetime,
) -> Checks:
    """The key, the token, the dossier and the abuse counts (what this client's address and
    this desk sent recently), in one statement of indexed lookups: a raw SQL text compiled once,
    where the ORM would build seven queries' SQL on every POST."""
    adapt = connection.ops.adapt_datetimefield_value
    params: dict[str, Any] = {
        "key": key,
        "token": desk_token.pk,
        "dossier": dossier,
        "phone": phone,
        "desk": desk_token.desk_id,
        "network": client.network_key,
        "content": content,
        "day_ago": adapt(now - timedelta(hours=24)),
        "hour_ago": adapt(now - timedelta(hours=1)),
        "half_hour_ago": adapt(now - timedelta(minutes=30)),
        "minute_ago": adapt(now - timedelta(minutes=1)),
    }
    with connection.cursor() as cursor:
        cursor.execute(_checks_sql(bool(dossier), bool(phone)), params)
        row = cursor.fetchone()
    counts = dict(
        zip(
            (
                "client_day",
                "client_hour",
                "client_desk_30min",
                "identical_day",
                "desk_minute",
                "phone_desk_day",
            ),
            (int(value) for value in row[3:]),
            strict=True,
        )
    )
    return Checks(
        existing_id=row[0],
        token_open=bool(row[1]),
        dossier_taken=bool(row[2]),
        recent=rules.Recent(**counts),
    )


def _store(rating: Rating, phone: str, now: datetime) -> None:
    """Write the rating, its phone and its tallies, all or nothing. On PostgreSQL that is one
    statement (the rating INSERT, with the phone and the tallies as data-modifying WITH
    queries): one round trip, and no BEGIN/COMMIT around it. SQLite, which has no such
    WITH, runs the same writes in one transaction."""
    counted = rating.status == RatingStatus.COUNTED
    if connection.vendor != "postgresql":
        with transaction.atomic():
            insert_one(rating)
            if phone:
                RatingContact.objects.create(rating=rating, phone=phone, created_at=now)
            if counted:
                tallies_add([rating])
        return
    insert_sql, params = insert_one_statement(rating)
    rows = tally_rows([rating]) if counted else []
    parts = [f"WITH new_rating AS ({insert_sql})"]
    if phone:
        contact = connection.ops.quote_name(RatingContact._meta.db_table)
        parts.append(
            f", new_contact AS (INSERT INTO {contact} (rating_id, phone, created_at)"  # noqa: S608
            " SELECT id, %s, %s FROM new_rating)"
        )
        params += [phone, now]
    if rows:
        parts.append(f", new_tallies AS ({upsert_sql(len(rows))})")
        params += [value for row in rows for value in row]
    parts.append(" SELECT id FROM new_rating")
    # Inside a caller's transaction the statement gets a savepoint: a unique violation must
    # leave that transaction usable, as the ORM's writes do.
    savepoint = transaction.atomic() if connection.in_atomic_block else nullcontext()
    with savepoint, connection.cursor() as cursor:
        cursor.execute("".join(parts), params)
        inserted(rating, cursor.fetchone()[0])


def _replay(existing: Rating, payload: str) -> Submission:
    if existing.payload_hash != payload:
        raise KeyConflict(_(MSG_KEY_REUSED))
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

    ``desk_token``: the result of ``desk_for_token(token)`` (perhaps cached) when the
    caller (the public page) has looked it up, to save the second lookup; whether the
    token still takes ratings is checked in the same statement as the key, the dossier
    and the abuse counts.
    """
    now = now or timezone.now()
    if desk_token is None or desk_token.token != token[:32]:
        desk_token = desk_for_token(token)
    desk = desk_token.desk
    if not rules.valid_key(key):
        raise ValidationError({"key": [_(MSG_KEY)]})
    clean, errors = rules.check_rating(
        score=score, answers=answers, reason=reason, phone=phone, dossier=dossier
    )
    if errors:
        raise ValidationError(errors)
    assert clean is not None
    payload, content = hashes(desk.pk, desk.staff_id, desk.unit_id, clean)
    full_key = f"qr:{key}"
    checks = _checks(
        key=full_key,
        desk_token=desk_token,
        client=client,
        content=content,
        phone=clean.phone,
        dossier=clean.dossier,
        now=now,
    )
    if checks.existing_id is not None:
        return _replay(Rating.objects.get(pk=checks.existing_id), payload)
    if not checks.token_open:
        desk_for_token(token)  # raises DeskUnavailable with the reason
        raise DeskUnavailable("inactive")  # changed between the two reads
    if checks.dossier_taken:
        raise ValidationError({"dossier": [_(MSG_DOSSIER_TAKEN)]})
    decision = rules.abuse_decision(checks.recent, _limits())
    if decision.refusal:
        raise RatingRefused(decision.refusal)
    yes, no = rules.conduct_masks(clean.answers)
    rating = Rating(
        key=full_key,
        payload_hash=payload,
        content_hash=content,
        source=RatingSource.QR,
        desk=desk,
        desk_token=desk_token,
        unit_id=desk.unit_id,
        staff_id=desk.staff_id,
        created_at=now,
        rated_at=now,
        day=timezone.localdate(now),
        score=clean.score,
        conduct_yes=yes,
        conduct_no=no,
        reason=clean.reason,
        dossier_code=clean.dossier,
        status=RatingStatus.FLAGGED if decision.flags else RatingStatus.COUNTED,
        flags=",".join(decision.flags),
        client_key=client.client_key,
        network_key=client.network_key,
    )
    try:
        _store(rating, clean.phone, now)
    except IntegrityError:
        # A concurrent replay of the same key, or the same dossier, won the race: the
        # whole transaction was rolled back.
        existing = Rating.objects.filter(key=full_key).first()
        if existing is not None:
            return _replay(existing, payload)
        raise ValidationError({"dossier": [_(MSG_DOSSIER_TAKEN)]}) from None
    return Submission(rating, created=True)
