"""Who sees and records violations, and who reports and verifies remedies.

- A violation is read over its unit with ``discipline.view`` (the unit's head, its council and
  leaders, inspectors, Sở Nội vụ), never by the person it is about's own role alone: the same
  reach as the discipline register, since a violation may lead to a discipline case.
- Recording one, issuing a recommendation, verifying a remedy: ``discipline.manage`` over the
  unit (its head, Sở Nội vụ), and never about oneself; a unit's own discovery is allowed, but
  an inspection's finding about the recorder's own unit is not (a unit cannot write the
  findings about itself).
- Reporting a remedy: ``discipline.manage`` over the responsible unit.
- Statistics across units: ``violation.stats`` (Sở Nội vụ), over its scope.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from congvu.core import permissions
from congvu.core.permissions import Action, Entity

if TYPE_CHECKING:
    from congvu.core.permissions import Actor
    from congvu.organisations.models import Unit
    from congvu.violations.models import Recommendation, Violation

VIOLATION = Entity(
    units=("unit_id",),
    not_about_self="staff_id",
    not_about_self_for=frozenset({Action.DISCIPLINE_MANAGE}),
)
RECOMMENDATION = Entity(units=("violation__unit_id", "responsible_unit_id"))


def violation_check_record(user: Actor, unit: Unit) -> bool:
    return permissions.can(user, Action.DISCIPLINE_MANAGE, unit)


def violation_check_manage(user: Actor, violation: Violation) -> bool:
    return VIOLATION.allows(user, Action.DISCIPLINE_MANAGE, violation)


def recommendation_roles(user: Actor, recommendation: Recommendation) -> frozenset[str]:
    """``responsible`` (reports the remedy: manage rights over the responsible unit) and
    ``verifier`` (verifies or returns it: manage rights over the violation's unit, and not
    the same people as those who report it unless they hold both over different units)."""
    from congvu.violations import rules

    roles = set()
    if permissions.can(user, Action.DISCIPLINE_MANAGE, recommendation.responsible_unit):
        roles.add(rules.RESPONSIBLE)
    if VIOLATION.allows(user, Action.DISCIPLINE_MANAGE, recommendation.violation) and (
        recommendation.issued_by_id == getattr(user, "pk", None)
        or permissions.may(user, Action.VIOLATION_STATS)
    ):
        roles.add(rules.VERIFIER)
    return frozenset(roles)
