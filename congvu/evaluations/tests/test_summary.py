"""The set-based cycle summary agrees with the pure rules, row for row, on both engines."""

from collections import Counter, defaultdict
from datetime import date
from decimal import Decimal

import pytest

from congvu.discipline.services import DecisionSpec, discipline_record
from congvu.evaluations import classification, regimes, rules, summary
from congvu.evaluations.models import CriterionScore, Evaluation
from congvu.evaluations.tests import factories as f
from congvu.evaluations.workflow import State
from congvu.standards.models import Criterion
from congvu.testing import make_staff

pytestmark = pytest.mark.django_db

# (a.1 of 4, a.2 of 6, b.1 of 10 for leaders, task points): non-leaders score
# 3 × (a.1 + a.2) + task; leaders 1.5 × (a.1 + a.2 + b.1) + task.
PLAIN = [
    (4, 6, 10, Decimal(60)),  # exactly 90: HTXS
    (4, 6, 10, Decimal("59.99")),  # 89.99: HTT
    (3, 6, 10, Decimal(63)),  # 90 (non-leader), 88.5 (leader)
    (4, 5, 9, Decimal(43)),  # 70 / 70
    (4, 5, 9, Decimal("42.99")),  # 69.99
    (2, 3, 5, Decimal(35)),  # 50 / 50
    (2, 3, 5, Decimal("34.99")),  # 49.99
    (1, 1, 1, Decimal(40)),  # 46 / 44.5
    (4, 6, 10, Decimal(70)),  # 100
    (0, 0, 0, Decimal(0)),  # 0
    (3, 4, 7, Decimal("61.5")),  # 82.5 / 82.5
    (4, 6, 10, Decimal("65.25")),  # 95.25
]


def _give(evaluation: Evaluation, leaves: dict[str, int], a1: int, a2: int, b1: int) -> None:
    rows = [
        CriterionScore(evaluation=evaluation, criterion_id=leaves["thu.a.1"], self_score=a1),
        CriterionScore(
            evaluation=evaluation, criterion_id=leaves["thu.a.2"], self_score=a2, manager_score=a2
        ),
    ]
    if evaluation.is_leader:
        rows.append(
            CriterionScore(evaluation=evaluation, criterion_id=leaves["thu.b.1"], self_score=b1)
        )
    CriterionScore.objects.bulk_create(rows)


WEIGHTED = f.individual_doc(
    items=[
        {
            "id": "thu.a",
            "text": "Kỷ cương",
            "source": "A",
            "items": [
                {"id": "thu.a.1", "text": "Đeo thẻ", "source": "A.1", "weight": 3},
                {"id": "thu.a.2", "text": "Học tập", "source": "A.2", "weight": "1.5"},
            ],
        },
        {
            "id": "thu.b",
            "text": "Lãnh đạo",
            "source": "B",
            "subjects": ["leader"],
            "items": [
                {"id": "thu.b.1", "text": "Công tâm", "source": "B.1", "weight": 7},
            ],
        },
    ]
)
"""No points: leaves on the 0–10 scale with weights, so the share has thirds and sevenths."""


@pytest.fixture(params=["points", "weights"])
def reviewed(request, province, tmp_path):
    """A cycle over Sở Y tế and its hospital: every case twice (a leader and not), plus the
    rows only the pure rules can decide, plus one group already concluded."""
    unit, hospital = province.units["syt"], province.units["bv"]
    people = [
        make_staff(
            unit if i % 3 else hospital,
            "Lê",
            "Văn",
            f"Người{i}",
            is_leader=bool(i % 2),
            code=f"S{i:04d}",
        )
        for i in range(2 * len(PLAIN))
    ]
    people.append(make_staff(unit, "Hồ", "Thị", "Viên", category="vien_chuc", code="S9001"))
    version = f.load(tmp_path, f.individual_doc() if request.param == "points" else WEIGHTED)
    cycle = f.cycle(province["snv"], version, province.units["kh"])
    leaves = dict(Criterion.objects.filter(version=version).values_list("stable_id", "pk"))
    evaluations = {e.staff_id: e for e in Evaluation.objects.filter(cycle=cycle)}
    for i, person in enumerate(people[: 2 * len(PLAIN)]):
        a1, a2, b1, task = PLAIN[i // 2]
        evaluation = evaluations[person.pk]
        _give(evaluation, leaves, a1, a2, b1)
        evaluation.manager_task_points = task
        evaluation.state = State.REVIEWED
        evaluation.save()
    odd = [e for e in evaluations.values() if e.staff_id not in {p.pk for p in people[:-1]}]
    tweaks = [
        {"months_worked": 4},  # not classified
        {"flags": ["degradation"]},
        {"is_head": True},
        {},  # a staff member with a discipline record
        {"months_worked": 5, "flags": ["maternity_leave"]},
    ]
    for evaluation, tweak in zip(odd, tweaks, strict=False):
        _give(evaluation, leaves, 4, 6, 10)
        evaluation.manager_task_points = Decimal(65)
        evaluation.state = State.REVIEWED
        for key, value in tweak.items():
            setattr(evaluation, key, value)
        evaluation.save()
        if not tweak:
            discipline_record(
                actor=province["snv"],
                staff=evaluation.staff,
                spec=DecisionSpec(
                    form="khien_trach",
                    decision_number="12/QĐ-SYT",
                    decision_date=date(2026, 3, 2),
                    issuer="Sở Y tế",
                    effective_from=date(2026, 3, 2),
                    violation="Vi phạm quy chế",
                ),
            )
    # One more group concluded already: it counts with its stored level.
    done = odd[len(tweaks) :]
    for evaluation in done:
        evaluation.state, evaluation.final_level = State.CONCLUDED, "HTXS"
        evaluation.save()
    return cycle


def _by_rules(cycle) -> tuple[dict[tuple, Counter], dict[int, str]]:
    """What the council path computes: classify every reviewed row, stored levels for the rest."""
    counts: dict[tuple, Counter] = defaultdict(Counter)
    rows = list(Evaluation.objects.filter(cycle=cycle, staff__isnull=False).select_related("cycle"))
    reviewed = [e for e in rows if e.state == State.REVIEWED]
    outcomes = classification.classify_evaluations(reviewed)
    problems = {pk: o.problem for pk, o in outcomes.items() if o.problem}
    for e in rows:
        if e.state == State.REVIEWED and e.pk not in problems:
            counts[(e.unit_id, e.regime, e.group)][outcomes[e.pk].level] += 1
        elif e.state in classification.DONE and e.final_level:
            counts[(e.unit_id, e.regime, e.group)][e.final_level] += 1
    return counts, problems


def test_the_summary_agrees_with_the_rules(reviewed):
    counts, problems = _by_rules(reviewed)
    found = summary.cycle_summary(reviewed)
    assert found.problems == problems
    expected_levels: dict[int, Counter] = defaultdict(Counter)
    for (unit_id, _, _), levels in counts.items():
        expected_levels[unit_id].update(levels)
    assert found.levels == dict(expected_levels)
    for cap in found.caps:
        levels = counts[(cap.unit_id, cap.regime, cap.group)]
        share, _ = rules.cap_share(regimes.REGIMES[cap.regime], 2026, None, None)
        assert (cap.htt, cap.htxs) == (levels["HTT"], levels["HTXS"])
        assert cap.allowed == rules.cap_allowed(cap.htt, share)
    assert {(c.unit_id, c.regime, c.group) for c in found.caps} == {
        k for k, v in counts.items() if k[1] in regimes.REGIMES
    }
    # Every level occurs, the boundaries and the odd rows were decided by the rules.
    assert {lvl for c in counts.values() for lvl in c} >= {"HTXS", "HTT", "HTNV", "KHT", "KXL"}
    assert found.by_rules == 5  # the odd rows; those exactly on a threshold are exact in SQL
    assert sum(sum(c.values()) for c in found.levels.values()) == sum(
        sum(c.values()) for c in counts.values()
    )


def test_the_summary_of_some_units_and_its_queries(
    reviewed, province, django_assert_max_num_queries
):
    unit = province.units["bv"]
    whole = summary.cycle_summary(reviewed)
    with django_assert_max_num_queries(12):
        part = summary.cycle_summary(reviewed, unit_ids={unit.pk})
    assert set(part.levels) == {unit.pk}
    assert part.levels[unit.pk] == whole.levels[unit.pk]
    assert part.caps == whole.caps_of(unit.pk)
