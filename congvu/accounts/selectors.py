from datetime import date

from django.db.models import Q, QuerySet

from congvu.accounts.models import ApiToken, RoleAssignment, User
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


def api_tokens_of(*, user: User) -> QuerySet[ApiToken]:
    """The login's own tokens, newest first (revoked ones too, with when)."""
    return ApiToken.objects.filter(user=user).order_by("-created_at", "-id")


def api_token_of(*, user: User, pk: str) -> ApiToken | None:
    """One of the login's own tokens: another login's reads as unknown."""
    text = pk.strip()
    if not text.isdigit() or len(text) > 18:
        return None
    return api_tokens_of(user=user).select_related("user").filter(pk=int(text)).first()
