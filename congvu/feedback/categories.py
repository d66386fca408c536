"""The categories of misconduct a citizen can report, as versioned data (categories/*.yaml).

Each version is one file, in force from its ``effective_from``; a report keeps the version it
was filed under, so a later edit of the list never changes what an old report said. Each
category quotes the standard it breaks (``text``, traced to a seed) and names the criteria of
the standards catalogue (stable ids) that a substantiated report points at.
"""

from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from congvu.core.text import nfc

DIRECTORY = Path(__file__).resolve().parent / "categories"
OTHER = "khac"


@dataclass(frozen=True, slots=True)
class Category:
    id: str
    label: str
    hint: str
    text: str
    source: str
    trace: str  # the seed the text is quoted from ("" when it quotes none)
    criteria: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class CategoryList:
    version: str
    effective_from: date
    title: str
    source: str
    items: tuple[Category, ...]

    def get(self, category_id: str) -> Category | None:
        return next((c for c in self.items if c.id == category_id), None)

    def choices(self) -> list[tuple[str, str]]:
        return [(c.id, c.label) for c in self.items]


class CategoryError(ValueError):
    """A category file that does not hold together (raised when the files are read)."""


def _parse(data: Any, where: str) -> CategoryList:
    if not isinstance(data, dict) or not isinstance(data.get("items"), list):
        raise CategoryError(f"{where}: cần các khóa version, effective_from, items")
    items, seen = [], set()
    for raw in data["items"]:
        category = Category(
            id=str(raw["id"]),
            label=nfc(raw["label"]),
            hint=nfc(raw.get("hint", "")),
            text=nfc(raw.get("text", "")),
            source=nfc(raw["source"]),
            trace=str(raw.get("trace") or ""),
            criteria=tuple(raw.get("criteria") or ()),
        )
        if category.id in seen:
            raise CategoryError(f"{where}: mã nhóm «{category.id}» bị lặp")
        if category.trace and not category.text:
            raise CategoryError(f"{where}: nhóm «{category.id}» có trace nhưng không có text")
        seen.add(category.id)
        items.append(category)
    if OTHER not in seen:
        raise CategoryError(f"{where}: thiếu nhóm «{OTHER}» (hành vi khác)")
    effective = data["effective_from"]
    if not isinstance(effective, date):
        raise CategoryError(f"{where}: effective_from phải là một ngày (YYYY-MM-DD)")
    return CategoryList(
        version=str(data["version"]),
        effective_from=effective,
        title=nfc(data["title"]),
        source=nfc(data["source"]),
        items=tuple(items),
    )


@cache
def all_versions() -> tuple[CategoryList, ...]:
    """Every version shipped, oldest first."""
    versions = []
    for path in sorted(DIRECTORY.glob("*.yaml")):
        parsed = _parse(yaml.safe_load(path.read_text(encoding="utf-8")), path.name)
        if parsed.version != path.stem:
            raise CategoryError(f"{path.name}: phiên bản «{parsed.version}» khác tên tệp")
        versions.append(parsed)
    versions.sort(key=lambda v: v.effective_from)
    if len({v.effective_from for v in versions}) != len(versions):
        raise CategoryError("hai phiên bản danh mục có cùng ngày hiệu lực")
    return tuple(versions)


def in_force(day: date) -> CategoryList:
    """The version in force on ``day`` (the oldest one before any is in force)."""
    versions = all_versions()
    current = [v for v in versions if v.effective_from <= day]
    return current[-1] if current else versions[0]


def by_version(version: str) -> CategoryList | None:
    return next((v for v in all_versions() if v.version == version), None)


def label_of(category_id: str, version: str) -> str:
    found = by_version(version)
    category = found.get(category_id) if found else None
    return category.label if category else category_id
