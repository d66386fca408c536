"""Who may see an inspection, sit on its team and record what it finds.

An inspection is reached three ways (``inspection_condition``, the check inside the query):

- ``inspection.manage`` over the unit that organises it (Sở Nội vụ over the province, a unit
  head over the units below them): every inspection they organise, announced or not;
- its team (``Members`` through ``team__user_id``): the lead and members, whatever their
  unit scope;
- ``inspection.view`` over the inspected unit (its head, the province's leaders, the
  Fatherland Front, an inspector's unit scope): only once the unit may know of it — an
  unannounced (đột xuất) inspection stays invisible to them, in lists, pages and counts,
  until the team starts it on site (``rules.visible_to_inspected``).

Recording answers and photos is the team's alone, while the inspection is in progress, and
never about one's own unit: a member whose staff record is in the inspected unit or below it
(``rules.conflict_of_interest``) is refused when the team is set and again at every answer,
since a person may have moved since.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Q, QuerySet
from django.utils import timezone

from congvu.core import permissions
from congvu.core.permissions import Action, Entity, Members
from congvu.inspections import rules
from congvu.organisations.graph import org_graph

if TYPE_CHECKING:
    from congvu.core.permissions import Actor
    from congvu.inspections.models import Inspection
    from congvu.organisations.models import Unit

ORGANISER = Entity(units=("owner_id",))
"""``inspection.manage`` over the organising unit."""
TEAM = Entity(units=(), members=(Members("team__user_id"),))
"""The team of an inspection: an object-level scope (``TeamMember.user``)."""
INSPECTED = Entity(units=("unit_id",))
"""``inspection.view`` over the inspected unit, once the inspection may be known there."""
KNOWN_TO_INSPECTED = ~Q(kind=rules.UNANNOUNCED) | Q(started_at__isnull=False)


def inspection_condition(user: Actor) -> Q | None:
    """The rule as one filter; None: every inspection (a system administrator)."""
    organiser = ORGANISER.condition(user, Action.INSPECTION_MANAGE)
    if organiser == Q():
        return None
    condition = organiser | TEAM.condition(user, Action.INSPECTION_VIEW)
    inspected = INSPECTED.condition(user, Action.INSPECTION_VIEW)
    if inspected == Q():
        return None
    return condition | (inspected & KNOWN_TO_INSPECTED)


def inspection_filter(user: Actor, qs: QuerySet) -> QuerySet:
    condition = inspection_condition(user)
    if condition is None:
        return qs
    return qs.filter(condition).distinct()  # the team is a to-many join


def inspection_check_view(user: Actor, inspection: Inspection) -> bool:
    """The same rule on one loaded row."""
    if ORGANISER.allows(user, Action.INSPECTION_MANAGE, inspection):
        return True
    if TEAM.allows(user, Action.INSPECTION_VIEW, inspection):
        return True
    known = rules.visible_to_inspected(inspection.kind, inspection.started_at is not None)
    return known and INSPECTED.allows(user, Action.INSPECTION_VIEW, inspection)


def inspection_check_manage(user: Actor, inspection: Inspection) -> bool:
    """Set the team, add items: ``inspection.manage`` over the organising unit."""
    return ORGANISER.allows(user, Action.INSPECTION_MANAGE, inspection)


def inspection_check_create(user: Actor, owner: Unit, unit: Unit) -> bool:
    """Organise an inspection of ``unit`` in the name of ``owner``: manage rights over both."""
    return permissions.can(user, Action.INSPECTION_MANAGE, owner) and permissions.can(
        user, Action.INSPECTION_MANAGE, unit
    )


def team_roles(user: Actor, inspection: Inspection) -> frozenset[str]:
    """The user's roles on the inspection's team (``lead``, ``member``), for the workflow."""
    user_id = getattr(user, "pk", None)
    if not getattr(user, "is_authenticated", False) or user_id is None:
        return frozenset()
    return frozenset(inspection.team.filter(user_id=user_id).values_list("role", flat=True))


def inspected_scope(inspection: Inspection) -> frozenset[int]:
    """The inspected unit, the units under it today and those that live on in it."""
    return org_graph().scope(inspection.unit_id, subtree=True, day=timezone.localdate())


def conflicts(staff_unit_id: int | None, inspection: Inspection) -> bool:
    return rules.conflict_of_interest(staff_unit_id, inspected_scope(inspection))


def own_unit_id(user: Actor) -> int | None:
    """The unit of the user's staff record (None without one)."""
    staff_id = getattr(user, "staff_id", None)
    if staff_id is None:
        return None
    from congvu.organisations.models import Staff

    return Staff.objects.filter(pk=staff_id).values_list("unit_id", flat=True).first()


def answer_check_record(user: Actor, inspection: Inspection) -> bool:
    """Record answers and photos: a team member, not of the inspected unit or below it."""
    if not rules.TEAM_ROLE_NAMES.keys() & team_roles(user, inspection):
        return False
    return not conflicts(own_unit_id(user), inspection)
