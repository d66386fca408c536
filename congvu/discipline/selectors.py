"""Scoped reads of the register, and the shape classification consumes."""

from django.db.models import QuerySet

from congvu.core import permissions
from congvu.core.permissions import Action
from congvu.discipline.models import DisciplineRecord
from congvu.evaluations.discipline import Discipline


def discipline_list_for_user(
    *, user, action: Action = Action.DISCIPLINE_VIEW
) -> QuerySet[DisciplineRecord]:
    """Decisions about staff currently in the user's scope (or recorded under a unit in it)."""
    qs = DisciplineRecord.objects.select_related("staff", "unit")
    scope = permissions.unit_scope(user, action)
    if scope is permissions.EVERYTHING:
        return qs
    ids = sorted(scope)
    return qs.filter(staff__unit_id__in=ids) | qs.filter(unit_id__in=ids)


def disciplines_for_classification(*, staff_ids: list[int]) -> dict[int, list[Discipline]]:
    """Every decision in force (not revoked) per staff member, as the pure rules want it."""
    out: dict[int, list[Discipline]] = {}
    rows = DisciplineRecord.objects.filter(
        staff_id__in=staff_ids, revoked_at__isnull=True
    ).values_list("staff_id", "form", "effective_from", "duty_related", "system")
    for staff_id, form, effective, duty, system in rows:
        out.setdefault(staff_id, []).append(Discipline(form, effective, duty, system))
    return out
