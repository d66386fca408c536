"""Permission-scoped reads of plans: the plans a user sees, a unit's obligations with their
derived status, and a plan's progress matrix (units × tasks) in the user's scope.

A unit's obligations are the tasks of the plans assigned to it or to a unit that lives on in
it (organisation history: merged or dissolved into it); its status counts the progress of the
unit and of those predecessors, so a 2022 entry of a commune merged in 2025 still counts for
the commune that carries it on, and stays recorded under its old name.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet

from congvu.core import permissions
from congvu.core.permissions import Action
from congvu.core.text import fold
from congvu.organisations import rules as org_rules
from congvu.organisations.graph import org_graph
from congvu.organisations.models import Unit
from congvu.plans import rules
from congvu.plans.access import EXPLANATION, PLAN, PROGRESS, TEMPLATE, plan_check_view
from congvu.plans.models import (
    Assignment,
    DocumentType,
    ExplanationRequest,
    LegalDocument,
    Plan,
    ProgressEntry,
    ReportTemplate,
    Task,
    UnitTask,
)


def plan_list_for_user(*, user: Any) -> QuerySet[Plan]:
    """The plans the user sees (``plan.view`` over the issuer or an assigned unit)."""
    plans = Plan.objects.select_related("document", "owner")
    return PLAN.filter(user, Action.PLAN_VIEW, plans)


def plan_search_for_user(*, user: Any, q: str) -> QuerySet[Plan]:
    """The plans the user sees whose document's code, issuer or summary contains ``q``,
    diacritics and case ignored (the document's folded ``search`` column)."""
    plans = plan_list_for_user(user=user)
    folded = fold(q)
    return plans.filter(document__search__contains=folded) if folded else plans


def document_search(*, q: str, doc_type: str = "") -> QuerySet[LegalDocument]:
    """The documents' library: not secret (public legal texts), but only shown to ``plan.view``
    holders by the page. ``q`` as in ``plan_search_for_user``; an unknown type is ignored."""
    found = LegalDocument.objects.all()
    folded = fold(q)
    if folded:
        found = found.filter(search__contains=folded)
    if doc_type in DocumentType.values:
        found = found.filter(doc_type=doc_type)
    return found


def plan_get_for_user(*, user: Any, pk: Any) -> Plan | None:
    """One plan, checked inside the query; None when out of scope or malformed."""
    return PLAN.get(user, Action.PLAN_VIEW, Plan.objects.select_related("document", "owner"), pk)


def progress_list_for_user(*, user: Any, plan: Plan) -> QuerySet[ProgressEntry]:
    """The progress entries of ``plan`` the user may read (their units' only)."""
    entries = ProgressEntry.objects.filter(task__plan=plan).select_related("unit", "task")
    return PROGRESS.filter(user, Action.PLAN_VIEW, entries)


# --- A unit's obligations ----------------------------------------------------------------------


@dataclass(frozen=True)
class Obligation:
    task: Task
    status: rules.Status
    entries: tuple[ProgressEntry, ...]
    explanations: tuple[ExplanationRequest, ...] = ()
    own: tuple[UnitTask, ...] = ()


def obligations_for_unit(*, user: Any, unit: Unit, as_of: date) -> list[Obligation]:
    """The tasks ``unit`` owes on ``as_of`` (plans assigned by then to it or to its
    predecessors), each with its derived status and the entries it counts (the unit's and
    its predecessors', known on ``as_of``). PermissionDenied outside the user's scope."""
    if not permissions.can(user, Action.PLAN_VIEW, unit):
        raise PermissionDenied
    lineage = sorted(org_rules.predecessors_closure(org_graph().events, [unit.pk]))
    plan_ids = Assignment.objects.filter(unit_id__in=lineage, assigned_on__lte=as_of).values(
        "plan_id"
    )
    tasks = list(
        Task.objects.filter(plan_id__in=plan_ids)
        .select_related("plan__document")
        .order_by("-plan__document__issued_on", "plan_id", "position", "pk")
    )
    by_task: dict[int, list[ProgressEntry]] = defaultdict(list)
    for entry in (
        ProgressEntry.objects.filter(task__in=[t.pk for t in tasks], unit_id__in=lineage)
        .select_related("unit")
        .prefetch_related("evidence")
        .order_by("on", "pk")
    ):
        by_task[entry.task_id].append(entry)
    asked: dict[int, list[ExplanationRequest]] = defaultdict(list)
    for request in ExplanationRequest.objects.filter(
        task__in=[t.pk for t in tasks], unit_id__in=lineage
    ).order_by("-asked_at", "-pk"):
        asked[request.task_id].append(request)
    own: dict[int, list[UnitTask]] = defaultdict(list)
    for row in (
        UnitTask.objects.filter(task__in=[t.pk for t in tasks], unit_id__in=lineage)
        .select_related("owner")
        .order_by("created_at", "pk")
    ):
        own[row.task_id].append(row)
    result = []
    for task in tasks:
        entries = tuple(e for e in by_task[task.pk] if e.on <= as_of)
        status = rules.task_status(task.timing(), [e.entry() for e in entries], as_of)
        result.append(Obligation(task, status, entries, tuple(asked[task.pk]), tuple(own[task.pk])))
    return result


# --- A plan's progress matrix ------------------------------------------------------------------


@dataclass(frozen=True)
class MatrixRow:
    """A unit existing on the matrix's day that owes the plan (it was assigned, or carries on
    an assigned unit), with the units whose progress counts for it."""

    unit_id: int
    code: str
    name: str
    lineage: frozenset[int]


@dataclass(frozen=True)
class Matrix:
    plan: Plan
    as_of: date
    tasks: list[Task]
    rows: list[MatrixRow]
    cells: dict[tuple[int, int], rules.Status]  # (unit id, task id) → status
    counts: Counter[str] = field(default_factory=Counter)  # status → cells

    def status(self, unit_id: int, task_id: int) -> rules.Status:
        return self.cells[(unit_id, task_id)]


def units_owing(*, plan: Plan, day: date) -> set[int]:
    """The units existing on ``day`` that owe ``plan``: those it was assigned to by then, or
    the units that carry them on after a merger (one query and the organisation graph)."""
    graph = org_graph()
    existing = set(graph.as_of(day))
    owing: set[int] = set()
    for unit_id, assigned_on in Assignment.objects.filter(
        plan=plan, assigned_on__lte=day
    ).values_list("unit_id", "assigned_on"):
        owing |= org_rules.successors_on(graph.events, unit_id, assigned_on, existing)
    return owing


def progress_matrix(*, plan: Plan, as_of: date, user: Any) -> Matrix:
    """Units × tasks of ``plan`` on ``as_of``, for the units in the user's scope. A unit merged
    since it was assigned shows under the unit that carries it on. Three queries (assignments,
    tasks, every entry of the plan), whatever the number of units."""
    if not plan_check_view(user, plan):
        raise PermissionDenied
    graph = org_graph()
    existing = graph.as_of(as_of)
    visible = permissions.scoped_unit_ids(user, Action.PLAN_VIEW, units_owing(plan=plan, day=as_of))
    rows = sorted(
        (
            MatrixRow(
                unit_id,
                existing[unit_id].code,
                existing[unit_id].name,
                frozenset(org_rules.predecessors_closure(graph.events, [unit_id])),
            )
            for unit_id in visible
        ),
        key=lambda row: row.code,
    )
    tasks = list(plan.tasks.order_by("position", "pk"))
    entries: dict[tuple[int, int], list[rules.Entry]] = defaultdict(list)
    for task_id, unit_id, on, state, period in ProgressEntry.objects.filter(
        task__plan=plan, on__lte=as_of
    ).values_list("task_id", "unit_id", "on", "state", "period"):
        entries[(unit_id, task_id)].append(rules.Entry(on, state, period))
    cells: dict[tuple[int, int], rules.Status] = {}
    counts: Counter[str] = Counter()
    for row in rows:
        for task in tasks:
            known = [e for unit_id in row.lineage for e in entries.get((unit_id, task.pk), ())]
            status = rules.task_status(task.timing(), known, as_of)
            cells[(row.unit_id, task.pk)] = status
            counts[status.status] += 1
    return Matrix(plan, as_of, tasks, rows, cells, counts)


def own_unit_for_user(*, user: Any) -> Unit | None:
    """The unit of the user's own staff record, when they may see its plans."""
    unit = getattr(getattr(user, "staff", None), "unit", None)
    if unit is None or not permissions.can(user, Action.PLAN_VIEW, unit):
        return None
    return unit


def may_see_own_obligations(user: Any) -> bool:
    return own_unit_for_user(user=user) is not None


# --- Report templates, progress entries, requests to explain -----------------------------------


def template_list_for_user(*, user: Any) -> QuerySet[ReportTemplate]:
    """The report templates issued by a unit in the user's ``plan.view`` scope."""
    return TEMPLATE.filter(user, Action.PLAN_VIEW, ReportTemplate.objects.select_related("owner"))


def progress_entry_get_for_user(*, user: Any, pk: Any) -> ProgressEntry | None:
    entries = ProgressEntry.objects.select_related("unit", "task")
    return permissions.first_by_pk(PROGRESS.filter(user, Action.PLAN_VIEW, entries), pk)


def explanation_list_for_user(*, user: Any) -> QuerySet[ExplanationRequest]:
    """The requests to explain a late task about a unit in the user's ``plan.view`` scope,
    the latest first."""
    found = ExplanationRequest.objects.select_related(
        "task__plan__document", "unit", "asked_by", "answered_by"
    ).order_by("-asked_at", "-pk")
    return EXPLANATION.filter(user, Action.PLAN_VIEW, found)


def task_get_for_user(*, user: Any, pk: Any) -> Task | None:
    """A task of a plan the user sees."""
    tasks = Task.objects.filter(plan__in=plan_list_for_user(user=user)).select_related("plan")
    return permissions.first_by_pk(tasks, pk)
