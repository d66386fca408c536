from datetime import date

from django.db.models import Q, QuerySet

from congvu.accounts.models import RoleAssignment, User
from congvu.organisations.models import Staff


def own_staff(*, user: User) -> Staff | None:
    if not user.staff_id:
        return None
    return (
        Staff.objects.select_related("unit")
        .prefetch_related("memberships__unit")
        .get(pk=user.staff_id)
    )


def role_assignments_of(*, user: User, day: date) -> QuerySet[RoleAssignment]:
    return (
        RoleAssignment.objects.filter(user=user, valid_from__lte=day)
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gt=day))
        .select_related("unit")
    )
