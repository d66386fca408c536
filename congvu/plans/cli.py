"""`congvu task-status --json FILE`: the derived-status rule of a plan's tasks as a stable JSON
contract (docs/task-status.md). Bad input raises ``InputError`` with every problem found, in
Vietnamese, with its JSON path; nothing is written to stdout then, and the exit code is 2.
"""

from __future__ import annotations

import json
from datetime import date
from typing import IO, Any

from congvu.core.json_contract import Errors, InputError, day_field, is_int, load_object, run
from congvu.plans import rules

CONTRACT_VERSION = 1
TOP_KEYS = {"as_of", "tasks"}
TASK_KEYS = {"id", "timing", "progress"}
ENTRY_KEYS = {"on", "state", "period"}
TIMING_KEYS = {
    rules.BY_DATE: {"kind", "date"},
    rules.BY_YEAR: {"kind", "year"},
    rules.YEARLY: {"kind", "day", "month", "from_year", "to_year"},
    rules.ONGOING: {"kind", "report_day", "report_month", "from_year"},
    rules.CONDITIONAL: {"kind", "event_date", "within_days"},
}
REQUIRED = {
    rules.BY_DATE: {"date"},
    rules.BY_YEAR: {"year"},
    rules.YEARLY: {"day", "month", "from_year"},
    rules.ONGOING: {"report_day", "report_month", "from_year"},
    rules.CONDITIONAL: set(),
}
YEARS = (1945, 2100)
MAX_TASKS = 10_000


def _int(
    value: object, path: str, errors: Errors, low: int, high: int, *, nullable: bool = False
) -> int | None:
    if value is None and nullable:
        return None
    if not is_int(value) or not low <= value <= high:  # type: ignore[operator]
        errors.add(path, f"cần một số nguyên từ {low} đến {high}")
        return None
    return value  # type: ignore[return-value]


def _unknown(data: dict, allowed: set[str], path: str, errors: Errors) -> None:
    for key in sorted(set(data) - allowed):
        errors.add(f"{path}.{key}" if path else key, "trường không có trong lược đồ")


def _day_month(day: int | None, month: int | None, path: str, errors: Errors) -> None:
    if day is not None and month is not None:
        try:
            date(2024, month, day)  # a leap year: 29/02 is a valid yearly day
        except ValueError:
            errors.add(path, f"ngày {day}/{month} không có thật")


def _timing(data: object, path: str, errors: Errors) -> rules.Timing | None:
    if not isinstance(data, dict):
        errors.add(path, "cần một đối tượng")
        return None
    kind = data.get("kind")
    if kind not in TIMING_KEYS:
        errors.add(f"{path}.kind", "cần một trong: " + ", ".join(rules.KINDS))
        return None
    _unknown(data, TIMING_KEYS[kind], path, errors)
    for key in sorted(REQUIRED[kind] - set(data)):
        errors.add(f"{path}.{key}", "thiếu trường bắt buộc")
    if REQUIRED[kind] - set(data):
        return None
    before = len(errors)
    if kind == rules.BY_DATE:
        timing = rules.Timing(kind, due_on=day_field(data["date"], f"{path}.date", errors))
    elif kind == rules.BY_YEAR:
        timing = rules.Timing(kind, year=_int(data["year"], f"{path}.year", errors, *YEARS))
    elif kind == rules.YEARLY:
        day = _int(data["day"], f"{path}.day", errors, 1, 31)
        month = _int(data["month"], f"{path}.month", errors, 1, 12)
        _day_month(day, month, path, errors)
        first = _int(data["from_year"], f"{path}.from_year", errors, *YEARS)
        last = _int(data.get("to_year"), f"{path}.to_year", errors, *YEARS, nullable=True)
        if first is not None and last is not None and last < first:
            errors.add(f"{path}.to_year", "năm kết thúc trước năm bắt đầu")
        timing = rules.Timing(kind, day=day, month=month, from_year=first, to_year=last)
    elif kind == rules.ONGOING:
        day = _int(data["report_day"], f"{path}.report_day", errors, 1, 31)
        month = _int(data["report_month"], f"{path}.report_month", errors, 1, 12)
        _day_month(day, month, path, errors)
        first = _int(data["from_year"], f"{path}.from_year", errors, *YEARS)
        timing = rules.Timing(kind, day=day, month=month, from_year=first)
    else:
        event = day_field(data.get("event_date"), f"{path}.event_date", errors, nullable=True)
        within = _int(
            data.get("within_days"), f"{path}.within_days", errors, 0, 36_500, nullable=True
        )
        timing = rules.Timing(kind, event_date=event, within_days=within)
    return timing if len(errors) == before else None


def timing_parse(data: object, path: str = "timing") -> rules.Timing:
    """One timing in the contract's shape (``{"kind": "yearly", "day": 15, ...}``), checked
    as the command checks it: the services and the seed files use this, so a timing the
    command refuses is refused everywhere. Raises ``InputError`` with every problem."""
    errors = Errors()
    timing = _timing(data, path, errors)
    if errors or timing is None:
        raise InputError(errors or [f"{path}: cần một đối tượng"])
    return timing


def timing_as_json(timing: rules.Timing) -> dict[str, object]:
    """A timing in the contract's shape (the inverse of ``timing_parse``)."""
    if timing.kind == rules.BY_DATE:
        assert timing.due_on is not None
        return {"kind": timing.kind, "date": timing.due_on.isoformat()}
    if timing.kind == rules.BY_YEAR:
        return {"kind": timing.kind, "year": timing.year}
    if timing.kind == rules.YEARLY:
        return {
            "kind": timing.kind,
            "day": timing.day,
            "month": timing.month,
            "from_year": timing.from_year,
            "to_year": timing.to_year,
        }
    if timing.kind == rules.ONGOING:
        return {
            "kind": timing.kind,
            "report_day": timing.day,
            "report_month": timing.month,
            "from_year": timing.from_year,
        }
    return {
        "kind": timing.kind,
        "event_date": timing.event_date.isoformat() if timing.event_date else None,
        "within_days": timing.within_days,
    }


def _entry(data: object, path: str, errors: Errors) -> rules.Entry | None:
    if not isinstance(data, dict):
        errors.add(path, "cần một đối tượng")
        return None
    _unknown(data, ENTRY_KEYS, path, errors)
    before = len(errors)
    if "on" not in data:
        errors.add(f"{path}.on", "thiếu trường bắt buộc")
    on = day_field(data.get("on"), f"{path}.on", errors) if "on" in data else None
    state = data.get("state")
    if state not in rules.ENTRY_STATES:
        errors.add(f"{path}.state", "cần một trong: " + ", ".join(rules.ENTRY_STATES))
    period = _int(data.get("period"), f"{path}.period", errors, *YEARS, nullable=True)
    if len(errors) > before or on is None:
        return None
    return rules.Entry(on, str(state), period)


def parse(text: str) -> tuple[date, list[tuple[Any, rules.Timing, list[rules.Entry]]]]:
    """The reference day and the tasks, or ``InputError`` with every problem."""
    data = load_object(text)
    errors = Errors()
    _unknown(data, TOP_KEYS, "", errors)
    as_of = day_field(data.get("as_of"), "as_of", errors)
    raw_tasks = data.get("tasks")
    if not isinstance(raw_tasks, list):
        errors.add("tasks", "cần một danh sách")
        raw_tasks = []
    elif len(raw_tasks) > MAX_TASKS:
        errors.add("tasks", f"tối đa {MAX_TASKS} nhiệm vụ mỗi lần")
        raw_tasks = []
    tasks, seen = [], set()
    for i, raw in enumerate(raw_tasks):
        path = f"tasks[{i}]"
        if not isinstance(raw, dict):
            errors.add(path, "cần một đối tượng")
            continue
        _unknown(raw, TASK_KEYS, path, errors)
        task_id = raw.get("id")
        if task_id is None or isinstance(task_id, (bool, dict, list, float)):
            errors.add(f"{path}.id", "cần một mã (chuỗi hoặc số nguyên)")
        elif json.dumps(task_id) in seen:
            errors.add(f"{path}.id", f"mã {task_id!r} bị trùng")
        else:
            seen.add(json.dumps(task_id))
        timing = _timing(raw.get("timing"), f"{path}.timing", errors)
        progress = raw.get("progress", [])
        if not isinstance(progress, list):
            errors.add(f"{path}.progress", "cần một danh sách")
            progress = []
        entries = [_entry(e, f"{path}.progress[{j}]", errors) for j, e in enumerate(progress)]
        if timing is not None:
            tasks.append((task_id, timing, [e for e in entries if e is not None]))
    if errors or as_of is None:
        raise InputError(errors or ["as_of: cần một ngày dạng YYYY-MM-DD"])
    return as_of, tasks


def _status_json(task_id: Any, found: rules.Status) -> dict[str, object]:
    return {
        "id": task_id,
        "status": found.status,
        "due": found.due.isoformat() if found.due else None,
        "days_late": found.days_late,
        "periods": [
            {"period": p.period, "due": p.due.isoformat(), "status": p.status}
            for p in found.periods
        ],
        "reasons": [r.as_json() for r in found.reasons],
    }


def task_status_text(text: str) -> dict[str, object]:
    """The whole contract: JSON text in, the output document out (raises ``InputError``)."""
    as_of, tasks = parse(text)
    return {
        "results": [
            _status_json(task_id, rules.task_status(timing, entries, as_of))
            for task_id, timing, entries in tasks
        ]
    }


def main(source: str, *, stdin: IO[Any], stdout: IO[str], stderr: IO[str]) -> int:
    """Run the contract; returns the exit code (0, or 2 for bad input with stdout untouched)."""
    return run(task_status_text, source, stdin=stdin, stdout=stdout, stderr=stderr)
