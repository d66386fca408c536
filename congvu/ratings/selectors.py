"""Reads over desks, ratings and the satisfaction index, scoped by the permission module.

Indexes come from the tallies (RatingTally), never the ratings themselves: a year from
one yearly row per unit, a quarter or a month from the monthly rows. A unit's figures roll up its subtree today and the
units that ended into it (organisations.rules.scope_closure via ``org_graph().scope``),
so a merged unit's index includes its predecessors' ratings. The number of queries does
not depend on the number of units: closures come from the cached organisation graph and
each table is one GROUP BY.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from django.conf import settings
from django.core.cache import cache
from django.db.models import Case, Count, IntegerField, QuerySet, Value, When
from django.utils import timezone, translation

from congvu.core import permissions
from congvu.core.labels import translated
from congvu.core.permissions import EVERYTHING, Action
from congvu.core.text import sort_key
from congvu.organisations import rules as org_rules
from congvu.organisations.graph import org_graph
from congvu.organisations.models import Staff
from congvu.ratings import labels, rules
from congvu.ratings.access import DESK, RATING, rating_check_call_back
from congvu.ratings.models import (
    TALLY_COLUMNS,
    DeskToken,
    Grain,
    Level,
    Rating,
    RatingStatus,
    RatingTally,
    ServicePoint,
)
from congvu.ratings.tallies import sums, tally_from_values

IN_LIST_MAX = 900
"""Above this many units the tally query reads the whole period and filters in Python:
one range scan instead of a huge IN list (and SQLite's parameter limit)."""


# --- Desks -----------------------------------------------------------------------------


def desk_list_for_user(*, user, action: Action = Action.DESK_MANAGE) -> QuerySet[ServicePoint]:
    qs = ServicePoint.objects.select_related("unit", "staff")
    return DESK.filter(user, action, qs).order_by(
        "unit__sort_key", "unit_id", "-is_active", "name", "id"
    )


def desk_get_for_user(*, user, pk: int) -> ServicePoint | None:
    return permissions.first_by_pk(desk_list_for_user(user=user), pk)


def desk_current_token(*, desk: ServicePoint) -> DeskToken | None:
    return desk.tokens.filter(revoked_at__isnull=True).first()


def desk_tokens(*, desk: ServicePoint) -> list[DeskToken]:
    return list(desk.tokens.select_related("issued_by", "revoked_by").order_by("-issued_at"))


@dataclass(frozen=True)
class LowRating:
    rating: Rating
    phone: str  # in full for whoever calls back (access.rating_check_call_back), else masked
    full: bool  # whether ``phone`` is the whole number


def _phone_for(user, rating: Rating) -> LowRating:
    contact = getattr(rating, "contact", None)
    if contact is None:
        return LowRating(rating, "", False)
    full = rating_check_call_back(user, rating)
    return LowRating(rating, contact.phone if full else rules.mask_phone(contact.phone), full)


def desk_recent_low(*, user, desk: ServicePoint, limit: int = 20) -> list[LowRating]:
    """The latest ratings at 3 stars or below, with reasons and any phone left for follow-up:
    in full only for whoever calls back, masked for everyone else who sees the desk."""
    rows = (
        Rating.objects.filter(desk=desk, score__lte=rules.REASON_REQUIRED_AT_OR_BELOW)
        .select_related("contact")
        .order_by("-created_at", "-id")[:limit]
    )
    return [_phone_for(user, rating) for rating in rows]


def follow_up_for_user(*, user) -> QuerySet[Rating]:
    """Ratings at 3 stars or below that left a phone number, on units the user calls back
    for (RATING_FOLLOW_UP), never those about the user; newest first. Numbers are deleted
    after ``services.CONTACT_DAYS``, so the list holds only what may still be called."""
    qs = Rating.objects.filter(
        score__lte=rules.REASON_REQUIRED_AT_OR_BELOW, contact__isnull=False
    ).select_related("contact", "desk", "unit", "staff")
    return RATING.filter(user, Action.RATING_FOLLOW_UP, qs).order_by("-created_at", "-id")


def units_for_desks(*, user) -> list[tuple[int, str]]:
    """(id, name) of the current units where the user may set up desks, by name."""
    today = timezone.localdate()
    current = org_graph().as_of(today)
    scope = permissions.unit_scope(user, Action.DESK_MANAGE)
    ids = current if scope is EVERYTHING else [u for u in scope if u in current]
    rows = [(unit_id, current[unit_id].name) for unit_id in ids]
    rows.sort(key=lambda row: sort_key(row[1]))
    return rows


def flagged_for_user(*, user) -> QuerySet[Rating]:
    qs = Rating.objects.filter(status=RatingStatus.FLAGGED).select_related("desk", "unit", "staff")
    return permissions.filter_by_unit_field(user, Action.DESK_MANAGE, qs, "unit_id").order_by(
        "-created_at", "-id"
    )


def flagged_count_for_user(*, user) -> int:
    """How many flagged ratings await the user's review: counted per unit in SQL (one row
    per unit with any), the units kept by the permission module; a long IN list of the
    user's units would cost more to build than the count."""
    per_unit = dict(
        Rating.objects.filter(status=RatingStatus.FLAGGED)
        .values("unit_id")
        .annotate(n=Count("id"))
        .values_list("unit_id", "n")
        .order_by()
    )
    kept = permissions.scoped_unit_ids(user, Action.DESK_MANAGE, per_unit)
    return sum(per_unit[unit_id] for unit_id in kept)


# --- Tallies ---------------------------------------------------------------------------


def _grain(period: rules.Period) -> str:
    """A year is read from its one yearly row, a quarter or a month from the months."""
    return Grain.YEAR if period.kind == "year" else Grain.MONTH


def _key_filter(
    qs: QuerySet, ids: set[int] | None, outside: set[int] | None
) -> tuple[QuerySet, bool]:
    """Restrict to ``ids`` with the shorter of the two lists: the ids themselves, or the
    keys ``outside`` them (every other key that can have tallies). Returns the query and
    whether it is restricted exactly; when both lists are too long (or ``ids`` is None) the
    query is left whole, and the caller keeps its keys in Python."""
    if ids is not None and len(ids) <= IN_LIST_MAX:
        return qs.filter(key_id__in=sorted(ids)), True
    if ids is not None and outside is not None and len(outside) <= IN_LIST_MAX:
        return (qs.exclude(key_id__in=sorted(outside)) if outside else qs), True
    return qs, False


def _tallies(
    level: str,
    ids: Iterable[int] | None,
    period: rules.Period,
    previous: rules.Period,
    outside: set[int] | None = None,
) -> tuple[dict[int, rules.Tally], dict[int, rules.Tally]]:
    """Per key: (tally over ``period``, tally over ``previous``), in one GROUP BY (none
    for a year: its rows are read as they are)."""
    qs = RatingTally.objects.filter(
        grain=_grain(period), level=level, period__gte=previous.start, period__lt=period.end
    )
    wanted = None if ids is None else set(ids)
    qs, exact = _key_filter(qs, wanted, outside)
    if exact:
        wanted = None  # nothing left to drop in Python
    columns = ("key_id", "cur", *TALLY_COLUMNS)
    current_flag = Case(
        When(period__gte=period.start, then=Value(1)), default=Value(0), output_field=IntegerField()
    )
    if period.kind == "year":
        rows = qs.annotate(cur=current_flag).values_list(*columns).order_by()
    else:
        rows = qs.annotate(cur=current_flag).values("key_id", "cur").annotate(**sums())
        rows = rows.values_list(*columns).order_by()
    now: dict[int, rules.Tally] = {}
    before: dict[int, rules.Tally] = {}
    for row in rows:
        if wanted is not None and row[0] not in wanted:
            continue
        (now if row[1] else before)[row[0]] = tally_from_values(row[2:])
    return now, before


def _monthly(
    level: str, ids: set[int], period: rules.Period, outside: set[int] | None = None
) -> dict[date, rules.Tally]:
    """Per month of ``period``: the tally of the keys ``ids``, summed in SQL when the ids
    (or the keys outside them) make a short list."""
    qs = RatingTally.objects.filter(
        grain=Grain.MONTH, level=level, period__gte=period.start, period__lt=period.end
    )
    restricted, exact = _key_filter(qs, ids, outside)
    if exact:
        rows = restricted.values("period").annotate(**sums()).values_list("period", *TALLY_COLUMNS)
        return {row[0]: tally_from_values(row[1:]) for row in rows.order_by("period")}
    by_month: dict[date, list[rules.Tally]] = defaultdict(list)
    rows = qs.values("period", "key_id").annotate(**sums())
    for row in rows.values_list("period", "key_id", *TALLY_COLUMNS).order_by():
        if row[1] in ids:
            by_month[row[0]].append(tally_from_values(row[2:]))
    return {month: rules.tally_sum(found) for month, found in by_month.items()}


@dataclass(frozen=True)
class Figures:
    """An index over a period, the previous period's, and the change in satisfied share."""

    index: rules.SatisfactionIndex
    previous: rules.SatisfactionIndex

    @property
    def trend(self) -> Decimal | None:
        return rules.trend(self.index.satisfied, self.previous.satisfied)

    @property
    def mean_trend(self) -> Decimal | None:
        return rules.trend(self.index.mean, self.previous.mean)


def _figures(now: rules.Tally, before: rules.Tally) -> Figures:
    return Figures(rules.satisfaction_index(now), rules.satisfaction_index(before))


def _sum_over(tallies: dict[int, rules.Tally], ids: Iterable[int]) -> rules.Tally:
    return rules.tally_sum(tallies[i] for i in ids if i in tallies)


# --- The dashboard -----------------------------------------------------------------------


@dataclass
class UnitRow:
    unit_id: int
    name: str
    figures: Figures
    drill: bool  # has units under it today: the name links one level down


@dataclass
class ItemRow:
    code: str
    label: str
    group: str
    rate: Decimal | None
    previous: Decimal | None

    @property
    def trend(self) -> Decimal | None:
        return rules.trend(self.rate, self.previous)


@dataclass
class GroupRow:
    label: str
    rate: Decimal | None
    previous: Decimal | None
    items: list[ItemRow]

    @property
    def trend(self) -> Decimal | None:
        return rules.trend(self.rate, self.previous)


def conduct_rows(figures: Figures) -> list[GroupRow]:
    """The three groups of «4 xin, 4 luôn, 3 không» with their items, now and before."""
    now, before = figures.index, figures.previous
    items = translated(labels.ITEM_NAMES)
    return [
        GroupRow(
            label,
            now.groups[group],
            before.groups[group],
            [
                ItemRow(i.code, items[i.code], i.group, now.items[i.code], before.items[i.code])
                for i in rules.CONDUCT_ITEMS
                if i.group == group
            ],
        )
        for group, label in translated(labels.GROUP_NAMES).items()
    ]


@dataclass
class DeskRow:
    desk: ServicePoint
    figures: Figures


@dataclass
class Dashboard:
    period: rules.Period
    previous: rules.Period
    root_id: int | None
    root_name: str
    breadcrumbs: list[tuple[int, str]]
    total: Figures
    rows: list[UnitRow]
    direct: Figures | None  # the root's own desks and its ended predecessors
    conduct: list[GroupRow]
    months: list[tuple[rules.Period, rules.SatisfactionIndex]]
    desks: list[DeskRow] = field(default_factory=list)
    officials: list[tuple[Staff, Figures]] = field(default_factory=list)
    computed_at: datetime | None = None
    cache_key: str = ""  # set when kept in the cache: the page caches its body under it


class OutOfScope(Exception):
    """The requested unit is not one the user may see (the view answers 404)."""


def _closure(graph, unit_id: int, today: date, scope) -> frozenset[int]:
    found = graph.scope(unit_id, subtree=True, day=today)
    return found if scope is EVERYTHING else found & scope


def dashboard_cached(
    *, user, period: rules.Period, root_id: int | None = None, action: Action = Action.FEEDBACK_VIEW
) -> Dashboard:
    """``dashboard``, served from the cache for RATINGS_DASHBOARD_CACHE_SECONDS: figures at
    most that old (the page shows when they were computed). The key holds the user's scope
    itself, so users with the same scope share an entry and no one sees another's."""
    seconds = getattr(settings, "RATINGS_DASHBOARD_CACHE_SECONDS", 0)
    scope = permissions.unit_scope(user, action)
    if seconds <= 0 or not scope:
        return dashboard(user=user, period=period, root_id=root_id, action=action)
    signature = (
        "all"
        if scope is EVERYTHING
        else hashlib.sha256(",".join(map(str, sorted(scope))).encode()).hexdigest()[:32]
    )
    key = ":".join(
        (
            "ratings-dashboard",
            str(action),
            signature,
            str(root_id),
            period.slug,
            timezone.localdate().isoformat(),
            translation.get_language() or "",
        )
    )
    found = cache.get(key)
    if found is None:
        found = dashboard(user=user, period=period, root_id=root_id, action=action)
        found.cache_key = key
        cache.set(key, found, seconds)
    return found


def dashboard(
    *, user, period: rules.Period, root_id: int | None = None, action: Action = Action.FEEDBACK_VIEW
) -> Dashboard:
    """The satisfaction dashboard of ``root_id`` (or of the user's top units): one row per
    unit under it with its rolled-up figures, the conduct items, the months, its desks."""
    today = timezone.localdate()
    scope = permissions.unit_scope(user, action)
    if not scope:
        raise OutOfScope
    graph = org_graph()
    current = graph.as_of(today)
    children = org_rules.children_map(current)

    def visible(unit_id: int | None) -> bool:
        return unit_id is not None and (scope is EVERYTHING or unit_id in scope)

    if root_id is None:
        tops = [u for u in current if visible(u) and not visible(current[u].parent_id)]
        if len(tops) == 1:
            root_id = tops[0]
    if root_id is not None:
        if root_id not in current or not visible(root_id):
            raise OutOfScope
        row_ids = [u for u in children.get(root_id, []) if visible(u)]
        total_ids = _closure(graph, root_id, today, scope)
    else:
        row_ids = tops
        total_ids = frozenset().union(*(_closure(graph, u, today, scope) for u in tops))
    closures = {u: _closure(graph, u, today, scope) for u in row_ids}
    previous = period.previous()
    outside = {version.unit_id for version in graph.versions} - total_ids
    now, before = _tallies(Level.UNIT, total_ids, period, previous, outside)
    rows = [
        UnitRow(
            u,
            current[u].name,
            _figures(_sum_over(now, closures[u]), _sum_over(before, closures[u])),
            bool(children.get(u)),
        )
        for u in row_ids
    ]
    rows.sort(key=lambda r: (current[r.unit_id].unit_type, sort_key(r.name)))
    total_now, total_before = _sum_over(now, total_ids), _sum_over(before, total_ids)
    total = _figures(total_now, total_before)
    direct = None
    if root_id is not None:
        own = total_ids - frozenset().union(*closures.values()) if closures else total_ids
        direct = _figures(_sum_over(now, own), _sum_over(before, own))
    monthly = _monthly(Level.UNIT, set(total_ids), period, outside)
    months = [
        (
            rules.Period("month", m.year, m.month),
            rules.satisfaction_index(monthly.get(m, rules.Tally())),
        )
        for m in period.months()
        if m <= today
    ]
    dash = Dashboard(
        period=period,
        previous=previous,
        root_id=root_id,
        root_name=current[root_id].name if root_id else "",
        breadcrumbs=[],
        total=total,
        rows=rows,
        direct=direct,
        conduct=conduct_rows(total),
        months=months,
        computed_at=timezone.now(),
    )
    if root_id is not None:
        dash.breadcrumbs = _breadcrumbs(current, root_id, visible)
        dash.desks, dash.officials = _desks_of(root_id, period, previous)
    return dash


def _breadcrumbs(current, root_id: int, visible) -> list[tuple[int, str]]:
    trail = []
    unit_id = current[root_id].parent_id
    while unit_id is not None and unit_id in current and visible(unit_id):
        trail.append((unit_id, current[unit_id].name))
        unit_id = current[unit_id].parent_id
    return list(reversed(trail))


def _desks_of(unit_id: int, period, previous) -> tuple[list[DeskRow], list[tuple[Staff, Figures]]]:
    desks = list(ServicePoint.objects.filter(unit_id=unit_id).select_related("staff"))
    if not desks:
        return [], []
    now, before = _tallies(Level.DESK, [d.pk for d in desks], period, previous)
    rows = [
        DeskRow(d, _figures(now.get(d.pk, rules.Tally()), before.get(d.pk, rules.Tally())))
        for d in desks
    ]
    rows.sort(key=lambda r: (not r.desk.is_active, sort_key(r.desk.name)))
    officials = {d.staff_id: d.staff for d in desks if d.staff_id}
    staff_now, staff_before = _tallies(Level.STAFF, officials, period, previous)
    people = [
        (person, _figures(staff_now.get(pk, rules.Tally()), staff_before.get(pk, rules.Tally())))
        for pk, person in officials.items()
    ]
    people.sort(key=lambda row: row[0].sort_key)
    return rows, people


def desk_figures(*, desk: ServicePoint, period: rules.Period) -> Figures:
    now, before = _tallies(Level.DESK, [desk.pk], period, period.previous())
    return _figures(now.get(desk.pk, rules.Tally()), before.get(desk.pk, rules.Tally()))


# --- One official ------------------------------------------------------------------------


@dataclass
class StaffFigures:
    period: rules.Period
    figures: Figures
    months: list[tuple[rules.Period, rules.SatisfactionIndex]]
    conduct: list[GroupRow]


def staff_figures(*, staff: Staff, period: rules.Period) -> StaffFigures:
    """An official's index from the ratings of the desks where they serve (all units)."""
    previous = period.previous()
    now, before = _tallies(Level.STAFF, [staff.pk], period, previous)
    figures = _figures(now.get(staff.pk, rules.Tally()), before.get(staff.pk, rules.Tally()))
    monthly = _monthly(Level.STAFF, {staff.pk}, period)
    today = timezone.localdate()
    months = [
        (
            rules.Period("month", m.year, m.month),
            rules.satisfaction_index(monthly.get(m, rules.Tally())),
        )
        for m in period.months()
        if m <= today
    ]
    return StaffFigures(period, figures, months, conduct_rows(figures))


def staff_for_figures(*, user, pk: int) -> Staff | None:
    """The official whose ratings ``user`` may read, the check inside the query: the official
    themself, or whoever may see feedback on the official's unit."""
    qs = Staff.objects.select_related("unit").filter(pk=pk)
    own = getattr(user, "staff_id", None) if getattr(user, "is_active", False) else None
    if own != pk:
        qs = permissions.filter_by_unit_field(
            user, Action.FEEDBACK_VIEW, qs.filter(unit__isnull=False), "unit_id"
        )
    return qs.first()


def staff_figures_visible(*, user, staff: Staff) -> bool:
    """The official themself, or whoever may see feedback on the official's unit."""
    if getattr(user, "staff_id", None) == staff.pk and user.is_active:
        return True
    return staff.unit_id is not None and permissions.can(user, Action.FEEDBACK_VIEW, staff.unit)


# --- The public statistics page -------------------------------------------------------------


@dataclass
class PublicRow:
    unit_id: int
    name: str
    province: str
    figures: Figures

    @property
    def shown(self) -> bool:
        return self.figures.index.count >= rules.PUBLIC_MIN_COUNT


def public_stats(*, period: rules.Period, include: Iterable[int] = ()) -> list[PublicRow]:
    """Every current unit with counted ratings in the period (its own desks and those of the
    units that ended into it), and the current units in ``include`` (figures from other
    apps), grouped by province, by name."""
    today = timezone.localdate()
    graph = org_graph()
    current = graph.as_of(today)
    previous = period.previous()
    now, before = _tallies(Level.UNIT, None, period, previous)
    owners = _history_owners(graph, current)
    rolled_now: dict[int, rules.Tally] = defaultdict(rules.Tally)
    rolled_before: dict[int, rules.Tally] = defaultdict(rules.Tally)
    for source, target in ((now, rolled_now), (before, rolled_before)):
        for unit_id, tally in source.items():
            for owner in owners.get(unit_id, (unit_id,) if unit_id in current else ()):
                target[owner] = target[owner] + tally
    for unit_id in include:
        if unit_id in current and unit_id not in rolled_now:
            rolled_now[unit_id] = rules.Tally()
    rows = []
    for unit_id, tally in rolled_now.items():
        top = _top(current, unit_id)
        rows.append(
            PublicRow(
                unit_id,
                current[unit_id].name,
                current[top].name,
                _figures(tally, rolled_before.get(unit_id, rules.Tally())),
            )
        )
    rows.sort(key=lambda r: (sort_key(r.province), sort_key(r.name)))
    return rows


def _top(current, unit_id: int) -> int:
    seen = set()
    while current[unit_id].parent_id in current and unit_id not in seen:
        seen.add(unit_id)
        unit_id = current[unit_id].parent_id
    return unit_id


def _history_owners(graph, current) -> dict[int, tuple[int, ...]]:
    """For every unit: the current units whose own figures include it (itself if current,
    else the units it ended into through lineage). Only units that are a successor in
    some event can have more than themselves, so only those are expanded."""
    ended = {v.unit_id for v in graph.versions} - set(current)
    owners: dict[int, list[int]] = defaultdict(list)
    heirs = {succ for event in graph.events for succ in event.successors if succ in current}
    for heir in heirs:
        covered = {heir}
        while True:
            grown = org_rules.predecessors_closure(graph.events, covered) & (ended | covered)
            if grown <= covered:
                break
            covered |= grown
        for unit_id in covered - {heir}:
            owners[unit_id].append(heir)
    return {unit_id: tuple(found) for unit_id, found in owners.items()}
