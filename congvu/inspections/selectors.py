"""Reads of inspections, each scoped by ``inspections.access`` inside the query: a list, a
count and a page agree, and an unannounced inspection never shows to the inspected unit
before it starts."""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch, QuerySet

from congvu.core import permissions
from congvu.core.permissions import Action
from congvu.inspections import access, rules
from congvu.inspections.models import (
    Answer,
    AnswerPhoto,
    ChecklistItem,
    Inspection,
    InspectionPlan,
)


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


def may_see_inspections(user: Any) -> bool:
    """The menu entry: who views or organises inspections somewhere, or sits on a team."""
    return (
        permissions.may(user, Action.INSPECTION_VIEW)
        or permissions.may(user, Action.INSPECTION_MANAGE)
        or Inspection.objects.filter(team__user_id=getattr(user, "pk", None)).exists()
    )
