"""Reads of inspections, each scoped by ``inspections.access`` inside the query: a list, a
count and a page agree, and an unannounced inspection never shows to the inspected unit
before it starts."""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone

from congvu.accounts.models import User
from congvu.core import permissions
from congvu.core.permissions import Action
from congvu.core.text import fold
from congvu.inspections import access, rules
from congvu.inspections.models import (
    Answer,
    AnswerPhoto,
    ChecklistItem,
    Inspection,
    InspectionPlan,
)
from congvu.organisations.models import Unit


def inspection_list_for_user(*, user: Any, status: str = "") -> QuerySet[Inspection]:
    qs = Inspection.objects.select_related("unit", "owner", "plan")
    if status in rules.STATUS_NAMES:
        qs = qs.filter(status=status)
    return access.inspection_filter(user, qs).order_by("-scheduled_on", "-pk")


def inspection_get_for_user(*, user: Any, pk: Any) -> Inspection | None:
    qs = Inspection.objects.select_related("unit", "owner", "plan")
    return permissions.first_by_pk(access.inspection_filter(user, qs), pk)


def plan_list_for_user(*, user: Any) -> QuerySet[InspectionPlan]:
    """Plans issued by a unit where the user organises inspections."""
    qs = InspectionPlan.objects.select_related("owner")
    return permissions.filter_by_unit_field(user, Action.INSPECTION_MANAGE, qs, "owner_id")


def checklist(*, inspection: Inspection) -> list[ChecklistItem]:
    """The items in order, each with its current answer (``item.current``, or None) and its
    photos: three queries whatever the number of items."""
    current = Answer.objects.filter(current=True).select_related("staff", "answered_by")
    items = list(
        inspection.items.prefetch_related(
            Prefetch("answers", queryset=current, to_attr="current_answers"),
            Prefetch("photos", queryset=AnswerPhoto.objects.order_by("pk"), to_attr="photo_list"),
        ).order_by("position")
    )
    for item in items:
        item.current = item.current_answers[0] if item.current_answers else None  # type: ignore[attr-defined]
    return items


def findings(*, inspection: Inspection) -> QuerySet[Answer]:
    """The findings: the current answers that are not compliant, in checklist order."""
    return (
        Answer.objects.filter(item__inspection=inspection, current=True, result=rules.NOT_COMPLIANT)
        .select_related("item", "staff")
        .order_by("item__position")
    )


def team(*, inspection: Inspection) -> list:
    return list(inspection.team.select_related("user", "user__staff").order_by("role", "pk"))


def photo_get_for_user(*, user: Any, pk: Any) -> AnswerPhoto | None:
    """A photo, if the user may see its inspection (the check inside the query)."""
    visible = access.inspection_filter(user, Inspection.objects.all()).values("pk")
    qs = AnswerPhoto.objects.filter(item__inspection__in=visible)
    return permissions.first_by_pk(qs, pk)


def staff_of_inspected(*, inspection: Inspection) -> list:
    """Who the team may name on a person-level item: the staff working in the inspected unit
    or below it (the team sees them for this inspection only)."""
    from congvu.organisations.models import Staff

    scope = sorted(access.inspected_scope(inspection))
    return list(Staff.objects.filter(unit_id__in=scope, is_active=True).order_by("sort_key")[:500])


# --- What an organiser may pick (the creation and team pages) ----------------------------


def organiser_units(*, user: Any) -> list[tuple[Unit, int]]:
    """The current units in the user's ``inspection.manage`` scope, in tree order, each with
    its depth among them (the units an inspection may be organised of)."""
    from congvu.organisations import selectors as org_selectors

    scope = permissions.unit_scope(user, Action.INSPECTION_MANAGE)
    if not scope:
        return []
    current, children = org_selectors.unit_tree_as_of(day=timezone.localdate())
    order: list[tuple[int, int]] = []
    stack = [(unit_id, 0) for unit_id in reversed(children.get(None, []))]
    while stack:
        unit_id, depth = stack.pop()
        shown = unit_id in scope
        if shown:
            order.append((unit_id, depth))
        below = depth + 1 if shown else depth
        stack.extend((child, below) for child in reversed(children.get(unit_id, [])))
    units = Unit.objects.in_bulk([unit_id for unit_id, _ in order])
    return [(units[unit_id], depth) for unit_id, depth in order if unit_id in units]


def owner_units(*, user: Any) -> list[Unit]:
    """In whose name the user organises: their own unit when they hold ``inspection.manage``
    there; a login without a staff record there (a system administrator) picks among the
    units in its scope."""
    scope = permissions.unit_scope(user, Action.INSPECTION_MANAGE)
    own = access.own_unit_id(user)
    if own is not None and own in scope:
        return list(Unit.objects.filter(pk=own))
    if own is not None:
        return []
    return [unit for unit, _ in organiser_units(user=user)]


def plans_for_owners(*, user: Any, owners: list[Unit]) -> QuerySet[InspectionPlan]:
    """The plans an inspection of one of ``owners`` may belong to, newest year first."""
    return plan_list_for_user(user=user).filter(owner__in=owners).order_by("-year", "title", "pk")


def inspection_get_for_organiser(*, user: Any, pk: Any) -> Inspection | None:
    """An inspection the user organises (``inspection.manage`` over its organising unit)."""
    qs = Inspection.objects.select_related("unit", "owner", "plan")
    return access.ORGANISER.get(user, Action.INSPECTION_MANAGE, qs, pk)


TEAM_CANDIDATES_MAX = 200


def team_candidates(
    *, user: Any, inspection: Inspection, q: str = "", ids: list[str] | None = None
) -> list[User]:
    """Who the organiser may name on the team: active logins linked to an active staff record
    in the organiser's ``inspection.manage`` scope, plus the team already set; ``q`` searches
    their names and codes without diacritics; ``ids`` keeps only those (a posted choice).
    The conflict of interest is the service's to refuse, with its reason."""
    scoped = permissions.filter_by_unit_field(
        user,
        Action.INSPECTION_MANAGE,
        User.objects.filter(is_active=True, staff__is_active=True),
        "staff__unit_id",
    )
    qs = User.objects.filter(
        Q(pk__in=scoped.values("pk")) | Q(pk__in=inspection.team.values("user_id"))
    ).select_related("staff", "staff__unit")
    for word in fold(q).split():
        qs = qs.filter(staff__search_text__contains=word)
    if ids is not None:
        qs = qs.filter(pk__in=[int(i) for i in ids if i.isascii() and i.isdigit() and len(i) < 18])
    return list(qs.order_by("staff__sort_key", "pk")[:TEAM_CANDIDATES_MAX])


def may_create_inspections(user: Any) -> bool:
    """The buttons to the creation pages: ``inspection.manage`` in the user's own unit (or,
    without a staff record, anywhere)."""
    return permissions.may(user, Action.INSPECTION_MANAGE) and bool(owner_units(user=user))


def may_see_inspections(user: Any) -> bool:
    """The menu entry: who views or organises inspections somewhere, or sits on a team."""
    return (
        permissions.may(user, Action.INSPECTION_VIEW)
        or permissions.may(user, Action.INSPECTION_MANAGE)
        or Inspection.objects.filter(team__user_id=getattr(user, "pk", None)).exists()
    )
