"""Dated settings: the one mechanism for a legal or local parameter that changes with time.

A setting has a name, a value, the day it takes effect, its source and a confidence tag
(docs/legal/README.md: "C" confirmed, "C*" corroborated, "S" from a seed document, "U"
unconfirmed). The row with the latest ``effective_from`` not after the day holds, so a new
decree is a new row and past results keep the value of their own date. A province may
override a value from a day on (``core.models.SettingOverride``, read by
``core.selectors.setting_overrides``); callers pass such overrides as a mapping by name, the
most specific last (province, then a unit's own rules). Pure: no database.

Capabilities register their rows at import (``add_settings``); every registered name is
listed, with its row in force on a day, by ``settings_in_force`` (the admin page
"Tham số theo ngày").
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date

CONFIDENCE = {
    "C": "đã xác nhận",
    "C*": "được hai nguồn thứ cấp xác nhận",
    "S": "theo văn bản của tỉnh",
    "U": "chưa xác nhận — giá trị mặc định",
}


DAY_MONTH = re.compile(r"(\d{1,2})/(\d{1,2})")
"""A day in every year, "dd/mm" (15/11): the value of a yearly deadline setting."""
DAY_LIST = re.compile(r"\d{1,3}(\s*,\s*\d{1,3})*")
"""Numbers of days, "7, 1": the value of a reminders setting."""


def day_month(text: str) -> tuple[int, int] | None:
    """(day, month) of "dd/mm" when it is a day of some year (29/02 included), else None."""
    match = DAY_MONTH.fullmatch(text.strip())
    if not match:
        return None
    day, month = int(match[1]), int(match[2])
    try:
        date(2024, month, day)
    except ValueError:
        return None
    return day, month


def day_list(text: str) -> tuple[int, ...]:
    """The numbers of "7, 1" (the order kept)."""
    return tuple(int(n) for n in text.split(","))


@dataclass(frozen=True, slots=True)
class Setting:
    """One row: ``default`` holds from ``effective_from`` until the next row of the name."""

    name: str
    default: object
    source: str
    confidence: str
    effective_from: date
    link: str = ""

    def __post_init__(self) -> None:
        if self.confidence not in CONFIDENCE:
            raise ValueError(f"Setting {self.name!r}: unknown confidence {self.confidence!r}")


class Registry(dict[str, tuple[Setting, ...]]):
    """Rows by name, sorted by the day they take effect (a dict, so that a test can add a
    name for its own duration with ``monkeypatch.setitem``)."""

    def add(self, *rows: Setting) -> None:
        for row in rows:
            existing = self.get(row.name, ())
            if any(r.effective_from == row.effective_from for r in existing):
                raise ValueError(
                    f"Setting {row.name!r} already has a row from {row.effective_from}"
                )
            self[row.name] = tuple(sorted((*existing, row), key=lambda r: r.effective_from))

    def exists(self, name: str) -> bool:
        return name in self

    def rows(self, name: str) -> tuple[Setting, ...]:
        return self.get(name, ())

    def in_force(self, name: str, day: date) -> Setting:
        rows = [r for r in self.get(name, ()) if r.effective_from <= day]
        if not rows:
            raise KeyError(f"No setting {name!r} in force on {day.isoformat()}")
        return rows[-1]

    def value(self, name: str, day: date, *overrides: Mapping[str, object] | None) -> object:
        """The value in force on ``day``; the last mapping of ``overrides`` naming it wins."""
        for layer in reversed(overrides):
            if layer and name in layer:
                return layer[name]
        return self.in_force(name, day).default

    def names(self, prefix: str = "") -> list[str]:
        return sorted(n for n in self if n.startswith(prefix))

    def all_in_force(self, day: date, prefix: str = "") -> list[Setting]:
        """Every setting (of ``prefix``) with its row in force on ``day``, by name."""
        found = []
        for name in self.names(prefix):
            rows = [r for r in self[name] if r.effective_from <= day]
            if rows:
                found.append(rows[-1])
        return found

    def first_in_force(self, names: Iterable[str], day: date) -> Setting:
        """The row in force of the first name that has one (e.g. a category's own row before
        the default's)."""
        names = list(names)
        for name in names:
            rows = [r for r in self.get(name, ()) if r.effective_from <= day]
            if rows:
                return rows[-1]
        raise KeyError(f"No setting of {names!r} in force on {day.isoformat()}")


SETTINGS = Registry()
"""The process-wide registry every capability adds to."""


def add_settings(*rows: Setting) -> None:
    SETTINGS.add(*rows)


def setting_in_force(name: str, day: date) -> Setting:
    return SETTINGS.in_force(name, day)


def setting_value(name: str, day: date, *overrides: Mapping[str, object] | None) -> object:
    """The value in force on ``day``: the most specific override (last) over the default."""
    return SETTINGS.value(name, day, *overrides)


def setting_exists(name: str) -> bool:
    return SETTINGS.exists(name)


def settings_in_force(day: date, prefix: str = "") -> list[Setting]:
    return SETTINGS.all_in_force(day, prefix)


def first_in_force(names: Iterable[str], day: date) -> Setting:
    return SETTINGS.first_in_force(names, day)
