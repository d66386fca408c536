"""Violations of the public-service culture standards and the remedies they call for (issue 12).
Pure: no database.

A violation (vi phạm) is one entity whatever its source (``SOURCES``): an inspection's finding
on a person or a unit, a citizen's misconduct report found substantiated, or a unit's own
discovery. It names the standard broken (a criterion of a catalogue), so statistics can say
which standards are broken most, where. A recommendation (kiến nghị) gives a responsible unit
and a deadline; the unit reports the remedy with evidence; the recommending side verifies it
before it closes, or returns it (``RECOMMENDATION_MACHINE``). Overdue remedies are flagged and
reminded. LEGAL.md §3 (the checklist of QĐ 129/2007), §6 (discipline) and its update of
2026-12-04 item 8 (inspections are the provinces' own; no national rule on remedies found:
deadlines are set case by case).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date

from congvu.core.dated import Setting, add_settings, day_list, setting_value
from congvu.core.workflow import Machine, Transition

add_settings(
    Setting(
        "violations.reminder_days_before",
        "7, 1",
        "Nhắc hạn khắc phục 7 ngày và 1 ngày trước hạn và vào ngày đến hạn (yêu cầu của sản "
        "phẩm, issue 12); tỉnh đặt lại được",
        "U",
        date(2019, 1, 1),
    ),
)


def reminder_days(day: date, *overrides: Mapping[str, object] | None) -> tuple[int, ...]:
    """How many days before a remedy's due day its reminders go (the setting on ``day``)."""
    return day_list(str(setting_value("violations.reminder_days_before", day, *overrides)))


INSPECTION, CITIZEN_REPORT, INTERNAL = "inspection", "citizen_report", "internal"
SOURCES = (INSPECTION, CITIZEN_REPORT, INTERNAL)
SOURCE_NAMES = {
    INSPECTION: "Kiểm tra công vụ",
    CITIZEN_REPORT: "Phản ánh của người dân có cơ sở",
    INTERNAL: "Đơn vị tự phát hiện",
}

# --- Recommendations and remedies ------------------------------------------------------------

OPEN, REPORTED, VERIFIED = "open", "reported", "verified"
RECOMMENDATION_STATES = (OPEN, REPORTED, VERIFIED)
RECOMMENDATION_STATE_NAMES = {
    OPEN: "Chờ khắc phục",
    REPORTED: "Đã báo cáo khắc phục, chờ xác minh",
    VERIFIED: "Đã xác minh, hoàn thành",
}
REPORT, VERIFY, RETURN = "report", "verify", "return"
REMEDY_MOVE_NAMES = {
    REPORT: "báo cáo kết quả khắc phục",
    VERIFY: "xác nhận đã khắc phục",
    RETURN: "trả lại, yêu cầu khắc phục tiếp",
}
RESPONSIBLE, VERIFIER = "responsible", "verifier"

RECOMMENDATION_MACHINE = Machine(
    transitions=(
        Transition(
            REPORT,
            frozenset({OPEN}),
            REPORTED,
            frozenset({RESPONSIBLE}),
            needs=(("text", "Cần ghi kết quả khắc phục."),),
        ),
        Transition(VERIFY, frozenset({REPORTED}), VERIFIED, frozenset({VERIFIER})),
        Transition(
            RETURN,
            frozenset({REPORTED}),
            OPEN,
            frozenset({VERIFIER}),
            needs=(("text", "Cần ghi lý do trả lại để đơn vị khắc phục tiếp."),),
        ),
    ),
    unknown_move=lambda move: f"Không có thao tác «{move}».",
    wrong_state=lambda move, state: (
        f"Không thể {REMEDY_MOVE_NAMES.get(move, move)} khi kiến nghị ở trạng thái "
        f"«{RECOMMENDATION_STATE_NAMES.get(state, state)}»."
    ),
    wrong_role=lambda move, ts: f"Bạn không có quyền {REMEDY_MOVE_NAMES.get(move, move)}.",
)
"""The responsible unit reports its remedy; the side that recommended it (the inspection team
or Sở Nội vụ) verifies it before it closes, or returns it: the remedy is never closed on the
unit's word alone."""


def remedy_late(due: date, today: date, state: str, reported_on: date | None) -> int | None:
    """Days late of a remedy on ``today`` (None when not late): still open after the due day,
    or first reported after it. A returned remedy is late again once the due day has passed."""
    if state == VERIFIED and reported_on is not None:
        return (reported_on - due).days if reported_on > due else None
    if state == REPORTED:
        return None if reported_on is None or reported_on <= due else (reported_on - due).days
    return (today - due).days if today > due else None


def remedy_reminder_due(
    due: date, today: date, state: str, days_before: Iterable[int]
) -> int | None:
    """The days left when an open remedy's reminder is due today (7 and 1 before by default),
    0 on the due day itself; None otherwise (the overdue list takes over after it)."""
    if state != OPEN or today > due:
        return None
    left = (due - today).days
    return left if left in {*days_before, 0} else None


# --- Statistics ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Count:
    key: str
    label: str
    count: int


def rollup(
    counts: Mapping[int, int], ancestor: Mapping[int, int | None], labels: Mapping[int, str]
) -> list[Count]:
    """Counts by unit summed to the unit each rolls up to (``ancestor``: a unit id → the id of
    the unit shown for it, or None to leave it out), the largest first, then by label."""
    totals: dict[int, int] = {}
    for unit_id, count in counts.items():
        shown = ancestor.get(unit_id)
        if shown is not None:
            totals[shown] = totals.get(shown, 0) + count
    return sorted(
        (Count(str(k), labels.get(k, str(k)), v) for k, v in totals.items()),
        key=lambda c: (-c.count, c.label),
    )


def coverage(inspected: Iterable[int], units: Iterable[int]) -> tuple[int, int, float]:
    """How many of ``units`` were inspected, of how many, and the share (0 when none)."""
    pool = set(units)
    done = pool & set(inspected)
    return len(done), len(pool), (len(done) / len(pool) if pool else 0.0)


# --- From an inspection's finding to the standard broken ----------------------------------------

_CHECKLIST_CODE = re.compile(r"LEGAL\.md §3 ([A-F][0-9]+)\b")


def criterion_for_item(item_code: str, criteria: Iterable[tuple[str, str]]) -> str | None:
    """The stable id of the catalogue criterion that carries the checklist item ``item_code``
    (A1 … E5 of QĐ 129/2007, LEGAL.md §3): the criterion whose source names that item. None
    when no criterion does (a free item, or one whose basis lives in another catalogue): the
    team then names the standard itself."""
    for stable_id, source in criteria:
        if item_code in _CHECKLIST_CODE.findall(source or ""):
            return stable_id
    return None
