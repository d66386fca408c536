"""The derived status of a task (plans.rules.task_status), table-driven at every boundary:
the due day itself and the day after, a yearly deadline across years, an ongoing task, a
conditional task before and after its event. No database."""

from datetime import date

import pytest

from congvu.core.text import fold as _fold
from congvu.plans import rules
from congvu.plans.rules import Entry, Timing

D = date
BY_DATE = Timing(rules.BY_DATE, due_on=D(2019, 11, 15))
BY_YEAR = Timing(rules.BY_YEAR, year=2020)
YEARLY = Timing(rules.YEARLY, day=15, month=11, from_year=2019)
YEARLY_TO_2020 = Timing(rules.YEARLY, day=15, month=11, from_year=2019, to_year=2020)
ONGOING = Timing(rules.ONGOING, day=15, month=11, from_year=2019)
EVENT = Timing(rules.CONDITIONAL, event_date=D(2020, 3, 1), within_days=30)
EVENT_NO_DAYS = Timing(rules.CONDITIONAL, event_date=D(2020, 3, 1))
EVENT_UNKNOWN = Timing(rules.CONDITIONAL, within_days=30)


def done(day, period=None):
    return Entry(day, rules.DONE, period)


def working(day, period=None):
    return Entry(day, rules.IN_PROGRESS, period)


CASES = [
    # (name, timing, entries, as_of, status, due, days_late)
    ("nothing yet, before the due day", BY_DATE, [], D(2019, 11, 1), "not_started", D(2019, 11, 15), None),
    ("working, on the due day", BY_DATE, [working(D(2019, 10, 1))], D(2019, 11, 15), "in_progress", D(2019, 11, 15), None),
    ("not done, the day after", BY_DATE, [working(D(2019, 10, 1))], D(2019, 11, 16), "late", D(2019, 11, 15), 1),
    ("done on the due day", BY_DATE, [done(D(2019, 11, 15))], D(2019, 12, 1), "done", D(2019, 11, 15), None),
    ("done the day after", BY_DATE, [done(D(2019, 11, 16))], D(2019, 12, 1), "done_late", D(2019, 11, 15), 1),
    ("a done entry after as_of is not known yet", BY_DATE, [done(D(2019, 11, 10))], D(2019, 11, 9), "not_started", D(2019, 11, 15), None),
    ("the first done entry decides", BY_DATE, [done(D(2019, 11, 20)), done(D(2019, 11, 14))], D(2019, 12, 1), "done", D(2019, 11, 15), None),
    ("within the year: 31/12 is the due day", BY_YEAR, [], D(2020, 12, 31), "not_started", D(2020, 12, 31), None),
    ("within the year: late from 01/01", BY_YEAR, [], D(2021, 1, 1), "late", D(2020, 12, 31), 1),
    ("within the year: done on 31/12", BY_YEAR, [done(D(2020, 12, 31))], D(2021, 2, 1), "done", D(2020, 12, 31), None),
    ("within the year: done on 01/01", BY_YEAR, [done(D(2021, 1, 1))], D(2021, 2, 1), "done_late", D(2020, 12, 31), 1),
    ("yearly: before the first period", YEARLY, [], D(2018, 12, 1), "not_started", D(2019, 11, 15), None),
    ("yearly: first period, on the day", YEARLY, [], D(2019, 11, 15), "not_started", D(2019, 11, 15), None),
    ("yearly: first period, the day after", YEARLY, [], D(2019, 11, 16), "late", D(2019, 11, 15), 1),
    ("yearly: 2019 done, 2020 open", YEARLY, [done(D(2019, 11, 10), 2019)], D(2020, 6, 1), "not_started", D(2020, 11, 15), None),
    ("yearly: 2019 missed stays late in 2020 (oldest)", YEARLY, [done(D(2020, 11, 1), 2020)], D(2020, 11, 20), "late", D(2019, 11, 15), 371),
    ("yearly: 2019 done late, 2020 done", YEARLY, [done(D(2019, 11, 20), 2019), done(D(2020, 11, 15), 2020)], D(2020, 12, 1), "done", D(2020, 11, 15), None),
    ("yearly: an entry without period counts for its year", YEARLY, [done(D(2019, 11, 1))], D(2019, 12, 1), "done", D(2019, 11, 15), None),
    ("yearly: the report for the previous year filed in January", YEARLY, [done(D(2020, 1, 5), 2019)], D(2020, 2, 1), "not_started", D(2020, 11, 15), None),
    ("yearly: ended after 2020", YEARLY_TO_2020, [done(D(2019, 11, 1), 2019), done(D(2020, 11, 1), 2020)], D(2023, 1, 1), "done", D(2020, 11, 15), None),
    ("ongoing: reported on time", ONGOING, [working(D(2019, 11, 15))], D(2019, 12, 1), "ongoing", D(2019, 11, 15), None),
    ("ongoing: current year not due yet", ONGOING, [working(D(2019, 11, 1))], D(2020, 3, 1), "ongoing", D(2020, 11, 15), None),
    ("ongoing: a year not reported is late", ONGOING, [working(D(2019, 11, 1))], D(2020, 11, 16), "late", D(2020, 11, 15), 1),
    ("conditional: no event yet", EVENT_UNKNOWN, [], D(2030, 1, 1), "waiting", None, None),
    ("conditional: the day before the event", EVENT, [], D(2020, 2, 29), "waiting", None, None),
    ("conditional: from the event, due 30 days after", EVENT, [], D(2020, 3, 1), "not_started", D(2020, 3, 31), None),
    ("conditional: the day after its due day", EVENT, [], D(2020, 4, 1), "late", D(2020, 3, 31), 1),
    ("conditional: done before the event counts", EVENT, [done(D(2020, 2, 1))], D(2020, 3, 5), "done", D(2020, 3, 31), None),
    ("conditional without a number of days: never late", EVENT_NO_DAYS, [], D(2030, 1, 1), "not_started", None, None),
    ("conditional without a number of days: done", EVENT_NO_DAYS, [done(D(2021, 1, 1))], D(2030, 1, 1), "done", None, None),
]  # fmt: skip


@pytest.mark.parametrize(
    ("timing", "entries", "as_of", "status", "due", "days_late"),
    [case[1:] for case in CASES],
    ids=[case[0] for case in CASES],
)
def test_status_at_every_boundary(timing, entries, as_of, status, due, days_late):
    found = rules.task_status(timing, entries, as_of)
    assert (found.status, found.due, found.days_late) == (status, due, days_late)
    assert found.reasons and all(r.source for r in found.reasons)


def test_a_yearly_task_has_one_period_per_year_up_to_as_of():
    found = rules.task_status(YEARLY, [done(D(2019, 11, 1), 2019)], D(2021, 11, 16))
    assert [(p.period, p.status) for p in found.periods] == [
        (2019, "done"),
        (2020, "late"),
        (2021, "late"),
    ]
    assert (found.status, found.due, found.days_late) == ("late", D(2020, 11, 15), 366)


def test_29_february_falls_on_28_february_in_a_common_year():
    leap = Timing(rules.YEARLY, day=29, month=2, from_year=2024)
    found = rules.task_status(leap, [], D(2025, 3, 1))
    assert [p.due for p in found.periods] == [D(2024, 2, 29), D(2025, 2, 28)]


def test_every_status_has_a_name():
    assert set(rules.STATUS_NAMES) == set(rules.STATUSES)


@pytest.mark.parametrize(
    ("today", "submitted", "expected"),
    [
        (D(2026, 11, 7), False, None),  # 8 days before: no reminder
        (D(2026, 11, 8), False, 7),  # 7 days before
        (D(2026, 11, 9), False, None),
        (D(2026, 11, 14), False, 1),  # the day before
        (D(2026, 11, 15), False, None),  # the due day itself: no reminder (not late either)
        (D(2026, 11, 16), False, None),  # late: the late list, not a reminder
        (D(2026, 11, 8), True, None),  # already submitted
    ],
)
def test_reminders_7_days_and_1_day_before(today, submitted, expected):
    due = rules.yearly_due("plans.unit_report_due", 2026)
    assert due == D(2026, 11, 15)
    days = rules.reminder_days(today)
    assert days == (7, 1)
    assert rules.reminder_due(due, today, days, submitted=submitted) == expected


def test_the_yearly_deadlines_of_seed_000_and_a_province_override():
    assert rules.yearly_due("plans.consolidated_report_due", 2026) == D(2026, 12, 1)
    override = {"plans.unit_report_due": "10/11"}
    assert rules.yearly_due("plans.unit_report_due", 2026, override) == D(2026, 11, 10)


# --- Report templates and the board's groups ---------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Bảng nhiệm vụ: Kết quả\nBảng số liệu: Số liệu\nĐoạn văn: Khó khăn | Nêu nguyên nhân",
            [("tasks", "tasks"), ("figures", "figures"), ("kho-khan", "text")],
        ),
        ("  bang nhiem vu :  Kết quả  \n\n", [("tasks", "tasks")]),  # no diacritics, spaces
        ("Đoạn văn: Tasks", [("muc-tasks", "text")]),  # a text never takes a table's key
        ("ĐOẠN VĂN: Đề xuất, kiến nghị", [("de-xuat-kien-nghi", "text")]),
    ],
)
def test_a_template_is_read_from_its_lines(text, expected):
    parts = rules.template_parse(text, _fold)
    assert [(p.key, p.kind) for p in parts] == expected


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "cần ít nhất một mục"),
        ("Bảng: x", "Dòng 1: cần bắt đầu bằng loại mục"),
        ("Đoạn văn Khó khăn", "Dòng 1: cần bắt đầu bằng loại mục"),
        ("Đoạn văn:   | gợi ý", "Dòng 1: cần ghi tên mục"),
        ("Bảng nhiệm vụ: A\nBảng nhiệm vụ: B", "Dòng 2: mẫu đã có một bảng nhiệm vụ"),
        ("Đoạn văn: A\n\nĐoạn văn: a", "Dòng 3: tên mục «a» bị trùng"),
        ("Đoạn văn: " + "x" * 201, "tên mục tối đa 200 ký tự"),
        ("\n".join(f"Đoạn văn: {n}" for n in range(21)), "tối đa 20 mục"),
    ],
)
def test_a_bad_template_is_refused_naming_the_line(text, message):
    with pytest.raises(ValueError, match=message):
        rules.template_parse(text, _fold)


def test_the_default_template_reads_back_from_its_text():
    text = rules.template_text(rules.DEFAULT_TEMPLATE)
    parsed = rules.template_parse(text, _fold)
    assert [(p.title, p.kind, p.hint) for p in parsed] == [
        (p.title, p.kind, p.hint) for p in rules.DEFAULT_TEMPLATE
    ]


@pytest.mark.parametrize(
    ("stored", "expected"),
    [
        (None, rules.DEFAULT_TEMPLATE),
        ([], rules.DEFAULT_TEMPLATE),
        ([{"kind": "nonsense"}], rules.DEFAULT_TEMPLATE),
        ([{"key": "a", "title": "A", "kind": "text"}], (rules.Section("a", "A", "text"),)),
    ],
)
def test_a_stored_template_loads_or_falls_back_to_the_default(stored, expected):
    assert rules.template_load(stored) == expected


@pytest.mark.parametrize(
    ("status", "days_late", "groups"),
    [
        (None, None, ("chua-bat-dau",)),
        (None, 3, ("chua-bat-dau", "tre")),
        (rules.DRAFT, 1, (rules.DRAFT, "tre")),
        (rules.SUBMITTED, None, (rules.SUBMITTED,)),
        (rules.ACCEPTED, 2, (rules.ACCEPTED, "tre")),  # sent late, accepted: still counted late
        (rules.RETURNED, None, (rules.RETURNED,)),
    ],
)
def test_the_boards_groups(status, days_late, groups):
    assert rules.board_groups(status, days_late) == groups
