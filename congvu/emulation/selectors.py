"""Scoped reads of emulation's rows: the check is inside the query (``access``)."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from congvu.core import permissions
from congvu.core.permissions import Action
from congvu.emulation.access import ACHIEVEMENT, INITIATIVE, NOMINATION
from congvu.emulation.models import Achievement, Initiative, Nomination
from congvu.organisations.models import Staff


def nomination_list_for_user(*, user: Any) -> QuerySet[Nomination]:
    rows = Nomination.objects.select_related("unit", "staff", "subject_unit")
    return NOMINATION.filter(user, Action.EMULATION_VIEW, rows)


def nomination_get_for_user(*, user: Any, pk: Any) -> Nomination | None:
    return permissions.first_by_pk(nomination_list_for_user(user=user), pk)


def achievement_list_for_user(*, user: Any) -> QuerySet[Achievement]:
    rows = Achievement.objects.select_related("staff", "unit", "unit_then", "decision")
    return ACHIEVEMENT.filter(user, Action.EMULATION_VIEW, rows)


def initiative_list_for_user(*, user: Any) -> QuerySet[Initiative]:
    rows = Initiative.objects.select_related("staff", "unit")
    return INITIATIVE.filter(user, Action.EMULATION_VIEW, rows)


def proposable_staff(*, user: Any) -> QuerySet[Staff]:
    """The people a unit's head may propose: current staff of the units in their scope,
    never themself."""
    scope = permissions.unit_scope(user, Action.EMULATION_PROPOSE)
    rows = Staff.objects.filter(is_active=True, unit__isnull=False).select_related("unit")
    if scope is not permissions.EVERYTHING:
        rows = rows.filter(unit_id__in=sorted(scope))
    own = getattr(user, "staff_id", None)
    return rows.exclude(pk=own) if own else rows
