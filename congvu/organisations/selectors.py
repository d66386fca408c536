"""Permission-scoped reads over units and staff."""

from datetime import date

from django.db.models import F, Prefetch, QuerySet
from django.utils import timezone

from congvu.core import permissions
from congvu.core.permissions import Action
from congvu.core.text import fold, sort_key
from congvu.organisations import rules
from congvu.organisations.graph import org_graph
from congvu.organisations.models import Membership, Staff, Unit

# --- Pure history queries over the whole organisation -------------------------


def unit_tree_as_of(
    *, day: date
) -> tuple[dict[int, rules.VersionRow], dict[int | None, list[int]]]:
    """The versions existing on ``day`` and the parent → children map between them."""
    current = org_graph().as_of(day)
    children = rules.children_map(current)
    for kids in children.values():
        kids.sort(key=lambda unit_id: (current[unit_id].unit_type, sort_key(current[unit_id].name)))
    return current, children


def unit_successors(*, unit: Unit, since: date, day: date | None = None) -> list[Unit]:
    """The unit(s) that carry on ``unit`` (as it was on ``since``) on ``day`` (today)."""
    graph = org_graph()
    day = day or timezone.localdate()
    ids = rules.successors_on(graph.events, unit.pk, since, set(graph.as_of(day)))
    return list(Unit.objects.filter(pk__in=ids))


def unit_lineage_ids(*, unit: Unit) -> set[int]:
    """The unit and all its predecessors: what is recorded under it rolls up here."""
    return rules.predecessors_closure(org_graph().events, [unit.pk])


# --- Scoped reads for a user --------------------------------------------------


def unit_list_for_user(*, user, action: Action = Action.UNIT_VIEW) -> QuerySet[Unit]:
    return permissions.filter_units(user, action, Unit.objects.all())


def unit_get_for_user(*, user, pk: int, action: Action = Action.UNIT_VIEW) -> Unit | None:
    return unit_list_for_user(user=user, action=action).filter(pk=pk).first()


def unit_get_by_code_for_user(*, user, code: str) -> Unit | None:
    return (
        unit_list_for_user(user=user)
        .filter(code=code)
        .order_by(F("valid_to").desc(nulls_first=True))  # the current unit first
        .first()
    )


def staff_list_for_user(
    *,
    user,
    q: str = "",
    unit: Unit | None = None,
    with_subunits: bool = True,
    action: Action = Action.STAFF_VIEW,
) -> QuerySet[Staff]:
    """Staff the user may see, filtered and in Vietnamese name order."""
    qs = permissions.filter_staff(user, action, Staff.objects.select_related("unit"))
    if unit is not None:
        if with_subunits:
            # Only membership matters here: the unsorted children map, no collation keys.
            children = rules.children_map(org_graph().as_of(timezone.localdate()))
            ids = rules.descendants(children, [unit.pk]) | unit_lineage_ids(unit=unit)
            qs = qs.filter(unit_id__in=ids)
        else:
            qs = qs.filter(unit=unit)
    for word in fold(q).split():
        qs = qs.filter(search_text__contains=word)
    return qs.order_by("sort_key", "id")


def staff_get_for_user(*, user, pk: int, action: Action = Action.STAFF_VIEW) -> Staff | None:
    return (
        permissions.filter_staff(user, action, Staff.objects.select_related("unit"))
        .prefetch_related(
            Prefetch("memberships", queryset=Membership.objects.select_related("unit"))
        )
        .filter(pk=pk)
        .first()
    )
