"""From stored rows to the pure rules: the inputs of a list of evaluations, read in a few
queries, and their outcome (culture score, period score, level, reasons).

Read-only. The services call it when the manager reviews (the proposed level) and when the
council concludes (the result); the selectors use ``leaves_of``.
"""

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction

from congvu.discipline.rules import Discipline
from congvu.discipline.selectors import disciplines_for_classification
from congvu.evaluations import cli, cycles, regimes, rules
from congvu.evaluations.models import CriterionScore, Evaluation, EvaluationCycle
from congvu.evaluations.workflow import State
from congvu.standards.models import Criterion

DONE = (State.CONCLUDED, State.PUBLISHED)


@dataclass(frozen=True, slots=True)
class LeafInfo:
    criterion_id: int
    stable_id: str
    text: str
    points: Decimal | None
    weight: Decimal
    evidence_required: bool
    subjects: tuple[str, ...]

    @property
    def leaf(self) -> cycles.Leaf:
        return cycles.Leaf(self.criterion_id, self.points, self.weight)

    @property
    def maximum(self) -> Decimal:
        return cycles.criterion_max(self.points)

    def applies_to(self, *, collective: bool, is_leader: bool) -> bool:
        """Individual items apply to everyone (leaders too); leader items to leaders only."""
        if collective:
            return "collective" in self.subjects
        return "individual" in self.subjects or (is_leader and "leader" in self.subjects)


def leaves_of(version_id: int) -> dict[int, LeafInfo]:
    """The assessable criteria (the leaves) of a catalogue version, in reading order."""
    rows = list(
        Criterion.objects.filter(version_id=version_id)
        .order_by("order")
        .values_list(
            "pk",
            "stable_id",
            "text",
            "points",
            "weight",
            "evidence_required",
            "subjects",
            "parent_id",
        )
    )
    parents = {row[7] for row in rows if row[7] is not None}
    return {
        pk: LeafInfo(pk, stable_id, text, points, weight, evidence, tuple(subjects or ()))
        for pk, stable_id, text, points, weight, evidence, subjects, _ in rows
        if pk not in parents
    }


def applicable_leaves(leaves: dict[int, LeafInfo], evaluation: Evaluation) -> dict[int, LeafInfo]:
    collective = evaluation.staff_id is None
    return {
        pk: leaf
        for pk, leaf in leaves.items()
        if leaf.applies_to(collective=collective, is_leader=evaluation.is_leader)
    }


@dataclass
class Outcome:
    evaluation_id: int
    culture_score: Decimal
    period_score: Decimal
    level: str = ""
    score: Decimal | None = None  # the score the level was decided on, cut to 2 decimals
    reasons: list[dict] = field(default_factory=list)
    inputs: dict = field(default_factory=dict)
    result: rules.Result | None = None
    problem: str | None = None


def reason_json(reason: rules.Reason) -> dict:
    return reason.as_json()


def effective_task_points(evaluation: Evaluation) -> Decimal | None:
    if evaluation.manager_task_points is not None:
        return evaluation.manager_task_points
    return evaluation.self_task_points


def nd90_facts(data: dict | None) -> rules.Nd90Facts | None:
    """The stored ND 90 facts (validated when the manager entered them)."""
    if not data:
        return None
    errors = cli._Errors()
    facts = cli._parse_facts(facts_with_decimals(data), "nd90_facts", errors)
    return None if errors else facts


def facts_with_decimals(data: dict) -> dict:
    return {
        k: Decimal(str(v)) if isinstance(v, int | float | str) and k != "general" else v
        for k, v in data.items()
    }


def _scores_by_evaluation(ids: list[int]) -> dict[int, dict[int, Decimal]]:
    found: dict[int, dict[int, Decimal]] = defaultdict(dict)
    rows = CriterionScore.objects.filter(evaluation_id__in=ids).values_list(
        "evaluation_id", "criterion_id", "self_score", "manager_score"
    )
    for evaluation_id, criterion_id, own, managers in rows:
        value = managers if managers is not None else own
        if value is not None:
            found[evaluation_id][criterion_id] = value
    return found


def _sub_period_scores(cycle: EvaluationCycle, staff_ids: list[int]) -> dict[int, tuple]:
    """For a yearly cycle: the published monthly (else quarterly) scores of the same year.

    ND 335/2025, ND 233/2026: the yearly score is the mean of the monthly or quarterly
    scores. Returns {staff id: (kind, (scores in period order))}.
    """
    if cycle.period_kind != cycles.YEAR or not staff_ids:
        return {}
    rows = (
        Evaluation.objects.filter(
            staff_id__in=staff_ids,
            state=State.PUBLISHED,
            cycle__subject="individual",
            cycle__year=cycle.year,
            cycle__period_kind__in=(cycles.MONTH, cycles.QUARTER),
            period_score__isnull=False,
        )
        .order_by("cycle__period_number", "cycle_id")
        .values_list("staff_id", "cycle__period_kind", "cycle__period_number", "period_score")
    )
    found: dict[int, dict[str, dict[int, Decimal]]] = defaultdict(lambda: defaultdict(dict))
    for staff_id, kind, number, score in rows:
        found[staff_id][kind].setdefault(number, score)  # one score per period: the first cycle
    out = {}
    for staff_id, kinds in found.items():
        kind = cycles.MONTH if kinds.get(cycles.MONTH) else cycles.QUARTER
        out[staff_id] = (kind, tuple(v for _, v in sorted(kinds[kind].items())))
    return out


def unit_levels(cycle: EvaluationCycle, unit_ids: set[int]) -> dict[int, str]:
    """The concluded level of each unit's own assessment for the same period, if any."""
    rows = Evaluation.objects.filter(
        staff__isnull=True,
        unit_id__in=sorted(unit_ids),
        state__in=DONE,
        cycle__year=cycle.year,
        cycle__period_kind=cycle.period_kind,
        cycle__period_number=cycle.period_number,
    ).values_list("unit_id", "final_level")
    return {unit_id: level for unit_id, level in rows if level}


def _discipline_json(records: Sequence[Discipline]) -> list[dict]:
    return [
        {
            "form": d.form,
            "effective": d.effective.isoformat(),
            "duty_related": d.duty_related,
            "system": d.system,
        }
        for d in records
    ]


def classify_evaluations(evaluations: Sequence[Evaluation]) -> dict[int, Outcome]:
    """The outcome of each evaluation of one cycle, from its current rows."""
    if not evaluations:
        return {}
    cycle = evaluations[0].cycle
    if any(e.cycle_id != cycle.pk for e in evaluations):
        raise ValueError("evaluations of one cycle at a time")
    leaves = leaves_of(cycle.catalogue_version_id)
    ids = [e.pk for e in evaluations]
    scores = _scores_by_evaluation(ids)
    staff_ids = [e.staff_id for e in evaluations if e.staff_id is not None]
    discipline = disciplines_for_classification(staff_ids=staff_ids) if staff_ids else {}
    sub_periods = _sub_period_scores(cycle, staff_ids)
    heads = {e.unit_id for e in evaluations if e.is_head}
    levels = unit_levels(cycle, heads) if heads else {}
    outcomes = {}
    for evaluation in evaluations:
        own = applicable_leaves(leaves, evaluation)
        given = scores.get(evaluation.pk, {})
        share = cycles.culture_fraction(
            (leaf.leaf, given.get(pk, Decimal(0))) for pk, leaf in own.items()
        )
        task = effective_task_points(evaluation)
        outcome = Outcome(
            evaluation.pk,
            cycles.culture_score(share),
            cycles.period_score(share, cycle.culture_points, task),
        )
        if evaluation.staff_id is None:
            level, text = cycles.collective_level(outcome.period_score)
            outcome.level, outcome.score = level, outcome.period_score
            outcome.reasons = [
                {
                    "code": f"COLLECTIVE_{level}",
                    "kind": "level",
                    "text": text,
                    "source": cycles.COLLECTIVE_SOURCE,
                }
            ]
            outcome.inputs = {"period_scores": [str(outcome.period_score)]}
        else:
            _classify_person(
                evaluation,
                cycle,
                outcome,
                task,
                discipline.get(evaluation.staff_id, []),
                sub_periods.get(evaluation.staff_id),
                levels.get(evaluation.unit_id),
            )
        outcomes[evaluation.pk] = outcome
    return outcomes


def _classify_person(
    evaluation: Evaluation,
    cycle: EvaluationCycle,
    outcome: Outcome,
    task: Decimal | None,
    records: list[Discipline],
    sub_periods: tuple | None,
    unit_level: str | None,
) -> None:
    # A discipline weighs on the period only once it has taken effect (rules: in the year).
    in_force = tuple(d for d in records if d.effective <= cycle.end_date)
    if sub_periods:
        source, period_scores = sub_periods
    else:
        source, period_scores = "own", (outcome.period_score,)
    regime = regimes.REGIMES[evaluation.regime]
    person = rules.Person(
        id=evaluation.pk,
        category=evaluation.category,
        group=evaluation.group,
        is_leader=evaluation.is_leader,
        is_head=evaluation.is_head,
        months_worked=12 if evaluation.months_worked is None else evaluation.months_worked,
        months_absent=evaluation.months_absent,
        period_scores=tuple(period_scores) if regime.method == "points" else (),
        discipline=in_force,
        flags=frozenset(evaluation.flags or ()),
        facts=nd90_facts(evaluation.nd90_facts),
        unit_level=unit_level,
    )
    outcome.inputs = {
        "regime": regime.code,
        "year": cycle.year,
        "period_scores": [str(s) for s in person.period_scores],
        "period_source": source,
        "culture_points": str(cycle.culture_points),
        "task_points": None if task is None else str(task),
        "months_worked": person.months_worked,
        "months_absent": person.months_absent,
        "flags": sorted(person.flags),
        "discipline": _discipline_json(in_force),
        "unit_level": unit_level,
        "nd90_facts": evaluation.nd90_facts,
    }
    try:
        result = rules.classify(person, regime=regime, year=cycle.year)
    except rules.InputProblem as exc:
        outcome.problem = str(exc)
        return
    outcome.result = result
    outcome.level = result.level
    outcome.score = None if result.score is None else cycles.cut(result.score)
    outcome.reasons = [reason_json(r) for r in result.reasons]


def score_fraction(score: Decimal | None) -> Fraction | None:
    return None if score is None else Fraction(score)
