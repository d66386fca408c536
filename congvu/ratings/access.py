"""Who may call back a citizen who left a phone number with a rating.

Only whoever must call back: a holder of RATING_FOLLOW_UP over the rated unit (the unit's
handler of citizens' feedback), never the official the rating is about. Everyone else who
sees the rating (the unit head and Sở Nội vụ on the desk page) sees the number masked.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from congvu.core.permissions import Action, Entity

if TYPE_CHECKING:
    from congvu.core.permissions import Actor
    from congvu.ratings.models import Rating

DESK = Entity(units=("unit_id",))
"""A service point (a QR desk) belongs to its unit: set up by whoever manages desks there."""

RATING = Entity(
    units=("unit_id",),
    not_about_self="staff_id",
    not_about_self_for=frozenset({Action.RATING_FOLLOW_UP}),
)


def rating_check_call_back(user: Actor, rating: Rating) -> bool:
    return RATING.allows(user, Action.RATING_FOLLOW_UP, rating)
