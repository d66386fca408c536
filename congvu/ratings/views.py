"""Staff pages of citizen ratings: the satisfaction dashboard, desks and their QR posters,
the review of flagged ratings, one official's index. Thin: parse, call a selector or a
service, render. Access: FEEDBACK_VIEW for statistics, DESK_MANAGE for desks and reviews,
RATING_FOLLOW_UP for the phone numbers citizens left to be called back."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from congvu.core import permissions
from congvu.core.logging import log_event
from congvu.core.permissions import Action
from congvu.organisations.selectors import unit_get_for_user
from congvu.ratings import posters, rules, selectors, services
from congvu.ratings.forms import DeskCreateForm, DeskEditForm
from congvu.ratings.models import DeskKind, RatingStatus, ServicePoint

PAGE_SIZE = 50


def _period(request: HttpRequest) -> tuple[rules.Period, str]:
    today = timezone.localdate()
    period = rules.parse_period(request.GET.get("ky", "")[:10], today)
    if period is None:
        return rules.Period("year", today.year), _("Kỳ không hợp lệ: đang xem cả năm nay.")
    return period, ""


def _int(value: str | None) -> int | None:
    text = (value or "").strip()
    return int(text) if text.isdigit() and len(text) < 12 else None


def _tabs(request: HttpRequest, active: str) -> dict:
    user = request.user
    manage = permissions.may(user, Action.DESK_MANAGE)
    flagged = selectors.flagged_count_for_user(user=user) if manage else 0
    follow_up = permissions.may(user, Action.RATING_FOLLOW_UP)
    return {
        "tab": active,
        "can_manage": manage,
        "flagged_count": flagged,
        "can_follow_up": follow_up,
    }


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    permissions.require(request.user, Action.FEEDBACK_VIEW)
    period, error = _period(request)
    root = _int(request.GET.get("don-vi"))
    try:
        dash = selectors.dashboard_cached(user=request.user, period=period, root_id=root)
    except selectors.OutOfScope:
        raise Http404 from None
    context = {
        "dash": dash,
        "period": period,
        "error": error,
        "cache_seconds": settings.RATINGS_DASHBOARD_CACHE_SECONDS if dash.cache_key else 0,
        "choices": rules.period_choices(timezone.localdate()),
        **_tabs(request, "dashboard"),
    }
    return render(request, "ratings/dashboard.html", context)


@login_required
def desk_list(request: HttpRequest) -> HttpResponse:
    permissions.require(request.user, Action.DESK_MANAGE)
    page = Paginator(selectors.desk_list_for_user(user=request.user), PAGE_SIZE).get_page(
        request.GET.get("trang")
    )
    return render(request, "ratings/desk_list.html", {"page": page, **_tabs(request, "desks")})


@login_required
@require_http_methods(["GET", "POST"])
def desk_create(request: HttpRequest) -> HttpResponse:
    permissions.require(request.user, Action.DESK_MANAGE)
    units = selectors.units_for_desks(user=request.user)
    form = DeskCreateForm(request.POST or None, units=units)
    errors: list[str] = []
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        unit = unit_get_for_user(user=request.user, pk=data["unit"], action=Action.DESK_MANAGE)
        if unit is None:  # the choices were scoped: only a forged form gets here
            raise Http404
        spec = services.DeskSpec(
            unit=unit,
            kind=data["kind"],
            name=data["name"],
            staff=data["staff_code"],
            location=data["location"],
        )
        try:
            desk = services.desk_create(actor=request.user, spec=spec)
        except ValidationError as exc:
            errors = exc.messages
        else:
            messages.success(
                request, _("Đã tạo điểm đánh giá. Hãy tải áp phích để in và dán tại quầy.")
            )
            return redirect("ratings:desk_detail", pk=desk.pk)
    context = {"form": form, "errors": errors, **_tabs(request, "desks")}
    return render(request, "ratings/desk_create.html", context)


def _desk_or_404(request: HttpRequest, pk: int) -> ServicePoint:
    desk = selectors.desk_get_for_user(user=request.user, pk=pk)
    if desk is None:
        raise Http404
    return desk


def _public_url(request: HttpRequest, token: str) -> str:
    from django.urls import reverse

    return request.build_absolute_uri(reverse("ratings_public:rate", args=[token]))


@login_required
def desk_detail(request: HttpRequest, pk: int) -> HttpResponse:
    desk = _desk_or_404(request, pk)
    token = selectors.desk_current_token(desk=desk)
    url = _public_url(request, token.token) if token else ""
    low = selectors.desk_recent_low(user=request.user, desk=desk)
    shown = [row.rating.pk for row in low if row.full]
    if shown:  # QUALITY.md S10: who saw which citizen's number
        log_event("rating.contact_view", user=request.user.pk, ratings=shown)
    context = {
        "desk": desk,
        "token": token,
        "url": url,
        "qr_svg": posters.qr_svg(url) if url else "",
        "tokens": selectors.desk_tokens(desk=desk),
        "low": low,
        "edit_form": DeskEditForm(
            initial={"name": desk.name, "location": desk.location, "is_active": desk.is_active}
        ),
        "figures": selectors.desk_figures(
            desk=desk, period=rules.Period("year", timezone.localdate().year)
        ),
        "flagged": RatingStatus.FLAGGED,
        **_tabs(request, "desks"),
    }
    return render(request, "ratings/desk_detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def desk_edit(request: HttpRequest, pk: int) -> HttpResponse:
    desk = _desk_or_404(request, pk)
    form = DeskEditForm(
        request.POST or None,
        initial={"name": desk.name, "location": desk.location, "is_active": desk.is_active},
    )
    errors: list[str] = []
    if request.method == "POST" and form.is_valid():
        try:
            services.desk_update(actor=request.user, desk=desk, **form.cleaned_data)
        except ValidationError as exc:
            errors = exc.messages
        else:
            messages.success(request, _("Đã lưu điểm đánh giá."))
            return redirect("ratings:desk_detail", pk=desk.pk)
    context = {"desk": desk, "form": form, "errors": errors, **_tabs(request, "desks")}
    return render(request, "ratings/desk_edit.html", context)


@login_required
def desk_rotate(request: HttpRequest, pk: int) -> HttpResponse:
    desk = _desk_or_404(request, pk)  # first: a desk out of scope is 404 whatever the method
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    try:
        services.desk_token_rotate(actor=request.user, desk=desk)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(
            request,
            _(
                "Đã cấp mã QR mới. Áp phích cũ không còn dùng được: hãy in áp phích mới và dán thay."
            ),
        )
    return redirect("ratings:desk_detail", pk=desk.pk)


@login_required
def desk_poster(request: HttpRequest, pk: int, size: str, fmt: str) -> HttpResponse:
    desk = _desk_or_404(request, pk)
    if size not in posters.SIZES or fmt not in posters.FORMATS:
        raise Http404
    token = selectors.desk_current_token(desk=desk)
    if token is None or not desk.is_active:
        raise Http404
    content = posters.PosterContent(
        unit=desk.unit.name,
        desk=desk.name,
        official=desk.staff.full_name if desk.kind == DeskKind.OFFICIAL and desk.staff else "",
        location=desk.location,
        url=_public_url(request, token.token),
        token_hint=token.token[:6],
        printed_on=timezone.localdate(),
    )
    try:
        data = posters.render(content, size, fmt)
    except posters.PosterUnavailable as exc:
        messages.error(request, str(exc))
        return redirect("ratings:desk_detail", pk=desk.pk)
    kind = "application/pdf" if fmt == "pdf" else "image/png"
    response = HttpResponse(data, content_type=kind)
    response["Content-Disposition"] = f'attachment; filename="ap-phich-{desk.pk}-{size}.{fmt}"'
    return response


@login_required
@require_http_methods(["GET", "POST"])
def review(request: HttpRequest) -> HttpResponse:
    permissions.require(request.user, Action.DESK_MANAGE)
    if request.method == "POST":
        ids = [i for i in (_int(v) for v in request.POST.getlist("ids")[:500]) if i is not None]
        action = request.POST.get("quyet_dinh", "")
        if not ids or action not in ("tinh", "loai"):
            messages.error(request, _("Hãy chọn ít nhất một đánh giá và một quyết định."))
        else:
            try:
                count = services.ratings_review(
                    actor=request.user,
                    ids=ids,
                    accept=action == "tinh",
                    note=request.POST.get("ghi_chu", "")[:2000],
                )
            except ValidationError as exc:
                for message in exc.messages:
                    messages.error(request, message)
            else:
                done = (
                    _("Đã tính %(n)s đánh giá vào chỉ số.")
                    if action == "tinh"
                    else _("Đã loại %(n)s đánh giá.")
                )
                messages.success(request, done % {"n": count})
        return redirect("ratings:review")
    page = Paginator(selectors.flagged_for_user(user=request.user), PAGE_SIZE).get_page(
        request.GET.get("trang")
    )
    return render(request, "ratings/review.html", {"page": page, **_tabs(request, "review")})


@login_required
def follow_up(request: HttpRequest) -> HttpResponse:
    """The phone numbers citizens left with a low rating, for whoever calls them back."""
    permissions.require(request.user, Action.RATING_FOLLOW_UP)
    page = Paginator(selectors.follow_up_for_user(user=request.user), PAGE_SIZE).get_page(
        request.GET.get("trang")
    )
    log_event("rating.contact_view", user=request.user.pk, ratings=[r.pk for r in page])
    return render(request, "ratings/follow_up.html", {"page": page, **_tabs(request, "follow_up")})


@login_required
def staff_index(request: HttpRequest, pk: int) -> HttpResponse:
    staff = selectors.staff_for_figures(user=request.user, pk=pk)
    if staff is None:
        raise Http404
    period, error = _period(request)
    context = {
        "staff": staff,
        "data": selectors.staff_figures(staff=staff, period=period),
        "period": period,
        "error": error,
        "choices": rules.period_choices(timezone.localdate()),
    }
    return render(request, "ratings/staff_index.html", context)
