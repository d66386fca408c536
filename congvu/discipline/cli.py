"""`congvu discipline-check --json FILE`: a discipline case's timeline and a decision's effects
as a stable JSON contract (docs/discipline-check.md). Pure: parse, ``rules.case_check``,
answer. Bad input raises ``InputError`` with every problem, in Vietnamese, with its JSON path;
nothing is written to stdout then, and the exit code is 2."""

from __future__ import annotations

from datetime import date
from typing import IO, Any

from congvu.core.dated import setting_exists, setting_in_force
from congvu.core.json_contract import Errors, InputError, day_field, load_object, run
from congvu.discipline import rules
from congvu.organisations.rules import CIVIL_SERVICE_CATEGORIES

TOP_KEYS = {"as_of", "person", "violation", "decision", "parameters"}
PERSON_KEYS = {"category", "is_leader"}
VIOLATION_KEYS = {
    "committed_on",
    "detected_on",
    "level",
    "no_limitation",
    "complex",
    "paused_days",
}
DECISION_KEYS = {"form", "effective"}
FIRST_DAY = date(1945, 1, 1)
MAX_PAUSED_DAYS = 36_500


def _day(value: object, path: str, errors: Errors) -> date | None:
    day = day_field(value, path, errors)
    if day is not None and day < FIRST_DAY:
        errors.add(path, f"ngày trước {FIRST_DAY:%d/%m/%Y}")
        return None
    return day


def _object(data: dict, key: str, allowed: set[str], errors: Errors) -> dict | None:
    value = data.get(key)
    if not isinstance(value, dict):
        errors.add(key, "cần một đối tượng")
        return None
    for name in sorted(set(value) - allowed):
        errors.add(f"{key}.{name}", "trường không có trong lược đồ")
    return value


def _flag(value: object, path: str, errors: Errors, default: bool = False) -> bool:
    if value is None:
        return default
    if not isinstance(value, bool):
        errors.add(path, "cần true hoặc false")
        return default
    return value


def _parameters(value: object, errors: Errors) -> dict[str, object]:
    if value is None:
        return {}
    if not isinstance(value, dict):
        errors.add("parameters", "phải là một đối tượng {tên: giá trị}")
        return {}
    found: dict[str, object] = {}
    for name, given in value.items():
        if name not in rules.CASE_SETTINGS or not setting_exists(name):
            errors.add(f"parameters.{name}", "không có tham số này (xem docs/discipline-check.md)")
        elif not isinstance(given, int) or isinstance(given, bool) or not 0 <= given <= 600:
            errors.add(f"parameters.{name}", "cần một số nguyên từ 0 đến 600")
        else:
            found[name] = given
    return found


def parse(text: str) -> dict[str, Any]:
    """The checked input, or ``InputError`` with every problem."""
    data = load_object(text)
    errors = Errors()
    for key in sorted(set(data) - TOP_KEYS):
        errors.add(key, "trường không có trong lược đồ")
    as_of = _day(data.get("as_of"), "as_of", errors)
    person = _object(data, "person", PERSON_KEYS, errors)
    category, is_leader = None, False
    if person is not None:
        category = person.get("category")
        if category not in CIVIL_SERVICE_CATEGORIES:
            errors.add("person.category", "cần một trong: " + ", ".join(CIVIL_SERVICE_CATEGORIES))
            category = None
        is_leader = _flag(person.get("is_leader"), "person.is_leader", errors)
    found = _object(data, "violation", VIOLATION_KEYS, errors)
    violation = None
    if found is not None:
        committed = _day(found.get("committed_on"), "violation.committed_on", errors)
        detected = _day(found.get("detected_on"), "violation.detected_on", errors)
        level = found.get("level")
        if level not in rules.LEVELS:
            errors.add("violation.level", "cần một trong: " + ", ".join(rules.LEVELS))
        exempt = found.get("no_limitation")
        if exempt is not None and exempt not in rules.NO_LIMITATION:
            errors.add(
                "violation.no_limitation",
                "cần null hoặc một trong: " + ", ".join(rules.NO_LIMITATION),
            )
        paused = found.get("paused_days", 0)
        if (
            not isinstance(paused, int)
            or isinstance(paused, bool)
            or not 0 <= paused <= MAX_PAUSED_DAYS
        ):
            errors.add("violation.paused_days", f"cần một số nguyên từ 0 đến {MAX_PAUSED_DAYS}")
            paused = 0
        complex_case = _flag(found.get("complex"), "violation.complex", errors)
        if committed and detected and detected < committed:
            errors.add("violation.detected_on", "ngày phát hiện trước ngày vi phạm")
        if committed and as_of and committed > as_of:
            errors.add("violation.committed_on", "ngày vi phạm sau ngày xét (as_of)")
        if committed and detected and level in rules.LEVELS:
            violation = rules.Violation(
                committed, detected, str(level), exempt, complex_case, int(paused)
            )
    decision = None
    if data.get("decision") is not None:
        given = _object(data, "decision", DECISION_KEYS, errors)
        if given is not None:
            form = given.get("form")
            if form not in rules.FORMS:
                errors.add("decision.form", "cần một trong: " + ", ".join(rules.FORMS))
            effective = _day(given.get("effective"), "decision.effective", errors)
            if violation and effective and effective < violation.committed_on:
                errors.add("decision.effective", "quyết định có hiệu lực trước ngày vi phạm")
            if form in rules.FORMS and effective:
                decision = rules.Discipline(str(form), effective, duty_related=True)
    overrides = _parameters(data.get("parameters"), errors)
    if errors:
        raise InputError(errors)
    return {
        "as_of": as_of,
        "category": category,
        "is_leader": is_leader,
        "violation": violation,
        "decision": decision,
        "overrides": overrides,
    }


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day else None


def check_text(text: str) -> dict[str, object]:
    """The whole contract: JSON text in, the output document out (raises ``InputError``)."""
    given = parse(text)
    overrides = given["overrides"]
    result = rules.case_check(
        as_of=given["as_of"],
        category=given["category"],
        is_leader=given["is_leader"],
        violation=given["violation"],
        decision=given["decision"],
        overrides=overrides,
    )
    parameters = []
    for name, day in sorted(set(result.settings)):
        setting = setting_in_force(name, day)
        parameters.append(
            {
                "name": name,
                "value": overrides.get(name, setting.default),
                "confidence": setting.confidence,
                "source": setting.source,
                "overridden": name in overrides,
            }
        )
    return {
        "limitation_ends": _iso(result.limitation_ends),
        "time_barred": result.time_barred,
        "processing_deadline": _iso(result.processing_deadline),
        "form_valid": result.form_valid,
        "regime": result.regime,
        "effects": [
            {
                "effect": e.effect,
                "from": e.start.isoformat(),
                "until": _iso(e.until),
                "months": e.months,
                "source": e.source,
            }
            for e in result.effects
        ],
        "reasons": [r.as_json() for r in result.reasons],
        "overdue": result.overdue,
        "parameters": parameters,
    }


def main(source: str, *, stdin: IO[Any], stdout: IO[str], stderr: IO[str]) -> int:
    return run(check_text, source, stdin=stdin, stdout=stdout, stderr=stderr)
