"""A unit's internal rules (nội quy) against what they must contain, over plain values.

Seed 003 item 1 (UBND tỉnh Nam Định, 11/2021): "nội quy, quy định cần đảm bảo đầy đủ nội
dung theo Quy chế văn hóa công sở ... Quyết định số 129/2007/QĐ-TTg ... và Đề án văn hóa
công vụ ... Quyết định số 1847/QĐ-TTg". The required contents are versioned data
(``required/noi-quy.yaml``); here: read and check them, split typed rules into items, suggest
which item covers which content, and compute the coverage. No Django, no files.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from congvu.core.text import clean_text, fold, nfc

CONFIDENCE_TAGS = ("C", "C*", "S", "U")
CODE = re.compile(r"[a-z0-9]+(?:[.-][a-z0-9]+)*")
TOP_KEYS = {"version", "effective_from", "source", "items"}
ITEM_KEYS = {"code", "title", "basis", "confidence", "keywords"}
MAX_ITEMS = 500
MAX_ITEM_TEXT = 8000
MAX_NUMBER = 32

MISSING_REASON = "Chưa có điều nào của nội quy được gắn với nội dung này."
NO_RULES_REASON = "Đơn vị chưa có nội quy trên hệ thống."
UNKNOWN_REASON = "Mã nội dung không có trong danh mục nội dung bắt buộc hiện hành."
REASONS = {"no_mapping": MISSING_REASON, "no_rules": NO_RULES_REASON, "unknown": UNKNOWN_REASON}


class RulesError(ValueError):
    """Input that cannot be used; ``problems`` lists every reason, in Vietnamese."""

    def __init__(self, problems: Sequence[str]) -> None:
        self.problems = list(problems)
        super().__init__("\n".join(self.problems))


# --- The required contents -----------------------------------------------------------------


@dataclass(frozen=True)
class Required:
    code: str
    title: str
    basis: str
    confidence: str
    keywords: tuple[str, ...]


@dataclass(frozen=True)
class RequiredSet:
    version: str
    effective_from: date
    source: str
    items: tuple[Required, ...]

    def by_code(self) -> dict[str, Required]:
        return {r.code: r for r in self.items}


def _text(value: Any) -> str:
    return nfc(value).strip() if isinstance(value, str) else ""


def _required_item(raw: Any, where: str, problems: list[str]) -> Required | None:
    if not isinstance(raw, Mapping):
        problems.append(f"{where}: phải là một bảng khóa–giá trị.")
        return None
    unknown = sorted(set(raw) - ITEM_KEYS)
    if unknown:
        problems.append(f"{where}: khóa không dùng được: {', '.join(map(str, unknown))}.")
    code = _text(raw.get("code"))
    where = f"{where} ({code})" if code else where
    if not CODE.fullmatch(code):
        problems.append(f"{where}: mã (code) gồm chữ thường không dấu, số, dấu chấm, gạch ngang.")
    for key in ("title", "basis"):
        if not _text(raw.get(key)):
            problems.append(f"{where}: thiếu {key}.")
    confidence = _text(raw.get("confidence"))
    if confidence not in CONFIDENCE_TAGS:
        problems.append(f"{where}: mức tin cậy phải là một trong {', '.join(CONFIDENCE_TAGS)}.")
    keywords = raw.get("keywords")
    words = tuple(_text(k) for k in keywords) if isinstance(keywords, list) else ()
    if not words or not all(words):
        problems.append(f"{where}: keywords phải là một danh sách từ khóa không rỗng.")
    return Required(
        code=code,
        title=_text(raw.get("title")),
        basis=_text(raw.get("basis")),
        confidence=confidence,
        keywords=words,
    )


def required_parse(data: Any) -> RequiredSet:
    """The checked list of required contents of a YAML document; every problem at once."""
    if not isinstance(data, Mapping):
        raise RulesError(["Tệp nội dung bắt buộc phải là một bảng khóa–giá trị."])
    problems: list[str] = []
    unknown = sorted(set(data) - TOP_KEYS)
    if unknown:
        problems.append(f"Khóa không dùng được: {', '.join(map(str, unknown))}.")
    version = _text(data.get("version"))
    if not version:
        problems.append("Thiếu phiên bản (version).")
    effective = data.get("effective_from")
    if not isinstance(effective, date):
        problems.append("effective_from phải là một ngày (YYYY-MM-DD).")
    source = _text(data.get("source"))
    if not source:
        problems.append("Thiếu nguồn (source).")
    raw_items = data.get("items")
    if not isinstance(raw_items, list) or not raw_items:
        problems.append("items phải là một danh sách không rỗng.")
        raw_items = []
    items = []
    for n, raw in enumerate(raw_items, 1):
        item = _required_item(raw, f"Mục {n}", problems)
        if item is not None:
            items.append(item)
    seen: set[str] = set()
    for item in items:
        if item.code and item.code in seen:
            problems.append(f"Mã {item.code} xuất hiện hai lần.")
        seen.add(item.code)
    if problems:
        raise RulesError(problems)
    assert isinstance(effective, date)
    return RequiredSet(version, effective, source, tuple(items))


# --- Splitting typed rules into items ------------------------------------------------------


@dataclass(frozen=True)
class ParsedItem:
    number: str
    """As the document numbers it: "Điều 3", "2", or the line's position when unnumbered."""
    text: str


_ARTICLE = re.compile(r"^dieu\s+(\d+[a-z]?)\s*[.:\-–)]?\s*", re.IGNORECASE)
_NUMBERED = re.compile(r"^(\d{1,3})\s*[.)]\s+")
_HEADING = re.compile(r"^(chuong|muc|phan)\s+[0-9ivxlc]+\b", re.IGNORECASE)


def _lines(text: str) -> list[str]:
    return [nfc(line) for line in clean_text(text).splitlines() if nfc(line)]


def _split(lines: list[str], start: re.Pattern[str], label: str) -> list[ParsedItem]:
    """Items that begin at lines matching ``start`` (on the folded line); later lines until the
    next start continue the item; lines before the first start (the title) are not items."""
    items: list[tuple[str, list[str]]] = []
    for line in lines:
        folded = fold(line)
        match = start.match(folded)
        if match:
            items.append((label % match.group(1), [line]))
        elif items and not _HEADING.match(folded):
            items[-1][1].append(line)
    return [ParsedItem(number, "\n".join(body)) for number, body in items]


def items_parse(text: str) -> list[ParsedItem]:
    """Split typed rules into items: at each "Điều N" when the text has articles, else at each
    numbered line ("1.", "2)"), else one item a line. Headings (Chương, Mục, Phần) are not
    items. Raises RulesError for no item, too many, a long item or a number given twice."""
    lines = _lines(text)
    if any(_ARTICLE.match(fold(line)) for line in lines):
        items = _split(lines, _ARTICLE, "Điều %s")
    elif any(_NUMBERED.match(line) for line in lines):
        items = _split(lines, _NUMBERED, "%s")
    else:
        items = [
            ParsedItem(str(n), line)
            for n, line in enumerate((x for x in lines if not _HEADING.match(fold(x))), 1)
        ]
    problems = []
    if not items:
        problems.append("Nội quy chưa có điều, khoản nào.")
    if len(items) > MAX_ITEMS:
        problems.append(f"Nội quy có {len(items)} mục, tối đa {MAX_ITEMS}.")
    seen: set[str] = set()
    for item in items:
        if item.number in seen:
            problems.append(f"{item.number} xuất hiện hai lần.")
        seen.add(item.number)
        if len(item.text) > MAX_ITEM_TEXT:
            problems.append(f"{item.number} dài quá {MAX_ITEM_TEXT} ký tự.")
    if problems:
        raise RulesError(problems)
    return items


# --- Suggesting a mapping -------------------------------------------------------------------


@dataclass(frozen=True)
class Suggestion:
    item: Any
    """The caller's key of the item (its id)."""
    code: str
    keyword: str


def _contains(folded_text: str, keyword: str) -> bool:
    """Whole words only: "bia" (beer) is not found in "biat", "the" not in "thee"."""
    word = re.escape(fold(keyword))
    return re.search(rf"(?<![a-z0-9]){word}(?![a-z0-9])", folded_text) is not None


def suggest(
    items: Iterable[tuple[Any, str]],
    required: Sequence[Required],
    existing: Iterable[tuple[Any, str]] = (),
) -> list[Suggestion]:
    """For each item (key, text), the required contents one of whose keywords it contains,
    diacritics and case ignored, and not already mapped (``existing``: (key, code)). The first
    keyword found is given as the reason. Items and contents keep their order."""
    done = set(existing)
    found = []
    for key, text in items:
        folded = fold(text)
        for req in required:
            if (key, req.code) in done:
                continue
            hit = next((k for k in req.keywords if _contains(folded, k)), None)
            if hit is not None:
                found.append(Suggestion(key, req.code, hit))
    return found


# --- Coverage -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Covered:
    required: Required
    items: tuple[str, ...]
    """The numbers of the items mapped to it, in the order given."""


@dataclass(frozen=True)
class Missing:
    required: Required
    reason: str


@dataclass(frozen=True)
class Coverage:
    covered: tuple[Covered, ...]
    missing: tuple[Missing, ...]
    unknown: tuple[tuple[str, str], ...]
    """(item number, code) mapped to a code the current list does not have."""

    @property
    def percent(self) -> int:
        total = len(self.covered) + len(self.missing)
        return round(100 * len(self.covered) / total) if total else 100


def coverage(
    required: Sequence[Required], mappings: Iterable[tuple[str, str]], *, has_rules: bool = True
) -> Coverage:
    """Which required contents the rules cover: each is covered when at least one item is
    mapped to it (``mappings``: (item number, code)), else missing with the reason. A unit
    with no rules at all misses everything for that reason (seed 003 item 1)."""
    by_code: dict[str, list[str]] = {r.code: [] for r in required}
    unknown = []
    for number, code in mappings:
        if code in by_code:
            if number not in by_code[code]:
                by_code[code].append(number)
        else:
            unknown.append((number, code))
    reason = MISSING_REASON if has_rules else NO_RULES_REASON
    return Coverage(
        covered=tuple(Covered(r, tuple(by_code[r.code])) for r in required if by_code[r.code]),
        missing=tuple(Missing(r, reason) for r in required if not by_code[r.code]),
        unknown=tuple(unknown),
    )


def carried_mappings(
    old: Iterable[tuple[str, str]], new: Iterable[tuple[Any, str]]
) -> list[tuple[Any, str]]:
    """When a new version is typed, the mappings of the old one that still apply: a new item
    (key, text) whose text equals an old item's (diacritics, case and spacing aside) keeps that
    item's codes. ``old``: (text, code) per mapping."""
    codes: dict[str, list[str]] = {}
    for text, code in old:
        codes.setdefault(_same(text), []).append(code)
    return [(key, code) for key, text in new for code in codes.get(_same(text), [])]


def _same(text: str) -> str:
    return " ".join(fold(text).split())
