"""A one-stop system's bulk push (the API): up to 1,000 ratings, idempotent by its ids."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from congvu.core import permissions
from congvu.core.audit import audit_record
from congvu.core.permissions import Action
from congvu.organisations.models import Membership, Staff, Unit
from congvu.ratings import rules
from congvu.ratings.models import (
    Rating,
    RatingSource,
    RatingStatus,
    ServicePoint,
)
from congvu.ratings.services.common import (
    MAX_BATCH,
    MSG_DOSSIER_TAKEN,
    MSG_KEY_REUSED,
    hashes,
    in_scope,
    user_or_none,
)
from congvu.ratings.tallies import tallies_add

if TYPE_CHECKING:
    from congvu.accounts.models import User


@dataclass(frozen=True)
class IngestItem:
    """One rating pushed by a one-stop system: ``id`` is the system's own id for it."""

    id: str
    score: int
    unit: str = ""  # unit code; or
    desk: int | None = None  # a service point id (its unit and official)
    staff: str = ""  # the official's code, optional
    conduct: dict[str, object] = field(default_factory=dict)
    reason: str = ""
    dossier: str = ""
    rated_at: datetime | None = None


@dataclass(frozen=True)
class ItemResult:
    id: str
    status: str  # "created" | "existing" | "rejected"
    rating_id: int | None = None
    errors: tuple[str, ...] = ()


MSG_NO_UNIT = "Không tìm thấy đơn vị «{code}» trong phạm vi của khóa API này."
MSG_NO_DESK = "Không tìm thấy điểm đánh giá số {desk} trong phạm vi của khóa API này."
MSG_NO_STAFF = "Không tìm thấy cán bộ «{code}» công tác tại đơn vị vào ngày đánh giá."
MSG_WHERE = "Cần cho biết đơn vị (unit) hoặc điểm đánh giá (desk)."
MSG_DESK_MISMATCH = "Điểm đánh giá {desk} không thuộc đơn vị hoặc cán bộ đã nêu."
MSG_FUTURE = "Thời điểm đánh giá ở tương lai."
MSG_TOO_OLD = "Thời điểm đánh giá quá cũ (chỉ nhận trong vòng 366 ngày)."
MSG_UNIT_CLOSED = "Đơn vị không hoạt động vào ngày đánh giá."
MSG_DUP_IN_BATCH = "Mã «{id}» lặp lại trong cùng lô với nội dung khác."
MSG_DUP_DOSSIER_BATCH = "Mã hồ sơ lặp lại trong cùng lô."
MSG_ID = "Mã đánh giá (id) phải có 1–64 ký tự, không có ký tự điều khiển."


@dataclass
class _Pending:
    index: int
    item: IngestItem
    errors: list[str] = field(default_factory=list)
    rating: Rating | None = None
    result: ItemResult | None = None
    repeat_of: _Pending | None = None  # the same id earlier in the batch, same content


def ratings_ingest(
    *, actor: User, items: Sequence[IngestItem], now: datetime | None = None
) -> list[ItemResult]:
    """Store a batch of up to 1,000 ratings from a one-stop system, idempotent by the
    system's own ids (unique per system account). Each item is checked on its own; the
    results come back in the order of ``items``. The actor's DESK_MANAGE scope bounds the
    units it may push for. One transaction for the batch; one audit record."""
    if len(items) > MAX_BATCH:
        raise ValidationError(f"Mỗi lần gửi tối đa {MAX_BATCH} đánh giá.")
    scope = permissions.unit_scope(actor, Action.DESK_MANAGE)
    if not scope:
        raise PermissionDenied
    now = now or timezone.now()
    for attempt in range(3):
        try:
            return _ingest_once(actor, items, scope, now)
        except IntegrityError:
            # Another request stored some of these keys or dossiers meanwhile: look again.
            if attempt == 2:
                raise
    raise AssertionError("unreachable")


def _ingest_once(
    actor: User, items: Sequence[IngestItem], scope: frozenset[int], now: datetime
) -> list[ItemResult]:
    pending = [_Pending(i, item) for i, item in enumerate(items)]
    units, desks, staff, members = _resolve(pending)
    for p in pending:
        _check_item(p, actor, scope, now, units, desks, staff, members)
    _dedupe(pending)
    fresh = [
        p
        for p in pending
        if p.rating is not None and p.result is None and p.repeat_of is None and not p.errors
    ]
    with transaction.atomic():
        # The ignores: every fresh item, and every item repeated, has its rating.
        created = Rating.objects.bulk_create([p.rating for p in fresh], batch_size=500)  # type: ignore[misc]
        tallies_add(created)
        for p in fresh:
            p.result = ItemResult(p.item.id, "created", p.rating.pk)  # type: ignore[union-attr]
        for p in pending:
            if p.repeat_of is not None:
                p.result = ItemResult(p.item.id, "existing", p.repeat_of.rating.pk)  # type: ignore[union-attr]
        results = [
            p.result or ItemResult(p.item.id, "rejected", errors=tuple(p.errors)) for p in pending
        ]
        audit_record(
            actor=actor,
            action="ratings.ingest",
            created=len(fresh),
            existing=sum(r.status == "existing" for r in results),
            rejected=sum(r.status == "rejected" for r in results),
        )
    return results


def _resolve(
    pending: list[_Pending],
) -> tuple[
    dict[str, list[Unit]], dict[int, ServicePoint], dict[str, Staff], dict[int, list[Membership]]
]:
    codes = {p.item.unit.strip().upper() for p in pending if p.item.unit}
    units: dict[str, list[Unit]] = {}
    for unit in Unit.objects.filter(code__in=codes):
        units.setdefault(unit.code, []).append(unit)
    desk_ids = {p.item.desk for p in pending if p.item.desk is not None}
    desks = {d.pk: d for d in ServicePoint.objects.select_related("unit").filter(pk__in=desk_ids)}
    staff_codes = {p.item.staff.strip().upper() for p in pending if p.item.staff}
    staff = {s.code.upper(): s for s in Staff.objects.filter(code__in=staff_codes)}
    members: dict[int, list[Membership]] = {}
    for m in Membership.objects.filter(staff__in=staff.values()):
        members.setdefault(m.staff_id, []).append(m)
    return units, desks, staff, members


def _unit_on(candidates: list[Unit], day: date) -> Unit | None:
    for unit in candidates:
        if unit.valid_from <= day and (unit.valid_to is None or day < unit.valid_to):
            return unit
    return candidates[0] if candidates else None


def _check_item(
    p: _Pending,
    actor: User,
    scope: frozenset[int],
    now: datetime,
    units: dict[str, list[Unit]],
    desks: dict[int, ServicePoint],
    staff: dict[str, Staff],
    members: dict[int, list[Membership]],
) -> None:
    item = p.item
    if not item.id or len(item.id) > 64 or any(ord(ch) < 32 for ch in item.id):
        p.errors.append(MSG_ID)
        return
    rated_at = item.rated_at or now
    if timezone.is_naive(rated_at):
        rated_at = timezone.make_aware(rated_at)
    day = timezone.localdate(rated_at)
    if rated_at > now + timedelta(minutes=5):
        p.errors.append(MSG_FUTURE)
    elif rated_at < now - timedelta(days=366):
        p.errors.append(MSG_TOO_OLD)
    desk = unit = person = None
    if item.desk is not None:
        desk = desks.get(item.desk)
        if desk is None or not in_scope(scope, desk.unit_id):
            p.errors.append(MSG_NO_DESK.format(desk=item.desk))
            return
        unit = desk.unit
    if item.unit:
        code = item.unit.strip().upper()
        found = _unit_on(units.get(code, []), day)
        if found is None or not in_scope(scope, found.pk):
            p.errors.append(MSG_NO_UNIT.format(code=item.unit[:40]))
            return
        if unit is not None and found.pk != unit.pk:
            p.errors.append(MSG_DESK_MISMATCH.format(desk=item.desk))
            return
        unit = found
    if unit is None:
        p.errors.append(MSG_WHERE)
        return
    if not (unit.valid_from <= day and (unit.valid_to is None or day < unit.valid_to)):
        p.errors.append(MSG_UNIT_CLOSED)
    if item.staff:
        person = staff.get(item.staff.strip().upper())
        if person is None:
            p.errors.append(MSG_NO_STAFF.format(code=item.staff[:40]))
        elif desk is not None and desk.staff_id is not None:
            if desk.staff_id != person.pk:
                p.errors.append(MSG_DESK_MISMATCH.format(desk=item.desk))
        elif not _served_at(members.get(person.pk, []), unit.pk, day):
            p.errors.append(MSG_NO_STAFF.format(code=item.staff[:40]))
    elif desk is not None and desk.staff_id is not None:
        person = desk.staff
    clean, errors = rules.check_rating(
        score=item.score, answers=item.conduct, reason=item.reason, phone="", dossier=item.dossier
    )
    for messages in errors.values():
        p.errors += messages
    if p.errors:
        return
    assert clean is not None
    staff_id = person.pk if person else None
    # The given moment, not the default "now": a replay without one must match itself.
    payload, content = hashes(desk.pk if desk else None, staff_id, unit.pk, clean, item.rated_at)
    yes, no = rules.conduct_masks(clean.answers)
    p.rating = Rating(
        key=f"api:{actor.pk}:{item.id}",
        payload_hash=payload,
        content_hash=content,
        source=RatingSource.API,
        desk=desk,
        unit=unit,
        staff_id=staff_id,
        submitted_by=user_or_none(actor),
        created_at=now,
        rated_at=rated_at,
        day=day,
        score=clean.score,
        conduct_yes=yes,
        conduct_no=no,
        reason=clean.reason,
        dossier_code=clean.dossier,
        status=RatingStatus.COUNTED,
    )


def _served_at(memberships: list[Membership], unit_id: int, day: date) -> bool:
    """The official worked at the unit on the day of the rating."""
    return any(
        m.unit_id == unit_id and m.valid_from <= day and (m.valid_to is None or day < m.valid_to)
        for m in memberships
    )


def _dedupe(pending: list[_Pending]) -> None:
    """Replays (same id, same content) answer "existing"; a changed replay is an error;
    a dossier rates once, in the database and within the batch."""
    candidates = [p for p in pending if p.rating is not None and not p.errors]
    # The ignores below: every candidate, and so every first_of entry, has its rating.
    stored = {
        r.key: r
        for r in Rating.objects.filter(key__in=[p.rating.key for p in candidates]).only(  # type: ignore[union-attr]
            "id", "key", "payload_hash"
        )
    }
    dossiers = {p.rating.dossier_code for p in candidates if p.rating.dossier_code}  # type: ignore[union-attr]
    taken = set(  # exclude(""): lets SQLite use the partial unique index (see public.py)
        Rating.objects.filter(dossier_code__in=dossiers)
        .exclude(dossier_code="")
        .values_list("dossier_code", flat=True)
    )
    first_of: dict[str, _Pending] = {}
    batch_dossiers: set[str] = set()
    for p in candidates:
        rating: Rating = p.rating  # type: ignore[assignment]
        previous = stored.get(rating.key)
        if previous is not None:
            if previous.payload_hash == rating.payload_hash:
                p.result = ItemResult(p.item.id, "existing", previous.pk)
            else:
                p.errors.append(MSG_KEY_REUSED)
        elif (first := first_of.get(rating.key)) is not None:
            if first.rating.payload_hash == rating.payload_hash:  # type: ignore[union-attr]
                p.repeat_of = first
            else:
                p.errors.append(MSG_DUP_IN_BATCH.format(id=p.item.id[:64]))
        elif rating.dossier_code in taken:
            p.errors.append(MSG_DOSSIER_TAKEN)
        elif rating.dossier_code and rating.dossier_code in batch_dossiers:
            p.errors.append(MSG_DUP_DOSSIER_BATCH)
        else:
            first_of[rating.key] = p
            batch_dossiers.add(rating.dossier_code)
