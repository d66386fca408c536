"""Who may see and manage a plan, and record or read a unit's progress.

A plan is visible (``plan.view``) over the unit that issued it or over any unit it is
assigned to (through its assignments: a to-many path, hence ``distinct``); a unit that carries
on an assigned unit after a merger reaches it too, since a unit scope includes the ended units
that live on in it. Managing (create, assign, record an event's date) is ``plan.manage`` over
the issuing unit, and assigning also over each unit that receives the plan. Progress belongs
to the unit that recorded it: a unit head reads and records their own unit's, never another's.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from congvu.core import permissions
from congvu.core.permissions import Action, Entity

if TYPE_CHECKING:
    from congvu.core.permissions import Actor
    from congvu.organisations.models import Unit
    from congvu.plans.models import Plan, ProgressEntry, ReportTemplate

PLAN = Entity(units=("owner_id", "assignments__unit_id"), distinct=True)
PROGRESS = Entity(units=("unit_id",))


def _unit_ids_allowed(user: Actor, action: Action, unit_ids: list[int]) -> bool:
    return set(unit_ids) <= permissions.scoped_unit_ids(user, action, unit_ids)


def plan_check_view(user: Actor, plan: Plan) -> bool:
    return PLAN.allows(user, Action.PLAN_VIEW, plan)


def plan_check_create(user: Actor, owner: Unit) -> bool:
    """Issue a plan in the name of ``owner``: ``plan.manage`` over it."""
    return permissions.can(user, Action.PLAN_MANAGE, owner)


def plan_check_manage(user: Actor, plan: Plan) -> bool:
    """Manage a plan (assign it, record an event's date): ``plan.manage`` over its issuer."""
    return _unit_ids_allowed(user, Action.PLAN_MANAGE, [plan.owner_id])


def plan_check_assign(user: Actor, plan: Plan, units: list[Unit]) -> bool:
    """Assign ``plan`` to ``units``: manage rights over the plan and over every unit."""
    return plan_check_manage(user, plan) and _unit_ids_allowed(
        user, Action.PLAN_MANAGE, [unit.pk for unit in units]
    )


def document_check_manage(user: Actor) -> bool:
    """Record a legal document or link two: whoever manages plans somewhere."""
    return permissions.may(user, Action.PLAN_MANAGE)


def progress_check_record(user: Actor, unit: Unit) -> bool:
    """Record progress in the name of ``unit``: ``plan.progress`` over it."""
    return permissions.can(user, Action.PLAN_PROGRESS, unit)


def progress_check_view(user: Actor, entry: ProgressEntry) -> bool:
    return PROGRESS.allows(user, Action.PLAN_VIEW, entry)


REPORT = Entity(units=("unit_id",))
"""A periodic report belongs to the unit that writes it: PLAN_PROGRESS there writes and sends
it, PLAN_VIEW reads it, PLAN_MANAGE (Sở Nội vụ over the province) returns or accepts it."""


TEMPLATE = Entity(units=("owner_id",))
"""A report template belongs to the unit that issued it (Sở Nội vụ): those who manage plans
there edit it; who views plans there reads it. A report keeps its own copy of the parts."""


def template_check_manage(user: Actor, template: ReportTemplate) -> bool:
    return TEMPLATE.allows(user, Action.PLAN_MANAGE, template)


EXPLANATION = Entity(units=("unit_id",))
"""A request to explain a late task is about one unit: read over it (``plan.view``), answered
by who records its progress (``plan.progress``)."""
