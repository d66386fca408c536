"""The rows behind a periodic report's pre-filled figure, for the page a figure links to.

A figure stores the model and the filter that count it (``reporting.Figure``). Its rows are
shown through the module that owns them: each source's own ``*_list_for_user`` narrows them
to what the reader may see there, so a figure's page never shows more than that module would
(a reviewer outside a unit's evaluations sees the count, not the people). Each row is a few
cells and, where the module has one, a link to the row's own page."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Source:
    rows: Callable[[Any], QuerySet]
    headers: tuple[Any, ...]
    cells: Callable[[Any], tuple[object, ...]]
    link: Callable[[Any], str] | None = None


def _evaluations(user: Any) -> QuerySet:
    from congvu.evaluations.selectors import evaluation_list_for_user

    return evaluation_list_for_user(user=user)


def _discipline(user: Any) -> QuerySet:
    from congvu.discipline.selectors import discipline_list_for_user

    return discipline_list_for_user(user=user)


def _ratings(user: Any) -> QuerySet:
    from congvu.core.permissions import Action
    from congvu.ratings.access import RATING
    from congvu.ratings.models import Rating

    return RATING.filter(user, Action.DESK_MANAGE, Rating.objects.select_related("desk", "unit"))


def _feedback(user: Any) -> QuerySet:
    from congvu.feedback.selectors import report_list_for_user

    return report_list_for_user(user=user)


def _findings(user: Any) -> QuerySet:
    from congvu.feedback.supervision import finding_list_for_user

    return finding_list_for_user(user=user)


def _day(value: Any) -> str:
    return f"{value:%d/%m/%Y}" if value else ""


SOURCES: dict[str, Source] = {
    "evaluations.evaluation": Source(
        _evaluations,
        (_("Cán bộ"), _("Đơn vị"), _("Kỳ đánh giá"), _("Mức xếp loại")),
        lambda e: (e.staff.full_name if e.staff else "", e.unit.name, e.cycle.year, e.final_level),
    ),
    "discipline.disciplinerecord": Source(
        _discipline,
        (_("Cán bộ"), _("Hình thức"), _("Số quyết định"), _("Ngày quyết định")),
        lambda r: (
            r.staff.full_name,
            r.get_form_display(),
            r.decision_number,
            _day(r.decision_date),
        ),
        lambda r: reverse("discipline:record_detail", args=[r.pk]),
    ),
    "ratings.rating": Source(
        _ratings,
        (_("Ngày"), _("Đơn vị"), _("Quầy"), _("Mức hài lòng")),
        lambda r: (_day(r.day), r.unit.name, r.desk.name if r.desk else "", r.score),
    ),
    "feedback.report": Source(
        _feedback,
        (_("Mã theo dõi"), _("Ngày tiếp nhận"), _("Trạng thái")),
        lambda r: (r.code, _day(r.received_on), r.get_status_display()),
        lambda r: reverse("feedback:handling_detail", args=[r.pk]),
    ),
    "feedback.supervisionfinding": Source(
        _findings,
        (_("Tiêu đề"), _("Ngày kiến nghị"), _("Trạng thái")),
        lambda f: (f.title, _day(f.filed_at), f.get_status_display()),
        lambda f: reverse("feedback:finding_detail", args=[f.pk]),
    ),
}


@dataclass(frozen=True)
class FigureRows:
    """The rows of one figure the reader may see; ``headers`` and ``describe`` for a table."""

    queryset: QuerySet
    source: Source | None

    @property
    def headers(self) -> tuple[Any, ...]:
        return self.source.headers if self.source else ()

    def describe(self, row: Any) -> tuple[tuple[object, ...], str]:
        assert self.source is not None
        link = self.source.link(row) if self.source.link else ""
        return self.source.cells(row), link


def figure_rows(*, user: Any, figure: dict[str, Any]) -> FigureRows:
    """The figure's rows narrowed by the owning module's access rule (none for a model
    without a source: the figure's number stays, its rows are not listed)."""
    source = SOURCES.get(str(figure.get("model", "")))
    if source is None:
        from congvu.plans.models import ProgressEntry

        return FigureRows(ProgressEntry.objects.none(), None)
    rows = source.rows(user).filter(**figure.get("filter", {})).order_by("pk")
    return FigureRows(rows, source)
