"""Catalogue documents over plain values: parse and validate, flatten, checksum, diff.

No ORM and no files here. The document format, the id rules and the versioning rules
are in docs/catalogues.md; every problem found is reported at once, in Vietnamese, with
the id (or the path) of the item it concerns.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from congvu.core.text import nfc

KINDS = ("individual", "collective", "office_rules", "unit_supplement")
SUBJECTS = ("individual", "collective", "leader")
WORDINGS = ("verbatim", "paraphrase")
CONFIDENCE_TAGS = ("C", "C*", "S", "U")
DEFAULT_SUBJECTS = {
    "individual": ("individual",),
    "collective": ("collective",),
    "office_rules": ("individual",),
    "unit_supplement": ("individual",),
}
DEFAULT_WEIGHT = Decimal(1)
"""Where the source gives no points, every item weighs 1 (docs/catalogues.md)."""
MAX_DEPTH = 3  # group → criterion → sub-criterion
MAX_TEXT = 4000
MAX_SOURCE = 500
SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
VERSION = re.compile(r"[0-9A-Za-z][0-9A-Za-z.\-]{0,31}")
UNTRACED = "none"

TOP_KEYS = {
    "code",
    "title",
    "kind",
    "version",
    "effective_from",
    "source",
    "owner_unit",
    "defaults",
    "total_points",
    "items",
}
SOURCE_KEYS = {"document", "seed", "confidence", "url"}
DEFAULT_KEYS = {"weight", "evidence_required", "subjects"}
ITEM_KEYS = {
    "id",
    "text",
    "source",
    "points",
    "weight",
    "evidence_required",
    "subjects",
    "wording",
    "confidence",
    "note",
    "trace",
    "items",
}


class CatalogueError(ValueError):
    """A document that cannot be loaded; ``problems`` lists every reason."""

    def __init__(self, problems: Sequence[str]) -> None:
        self.problems = list(problems)
        super().__init__("\n".join(self.problems))


@dataclass(frozen=True)
class Trace:
    """A fragment of an item's text and the seed file it must appear in verbatim."""

    seed: str
    text: str


@dataclass(frozen=True)
class Item:
    stable_id: str
    text: str
    source: str
    points: Decimal | None
    weight: Decimal
    evidence_required: bool
    subjects: tuple[str, ...]
    wording: str
    confidence: str
    note: str
    trace: tuple[Trace, ...] | None
    """None: the whole text must be in the catalogue's seed; (): not traceable to a seed."""
    children: tuple[Item, ...]


@dataclass(frozen=True)
class CatalogueDoc:
    code: str
    title: str
    kind: str
    version: str
    effective_from: date
    source_document: str
    source_seed: str
    source_confidence: str
    source_url: str
    owner_unit: str
    total_points: Decimal | None
    items: tuple[Item, ...]


@dataclass(frozen=True)
class Row:
    """One node of a version in pre-order: what the database stores and the diff compares."""

    stable_id: str
    parent_id: str | None
    depth: int
    order: int
    text: str
    source: str = ""
    points: Decimal | None = None
    weight: Decimal = DEFAULT_WEIGHT
    evidence_required: bool = False
    subjects: tuple[str, ...] = ()
    wording: str = "verbatim"
    confidence: str = ""
    note: str = ""


# --- Parsing ------------------------------------------------------------------


def _fmt(value: Decimal) -> str:
    return format(value.normalize(), "f")


def _text(value: Any) -> str:
    return nfc(value) if isinstance(value, str) else ""


def _date(value: Any) -> date | None:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(value.strip()) if isinstance(value, str) else None
    except ValueError:
        return None


def _decimal(value: Any) -> Decimal | None:
    if isinstance(value, bool) or not isinstance(value, int | float | str | Decimal):
        return None
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        return None
    return number if number.is_finite() else None


@dataclass(frozen=True)
class _Inherited:
    """What an item takes when it does not say: from the defaults, then from its parent."""

    weight: Decimal
    evidence_required: bool
    subjects: tuple[str, ...]


class _Parser:
    """Collects every problem of one document instead of stopping at the first."""

    def __init__(self) -> None:
        self.problems: list[str] = []
        self.seen: set[str] = set()

    def fail(self, where: str, message: str) -> None:
        self.problems.append(f"{where}: {message}")

    def unknown(self, data: Mapping, allowed: set[str], where: str) -> None:
        for key in sorted(set(data) - allowed):
            self.fail(where, f"khóa không hợp lệ «{key}»")

    def points(self, value: Any, where: str) -> Decimal | None:
        if value is None:
            return None
        number = _decimal(value)
        if number is None or number < 0:
            self.fail(where, "điểm phải là số không âm")
            return None
        return number

    def weight(self, value: Any, where: str, default: Decimal) -> Decimal:
        if value is None:
            return default
        number = _decimal(value)
        if number is None or number <= 0:
            self.fail(where, "trọng số phải là số dương")
            return default
        return number

    def flag(self, value: Any, where: str, default: bool) -> bool:
        if value is None:
            return default
        if not isinstance(value, bool):
            self.fail(where, "evidence_required phải là true hoặc false")
            return default
        return value

    def subjects(self, value: Any, where: str, default: tuple[str, ...]) -> tuple[str, ...]:
        if value is None:
            return default
        if not isinstance(value, list) or not value or any(s not in SUBJECTS for s in value):
            self.fail(where, f"đối tượng áp dụng không hợp lệ: {value!r}; dùng {SUBJECTS}")
            return default
        return tuple(s for s in SUBJECTS if s in value)

    def defaults(self, data: Any, kind: str) -> _Inherited:
        fallback = _Inherited(DEFAULT_WEIGHT, False, DEFAULT_SUBJECTS.get(kind, ("individual",)))
        if data is None:
            return fallback
        if not isinstance(data, Mapping):
            self.fail("defaults", "phải là một bảng khóa: giá trị")
            return fallback
        self.unknown(data, DEFAULT_KEYS, "defaults")
        return _Inherited(
            self.weight(data.get("weight"), "defaults.weight", fallback.weight),
            self.flag(data.get("evidence_required"), "defaults.evidence_required", False),
            self.subjects(data.get("subjects"), "defaults.subjects", fallback.subjects),
        )

    def stable_id(self, value: Any, parent_id: str, where: str) -> str:
        if not isinstance(value, str) or not value:
            self.fail(where, "thiếu mã (id)")
            return ""
        segment = value[len(parent_id) + 1 :]
        if not value.startswith(parent_id + ".") or not SLUG.fullmatch(segment):
            self.fail(
                where,
                f"mã phải có dạng «{parent_id}.<đoạn>», <đoạn> gồm chữ thường không dấu, số, "
                "dấu gạch ngang",
            )
        elif value in self.seen:
            self.fail(where, "mã bị trùng")
        self.seen.add(value)
        return value

    def required_text(self, value: Any, where: str, name: str, limit: int) -> str:
        text = _text(value)
        if not text:
            self.fail(where, f"thiếu {name}")
        elif len(text) > limit:
            self.fail(where, f"{name} dài quá {limit} ký tự")
        return text

    def trace(self, value: Any, where: str, text: str, note: str) -> tuple[Trace, ...] | None:
        if value is None:
            return None
        if value == UNTRACED:
            if not note:
                self.fail(where, f"trace: {UNTRACED} cần ghi chú (note) giải thích vì sao")
            return ()
        if not isinstance(value, list) or not value:
            self.fail(where, f"trace phải là «{UNTRACED}» hoặc danh sách {{seed, text}}")
            return None
        if not all(isinstance(f, Mapping) and set(f) == {"seed", "text"} for f in value):
            self.fail(where, "mỗi đoạn trace cần đúng hai khóa seed và text")
            return None
        fragments = tuple(Trace(str(f["seed"]), _text(f["text"])) for f in value)
        if nfc(" ".join(f.text for f in fragments)) != text:
            self.fail(where, "các đoạn trace ghép lại phải đúng bằng nội dung (text)")
        return fragments

    def item(
        self, data: Any, *, parent_id: str, depth: int, where: str, inherited: _Inherited
    ) -> Item | None:
        if not isinstance(data, Mapping):
            self.fail(where, "mỗi mục phải là một bảng khóa: giá trị")
            return None
        where = data["id"] if isinstance(data.get("id"), str) and data["id"] else where
        self.unknown(data, ITEM_KEYS, where)
        stable_id = self.stable_id(data.get("id"), parent_id, where)
        if depth >= MAX_DEPTH:
            self.fail(where, f"cây sâu quá {MAX_DEPTH} cấp (nhóm → tiêu chí → tiêu chí con)")
        text = self.required_text(data.get("text"), where, "nội dung (text)", MAX_TEXT)
        note = _text(data.get("note"))
        wording = data.get("wording", "verbatim")
        if wording not in WORDINGS:
            self.fail(where, f"wording phải là một trong {WORDINGS}")
        confidence = data.get("confidence") or ""
        if confidence and confidence not in CONFIDENCE_TAGS:
            self.fail(where, f"độ tin cậy phải là một trong {CONFIDENCE_TAGS}")
        own = _Inherited(  # children inherit evidence and subjects; weight comes from defaults
            inherited.weight,
            self.flag(data.get("evidence_required"), where, inherited.evidence_required),
            self.subjects(data.get("subjects"), where, inherited.subjects),
        )
        children = self.children(data.get("items"), stable_id or where, depth + 1, where, own)
        points = self.points(data.get("points"), where)
        self.check_points(where, points, children)
        return Item(
            stable_id=stable_id,
            text=text,
            points=points,
            source=self.required_text(data.get("source"), where, "nguồn (source)", MAX_SOURCE),
            weight=self.weight(data.get("weight"), where, inherited.weight),
            evidence_required=own.evidence_required,
            subjects=own.subjects,
            wording=str(wording),
            confidence=str(confidence),
            note=note,
            trace=self.trace(data.get("trace"), where, text, note),
            children=children,
        )

    def children(
        self, value: Any, parent_id: str, depth: int, where: str, inherited: _Inherited
    ) -> tuple[Item, ...]:
        if value is None:
            return ()
        if not isinstance(value, list):
            self.fail(where, "items phải là một danh sách")
            return ()
        found = (
            self.item(
                raw,
                parent_id=parent_id,
                depth=depth,
                where=f"{where}.items[{n}]",
                inherited=inherited,
            )
            for n, raw in enumerate(value)
        )
        return tuple(item for item in found if item is not None)

    def check_points(self, where: str, points: Decimal | None, children: Sequence[Item]) -> None:
        """Where a node and all its children carry points, the children add up to it."""
        given = [c.points for c in children if c.points is not None]
        if given and len(given) != len(children):
            self.fail(where, "hoặc mọi mục con đều có điểm, hoặc không mục con nào có điểm")
        elif points is not None and given and (total := sum(given, Decimal(0))) != points:
            self.fail(where, f"tổng điểm các mục con là {_fmt(total)}, khác {_fmt(points)}")


def parse_catalogue(data: Any) -> CatalogueDoc:
    """A validated catalogue document, or CatalogueError listing every problem."""
    if not isinstance(data, Mapping):
        raise CatalogueError(["tài liệu: phải là một bảng khóa: giá trị"])
    p = _Parser()
    p.unknown(data, TOP_KEYS, "tài liệu")
    code = data.get("code")
    if not isinstance(code, str) or not SLUG.fullmatch(code) or len(code) > 64:
        p.fail("code", "mã danh mục gồm chữ thường không dấu, số, gạch ngang (≤ 64 ký tự)")
        code = str(code or "")
    title = p.required_text(data.get("title"), "title", "tên danh mục", 255)
    kind = data.get("kind")
    if kind not in KINDS:
        p.fail("kind", f"loại danh mục phải là một trong {KINDS}")
    version = data.get("version")
    if not isinstance(version, str):
        p.fail("version", 'phiên bản phải là chuỗi, đặt trong dấu nháy (ví dụ "2019.1")')
    elif not VERSION.fullmatch(version):
        p.fail("version", "phiên bản gồm chữ, số, dấu chấm, gạch ngang (≤ 32 ký tự)")
    effective_from = _date(data.get("effective_from"))
    if effective_from is None:
        p.fail("effective_from", "ngày hiệu lực phải có dạng YYYY-MM-DD")
    source = data.get("source")
    if not isinstance(source, Mapping):
        p.fail("source", "cần bảng nguồn với ít nhất khóa document")
        source = {}
    p.unknown(source, SOURCE_KEYS, "source")
    document = p.required_text(source.get("document"), "source.document", "văn bản nguồn", 500)
    confidence = source.get("confidence") or ""
    if confidence and confidence not in CONFIDENCE_TAGS:
        p.fail("source.confidence", f"phải là một trong {CONFIDENCE_TAGS}")
    owner_unit = _text(data.get("owner_unit"))
    if (kind == "unit_supplement") != bool(owner_unit):
        p.fail("owner_unit", "nội quy bổ sung (unit_supplement) và chỉ nó có đơn vị ban hành")
    total = p.points(data.get("total_points"), "total_points")
    inherited = p.defaults(data.get("defaults"), str(kind))
    items = p.children(data.get("items"), code, 0, "tài liệu", inherited)
    if not items:
        p.fail("items", "danh mục cần ít nhất một mục")
    if total is not None:
        if any(item.points is None for item in items):
            p.fail("total_points", "có tổng điểm thì mọi nhóm phải có điểm")
        # No item's points are None here (the branch above): the ignores say so.
        elif (found := sum((item.points for item in items), Decimal(0))) != total:  # type: ignore[type-var]
            p.fail("total_points", f"tổng điểm các nhóm là {_fmt(found)}, khác {_fmt(total)}")  # type: ignore[arg-type]
    if p.problems:
        raise CatalogueError(p.problems)
    return CatalogueDoc(
        code=code,
        title=title,
        kind=str(kind),
        version=str(version),
        effective_from=effective_from,  # type: ignore[arg-type]  # checked above
        source_document=document,
        source_seed=str(source.get("seed") or ""),
        source_confidence=str(confidence),
        source_url=_text(source.get("url")),
        owner_unit=owner_unit,
        total_points=total,
        items=items,
    )


# --- Flattening, checksum -----------------------------------------------------


def walk(items: Sequence[Item], parent: Item | None = None) -> Iterable[tuple[Item, Item | None]]:
    """Every item with its parent, in pre-order."""
    for item in items:
        yield item, parent
        yield from walk(item.children, item)


def flatten(doc: CatalogueDoc) -> list[Row]:
    """The tree as pre-order rows (the order the database and the pages use)."""
    rows: list[Row] = []

    def visit(items: Sequence[Item], parent_id: str | None, depth: int) -> None:
        for item in items:
            rows.append(
                Row(
                    stable_id=item.stable_id,
                    parent_id=parent_id,
                    depth=depth,
                    order=len(rows),
                    text=item.text,
                    source=item.source,
                    points=item.points,
                    weight=item.weight,
                    evidence_required=item.evidence_required,
                    subjects=item.subjects,
                    wording=item.wording,
                    confidence=item.confidence,
                    note=item.note,
                )
            )
            visit(item.children, item.stable_id, depth + 1)

    visit(doc.items, None, 0)
    return rows


def _plain(value: Any) -> Any:
    if isinstance(value, Decimal):
        return _fmt(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, tuple | list):
        return [_plain(v) for v in value]
    if isinstance(value, Trace):
        return {"seed": value.seed, "text": value.text}
    return value


def canonical(doc: CatalogueDoc) -> dict[str, Any]:
    """The document as plain JSON values; formatting, comments and defaults do not show."""
    header = {
        name: _plain(getattr(doc, name))
        for name in (
            "code",
            "title",
            "kind",
            "version",
            "effective_from",
            "source_document",
            "source_seed",
            "source_confidence",
            "source_url",
            "owner_unit",
            "total_points",
        )
    }
    header["items"] = [
        {key: _plain(value) for key, value in vars(row).items()} for row in flatten(doc)
    ]
    return header


def checksum(doc: CatalogueDoc) -> str:
    """SHA-256 of the canonical content: equal for the same catalogue, whatever the layout."""
    text = json.dumps(canonical(doc), ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


# --- Diff ----------------------------------------------------------------------


@dataclass(frozen=True)
class Change:
    stable_id: str
    field: str
    """text, points, weight, evidence_required, subjects or parent."""
    before: Any
    after: Any


@dataclass(frozen=True)
class VersionDiff:
    added: tuple[Row, ...]
    removed: tuple[Row, ...]
    changes: tuple[Change, ...]

    @property
    def text_changed(self) -> tuple[Change, ...]:
        return tuple(c for c in self.changes if c.field == "text")

    @property
    def points_changed(self) -> tuple[Change, ...]:
        return tuple(c for c in self.changes if c.field in ("points", "weight"))

    @property
    def other_changed(self) -> tuple[Change, ...]:
        return tuple(c for c in self.changes if c.field not in ("text", "points", "weight"))

    @property
    def is_empty(self) -> bool:
        return not (self.added or self.removed or self.changes)


_COMPARED = ("text", "points", "weight", "evidence_required", "subjects", "parent_id")


def diff_rows(old: Sequence[Row], new: Sequence[Row]) -> VersionDiff:
    """What changed from ``old`` to ``new``, matched by stable id (order of ``new``)."""
    before = {row.stable_id: row for row in old}
    after = {row.stable_id: row for row in new}
    changes = []
    for row in new:
        previous = before.get(row.stable_id)
        if previous is None:
            continue
        for name in _COMPARED:
            a, b = getattr(previous, name), getattr(row, name)
            if name == "subjects":
                a, b = tuple(a), tuple(b)
            if a != b:
                label = "parent" if name == "parent_id" else name
                changes.append(Change(row.stable_id, label, a, b))
    return VersionDiff(
        added=tuple(row for row in new if row.stable_id not in before),
        removed=tuple(row for row in old if row.stable_id not in after),
        changes=tuple(changes),
    )


# --- A unit's own rules typed as lines ----------------------------------------

MAX_RULE_LINES = 500
_BULLET = re.compile(r"^[-+*•]\s*")


def items_from_lines(*, code: str, text: str, source: str) -> list[dict[str, Any]]:
    """Document items from lines: "# Nhóm" opens a group, every other line is one rule.

    Ids are positional (``<code>.<group>.<n>``; groups and rules before the first group
    share the top-level numbering), so a rule added at the end of its group keeps every
    other rule's id.
    """
    items: list[dict[str, Any]] = []
    group: dict[str, Any] | None = None
    for number, raw in enumerate(text.splitlines()[:MAX_RULE_LINES], start=1):
        line = nfc(raw)
        if not line:
            continue
        if line.startswith("#"):
            heading = nfc(line.lstrip("#"))
            group = {
                "id": f"{code}.{len(items) + 1}",
                "text": heading,
                "source": f"{source}, dòng {number}",
                "items": [],
            }
            items.append(group)
            continue
        siblings = group["items"] if group is not None else items
        parent_id = group["id"] if group is not None else code
        siblings.append(
            {
                "id": f"{parent_id}.{len(siblings) + 1}",
                "text": _BULLET.sub("", line),
                "source": f"{source}, dòng {number}",
            }
        )
    for item in items:
        if item.get("items") == []:
            del item["items"]
    return items


def lines_from_rows(rows: Sequence[Row]) -> str:
    """The inverse of ``items_from_lines`` for a two-level tree (to prefill a new version)."""
    lines = []
    for row in rows:
        has_children = any(other.parent_id == row.stable_id for other in rows)
        lines.append(f"# {row.text}" if row.depth == 0 and has_children else row.text)
    return "\n".join(lines)
