"""The days a case is not considered (pure): overlapping pauses counted once, an open pause
up to the day, pauses after the day not yet counted; and the case's workflow."""

from datetime import date

import pytest

from congvu.discipline import rules

D = date
DAY = D(2026, 11, 21)


@pytest.mark.parametrize(
    ("intervals", "days"),
    [
        ([], 0),
        ([(D(2026, 3, 1), D(2026, 3, 10))], 10),  # both ends included
        ([(D(2026, 3, 1), D(2026, 3, 1))], 1),
        ([(D(2026, 3, 1), D(2026, 3, 10)), (D(2026, 3, 5), D(2026, 3, 20))], 20),  # overlap once
        ([(D(2026, 3, 5), D(2026, 3, 20)), (D(2026, 3, 1), D(2026, 3, 10))], 20),  # any order
        ([(D(2026, 3, 1), D(2026, 3, 31)), (D(2026, 3, 10), D(2026, 3, 12))], 31),  # inside
        ([(D(2026, 3, 1), D(2026, 3, 10)), (D(2026, 3, 11), D(2026, 3, 20))], 20),  # adjacent
        ([(D(2026, 3, 1), D(2026, 3, 10)), (D(2026, 4, 1), D(2026, 4, 10))], 20),  # apart
        ([(D(2026, 11, 12), None)], 10),  # open: up to and including the day
        ([(D(2026, 11, 21), None)], 1),
        ([(D(2026, 11, 12), None), (D(2026, 11, 1), D(2026, 11, 15))], 21),
        ([(D(2026, 11, 15), D(2026, 12, 31))], 7),  # a later end: not yet
        ([(D(2026, 12, 1), D(2026, 12, 31))], 0),  # not begun
        ([(D(2026, 12, 1), None)], 0),
    ],
)
def test_paused_days_on_a_day(intervals, days):
    assert rules.paused_days(intervals, DAY) == days


def test_pauses_lengthen_both_limits():
    days = rules.paused_days(
        [(D(2026, 3, 1), D(2026, 3, 10)), (D(2026, 3, 5), D(2026, 3, 20))], DAY
    )
    plain = rules.Violation(D(2026, 1, 12), D(2026, 2, 2), "khien_trach")
    paused = rules.Violation(D(2026, 1, 12), D(2026, 2, 2), "khien_trach", paused_days=days)
    assert rules.limitation_end(paused, "cong_chuc")[0] == D(2031, 2, 1)  # 12/01/2031 + 20
    assert rules.processing_deadline(paused)[0] == D(2026, 5, 23)  # 03/05/2026 + 20
    assert rules.limitation_end(plain, "cong_chuc")[0] == D(2031, 1, 12)


@pytest.mark.parametrize(
    ("state", "move", "target"),
    [
        ("open", "pause", "paused"),
        ("paused", "resume", "open"),
        ("open", "council", "council"),
        ("open", "decide", "decided"),
        ("council", "decide", "decided"),
        ("paused", "time_bar", "closed_time_barred"),
        ("council", "time_bar", "closed_time_barred"),
    ],
)
def test_the_case_moves(state, move, target):
    assert rules.CASE_MACHINE.decide(state, move).target == target


@pytest.mark.parametrize(
    ("state", "move"),
    [
        ("paused", "decide"),  # not considered while paused
        ("paused", "council"),
        ("council", "pause"),
        ("decided", "drop"),
        ("dropped", "resume"),
        ("closed_time_barred", "decide"),
        ("open", "resume"),
    ],
)
def test_moves_the_state_refuses(state, move):
    decision = rules.CASE_MACHINE.decide(state, move)
    assert not decision.ok and "Không thể" in decision.refusal


def test_dropping_needs_a_reason():
    assert not rules.CASE_MACHINE.decide("open", "drop", reason=" ").ok
    assert rules.CASE_MACHINE.decide("open", "drop", reason="Không có vi phạm").target == "dropped"


def test_every_reason_and_state_has_a_label():
    assert set(rules.PAUSE_REASONS) == {"illness", "maternity", "prosecution", "complaint"}
    assert rules.CASE_MACHINE.targets() | {"open"} == set(rules.CASE_STATUS_NAMES)
