"""Reads of the honour board (public) and of good models (scoped).

The board is province-wide public information: achievements from an issued decision, not
revoked, of the titles the setting ``emulation.board.awards`` names, of units within the
board's province (``board_root``); and the good models Sở Nội vụ published. The query itself
excludes drafts and revoked rows: the page cache (``views_board``) is never what hides them.
A page of the board is three queries whatever its rows (the province's settings, the count,
the rows with their person, units and decision)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import Case, IntegerField, Q, QuerySet, Value, When

from congvu.core import permissions
from congvu.core.dated_store import setting_overrides
from congvu.core.permissions import Action, Entity
from congvu.emulation import board_rules
from congvu.emulation.models import Achievement, GoodModel
from congvu.organisations.graph import org_graph

PAGE_SIZE = 30
GOODMODEL = Entity(units=("unit_id",))


@dataclass(frozen=True)
class Board:
    """What the board shows on a day: its titles (in order) and its units."""

    awards: tuple[str, ...]
    root_id: int | None
    units: frozenset[int]


def board_root(day: date, overrides: dict[str, object]) -> int | None:
    """The board's province: the current unit whose code the setting names, else the first
    current root unit (the one created first). A deployment serves one province; another
    province's units in the same database (Lâm Đồng in the tests) stay off its board."""
    current = org_graph().as_of(day)
    code = board_rules.board_province_code(day, overrides)
    if code:
        return next((u for u, row in current.items() if row.code == code), None)
    roots = sorted(u for u, row in current.items() if row.parent_id is None)
    return roots[0] if roots else None


def board_for(day: date) -> Board:
    """The board's titles and units on ``day`` (one query: the province's settings); the
    units include the ended ones that live on in the province (``scope_closure``)."""
    overrides = setting_overrides(day)
    root = board_root(day, overrides)
    units = org_graph().scope(root, subtree=True, day=day) if root is not None else frozenset()
    return Board(board_rules.board_awards(day, overrides), root, units)


def board_achievements(*, board: Board, year: int | None = None, award: str = "") -> QuerySet:
    """The board's rows, newest year first, then in the setting's order of titles: issued,
    never revoked, of the board's units; only the fields the board shows are read."""
    awards = [award] if award and award in board.awards else list(board.awards)
    units = sorted(board.units)
    rows = Achievement.objects.filter(
        decision__issued_at__isnull=False,
        revoked_at__isnull=True,
        award__in=awards,
    ).filter(
        Q(unit_id__in=units)
        | Q(unit_then_id__in=units)
        | Q(staff__isnull=False, unit_then__isnull=True, staff__unit_id__in=units)
    )
    if year:
        rows = rows.filter(year=year)
    rank = Case(
        *(When(award=code, then=Value(i)) for i, code in enumerate(board.awards)),
        default=Value(len(board.awards)),
        output_field=IntegerField(),
    )
    return (
        rows.select_related("staff", "staff__unit", "unit", "unit_then", "decision")
        .only(
            "year",
            "award",
            "citation",
            "staff__ho",
            "staff__dem",
            "staff__ten",
            "staff__unit__name",
            "unit__name",
            "unit_then__name",
            "decision__number",
            "decision__signed_on",
            "decision__issuer",
        )
        .annotate(rank=rank)
        .order_by("-year", "rank", "decision__signed_on", "pk")
    )


def board_page(*, day: date, year: int | None, award: str, number: Any) -> tuple[Board, Page]:
    """One page of the board (three queries: settings, count, rows)."""
    board = board_for(day)
    rows = board_achievements(board=board, year=year, award=award)
    return board, Paginator(rows, PAGE_SIZE).get_page(number)


def board_goodmodels(*, board: Board, year: int | None = None) -> QuerySet[GoodModel]:
    """Published good models of the board's units (not withdrawn), newest first."""
    rows = GoodModel.objects.filter(
        published_at__isnull=False, withdrawn_at__isnull=True, unit_id__in=sorted(board.units)
    )
    if year:
        rows = rows.filter(year=year)
    return (
        rows.select_related("unit")
        .only("year", "title", "description", "published_at", "unit__name")
        .order_by("-year", "-published_at", "-pk")
    )


# --- Good models, signed in -------------------------------------------------------------------


def goodmodel_list_for_user(*, user: Any) -> QuerySet[GoodModel]:
    """Good models of the units in the user's ``emulation.view`` scope."""
    rows = GoodModel.objects.select_related("unit", "created_by")
    return GOODMODEL.filter(user, Action.EMULATION_VIEW, rows)


def goodmodel_get_for_user(*, user: Any, pk: Any) -> GoodModel | None:
    return permissions.first_by_pk(goodmodel_list_for_user(user=user), pk)


def goodmodel_units_for_user(*, user: Any) -> list[Any]:
    """The current units the user may record a good model for (``emulation.propose``)."""
    from congvu.organisations import selectors as org_selectors

    units = org_selectors.unit_list_for_user(user=user, action=Action.EMULATION_PROPOSE)
    return list(units.filter(valid_to__isnull=True).order_by("sort_key", "code"))
