"""Scoped reads of violations and recommendations, and the statistics (the check inside the
query; a constant number of queries whatever the number of rows)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import Count, F, Max, Q, QuerySet
from django.db.models.functions import ExtractMonth

from congvu.core import permissions
from congvu.core.permissions import Action
from congvu.organisations import rules as org_rules
from congvu.organisations.graph import org_graph
from congvu.violations import rules
from congvu.violations.access import RECOMMENDATION, VIOLATION
from congvu.violations.models import Recommendation, Violation

STANDARD_CATALOGUES = ("vhcs", "vhcv")
"""QĐ 129/2007's and QĐ 1847's standards: what inspections check and violations name."""


def standard_choices(day: date) -> list[Any]:
    """The leaf criteria of the standards catalogues in force on ``day``, in reading order."""
    from congvu.standards.selectors import version_in_force

    found: list[Any] = []
    for code in STANDARD_CATALOGUES:
        version = version_in_force(code=code, day=day)
        if version is not None:
            found.extend(version.criteria.filter(children__isnull=True).order_by("order"))
    return found


def violation_list_for_user(*, user: Any) -> QuerySet[Violation]:
    rows = Violation.objects.select_related("unit", "staff")
    return VIOLATION.filter(user, Action.DISCIPLINE_VIEW, rows)


def violation_get_for_user(*, user: Any, pk: Any) -> Violation | None:
    return permissions.first_by_pk(violation_list_for_user(user=user), pk)


def recommendation_list_for_user(*, user: Any) -> QuerySet[Recommendation]:
    """Recommendations over a violation's unit or the responsible unit in the user's scope."""
    rows = Recommendation.objects.select_related("violation__unit", "responsible_unit")
    return RECOMMENDATION.filter(user, Action.DISCIPLINE_VIEW, rows)


def recommendation_get_for_user(*, user: Any, pk: Any) -> Recommendation | None:
    return permissions.first_by_pk(recommendation_list_for_user(user=user), pk)


def overdue_recommendations(*, today: date) -> QuerySet[Recommendation]:
    """Open remedies past their due day (for the reminders and the overdue list)."""
    return Recommendation.objects.filter(state=rules.OPEN, due_on__lt=today).select_related(
        "responsible_unit", "violation"
    )


# --- Statistics --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Statistics:
    """Violations in the scope for a year: by standard, by unit (rolled up to the children of
    ``root``, through the organisation's history), by month and by source; and the timeliness
    of their remedies."""

    year: int
    root: int | None
    total: int
    by_standard: list[rules.Count]
    by_unit: list[rules.Count]
    by_month: list[rules.Count]
    by_source: list[rules.Count]
    remedies: dict[str, int]
    coverage: tuple[int, int, float]  # units inspected this year, of the units under the root


def stats_roots(user: Any, day: date) -> list[int]:
    """The units whose children the statistics show at first: the top of the user's
    ``violation.stats`` scope (the roots of the organisation for an administrator)."""
    scope = permissions.unit_scope(user, Action.VIOLATION_STATS)
    current = org_graph().as_of(day)
    if scope is permissions.EVERYTHING:
        return sorted(u for u, row in current.items() if row.parent_id is None)
    return sorted(u for u in scope if u in current and (current[u].parent_id not in scope))


def _rolled_to_children(
    root: int | None, day: date
) -> tuple[dict[int, int | None], dict[int, str]]:
    """Each unit (and each ended unit living on in one) → the child of ``root`` it is under
    (or ``root`` itself); their names."""
    graph = org_graph()
    current = graph.as_of(day)
    children = org_rules.children_map(current).get(root, [])
    ancestor: dict[int, int | None] = {}
    labels: dict[int, str] = {}
    scopes = graph.scopes(children, subtree=True, day=day)  # the graph read once, not per child
    for child in children:
        labels[child] = current[child].name
        for unit_id in scopes[child]:
            ancestor[unit_id] = child
    if root is not None:
        labels[root] = current[root].name if root in current else str(root)
        for unit_id in graph.scope(root, subtree=False, day=day):
            ancestor.setdefault(unit_id, root)
    return ancestor, labels


def _units_only(rows: QuerySet[Violation], ids: Iterable[int]) -> QuerySet[Violation]:
    """``rows`` at the units ``ids``, with the shorter list: the ids, or the units outside
    them. The whole province is ~2,000 ids and the five queries each carried them (~35 ms
    a query to build and send on PostgreSQL); the units outside it are a handful. Units made
    after the graph was read (higher ids) stay out."""
    wanted = set(ids)
    known = {version.unit_id for version in org_graph().versions}
    outside = known - wanted
    if not known or len(wanted) <= len(outside):
        return rows.filter(unit_id__in=sorted(wanted))
    rows = rows.filter(unit_id__lte=max(known))
    return rows.exclude(unit_id__in=sorted(outside)) if outside else rows


def statistics_for_user(
    *, user: Any, year: int, day: date, root: int | None = None, source: str = ""
) -> Statistics | None:
    """The statistics of ``year`` over the user's ``violation.stats`` scope, broken down under
    ``root`` (one of the user's roots or a unit under them; None: the first root). None when
    the user has no such right or ``root`` is outside the scope."""
    if not permissions.may(user, Action.VIOLATION_STATS):
        return None
    roots = stats_roots(user, day)
    if root is None:
        root = roots[0] if roots else None
    scope = permissions.unit_scope(user, Action.VIOLATION_STATS)
    if root is not None and scope is not permissions.EVERYTHING and root not in scope:
        return None
    rows = Violation.objects.filter(found_on__year=year, withdrawn_at__isnull=True)
    if root is not None:
        rows = _units_only(rows, org_graph().scope(root, subtree=True, day=day))
    elif scope is not permissions.EVERYTHING:
        rows = _units_only(rows, scope)
    if source in rules.SOURCES:
        rows = rows.filter(source=source)
    by_standard = [
        rules.Count(r["standard_code"], r["text"], r["n"])
        for r in rows.values("standard_code")
        .annotate(n=Count("id"), text=Max("standard_text"))
        .order_by("-n", "standard_code")
    ]
    per_unit = {r["unit_id"]: r["n"] for r in rows.values("unit_id").annotate(n=Count("id"))}
    ancestor, labels = _rolled_to_children(root, day)
    by_unit = rules.rollup(per_unit, ancestor, labels)
    by_month = [
        rules.Count(str(r["m"]), f"{r['m']:02d}/{year}", r["n"])
        for r in rows.annotate(m=ExtractMonth("found_on"))
        .values("m")
        .annotate(n=Count("id"))
        .order_by("m")
    ]
    by_source = [
        rules.Count(r["source"], rules.SOURCE_NAMES.get(r["source"], r["source"]), r["n"])
        for r in rows.values("source").annotate(n=Count("id")).order_by("-n", "source")
    ]
    remedies = Recommendation.objects.filter(violation__in=rows).aggregate(
        total=Count("id"),
        verified_on_time=Count("id", filter=Q(state=rules.VERIFIED, reported_on__lte=F("due_on"))),
        open_overdue=Count("id", filter=Q(state=rules.OPEN, due_on__lt=day)),
        reported_late=Count("id", filter=Q(reported_on__gt=F("due_on"))),
    )
    return Statistics(
        coverage=_coverage(root, scope, year, day),
        year=year,
        root=root,
        total=sum(per_unit.values()),
        by_standard=by_standard,
        by_unit=by_unit,
        by_month=by_month,
        by_source=by_source,
        remedies=remedies,
    )


def _coverage(root: int | None, scope: Any, year: int, day: date) -> tuple[int, int, float]:
    """The share of the units existing today under ``root`` (or in the scope) that an
    inspection started in ``year`` reached (one query; an inspection of a unit ended since
    is not counted for its successor)."""
    from congvu.inspections.models import Inspection

    graph = org_graph()
    current = set(graph.as_of(day))
    if root is not None:
        pool = set(graph.scope(root, subtree=True, day=day)) & current
    elif scope is permissions.EVERYTHING:
        pool = current
    else:
        pool = set(scope) & current
    inspected = set(
        Inspection.objects.filter(started_at__year=year).values_list("unit_id", flat=True)
    )
    return rules.coverage(inspected, pool)
