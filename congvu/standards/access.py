"""Who may read and manage a unit's internal rules (nội quy) and their coverage.

A unit's rules are read (``unit_rules.view``) within the reader's unit scope: the unit's head,
Sở Nội vụ and the inspectors over it, the province's leaders. Only the unit's head (and the
system administrator) issues a new version or maps items (``unit_rules.manage``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from congvu.core.permissions import Action, Entity

if TYPE_CHECKING:
    from congvu.core.permissions import Actor
    from congvu.standards.models import UnitRules

UNIT_RULES = Entity(units=("unit_id",))


def rules_check_manage(user: Actor, rules: UnitRules) -> bool:
    return UNIT_RULES.allows(user, Action.UNIT_RULES_MANAGE, rules)
