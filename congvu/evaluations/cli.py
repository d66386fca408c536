"""`congvu classify --json FILE`: a stable JSON contract over the classification rules.

The schema, every reason code and the exit codes are in docs/classify.md; a test pins the
output shape. Bad input raises ``InputError`` (every problem found, in Vietnamese, with its
JSON path); nothing is written to stdout then, and the exit code is 2.
"""

from collections.abc import Mapping
from datetime import date
from decimal import Decimal
from typing import IO, Any

from congvu.core.json_contract import (  # the shared plumbing, under the names tests pin
    EXIT_BAD_INPUT as EXIT_BAD_INPUT,
)
from congvu.core.json_contract import (
    EXIT_OK as EXIT_OK,
)
from congvu.core.json_contract import (
    MAX_ERRORS as MAX_ERRORS,
)
from congvu.core.json_contract import (
    Errors,
    is_int,
    iso_day,
    load_object,
    run,
)
from congvu.core.json_contract import (
    InputError as InputError,
)
from congvu.core.json_contract import (
    dumps as dumps,
)
from congvu.core.json_contract import (
    read_source as read_source,
)
from congvu.discipline.rules import FORMS, SYSTEMS, Discipline, form_problem
from congvu.evaluations import regimes, rules
from congvu.evaluations.regimes import CATEGORIES, FLAG_NAMES, LEVELS, Regime

CONTRACT_VERSION = 1

TOP_KEYS = {"regime", "year", "people", "unit_level", "parameters"}
PERSON_KEYS = {
    "id",
    "category",
    "group",
    "is_leader",
    "is_head",
    "months_worked",
    "months_absent",
    "period_scores",
    "discipline",
    "flags",
    "facts",
    "unit_level",
}
DISCIPLINE_KEYS = {"form", "effective", "duty_related", "system", "already_counted"}
FACT_PCT_KEYS = (
    "tasks_done_pct",
    "tasks_on_time_pct",
    "tasks_exceeded_pct",
    "unit_done_pct",
    "unit_on_time_pct",
    "unit_exceeded_pct",
    "subunits_htnv_pct",
    "subunits_htt_pct",
)
FACT_KEYS = {"general", *FACT_PCT_KEYS}
FACT_ORDER = (  # (smaller, larger, why): a part cannot exceed the whole
    ("tasks_on_time_pct", "tasks_done_pct"),
    ("tasks_exceeded_pct", "tasks_done_pct"),
    ("unit_on_time_pct", "unit_done_pct"),
    ("unit_exceeded_pct", "unit_done_pct"),
    ("subunits_htt_pct", "subunits_htnv_pct"),
)


_Errors = Errors


def _number_in(value: object, low: int, high: int) -> Decimal | None:
    """A JSON number (not a boolean) within [low, high], else None."""
    if isinstance(value, bool) or not isinstance(value, int | Decimal):
        return None
    number = Decimal(value)
    return number if low <= number <= high else None


def _int_in(value: object, low: int, high: int) -> int | None:
    if isinstance(value, bool) or not isinstance(value, int):
        return None
    return value if low <= value <= high else None


def _unknown_keys(obj: Mapping[str, object], allowed: set[str], path: str, errors: _Errors) -> None:
    for key in sorted(set(obj) - allowed):
        errors.add(path, f'khóa "{key}" không có trong lược đồ (xem docs/classify.md)')


def _level(value: object, path: str, errors: _Errors) -> str | None:
    if value is None:
        return None
    if value not in LEVELS:
        errors.add(path, f"mức xếp loại phải là một trong {', '.join(LEVELS)}")
        return None
    return str(value)


def _pct(value: object, path: str, errors: _Errors) -> Decimal | None:
    number = _number_in(value, 0, 100)
    if number is None:
        errors.add(path, "phải là số từ 0 đến 100")
    return number


def _bool(obj: Mapping[str, Any], key: str, path: str, errors: _Errors, default: bool) -> bool:
    value = obj.get(key, default)
    if not isinstance(value, bool):
        errors.add(f"{path}.{key}", "phải là true hoặc false")
        return default
    return value


def _parse_discipline(
    items: object, person: Mapping[str, Any], path: str, errors: _Errors
) -> tuple[Discipline, ...]:
    if not isinstance(items, list):
        errors.add(path, "phải là một mảng")
        return ()
    records = []
    for i, item in enumerate(items):
        where = f"{path}[{i}]"
        if not isinstance(item, dict):
            errors.add(where, "phải là một đối tượng")
            continue
        _unknown_keys(item, DISCIPLINE_KEYS, where, errors)
        form, system = item.get("form"), item.get("system", "administrative")
        if system not in SYSTEMS:
            errors.add(f"{where}.system", f"phải là một trong {', '.join(SYSTEMS)}")
            continue
        if not isinstance(form, str) or form not in FORMS:
            errors.add(f"{where}.form", f"phải là một trong {', '.join(FORMS)}")
            continue
        effective = iso_day(item.get("effective"))
        if effective is None:
            errors.add(f"{where}.effective", "phải là ngày dạng YYYY-MM-DD")
            continue
        if "duty_related" not in item:
            errors.add(f"{where}.duty_related", "thiếu (true nếu vi phạm liên quan đến công vụ)")
            continue
        duty_related = _bool(item, "duty_related", where, errors, False)
        already = _bool(item, "already_counted", where, errors, False)
        category, leader = person.get("category"), person.get("is_leader", False)
        if category in CATEGORIES and isinstance(leader, bool):
            problem = form_problem(form, category, leader, effective, system)
            if problem:
                errors.add(f"{where}.form", problem)
                continue
        records.append(Discipline(form, effective, duty_related, system, already))
    return tuple(records)


def _parse_facts(value: object, path: str, errors: _Errors) -> rules.Nd90Facts | None:
    if not isinstance(value, dict):
        errors.add(path, "phải là một đối tượng")
        return None
    _unknown_keys(value, FACT_KEYS, path, errors)
    general = value.get("general")
    if general not in rules.GENERAL:
        errors.add(f"{path}.general", f"phải là một trong {', '.join(rules.GENERAL)}")
    pcts: dict[str, Decimal | None] = {}
    for key in FACT_PCT_KEYS:
        if key in value and value[key] is not None:
            pcts[key] = _pct(value[key], f"{path}.{key}", errors)
        elif key in ("tasks_done_pct", "tasks_on_time_pct"):
            errors.add(f"{path}.{key}", "thiếu")
    for small, large in FACT_ORDER:
        a, b = pcts.get(small), pcts.get(large)
        if a is not None and b is not None and a > b:
            errors.add(f"{path}.{small}", f"không được lớn hơn {large}")
    done, on_time = pcts.get("tasks_done_pct"), pcts.get("tasks_on_time_pct")
    if general not in rules.GENERAL or done is None or on_time is None:
        return None
    return rules.Nd90Facts(
        general=str(general),
        tasks_done_pct=done,
        tasks_on_time_pct=on_time,
        tasks_exceeded_pct=pcts.get("tasks_exceeded_pct") or Decimal(0),
        unit_done_pct=pcts.get("unit_done_pct"),
        unit_on_time_pct=pcts.get("unit_on_time_pct"),
        unit_exceeded_pct=pcts.get("unit_exceeded_pct"),
        subunits_htnv_pct=pcts.get("subunits_htnv_pct"),
        subunits_htt_pct=pcts.get("subunits_htt_pct"),
    )


def _parse_person(
    obj: object,
    path: str,
    regime: Regime | None,
    day: date | None,
    unit_level: str | None,
    errors: _Errors,
) -> rules.Person | None:
    if not isinstance(obj, dict):
        errors.add(path, "phải là một đối tượng")
        return None
    before = len(errors)
    _unknown_keys(obj, PERSON_KEYS, path, errors)
    pid = obj.get("id")
    if not (isinstance(pid, str) and pid) and not is_int(pid):
        errors.add(f"{path}.id", "thiếu hoặc không phải chuỗi/số nguyên")
    category = obj.get("category")
    if category not in CATEGORIES:
        errors.add(f"{path}.category", f"phải là một trong {', '.join(CATEGORIES)}")
    group = obj.get("group")
    if group is not None and not isinstance(group, str) and not is_int(group):
        errors.add(f"{path}.group", "phải là chuỗi, số nguyên hoặc null")
    is_leader = _bool(obj, "is_leader", path, errors, False)
    is_head = _bool(obj, "is_head", path, errors, False)
    months: dict[str, int] = {}
    for key, default in (("months_worked", None), ("months_absent", 0)):
        value = _int_in(obj.get(key, default), 0, 12)
        if value is None:
            errors.add(f"{path}.{key}", "phải là số nguyên từ 0 đến 12")
        else:
            months[key] = value
    if len(months) == 2 and months["months_worked"] + months["months_absent"] > 12:
        errors.add(path, "months_worked + months_absent không được quá 12")
    scores = obj.get("period_scores", [])
    if not isinstance(scores, list) or len(scores) > 12:
        errors.add(f"{path}.period_scores", "phải là một mảng tối đa 12 điểm")
        scores = []
    for i, score in enumerate(scores):
        if _number_in(score, 0, 100) is None:
            errors.add(f"{path}.period_scores[{i}]", "phải là số từ 0 đến 100")
    flags = obj.get("flags", [])
    if not isinstance(flags, list) or not all(isinstance(f, str) for f in flags):
        errors.add(f"{path}.flags", "phải là một mảng chuỗi")
        flags = []
    for flag in flags:
        if flag not in FLAG_NAMES:
            errors.add(
                f"{path}.flags", f'"{flag}" không có trong danh mục ({", ".join(FLAG_NAMES)})'
            )
    records = _parse_discipline(obj.get("discipline", []), obj, f"{path}.discipline", errors)
    facts = None
    if regime is not None and regime.method == "nd90_criteria":
        if scores:
            errors.add(
                f"{path}.period_scores", f"không dùng cho {regime.code} (xếp loại theo facts)"
            )
        if "facts" in obj:
            facts = _parse_facts(obj["facts"], f"{path}.facts", errors)
    elif regime is not None and "facts" in obj:
        errors.add(f"{path}.facts", f"chỉ dùng cho nd90, không dùng cho {regime.code}")
    own_level = _level(obj.get("unit_level"), f"{path}.unit_level", errors)
    problem = _coverage_problem(regime, category, day)
    if problem:
        errors.add(f"{path}.category", problem)
    if len(errors) > before:
        return None
    return rules.Person(
        id=pid,
        category=str(category),
        group=group,
        is_leader=is_leader,
        is_head=is_head,
        months_worked=months["months_worked"],
        months_absent=months["months_absent"],
        period_scores=tuple(Decimal(s) for s in scores),
        discipline=records,
        flags=frozenset(flags),
        facts=facts,
        unit_level=own_level or unit_level,
    )


def _parse_parameters(value: object, errors: _Errors) -> dict[str, object]:
    if value is None:
        return {}
    if not isinstance(value, dict):
        errors.add("parameters", "phải là một đối tượng {tên: giá trị}")
        return {}
    overrides: dict[str, object] = {}
    for name, given in value.items():
        rows = regimes.SETTINGS.get(name)
        if not rows:
            errors.add(f"parameters.{name}", "không có tham số này (xem docs/classify.md)")
            continue
        default = rows[-1].default
        if isinstance(default, bool):
            ok = isinstance(given, bool)
        elif isinstance(default, int | Decimal):
            ok = _number_in(given, 0, 10**6) is not None
        else:
            ok = isinstance(given, str)
        if not ok:
            errors.add(f"parameters.{name}", f"sai kiểu (mặc định: {_jsonable(default)!r})")
            continue
        overrides[name] = given
    return overrides


def parse(text: str) -> tuple[Regime, int, list[rules.Person], str | None, dict[str, object]]:
    data = load_object(text, parse_float=Decimal)
    errors = _Errors()
    _unknown_keys(data, TOP_KEYS, "(gốc)", errors)
    regime = regimes.REGIMES.get(str(data.get("regime")))
    if regime is None:
        errors.add("regime", f"phải là một trong {', '.join(regimes.REGIMES)}")
    year = _int_in(data.get("year"), 2000, 2100)
    if year is None:
        errors.add("year", "phải là số nguyên (năm đánh giá), ví dụ 2026")
    unit_level = _level(data.get("unit_level"), "unit_level", errors)
    overrides = _parse_parameters(data.get("parameters"), errors)
    people_raw = data.get("people")
    if not isinstance(people_raw, list):
        errors.add("people", "phải là một mảng")
        people_raw = []
    people, seen = [], set()
    for i, raw in enumerate(people_raw):
        day = regimes.year_end(year) if year is not None else None
        person = _parse_person(raw, f"people[{i}]", regime, day, unit_level, errors)
        if person is None:
            continue
        key = (type(person.id).__name__, person.id)
        if key in seen:
            errors.add(f"people[{i}].id", f"trùng id {person.id!r}")
        seen.add(key)
        people.append(person)
    if errors:
        raise InputError(errors)
    assert regime is not None and year is not None  # noqa: S101 (narrowing after validation)
    return regime, year, people, unit_level, overrides


def _coverage_problem(regime: Regime | None, category: object, day: date | None) -> str | None:
    """Why the chosen regime does not cover this category for the year (None if it does)."""
    if regime is None or day is None or not isinstance(category, str) or category not in CATEGORIES:
        return None
    if regime.coverage_for(category, day):
        return None
    message = f"{regime.title} không áp dụng cho {CATEGORIES[category]} năm {day.year}"
    try:
        suggested = regimes.regime_for(category, day)
    except regimes.NoRegime:
        return message
    return f"{message}; dùng {suggested.code} ({suggested.title})"


def _jsonable(value: object) -> object:
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    return value


def _cap_json(check: rules.CapCheck) -> dict[str, object]:
    return {
        "group": check.group,
        "htxs": check.htxs,
        "allowed": check.allowed,
        "exceeded": check.exceeded,
        "htt": check.htt,
        "share": _jsonable(check.share),
        "must_change": check.must_change,
        "candidates": list(check.candidates),
        "beyond": list(check.beyond),
        "source": check.source,
    }


def _parameters_json(
    regime: Regime, year: int, overrides: Mapping[str, object]
) -> list[dict[str, object]]:
    day = regimes.year_end(year)
    rows = []
    for name in sorted(regimes.SETTINGS):
        if not name.startswith((f"{regime.code}.", "score.")):
            continue
        setting = regimes.setting_in_force(name, day)
        rows.append(
            {
                "name": name,
                "value": _jsonable(overrides.get(name, setting.default)),
                "confidence": setting.confidence,
                "source": setting.source,
                "overridden": name in overrides,
            }
        )
    return rows


def classify_text(text: str) -> dict[str, object]:
    """The whole contract: JSON text in, the output document out (raises ``InputError``)."""
    regime, year, people, unit_level, overrides = parse(text)
    results, errors = [], _Errors()
    for i, person in enumerate(people):
        try:
            results.append(rules.classify(person, regime=regime, year=year, overrides=overrides))
        except rules.InputProblem as exc:
            errors.add(f"people[{i}] (id={person.id!r})", str(exc))
    if errors:
        raise InputError(errors)
    share, source = rules.cap_share(regime, year, unit_level, overrides)
    caps = [_cap_json(c) for c in rules.cap_check(results, share=share, source=source)]
    places = int(
        str(regimes.setting_value("score.display_places", regimes.year_end(year), overrides))
    )
    return {
        "version": CONTRACT_VERSION,
        "regime": regime.code,
        "year": year,
        "results": [
            {
                "id": r.id,
                "group": r.group,
                "level": r.level,
                "score": None
                if r.score is None
                else _jsonable(rules.display_score(r.score, places)),
                "reasons": [x.as_json() for x in r.reasons],
            }
            for r in results
        ],
        "cap": caps[0] if len(caps) == 1 else caps,
        "caps": caps,
        "parameters": _parameters_json(regime, year, overrides),
    }


def main(source: str, *, stdin: IO[Any], stdout: IO[str], stderr: IO[str]) -> int:
    """Run the contract; returns the exit code (0, or 2 for bad input with stdout untouched)."""
    return run(classify_text, source, stdin=stdin, stdout=stdout, stderr=stderr)
