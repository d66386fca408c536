"""The pure workflow: every state × move × role against a table written out by hand."""

from datetime import date

import pytest

from congvu.evaluations import workflow
from congvu.evaluations.workflow import Deadlines, Edit, Move, State

ROLES = ["self", "manager", "council", "noi_vu"]

# (state, move) → {role: new state}; a role not listed is refused.
EXPECTED = {
    ("draft", "submit"): {"self": "submitted"},
    ("submitted", "review"): {"manager": "reviewed"},
    ("submitted", "return"): {"manager": "draft"},
    ("reviewed", "return"): {"council": "submitted"},
    ("concluded", "return"): {"council": "submitted"},
    ("reviewed", "conclude"): {"council": "concluded"},
    ("concluded", "conclude"): {"council": "concluded"},
    ("concluded", "publish"): {"council": "published"},
    ("published", "reopen"): {"council": "reviewed", "noi_vu": "reviewed"},
}


@pytest.mark.parametrize("state", [s.value for s in State])
@pytest.mark.parametrize("move", [m.value for m in Move])
@pytest.mark.parametrize("role", ROLES)
def test_every_move_of_every_role_in_every_state(state, move, role):
    decision = workflow.allowed(state, move, {role}, comment="Lý do")
    expected = EXPECTED.get((state, move), {}).get(role)
    assert decision.target == expected
    assert decision.ok == (expected is not None)
    if not decision.ok:
        assert decision.refusal  # always a reason, in Vietnamese


def test_no_role_may_do_anything():
    for state in State:
        for move in Move:
            assert not workflow.allowed(state, move, set(), comment="x").ok


def test_returns_and_reopening_need_a_comment():
    assert workflow.allowed("submitted", "return", {"manager"}).refusal == (
        "Cần ghi ý kiến khi trả lại."
    )
    assert workflow.allowed("reviewed", "return", {"council"}, "   ").refusal == (
        "Cần ghi ý kiến khi trả lại."
    )
    assert workflow.allowed("published", "reopen", {"noi_vu"}).refusal == "Cần ghi lý do mở lại."
    assert workflow.allowed("published", "reopen", {"noi_vu"}, "Khiếu nại").target == "reviewed"


def test_refusals_say_why_in_vietnamese():
    assert workflow.allowed("draft", "review", {"manager"}).refusal == (
        "Không thể nhận xét, đánh giá khi hồ sơ ở trạng thái «Đang tự đánh giá»."
    )
    assert workflow.allowed("submitted", "review", {"self"}).refusal == (
        "Chỉ người quản lý trực tiếp mới được nhận xét, đánh giá ở bước này."
    )
    assert workflow.allowed("published", "conclude", {"council"}).refusal == (
        "Kết quả đã công bố và bị khóa: không thể kết luận, xếp loại."
    )
    assert workflow.allowed("draft", "delete", {"council"}).refusal == "Không có thao tác «delete»."


@pytest.mark.parametrize(
    "edit, allowed",
    [
        (Edit.SELF_SCORE, {("draft", "self")}),
        (Edit.MANAGER_SCORE, {("submitted", "manager")}),
        (Edit.GROUP, {(s, "council") for s in ("draft", "submitted", "reviewed", "concluded")}),
    ],
)
def test_who_may_change_scores_when(edit, allowed):
    for state in State:
        for role in ROLES:
            refusal = workflow.may_edit(state, edit, {role})
            assert (refusal is None) == ((state.value, role) in allowed), (state, role)
    assert "khóa" in workflow.may_edit("published", Edit.SELF_SCORE, {"self"})


def test_the_moves_offered_to_an_actor():
    assert workflow.moves_for("submitted", {"manager"}) == [Move.REVIEW, Move.RETURN]
    assert workflow.moves_for("concluded", {"council"}) == [
        Move.RETURN,
        Move.CONCLUDE,
        Move.PUBLISH,
    ]
    assert workflow.moves_for("published", {"self"}) == []


DEADLINES = Deadlines(date(2026, 12, 10), date(2026, 12, 20), date(2026, 12, 31))


@pytest.mark.parametrize(
    "state, today, late",
    [
        ("draft", date(2026, 12, 10), 0),  # the deadline day itself is on time
        ("draft", date(2026, 12, 11), 1),
        ("submitted", date(2026, 12, 11), 0),
        ("submitted", date(2026, 12, 25), 5),
        ("reviewed", date(2026, 12, 31), 0),
        ("concluded", date(2027, 1, 2), 2),
        ("published", date(2027, 6, 1), 0),  # nothing waits on anyone
    ],
)
def test_lateness_is_computed_from_the_dates_only(state, today, late):
    assert workflow.days_late(state, DEADLINES, today) == late
    assert workflow.is_late(state, DEADLINES, today) == (late > 0)


def test_late_states_and_reminder_states_of_a_day():
    assert workflow.late_states(DEADLINES, date(2026, 12, 15)) == {State.DRAFT}
    assert workflow.late_states(DEADLINES, date(2027, 1, 1)) == {
        State.DRAFT,
        State.SUBMITTED,
        State.REVIEWED,
        State.CONCLUDED,
    }
    assert workflow.reminder_states(DEADLINES, date(2026, 12, 7), 3) == {State.DRAFT}
    assert workflow.reminder_states(DEADLINES, date(2026, 12, 6), 3) == set()
    assert workflow.deadline("published", DEADLINES) is None
