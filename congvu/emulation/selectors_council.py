"""Scoped reads of the council's sessions, decisions and achievements (the check inside the
query; a constant number of queries whatever the number of rows).

- A session is read and run by ``emulation.manage`` over its council's unit (Sở Nội vụ for
  the province), and read and voted in by its members (``emulation.vote``, object scope).
- A decision is read with ``emulation.view`` over its unit and drafted, issued and its lines
  revoked with ``emulation.manage`` over it.
- An achievement (a certificate) is read with ``emulation.view`` over the decision's unit or
  over the unit the person or collective belonged to when awarded.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q, QuerySet

from congvu.core import permissions
from congvu.core.permissions import Action, Entity, Members
from congvu.emulation import rules
from congvu.emulation.models import Achievement, AwardDecision, CouncilSession, Nomination

SESSION = Entity(
    units=("unit_id",),
    members=(Members("members__id", actions=frozenset({Action.EMULATION_VOTE})),),
)
DECISION = Entity(units=("unit_id",))
ACHIEVEMENT = Entity(units=("decision__unit_id", "unit_then_id"))
NOMINATION = Entity(units=("unit_id",))


def session_list_for_user(*, user: Any) -> QuerySet[CouncilSession]:
    """Sessions the user runs or sits in, with the number of ballots cast (never a tally)."""
    rows = CouncilSession.objects.select_related("unit").annotate(
        item_count=Count("items", distinct=True), cast_count=Count("receipts", distinct=True)
    )
    return SESSION.filter_any(user, (Action.EMULATION_MANAGE, Action.EMULATION_VOTE), rows)


def session_get_for_user(*, user: Any, pk: Any) -> CouncilSession | None:
    return permissions.first_by_pk(session_list_for_user(user=user), pk)


def session_manages(user: Any, session: CouncilSession) -> bool:
    return SESSION.allows(user, Action.EMULATION_MANAGE, session)


def session_is_member(user: Any, session: CouncilSession) -> bool:
    return session.members.filter(pk=getattr(user, "pk", None)).exists()


def checked_nominations_for_user(*, user: Any) -> QuerySet[Nomination]:
    """Nominations checked by Sở Nội vụ and waiting for the council, in the user's scope."""
    rows = Nomination.objects.filter(state=rules.CHECKED).select_related(
        "unit", "staff", "subject_unit"
    )
    return NOMINATION.filter(user, Action.EMULATION_MANAGE, rows).order_by("award", "year", "pk")


def approved_nominations_for_user(*, user: Any, award: str, year: int) -> QuerySet[Nomination]:
    """Approved nominations of ``award`` and ``year`` in the user's scope that no draft
    decision holds yet."""
    rows = (
        Nomination.objects.filter(state=rules.APPROVED, award=award, year=year)
        .exclude(decisions__in=AwardDecision.objects.filter(issued_at__isnull=True))
        .select_related("unit", "staff", "subject_unit")
    )
    return NOMINATION.filter(user, Action.EMULATION_MANAGE, rows).order_by("unit__name", "pk")


def decision_list_for_user(*, user: Any) -> QuerySet[AwardDecision]:
    rows = AwardDecision.objects.select_related("unit").annotate(
        line_count=Count("nominations", distinct=True)
    )
    return DECISION.filter(user, Action.EMULATION_VIEW, rows)


def decision_get_for_user(*, user: Any, pk: Any) -> AwardDecision | None:
    return permissions.first_by_pk(decision_list_for_user(user=user), pk)


def decision_manages(user: Any, decision: AwardDecision) -> bool:
    return DECISION.allows(user, Action.EMULATION_MANAGE, decision)


def decision_lines(decision: AwardDecision) -> list[Achievement]:
    return list(
        decision.lines.select_related("staff", "unit", "unit_then").order_by(
            "unit_then__name", "pk"
        )
    )


def achievement_list_for_user(*, user: Any) -> QuerySet[Achievement]:
    rows = Achievement.objects.select_related("staff", "unit", "unit_then", "decision")
    return ACHIEVEMENT.filter(user, Action.EMULATION_VIEW, rows)


def achievement_get_for_user(*, user: Any, pk: Any) -> Achievement | None:
    return permissions.first_by_pk(achievement_list_for_user(user=user), pk)


def achievement_manages(user: Any, achievement: Achievement) -> bool:
    """Revoking: ``emulation.manage`` over the decision's unit (or, for an earlier paper
    decision recorded in the system, over the unit it was earned in)."""
    scope = permissions.unit_scope(user, Action.EMULATION_MANAGE)
    unit_id = achievement.decision.unit_id if achievement.decision_id else achievement.unit_then_id
    return scope is permissions.EVERYTHING or (unit_id is not None and unit_id in scope)


def council_units_for_user(*, user: Any) -> list[Any]:
    """The units whose council the user may convene (current units of the manage scope),
    the highest first."""
    from congvu.organisations import selectors as org_selectors

    units = org_selectors.unit_list_for_user(user=user, action=Action.EMULATION_MANAGE)
    return _highest_first(list(units.filter(valid_to__isnull=True)))[:200]


def _highest_first(units: list[Any]) -> list[Any]:
    """``units`` by their depth among themselves (one whose parent is not listed is at the
    top), then by name: the province's council before its departments' (the forms' default)."""
    by_pk = {u.pk: u for u in units}

    def depth(unit: Any) -> int:
        found, seen, parent = 0, {unit.pk}, unit.parent_id
        while parent in by_pk and parent not in seen:
            seen.add(parent)
            found += 1
            parent = by_pk[parent].parent_id
        return found

    return sorted(units, key=lambda u: (depth(u), u.sort_key, u.code))


def member_candidates_for_user(*, user: Any) -> QuerySet[Any]:
    """Users who may sit in a council the user convenes: active users holding the council
    role (or any role) on a unit of the user's manage scope."""
    from django.utils import timezone

    from congvu.accounts.models import RoleAssignment, User

    day = timezone.localdate()
    assignments = RoleAssignment.objects.filter(valid_from__lte=day).filter(
        Q(valid_to__isnull=True) | Q(valid_to__gt=day)
    )
    scope = permissions.unit_scope(user, Action.EMULATION_MANAGE)
    if scope is not permissions.EVERYTHING:
        assignments = assignments.filter(unit_id__in=sorted(scope))
    users = User.objects.filter(is_active=True, pk__in=assignments.values("user_id"))
    council = assignments.filter(role="council").values("user_id")
    return (
        users.select_related("staff")
        .annotate(
            in_council=Count("pk", filter=Q(pk__in=council)),
        )
        .order_by("-in_council", "username")
    )


def may_see_sessions(user: Any) -> bool:
    """The menu's rule: those who convene a council or may vote in one."""
    return permissions.may(user, Action.EMULATION_MANAGE) or permissions.may(
        user, Action.EMULATION_VOTE
    )
