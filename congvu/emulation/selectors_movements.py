"""Scoped reads of movements, registration lists and clusters, the cluster ranking, and the
figures of a movement's sơ kết / tổng kết report (the check inside the query; a constant
number of queries whatever the number of rows)."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.db.models import Count, Q, QuerySet, Sum
from django.utils import timezone

from congvu.core import permissions
from congvu.core.dated import setting_value
from congvu.core.dated_store import setting_overrides
from congvu.core.permissions import Action
from congvu.emulation import access_movements as access
from congvu.emulation import rules
from congvu.emulation.models import (
    Achievement,
    Cluster,
    ClusterScore,
    ClusterYear,
    Movement,
    Registration,
    RegistrationList,
)
from congvu.organisations.models import Unit

SENT = ("submitted", "accepted")


def movement_list_for_user(*, user: Any) -> QuerySet[Movement]:
    if not permissions.may(user, Action.EMULATION_VIEW):
        return Movement.objects.none()
    return Movement.objects.filter(access.movement_condition(user)).select_related(
        "owner", "predecessor"
    )


def movement_get_for_user(*, user: Any, pk: Any) -> Movement | None:
    return permissions.first_by_pk(movement_list_for_user(user=user), pk)


def registration_lists_for_user(*, user: Any) -> QuerySet[RegistrationList]:
    rows = RegistrationList.objects.select_related("unit", "movement")
    return access.REGISTRATION_LIST.filter(user, Action.EMULATION_VIEW, rows)


def registration_list_get_for_user(*, user: Any, pk: Any) -> RegistrationList | None:
    return permissions.first_by_pk(registration_lists_for_user(user=user), pk)


def registration_lines(registration_list: RegistrationList) -> QuerySet[Registration]:
    return registration_list.lines.select_related("staff").order_by(
        "staff__sort_key", "award", "pk"
    )


def registration_counts(lists: QuerySet[RegistrationList]) -> dict[int, Counter]:
    """Per list, the number of lines per award (one query)."""
    found: dict[int, Counter] = defaultdict(Counter)
    rows = (
        Registration.objects.filter(registration_list__in=lists)
        .values("registration_list_id", "award")
        .annotate(n=Count("id"))
    )
    for row in rows:
        found[row["registration_list_id"]][row["award"]] = row["n"]
    return found


def registration_totals(lists: QuerySet[RegistrationList]) -> list[tuple[str, str, int]]:
    """Lines per award over ``lists``, in the catalogue's order: (code, name, count)."""
    per = dict(
        Registration.objects.filter(registration_list__in=lists)
        .values_list("award")
        .annotate(n=Count("id"))
        .values_list("award", "n")
    )
    return [(code, rules.AWARD_NAMES[code], per[code]) for code in rules.AWARDS if per.get(code)]


def registration_rows(lists: QuerySet[RegistrationList]) -> list[list[Any]]:
    """The export: one row per line, units in order (one query)."""
    states = RegistrationList.STATES
    rows = (
        Registration.objects.filter(registration_list__in=lists)
        .order_by("registration_list__unit__sort_key", "staff__sort_key", "award", "pk")
        .values_list(
            "registration_list__year",
            "registration_list__unit__code",
            "registration_list__unit__name",
            "registration_list__state",
            "staff__code",
            "staff__ho",
            "staff__dem",
            "staff__ten",
            "award",
        )
    )
    out = []
    for year, code, name, state, staff_code, ho, dem, ten, award in rows:
        who = " ".join(p for p in (ho, dem, ten) if p) if staff_code else "Tập thể đơn vị"
        out.append(
            [
                year,
                code,
                name,
                states.get(state, state),
                staff_code or "",
                who,
                rules.AWARD_NAMES.get(award, award),
            ]
        )
    return out


# --- Clusters ----------------------------------------------------------------------------------


def cluster_years_for_user(*, user: Any) -> QuerySet[ClusterYear]:
    rows = ClusterYear.objects.select_related("cluster", "leader")
    if permissions.unit_scope(user, Action.EMULATION_MANAGE) is permissions.EVERYTHING:
        return rows
    return access.CLUSTER_YEAR.filter(user, Action.EMULATION_VIEW, rows)


def cluster_year_get_for_user(*, user: Any, pk: Any) -> ClusterYear | None:
    return permissions.first_by_pk(cluster_years_for_user(user=user), pk)


def clusters_for_user(*, user: Any) -> QuerySet[Cluster]:
    """Clusters a manager may add a year to: those with no year yet, or with a year the user
    sees (a cluster of another province stays out)."""
    if not permissions.may(user, Action.EMULATION_MANAGE):
        return Cluster.objects.none()
    seen = cluster_years_for_user(user=user).values("cluster_id")
    return Cluster.objects.filter(Q(years__isnull=True) | Q(pk__in=seen)).distinct()


def flag_places(day: date) -> int:
    return int(setting_value("emulation.cluster.flag_places", day, setting_overrides(day)))


@dataclass(frozen=True)
class RankRow:
    unit: Unit
    rank: rules.Rank


def cluster_ranking(cluster_year: ClusterYear, day: date | None = None) -> list[RankRow]:
    """``rules.cluster_ranking`` over the totals each member gave each other (one query for
    the members, one for the totals)."""
    day = day or timezone.localdate()
    members = {u.pk: u for u in cluster_year.members.order_by("sort_key", "pk")}
    totals = {
        (row["scorer_id"], row["scored_id"]): row["total"]
        for row in ClusterScore.objects.filter(cluster_year=cluster_year)
        .values("scorer_id", "scored_id")
        .annotate(total=Sum("points"))
    }
    ranks = rules.cluster_ranking(list(members), totals, flag_places(day))
    return [RankRow(members[r.unit], r) for r in ranks]


def cluster_flag_candidates(year: int) -> set[int]:
    """The units a closed cluster ranking of ``year`` allows to be proposed for Cờ thi đua
    cấp tỉnh (for checking a CO_TINH nomination)."""
    found: set[int] = set()
    rows = ClusterYear.objects.filter(year=year, ranked_at__isnull=False).prefetch_related(
        "members"
    )
    for cluster_year in rows:
        day = timezone.localtime(cluster_year.ranked_at).date()
        found |= {
            row.unit.pk for row in cluster_ranking(cluster_year, day) if row.rank.may_propose_flag
        }
    return found


def score_sheet(cluster_year: ClusterYear, scorer: Unit) -> dict[tuple[int, str], Decimal]:
    return {
        (row.scored_id, row.criterion): row.points
        for row in ClusterScore.objects.filter(cluster_year=cluster_year, scorer=scorer)
    }


# --- Sơ kết / tổng kết -------------------------------------------------------------------------


@dataclass(frozen=True)
class ReviewFigures:
    """A movement's figures from its start to ``year``: registrations and achievements per
    year and award, and per unit (names as today)."""

    movement: Movement
    year: int
    years: list[int]
    awards: list[str]
    registered: dict[int, Counter]  # year → award → lines in sent lists
    achieved: dict[int, Counter]  # year → award → achievements (not revoked)
    by_unit: list[tuple[str, str, int, int, int]]  # code, name, lists, lines, achievements
    total_registered: int
    total_achieved: int


def review_figures(*, user: Any, movement: Movement, year: int) -> ReviewFigures:
    """Over the user's ``emulation.manage`` scope (a person's achievement counts at the unit
    they were in when awarded)."""
    years = list(range(movement.start_year, year + 1))
    lists = access.REGISTRATION_LIST.filter(
        user,
        Action.EMULATION_MANAGE,
        RegistrationList.objects.filter(year__in=years, state__in=SENT),
    ).filter(Q(movement=movement) | Q(movement__isnull=True))
    registered: dict[int, Counter] = defaultdict(Counter)
    for row in (
        Registration.objects.filter(registration_list__in=lists)
        .values("registration_list__year", "award")
        .annotate(n=Count("id"))
    ):
        registered[row["registration_list__year"]][row["award"]] = row["n"]
    scope = permissions.unit_scope(user, Action.EMULATION_MANAGE)
    achievements = Achievement.objects.filter(year__in=years, revoked_at__isnull=True)
    if scope is not permissions.EVERYTHING:
        ids = sorted(scope)
        achievements = achievements.filter(Q(unit_id__in=ids) | Q(unit_then_id__in=ids))
    achieved: dict[int, Counter] = defaultdict(Counter)
    per_unit_achieved: Counter = Counter()
    for unit_id, unit_then_id, award, achieved_year in achievements.values_list(
        "unit_id", "unit_then_id", "award", "year"
    ):
        achieved[achieved_year][award] += 1
        per_unit_achieved[unit_id or unit_then_id] += 1
    per_unit_lists: Counter = Counter()
    per_unit_lines: Counter = Counter()
    for row in lists.values("unit_id").annotate(n=Count("id", distinct=True), k=Count("lines")):
        per_unit_lists[row["unit_id"]] = row["n"]
        per_unit_lines[row["unit_id"]] = row["k"]
    ids = set(per_unit_lists) | set(per_unit_achieved)
    units = Unit.objects.filter(pk__in=ids).order_by("sort_key", "pk")
    by_unit = [
        (u.code, u.name, per_unit_lists[u.pk], per_unit_lines[u.pk], per_unit_achieved[u.pk])
        for u in units
    ]
    used = {a for c in (*registered.values(), *achieved.values()) for a in c}
    return ReviewFigures(
        movement=movement,
        year=year,
        years=years,
        awards=[code for code in rules.AWARDS if code in used],
        registered=registered,
        achieved=achieved,
        by_unit=by_unit,
        total_registered=sum(sum(c.values()) for c in registered.values()),
        total_achieved=sum(sum(c.values()) for c in achieved.values()),
    )
