"""Pure rules of citizen reports (phản ánh, kiến nghị) and supervision findings: no database.

Reports, as a state machine (issue 4; seed 000 item 12, seed 002: misconduct is handled and the
citizen answered)::

    received ──verify──▶ verifying ──conclude (finding)──▶ handled ──answer (public text)──▶
    answered ──close──▶ closed

    received, verifying ──reject (public text: why it is unfounded)──▶ rejected
    handled ──reverify (comment)──▶ verifying

Supervision findings of the Fatherland Front (seed 000 item 14, seed 002; giám sát, kiến nghị)::

    open ──answer (the unit)──▶ answered ──close (MTTQ)──▶ closed
    answered ──request_more (MTTQ, comment)──▶ open

Deadlines are calendar days after receipt, from dated settings (``SLA``): no legal deadline for
conduct reports was found, so the defaults are documented assumptions [U]
(docs/legal/feedback.md#f-3, docs/feedback.md).
"""

import secrets
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum
from statistics import median

from congvu.core.dated import SETTINGS, Registry, Setting, add_settings
from congvu.core.workflow import Decision, Machine, Transition

# --- Report states and moves ----------------------------------------------------------


class Status(StrEnum):
    RECEIVED = "received"
    VERIFYING = "verifying"
    HANDLED = "handled"
    ANSWERED = "answered"
    CLOSED = "closed"
    REJECTED = "rejected"


STATUS_NAMES: dict[str, str] = {
    Status.RECEIVED: "Đã tiếp nhận",
    Status.VERIFYING: "Đang xác minh",
    Status.HANDLED: "Đã xử lý, chờ trả lời",
    Status.ANSWERED: "Đã trả lời",
    Status.CLOSED: "Đã kết thúc",
    Status.REJECTED: "Không có cơ sở (đã trả lời)",
}
OPEN_STATUSES = frozenset({Status.RECEIVED, Status.VERIFYING, Status.HANDLED})
"""Waiting on the unit: these can be overdue."""
ANSWERED_STATUSES = frozenset({Status.ANSWERED, Status.CLOSED, Status.REJECTED})
"""The citizen has an answer (a rejection is an answer too)."""


class Move(StrEnum):
    VERIFY = "verify"
    CONCLUDE = "conclude"
    REVERIFY = "reverify"
    ANSWER = "answer"
    REJECT = "reject"
    CLOSE = "close"


MOVE_NAMES: dict[str, str] = {
    Move.VERIFY: "Bắt đầu xác minh",
    Move.CONCLUDE: "Kết luận xác minh",
    Move.REVERIFY: "Xác minh lại",
    Move.ANSWER: "Trả lời người phản ánh",
    Move.REJECT: "Kết luận không có cơ sở",
    Move.CLOSE: "Kết thúc hồ sơ",
}


_NEEDS = {
    "comment": ("comment", "Cần ghi lý do."),
    "finding": ("finding", "Cần ghi kết quả xác minh."),
    "answer": ("answer", "Cần ghi nội dung trả lời người phản ánh."),
}


def _rule(move: Move, sources: set[Status], target: Status, *needs: str) -> Transition:
    """Texts are checked in the order comment, finding, answer."""
    ordered = tuple(_NEEDS[n] for n in ("comment", "finding", "answer") if n in needs)
    return Transition(move, frozenset(sources), target, needs=ordered)


S = Status
RULES: tuple[Transition, ...] = (
    _rule(Move.VERIFY, {S.RECEIVED}, S.VERIFYING),
    _rule(Move.CONCLUDE, {S.VERIFYING}, S.HANDLED, "finding"),
    _rule(Move.REVERIFY, {S.HANDLED}, S.VERIFYING, "comment"),
    _rule(Move.ANSWER, {S.HANDLED}, S.ANSWERED, "answer"),
    _rule(Move.REJECT, {S.RECEIVED, S.VERIFYING}, S.REJECTED, "answer", "finding"),
    _rule(Move.CLOSE, {S.ANSWERED}, S.CLOSED),
)
MACHINE = Machine(
    transitions=RULES,
    unknown_move=lambda move: "Thao tác không hợp lệ.",
    wrong_state=lambda move, status: (
        f"Không thể «{MOVE_NAMES[Move(move)].lower()}» khi hồ sơ "
        f"«{STATUS_NAMES.get(status, status)}»."
    ),
)
"""The reports' workflow on the kernel's one mechanism (``core.workflow``): whoever handles
the report may make every move; the texts make the difference."""


def allowed(
    status: str, move: str, *, comment: str = "", answer: str = "", finding: str = ""
) -> Decision:
    """May ``move`` be made from ``status`` with these texts? Whitespace counts as empty."""
    return MACHINE.decide(status, move, comment=comment, answer=answer, finding=finding)


def moves_from(status: str) -> tuple[Move, ...]:
    """The moves possible from ``status``, in the order of ``RULES`` (buttons on the page)."""
    return tuple(Move(m) for m in MACHINE.moves_for(status))


# --- Deadlines: dated SLA settings per category ---------------------------------------


@dataclass(frozen=True, slots=True)
class SlaSetting:
    """Days to answer a report of ``category`` ("*" = any), received from ``effective_from``.

    The row with the latest ``effective_from`` not after the day of receipt holds, the
    category's own rows before the default's (like ``evaluations.regimes.setting_in_force``).
    """

    category: str
    days: int
    effective_from: date
    source: str
    confidence: str  # "C", "C*" or "U" (docs/legal/README.md#tags)


_SLA_SOURCE = (
    "Thời hạn do tỉnh quy định; LEGAL.md không nêu thời hạn xử lý phản ánh về văn hóa công vụ "
    "(giá trị mặc định của CôngVụ, docs/feedback.md)"
)
SLA: tuple[SlaSetting, ...] = (
    SlaSetting("*", 15, date(2019, 1, 1), _SLA_SOURCE, "U"),
    # Conduct that must be checked while the facts are fresh (alcohol at work, soliciting money).
    SlaSetting("ruou-bia", 7, date(2019, 1, 1), _SLA_SOURCE, "U"),
    SlaSetting("voi-vinh", 10, date(2019, 1, 1), _SLA_SOURCE, "U"),
)


SLA_NAME = "feedback.sla_days"
"""Dated settings (``core.dated``): ``feedback.sla_days`` for any category,
``feedback.sla_days.<category>`` for a category's own deadline."""


def _sla_name(category: str) -> str:
    return SLA_NAME if category == "*" else f"{SLA_NAME}.{category}"


def _registry(table: Sequence[SlaSetting]) -> Registry:
    registry = Registry()
    registry.add(
        *(
            Setting(_sla_name(r.category), r.days, r.source, r.confidence, r.effective_from)
            for r in table
        )
    )
    return registry


_SHIPPED = _registry(SLA)
add_settings(*(row for name in _SHIPPED.names() for row in _SHIPPED.rows(name)))


def sla_setting(
    category: str,
    day: date,
    table: Sequence[SlaSetting] | None = None,
    overrides: Mapping[str, object] | None = None,
) -> SlaSetting:
    """The deadline in force on ``day`` for ``category``: its own row first, else the default
    (the kernel's registry, or ``table``); a province's override of that row's name wins."""
    registry = SETTINGS if table is None else _registry(table)
    try:
        row = registry.first_in_force([_sla_name(category), SLA_NAME], day)
    except KeyError:
        raise LookupError(f"No SLA in force on {day.isoformat()} for {category!r}") from None
    days = int(str(registry.value(row.name, day, overrides)))
    own = row.name.removeprefix(SLA_NAME).removeprefix(".") or "*"
    return SlaSetting(own, days, row.effective_from, row.source, row.confidence)


def due_date(
    category: str,
    received_on: date,
    table: Sequence[SlaSetting] | None = None,
    overrides: Mapping[str, object] | None = None,
) -> date:
    """The day by which the citizen must have an answer (calendar days after receipt)."""
    setting = sla_setting(category, received_on, table, overrides)
    return received_on + timedelta(days=setting.days)


def is_overdue(status: str, due_on: date, today: date, answered_on: date | None = None) -> bool:
    """Still waiting on the unit after the due day, or answered after it."""
    if status in OPEN_STATUSES:
        return today > due_on
    return answered_on is not None and answered_on > due_on


def days_late(status: str, due_on: date, today: date) -> int:
    return max(0, (today - due_on).days) if status in OPEN_STATUSES else 0


# --- Tracking codes (QUALITY.md S2) ------------------------------------------------------

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
"""Crockford's base 32: digits and letters without I, L, O and U (no look-alikes)."""
CODE_RANDOM = 15  # 15 × 5 = 75 bits from ``secrets``
CODE_LENGTH = CODE_RANDOM + 1  # and one check character
_READ_AS = {"O": "0", "I": "1", "L": "1"}


def check_character(payload: str) -> str:
    """The Luhn mod N check character (N = 32) of ``payload``.

    It catches every single mistyped character and almost every swap of two neighbours,
    so a typo is refused before any lookup.
    """
    n, total, factor = len(ALPHABET), 0, 2
    for char in reversed(payload):
        addend = factor * ALPHABET.index(char)
        total += addend // n + addend % n
        factor = 1 if factor == 2 else 2
    return ALPHABET[(n - total % n) % n]


def tracking_code_new() -> str:
    payload = "".join(secrets.choice(ALPHABET) for _ in range(CODE_RANDOM))
    return payload + check_character(payload)


def tracking_code_normalise(raw: str) -> str:
    """Upper case without spaces or dashes; O read as 0 and I, L as 1 (Crockford)."""
    text = "".join(ch for ch in (raw or "").upper() if ch not in " -\t._")
    return "".join(_READ_AS.get(ch, ch) for ch in text)


def tracking_code_problem(code: str) -> str | None:
    """Why a normalised code cannot be one of ours (Vietnamese), or None."""
    if len(code) != CODE_LENGTH:
        return f"Mã theo dõi gồm {CODE_LENGTH} ký tự (chữ và số)."
    if any(ch not in ALPHABET for ch in code):
        return "Mã theo dõi chỉ gồm chữ số và chữ cái in hoa, không có chữ U."
    if check_character(code[:-1]) != code[-1]:
        return "Mã theo dõi không đúng: hãy kiểm tra lại từng ký tự."
    return None


def tracking_code_display(code: str) -> str:
    """In groups of four: 7K3M-QX2D-…"""
    return "-".join(code[i : i + 4] for i in range(0, len(code), 4))


# --- Supervision findings (giám sát, kiến nghị) ------------------------------------------


class FindingStatus(StrEnum):
    OPEN = "open"
    ANSWERED = "answered"
    CLOSED = "closed"


FINDING_STATUS_NAMES: dict[str, str] = {
    FindingStatus.OPEN: "Chờ đơn vị trả lời",
    FindingStatus.ANSWERED: "Đơn vị đã trả lời",
    FindingStatus.CLOSED: "Đã kết thúc giám sát",
}


class FindingMove(StrEnum):
    ANSWER = "answer"
    CLOSE = "close"
    REQUEST_MORE = "request_more"


UNIT, FRONT = "unit", "front"  # who moves: the unit supervised, the Fatherland Front
F = FindingStatus
FINDING_RULES: tuple[Transition, ...] = (
    Transition(
        FindingMove.ANSWER,
        frozenset({F.OPEN}),
        F.ANSWERED,
        frozenset({UNIT}),
        needs=(("text", "Cần ghi nội dung trả lời."),),
    ),
    Transition(FindingMove.CLOSE, frozenset({F.ANSWERED}), F.CLOSED, frozenset({FRONT})),
    Transition(
        FindingMove.REQUEST_MORE,
        frozenset({F.ANSWERED}),
        F.OPEN,
        frozenset({FRONT}),
        needs=(("text", "Cần ghi nội dung đề nghị trả lời bổ sung."),),
    ),
)
FINDING_MACHINE = Machine(
    transitions=FINDING_RULES,
    unknown_move=lambda move: "Thao tác không hợp lệ.",
    wrong_state=lambda move, status: (
        f"Không thể thực hiện khi kiến nghị «{FINDING_STATUS_NAMES.get(status, status)}»."
    ),
    wrong_role=lambda move, ts: "Bạn không có quyền thực hiện thao tác này với kiến nghị.",
    roles_first=True,
)
"""Supervision findings: the actor's side (unit, Front) is checked before the state."""
FINDING_ANSWER_DAYS = 30
"""Days the unit has to answer a finding unless the Front sets a date [U] (docs/feedback.md)."""


def finding_movers(move: str) -> frozenset[str]:
    """Who may make ``move`` at all (empty for an unknown move)."""
    return frozenset(r for t in FINDING_RULES if t.move == move for r in t.roles)


def finding_allowed(status: str, move: str, who: Iterable[str], text: str = "") -> Decision:
    return FINDING_MACHINE.decide(status, move, who, text=text)


# --- Handling statistics -----------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class HandlingFigures:
    received: int
    answered: int
    on_time: int
    on_time_share: float | None  # of answered reports, 0..1
    median_days: float | None  # receipt → answer, calendar days


def handling_figures(rows: Iterable[tuple[date, date, date | None]]) -> HandlingFigures:
    """From (received_on, due_on, answered_on) rows: counts, on-time share and median days.

    On time: answered on or before the due day. Reports still open count as received only.
    """
    received = answered = on_time = 0
    days: list[int] = []
    for received_on, due_on, answered_on in rows:
        received += 1
        if answered_on is None:
            continue
        answered += 1
        on_time += answered_on <= due_on
        days.append((answered_on - received_on).days)
    return HandlingFigures(
        received=received,
        answered=answered,
        on_time=on_time,
        on_time_share=on_time / answered if answered else None,
        median_days=float(median(days)) if days else None,
    )
