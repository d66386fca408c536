"""Who may see and manage a discipline decision.

A decision is in scope through the person's current unit or the unit recorded on the
decision (the person may have moved since). Nobody records or annuls a decision about
themself; the person may read their own decisions wherever their role reaches.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from congvu.core import permissions
from congvu.core.permissions import Action, Entity

if TYPE_CHECKING:
    from congvu.core.permissions import Actor
    from congvu.discipline.models import DisciplineCase, DisciplineRecord
    from congvu.organisations.models import Staff

DISCIPLINE = Entity(
    units=("staff__unit_id", "unit_id"),
    not_about_self="staff_id",
    not_about_self_for=frozenset({Action.DISCIPLINE_MANAGE}),
)


def discipline_check_manage(user: Actor, record: DisciplineRecord) -> bool:
    return DISCIPLINE.allows(user, Action.DISCIPLINE_MANAGE, record)


def discipline_check_record(user: Actor, staff: Staff) -> bool:
    """Record a new decision about ``staff``: manage rights over the person, never oneself."""
    return not permissions.is_own(user, staff.pk) and permissions.can(
        user, Action.DISCIPLINE_MANAGE, staff
    )


DISCIPLINE_CASE = Entity(units=("staff__unit_id", "unit_id"), not_about_self="staff_id")
"""A discipline case: in scope through the person's current unit or the unit when it was
opened. Nobody sees or handles a case about themself, whatever their role (the decision, once
taken, the person reads in the register like any other)."""


def case_check_manage(user: Actor, case: DisciplineCase) -> bool:
    return DISCIPLINE_CASE.allows(user, Action.DISCIPLINE_MANAGE, case)
