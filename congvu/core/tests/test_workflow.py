"""Workflows as data (core.workflow): one decide for every machine, refusals in order."""

import pytest

from congvu.core.workflow import Machine, Transition

T = Transition
MACHINE = Machine(
    transitions=(
        T("submit", frozenset({"draft"}), "submitted", frozenset({"self"})),
        T(
            "return",
            frozenset({"submitted"}),
            "draft",
            frozenset({"manager"}),
            needs=(("comment", "Cần ghi ý kiến khi trả lại."),),
        ),
        T(
            "return",
            frozenset({"reviewed"}),
            "submitted",
            frozenset({"council"}),
            needs=(("comment", "Cần ghi ý kiến khi trả lại."),),
        ),
        T(
            "answer",
            frozenset({"open"}),
            "answered",
            needs=(("finding", "Cần ghi kết quả."), ("answer", "Cần ghi trả lời.")),
        ),
    ),
    unknown_move=lambda move: f"Không có thao tác «{move}».",
    wrong_state=lambda move, state: f"Không thể {move} khi «{state}».",
    wrong_role=lambda move, ts: (
        "Chỉ " + " hoặc ".join(sorted(r for t in ts for r in t.roles)) + f" mới được {move}."
    ),
)


@pytest.mark.parametrize(
    ("state", "move", "roles", "texts", "target", "refusal"),
    [
        ("draft", "submit", {"self"}, {}, "submitted", None),
        ("draft", "fly", {"self"}, {}, None, "Không có thao tác «fly»."),
        ("submitted", "submit", {"self"}, {}, None, "Không thể submit khi «submitted»."),
        ("draft", "submit", {"manager"}, {}, None, "Chỉ self mới được submit."),
        (
            "submitted",
            "return",
            {"manager"},
            {"comment": "  "},
            None,
            "Cần ghi ý kiến khi trả lại.",
        ),
        ("submitted", "return", {"manager"}, {"comment": "Bổ sung"}, "draft", None),
        ("reviewed", "return", {"council"}, {"comment": "Xem lại"}, "submitted", None),
        ("reviewed", "return", {"manager"}, {"comment": "x"}, None, "Chỉ council mới được return."),
        ("open", "answer", None, {"answer": "Đã xử lý"}, None, "Cần ghi kết quả."),
        ("open", "answer", None, {"finding": "Đúng", "answer": ""}, None, "Cần ghi trả lời."),
        ("open", "answer", {"anyone"}, {"finding": "Đúng", "answer": "Đã xử lý"}, "answered", None),
    ],
)
def test_decide_checks_move_state_role_then_texts(state, move, roles, texts, target, refusal):
    decision = MACHINE.decide(state, move, roles, **texts)
    assert (decision.target, decision.refusal, decision.ok) == (target, refusal, refusal is None)


def test_a_roles_first_machine_never_tells_an_outsider_the_state():
    machine = Machine(
        transitions=MACHINE.transitions,
        unknown_move=MACHINE.unknown_move,
        wrong_state=MACHINE.wrong_state,
        wrong_role=lambda move, ts: "Không có quyền.",
        roles_first=True,
    )
    assert machine.decide("reviewed", "submit", {"council"}).refusal == "Không có quyền."
    assert machine.decide("reviewed", "submit", {"self"}).refusal == (
        "Không thể submit khi «reviewed»."
    )


@pytest.mark.parametrize(
    ("state", "roles", "moves"),
    [
        ("draft", {"self"}, ["submit"]),
        ("draft", {"manager"}, []),
        ("submitted", {"manager", "council"}, ["return"]),
        ("reviewed", None, ["return"]),
        ("open", {"x"}, ["answer"]),
    ],
)
def test_the_moves_an_actor_may_make_now_once_each(state, roles, moves):
    assert MACHINE.moves_for(state, roles) == moves


def test_the_machine_knows_its_moves_and_targets():
    assert MACHINE.moves() == {"submit", "return", "answer"}
    assert MACHINE.targets() == {"submitted", "draft", "answered"}
