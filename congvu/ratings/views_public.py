"""The citizen's pages, with no login: a desk's rating form (opened from its QR code) and
the public satisfaction statistics. Server-rendered, no JavaScript, one small stylesheet:
the whole rating page stays under 50 KB on a slow network."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import CsrfViewMiddleware
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt, ensure_csrf_cookie
from django.views.decorators.http import require_GET, require_http_methods

from congvu.core import ratelimit
from congvu.core.labels import translated
from congvu.ratings import labels, rules, selectors, services
from congvu.ratings.services import ClientInfo, DeskUnavailable, KeyConflict, RatingRefused

FIELD_NAMES = {"score": "diem", "reason": "ly_do", "phone": "dien_thoai", "dossier": "ma_ho_so"}
UNAVAILABLE = {
    "unknown": (404, _("Không tìm thấy điểm đánh giá")),
    "revoked": (410, _("Mã QR này đã được thay mới")),
    "inactive": (410, _("Điểm đánh giá đang tạm dừng")),
}


def client_of(request: HttpRequest) -> ClientInfo:
    """The caller's address (from CLIENT_IP_HEADER behind a reverse proxy) and browser."""
    return ClientInfo(
        ip=ratelimit.client_ip(request), user_agent=request.META.get("HTTP_USER_AGENT", "")[:400]
    )


def _report_url(desk_token) -> str:
    """The public misconduct report form (where that app provides one), for this desk: its
    unit chosen, the desk as the place, its official preselected."""
    try:
        url = reverse("feedback:public_form")
    except NoReverseMatch:
        return ""
    query = urlencode({"don_vi": desk_token.desk.unit.code, "quay": desk_token.token})
    return f"{url}?{query}"


def _unavailable(request: HttpRequest, state: str) -> HttpResponse:
    status, title = UNAVAILABLE[state]
    return render(
        request, "ratings/public_unavailable.html", {"state": state, "title": title}, status=status
    )


def _csrf_refused(request: HttpRequest) -> bool:
    """Django's CSRF check, answered here in Vietnamese instead of its technical page."""
    return CsrfViewMiddleware(lambda r: None).process_view(request, None, (), {}) is not None


def _posted(request: HttpRequest) -> dict:
    post = request.POST
    answers = {
        name[3:]: post.get(name, "") for name in post if name.startswith("hv_") and len(name) < 40
    }
    return {
        "score": post.get("diem", ""),
        "answers": answers,
        "reason": post.get("ly_do", "")[: rules.REASON_MAX * 4 + 1],
        "phone": post.get("dien_thoai", "")[:100],
        "dossier": post.get("ma_ho_so", "")[:100],
    }


def _form(request, desk_token, *, key: str, values: dict, errors: dict, status: int = 200):
    desk = desk_token.desk
    answers = values.get("answers", {})
    items = translated(labels.ITEM_NAMES)
    groups = [
        (
            label,
            [
                (item, items[item.code], rules.parse_answer(answers.get(item.code)))
                for item in rules.CONDUCT_ITEMS
                if item.group == group
            ],
        )
        for group, label in translated(labels.GROUP_NAMES).items()
    ]
    field_errors = {FIELD_NAMES.get(name, name): messages for name, messages in errors.items()}
    context = {
        "desk": desk,
        "unit": desk.unit,
        "official": desk.staff,
        "key": key,
        "values": values,
        "score": rules.parse_score(values.get("score")),
        "scores": sorted(translated(rules.SCORE_LABELS).items(), reverse=True),
        "groups": groups,
        "errors": field_errors,
        "error_list": [m for messages in errors.values() for m in messages],
    }
    return render(request, "ratings/public_rate.html", context, status=status)


@never_cache
@csrf_exempt  # checked in the view, so that a refusal is a Vietnamese page with the form
@ensure_csrf_cookie
@require_http_methods(["GET", "POST"])
def rate(request: HttpRequest, token: str) -> HttpResponse:
    try:
        # A POST may take the desk from the per-process cache: rating_submit checks again,
        # in its one read, that the token still takes ratings.
        desk_token = services.desk_for_token(token, cached=request.method == "POST")
    except DeskUnavailable as exc:
        return _unavailable(request, exc.state)
    if request.method == "GET":
        return _form(request, desk_token, key=services.new_form_key(), values={}, errors={})
    key = request.POST.get("khoa", "")[:100]
    values = _posted(request)
    if _csrf_refused(request):
        message = _("Phiên làm việc đã hết hạn. Vui lòng kiểm tra lại rồi bấm «Gửi đánh giá».")
        return _form(
            request,
            desk_token,
            key=services.new_form_key(),
            values=values,
            errors={"__all__": [message]},
            status=403,
        )
    try:
        submission = services.rating_submit(
            token=token, key=key, client=client_of(request), desk_token=desk_token, **values
        )
    except DeskUnavailable as exc:
        return _unavailable(request, exc.state)
    except ValidationError as exc:
        fresh = key if rules.valid_key(key) else services.new_form_key()
        return _form(request, desk_token, key=fresh, values=values, errors=exc.message_dict)
    except RatingRefused as exc:
        return _form(
            request, desk_token, key=key, values=values, errors={"__all__": [str(exc)]}, status=429
        )
    except KeyConflict as exc:
        return _form(
            request,
            desk_token,
            key=services.new_form_key(),
            values=values,
            errors={"__all__": [str(exc)]},
            status=409,
        )
    rating = submission.rating
    context = {
        "desk": desk_token.desk,
        "unit": desk_token.desk.unit,
        "rating": rating,
        "label": translated(rules.SCORE_LABELS)[rating.score],
        "report_url": _report_url(desk_token),
    }
    return render(request, "ratings/public_thanks.html", context)


@require_GET
def stats(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    period = rules.parse_period(request.GET.get("ky", "")[:10], today)
    error = ""
    if period is None:
        period, error = rules.Period("year", today.year), _("Kỳ không hợp lệ: đang xem cả năm nay.")
    handling = _handling_stats(period)
    rows = [
        (row, handling.get(row.unit_id))
        for row in selectors.public_stats(period=period, include=handling)
    ]
    context = {
        "period": period,
        "choices": rules.period_choices(today),
        "rows": rows,
        "error": error,
        "minimum": rules.PUBLIC_MIN_COUNT,
        "handling": handling,
    }
    return render(request, "ratings/public_stats.html", context)


def _handling_stats(period: rules.Period) -> dict:
    """Report-handling figures per unit id (congvu.feedback), for the same period."""
    from congvu.feedback.selectors import public_handling_stats

    return {
        row.unit_id: {
            "received": row.received,
            "answered": row.answered,
            "on_time_percent": None if row.on_time_share is None else 100 * row.on_time_share,
        }
        for row in public_handling_stats(start=period.start, end=period.end)
    }
