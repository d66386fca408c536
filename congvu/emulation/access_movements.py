"""Who sees and acts on movements, registration lists and clusters (issue 13, helper A).

- A movement is seen by ``emulation.view`` holders whose scope reaches its launching unit or a
  unit under it (a province's movement concerns every unit of the province; Lâm Đồng's is
  nobody's here); Sở Nội vụ (``emulation.manage`` over the launching unit) edits it.
- A unit's registration list: read with ``emulation.view`` over the unit; built and sent by
  ``emulation.propose`` over the unit (its head); accepted or returned with
  ``emulation.manage`` over it (Sở Nội vụ).
- A cluster's year: read with ``emulation.view`` over any member; run by ``emulation.manage``;
  each member scores the others through its own head (a ``unit_head`` assignment on that very
  unit: Sở Nội vụ's province-wide rights do not make it a scorer).
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q
from django.utils import timezone

from congvu.core import permissions
from congvu.core.permissions import Action, Entity

REGISTRATION_LIST = Entity(units=("unit_id",))
CLUSTER_YEAR = Entity(units=("members__id",), distinct=True)


def reach_upwards(user: Any, action: Action) -> frozenset[int] | None:
    """The units in the user's scope and every unit above them today (None: everything)."""
    from congvu.organisations.graph import org_graph

    scope = permissions.unit_scope(user, action)
    if scope is permissions.EVERYTHING:
        return None
    current = org_graph().as_of(timezone.localdate())
    found: set[int] = set()
    for unit_id in scope:
        row = current.get(unit_id)
        found.add(unit_id)
        while row is not None and row.parent_id is not None and row.parent_id not in found:
            found.add(row.parent_id)
            row = current.get(row.parent_id)
    return frozenset(found)


def movement_condition(user: Any) -> Q:
    reach = reach_upwards(user, Action.EMULATION_VIEW)
    if reach is None:
        return Q()
    return Q(owner_id__in=sorted(reach)) if reach else Q(pk__in=[])


def movement_check_manage(user: Any, movement: Any) -> bool:
    return permissions.can(user, Action.EMULATION_MANAGE, movement.owner)


def registration_check_edit(user: Any, registration_list: Any) -> bool:
    return REGISTRATION_LIST.allows(user, Action.EMULATION_PROPOSE, registration_list)


def registration_check_review(user: Any, registration_list: Any) -> bool:
    return REGISTRATION_LIST.allows(user, Action.EMULATION_MANAGE, registration_list)


def headed_units(user: Any, unit_ids: list[int]) -> list[int]:
    """Those of ``unit_ids`` the user heads today (a ``unit_head`` assignment on the unit
    itself), in the given order; one query."""
    if not getattr(user, "is_authenticated", False) or not unit_ids:
        return []
    from congvu.accounts.models import RoleAssignment

    day = timezone.localdate()
    rows = RoleAssignment.objects.filter(
        user_id=user.pk, role="unit_head", unit_id__in=unit_ids, valid_from__lte=day
    ).filter(Q(valid_to__isnull=True) | Q(valid_to__gt=day))
    held = set(rows.values_list("unit_id", flat=True))
    propose = permissions.unit_scope(user, Action.EMULATION_PROPOSE)
    return [u for u in unit_ids if u in held and u in propose]
