"""Task-result points (ND 335/2025, formula [U] as a dated setting)."""

from datetime import date
from decimal import Decimal

import pytest

from congvu.evaluations import scores

D = Decimal
DAY = date(2026, 12, 31)


@pytest.mark.parametrize(
    ("failures", "expected"), [(0, D(100)), (1, D(75)), (2, D(50)), (4, D(0)), (5, D(0))]
)
def test_each_failed_check_takes_25_percent_of_the_item(failures, expected):
    assert scores.item_pct(failures, D(25)) == expected


def test_quantity_is_capped_at_100_percent():
    assert scores.quantity_pct(10, 8) == D(80)
    assert scores.quantity_pct(10, 12) == D(100)


def test_quality_sums_the_items_over_everything_assigned():
    # 4 assigned, 3 to standard: one with a failed check
    assert scores.per_item_pct(4, [0, 0, 1], D(25)) == D("68.75")


def test_task_points_are_the_mean_of_the_components_times_70():
    assert scores.task_points([D(100), D(100), D(100)], regime_code="nd335", day=DAY) == D(70)
    assert scores.task_points([D(80), D("68.75"), D(50)], regime_code="nd335", day=DAY) == D(
        "46.375"
    )


def test_an_unknown_formula_is_refused():
    with pytest.raises(ValueError, match="Unknown task formula"):
        scores.task_points(
            [D(1)], regime_code="nd335", day=DAY, overrides={"nd335.task_formula": "x"}
        )


def test_leader_unit_result_halves_when_a_subordinate_fails():
    assert scores.leader_unit_result_pct(["HTT", "HTNV"]) == D(100)
    assert scores.leader_unit_result_pct(["HTT", "KHT"]) == D(50)
