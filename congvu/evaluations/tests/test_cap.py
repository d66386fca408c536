"""The HTXS cap: ≤ 20% of those rated HTT per group (25% for an outstanding unit)."""

from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from congvu.evaluations import regimes, rules
from congvu.evaluations.rules import Result

TWENTY, QUARTER = Decimal("0.20"), Decimal("0.25")


def result(pid, level, group="g", score=None) -> Result:
    return Result(pid, group, level, None if score is None else Fraction(score), ())


def group_of(htt: int, htxs_scores: list[int], group="g") -> list[Result]:
    rows = [result(f"t{i}", "HTT", group) for i in range(htt)]
    rows += [result(f"x{i}", "HTXS", group, s) for i, s in enumerate(htxs_scores)]
    return rows


@pytest.mark.parametrize(
    ("htt", "share", "allowed"),
    [
        (0, TWENTY, 0),
        (4, TWENTY, 0),  # 0.8 → 0: "không vượt quá" on a head count is the floor
        (5, TWENTY, 1),
        (9, TWENTY, 1),
        (10, TWENTY, 2),
        (14, TWENTY, 2),
        (3, QUARTER, 0),
        (4, QUARTER, 1),
        (7, QUARTER, 1),
        (8, QUARTER, 2),
    ],
)
def test_allowed_count_is_the_floor_of_the_share_of_htt(htt, share, allowed):
    assert rules.cap_allowed(htt, share) == allowed


def test_group_within_the_cap_is_not_exceeded():
    (check,) = rules.cap_check(group_of(10, [95, 92]), share=TWENTY, source="s")
    assert (check.htt, check.htxs, check.allowed, check.exceeded) == (10, 2, 2, False)
    assert (check.must_change, check.beyond) == (0, ())


def test_group_over_the_cap_names_who_exceeds_but_changes_nobody():
    rows = group_of(10, [91, 97, 93])
    (check,) = rules.cap_check(rows, share=TWENTY, source="s")
    assert (check.htxs, check.allowed, check.exceeded) == (3, 2, True)
    assert check.candidates == ("x1", "x2", "x0")  # best score first
    assert check.must_change == 1  # 2 HTXS ≤ floor(20% × 11 HTT)
    assert check.beyond == ("x0",)
    assert [r.level for r in rows].count("HTXS") == 3


def test_moving_someone_to_htt_grows_the_base():
    # 10 HTT, 4 HTXS: one moved → 3 vs floor(2.2)=2, two moved → 2 vs floor(2.4)=2
    (check,) = rules.cap_check(group_of(10, [99, 98, 97, 96]), share=TWENTY, source="s")
    assert (check.allowed, check.must_change, check.beyond) == (2, 2, ("x2", "x3"))


def test_small_group_may_have_no_htxs_at_all():
    (check,) = rules.cap_check(group_of(4, [95]), share=TWENTY, source="s")
    assert (check.allowed, check.exceeded, check.must_change) == (0, True, 1)


def test_outstanding_unit_exception_raises_the_ceiling_to_25_percent():
    rows = group_of(8, [95, 94])
    (plain,) = rules.cap_check(rows, share=TWENTY, source="s")
    (outstanding,) = rules.cap_check(rows, share=QUARTER, source="s")
    assert (plain.allowed, plain.exceeded) == (1, True)
    assert (outstanding.allowed, outstanding.exceeded) == (2, False)


@pytest.mark.parametrize(
    ("code", "unit_level", "share", "source_part"),
    [
        ("nd233", "HTXS", QUARTER, "Điều 12 khoản 6 điểm b"),
        ("nd233", "HTT", TWENTY, "Điều 12 khoản 6 điểm a"),
        ("nd233", None, TWENTY, "Điều 12 khoản 6 điểm a"),
        ("nd335", "HTXS", QUARTER, "Điều 20 khoản 5 điểm b"),
        ("nd335", None, TWENTY, "Điều 20 khoản 5 điểm a"),
        ("nd90", "HTXS", TWENTY, "đảng viên"),  # no exception under ND 90
    ],
)
def test_cap_share_by_regime_and_unit_level(code, unit_level, share, source_part):
    got, source = rules.cap_share(regimes.REGIMES[code], 2026, unit_level, None)
    assert got == share
    assert source_part in source


def test_cap_share_can_be_set_by_the_unit():
    got, _ = rules.cap_share(regimes.REGIMES["nd335"], 2026, None, {"nd335.cap_share": 0.1})
    assert got == Decimal("0.1")


def test_groups_are_checked_separately_in_order_of_appearance_without_kxl():
    rows = [
        result("a", "HTXS", "kế toán", 95),
        result("b", "HTT", "văn thư"),
        result("c", "KXL", "kế toán", 99),
        result("d", "HTT", 1),
        result("e", "HTT", "1"),
    ]
    checks = rules.cap_check(rows, share=TWENTY, source="s")
    assert [(c.group, c.htt, c.htxs, c.exceeded) for c in checks] == [
        ("kế toán", 0, 1, True),
        ("văn thư", 1, 0, False),
        (1, 1, 0, False),
        ("1", 1, 0, False),
    ]


def test_no_one_rated_means_no_group():
    assert rules.cap_check([], share=TWENTY, source="s") == []


@given(
    htt=st.integers(min_value=0, max_value=400),
    htxs=st.integers(min_value=0, max_value=400),
    share=st.sampled_from([TWENTY, QUARTER, Decimal("0.1"), Decimal("0.33")]),
)
def test_min_changes_is_the_fewest_that_comply(htt, htxs, share):
    """The binary search gives what trying k = 0, 1, 2, … would."""
    fewest = next(k for k in range(htxs + 1) if htxs - k <= rules.cap_allowed(htt + k, share))
    assert rules.min_changes(htt, htxs, share) == fewest
