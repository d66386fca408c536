"""The evaluation workflow as a pure state machine: states, moves, who may make them, deadlines.

No ORM: the services ask ``allowed`` before every transition and ``may_edit`` before every
change of a score, with the actor's roles from ``congvu.evaluations.access.evaluation_roles``.

    draft ──submit (self)──▶ submitted ──review (manager)──▶ reviewed ──conclude (council)──▶
    concluded ──publish (council)──▶ published (locked)

    submitted ──return (manager, comment)──▶ draft
    reviewed, concluded ──return (council, comment)──▶ submitted
    reviewed, concluded ──conclude (council)──▶ concluded   (the council may decide again)
    published ──reopen (council or Sở Nội vụ, reason)──▶ reviewed

The steps follow issue 3 (self-assessment → direct manager → council or head → published and
locked); a unit's own (collective) assessment follows the same path, Sở Nội vụ in the council's
place.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from congvu.core.workflow import Decision, Machine, Transition


class State(StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    REVIEWED = "reviewed"
    CONCLUDED = "concluded"
    PUBLISHED = "published"


STATE_NAMES: dict[str, str] = {
    State.DRAFT: "Đang tự đánh giá",
    State.SUBMITTED: "Chờ người quản lý trực tiếp nhận xét",
    State.REVIEWED: "Chờ hội đồng kết luận",
    State.CONCLUDED: "Đã kết luận, chờ công bố",
    State.PUBLISHED: "Đã công bố",
}


class Move(StrEnum):
    SUBMIT = "submit"
    REVIEW = "review"
    RETURN = "return"
    CONCLUDE = "conclude"
    PUBLISH = "publish"
    REOPEN = "reopen"


MOVE_NAMES: dict[str, str] = {
    Move.SUBMIT: "nộp bản tự đánh giá",
    Move.REVIEW: "nhận xét, đánh giá",
    Move.RETURN: "trả lại",
    Move.CONCLUDE: "kết luận, xếp loại",
    Move.PUBLISH: "công bố kết quả",
    Move.REOPEN: "mở lại kết quả đã công bố",
}


class Edit(StrEnum):
    SELF_SCORE = "self_score"  # the official's own scores, comments and evidence files
    MANAGER_SCORE = "manager_score"  # the manager's changes of scores (each with a reason)
    GROUP = "group"  # the council sets the group of similar tasks used by the cap


SELF, MANAGER, COUNCIL, NOI_VU = "self", "manager", "council", "noi_vu"
ROLE_NAMES: dict[str, str] = {
    SELF: "người được đánh giá",
    MANAGER: "người quản lý trực tiếp",
    COUNCIL: "hội đồng hoặc thủ trưởng đơn vị",
    NOI_VU: "Sở Nội vụ",
}


_COMMENT = {
    Move.RETURN: (("comment", "Cần ghi ý kiến khi trả lại."),),
    Move.REOPEN: (("comment", "Cần ghi lý do mở lại."),),
}


def _rule(
    move: Move, sources: set[State], target: State, roles: set[str], comment: bool = False
) -> Transition:
    needs = _COMMENT[move] if comment else ()
    return Transition(move, frozenset(sources), target, frozenset(roles), needs)


S = State
RULES: tuple[Transition, ...] = (
    _rule(Move.SUBMIT, {S.DRAFT}, S.SUBMITTED, {SELF}),
    _rule(Move.REVIEW, {S.SUBMITTED}, S.REVIEWED, {MANAGER}),
    _rule(Move.RETURN, {S.SUBMITTED}, S.DRAFT, {MANAGER}, comment=True),
    _rule(Move.RETURN, {S.REVIEWED, S.CONCLUDED}, S.SUBMITTED, {COUNCIL}, comment=True),
    _rule(Move.CONCLUDE, {S.REVIEWED, S.CONCLUDED}, S.CONCLUDED, {COUNCIL}),
    _rule(Move.PUBLISH, {S.CONCLUDED}, S.PUBLISHED, {COUNCIL}),
    _rule(Move.REOPEN, {S.PUBLISHED}, S.REVIEWED, {COUNCIL, NOI_VU}, comment=True),
)
EDITS: dict[Edit, tuple[frozenset[State], frozenset[str]]] = {
    Edit.SELF_SCORE: (frozenset({S.DRAFT}), frozenset({SELF})),
    Edit.MANAGER_SCORE: (frozenset({S.SUBMITTED}), frozenset({MANAGER})),
    Edit.GROUP: (frozenset({S.DRAFT, S.SUBMITTED, S.REVIEWED, S.CONCLUDED}), frozenset({COUNCIL})),
}


def _roles_text(roles: frozenset[str]) -> str:
    return " hoặc ".join(ROLE_NAMES[r] for r in sorted(roles))


def _wrong_state(move: str, state: str) -> str:
    name = MOVE_NAMES[Move(move)]
    if state == S.PUBLISHED:
        return f"Kết quả đã công bố và bị khóa: không thể {name}."
    return f"Không thể {name} khi hồ sơ ở trạng thái «{STATE_NAMES[State(state)]}»."


def _wrong_role(move: str, matching: Sequence[Transition]) -> str:
    who = " hoặc ".join(_roles_text(r.roles) for r in matching)
    return f"Chỉ {who} mới được {MOVE_NAMES[Move(move)]} ở bước này."


MACHINE = Machine(
    transitions=RULES,
    unknown_move=lambda move: f"Không có thao tác «{move}».",
    wrong_state=_wrong_state,
    wrong_role=_wrong_role,
)
"""The evaluation workflow on the kernel's one mechanism (``core.workflow``)."""


def allowed(state: str, move: str, roles: frozenset[str] | set[str], comment: str = "") -> Decision:
    """May an actor with ``roles`` make ``move`` from ``state``? ``comment`` must be non-blank
    where the move needs one (returns, reopening)."""
    return MACHINE.decide(State(state), move, frozenset(roles), comment=comment)


def may_edit(state: str, edit: Edit, roles: frozenset[str] | set[str]) -> str | None:
    """None if an actor with ``roles`` may make this kind of change now, else why not."""
    state = State(state)
    states, who = EDITS[edit]
    if state == S.PUBLISHED:
        return "Kết quả đã công bố và bị khóa; chỉ sửa được sau khi mở lại (có ghi lý do)."
    if state not in states:
        return f"Không sửa được ở trạng thái «{STATE_NAMES[state]}»."
    if not who & frozenset(roles):
        return f"Chỉ {_roles_text(who)} mới được sửa ở bước này."
    return None


def moves_for(state: str, roles: frozenset[str] | set[str]) -> list[Move]:
    """The moves an actor may make now (for buttons), in the order of RULES."""
    return [Move(m) for m in MACHINE.moves_for(State(state), frozenset(roles))]


# --- Deadlines ------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Deadlines:
    """The last day of each step (inclusive): self-assessment, manager, council."""

    self_step: date
    manager_step: date
    council_step: date


def deadline(state: str, deadlines: Deadlines) -> date | None:
    """The day by which the step the evaluation waits on must be done (None once published)."""
    return {
        S.DRAFT: deadlines.self_step,
        S.SUBMITTED: deadlines.manager_step,
        S.REVIEWED: deadlines.council_step,
        S.CONCLUDED: deadlines.council_step,
        S.PUBLISHED: None,
    }[State(state)]


def days_late(state: str, deadlines: Deadlines, today: date) -> int:
    """Days past the deadline of the current step; 0 when on time (the deadline day is on time)."""
    due = deadline(state, deadlines)
    return max(0, (today - due).days) if due is not None else 0


def is_late(state: str, deadlines: Deadlines, today: date) -> bool:
    return days_late(state, deadlines, today) > 0


def late_states(deadlines: Deadlines, today: date) -> frozenset[State]:
    """The states in which an evaluation is late today (one cycle shares its deadlines)."""
    return frozenset(s for s in State if is_late(s, deadlines, today))


def reminder_states(deadlines: Deadlines, today: date, days_before: int) -> frozenset[State]:
    """States whose step is due within ``days_before`` days, or already late: remind today."""
    horizon = today + timedelta(days=days_before)
    return frozenset(
        s for s in State if (due := deadline(s, deadlines)) is not None and due <= horizon
    )
