"""The one module that decides who may do what to which object.

Every page, API endpoint, export and the admin ask this module. A role grants a
set of actions over a unit scope (the unit, optionally its subtree, with the
history that rolls up into it). Denied reads are filtered out of querysets, so
nothing outside the scope appears in a list, a count, an export or a search.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import TYPE_CHECKING, Any, Literal, TypeAlias, TypeGuard, cast

from django.core.exceptions import PermissionDenied
from django.db.models import Model, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from congvu.core.actors import SYSTEM as SYSTEM
from congvu.core.actors import SystemActor as SystemActor
from congvu.core.actors import is_system as is_system
from congvu.organisations.graph import org_graph

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from congvu.accounts.models import User

    Actor: TypeAlias = User | AnonymousUser | SystemActor
    """Who asks: a user, the anonymous visitor of a request, or the system (a process, a
    command, a fixture: ``congvu.core.actors``). The last two have no scope, so every check
    here refuses them; only services that trust the system explicitly let it act."""


class Action(StrEnum):
    UNIT_VIEW = "unit.view"
    UNIT_MANAGE = "unit.manage"
    UNIT_IMPORT = "unit.import"
    STAFF_VIEW = "staff.view"
    STAFF_MANAGE = "staff.manage"
    STAFF_IMPORT = "staff.import"
    STAFF_EXPORT = "staff.export"
    ROLE_MANAGE = "role.manage"
    DISCIPLINE_VIEW = "discipline.view"
    DISCIPLINE_MANAGE = "discipline.manage"
    CATALOGUE_SUPPLEMENT = "catalogue.supplement"
    ADMIN_SITE = "admin.site"
    AUDIT_VIEW = "audit.view"
    EVALUATION_VIEW = "evaluation.view"
    EVALUATION_MANAGE = "evaluation.manage"  # cycles: create, open, close
    EVALUATION_CONCLUDE = "evaluation.conclude"  # the unit's council or head: conclude, publish
    EVALUATION_OVERSEE = "evaluation.oversee"  # Sở Nội vụ: progress, collectives, reopening
    # Citizen feedback (issue 4)
    FEEDBACK_VIEW = "feedback.view"  # ratings statistics and reports (never the reporter)
    DESK_MANAGE = "desk.manage"  # service points, QR posters, token rotation, flagged ratings
    REPORT_HANDLE = "report.handle"  # handle misconduct reports routed to the unit
    REPORTER_IDENTITY = "report.identity"  # see who reported: the designated reader only
    SUPERVISION_FILE = "supervision.file"  # the Fatherland Front files a finding on a unit
    SUPERVISION_ANSWER = "supervision.answer"  # the unit answers a finding
    RATING_FOLLOW_UP = "rating.follow_up"  # call back a citizen who left a phone number
    # Plans and periodic reports (issue 11)
    PLAN_VIEW = "plan.view"  # plans over the owner or an assigned unit, and their progress
    PLAN_MANAGE = "plan.manage"  # create plans, assign them to units, record an event's date
    PLAN_PROGRESS = "plan.progress"  # a unit records its own progress on its obligations
    # Violations and remedies (issue 12)
    VIOLATION_STATS = "violation.stats"  # Sở Nội vụ: violations' statistics across units
    # Inspections (issue 12)
    INSPECTION_VIEW = "inspection.view"  # inspections of units in scope (announced or started)
    INSPECTION_MANAGE = "inspection.manage"  # plans, inspections and teams organised by a unit
    # A unit's internal rules against the required contents (issue 12, seed 003 item 1)
    UNIT_RULES_VIEW = "unit_rules.view"  # read a unit's rules and their coverage
    UNIT_RULES_MANAGE = "unit_rules.manage"  # the unit's head: new versions, mappings
    # Emulation and commendation (issue 13)
    EMULATION_VIEW = "emulation.view"  # movements, registrations, achievements, nominations
    EMULATION_PROPOSE = "emulation.propose"  # a unit registers, scores its cluster, nominates
    EMULATION_MANAGE = "emulation.manage"  # Sở Nội vụ: movements, clusters, checks, decisions
    EMULATION_VOTE = "emulation.vote"  # a council member votes in the sessions they sit in


A = Action
RESTRICTED_ACTIONS = frozenset({A.REPORTER_IDENTITY, A.RATING_FOLLOW_UP})
"""Citizens' personal data. Only a real assignment of a role that lists the action grants it:
"all permissions" (the ``admin`` role, ``is_superuser``) never implies it, so an administrator
who needs it is given the role explicitly, and that grant is audited as sensitive."""

ROLE_ACTIONS: dict[str, frozenset[Action]] = {
    "admin": frozenset(Action) - RESTRICTED_ACTIONS,
    "so_noi_vu": frozenset(
        {
            A.UNIT_VIEW,
            A.UNIT_MANAGE,
            A.UNIT_IMPORT,
            A.STAFF_VIEW,
            A.STAFF_MANAGE,
            A.STAFF_IMPORT,
            A.STAFF_EXPORT,
            A.ROLE_MANAGE,
            A.ADMIN_SITE,
            A.AUDIT_VIEW,
            A.DISCIPLINE_VIEW,
            A.DISCIPLINE_MANAGE,
            A.CATALOGUE_SUPPLEMENT,
            A.EVALUATION_VIEW,
            A.EVALUATION_MANAGE,
            A.EVALUATION_OVERSEE,
            A.FEEDBACK_VIEW,
            A.DESK_MANAGE,
            A.REPORT_HANDLE,
            A.PLAN_VIEW,
            A.PLAN_MANAGE,
            A.PLAN_PROGRESS,
            A.VIOLATION_STATS,
            A.INSPECTION_VIEW,
            A.INSPECTION_MANAGE,
            A.UNIT_RULES_VIEW,
            A.EMULATION_VIEW,
            A.EMULATION_PROPOSE,
            A.EMULATION_MANAGE,
        }
    ),
    # Sở Nội vụ's designated reader of reporters' identity (and of the reports it must open).
    "reporter_reader": frozenset(
        {A.UNIT_VIEW, A.FEEDBACK_VIEW, A.REPORT_HANDLE, A.REPORTER_IDENTITY}
    ),
    "unit_head": frozenset(
        {
            A.UNIT_VIEW,
            A.STAFF_VIEW,
            A.STAFF_MANAGE,
            A.STAFF_IMPORT,
            A.STAFF_EXPORT,
            A.DISCIPLINE_VIEW,
            A.DISCIPLINE_MANAGE,
            A.CATALOGUE_SUPPLEMENT,
            A.EVALUATION_VIEW,
            A.EVALUATION_MANAGE,
            A.EVALUATION_CONCLUDE,
            A.FEEDBACK_VIEW,
            A.DESK_MANAGE,
            A.REPORT_HANDLE,
            A.SUPERVISION_ANSWER,
            A.PLAN_VIEW,
            A.PLAN_PROGRESS,
            A.INSPECTION_VIEW,
            A.INSPECTION_MANAGE,
            A.UNIT_RULES_VIEW,
            A.UNIT_RULES_MANAGE,
            A.EMULATION_VIEW,
            A.EMULATION_PROPOSE,
        }
    ),
    "handler": frozenset(
        {A.UNIT_VIEW, A.FEEDBACK_VIEW, A.REPORT_HANDLE, A.SUPERVISION_ANSWER, A.RATING_FOLLOW_UP}
    ),
    "leader": frozenset(
        {
            A.UNIT_VIEW,
            A.STAFF_VIEW,
            A.STAFF_EXPORT,
            A.DISCIPLINE_VIEW,
            A.EVALUATION_VIEW,
            A.FEEDBACK_VIEW,
            A.PLAN_VIEW,
            A.INSPECTION_VIEW,
            A.UNIT_RULES_VIEW,
            A.EMULATION_VIEW,
        }
    ),
    "council": frozenset(
        {
            A.UNIT_VIEW,
            A.STAFF_VIEW,
            A.DISCIPLINE_VIEW,
            A.EVALUATION_VIEW,
            A.EVALUATION_CONCLUDE,
            A.PLAN_VIEW,
            A.EMULATION_VIEW,
            A.EMULATION_VOTE,
        }
    ),
    "inspector": frozenset(
        {
            A.UNIT_VIEW,
            A.STAFF_VIEW,
            A.DISCIPLINE_VIEW,
            A.FEEDBACK_VIEW,
            A.PLAN_VIEW,
            A.INSPECTION_VIEW,
            A.UNIT_RULES_VIEW,
        }
    ),
    "mttq": frozenset({A.UNIT_VIEW, A.FEEDBACK_VIEW, A.SUPERVISION_FILE, A.INSPECTION_VIEW}),
    "staff": frozenset({A.UNIT_VIEW}),
}
"""Role → actions. Scope comes from the assignment; ``admin`` is system-wide."""

SENSITIVE_ROLES = frozenset(r for r, acts in ROLE_ACTIONS.items() if acts & RESTRICTED_ACTIONS)
"""Roles that reach citizens' personal data: their grants are audited as sensitive."""

ADMIN_GRANTED_ROLES = frozenset({"admin", "reporter_reader"})
"""Roles only a system administrator grants (``reporter_reader``: never to themself)."""

SELF_ACTIONS = frozenset({Action.STAFF_VIEW})
"""What everyone linked to a staff record may do on that record."""


class _Everything(frozenset):
    def __contains__(self, item: object) -> bool:
        return True

    def __bool__(self) -> bool:  # an empty frozenset underneath: ``may()`` relies on this
        return True

    def __repr__(self) -> str:
        return "EVERYTHING"


EVERYTHING: frozenset[int] = _Everything()


def _active_assignments(user: User, day: date) -> list[Any]:
    from congvu.accounts.models import RoleAssignment

    cache = user.__dict__.setdefault("_congvu_assignments", {})
    if day not in cache:
        cache[day] = list(
            RoleAssignment.objects.filter(user=user, valid_from__lte=day)
            .filter(Q(valid_to__isnull=True) | Q(valid_to__gt=day))
            .values_list("role", "unit_id", "include_subtree")
        )
    return cache[day]


def _signed_in(user: Actor) -> TypeGuard[User]:
    """An active user who signed in: the anonymous visitor and the system may do nothing."""
    return user is not None and bool(getattr(user, "is_authenticated", False) and user.is_active)


def roles_of(user: Actor, day: date | None = None) -> set[str]:
    """The roles a user holds on ``day`` (today by default)."""
    if not _signed_in(user):
        return set()
    roles = {role for role, _, _ in _active_assignments(user, day or timezone.localdate())}
    if user.is_superuser:
        roles.add("admin")
    return roles


def unit_scope(user: Actor, action: Action, day: date | None = None) -> frozenset[int]:
    """Ids of the units on which ``user`` may do ``action`` (EVERYTHING for admins)."""
    if not _signed_in(user):
        return frozenset()
    day = day or timezone.localdate()
    memo = user.__dict__.setdefault("_congvu_scope", {})
    if (action, day) in memo:
        return memo[(action, day)]
    if user.is_superuser and action not in RESTRICTED_ACTIONS:
        memo[(action, day)] = EVERYTHING
        return EVERYTHING
    graph = None
    scope: set[int] = set()
    for role, unit_id, subtree in _active_assignments(user, day):
        if action not in ROLE_ACTIONS.get(role, ()):
            continue
        if role == "admin" and action not in RESTRICTED_ACTIONS:
            memo[(action, day)] = EVERYTHING
            return EVERYTHING
        graph = graph or org_graph()
        scope |= graph.scope(unit_id, subtree=subtree, day=day)  # memoised per graph
    memo[(action, day)] = frozenset(scope)
    return memo[(action, day)]


def _own_staff_id(user: Actor) -> int | None:
    """The staff record the self rule applies to; none for anonymous or inactive users."""
    if not _signed_in(user):
        return None
    return getattr(user, "staff_id", None)


def holders(
    unit_id: int,
    action: Action,
    roles: tuple[str, ...],
    *,
    day: date | None = None,
    on_unit_only: bool = False,
) -> dict[str, set[int]]:
    """Per role, the active users holding it on ``day`` (today) whose ``action`` scope holds
    the unit — or, ``on_unit_only``, whose assignment is on that very unit (its own heads, not
    those of the units above it). The one lookup of "who must be told" for every capability:
    citizens' reports, the Front's findings, reminders of plans and remedies."""
    from congvu.accounts.models import RoleAssignment, User

    day = day or timezone.localdate()
    rows = RoleAssignment.objects.filter(role__in=roles, valid_from__lte=day).filter(
        Q(valid_to__isnull=True) | Q(valid_to__gt=day)
    )
    if on_unit_only:
        rows = rows.filter(unit_id=unit_id)
    pairs = list(rows.values_list("user_id", "role"))
    by_role: dict[str, set[int]] = {role: set() for role in roles}
    users = {u.pk: u for u in User.objects.filter(pk__in={u for u, _ in pairs}, is_active=True)}
    for user_id, role in pairs:
        user = users.get(user_id)
        if user is not None and (on_unit_only or unit_id in unit_scope(user, action, day)):
            by_role[role].add(user_id)
    return by_role


def unit_heads(unit_id: int, action: Action, day: date | None = None) -> list[int]:
    """The users holding ``unit_head`` on the unit itself on ``day`` (an ended role is not
    counted), who may do ``action`` there."""
    return sorted(holders(unit_id, action, ("unit_head",), day=day, on_unit_only=True)["unit_head"])


def may(user: Actor, action: Action) -> bool:
    """Whether ``user`` may do ``action`` anywhere at all (menus, landing pages)."""
    if action in SELF_ACTIONS and _own_staff_id(user):
        return True
    return bool(unit_scope(user, action))


def can(user: Actor, action: Action, obj: Any = None) -> bool:
    """May ``user`` do ``action`` on ``obj`` (a Unit, a Staff, or None for "anywhere")?"""
    from congvu.organisations.models import Staff, Unit

    if obj is None:
        return may(user, action)
    if isinstance(obj, Unit):
        return obj.pk in unit_scope(user, action)
    if isinstance(obj, Staff):
        if action in SELF_ACTIONS and _own_staff_id(user) == obj.pk:
            return True
        return obj.unit_id is not None and obj.unit_id in unit_scope(user, action)
    raise TypeError(f"no permission rule for {type(obj).__name__}")


def require(user: Actor, action: Action, obj: Any = None) -> None:
    if not can(user, action, obj):
        from congvu.core.logging import log_event

        log_event("access.denied", user=getattr(user, "pk", None), action=str(action))
        raise PermissionDenied


def _filter_by_units(qs: QuerySet, scope: frozenset[int], field: str) -> QuerySet:
    if scope is EVERYTHING:
        return qs
    return qs.filter(**{f"{field}__in": sorted(scope)}) if scope else qs.none()


def filter_units(user: Actor, action: Action, qs: QuerySet) -> QuerySet:
    return _filter_by_units(qs, unit_scope(user, action), "pk")


def filter_staff(user: Actor, action: Action, qs: QuerySet) -> QuerySet:
    """Staff in the user's scope for ``action``, plus the user's own record for self-actions."""
    scope = unit_scope(user, action)
    if scope is EVERYTHING:
        return qs
    condition = Q(unit_id__in=sorted(scope)) if scope else Q(pk__in=[])
    own = _own_staff_id(user)
    # ``own`` is set only for a signed-in user: the cast tells mypy so.
    if action in SELF_ACTIONS and own and _own_unit_id(cast("User", user)) not in scope:
        # Only when needed: the OR stops both engines using the unit index (50,000
        # staff: count 1.7 → 4.9 ms on SQLite, 10 → 19 ms on PostgreSQL).
        condition |= Q(pk=own)
    return qs.filter(condition)


def _own_unit_id(user: User) -> int | None:
    """The unit of the user's own staff record (None if it has none), once per request."""
    if "_congvu_own_unit" not in user.__dict__:
        from congvu.organisations.models import Staff

        # Asked only for a user with a staff record (filter_staff's ``own``).
        found = Staff.objects.filter(pk=user.staff_id).values_list("unit_id", flat=True).first()  # type: ignore[misc]
        user.__dict__["_congvu_own_unit"] = found
    return user.__dict__["_congvu_own_unit"]


def filter_by_unit_field(user: Actor, action: Action, qs: QuerySet, field: str) -> QuerySet:
    """For other apps: keep rows whose ``field`` (a unit id path) is in scope."""
    return _filter_by_units(qs, unit_scope(user, action), field)


def scoped_unit_ids(user: Actor, action: Action, ids: Iterable[int]) -> set[int]:
    scope = unit_scope(user, action)
    return set(ids) if scope is EVERYTHING else set(ids) & scope


# --- Entities: the unit scope and the object-level scopes of one kind of row --------------


@dataclass(frozen=True)
class Members:
    """An object-level scope: a user reaches a row because one of its fields names them,
    whatever their unit scope — the manager or respondent of an evaluation, the members of an
    inspection team or a council, the assignee of a task.

    ``field`` is a lookup path from the row: to a login (``kind="user"``) or to the user's
    staff record (``kind="staff"``); ``actions`` the actions it grants (all the entity's
    actions when empty). A path through a many-to-many relation works in queries and is
    checked on one loaded row by a query too.
    """

    field: str
    kind: Literal["user", "staff"] = "user"
    actions: frozenset[Action] = frozenset()

    def grants(self, action: Action) -> bool:
        return not self.actions or action in self.actions

    def member_id(self, user: User) -> int | None:
        return user.pk if self.kind == "user" else getattr(user, "staff_id", None)


@dataclass(frozen=True)
class Entity:
    """Who may do what to the rows of one model: the one rule behind its
    ``<entity>_list_for_user``, ``<entity>_get_for_user`` and ``<entity>_check_<action>``.

    - ``units``: lookup paths to unit ids; a row is in scope when any of them is in the
      user's unit scope for the action (discipline: the person's unit today or the unit on
      the decision);
    - ``members``: object-level scopes (``Members``);
    - ``not_about_self``: a path to the staff record a row is about; nobody sees or acts on
      a row about themself, whatever their role (a report about an official, the call-back
      of a rating of an official, a discipline decision about oneself) — for the actions in
      ``not_about_self_for``, or for every action when that is empty;
    - ``distinct``: a ``units`` path goes through a to-many relation (a plan reaches its units
      through its assignments): the filter may repeat a row, so it adds DISTINCT, and the
      check on a loaded row asks the database for such a path instead of reading attributes.
    """

    units: tuple[str, ...]
    members: tuple[Members, ...] = ()
    not_about_self: str = ""
    not_about_self_for: frozenset[Action] = frozenset()
    distinct: bool = False

    def _excludes_self(self, action: Action) -> bool:
        return bool(self.not_about_self) and (
            not self.not_about_self_for or action in self.not_about_self_for
        )

    def condition(self, user: Actor, action: Action, day: date | None = None) -> Q:
        """The rule as a filter: the check is inside the query, never after loading."""
        if not _signed_in(user):
            return Q(pk__in=[])
        scope = unit_scope(user, action, day)
        if scope is EVERYTHING:
            condition = Q()
        else:
            condition = Q(pk__in=[])
            for path in self.units if scope else ():
                condition |= Q(**{f"{path}__in": sorted(scope)})
            for member in self.members:
                ident = member.member_id(user) if member.grants(action) else None
                if ident is not None:
                    condition |= Q(**{member.field: ident})
        own = _own_staff_id(user)
        if own and self._excludes_self(action):
            condition &= ~Q(**{self.not_about_self: own})
        return condition

    def filter(self, user: Actor, action: Action, qs: QuerySet) -> QuerySet:
        condition = self.condition(user, action)
        if condition == Q(pk__in=[]):
            return qs.none()
        qs = qs.filter(condition)
        return qs.distinct() if self._joins else qs

    def filter_any(self, user: Actor, actions: Iterable[Action], qs: QuerySet) -> QuerySet:
        """Rows the user may do any of ``actions`` on (a page several roles read)."""
        conditions = [self.condition(user, action) for action in actions]
        if any(not c for c in conditions):  # Q(): everything (an OR with it would drop it)
            return qs
        condition = Q(pk__in=[])
        for each in conditions:
            condition |= each
        return qs.filter(condition).distinct() if self._joins else qs.filter(condition)

    @property
    def _joins(self) -> bool:
        # A join through a to-many relation may repeat a row.
        return self.distinct or any("__" in m.field for m in self.members)

    def get(self, user: Actor, action: Action, qs: QuerySet, pk: Any) -> Any:
        """The row ``pk`` if the user may do ``action`` on it, else None (never loaded first)."""
        return first_by_pk(self.filter(user, action, qs), pk)

    def allows(self, user: Actor, action: Action, obj: Model) -> bool:
        """The same rule on one loaded row (a service's check before it writes)."""
        if not _signed_in(user):
            return False
        if self._excludes_self(action) and is_own(user, _value(obj, self.not_about_self)):
            return False
        scope = unit_scope(user, action)
        if self.units and scope is EVERYTHING:
            return True
        if any(self._reaches(obj, path, scope) for path in self.units if scope):
            return True
        for member in self.members:
            ident = member.member_id(user) if member.grants(action) else None
            if ident is None:
                continue
            if "__" not in member.field and _value(obj, member.field) == ident:
                return True
            if "__" in member.field:
                found = type(obj)._default_manager.filter(pk=obj.pk, **{member.field: ident})
                if found.exists():
                    return True
        return False

    def _reaches(self, obj: Model, path: str, scope: frozenset[int]) -> bool:
        """Whether the unit ``path`` of one loaded row is in ``scope``: read from the row, or
        asked of the database for a path through a to-many relation (``distinct``)."""
        if self.distinct and "__" in path:
            found = type(obj)._default_manager.filter(pk=obj.pk, **{f"{path}__in": sorted(scope)})
            return found.exists()
        return _value(obj, path) in scope

    def require(self, user: Actor, action: Action, obj: Model) -> None:
        """``allows`` or PermissionDenied (logged)."""
        if not self.allows(user, action, obj):
            from congvu.core.logging import log_event

            log_event(
                "access.denied",
                user=getattr(user, "pk", None),
                action=str(action),
                object=obj._meta.label_lower,
            )
            raise PermissionDenied


def first_by_pk(qs: QuerySet, pk: Any) -> Any:
    """The row ``pk`` of an already scoped queryset, or None (also for a malformed id, or
    one beyond a database id: nothing, not a database error)."""
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        return None
    if not 0 < pk < 2**63:
        return None
    return qs.filter(pk=pk).first()


def _value(obj: Any, path: str) -> Any:
    """``obj.a.b_id`` for the lookup path ``a__b_id`` (None where a link is empty)."""
    for part in path.split("__"):
        if obj is None:
            return None
        obj = getattr(obj, part)
    return obj


def is_own(user: Actor, staff_id: int | None) -> bool:
    """Whether ``staff_id`` is the user's own staff record: nobody acts on their own record."""
    own = _own_staff_id(user)
    return own is not None and staff_id == own


# --- Grants: who may hand out which role ------------------------------------------------------


def grant_refusal(
    user: User | AnonymousUser, *, role: str, grantee_id: int, unit_id: int | None, subtree: bool
) -> str:
    """Why ``user`` may not grant ``role`` to the login ``grantee_id`` ("" when they may).

    A grant stays inside the granter's own ROLE_MANAGE scope: the unit and, for a subtree
    grant, every unit below it today. ``admin`` and ``reporter_reader`` are granted by system
    administrators only, and ``reporter_reader`` never to oneself: an administrator who needs
    the reporters' identity is designated by another, and the grant is audited.
    """
    if role in ADMIN_GRANTED_ROLES and "admin" not in roles_of(user):
        return _("Chỉ quản trị hệ thống được cấp vai trò này.")
    if role in ADMIN_GRANTED_ROLES - {"admin"} and grantee_id == user.pk:
        return _("Không được tự cấp cho mình vai trò này: cần một quản trị hệ thống khác cấp.")
    if unit_id is None:
        return ""
    scope = unit_scope(user, Action.ROLE_MANAGE)
    if scope is EVERYTHING:
        return ""
    covered = org_graph().scope(unit_id, subtree=subtree, day=timezone.localdate())
    return "" if unit_id in scope and covered <= scope else _("Đơn vị nằm ngoài phạm vi của bạn.")


# --- Logins: who may revoke a login's API tokens --------------------------------------------


def can_revoke_tokens(user: Actor, owner: User) -> bool:
    """The login itself, a system administrator, or ROLE_MANAGE over the unit of the login's
    staff record (a system account without one: administrators only)."""
    if not _signed_in(user):
        return False
    if user.pk == owner.pk or "admin" in roles_of(user):
        return True
    if not owner.staff_id:
        return False
    from congvu.organisations.models import Staff

    unit_id = Staff.objects.filter(pk=owner.staff_id).values_list("unit_id", flat=True).first()
    return unit_id is not None and unit_id in unit_scope(user, Action.ROLE_MANAGE)
