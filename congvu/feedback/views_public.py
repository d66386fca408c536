"""Public pages of misconduct reports: no login, no JavaScript, light enough for a cheap phone.

Choose the unit (a search that ignores diacritics), fill the form, get a tracking code; follow
the report with the code. Thin: parse, call the service or a selector, render.
"""

import secrets

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from congvu.core.logging import log_event
from congvu.core.uploads import size_text
from congvu.feedback import categories, rules, selectors, services, throttle, uploads
from congvu.feedback.services import DuplicateSubmission, ReportInput

FIELD_LIMIT = 20_000  # characters kept of any field before the service judges its length
FIELDS = (
    "noi_dung",
    "noi_xay_ra",
    "nguoi_bi_phan_anh",
    "can_bo",
    "nhom",
    "ngay",
    "ho_ten",
    "dien_thoai",
    "email",
)


def _text(request: HttpRequest, name: str) -> str:
    return request.POST.get(name, "").replace("\x00", "")[:FIELD_LIMIT]


def public_start(request: HttpRequest) -> HttpResponse:
    q = request.GET.get("q", "").replace("\x00", "")[:100]
    hits, total = selectors.public_unit_search(q)
    return render(request, "feedback/public_start.html", {"q": q, "hits": hits, "total": total})


def _form_context(request: HttpRequest, unit, values: dict, errors: dict, form_key: str) -> dict:
    today = timezone.localdate()
    return {
        "unit": unit,
        "values": values,
        "errors": errors,
        "general_errors": errors.get("__all__", []),
        "form_key": form_key,
        "category_list": categories.in_force(today),
        "staff": selectors.public_staff_choices(unit),
        "max_files": uploads.max_files(),
        "max_size": size_text(uploads.max_bytes()),
        "today": today,
    }


def _from_desk(token: str, unit) -> dict:
    """The form's first values when the citizen came from a desk's rating page: the desk as
    the place, its official (for an official's desk) preselected; all can be changed."""
    desk = services.desk_of(token, unit)
    if desk is None:
        return {}
    place = ", ".join(part for part in (desk.name, desk.location) if part)
    values = {"quay": token, "noi_xay_ra": place[:200]}
    if desk.staff_id is not None:
        values["can_bo"] = str(desk.staff_id)
    return values


def _body_too_large(request: HttpRequest) -> bool:
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return False
    return length > uploads.max_files() * uploads.max_bytes() + 256 * 1024


@never_cache
def public_form(request: HttpRequest) -> HttpResponse:
    code = (request.POST.get("don_vi") or request.GET.get("don_vi") or "")[:32]
    unit = selectors.public_unit_by_code(code.replace("\x00", ""))
    if unit is None:
        return render(
            request,
            "feedback/public_start.html",
            {"q": "", "hits": [], "total": 0, "missing_unit": bool(code)},
            status=404 if code else 200,
        )
    desk_token = (request.POST.get("quay") or request.GET.get("quay") or "")[:32]
    if request.method != "POST":
        values = {"an_danh": "1", **_from_desk(desk_token, unit)}
        return render(
            request,
            "feedback/public_form.html",
            _form_context(request, unit, values, {}, secrets.token_urlsafe(24)),
        )
    client = throttle.client_key(request)
    if throttle.exceeded("submit", client):
        log_event("report.submit_limited", client=client)
        return render(request, "feedback/public_limited.html", status=429)
    if _body_too_large(request):
        errors = {
            "tep": [
                _("Các tệp gửi kèm quá lớn: tối đa %(n)s tệp, mỗi tệp %(size)s.")
                % {"n": uploads.max_files(), "size": size_text(uploads.max_bytes())}
            ]
        }
        context = _form_context(request, unit, {"an_danh": "1"}, errors, secrets.token_urlsafe(24))
        return render(request, "feedback/public_form.html", context, status=413)
    values = {name: _text(request, name) for name in FIELDS}
    values["an_danh"] = "1" if request.POST.get("an_danh") == "1" else ""
    values["quay"] = desk_token
    form_key = request.POST.get("khoa", "")[:64]
    files = [upload for upload in request.FILES.getlist("tep") if upload.name]
    if files and throttle.exceeded("submit_files", client):
        log_event("report.submit_files_limited", client=client)
        refusal = _(
            "Kết nối của bạn đã gửi nhiều phản ánh kèm tệp trong giờ qua. Hãy gửi phản "
            "ánh không kèm tệp, hoặc thử lại sau một giờ."
        )
        key = form_key or secrets.token_urlsafe(24)
        context = _form_context(request, unit, values, {"tep": [refusal]}, key)
        return render(request, "feedback/public_form.html", context, status=429)
    data = ReportInput(
        form_key=form_key,
        unit_code=unit.code,
        category=values["nhom"],
        happened_on=values["ngay"],
        description=values["noi_dung"],
        place=values["noi_xay_ra"],
        official_name=values["nguoi_bi_phan_anh"],
        official_id=values["can_bo"],
        anonymous=bool(values["an_danh"]),
        name=values["ho_ten"],
        phone=values["dien_thoai"],
        email=values["email"],
        uploads=files,
        desk_token=desk_token,
    )
    try:
        submitted = services.report_submit(data=data)
    except ValidationError as error:
        errors = error.message_dict if hasattr(error, "error_dict") else {"__all__": error.messages}
        if files and "tep" in errors:  # the files were read and decoded: that is the cost counted
            throttle.count("submit_files", client)
        if request.FILES:
            errors.setdefault("tep", []).append(
                _("Vì có lỗi, tệp chưa được nhận: hãy chọn lại tệp.")
            )
        key = form_key if form_key and "__all__" not in errors else secrets.token_urlsafe(24)
        return render(
            request, "feedback/public_form.html", _form_context(request, unit, values, errors, key)
        )
    except DuplicateSubmission as duplicate:
        return render(
            request,
            "feedback/public_conflict.html",
            {"code": rules.tracking_code_display(duplicate.report.code), "unit": unit},
            status=409,
        )
    if submitted.created:
        throttle.count("submit", client)
        if files:
            throttle.count("submit_files", client)
    report = submitted.report
    return render(
        request,
        "feedback/public_done.html",
        {
            "report": report,
            "code": rules.tracking_code_display(report.code),
            "category": categories.label_of(report.category, report.categories_version),
        },
        status=201 if submitted.created else 200,
    )


@never_cache
def public_track(request: HttpRequest) -> HttpResponse:
    """Follow a report by its code. Unknown and mistyped codes all get the same page."""
    raw = request.GET.get("ma", "").replace("\x00", "")[:64]
    context: dict = {"raw": raw, "report": None, "problem": ""}
    if not raw.strip():
        return render(request, "feedback/public_track.html", context)
    client = throttle.client_key(request)
    if throttle.exceeded("lookup", client) or throttle.exceeded("lookup_failed", client):
        log_event("report.lookup_limited", client=client)
        return render(request, "feedback/public_limited.html", status=429)
    throttle.count("lookup", client)
    code = rules.tracking_code_normalise(raw)
    problem = rules.tracking_code_problem(code)
    report = None if problem else selectors.report_get_by_code(code)
    if report is None:
        throttle.count("lookup_failed", client)
        log_event("report.lookup_failed", client=client, malformed=bool(problem))
        context["problem"] = problem or _("Không tìm thấy phản ánh nào có mã này.")
        return render(request, "feedback/public_track.html", context)
    context.update(
        report=report,
        code=rules.tracking_code_display(report.code),
        category=categories.label_of(report.category, report.categories_version),
        events=selectors.public_events(report),
        waiting=report.status in rules.OPEN_STATUSES,
    )
    return render(request, "feedback/public_track.html", context)
