"""Who sees and acts on emulation's rows (the one permission module decides; this file says
which of its rules each row follows).

- A nomination, an achievement, an initiative is read over the proposing unit, the unit it is
  about and the person's current unit with ``emulation.view`` (the unit's head, leaders, the
  council's members, Sở Nội vụ); never by the person it is about through their own role.
- A unit's head (``emulation.propose`` over the unit) proposes and submits, never about
  themself; Sở Nội vụ (``emulation.manage``) checks, returns or refuses, records initiatives
  and earlier achievements, runs sessions and decisions.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from congvu.core import permissions
from congvu.core.permissions import Action, Entity

if TYPE_CHECKING:
    from congvu.core.permissions import Actor
    from congvu.emulation.models import Nomination

NOMINATION = Entity(
    units=("unit_id", "subject_unit_id", "staff__unit_id"),
    not_about_self="staff_id",
    not_about_self_for=frozenset({Action.EMULATION_PROPOSE, Action.EMULATION_MANAGE}),
)
ACHIEVEMENT = Entity(units=("unit_id", "unit_then_id", "staff__unit_id"))
INITIATIVE = Entity(units=("unit_id", "staff__unit_id"))


def nomination_roles(user: Actor, nomination: Nomination) -> frozenset[str]:
    """``proposer`` (propose rights over the proposing unit) and ``checker`` (Sở Nội vụ's
    manage rights over it); never over a nomination about oneself."""
    from congvu.emulation import rules

    roles = set()
    if NOMINATION.allows(user, Action.EMULATION_PROPOSE, nomination) and permissions.can(
        user, Action.EMULATION_PROPOSE, nomination.unit
    ):
        roles.add(rules.PROPOSER)
    if NOMINATION.allows(user, Action.EMULATION_MANAGE, nomination):
        roles.add(rules.CHECKER)
    return frozenset(roles)
