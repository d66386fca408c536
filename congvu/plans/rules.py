"""The status of a plan's task, derived, never typed: from its timing, the reference day and
the progress entries (pure: no database). The rules and every reason code are in
docs/task-status.md; ``congvu task-status --json FILE`` is this module as a command.

A task's timing is one of the kinds seed 000 uses (KH 6861/KH-UBND Khánh Hòa, parts II and
III; docs/legal/documents.md#v-3):

- ``by_date`` — due by a day ("trước ngày 15/11/2019");
- ``by_year`` — due within a year ("hoàn thành trong năm 2020"): the due day is 31/12;
- ``yearly`` — recurring on a day and month ("báo cáo … trước ngày 15/11 hàng năm"), one
  period per year from ``from_year`` to ``to_year`` (open-ended when None);
- ``ongoing`` — "thường xuyên": done all the time, reported every year by a day and month;
  one period per year, done by a progress entry for that year on or before the report day;
- ``conditional`` — after an event ("sau khi Chính phủ ban hành Nghị định mới…"): waiting
  until the event's date is known and reached, then due ``within_days`` after it (no due day
  when None).

Entries dated after the reference day are ignored: the status on a day is what was known
that day.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta

from congvu.core.dated import Setting, add_settings, day_list, day_month, setting_value
from congvu.core.explain import Reason
from congvu.core.workflow import Machine, Transition

BY_DATE, BY_YEAR, YEARLY, ONGOING, CONDITIONAL = (
    "by_date",
    "by_year",
    "yearly",
    "ongoing",
    "conditional",
)
KINDS = (BY_DATE, BY_YEAR, YEARLY, ONGOING, CONDITIONAL)
KIND_NAMES = {
    BY_DATE: "Hoàn thành trước một ngày",
    BY_YEAR: "Hoàn thành trong năm",
    YEARLY: "Định kỳ hằng năm",
    ONGOING: "Thường xuyên",
    CONDITIONAL: "Sau một sự kiện",
}

IN_PROGRESS, DONE = "in_progress", "done"
ENTRY_STATES = (IN_PROGRESS, DONE)

NOT_STARTED, DONE_LATE, LATE, WAITING, ONGOING_STATUS = (
    "not_started",
    "done_late",
    "late",
    "waiting",
    "ongoing",
)
STATUSES = (NOT_STARTED, IN_PROGRESS, DONE, DONE_LATE, LATE, WAITING, ONGOING_STATUS)
STATUS_NAMES = {
    NOT_STARTED: "Chưa bắt đầu",
    IN_PROGRESS: "Đang thực hiện",
    DONE: "Hoàn thành đúng hạn",
    DONE_LATE: "Hoàn thành trễ hạn",
    LATE: "Quá hạn",
    WAITING: "Chờ sự kiện",
    ONGOING_STATUS: "Thường xuyên",
}

SOURCE = "KH 6861/KH-UBND Khánh Hòa 12/7/2019 (seed 000), phần II–III; docs/legal/documents.md#v-3"


@dataclass(frozen=True)
class Timing:
    """When a task is due; which fields matter depends on ``kind`` (see the module)."""

    kind: str
    due_on: date | None = None  # by_date
    year: int | None = None  # by_year
    day: int | None = None  # yearly, ongoing (the report day)
    month: int | None = None
    from_year: int | None = None
    to_year: int | None = None  # yearly: None is open-ended
    event_date: date | None = None  # conditional: None until the event happened
    within_days: int | None = None


@dataclass(frozen=True)
class Entry:
    """One progress entry: on which day, what state, and for which period (a year), if any."""

    on: date
    state: str
    period: int | None = None

    def year(self) -> int:
        return self.period if self.period is not None else self.on.year


@dataclass(frozen=True)
class Period:
    period: int
    due: date
    status: str
    days_late: int | None = None


@dataclass(frozen=True)
class Status:
    """A task's derived status: the status, the due day that decides it, how many days late,
    the periods of a recurring task, and why."""

    status: str
    due: date | None
    days_late: int | None
    periods: tuple[Period, ...] = ()
    reasons: tuple[Reason, ...] = field(default=())


def _reason(code: str, text: str) -> Reason:
    return Reason(code, "status", text, SOURCE)


def _d(day: date) -> str:
    return f"{day:%d/%m/%Y}"


def _one_deadline(due: date, entries: Sequence[Entry], as_of: date) -> Period:
    """A single deadline against the entries known on ``as_of`` (period 0)."""
    done = sorted(e.on for e in entries if e.state == DONE)
    if done:
        first = done[0]
        if first <= due:
            return Period(0, due, DONE)
        return Period(0, due, DONE_LATE, (first - due).days)
    if as_of > due:
        return Period(0, due, LATE, (as_of - due).days)
    return Period(0, due, IN_PROGRESS if entries else NOT_STARTED)


def _deadline_status(due: date, entries: Sequence[Entry], as_of: date) -> Status:
    result = _one_deadline(due, entries, as_of)
    texts = {
        DONE: ("DONE_ON_TIME", f"Hoàn thành đúng hạn (hạn {_d(due)})."),
        DONE_LATE: ("DONE_LATE", f"Hoàn thành sau hạn {_d(due)} {result.days_late} ngày."),
        LATE: ("LATE", f"Chưa hoàn thành, đã quá hạn {_d(due)} {result.days_late} ngày."),
        IN_PROGRESS: ("IN_PROGRESS", f"Đang thực hiện; hạn {_d(due)}."),
        NOT_STARTED: ("NOT_STARTED", f"Chưa có báo cáo tiến độ; hạn {_d(due)}."),
    }
    code, text = texts[result.status]
    return Status(result.status, due, result.days_late, (), (_reason(code, text),))


def _safe_day(year: int, month: int, day: int) -> date:
    """``day``/``month`` of ``year``; 29/02 falls on 28/02 in a common year."""
    try:
        return date(year, month, day)
    except ValueError:
        return date(year, month, 28)


def _periodic_status(timing: Timing, entries: Sequence[Entry], as_of: date) -> Status:
    """Yearly and ongoing tasks: one period per year, due on the day and month."""
    assert timing.day is not None and timing.month is not None and timing.from_year is not None
    ongoing = timing.kind == ONGOING
    last_year = as_of.year if timing.to_year is None else min(timing.to_year, as_of.year)
    periods: list[Period] = []
    for year in range(timing.from_year, last_year + 1):
        due = _safe_day(year, timing.month, timing.day)
        mine = [e for e in entries if e.year() == year]
        if ongoing:  # reporting for the year is what an ongoing task owes
            mine = [Entry(e.on, DONE, e.period) for e in mine]
        found = _one_deadline(due, mine, as_of)
        periods.append(Period(year, due, found.status, found.days_late))
    if not periods:
        first_due = _safe_day(timing.from_year, timing.month, timing.day)
        text = f"Kỳ đầu tiên là năm {timing.from_year} (hạn {_d(first_due)})."
        status = ONGOING_STATUS if ongoing else NOT_STARTED
        return Status(status, first_due, None, (), (_reason("NOT_YET_DUE", text),))
    overdue = [p for p in periods if p.status == LATE]
    if overdue:
        oldest = overdue[0]
        years = ", ".join(str(p.period) for p in overdue)
        text = (
            f"Quá hạn kỳ năm {years}; kỳ cũ nhất quá hạn {_d(oldest.due)} {oldest.days_late} ngày."
        )
        return Status(
            LATE, oldest.due, oldest.days_late, tuple(periods), (_reason("PERIOD_LATE", text),)
        )
    current = periods[-1]
    if ongoing:
        text = f"Nhiệm vụ thường xuyên; kỳ năm {current.period}: {STATUS_NAMES[current.status].lower()}."
        return Status(
            ONGOING_STATUS, current.due, None, tuple(periods), (_reason("ONGOING", text),)
        )
    text = (
        f"Kỳ năm {current.period} (hạn {_d(current.due)}): {STATUS_NAMES[current.status].lower()}."
    )
    return Status(
        current.status,
        current.due,
        current.days_late,
        tuple(periods),
        (_reason("CURRENT_PERIOD", text),),
    )


def task_status(timing: Timing, entries: Sequence[Entry], as_of: date) -> Status:
    """The status of one task on ``as_of`` (entries after ``as_of`` are ignored)."""
    known = [e for e in entries if e.on <= as_of]
    if timing.kind == BY_DATE:
        assert timing.due_on is not None
        return _deadline_status(timing.due_on, known, as_of)
    if timing.kind == BY_YEAR:
        assert timing.year is not None
        return _deadline_status(date(timing.year, 12, 31), known, as_of)
    if timing.kind in (YEARLY, ONGOING):
        return _periodic_status(timing, known, as_of)
    if timing.kind == CONDITIONAL:
        if timing.event_date is None or as_of < timing.event_date:
            text = (
                "Chờ sự kiện: chưa ghi ngày xảy ra."
                if timing.event_date is None
                else f"Chờ sự kiện ngày {_d(timing.event_date)}."
            )
            return Status(WAITING, None, None, (), (_reason("WAITING", text),))
        if timing.within_days is None:
            done = any(e.state == DONE for e in known)
            status = DONE if done else (IN_PROGRESS if known else NOT_STARTED)
            text = f"Sự kiện ngày {_d(timing.event_date)}; không có hạn hoàn thành."
            return Status(status, None, None, (), (_reason("NO_DEADLINE", text),))
        due = timing.event_date + timedelta(days=timing.within_days)
        return _deadline_status(due, known, as_of)
    raise ValueError(f"unknown timing kind: {timing.kind}")


# --- The reporting cycle's deadlines and reminders -----------------------------------------

_SEED_000 = "KH 6861/KH-UBND Khánh Hòa 12/7/2019 (seed 000)"
add_settings(
    Setting(
        "plans.unit_report_due",
        "15/11",
        f"{_SEED_000} mục III.1.b: trước ngày 15/11",
        "S",
        date(2019, 1, 1),
    ),
    Setting(
        "plans.consolidated_report_due",
        "01/12",
        f"{_SEED_000} mục III.2.g: trước ngày 01/12 hằng năm",
        "S",
        date(2019, 1, 1),
    ),
    Setting(
        "plans.reminder_days_before",
        "7, 1",
        "Nhắc hạn 7 ngày và 1 ngày trước hạn (yêu cầu của sản phẩm, issue 11); tỉnh đặt lại được",
        "U",
        date(2019, 1, 1),
    ),
)


def yearly_due(name: str, year: int, *overrides: Mapping[str, object] | None) -> date:
    """The due day in ``year`` of a yearly deadline setting ("dd/mm")."""
    found = day_month(str(setting_value(name, date(year, 1, 1), *overrides)))
    assert found is not None, f"{name}: a day and month, dd/mm"
    return _safe_day(year, found[1], found[0])


def reminder_days(day: date, *overrides: Mapping[str, object] | None) -> tuple[int, ...]:
    """How many days before a deadline the reminders go (the setting in force on ``day``)."""
    return day_list(str(setting_value("plans.reminder_days_before", day, *overrides)))


def reminder_due(
    due: date, today: date, days_before: Sequence[int], *, submitted: bool = False
) -> int | None:
    """How many days before ``due`` today's reminder is (one of ``days_before``), or None: no
    reminder once submitted, none on other days, none after the due day (then the late list
    takes over)."""
    if submitted or today > due:
        return None
    left = (due - today).days
    return left if left in set(days_before) else None


# --- The periodic report's workflow (báo cáo định kỳ) ---------------------------------------

DRAFT, SUBMITTED, RETURNED, ACCEPTED = "draft", "submitted", "returned", "accepted"
REPORT_STATUSES = (DRAFT, SUBMITTED, RETURNED, ACCEPTED)
REPORT_STATUS_NAMES = {
    DRAFT: "Đang soạn",
    SUBMITTED: "Đã gửi, chờ Sở Nội vụ",
    RETURNED: "Bị trả lại để sửa",
    ACCEPTED: "Đã được chấp nhận",
}
SUBMIT, RETURN, ACCEPT = "submit", "return", "accept"
REPORT_MOVE_NAMES = {SUBMIT: "gửi báo cáo", RETURN: "trả lại báo cáo", ACCEPT: "chấp nhận báo cáo"}
UNIT, REVIEWER = "unit", "reviewer"  # the unit that writes it; Sở Nội vụ, who receives it

REPORT_MACHINE = Machine(
    transitions=(
        Transition(SUBMIT, frozenset({DRAFT, RETURNED}), SUBMITTED, frozenset({UNIT})),
        Transition(
            RETURN,
            frozenset({SUBMITTED}),
            RETURNED,
            frozenset({REVIEWER}),
            needs=(("comment", "Cần ghi ý kiến khi trả lại báo cáo để đơn vị sửa."),),
        ),
        Transition(ACCEPT, frozenset({SUBMITTED}), ACCEPTED, frozenset({REVIEWER})),
    ),
    unknown_move=lambda move: f"Không có thao tác «{move}».",
    wrong_state=lambda move, state: (
        f"Không thể {REPORT_MOVE_NAMES.get(move, move)} khi báo cáo ở trạng thái "
        f"«{REPORT_STATUS_NAMES.get(state, state)}»."
    ),
    wrong_role=lambda move, ts: f"Bạn không có quyền {REPORT_MOVE_NAMES.get(move, move)}.",
)
"""Units write and send; Sở Nội vụ returns with a comment or accepts; a returned report is
fixed and sent again. Every move keeps a version of the content (``services``)."""


def report_late(due: date, today: date, status: str, submitted_on: date | None) -> int | None:
    """Days late of a periodic report on ``today`` (None when not late): not yet sent after the
    due day, or first sent after it."""
    if submitted_on is not None:
        return (submitted_on - due).days if submitted_on > due else None
    if status in (SUBMITTED, ACCEPTED):
        return None
    return (today - due).days if today > due else None


# --- Report templates (mẫu báo cáo định kỳ) --------------------------------------------------

TEXT, TASKS, FIGURES = "text", "tasks", "figures"
SECTION_KINDS = (TEXT, TASKS, FIGURES)
SECTION_KIND_NAMES = {
    TEXT: "Đoạn văn",
    TASKS: "Bảng nhiệm vụ",
    FIGURES: "Bảng số liệu",
}
"""How a line of a template's text names its kind ("Đoạn văn: Khó khăn, vướng mắc")."""
SECTIONS_MAX = 20
TITLE_MAX = 200
HINT_MAX = 500
RESERVED_KEYS = frozenset({"tasks", "figures", "counts", "template"})


@dataclass(frozen=True)
class Section:
    """One part of a periodic report: a text the unit writes (``text``), the table of the
    plan's tasks with their derived status and what was done (``tasks``), or the table of
    figures the other capabilities count (``figures``)."""

    key: str
    title: str
    kind: str
    hint: str = ""

    def as_json(self) -> dict[str, str]:
        return {"key": self.key, "title": self.title, "kind": self.kind, "hint": self.hint}


DEFAULT_TEMPLATE = (
    Section("tasks", "Kết quả thực hiện các nhiệm vụ của kế hoạch", TASKS),
    Section("figures", "Số liệu từ các lĩnh vực", FIGURES),
    Section(
        "results",
        "Kết quả nổi bật, mô hình hay, cách làm mới",
        TEXT,
        "Nêu việc đã làm được, số liệu cụ thể, điển hình tiên tiến.",
    ),
    Section("difficulties", "Khó khăn, vướng mắc", TEXT, "Nêu rõ nguyên nhân."),
    Section(
        "proposals", "Đề xuất, kiến nghị", TEXT, "Kiến nghị với Ủy ban nhân dân tỉnh, Sở Nội vụ."
    ),
)
"""The parts seed 000 (III.1–III.4) asks every unit's yearly report for: what was done on each
task, then results, difficulties and proposals; the figures the other modules hold."""


def template_text(sections: Sequence[Section]) -> str:
    """A template as the lines an officer edits (``template_parse`` reads them back)."""
    lines = []
    for section in sections:
        hint = f" | {section.hint}" if section.hint else ""
        lines.append(f"{SECTION_KIND_NAMES[section.kind]}: {section.title}{hint}")
    return "\n".join(lines)


def _slug(folded: str) -> str:
    words = "".join(ch if ch.isalnum() else " " for ch in folded).split()
    return "-".join(words)[:40].strip("-")


def template_parse(text: str, fold: Callable[[str], str]) -> tuple[Section, ...]:
    """Read a template from its lines, one part a line: ``Kind: Title`` with an optional
    ``| hint``; the kinds are ``SECTION_KIND_NAMES`` (matched without diacritics or case).
    At most one table of each kind; titles distinct. Raises ``ValueError`` with every error,
    one a line, in Vietnamese, naming the line."""
    kinds = {fold(name): kind for kind, name in SECTION_KIND_NAMES.items()}
    errors: list[str] = []
    found: list[Section] = []
    keys: set[str] = set()
    lines = [(n, line.strip()) for n, line in enumerate(text.splitlines(), start=1)]
    lines = [(n, line) for n, line in lines if line]
    if not lines:
        raise ValueError("Mẫu báo cáo cần ít nhất một mục.")
    if len(lines) > SECTIONS_MAX:
        raise ValueError(f"Mẫu báo cáo có tối đa {SECTIONS_MAX} mục (đang có {len(lines)}).")
    names = ", ".join(f"«{name}»" for name in SECTION_KIND_NAMES.values())
    for n, line in lines:
        head, colon, rest = line.partition(":")
        kind = kinds.get(fold(head).strip())
        if not colon or kind is None:
            errors.append(f"Dòng {n}: cần bắt đầu bằng loại mục ({names}) và dấu hai chấm.")
            continue
        title, _bar, hint = (part.strip() for part in rest.partition("|"))
        if not title:
            errors.append(f"Dòng {n}: cần ghi tên mục sau dấu hai chấm.")
            continue
        if len(title) > TITLE_MAX or len(hint) > HINT_MAX:
            errors.append(
                f"Dòng {n}: tên mục tối đa {TITLE_MAX} ký tự, gợi ý tối đa {HINT_MAX} ký tự."
            )
            continue
        key = kind if kind != TEXT else _slug(fold(title)) or f"muc-{n}"
        if key in keys:
            errors.append(
                f"Dòng {n}: mẫu đã có một {SECTION_KIND_NAMES[kind].lower()}."
                if kind != TEXT
                else f"Dòng {n}: tên mục «{title}» bị trùng."
            )
            continue
        if kind == TEXT and key in RESERVED_KEYS:
            key = f"muc-{key}"
        keys.add(key)
        found.append(Section(key, title, kind, hint))
    if errors:
        raise ValueError("\n".join(errors))
    return tuple(found)


def template_load(data: object) -> tuple[Section, ...]:
    """A stored template (a list of section dicts, as ``Section.as_json``), or the default
    when it is missing or not one (a report started before templates existed)."""
    if not isinstance(data, list) or not data:
        return DEFAULT_TEMPLATE
    sections = []
    for item in data:
        if not isinstance(item, dict) or item.get("kind") not in SECTION_KINDS:
            return DEFAULT_TEMPLATE
        sections.append(
            Section(
                str(item.get("key", "")),
                str(item.get("title", "")),
                str(item["kind"]),
                str(item.get("hint", "")),
            )
        )
    return tuple(sections)


# --- Sở Nội vụ's board of a reporting cycle ----------------------------------------------------

NOT_STARTED_GROUP, LATE_GROUP = "chua-bat-dau", "tre"
BOARD_GROUPS = {
    NOT_STARTED_GROUP: "Chưa bắt đầu",
    DRAFT: "Đang soạn",
    SUBMITTED: "Đã gửi, chờ xem xét",
    RETURNED: "Bị trả lại để sửa",
    ACCEPTED: "Đã được chấp nhận",
    LATE_GROUP: "Trễ hạn",
}
"""The board's groups: a unit's report by its status (none yet: not started), and across them
the late ones (not sent after the due day, or sent after it)."""


def board_groups(status: str | None, days_late: int | None) -> tuple[str, ...]:
    """The groups a unit's line of the board belongs to."""
    groups = (status or NOT_STARTED_GROUP,)
    return (*groups, LATE_GROUP) if days_late is not None else groups
