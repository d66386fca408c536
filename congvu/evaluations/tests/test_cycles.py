"""Pure helpers of cycles: periods, months of service, the culture and period scores."""

from datetime import date
from decimal import Decimal
from fractions import Fraction

import pytest

from congvu.evaluations import cycles
from congvu.evaluations.cycles import Leaf


@pytest.mark.parametrize(
    "kind, number, start, end, label",
    [
        ("year", None, date(2026, 1, 1), date(2026, 12, 31), "Năm 2026"),
        ("quarter", 1, date(2026, 1, 1), date(2026, 3, 31), "Quý I/2026"),
        ("quarter", 4, date(2026, 10, 1), date(2026, 12, 31), "Quý IV/2026"),
        ("month", 2, date(2026, 2, 1), date(2026, 2, 28), "Tháng 2/2026"),
    ],
)
def test_period_bounds_and_labels(kind, number, start, end, label):
    assert cycles.period_bounds(kind, 2026, number) == (start, end)
    assert cycles.period_label(kind, 2026, number) == label


@pytest.mark.parametrize(
    "kind, number",
    [("year", 1), ("quarter", 0), ("quarter", 5), ("month", 13), ("month", None), ("week", 1)],
)
def test_bad_periods_are_refused(kind, number):
    with pytest.raises(ValueError):
        cycles.period_bounds(kind, 2026, number)


@pytest.mark.parametrize(
    "started, months",
    [
        (None, 12),
        (date(2019, 5, 20), 12),
        (date(2026, 1, 1), 12),
        (date(2026, 7, 1), 6),  # July to December: exactly six months
        (date(2026, 7, 2), 5),  # July is not a whole month of service
        (date(2026, 12, 31), 0),
        (date(2027, 1, 1), 0),
    ],
)
def test_months_of_service_in_the_year(started, months):
    assert cycles.months_worked(started, 2026, date(2026, 12, 31)) == months


def test_the_culture_share_weighs_points_and_scales_unpointed_items_to_ten():
    pointed = [
        (Leaf(1, Decimal(4), Decimal(1)), Decimal(2)),
        (Leaf(2, Decimal(6), Decimal(1)), Decimal(6)),
    ]
    assert cycles.culture_fraction(pointed) == Fraction(8, 10)
    unpointed = [(Leaf(1, None, Decimal(1)), Decimal(9)), (Leaf(2, None, Decimal(3)), Decimal(5))]
    assert cycles.culture_fraction(unpointed) == Fraction(9 + 15, 40)
    assert cycles.culture_fraction([]) == 0


def test_scores_are_cut_not_rounded_so_no_threshold_is_crossed_by_rounding():
    share = Fraction(2, 3)  # 66.666…%
    assert cycles.culture_score(share) == Decimal("66.66")
    # 2/3 × 30 = 20 exactly; + 69.99 = 89.99, never 90.
    assert cycles.period_score(share, Decimal(30), Decimal("69.99")) == Decimal("89.99")
    assert cycles.period_score(Fraction(1), Decimal(30), None) == Decimal("30.00")
    assert cycles.cut(Fraction(8999999, 100000)) == Decimal("89.99")


@pytest.mark.parametrize(
    "score, level",
    [
        (Decimal("90"), "HTXS"),
        (Decimal("89.99"), "HTT"),
        (Decimal("70"), "HTT"),
        (Decimal("50"), "HTNV"),
        (Decimal("49.99"), "KHT"),
    ],
)
def test_the_level_of_a_unit_by_its_score(score, level):
    assert cycles.collective_level(score)[0] == level
