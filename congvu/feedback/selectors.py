"""Reads of reports (findings: ``supervision``), scoped by ``congvu.core.permissions``; public
lookups; the handling statistics the public statistics page shows. Nothing here reads the
reporter's identity: ``services.reporter_contact_reveal`` is its only reader."""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from django.db.models import F, Q, QuerySet
from django.utils import timezone

from congvu.core import permissions
from congvu.core.labels import translated
from congvu.core.permissions import ROLE_ACTIONS, Action
from congvu.core.text import fold, sort_key
from congvu.discipline.models import DisciplineRecord
from congvu.discipline.selectors import discipline_list_for_user
from congvu.feedback import categories, rules
from congvu.feedback.access import REPORT
from congvu.feedback.models import Report
from congvu.organisations import rules as org_rules
from congvu.organisations.graph import org_graph
from congvu.organisations.models import Staff, Unit
from congvu.standards.models import Criterion

PUBLIC_STAFF_LIMIT = 150  # above this a unit's staff are not listed on the public form

# --- Public: units, staff, tracking --------------------------------------------------------


def public_unit_by_code(code: str, *, day: date | None = None) -> Unit | None:
    """The unit with this code existing on ``day`` (today)."""
    day = day or timezone.localdate()
    if not code:
        return None
    for unit in Unit.objects.filter(code=code):
        if org_rules.holds_on(unit.valid_from, unit.valid_to, day):
            return unit
    return None


@dataclass(frozen=True)
class UnitHit:
    code: str
    name: str


def public_unit_search(q: str, *, limit: int = 30) -> tuple[list[UnitHit], int]:
    """Units existing today whose name or code holds every word of ``q``, without diacritics.

    Returns the first ``limit`` hits in Vietnamese order and the number of all hits.
    """
    words = fold(q).split()
    if not words:
        return [], 0
    current = org_graph().as_of(timezone.localdate())
    hits = [
        v for v in current.values() if all(w in f"{fold(v.name)} {v.code.lower()}" for w in words)
    ]
    hits.sort(key=lambda v: (len(v.name), sort_key(v.name)))
    return [UnitHit(v.code, v.name) for v in hits[:limit]], len(hits)


def public_staff_of(unit: Unit) -> QuerySet[Staff]:
    """Active staff of the unit itself, in Vietnamese name order (for the optional pick)."""
    return Staff.objects.filter(unit=unit, is_active=True).order_by("sort_key", "id")


def public_staff_choices(unit: Unit) -> list[Staff]:
    staff = list(
        public_staff_of(unit).only("id", "ho", "dem", "ten", "position")[: PUBLIC_STAFF_LIMIT + 1]
    )
    return [] if len(staff) > PUBLIC_STAFF_LIMIT else staff


def report_get_by_code(code: str) -> Report | None:
    return Report.objects.select_related("unit").filter(code=code).first()


def public_events(report: Report) -> list:
    """The trail as the citizen sees it: dates and statuses, no internal comments."""
    return [
        {"at": e.at, "status": translated(rules.STATUS_NAMES).get(e.to_status, e.to_status)}
        for e in report.events.order_by("at", "id")
    ]


# --- Staff reads ---------------------------------------------------------------------------


def report_list_for_user(*, user, action: Action = Action.REPORT_HANDLE) -> QuerySet[Report]:
    return REPORT.filter(user, action, Report.objects.select_related("unit", "official"))


def report_get_for_user(*, user, pk: int, action: Action = Action.REPORT_HANDLE) -> Report | None:
    return permissions.first_by_pk(report_list_for_user(user=user, action=action), pk)


@dataclass(frozen=True)
class ReportFilter:
    status: str = ""  # a status, "open" (waiting on the unit) or ""
    overdue: bool = False
    unit: Unit | None = None
    q: str = ""


FILTER_FIELDS = {"trang_thai": 16, "qua_han": 1, "don_vi": 12, "q": 100}
"""The report lists' query parameters and their length limits: the page's, and the handling
export job's saved parameters."""


def report_filter_parse(*, raw: Mapping[str, str], units: Sequence[Unit]) -> ReportFilter | None:
    """The filter from the raw values; None when ``don_vi`` names none of ``units`` (the user's,
    ``report_units_for_user``): a unit outside the scope is never a filter."""
    unit = next((u for u in units if str(u.pk) == raw.get("don_vi", "")), None)
    if raw.get("don_vi") and unit is None:
        return None
    return ReportFilter(
        status=raw.get("trang_thai", ""),
        overdue=raw.get("qua_han") == "1",
        unit=unit,
        q=raw.get("q", ""),
    )


def report_filter(qs: QuerySet[Report], f: ReportFilter, *, today: date) -> QuerySet[Report]:
    if f.status == "open":
        qs = qs.filter(status__in=sorted(rules.OPEN_STATUSES))
    elif f.status in rules.STATUS_NAMES:
        qs = qs.filter(status=f.status)
    if f.overdue:
        late_open = Q(status__in=sorted(rules.OPEN_STATUSES), due_on__lt=today)
        qs = qs.filter(late_open | Q(answered_on__gt=F("due_on")))
    if f.unit is not None:
        qs = qs.filter(unit_id__in=sorted(unit_family_ids(f.unit.pk, successors=False)))
    for word in fold(f.q).split():
        qs = qs.filter(search_text__contains=word)
    return qs


@dataclass
class Row:
    report: Report
    code: str
    category: str
    overdue: bool
    days_late: int
    handling_days: int


def report_rows(reports, *, today: date) -> list[Row]:
    """A page of reports with what the lists show: category label, overdue, handling days."""
    rows = []
    for r in reports:
        end = r.answered_on or today
        rows.append(
            Row(
                report=r,
                code=rules.tracking_code_display(r.code),
                category=categories.label_of(r.category, r.categories_version),
                overdue=rules.is_overdue(r.status, r.due_on, today, r.answered_on),
                days_late=rules.days_late(r.status, r.due_on, today),
                handling_days=(end - r.received_on).days,
            )
        )
    return rows


def report_units_for_user(*, user, action: Action = Action.REPORT_HANDLE) -> list[Unit]:
    """Units in scope that have reports (the unit filter of a list)."""
    ids = report_list_for_user(user=user, action=action).values_list("unit_id", flat=True)
    return list(Unit.objects.filter(pk__in=ids.distinct()).order_by("sort_key"))


def unit_family_ids(unit_id: int, *, successors: bool = True) -> set[int]:
    """The unit, its subtree today, the units it carries on (lineage) and, for a unit that
    has ended, what carries it on now: where a report on it belongs and its staff work."""
    graph, today = org_graph(), timezone.localdate()
    roots = {unit_id}
    if successors:
        exists = set(graph.as_of(today))
        roots |= org_rules.successors_on(graph.events, unit_id, date.min, exists)
    ids: set[int] = set()
    for root in roots:
        ids |= graph.scope(root, subtree=True, day=today)
    return ids


def current_units_of(unit: Unit) -> list[Unit]:
    """What carries the unit on today (itself while it exists)."""
    if unit.valid_to is None:
        return [unit]
    graph = org_graph()
    ids = org_rules.successors_on(
        graph.events, unit.pk, date.min, set(graph.as_of(timezone.localdate()))
    )
    return list(Unit.objects.filter(pk__in=ids).order_by("sort_key"))


def criteria_choices(report: Report) -> list[tuple[str, str]]:
    """The standards a report of this category can break: (stable id, text), newest text."""
    found = categories.by_version(report.categories_version)
    category = found.get(report.category) if found else None
    ids = list(category.criteria) if category and category.criteria else []
    if not ids and found:  # "khác": any criterion the list names
        ids = list(dict.fromkeys(c for item in found.items for c in item.criteria))
    texts: dict[str, str] = {}
    rows = Criterion.objects.filter(stable_id__in=ids).order_by("version__effective_from")
    for stable_id, text in rows.values_list("stable_id", "text"):
        texts[stable_id] = text
    return [(stable_id, texts.get(stable_id, "")) for stable_id in ids]


def finding_staff_choices(user, report: Report) -> QuerySet[Staff]:
    """Staff of the reported unit and its successors whom ``user`` may name in a finding: only
    those in the user's handling scope (a unit's handler never lists a successor's other
    units' staff), and never the user themself."""
    family = Staff.objects.filter(unit_id__in=sorted(unit_family_ids(report.unit_id)))
    scoped = permissions.filter_by_unit_field(user, Action.REPORT_HANDLE, family, "unit_id")
    own = getattr(user, "staff_id", None)
    return (scoped.exclude(pk=own) if own else scoped).order_by("sort_key", "id")


def discipline_choices(user, staff: Staff) -> QuerySet[DisciplineRecord]:
    return discipline_list_for_user(user=user).filter(staff=staff, revoked_at__isnull=True)


# --- Routing: whom a report waits on (supervision.py routes findings with users_covering) ---

_ROUTING_ORDER = ("handler", "unit_head", "so_noi_vu")


def users_covering(unit_id: int, action: Action, roles: tuple[str, ...]) -> dict[str, set[int]]:
    """Per role, the active users holding it today whose ``action`` scope holds the unit."""
    return permissions.holders(unit_id, action, roles)


def report_handler_ids(*, unit_id: int, official_id: int | None) -> list[int]:
    """The report's handlers: the unit's handlers (role "handler"), else its heads, else
    Sở Nội vụ — through org history (a merged unit's reports go to its successor's).
    The official reported on is never one of them."""
    roles = tuple(r for r in _ROUTING_ORDER if Action.REPORT_HANDLE in ROLE_ACTIONS[r])
    by_role = users_covering(unit_id, Action.REPORT_HANDLE, roles)
    excluded: set[int] = set()
    if official_id is not None:
        from congvu.accounts.models import User

        excluded = set(User.objects.filter(staff_id=official_id).values_list("pk", flat=True))
    for role in roles:
        chosen = by_role[role] - excluded
        if chosen:
            return sorted(chosen)
    return []


# --- Public statistics -------------------------------------------------------------------------


@dataclass(frozen=True)
class UnitHandling:
    unit_id: int
    code: str
    name: str
    received: int
    answered: int
    on_time: int
    on_time_share: float | None
    median_days: float | None


def public_handling_stats(*, start: date, end: date) -> list[UnitHandling]:
    """Per unit existing at ``end``, for reports received in [start, end): received, answered
    (an answer or a rejection), answered on time, on-time share of answered, median days from
    receipt to answer. A report on a unit that has since merged counts for its successor(s).

    One query over the reports in the period (indexed by received day) and the cached
    organisation graph; the number of queries does not grow with the number of units.
    """
    graph = org_graph()
    last_day = date.fromordinal(end.toordinal() - 1)
    existing = graph.as_of(last_day)
    rows = Report.objects.filter(received_on__gte=start, received_on__lt=end).values_list(
        "unit_id", "received_on", "due_on", "answered_on"
    )
    per_unit: dict[int, list[tuple]] = {}
    owners: dict[int, set[int]] = {}
    for unit_id, received_on, due_on, answered_on in rows:
        if unit_id not in owners:
            owners[unit_id] = (
                {unit_id}
                if unit_id in existing
                else org_rules.successors_on(graph.events, unit_id, received_on, set(existing))
            )
        for owner in owners[unit_id]:
            per_unit.setdefault(owner, []).append((received_on, due_on, answered_on))
    result = []
    for unit_id, unit_rows in per_unit.items():
        figures = rules.handling_figures(unit_rows)
        version = existing[unit_id]
        result.append(
            UnitHandling(
                unit_id=unit_id,
                code=version.code,
                name=version.name,
                received=figures.received,
                answered=figures.answered,
                on_time=figures.on_time,
                on_time_share=figures.on_time_share,
                median_days=figures.median_days,
            )
        )
    result.sort(key=lambda u: sort_key(u.name))
    return result
