"""`congvu eligibility --json FILE`: the eligibility engine as a stable JSON contract
(docs/eligibility.md). Pure: parse strictly (unknown keys refused, as `congvu classify`),
``rules.eligibility``, answer. Bad input raises ``InputError`` with every problem, in
Vietnamese, with its JSON path; nothing is written to stdout then, and the exit code is 2."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import IO, Any

from congvu.core.dated import setting_exists, setting_in_force
from congvu.core.json_contract import Errors, InputError, day_field, is_int, load_object, run
from congvu.emulation import rules

TOP_KEYS = {"award", "as_of", "subject", "settings", "received_on"}
SUBJECT_KEYS = {"kind", "category", "history"}
YEAR_KEYS = {
    "year",
    "rating",
    "titles",
    "awards",
    "initiatives",
    "discipline",
    "pending",
    "members",
    "months",
    "cluster_leader",
}
AWARD_KEYS = {"code", "year", "kind"}
INITIATIVE_KEYS = {"id", "level", "year", "used_for"}
DISCIPLINE_KEYS = {"form", "from", "to"}
COUNT_KEYS = {"count", "ldtt", "cstdcs", "kht", "warned"}
MEMBER_KEYS = {"rating", "titles", "discipline"}
CATEGORIES = ("can_bo", "cong_chuc", "vien_chuc", "nguoi_lao_dong", "tap_the")
YEARS = (1975, 2100)
MAX_YEARS = 100
MAX_MEMBERS = 10_000


def _int(value: object, path: str, errors: Errors, low: int, high: int) -> int | None:
    if not is_int(value) or not low <= value <= high:  # type: ignore[operator]
        errors.add(path, f"cần một số nguyên từ {low} đến {high}")
        return None
    return value  # type: ignore[return-value]


def _keys(data: object, allowed: set[str], path: str, errors: Errors) -> dict | None:
    if not isinstance(data, dict):
        errors.add(path, "cần một đối tượng")
        return None
    for key in sorted(set(data) - allowed):
        errors.add(f"{path}.{key}" if path else key, "trường không có trong lược đồ")
    return data


def _list(value: object, path: str, errors: Errors) -> list:
    if value is None:
        return []
    if not isinstance(value, list):
        errors.add(path, "cần một danh sách")
        return []
    return value


def _choice(value: object, allowed: tuple[str, ...], path: str, errors: Errors) -> str | None:
    if value not in allowed:
        errors.add(path, "cần một trong: " + ", ".join(allowed))
        return None
    return str(value)


def _rating(value: object, path: str, errors: Errors) -> str | None:
    if value is None:
        return None
    return _choice(value, rules.RATINGS, path, errors)


def _discipline(value: object, path: str, errors: Errors) -> list[rules.DisciplineRow]:
    found = []
    for n, item in enumerate(_list(value, path, errors)):
        here = f"{path}[{n}]"
        data = _keys(item, DISCIPLINE_KEYS, here, errors)
        if data is None:
            continue
        form = data.get("form")
        if not isinstance(form, str) or not form:
            errors.add(f"{here}.form", "cần mã hình thức kỷ luật")
        start = day_field(data.get("from"), f"{here}.from", errors)
        end = day_field(data.get("to"), f"{here}.to", errors, nullable=True)
        if start and end and end < start:
            errors.add(f"{here}.to", "kết thúc trước khi bắt đầu")
        if isinstance(form, str) and form and start:
            found.append(rules.DisciplineRow(form, start, end))
    return found


def _members(value: object, path: str, errors: Errors, year: int) -> rules.Members | None:
    if value is None:
        return None
    if isinstance(value, list):
        if len(value) > MAX_MEMBERS:
            errors.add(path, f"tối đa {MAX_MEMBERS} thành viên")
            return None
        rows = []
        for n, item in enumerate(value):
            here = f"{path}[{n}]"
            data = _keys(item, MEMBER_KEYS, here, errors)
            if data is None:
                continue
            rating = _rating(data.get("rating"), f"{here}.rating", errors)
            titles = _titles(data.get("titles"), f"{here}.titles", errors)
            warned = any(
                d.form in rules.WARNING_OR_ABOVE
                and d.start.year <= year <= (d.end or date.max).year
                for d in _discipline(data.get("discipline"), f"{here}.discipline", errors)
            )
            rows.append((rating, titles, warned))
        return rules.Members(
            count=len(rows),
            ldtt=sum(1 for _r, t, _w in rows if rules.LDTT in t or rules.CSTDCS in t),
            cstdcs=sum(1 for _r, t, _w in rows if rules.CSTDCS in t),
            kht=sum(1 for r, _t, _w in rows if r == "KHT"),
            warned=sum(1 for *_x, w in rows if w),
        )
    data = _keys(value, COUNT_KEYS, path, errors)
    if data is None:
        return None
    counts = {}
    for key in sorted(COUNT_KEYS):
        counts[key] = _int(data.get(key, 0), f"{path}.{key}", errors, 0, 1_000_000)
    if "count" not in data:
        errors.add(f"{path}.count", "thiếu trường bắt buộc")
    if any(v is None for v in counts.values()):
        return None
    if any(counts[k] > counts["count"] for k in ("ldtt", "cstdcs", "kht", "warned")):  # type: ignore[operator]
        errors.add(path, "số thành viên theo từng loại không được lớn hơn tổng số")
        return None
    return rules.Members(**counts)  # type: ignore[arg-type]


def _titles(value: object, path: str, errors: Errors) -> tuple[str, ...]:
    found = []
    for n, code in enumerate(_list(value, path, errors)):
        if _choice(code, rules.AWARDS, f"{path}[{n}]", errors):
            found.append(str(code))
    return tuple(found)


def _year(data: object, path: str, errors: Errors) -> rules.Year | None:
    entry = _keys(data, YEAR_KEYS, path, errors)
    if entry is None:
        return None
    before = len(errors)
    year = _int(entry.get("year"), f"{path}.year", errors, *YEARS)
    rating = _rating(entry.get("rating"), f"{path}.rating", errors)
    titles = _titles(entry.get("titles"), f"{path}.titles", errors)
    awards = []
    for n, item in enumerate(_list(entry.get("awards"), f"{path}.awards", errors)):
        here = f"{path}.awards[{n}]"
        award = _keys(item, AWARD_KEYS, here, errors)
        if award is None:
            continue
        code = _choice(award.get("code"), rules.AWARDS, f"{here}.code", errors)
        given = _int(award.get("year"), f"{here}.year", errors, *YEARS)
        kind = _choice(award.get("kind", rules.MERIT), rules.AWARD_KINDS, f"{here}.kind", errors)
        if code and given and kind:
            awards.append(rules.AwardRow(code, given, kind))
    initiatives = []
    for n, item in enumerate(_list(entry.get("initiatives"), f"{path}.initiatives", errors)):
        here = f"{path}.initiatives[{n}]"
        found = _keys(item, INITIATIVE_KEYS, here, errors)
        if found is None:
            continue
        ident = found.get("id")
        if not isinstance(ident, (str, int)) or isinstance(ident, bool) or str(ident) == "":
            errors.add(f"{here}.id", "cần mã sáng kiến (chuỗi hoặc số)")
        level = _choice(found.get("level"), rules.INITIATIVE_LEVELS, f"{here}.level", errors)
        made = _int(found.get("year"), f"{here}.year", errors, *YEARS)
        used = found.get("used_for")
        if used is not None:
            _choice(used, rules.AWARDS, f"{here}.used_for", errors)
        if level and made and isinstance(ident, (str, int)):
            initiatives.append(rules.Initiative(str(ident), level, made, used))
    pending = []
    for n, item in enumerate(_list(entry.get("pending"), f"{path}.pending", errors)):
        if _choice(item, rules.PENDING, f"{path}.pending[{n}]", errors):
            pending.append(str(item))
    months = entry.get("months")
    if months is not None:
        months = _int(months, f"{path}.months", errors, 0, 12)
    leader = entry.get("cluster_leader")
    if leader is not None and not isinstance(leader, bool):
        errors.add(f"{path}.cluster_leader", "cần true, false hoặc null")
        leader = None
    discipline = _discipline(entry.get("discipline"), f"{path}.discipline", errors)
    members = _members(entry.get("members"), f"{path}.members", errors, year or 0)
    if len(errors) != before or year is None:
        return None
    return rules.Year(
        year=year,
        rating=rating,
        titles=titles,
        awards=tuple(awards),
        initiatives=tuple(initiatives),
        discipline=tuple(discipline),
        pending=tuple(pending),
        months=months,
        members=members,
        cluster_leader=leader,
    )


def _settings(value: object, errors: Errors) -> dict[str, object]:
    if value is None:
        return {}
    if not isinstance(value, dict):
        errors.add("settings", "phải là một đối tượng {tên: giá trị}")
        return {}
    found: dict[str, object] = {}
    for name, given in value.items():
        if name not in rules.SETTINGS or not setting_exists(name):
            errors.add(f"settings.{name}", "không có tham số này (xem docs/eligibility.md)")
            continue
        default = setting_in_force(name, date(2100, 1, 1)).default
        if isinstance(default, bool):
            ok = isinstance(given, bool)
        elif isinstance(default, float):
            ok = isinstance(given, (int, float)) and not isinstance(given, bool) and 0 <= given <= 1
        else:
            ok = isinstance(given, int) and not isinstance(given, bool) and 0 <= given <= 120
        if not ok:
            errors.add(f"settings.{name}", f"sai kiểu hoặc ngoài khoảng (mặc định: {default!r})")
        else:
            found[name] = given
    return found


def parse(text: str) -> dict[str, Any]:
    data = load_object(text)
    errors = Errors()
    for key in sorted(set(data) - TOP_KEYS):
        errors.add(key, "trường không có trong lược đồ")
    award = _choice(data.get("award"), rules.AWARDS, "award", errors)
    as_of = day_field(data.get("as_of"), "as_of", errors)
    received = day_field(data.get("received_on"), "received_on", errors, nullable=True)
    subject = _keys(data.get("subject"), SUBJECT_KEYS, "subject", errors)
    kind = category = None
    history: list[rules.Year] = []
    if subject is not None:
        kind = _choice(
            subject.get("kind"), (rules.INDIVIDUAL, rules.COLLECTIVE), "subject.kind", errors
        )
        category = subject.get("category", "")
        if category not in ("", *CATEGORIES):
            errors.add("subject.category", "cần một trong: " + ", ".join(CATEGORIES))
        entries = _list(subject.get("history"), "subject.history", errors)
        if len(entries) > MAX_YEARS:
            errors.add("subject.history", f"tối đa {MAX_YEARS} năm")
            entries = []
        for n, entry in enumerate(entries):
            found = _year(entry, f"subject.history[{n}]", errors)
            if found is not None:
                history.append(found)
        years = [y.year for y in history]
        for duplicate in sorted({y for y in years if years.count(y) > 1}):
            errors.add("subject.history", f"năm {duplicate} có hai lần")
    if award and kind and kind not in rules.KINDS_OF[award]:
        errors.add("subject.kind", f"{rules.AWARD_NAMES[award]} không xét cho đối tượng này")
    overrides = _settings(data.get("settings"), errors)
    if errors:
        raise InputError(errors)
    return {
        "award": award,
        "as_of": as_of,
        "received_on": received,
        "subject": rules.Subject(str(kind), str(category or ""), tuple(history)),
        "overrides": overrides,
    }


def eligibility_text(text: str) -> dict[str, object]:
    """The whole contract: JSON text in, the output document out (raises ``InputError``)."""
    given = parse(text)
    overrides = given["overrides"]
    answer = rules.eligibility(
        given["award"], given["subject"], given["as_of"], overrides, given["received_on"]
    )
    return answer_document(answer, overrides)


def answer_document(answer: rules.Answer, overrides: Mapping[str, object]) -> dict[str, object]:
    """An answer in the published shape (docs/eligibility.md): what the command prints and
    what a nomination keeps as its engine report."""
    parameters = []
    for name, day in answer.settings:
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
        "award": answer.award,
        "regime": answer.regime,
        "result": answer.result,
        "checks": [
            {"condition": c.condition, "source": c.source, "passed": c.passed, "detail": c.detail}
            for c in answer.checks
        ],
        "parameters": parameters,
    }


def main(source: str, *, stdin: IO[Any], stdout: IO[str], stderr: IO[str]) -> int:
    return run(eligibility_text, source, stdin=stdin, stdout=stdout, stderr=stderr)
