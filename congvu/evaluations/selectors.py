"""Permission-scoped reads of evaluations: lists, my evaluation, my team, the council's list
with the HTXS cap per group, and a cycle's progress per unit (aggregate queries only)."""

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from congvu.core import permissions
from congvu.core.permissions import EVERYTHING, Action
from congvu.core.text import fold, nfc
from congvu.evaluations import cycles, regimes, rules, workflow
from congvu.evaluations.access import EVALUATION
from congvu.evaluations.classification import (
    DONE,
    applicable_leaves,
    leaves_of,
    score_fraction,
)
from congvu.evaluations.models import (
    CriterionScore,
    CycleStatus,
    Evaluation,
    EvaluationCycle,
    ScoreChange,
    Transition,
)
from congvu.evaluations.workflow import State
from congvu.organisations.models import Unit


def _visible(user) -> Q:
    """Evaluations in the user's unit scope, plus their own and those they manage."""
    return EVALUATION.condition(user, Action.EVALUATION_VIEW)


def evaluation_list_for_user(*, user, cycle: EvaluationCycle | None = None) -> QuerySet[Evaluation]:
    qs = Evaluation.objects.filter(_visible(user)).select_related("staff", "unit", "cycle")
    if cycle is not None:
        qs = qs.filter(cycle=cycle)
    return qs.order_by("cycle_id", "unit__sort_key", "staff__sort_key", "pk")


def evaluation_get_for_user(*, user, pk: int) -> Evaluation | None:
    return permissions.first_by_pk(evaluation_list_for_user(user=user), pk)


def cycle_list_for_user(*, user) -> QuerySet[EvaluationCycle]:
    """Cycles over a unit in the user's scope, or in which the user has a part."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return EvaluationCycle.objects.none()
    scope = permissions.unit_scope(user, Action.EVALUATION_VIEW)
    if scope is EVERYTHING:
        return EvaluationCycle.objects.select_related("root_unit")
    mine = Evaluation.objects.filter(_visible(user)).values("cycle_id")
    return EvaluationCycle.objects.filter(
        Q(root_unit_id__in=sorted(scope)) | Q(pk__in=mine)
    ).select_related("root_unit")


def my_evaluation(*, user, cycle: EvaluationCycle) -> Evaluation | None:
    """The user's own evaluation in the cycle (as an official), if any."""
    if not getattr(user, "staff_id", None) or not user.is_active:
        return None
    return (
        Evaluation.objects.filter(cycle=cycle, staff_id=user.staff_id)
        .select_related("cycle", "unit", "staff")
        .first()
    )


def my_evaluations(*, user) -> QuerySet[Evaluation]:
    """Every evaluation the user answers for: their own, and a unit's they respond for."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return Evaluation.objects.none()
    condition = Q(respondent_id=user.pk)
    if getattr(user, "staff_id", None):
        condition |= Q(staff_id=user.staff_id)
    return (
        Evaluation.objects.filter(condition)
        .exclude(cycle__status=CycleStatus.DRAFT)
        .select_related("cycle", "unit", "staff")
        .order_by("-cycle__end_date", "-cycle_id", "pk")
    )


def team_cycles(*, user) -> QuerySet[EvaluationCycle]:
    """The open cycles in which the user is the direct manager of somebody."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return EvaluationCycle.objects.none()
    managed = Evaluation.objects.filter(manager_id=user.pk).values("cycle_id")
    return EvaluationCycle.objects.filter(status=CycleStatus.OPEN, pk__in=managed)


def team_evaluations(*, user, cycle: EvaluationCycle) -> QuerySet[Evaluation]:
    """The evaluations the user reviews as direct manager."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return Evaluation.objects.none()
    return (
        Evaluation.objects.filter(cycle=cycle, manager_id=user.pk)
        .select_related("staff", "unit", "cycle")
        .order_by("unit__sort_key", "staff__sort_key", "pk")
    )


def team_page_evaluations(*, user, q: str = "", state: str = "") -> QuerySet[Evaluation]:
    """The evaluations the user reviews as direct manager in every open cycle, by cycle then
    unit and name (the team page paginates them); ``q`` words of the name or code, without
    diacritics, and ``state`` narrow the list."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return Evaluation.objects.none()
    qs = Evaluation.objects.filter(manager_id=user.pk, cycle__status=CycleStatus.OPEN)
    for word in nfc(q).split():
        qs = qs.filter(staff__search_text__contains=fold(word))
    if state:
        qs = qs.filter(state=state)
    return qs.select_related("staff", "unit", "cycle").order_by(
        "-cycle__end_date", "-cycle_id", "unit__sort_key", "staff__sort_key", "pk"
    )


def evaluation_history(*, evaluation: Evaluation) -> tuple[list[Transition], list[ScoreChange]]:
    """The trail of moves and of score changes (call after an access check)."""
    moves = list(evaluation.transitions.select_related("actor").order_by("at", "pk"))
    changes = list(
        evaluation.score_changes.select_related("actor", "criterion").order_by("at", "pk")
    )
    return moves, changes


# --- The council's list -----------------------------------------------------------------


@dataclass(frozen=True)
class CouncilRow:
    evaluation: Evaluation
    level: str  # the concluded level, else the proposed one
    score: object


@dataclass
class CouncilList:
    unit: Unit
    rows: list[CouncilRow]
    caps: list[rules.CapCheck]
    unit_level: str | None = None

    @property
    def exceeded(self) -> list[rules.CapCheck]:
        return [c for c in self.caps if c.exceeded]


def council_list(*, user, cycle: EvaluationCycle, unit: Unit) -> CouncilList | None:
    """A unit's officials with their proposed (or concluded) levels and the cap per group.

    None when the unit is outside the user's scope.
    """
    if unit.pk not in permissions.unit_scope(user, Action.EVALUATION_VIEW):
        return None
    evaluations = list(
        Evaluation.objects.filter(cycle=cycle, unit=unit, staff__isnull=False)
        .select_related("staff")
        .order_by("group", "staff__sort_key", "pk")
    )
    rows = []
    for e in evaluations:
        done = e.state in DONE
        level = e.final_level if done else e.proposed_level
        rows.append(CouncilRow(e, level, e.final_score if done else e.period_score))
    unit_level = (
        Evaluation.objects.filter(
            staff__isnull=True,
            unit=unit,
            state__in=DONE,
            cycle__year=cycle.year,
            cycle__period_kind=cycle.period_kind,
            cycle__period_number=cycle.period_number,
        )
        .values_list("final_level", flat=True)
        .first()
    )
    by_regime: dict[str, list[rules.Result]] = defaultdict(list)
    for row in rows:
        if row.level:
            by_regime[row.evaluation.regime].append(
                rules.Result(
                    row.evaluation.pk,
                    row.evaluation.group,
                    row.level,
                    score_fraction(row.score),
                    (),
                )
            )
    caps = []
    for regime, results in sorted(by_regime.items()):
        share, source = rules.cap_share(regimes.REGIMES[regime], cycle.year, unit_level, None)
        caps += rules.cap_check(results, share=share, source=source)
    return CouncilList(unit, rows, caps, unit_level)


# --- Progress of a cycle (Sở Nội vụ) ----------------------------------------------------


@dataclass
class UnitProgress:
    unit_id: int
    code: str
    name: str
    counts: dict[str, int] = field(default_factory=dict)
    late: int = 0

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    @property
    def published(self) -> int:
        return self.counts.get(State.PUBLISHED, 0)


def _deadlines(cycle: EvaluationCycle) -> workflow.Deadlines:
    return workflow.Deadlines(cycle.self_deadline, cycle.manager_deadline, cycle.council_deadline)


def _scoped(qs: QuerySet, user) -> QuerySet:
    return permissions.filter_by_unit_field(user, Action.EVALUATION_VIEW, qs, "unit_id")


def cycle_progress(
    *, user, cycle: EvaluationCycle, today: date | None = None
) -> list[UnitProgress]:
    """Per unit in scope: how many evaluations are in each state and how many are late.

    Two queries whatever the number of units or officials (a GROUP BY and the unit names).
    """
    today = today or timezone.localdate()
    late_states = workflow.late_states(_deadlines(cycle), today)
    counts = (
        _scoped(Evaluation.objects.filter(cycle=cycle), user)
        .order_by()
        .values_list("unit_id", "state")
        .annotate(n=Count("pk"))
    )
    by_unit: dict[int, UnitProgress] = {}
    for unit_id, state, n in counts:
        progress = by_unit.setdefault(unit_id, UnitProgress(unit_id, "", ""))
        progress.counts[state] = n
        if state in late_states:
            progress.late += n
    names = Unit.objects.filter(pk__in=sorted(by_unit)).values_list(
        "pk", "code", "name", "sort_key"
    )
    order = {}
    for pk, code, name, key in names:
        by_unit[pk].code, by_unit[pk].name = code, name
        order[pk] = key
    return sorted(by_unit.values(), key=lambda p: (order.get(p.unit_id, ""), p.unit_id))


def late_evaluations(
    *, user, cycle: EvaluationCycle, unit: Unit | None = None, today: date | None = None
) -> QuerySet[Evaluation]:
    """Who is late today: evaluations waiting on a step whose deadline has passed."""
    states = workflow.late_states(_deadlines(cycle), today or timezone.localdate())
    qs = _scoped(Evaluation.objects.filter(cycle=cycle, state__in=sorted(states)), user)
    if unit is not None:
        qs = qs.filter(unit=unit)
    return qs.select_related("staff", "unit").order_by("unit__sort_key", "staff__sort_key", "pk")


# --- The team page: the official's own total beside the manager's ------------------------


@dataclass(frozen=True)
class Totals:
    """Points out of 100 as the official scored them and with the manager's changes.

    ``manager`` is None until the manager has reviewed (or changed a score in an earlier round).
    """

    own: Decimal | None
    manager: Decimal | None


REVIEWED_STATES = (State.REVIEWED, State.CONCLUDED, State.PUBLISHED)


def _total(
    evaluation: Evaluation, leaves: dict, given: dict[int, Decimal], task: Decimal | None
) -> Decimal:
    share = cycles.culture_fraction(
        (leaf.leaf, given.get(pk, Decimal(0))) for pk, leaf in leaves.items()
    )
    return cycles.period_score(share, evaluation.cycle.culture_points, task)


def team_totals(*, evaluations: Sequence[Evaluation]) -> dict[int, Totals]:
    """The two totals of each evaluation, by the formula of ``cycles.period_score``.

    One query for the scores and one per catalogue version, whatever the size of the team.
    """
    ids = [e.pk for e in evaluations]
    own: dict[int, dict[int, Decimal]] = defaultdict(dict)
    managed: dict[int, dict[int, Decimal]] = defaultdict(dict)
    changed: set[int] = set()
    rows = CriterionScore.objects.filter(evaluation_id__in=ids).values_list(
        "evaluation_id", "criterion_id", "self_score", "manager_score"
    )
    for evaluation_id, criterion_id, mine, managers in rows:
        if mine is not None:
            own[evaluation_id][criterion_id] = mine
        if managers is not None:
            changed.add(evaluation_id)
        effective = managers if managers is not None else mine
        if effective is not None:
            managed[evaluation_id][criterion_id] = effective
    versions: dict[int, dict] = {}
    out = {}
    for e in evaluations:
        version = e.cycle.catalogue_version_id
        if version not in versions:
            versions[version] = leaves_of(version)
        leaves = applicable_leaves(versions[version], e)
        mine = own.get(e.pk, {})
        own_total = (
            _total(e, leaves, mine, e.self_task_points) if mine or e.self_task_points else None
        )
        reviewed = (
            e.state in REVIEWED_STATES or e.pk in changed or e.manager_task_points is not None
        )
        task = e.manager_task_points if e.manager_task_points is not None else e.self_task_points
        managers = _total(e, leaves, managed.get(e.pk, {}), task) if reviewed else None
        out[e.pk] = Totals(own_total, managers)
    return out


# --- Menus: whether the user answers or reviews evaluations -------------------------------


def may_self_assess(user) -> bool:
    """Whether the user answers for any evaluation (menus): their own or a unit's."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    own = Q(respondent_id=user.pk)
    if getattr(user, "staff_id", None):
        own |= Q(staff_id=user.staff_id)
    return Evaluation.objects.filter(own).exclude(cycle__status="draft").exists()


def may_review_team(user) -> bool:
    """Whether the user is the direct manager of somebody in an open cycle (menus)."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    return Evaluation.objects.filter(manager_id=user.pk, cycle__status="open").exists()
