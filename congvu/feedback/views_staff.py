"""Handlers' pages: the list of reports routed to their units, one report with its workflow,
notes, conclusion and public answer, attachments and an Excel export. Nothing here shows who
reported except the identity panel, which only holders of ``report.identity`` can open."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from congvu.core import jobs, permissions
from congvu.core.labels import translated
from congvu.core.logging import log_event
from congvu.core.permissions import Action
from congvu.core.uploads import stored_file_response
from congvu.feedback import categories, exports, rules, selectors, services, uploads
from congvu.feedback.access import report_check_identity
from congvu.feedback.models import Report
from congvu.feedback.selectors import ReportFilter
from congvu.feedback.services import form_id
from congvu.organisations.models import Staff

PAGE_SIZE = 30
TEXT_LIMIT = 20_000
MOVE_LABELS = translated(rules.MOVE_NAMES)


def _raw(query: QueryDict) -> dict[str, str]:
    """A report list's filter as typed (the page's query, or the export's posted form)."""
    return {
        name: query.get(name, "").replace("\x00", "")[:limit]
        for name, limit in selectors.FILTER_FIELDS.items()
    }


def _text(request: HttpRequest, name: str) -> str:
    return request.POST.get(name, "").replace("\x00", "")[:TEXT_LIMIT]


def list_filters(request: HttpRequest, action: Action) -> tuple[ReportFilter, list, dict]:
    """The filters of a report list from the query string, the unit choices, and the raw values."""
    units = selectors.report_units_for_user(user=request.user, action=action)
    raw = _raw(request.GET)
    f = selectors.report_filter_parse(raw=raw, units=units)
    if f is None:  # a unit outside the scope filters nothing, here or in the export form
        raw["don_vi"] = ""
        f = selectors.report_filter_parse(raw=raw, units=units) or ReportFilter()
    return f, units, raw


def list_context(request: HttpRequest, action: Action) -> dict:
    today = timezone.localdate()
    f, units, raw = list_filters(request, action)
    qs = selectors.report_list_for_user(user=request.user, action=action)
    scoped_open = qs.filter(status__in=sorted(rules.OPEN_STATUSES))
    summary = {"open": scoped_open.count(), "overdue": scoped_open.filter(due_on__lt=today).count()}
    filtered = selectors.report_filter(qs, f, today=today).order_by("-received_at", "-id")
    page = Paginator(filtered, PAGE_SIZE).get_page(request.GET.get("trang"))
    query = "&".join(f"{k}={v}" for k, v in raw.items() if v)
    return {
        "page": page,
        "rows": selectors.report_rows(page, today=today),
        "units": units,
        "raw": raw,
        "summary": summary,
        "statuses": list(translated(rules.STATUS_NAMES).items()),
        "query": query,
    }


@login_required
def handling_list(request: HttpRequest) -> HttpResponse:
    permissions.require(request.user, Action.REPORT_HANDLE)
    return render(
        request, "feedback/handling_list.html", list_context(request, Action.REPORT_HANDLE)
    )


@login_required
@require_POST
def handling_export(request: HttpRequest) -> HttpResponse:
    """Starts the export job of the handling list as filtered (posted) and shows its page."""
    permissions.require(request.user, Action.REPORT_HANDLE)
    raw = _raw(request.POST)
    today = timezone.localdate()
    if exports.handling_export_queryset(user=request.user, raw=raw, today=today) is None:
        raise Http404
    try:
        job = jobs.job_start(actor=request.user, kind=exports.HANDLING_KIND, parameters=raw)
    except ValidationError as error:
        messages.error(request, error.messages[0])
        return redirect("jobs:list")
    return redirect("jobs:detail", pk=job.pk)


def _report_or_404(request: HttpRequest, pk: int, action: Action = Action.REPORT_HANDLE) -> Report:
    report = selectors.report_get_for_user(user=request.user, pk=pk, action=action)
    if report is None:
        raise Http404
    return report


def _conclusion(request: HttpRequest, report: Report, move: str) -> services.Conclusion | None:
    if move not in (rules.Move.CONCLUDE, rules.Move.REJECT):
        return None
    staff = None
    staff_id = _text(request, "can_bo_vi_pham").strip()
    if staff_id:
        choices = selectors.finding_staff_choices(request.user, report)
        staff = choices.filter(pk=form_id(staff_id)).first()
        if staff is None:
            raise ValidationError(_("Cán bộ vi phạm phải thuộc đơn vị bị phản ánh."))
    record = None
    record_id = _text(request, "ky_luat").strip()
    if record_id and staff is not None:
        record = (
            selectors.discipline_choices(request.user, staff).filter(pk=form_id(record_id)).first()
        )
        if record is None:
            raise ValidationError(_("Không tìm thấy quyết định kỷ luật đã chọn."))
    return services.Conclusion(
        finding=_text(request, "ket_qua"),
        staff=staff,
        criterion=_text(request, "chuan_muc").strip()[:160],
        discipline_record=record,
    )


def _act(request: HttpRequest, report: Report) -> tuple[bool, dict]:
    """Carry out the posted action; (done, extra context for the page)."""
    action = request.POST.get("hanh_dong", "")
    if action == "chuyen":
        move = request.POST.get("buoc", "")[:16]
        services.report_move(
            actor=request.user,
            report=report,
            move=move,
            comment=_text(request, "ly_do"),
            answer=_text(request, "tra_loi"),
            conclusion=_conclusion(request, report, move),
        )
        messages.success(request, _("Đã cập nhật: %(step)s.") % {"step": MOVE_LABELS[move]})
        return True, {}
    if action == "ghi_chu":
        services.report_note_add(actor=request.user, report=report, text=_text(request, "ghi_chu"))
        messages.success(request, _("Đã thêm ghi chú nội bộ."))
        return True, {}
    if action == "ky_luat" and report.finding_staff_id:
        staff = Staff.objects.get(pk=report.finding_staff_id)
        record = (
            selectors.discipline_choices(request.user, staff)
            .filter(pk=form_id(_text(request, "ky_luat_id")))
            .first()
        )
        if record is None:
            raise ValidationError(_("Hãy chọn một quyết định kỷ luật."))
        services.report_link_discipline(actor=request.user, report=report, record=record)
        messages.success(request, _("Đã gắn quyết định kỷ luật với phản ánh."))
        return True, {}
    if action == "nguoi_phan_anh":
        contact = services.reporter_contact_reveal(actor=request.user, report=report)
        return False, {"contact": contact, "revealed": True}
    raise ValidationError(_("Thao tác không hợp lệ."))


@login_required
def handling_detail(request: HttpRequest, pk: int) -> HttpResponse:
    report = _report_or_404(request, pk)
    log_event("report.view", user=request.user.pk, report=report.pk)  # QUALITY.md S10
    errors: list[str] = []
    extra: dict = {}
    if request.method == "POST":
        try:
            done, extra = _act(request, report)
            if done:
                return redirect("feedback:handling_detail", pk=report.pk)
        except ValidationError as error:
            errors = error.messages
        report.refresh_from_db()
    return render(
        request,
        "feedback/handling_detail.html",
        {**detail_context(request, report), "errors": errors, **extra},
    )


def detail_context(request: HttpRequest, report: Report) -> dict:
    today = timezone.localdate()
    found = categories.by_version(report.categories_version)
    category = found.get(report.category) if found else None
    criteria = selectors.criteria_choices(report)
    staff = None
    if report.finding_staff_id:
        staff = Staff.objects.filter(pk=report.finding_staff_id).first()
    official = report.official
    desk = report.desk
    desk_url = (
        reverse("ratings:desk_detail", args=[desk.pk])
        if desk is not None and permissions.can(request.user, Action.DESK_MANAGE, desk.unit)
        else ""
    )
    return {
        "report": report,
        "desk_url": desk_url,
        "code": rules.tracking_code_display(report.code),
        "category": category,
        "row": selectors.report_rows([report], today=today)[0],
        "current_units": selectors.current_units_of(report.unit),
        "events": report.events.select_related("actor").order_by("at", "id"),
        "notes": report.notes.select_related("author").order_by("created_at", "id"),
        "attachments": report.attachments.order_by("position"),
        "moves": [(m, MOVE_LABELS[m]) for m in rules.moves_from(report.status)],
        "criteria": criteria,
        "criterion_text": dict(criteria).get(report.finding_criterion, ""),
        "staff_choices": selectors.finding_staff_choices(request.user, report)[:300],
        "official": official,
        "finding_staff": staff,
        "discipline_choices": selectors.discipline_choices(request.user, staff) if staff else [],
        "can_identity": report_check_identity(request.user, report),
    }


@login_required
def attachment_download(request: HttpRequest, pk: int, position: int) -> FileResponse:
    report = _report_or_404(request, pk)
    attachment = report.attachments.filter(position=position).first()
    if attachment is None:
        raise Http404
    path = uploads.directory() / attachment.stored_name
    stem = f"phan-anh-{report.code}-{position}"  # never the original name: it may name the reporter
    try:
        return stored_file_response(path, attachment.content_type, stem)
    except FileNotFoundError:
        raise Http404 from None
