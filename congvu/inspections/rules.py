"""Inspections as pure rules (no database): who may sit on a team, when the inspected unit
learns of an inspection, the inspection's workflow, when it may close, and how an answer sent
twice from a phone is told apart from a changed one.

Basis: teams are set up by a decision of Sở Nội vụ or of the unit that organises the
inspection, for planned and for unannounced (đột xuất) inspections (../shared/LEGAL.md,
update 2026-12-04 item 8; e.g. Chỉ thị 18/CT-UBND of Huế, 29/12/2025). The checklist is
QĐ 129/2007/QĐ-TTg and QĐ 1847/QĐ-TTg (``inspections.catalogue``).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Collection, Mapping

from congvu.core.workflow import Machine, Transition

PLANNED, AD_HOC, UNANNOUNCED = "planned", "ad_hoc", "unannounced"
KIND_NAMES = {
    PLANNED: "Theo kế hoạch",
    AD_HOC: "Đột xuất có thông báo",
    UNANNOUNCED: "Đột xuất không báo trước",
}

SCHEDULED, IN_PROGRESS, CLOSED = "planned", "in_progress", "closed"
STATUS_NAMES = {
    SCHEDULED: "Chưa tiến hành",
    IN_PROGRESS: "Đang kiểm tra",
    CLOSED: "Đã kết thúc",
}
START, CLOSE = "start", "close"
MOVE_NAMES = {START: "bắt đầu kiểm tra", CLOSE: "kết thúc kiểm tra"}

LEAD, MEMBER = "lead", "member"
TEAM_ROLE_NAMES = {LEAD: "Trưởng đoàn", MEMBER: "Thành viên"}

COMPLIANT, NOT_COMPLIANT, NOT_APPLICABLE = "compliant", "not_compliant", "not_applicable"
RESULT_NAMES = {
    COMPLIANT: "Đạt",
    NOT_COMPLIANT: "Không đạt",
    NOT_APPLICABLE: "Không áp dụng",
}

MACHINE = Machine(
    transitions=(
        Transition(START, frozenset({SCHEDULED}), IN_PROGRESS, frozenset({LEAD})),
        Transition(CLOSE, frozenset({IN_PROGRESS}), CLOSED, frozenset({LEAD})),
    ),
    unknown_move=lambda move: f"Không có thao tác «{move}».",
    wrong_state=lambda move, state: (
        f"Không thể {MOVE_NAMES.get(move, move)} khi cuộc kiểm tra ở trạng thái "
        f"«{STATUS_NAMES.get(state, state)}»."
    ),
    wrong_role=lambda move, ts: f"Chỉ trưởng đoàn được {MOVE_NAMES.get(move, move)}.",
)
"""Scheduled → in progress (the lead starts it on site) → closed (the lead signs the biên
bản off once every item is answered)."""


def visible_to_inspected(kind: str, started: bool) -> bool:
    """Whether the inspected unit's people may know of an inspection: an unannounced one stays
    hidden from them until the team starts it on site; the others are notified when set up."""
    return kind != UNANNOUNCED or started


def conflict_of_interest(member_unit_id: int | None, inspected_scope: Collection[int]) -> bool:
    """A member whose own unit is the inspected unit, or under it (its subtree today and the
    units that live on in it), may not inspect it. A member with no unit has no conflict."""
    return member_unit_id is not None and member_unit_id in inspected_scope


def team_refusal(lead_count: int, member_ids: list[int]) -> str | None:
    """A team has exactly one lead and nobody twice."""
    if lead_count != 1:
        return "Đoàn kiểm tra phải có đúng một trưởng đoàn."
    if len(set(member_ids)) != len(member_ids):
        return "Một người chỉ được ghi một lần trong đoàn kiểm tra."
    return None


def close_refusal(items: int, answered: int) -> str | None:
    """An inspection closes only when it has items and every one of them is answered."""
    if items == 0:
        return "Cuộc kiểm tra chưa có nội dung kiểm tra nào."
    if answered < items:
        return f"Còn {items - answered} nội dung chưa có kết quả kiểm tra."
    return None


def answer_refusal(result: str, person_level: bool, staff_id: int | None, note: str) -> str | None:
    """What an answer must hold: a known result; a person is named only on a person-level item;
    a not compliant result says what was seen."""
    if result not in RESULT_NAMES:
        return "Kết quả kiểm tra không hợp lệ."
    if staff_id is not None and not person_level:
        return "Nội dung này kiểm tra cơ quan, không ghi người vi phạm."
    if result == NOT_COMPLIANT and not note.strip():
        return "Cần ghi nhận xét khi kết quả là «Không đạt»."
    return None


def payload_digest(payload: Mapping[str, object]) -> str:
    """A fingerprint of what an answer says (item, result, note, person), the same on every
    replay of it: keys sorted, no spaces."""
    text = json.dumps(payload, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()


NEW, REPLAY, KEY_REUSED = "new", "replay", "key_reused"


def answer_replay(stored_digest: str | None, digest: str) -> str:
    """An answer sent with an idempotency key: ``new`` when the key is unknown, ``replay``
    when the key was stored with the same content (the phone sent it again: nothing more is
    stored), ``key_reused`` when the key was stored with other content (refused)."""
    if stored_digest is None:
        return NEW
    return REPLAY if stored_digest == digest else KEY_REUSED


KEY_ALPHABET = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_")


def key_valid(key: str) -> bool:
    """An idempotency key from the device: 16 to 64 letters, digits, '-' or '_' (a UUID)."""
    return 16 <= len(key) <= 64 and set(key) <= KEY_ALPHABET
