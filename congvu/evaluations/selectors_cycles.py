"""Reads for the management of cycles: the cycles a user manages, their figures by state,
and the collective (unit) assessments Sở Nội vụ concludes. Aggregate queries only: the
number of queries does not grow with the number of officials or units."""

from dataclasses import dataclass, field
from datetime import date

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from congvu.core import permissions
from congvu.core.labels import translated
from congvu.core.permissions import Action
from congvu.evaluations import cycles, selectors, workflow
from congvu.evaluations.models import CycleStatus, Evaluation, EvaluationCycle, Subject
from congvu.evaluations.workflow import STATE_NAMES, State


def managed_cycles(*, user) -> QuerySet[EvaluationCycle]:
    """Cycles over a unit on which the user may manage cycles (newest period first)."""
    qs = EvaluationCycle.objects.select_related("root_unit", "catalogue_version__catalogue")
    qs = permissions.filter_by_unit_field(user, Action.EVALUATION_MANAGE, qs, "root_unit_id")
    return qs.order_by("-end_date", "-pk")


def managed_cycle_get(*, user, pk: int) -> EvaluationCycle | None:
    return managed_cycles(user=user).filter(pk=pk).first()


@dataclass
class CycleFigures:
    """How far a cycle has come: its forms by state and late (summed over the units the user
    sees, as on the progress page), and, for units' own assessments, who nobody answers for."""

    cycle: EvaluationCycle
    whole: selectors.UnitProgress
    units: int
    no_respondent: list[tuple[int, str]] = field(default_factory=list)  # (unit id, name)
    no_respondent_count: int = 0

    @property
    def states(self) -> list[tuple[str, str, int]]:
        names = translated(STATE_NAMES)
        return [(str(s), names[s], self.whole.counts.get(s, 0)) for s in State]

    @property
    def period(self) -> str:
        c = self.cycle
        return cycles.period_label(c.period_kind, c.year, c.period_number)


NAMED_GAPS = 10


def cycle_figures(*, user, cycle: EvaluationCycle, today: date | None = None) -> CycleFigures:
    """A cycle's figures in three queries whatever its size (call after the access check)."""
    whole = selectors.UnitProgress(cycle.root_unit_id, cycle.root_unit.code, cycle.root_unit.name)
    progress = selectors.cycle_progress(user=user, cycle=cycle, today=today)
    for unit in progress:
        for state, n in unit.counts.items():
            whole.counts[state] = whole.counts.get(state, 0) + n
        whole.late += unit.late if cycle.status == CycleStatus.OPEN else 0
    figures = CycleFigures(cycle, whole, len(progress))
    if cycle.subject == Subject.COLLECTIVE:
        missing = cycle.evaluations.filter(respondent__isnull=True).order_by("unit__sort_key")
        figures.no_respondent_count = missing.count()
        figures.no_respondent = list(missing.values_list("unit_id", "unit__name")[:NAMED_GAPS])
    return figures


def figures_by_cycle(cycle_ids: list[int]) -> dict[int, dict[str, int]]:
    """{cycle id: {"total": n, "published": n}} for a page of cycles, in one query."""
    rows = (
        Evaluation.objects.filter(cycle_id__in=cycle_ids)
        .order_by()
        .values_list("cycle_id")
        .annotate(total=Count("pk"), published=Count("pk", filter=Q(state=State.PUBLISHED)))
    )
    return {pk: {"total": total, "published": published} for pk, total, published in rows}


# --- The collective assessments Sở Nội vụ concludes ---------------------------------------


def collective_evaluations(*, user, cycle: EvaluationCycle | None = None) -> QuerySet[Evaluation]:
    """Units' own assessments in opened cycles, over the units the user oversees."""
    qs = Evaluation.objects.filter(staff__isnull=True).exclude(cycle__status=CycleStatus.DRAFT)
    qs = permissions.filter_by_unit_field(user, Action.EVALUATION_OVERSEE, qs, "unit_id")
    if cycle is not None:
        qs = qs.filter(cycle=cycle)
    return qs.select_related("cycle", "unit", "respondent", "manager").order_by(
        "-cycle__end_date", "cycle_id", "unit__sort_key", "pk"
    )


def collective_cycles(*, user) -> QuerySet[EvaluationCycle]:
    """Opened collective cycles over a unit the user oversees (for the filter)."""
    qs = EvaluationCycle.objects.filter(subject=Subject.COLLECTIVE).exclude(
        status=CycleStatus.DRAFT
    )
    qs = permissions.filter_by_unit_field(user, Action.EVALUATION_OVERSEE, qs, "root_unit_id")
    return qs.order_by("-end_date", "-pk")


def collective_get(*, user, cycle_pk: int, unit_pk: int) -> Evaluation | None:
    """A unit's own assessment, for anyone who may read it: Sở Nội vụ over the unit, the
    heads and leaders who see the unit, its reviewer and its respondent (else None); while
    the cycle is being prepared, only those who manage it."""
    evaluation = (
        Evaluation.objects.filter(cycle_id=cycle_pk, unit_id=unit_pk, staff__isnull=True)
        .select_related("cycle", "cycle__catalogue_version", "unit", "respondent", "manager")
        .first()
    )
    if evaluation is None:
        return None
    if evaluation.cycle.status == CycleStatus.DRAFT:  # its managers prepare it (respondents)
        manages = permissions.unit_scope(user, Action.EVALUATION_MANAGE)
        return evaluation if evaluation.cycle.root_unit_id in manages else None
    readers = permissions.unit_scope(user, Action.EVALUATION_VIEW)
    if evaluation.unit_id in readers or user.pk in (
        evaluation.manager_id,
        evaluation.respondent_id,
    ):
        return evaluation
    return None


def late_today(evaluation: Evaluation, today: date | None = None) -> int:
    """Days the evaluation's current step is late (0 on time, or when the cycle is not open)."""
    if evaluation.cycle.status != CycleStatus.OPEN:
        return 0
    c = evaluation.cycle
    deadlines = workflow.Deadlines(c.self_deadline, c.manager_deadline, c.council_deadline)
    return workflow.days_late(evaluation.state, deadlines, today or timezone.localdate())
