"""Who may see an evaluation, and the roles a user holds in one evaluation's workflow.

Built on the one permission module (``congvu.core.permissions``): the unit scope of the
user's roles, plus the object-level scopes of an evaluation — its manager, its respondent
(a unit's own assessment) and the person evaluated.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from congvu.core import permissions
from congvu.core.permissions import Action, Entity, Members

if TYPE_CHECKING:
    from congvu.core.permissions import Actor
    from congvu.evaluations.models import Evaluation

EVALUATION = Entity(
    units=("unit_id",),
    members=(
        Members("manager_id", actions=frozenset({Action.EVALUATION_VIEW})),
        Members("respondent_id", actions=frozenset({Action.EVALUATION_VIEW})),
        Members("staff_id", kind="staff", actions=frozenset({Action.EVALUATION_VIEW})),
    ),
)
"""Evaluations in the user's unit scope, plus their own and those they manage or answer."""

SELF, MANAGER, COUNCIL, NOI_VU = "self", "manager", "council", "noi_vu"


def evaluation_roles(
    user: Actor,
    *,
    staff_id: int | None,
    respondent_id: int | None,
    manager_id: int | None,
    unit_id: int,
    collective: bool,
) -> frozenset[str]:
    """The roles of ``user`` in one evaluation's workflow (congvu.evaluations.workflow).

    ``self``: the person evaluated (or, for a unit's own assessment, its respondent);
    ``manager``: the direct manager stored on the evaluation — where none was found, the
    council acts as manager; ``council``: conclude rights on the unit (a unit's own
    assessment is concluded by Sở Nội vụ); ``noi_vu``: oversight of the unit (reopening).
    Nobody holds another role on their own evaluation: no one reviews or judges themself.
    """
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return frozenset()
    if (staff_id is not None and permissions.is_own(user, staff_id)) or respondent_id == user.pk:
        return frozenset({SELF})
    roles: set[str] = set()
    if manager_id is not None and manager_id == user.pk:
        roles.add(MANAGER)
    concluding = Action.EVALUATION_OVERSEE if collective else Action.EVALUATION_CONCLUDE
    if unit_id in permissions.unit_scope(user, concluding):
        roles.add(COUNCIL)
        if manager_id is None:
            roles.add(MANAGER)
    if unit_id in permissions.unit_scope(user, Action.EVALUATION_OVERSEE):
        roles.add(NOI_VU)
    return frozenset(roles)


def evaluation_roles_of(user: Actor, evaluation: Evaluation) -> frozenset[str]:
    """``evaluation_roles`` for one loaded evaluation."""
    return evaluation_roles(
        user,
        staff_id=evaluation.staff_id,
        respondent_id=evaluation.respondent_id,
        manager_id=evaluation.manager_id,
        unit_id=evaluation.unit_id,
        collective=evaluation.staff_id is None,
    )


def evaluation_check_view(user: Actor, evaluation: Evaluation) -> bool:
    return EVALUATION.allows(user, Action.EVALUATION_VIEW, evaluation)


def evaluation_check_act(user: Actor, evaluation: Evaluation) -> bool:
    """Whether the user holds any role in the evaluation's workflow."""
    return bool(evaluation_roles_of(user, evaluation))
