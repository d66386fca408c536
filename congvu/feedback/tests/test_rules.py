"""The pure rules, table by table: the report workflow, SLA deadlines by category and date,
tracking codes and their check character, overdue flags, supervision findings, statistics."""

from datetime import date

import pytest

from congvu.feedback import rules
from congvu.feedback.rules import FindingMove, FindingStatus, Move, SlaSetting, Status

S, M = Status, Move

# (status, move, texts, expected target or None when refused)
WORKFLOW = [
    (S.RECEIVED, M.VERIFY, {}, S.VERIFYING),
    (S.VERIFYING, M.CONCLUDE, {"finding": "Đúng sự việc"}, S.HANDLED),
    (S.VERIFYING, M.CONCLUDE, {}, None),  # a conclusion needs what was found
    (S.VERIFYING, M.CONCLUDE, {"finding": "   "}, None),
    (S.HANDLED, M.ANSWER, {"answer": "Đã chấn chỉnh"}, S.ANSWERED),
    (S.HANDLED, M.ANSWER, {}, None),  # the citizen must get a text
    (S.HANDLED, M.REVERIFY, {"comment": "Thiếu lời khai"}, S.VERIFYING),
    (S.HANDLED, M.REVERIFY, {}, None),
    (S.ANSWERED, M.CLOSE, {}, S.CLOSED),
    (S.RECEIVED, M.REJECT, {"answer": "Không có cơ sở", "finding": "Camera"}, S.REJECTED),
    (S.VERIFYING, M.REJECT, {"answer": "Không có cơ sở", "finding": "Camera"}, S.REJECTED),
    (S.VERIFYING, M.REJECT, {"finding": "Camera"}, None),
    (S.VERIFYING, M.REJECT, {"answer": "Không có cơ sở"}, None),
    # No skipping, no way back from an answer, nothing after the end.
    (S.RECEIVED, M.CONCLUDE, {"finding": "x"}, None),
    (S.RECEIVED, M.ANSWER, {"answer": "x"}, None),
    (S.VERIFYING, M.ANSWER, {"answer": "x"}, None),
    (S.HANDLED, M.REJECT, {"answer": "x", "finding": "x"}, None),
    (S.ANSWERED, M.REVERIFY, {"comment": "x"}, None),
    (S.ANSWERED, M.ANSWER, {"answer": "x"}, None),
    (S.CLOSED, M.VERIFY, {}, None),
    (S.CLOSED, M.CLOSE, {}, None),
    (S.REJECTED, M.VERIFY, {}, None),
    (S.REJECTED, M.CLOSE, {}, None),
    (S.RECEIVED, "delete", {}, None),
]


@pytest.mark.parametrize(("status", "move", "texts", "target"), WORKFLOW)
def test_the_report_workflow_allows_only_its_transitions(status, move, texts, target):
    decision = rules.allowed(status, move, **texts)
    assert decision.target == target
    assert decision.ok == (target is not None)
    if target is None:
        assert decision.refusal and decision.refusal[0].isupper()  # a sentence to show


def test_every_status_is_reachable_and_every_end_is_terminal():
    reached, frontier = {S.RECEIVED}, [S.RECEIVED]
    texts = {"comment": "x", "answer": "x", "finding": "x"}
    while frontier:
        status = frontier.pop()
        for move in rules.moves_from(status):
            target = rules.allowed(status, move, **texts).target
            if target not in reached:
                reached.add(target)
                frontier.append(target)
    assert reached == set(Status)
    assert rules.moves_from(S.CLOSED) == rules.moves_from(S.REJECTED) == ()


# --- SLA -------------------------------------------------------------------------------------

TABLE = (
    SlaSetting("*", 15, date(2019, 1, 1), "mặc định", "U"),
    SlaSetting("ruou-bia", 7, date(2019, 1, 1), "mặc định", "U"),
    SlaSetting("*", 10, date(2027, 1, 1), "quy định mới của tỉnh", "C"),
    SlaSetting("voi-vinh", 5, date(2027, 1, 1), "quy định mới của tỉnh", "C"),
)


@pytest.mark.parametrize(
    ("category", "received", "due"),
    [
        ("gay-kho-khan", date(2026, 11, 21), date(2026, 12, 6)),  # the default: 15 days
        ("ruou-bia", date(2026, 11, 21), date(2026, 11, 28)),  # its own row: 7 days
        ("voi-vinh", date(2026, 12, 31), date(2027, 1, 15)),  # no own row yet: the default
        ("voi-vinh", date(2027, 1, 1), date(2027, 1, 6)),  # its own row from 2027
        ("gay-kho-khan", date(2027, 1, 1), date(2027, 1, 11)),  # the new default from 2027
        ("ruou-bia", date(2027, 3, 1), date(2027, 3, 8)),  # own row beats a newer default
        ("khac", date(2026, 12, 25), date(2027, 1, 9)),  # across the year end
    ],
)
def test_the_deadline_follows_the_setting_in_force_on_the_day_of_receipt(category, received, due):
    assert rules.due_date(category, received, TABLE) == due


def test_the_shipped_defaults_are_documented_assumptions():
    assert rules.due_date("gay-kho-khan", date(2026, 11, 21)) == date(2026, 12, 6)
    assert rules.due_date("ruou-bia", date(2026, 11, 21)) == date(2026, 11, 28)
    assert rules.due_date("voi-vinh", date(2026, 11, 21)) == date(2026, 12, 1)
    assert all(row.confidence == "U" and row.source for row in rules.SLA)


def test_no_deadline_before_any_setting_is_in_force():
    with pytest.raises(LookupError):
        rules.sla_setting("khac", date(2018, 12, 31))


@pytest.mark.parametrize(
    ("status", "due", "today", "answered", "overdue", "late"),
    [
        (S.RECEIVED, date(2026, 11, 21), date(2026, 11, 21), None, False, 0),  # due today
        (S.VERIFYING, date(2026, 11, 20), date(2026, 11, 21), None, True, 1),
        (S.HANDLED, date(2026, 11, 1), date(2026, 11, 21), None, True, 20),
        (S.ANSWERED, date(2026, 11, 1), date(2026, 11, 21), date(2026, 11, 1), False, 0),
        (S.CLOSED, date(2026, 11, 1), date(2026, 11, 21), date(2026, 11, 3), True, 0),  # late
        (S.REJECTED, date(2026, 11, 1), date(2026, 11, 21), date(2026, 10, 30), False, 0),
    ],
)
def test_overdue_means_still_waiting_after_the_due_day_or_answered_after_it(
    status, due, today, answered, overdue, late
):
    assert rules.is_overdue(status, due, today, answered) is overdue
    assert rules.days_late(status, due, today) == late


# --- Tracking codes ----------------------------------------------------------------------------


def test_a_new_code_has_sixteen_characters_from_the_alphabet_and_a_valid_check():
    codes = {rules.tracking_code_new() for _ in range(2000)}
    assert len(codes) == 2000  # 75 random bits: no collision in practice
    for code in list(codes)[:200]:
        assert len(code) == 16 and set(code) <= set(rules.ALPHABET)
        assert rules.tracking_code_problem(code) is None
    assert len(rules.ALPHABET) == len(set(rules.ALPHABET)) == 32
    assert not set("ILOU") & set(rules.ALPHABET)  # no look-alikes


def test_the_check_character_catches_every_single_typo():
    code = rules.tracking_code_new()
    for i, original in enumerate(code):
        for other in rules.ALPHABET:
            if other != original:
                typo = code[:i] + other + code[i + 1 :]
                assert rules.tracking_code_problem(typo) is not None, typo


def test_the_check_character_catches_swapped_neighbours_almost_always():
    caught = total = 0
    for _ in range(300):
        code = rules.tracking_code_new()
        for i in range(len(code) - 1):
            if code[i] != code[i + 1]:
                swapped = code[:i] + code[i + 1] + code[i] + code[i + 2 :]
                total += 1
                caught += rules.tracking_code_problem(swapped) is not None
    assert caught / total > 0.95  # Luhn mod N misses only a few pairs


@pytest.mark.parametrize(
    ("typed", "normalised"),
    [
        ("7k3m-qx2d-9rtf-hw2c", "7K3MQX2D9RTFHW2C"),
        (" 7K3M QX2D 9RTF HW2C ", "7K3MQX2D9RTFHW2C"),
        ("OIL0", "0110"),  # O read as 0, I and L as 1
    ],
)
def test_typed_codes_are_normalised(typed, normalised):
    assert rules.tracking_code_normalise(typed) == normalised


@pytest.mark.parametrize(
    ("code", "message"),
    [
        ("ABC", "16 ký tự"),
        ("U" * 16, "không có chữ U"),
        ("ÁBCDEFGHJKMNPQRS", "không có chữ U"),
    ],
)
def test_malformed_codes_get_a_vietnamese_reason(code, message):
    assert message in rules.tracking_code_problem(code)


def test_a_code_is_shown_in_groups_of_four():
    assert rules.tracking_code_display("7K3MQX2D9RTFHW2C") == "7K3M-QX2D-9RTF-HW2C"


# --- Supervision findings --------------------------------------------------------------------

F, FM = FindingStatus, FindingMove


@pytest.mark.parametrize(
    ("status", "move", "who", "text", "target"),
    [
        (F.OPEN, FM.ANSWER, {"unit"}, "Đã chấn chỉnh", F.ANSWERED),
        (F.OPEN, FM.ANSWER, {"unit"}, "", None),  # an answer needs a text
        (F.OPEN, FM.ANSWER, {"front"}, "x", None),  # the Front does not answer for the unit
        (F.ANSWERED, FM.CLOSE, {"front"}, "", F.CLOSED),
        (F.ANSWERED, FM.CLOSE, {"unit"}, "", None),  # the unit cannot close its own finding
        (F.ANSWERED, FM.REQUEST_MORE, {"front"}, "Chưa rõ biện pháp", F.OPEN),
        (F.ANSWERED, FM.REQUEST_MORE, {"front"}, "", None),
        (F.OPEN, FM.CLOSE, {"front"}, "", None),  # not before an answer
        (F.CLOSED, FM.REQUEST_MORE, {"front"}, "x", None),
        (F.CLOSED, FM.ANSWER, {"unit"}, "x", None),
        (F.OPEN, FM.ANSWER, set(), "x", None),
        (F.OPEN, "withdraw", {"front"}, "x", None),
    ],
)
def test_a_finding_is_answered_by_the_unit_and_closed_by_the_front(status, move, who, text, target):
    assert rules.finding_allowed(status, move, who, text).target == target


# --- Handling figures, computed by hand -------------------------------------------------------


def test_handling_figures_on_a_hand_computed_example():
    d = date
    rows = [
        (d(2026, 10, 1), d(2026, 10, 16), d(2026, 10, 5)),  # 4 days, on time
        (d(2026, 10, 2), d(2026, 10, 17), d(2026, 10, 17)),  # 15 days, on the due day: on time
        (d(2026, 10, 3), d(2026, 10, 10), d(2026, 10, 20)),  # 17 days, late
        (d(2026, 10, 4), d(2026, 10, 19), None),  # still open: received only
    ]
    figures = rules.handling_figures(rows)
    assert (figures.received, figures.answered, figures.on_time) == (4, 3, 2)
    assert figures.on_time_share == pytest.approx(2 / 3)
    assert figures.median_days == 15.0


def test_handling_figures_of_nothing_answered_have_no_shares():
    figures = rules.handling_figures([(date(2026, 11, 1), date(2026, 11, 16), None)])
    assert (figures.received, figures.answered) == (1, 0)
    assert figures.on_time_share is None and figures.median_days is None
    assert rules.handling_figures([]).received == 0


def test_the_median_of_an_even_count_is_the_mean_of_the_middle_two():
    d = date(2026, 10, 1)
    rows = [(d, date(2026, 12, 1), date(2026, 10, day)) for day in (2, 4, 6, 30)]
    assert rules.handling_figures(rows).median_days == 4.0  # (3 + 5) / 2
