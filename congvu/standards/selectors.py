"""Permission-scoped reads of catalogues, and the reads other modules build on.

The province-wide catalogues (no owner unit) are visible to everyone with a role; a
unit's own rules only within the reader's unit scope. Outside it they do not exist (404).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import Count, Q, QuerySet

from congvu.core import permissions
from congvu.core.permissions import EVERYTHING, Action
from congvu.organisations.models import Unit
from congvu.standards import rules, services, unit_rules
from congvu.standards.access import UNIT_RULES
from congvu.standards.models import (
    Catalogue,
    CatalogueVersion,
    Criterion,
    RulesItem,
    RulesMapping,
    UnitRules,
)
from congvu.standards.services import SUPPLEMENT_ACTION


def catalogue_visibility(user, *, action: Action = Action.UNIT_VIEW, prefix: str = "") -> Q:
    """The catalogues ``user`` may read, as a filter (``prefix`` for related lookups)."""
    scope = permissions.unit_scope(user, action)
    if scope is EVERYTHING:
        return Q()
    if not scope:
        return Q(pk__in=[])
    return Q(**{f"{prefix}owner_unit__isnull": True}) | Q(
        **{f"{prefix}owner_unit_id__in": sorted(scope)}
    )


def catalogue_list_for_user(*, user) -> QuerySet[Catalogue]:
    return (
        Catalogue.objects.filter(catalogue_visibility(user))
        .select_related("owner_unit")
        .annotate(version_count=Count("versions"))
        .order_by("kind", "code")
    )


def catalogue_get_for_user(*, user, code: str) -> Catalogue | None:
    return (
        Catalogue.objects.filter(catalogue_visibility(user), code=code)
        .select_related("owner_unit")
        .first()
    )


def versions_of(catalogue: Catalogue) -> list[CatalogueVersion]:
    """Oldest first: the order in which they took effect."""
    return list(
        catalogue.versions.select_related("loaded_by").order_by("effective_from", "loaded_at")
    )


def version_get_for_user(*, user, code: str, version: str) -> CatalogueVersion | None:
    return (
        CatalogueVersion.objects.filter(
            catalogue_visibility(user, prefix="catalogue__"), catalogue__code=code, version=version
        )
        .select_related("catalogue", "catalogue__owner_unit")
        .first()
    )


def version_in_force(*, code: str, day: date) -> CatalogueVersion | None:
    """The version of catalogue ``code`` in force on ``day`` (for evaluation cycles)."""
    return (
        CatalogueVersion.objects.filter(catalogue__code=code, effective_from__lte=day)
        .order_by("-effective_from", "-loaded_at", "-pk")
        .first()
    )


def version_criteria(version: CatalogueVersion) -> QuerySet[Criterion]:
    """The tree in reading order (pre-order), one query."""
    return version.criteria.select_related("parent").order_by("order")


def version_rows(version: CatalogueVersion) -> list[rules.Row]:
    """The version as plain rows for the pure rules (diff), in reading order."""
    return [
        rules.Row(
            stable_id=c.stable_id,
            parent_id=c.parent.stable_id if c.parent else None,
            depth=c.depth,
            order=c.order,
            text=c.text,
            source=c.source,
            points=c.points,
            weight=c.weight,
            evidence_required=c.evidence_required,
            subjects=tuple(c.subjects),
            wording=c.wording,
            confidence=c.confidence,
            note=c.note,
        )
        for c in version_criteria(version)
    ]


def version_diff(*, old: CatalogueVersion, new: CatalogueVersion) -> rules.VersionDiff:
    return rules.diff_rows(version_rows(old), version_rows(new))


def supplement_units_for_user(*, user) -> QuerySet[Unit]:
    """Current units whose own rules ``user`` may issue."""
    return permissions.filter_units(
        user, SUPPLEMENT_ACTION, Unit.objects.filter(valid_to__isnull=True)
    ).order_by("sort_key")


def supplement_unit_get_for_user(*, user, unit_id: int) -> Unit | None:
    return supplement_units_for_user(user=user).filter(pk=unit_id).first()


# --- A unit's internal rules and their coverage (seed 003 item 1) ----------------------------


def required_contents() -> unit_rules.RequiredSet:
    return services.required_set()


def rules_units_for_user(*, user, action: Action = Action.UNIT_RULES_VIEW) -> QuerySet[Unit]:
    """Current units whose rules ``user`` may read (or manage), in the tree's order."""
    return permissions.filter_units(
        user, action, Unit.objects.filter(valid_to__isnull=True)
    ).order_by("sort_key")


def rules_unit_get_for_user(
    *, user, unit_id: int, action: Action = Action.UNIT_RULES_VIEW
) -> Unit | None:
    return permissions.first_by_pk(rules_units_for_user(user=user, action=action), unit_id)


def rules_versions_for_user(*, user, unit: Unit) -> list[UnitRules]:
    """Every version of the unit's rules the user may read, newest first."""
    found = UnitRules.objects.filter(unit=unit).select_related("created_by")
    return list(UNIT_RULES.filter(user, Action.UNIT_RULES_VIEW, found).order_by("-version"))


def rules_get_for_user(
    *, user, pk: Any, action: Action = Action.UNIT_RULES_VIEW
) -> UnitRules | None:
    return UNIT_RULES.get(user, action, UnitRules.objects.select_related("unit"), pk)


def rules_items(rules: UnitRules) -> list[RulesItem]:
    """The items in order with their mappings (two queries)."""
    return list(rules.items.prefetch_related("mappings").order_by("order"))


def rules_coverage(rules: UnitRules | None, items: Sequence[RulesItem]) -> unit_rules.Coverage:
    mappings = [(item.number, m.code) for item in items for m in item.mappings.all()]
    return unit_rules.coverage(required_contents().items, mappings, has_rules=rules is not None)


def rules_suggestions(items: Sequence[RulesItem]) -> list[unit_rules.Suggestion]:
    """Mappings the keywords suggest for the items (``Suggestion.item``: the item's id)."""
    existing = [(item.pk, m.code) for item in items for m in item.mappings.all()]
    return unit_rules.suggest(
        [(item.pk, item.text) for item in items], required_contents().items, existing
    )


@dataclass(frozen=True)
class CoverageRow:
    unit: Unit
    rules: UnitRules | None
    coverage: unit_rules.Coverage


def coverage_rows(units: Sequence[Unit]) -> list[CoverageRow]:
    """Each unit (already scoped by the caller) with its current rules and their coverage:
    three queries whatever the number of units."""
    ids = [u.pk for u in units]
    latest: dict[int, UnitRules] = {}
    for version in UnitRules.objects.filter(unit_id__in=ids).order_by("unit_id", "-version"):
        latest.setdefault(version.unit_id, version)
    mapped: dict[int, list[tuple[str, str]]] = {r.pk: [] for r in latest.values()}
    pairs = RulesMapping.objects.filter(item__rules_id__in=list(mapped)).values_list(
        "item__rules_id", "item__number", "code"
    )
    for rules_id, number, code in pairs:
        mapped[rules_id].append((number, code))
    required = required_contents().items
    rows = []
    for unit in units:
        current = latest.get(unit.pk)
        found = mapped[current.pk] if current else []
        rows.append(
            CoverageRow(
                unit, current, unit_rules.coverage(required, found, has_rules=current is not None)
            )
        )
    return rows
