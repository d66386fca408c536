"""The public honour board (bảng vàng) and the good models' pages.

The board's pages need no login, no JavaScript, no image: tiny HTML and one small stylesheet,
each rendered page cached by its filters under a version that ``services_board.board_changed``
bumps (a decision issued, an achievement revoked, a good model published or withdrawn) and
for ``BOARD_CACHE_SECONDS`` at most (a unit renamed, a province setting changed). The good
models' pages are signed in: thin, a scoped selector for every read (outside the scope: 404),
a service for every write, POST then redirect."""

from __future__ import annotations

import zlib
from collections.abc import Callable

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from congvu.core import permissions
from congvu.core.labels import translated
from congvu.core.models import AuditLog
from congvu.core.permissions import Action
from congvu.emulation import board_rules, rules, selectors_board, services_board
from congvu.emulation.forms_board import GoodModelForm, WithdrawForm

BOARD_CACHE_SECONDS = 600
PAGE_SIZE = 25
YEARS_SHOWN = 10


def _page_param(request: HttpRequest) -> str:
    raw = request.GET.get("trang", "")[:5]
    return raw if raw.isdigit() else "1"


def _cached(key: str, build: Callable[[], str]) -> HttpResponse:
    """The page under ``key`` (the board's version, the language, the day, the filters)."""
    full = ":".join(
        (
            "emulation-board",
            str(services_board.board_version()),
            translation.get_language() or "",
            timezone.localdate().isoformat(),
            key,
        )
    )
    content = cache.get(full)
    if content is None:
        content = build()
        cache.set(full, content, BOARD_CACHE_SECONDS)
    return HttpResponse(content)


def _filters(request: HttpRequest) -> tuple[int | None, str, list[str]]:
    """The year and title asked for, each valid or dropped with a message."""
    today = timezone.localdate()
    errors = []
    raw_year = request.GET.get("nam", "").strip()[:8]
    year = board_rules.parse_year(raw_year, today)
    if raw_year and year is None:
        errors.append(_("Năm không hợp lệ: đang xem mọi năm."))
    award = request.GET.get("danh_hieu", "").strip()[:16]
    if award and award not in rules.AWARD_NAMES:
        errors.append(_("Danh hiệu không hợp lệ: đang xem mọi danh hiệu."))
        award = ""
    return year, award, errors


def _mark(errors: list[str]) -> str:
    """Which filters were dropped, for the cache key (their messages are on the page)."""
    return f"{zlib.crc32('|'.join(errors).encode()):x}" if errors else ""


def _years(today) -> list[int]:
    return list(range(today.year, today.year - YEARS_SHOWN, -1))


@require_GET
def board(request: HttpRequest) -> HttpResponse:
    year, award, errors = _filters(request)
    number = _page_param(request)

    def build() -> str:
        today = timezone.localdate()
        the_board, page = selectors_board.board_page(
            day=today, year=year, award=award, number=number
        )
        names = translated(rules.AWARD_NAMES)
        shown_award = award if award in the_board.awards else ""
        if award and not shown_award:
            errors.append(_("Danh hiệu này không có trên bảng vàng: đang xem mọi danh hiệu."))
        models = list(selectors_board.board_goodmodels(board=the_board, year=year)[:5])
        paging = "&".join(
            f"{name}={value}"
            for name, value in (("nam", year), ("danh_hieu", shown_award))
            if value
        )
        context = {
            "page": page,
            "year": year,
            "award": shown_award,
            "awards": [(code, names[code]) for code in the_board.awards],
            "names": names,
            "years": _years(today),
            "errors": errors,
            "paging": paging,
            "models": models,
        }
        return render_to_string("emulation/board_index.html", context, request=request)

    return _cached(f"index:{year or ''}:{award}:{number}:{_mark(errors)}", build)


@require_GET
def board_models(request: HttpRequest) -> HttpResponse:
    year, _award, errors = _filters(request)
    number = _page_param(request)

    def build() -> str:
        today = timezone.localdate()
        the_board = selectors_board.board_for(today)
        rows = selectors_board.board_goodmodels(board=the_board, year=year)
        page = Paginator(rows, PAGE_SIZE).get_page(number)
        context = {
            "page": page,
            "year": year,
            "years": _years(today),
            "errors": errors,
            "paging": f"nam={year}" if year else "",
        }
        return render_to_string("emulation/board_models.html", context, request=request)

    return _cached(f"models:{year or ''}:{number}:{_mark(errors)}", build)


# --- Good models, signed in -------------------------------------------------------------------

STATES = {
    "recorded": gettext_lazy("Chờ công bố"),
    "published": gettext_lazy("Đang công bố"),
    "withdrawn": gettext_lazy("Đã gỡ"),
}


def _state(model) -> str:
    if model.withdrawn_at is not None:
        return "withdrawn"
    return "published" if model.published_at is not None else "recorded"


@login_required
def goodmodel_list(request: HttpRequest) -> HttpResponse:
    permissions.require(request.user, Action.EMULATION_VIEW)
    rows = selectors_board.goodmodel_list_for_user(user=request.user)
    year = board_rules.parse_year(request.GET.get("nam", ""), timezone.localdate())
    state = request.GET.get("trang_thai", "")
    if year:
        rows = rows.filter(year=year)
    if state == "recorded":
        rows = rows.filter(published_at__isnull=True, withdrawn_at__isnull=True)
    elif state == "published":
        rows = rows.filter(published_at__isnull=False, withdrawn_at__isnull=True)
    elif state == "withdrawn":
        rows = rows.filter(withdrawn_at__isnull=False)
    else:
        state = ""
    page = Paginator(rows.order_by("-year", "-pk"), PAGE_SIZE).get_page(request.GET.get("trang"))
    for model in page:
        model.state = _state(model)
    query = request.GET.copy()
    query.pop("trang", None)
    return render(
        request,
        "emulation/goodmodel_list.html",
        {
            "page": page,
            "year": year,
            "state": state,
            "states": STATES,
            "paging": query.urlencode(),
            "records": permissions.may(request.user, Action.EMULATION_PROPOSE),
        },
    )


@login_required
def goodmodel_create(request: HttpRequest) -> HttpResponse:
    units = selectors_board.goodmodel_units_for_user(user=request.user)
    if not units:
        raise Http404
    today = timezone.localdate()
    form = GoodModelForm(request.POST or None, units=units, initial={"year": today.year})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            model = services_board.goodmodel_record(
                actor=request.user,
                unit=form.units[data["unit"]],
                year=data["year"],
                title=data["title"],
                description=data["description"],
            )
        except PermissionDenied:
            form.add_error(None, _("Bạn không có quyền ghi mô hình của đơn vị này."))
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Đã ghi nhận mô hình hay; chờ Sở Nội vụ công bố."))
            return redirect("emulation:goodmodel_detail", pk=model.pk)
    return render(
        request,
        "emulation/goodmodel_form.html",
        {"form": form},
        status=400 if form.errors else 200,
    )


def _get(request: HttpRequest, pk: int):
    model = selectors_board.goodmodel_get_for_user(user=request.user, pk=pk)
    if model is None:
        raise Http404
    return model


@login_required
def goodmodel_detail(request: HttpRequest, pk: int) -> HttpResponse:
    model = _get(request, pk)
    manages = permissions.can(request.user, Action.EMULATION_MANAGE, model.unit)
    history = AuditLog.objects.filter(
        object_type="emulation.goodmodel",
        object_id=str(model.pk),
        action__startswith="emulation.goodmodel_",
    ).select_related("actor")
    return render(
        request,
        "emulation/goodmodel_detail.html",
        {
            "model": model,
            "state": _state(model),
            "states": STATES,
            "manages": manages,
            "history": history.order_by("at", "pk"),
            "withdraw_form": WithdrawForm(),
        },
    )


@login_required
@require_POST
def goodmodel_publish(request: HttpRequest, pk: int) -> HttpResponse:
    model = _get(request, pk)
    try:
        services_board.goodmodel_publish(actor=request.user, model=model)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Đã công bố mô hình lên bảng vàng."))
    return redirect("emulation:goodmodel_detail", pk=model.pk)


@login_required
@require_POST
def goodmodel_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    model = _get(request, pk)
    form = WithdrawForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Cần ghi lý do gỡ mô hình khỏi bảng vàng."))
        return redirect("emulation:goodmodel_detail", pk=model.pk)
    try:
        services_board.goodmodel_withdraw(
            actor=request.user, model=model, reason=form.cleaned_data["reason"]
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Đã gỡ mô hình khỏi bảng vàng."))
    return redirect("emulation:goodmodel_detail", pk=model.pk)
