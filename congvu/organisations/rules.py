"""Pure rules over the organisation's dated facts (no database).

Intervals are half-open [valid_from, valid_to). The reorganisation of 2025
(Nghị quyết 202/2025/QH15; two-level local government from 01/07/2025) is the
case these rules are built for: units end, merge into others and their history
rolls up into their successors (docs/legal/organisation.md#o-3).
"""

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date

CIVIL_SERVICE_CATEGORIES: dict[str, str] = {
    "can_bo": "cán bộ",
    "cong_chuc": "công chức",
    "vien_chuc": "viên chức",
}
"""The three categories the laws on evaluation and discipline apply to (CBCCVC); a staff
record may also be "người lao động", whom they do not cover."""


@dataclass(frozen=True)
class StaffSpec:
    """A person's own fields, as every way in gives them: the form, the Excel import
    (``import_rules.StaffRecord``), the demo (``demo_people.Person``), the API and tests.
    ``services.staff_build`` normalises them (NFC, upper-case code, sort and search keys)."""

    code: str
    ho: str
    dem: str
    ten: str
    gender: str
    birth_year: int
    category: str
    position: str = ""
    is_leader: bool = False


@dataclass(frozen=True, slots=True)
class VersionRow:
    unit_id: int
    code: str
    name: str
    unit_type: str
    parent_id: int | None
    valid_from: date
    valid_to: date | None


@dataclass(frozen=True, slots=True)
class EventRow:
    event_id: int
    kind: str
    effective_date: date
    predecessors: tuple[int, ...]
    successors: tuple[int, ...]


def holds_on(valid_from: date, valid_to: date | None, day: date) -> bool:
    """True when the half-open interval [valid_from, valid_to) contains ``day``."""
    return valid_from <= day and (valid_to is None or day < valid_to)


def intervals_overlap(a: tuple[date, date | None], b: tuple[date, date | None]) -> bool:
    a_from, a_to = a
    b_from, b_to = b
    return (b_to is None or a_from < b_to) and (a_to is None or b_from < a_to)


def versions_as_of(versions: Iterable[VersionRow], day: date) -> dict[int, VersionRow]:
    """The one version of each unit that holds on ``day`` (units not existing are absent)."""
    return {v.unit_id: v for v in versions if holds_on(v.valid_from, v.valid_to, day)}


def children_map(current: Mapping[int, VersionRow]) -> dict[int | None, list[int]]:
    """Parent id → child unit ids, among units that exist on the same day.

    A unit whose parent does not exist that day is treated as a root.
    """
    children: dict[int | None, list[int]] = defaultdict(list)
    for unit_id, version in current.items():
        parent = version.parent_id if version.parent_id in current else None
        children[parent].append(unit_id)
    return children


def descendants(children: Mapping[int | None, list[int]], roots: Iterable[int]) -> set[int]:
    """The roots and everything below them (cycle-safe)."""
    seen: set[int] = set()
    stack = list(roots)
    while stack:
        unit_id = stack.pop()
        if unit_id in seen:
            continue
        seen.add(unit_id)
        stack.extend(children.get(unit_id, ()))
    return seen


def successors_on(
    events: Iterable[EventRow], unit_id: int, since: date, exists_on_day: set[int]
) -> set[int]:
    """The units existing on the target day that carry on ``unit_id`` as it was ``since``.

    Follows every lineage event after ``since`` forward: a merge leads to the merged
    unit, a split to all parts, a unit that simply continues is its own successor.
    ``exists_on_day`` is the set of units that exist on the target day.
    """
    outgoing: dict[int, list[EventRow]] = defaultdict(list)
    for event in events:
        for pred in event.predecessors:
            outgoing[pred].append(event)
    result: set[int] = set()
    seen: set[tuple[int, date]] = set()
    frontier: list[tuple[int, date]] = [(unit_id, since)]
    while frontier:
        current, after = frontier.pop()
        if (current, after) in seen:
            continue
        seen.add((current, after))
        if current in exists_on_day:
            result.add(current)
        for event in outgoing.get(current, ()):
            if event.effective_date > after:
                for succ in event.successors:
                    if succ != current:
                        frontier.append((succ, event.effective_date))
    return result


def predecessors_closure(events: Iterable[EventRow], unit_ids: Iterable[int]) -> set[int]:
    """The given units and every unit they descend from through lineage events."""
    return _walk(_incoming(events), unit_ids)


def _incoming(events: Iterable[EventRow]) -> dict[int, set[int]]:
    """Unit id → the units it succeeds directly through a lineage event."""
    incoming: dict[int, set[int]] = defaultdict(set)
    for event in events:
        for succ in event.successors:
            incoming[succ].update(p for p in event.predecessors if p != succ)
    return incoming


def _walk(incoming: Mapping[int, set[int]], unit_ids: Iterable[int]) -> set[int]:
    seen: set[int] = set()
    stack = list(unit_ids)
    while stack:
        unit_id = stack.pop()
        if unit_id in seen:
            continue
        seen.add(unit_id)
        stack.extend(incoming.get(unit_id, ()))
    return seen


def scope_closure(
    versions: Iterable[VersionRow],
    events: Iterable[EventRow],
    roots: Iterable[int],
    *,
    subtree: bool,
    today: date,
) -> set[int]:
    """The units a role over ``roots`` covers today, with their history.

    Covered: the roots, their subtree today (when ``subtree``), and units that have
    ended and live on in a covered unit — predecessors through lineage, and (for a
    subtree scope) units that were children of a covered unit when they ended. A unit
    still existing under another parent today is not covered: a move takes it out.
    """
    index = _ScopeIndex.build(versions, events, today)
    return index.closure(roots, subtree=subtree)


def scope_closures(
    versions: Iterable[VersionRow],
    events: Iterable[EventRow],
    roots: Iterable[int],
    *,
    subtree: bool,
    today: date,
) -> dict[int, set[int]]:
    """``scope_closure`` of each of ``roots`` on its own, the graph read once: each closure
    then costs its own size, not the whole graph's (a breakdown under the 80 children of a
    province of 2,000 units)."""
    index = _ScopeIndex.build(versions, events, today)
    return {root: index.closure([root], subtree=subtree) for root in roots}


@dataclass(frozen=True)
class _ScopeIndex:
    """What every closure on one day reads: today's children, the ended units and, for
    each unit, the ended units that were its children when they ended and the units it
    succeeds through lineage."""

    children: dict[int | None, list[int]]
    ended: set[int]
    ended_children: dict[int, set[int]]
    incoming: dict[int, set[int]]

    @classmethod
    def build(
        cls, versions: Iterable[VersionRow], events: Iterable[EventRow], today: date
    ) -> "_ScopeIndex":
        versions = list(versions)
        current = versions_as_of(versions, today)
        last_parent: dict[int, int | None] = {}
        for version in sorted(versions, key=lambda v: v.valid_from):
            last_parent[version.unit_id] = version.parent_id
        ended = {unit_id for unit_id in last_parent if unit_id not in current}
        ended_children: dict[int, set[int]] = defaultdict(set)
        for unit_id in ended:
            parent = last_parent[unit_id]
            if parent is not None:
                ended_children[parent].add(unit_id)
        return cls(children_map(current), ended, ended_children, _incoming(events))

    def closure(self, roots: Iterable[int], *, subtree: bool) -> set[int]:
        covered = descendants(self.children, roots) if subtree else set(roots)
        while True:
            grown = _walk(self.incoming, covered) & (self.ended | covered)
            if subtree:
                for unit_id in list(grown):
                    grown |= self.ended_children.get(unit_id, set())
            if grown <= covered:
                return covered
            covered |= grown
