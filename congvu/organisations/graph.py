"""The organisation graph: every unit version and lineage event as plain rows for the pure
rules (``organisations.rules``), cached until a service changes units or lineage.

Below the permission module: ``core.permissions`` computes scopes from it, and it imports
nothing that checks access."""

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from django.core.cache import cache

from congvu.organisations import rules
from congvu.organisations.models import LineageEvent, UnitVersion

_REVISION_KEY = "congvu:org-revision"


@dataclass(frozen=True)
class OrgGraph:
    """Every unit version and lineage event, as plain rows for the pure rules."""

    versions: tuple[rules.VersionRow, ...]
    events: tuple[rules.EventRow, ...]
    _scopes: dict[tuple[int, bool, date], frozenset[int]] = field(
        default_factory=dict, compare=False, repr=False
    )

    def as_of(self, day: date) -> dict[int, rules.VersionRow]:
        return rules.versions_as_of(self.versions, day)

    def scope(self, unit_id: int, *, subtree: bool, day: date) -> frozenset[int]:
        """``rules.scope_closure`` for one root, computed once per graph and day."""
        key = (unit_id, subtree, day)
        found = self._scopes.get(key)
        if found is None:
            found = frozenset(
                rules.scope_closure(
                    self.versions, self.events, [unit_id], subtree=subtree, today=day
                )
            )
            self._scopes[key] = found
        return found

    def scopes(
        self, unit_ids: Iterable[int], *, subtree: bool, day: date
    ) -> dict[int, frozenset[int]]:
        """``scope`` of each of ``unit_ids``, those not yet known computed together
        (``rules.scope_closures``: the graph read once, not once per unit)."""
        ids = list(unit_ids)
        missing = [u for u in ids if (u, subtree, day) not in self._scopes]
        if missing:
            found = rules.scope_closures(
                self.versions, self.events, missing, subtree=subtree, today=day
            )
            for unit_id, closure in found.items():
                self._scopes[(unit_id, subtree, day)] = frozenset(closure)
        return {u: self._scopes[(u, subtree, day)] for u in ids}


def org_revision_bump() -> None:
    """Called by every service that changes units or lineage (after commit)."""
    try:
        cache.incr(_REVISION_KEY)
    except ValueError:
        cache.set(_REVISION_KEY, 1, None)


def graph_load() -> OrgGraph:
    """The graph read from the database now, uncached (inside a transaction that changes
    units, where the cached copy is not yet bumped)."""
    versions = tuple(
        rules.VersionRow(*row)
        for row in UnitVersion.objects.values_list(
            "unit_id", "code", "name", "unit_type", "parent_id", "valid_from", "valid_to"
        )
    )
    preds: dict[int, list[int]] = {}
    succs: dict[int, list[int]] = {}
    for event_id, unit_id in LineageEvent.predecessors.through.objects.values_list(
        "lineageevent_id", "unit_id"
    ):
        preds.setdefault(event_id, []).append(unit_id)
    for event_id, unit_id in LineageEvent.successors.through.objects.values_list(
        "lineageevent_id", "unit_id"
    ):
        succs.setdefault(event_id, []).append(unit_id)
    events = tuple(
        rules.EventRow(
            event_id,
            kind,
            effective,
            tuple(preds.get(event_id, ())),
            tuple(succs.get(event_id, ())),
        )
        for event_id, kind, effective in LineageEvent.objects.values_list(
            "id", "kind", "effective_date"
        )
    )
    return OrgGraph(versions=versions, events=events)


_local: dict[str, OrgGraph] = {}
"""This process's copy of the cached graph, by cache key. Unpickling the graph on each
call cost ~2 ms per permission check with 200 units (five checks per page) and grows
with the number of units; the copy is used while the cache still holds that key."""


def org_graph() -> OrgGraph:
    """The organisation graph, cached until a service changes it."""
    revision = cache.get_or_set(_REVISION_KEY, 1, None)
    key = f"congvu:org-graph:{revision}"
    graph = _local.get(key)
    if graph is not None and cache.has_key(key):
        return graph
    graph = cache.get(key)
    if graph is None:
        graph = graph_load()
        cache.set(key, graph, 3600)
    _local.clear()
    _local[key] = graph
    return graph


def org_graph_forget() -> None:
    """Drop this process's copy of the graph (benchmarks that time a cold start)."""
    _local.clear()
