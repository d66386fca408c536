"""Supervision: a read-only view of reports and their handling times (Ủy ban MTTQ, inspectors,
leaders — never the reporter, notes or attachments), and the findings the Front files on a unit
and the unit answers."""

from datetime import date, timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from congvu.core import permissions
from congvu.core.labels import translated
from congvu.core.logging import log_event
from congvu.core.permissions import Action
from congvu.feedback import categories, rules, selectors, supervision
from congvu.feedback.access import report_check_handle
from congvu.feedback.services import parse_day
from congvu.feedback.views_staff import list_context, list_filters
from congvu.organisations.models import Unit


@login_required
def supervision_reports(request: HttpRequest) -> HttpResponse:
    permissions.require(request.user, Action.FEEDBACK_VIEW)
    context = list_context(request, Action.FEEDBACK_VIEW)
    f, _units, _raw = list_filters(request, Action.FEEDBACK_VIEW)
    today = timezone.localdate()
    qs = selectors.report_filter(
        selectors.report_list_for_user(user=request.user, action=Action.FEEDBACK_VIEW),
        f,
        today=today,
    )
    context["figures"] = rules.handling_figures(
        qs.values_list("received_on", "due_on", "answered_on").iterator(chunk_size=2000)
    )
    context["can_file"] = permissions.may(request.user, Action.SUPERVISION_FILE)
    return render(request, "feedback/supervision_reports.html", context)


@login_required
def supervision_report(request: HttpRequest, pk: int) -> HttpResponse:
    report = selectors.report_get_for_user(user=request.user, pk=pk, action=Action.FEEDBACK_VIEW)
    if report is None:
        raise Http404
    log_event("report.view", user=request.user.pk, report=report.pk)  # QUALITY.md S10
    today = timezone.localdate()
    return render(
        request,
        "feedback/supervision_report.html",
        {
            "report": report,
            "code": rules.tracking_code_display(report.code),
            "category": categories.label_of(report.category, report.categories_version),
            "row": selectors.report_rows([report], today=today)[0],
            "events": selectors.public_events(report),
            "attachment_count": report.attachments.count(),
            "can_handle": report_check_handle(request.user, report),
        },
    )


@login_required
def finding_list(request: HttpRequest) -> HttpResponse:
    qs = supervision.finding_list_for_user(user=request.user)
    if not any(permissions.may(request.user, a) for a in supervision.FINDING_READERS):
        permissions.require(request.user, Action.FEEDBACK_VIEW)  # logs and refuses
    status = request.GET.get("trang_thai", "")[:16]
    if status in rules.FINDING_STATUS_NAMES:
        qs = qs.filter(status=status)
    page = Paginator(qs, 30).get_page(request.GET.get("trang"))
    return render(
        request,
        "feedback/finding_list.html",
        {
            "page": page,
            "status": status,
            "statuses": list(translated(rules.FINDING_STATUS_NAMES).items()),
            "paging": f"trang_thai={status}" if status else "",
            "can_file": permissions.may(request.user, Action.SUPERVISION_FILE),
            "today": timezone.localdate(),
        },
    )


def _file_units(user) -> list[Unit]:
    today = timezone.localdate()
    qs = permissions.filter_units(user, Action.SUPERVISION_FILE, Unit.objects.all())
    return [u for u in qs.filter(valid_from__lte=today, valid_to__isnull=True).order_by("sort_key")]


@login_required
def finding_create(request: HttpRequest) -> HttpResponse:
    permissions.require(request.user, Action.SUPERVISION_FILE)
    units = _file_units(request.user)
    values = {"don_vi": "", "tieu_de": "", "noi_dung": "", "han": ""}
    errors: dict = {}
    if request.method == "POST":
        values = {k: request.POST.get(k, "").replace("\x00", "")[:20_000] for k in values}
        unit = next((u for u in units if str(u.pk) == values["don_vi"]), None)
        due = parse_day(values["han"][:20]) if values["han"].strip() else None
        if unit is None:
            errors["don_vi"] = [_("Hãy chọn đơn vị được giám sát.")]
        if values["han"].strip() and due is None:
            errors["han"] = [_("Hạn trả lời không hợp lệ, hãy nhập theo dạng dd/mm/yyyy.")]
        if not errors:
            try:
                finding = supervision.finding_file(
                    actor=request.user,
                    unit=unit,
                    title=values["tieu_de"],
                    content=values["noi_dung"],
                    due_on=due,
                )
                messages.success(request, _("Đã gửi kiến nghị giám sát tới đơn vị."))
                return redirect("feedback:finding_detail", pk=finding.pk)
            except ValidationError as error:
                errors = error.message_dict
    return render(
        request,
        "feedback/finding_form.html",
        {
            "units": units,
            "values": values,
            "errors": errors,
            "default_due": timezone.localdate() + timedelta(days=rules.FINDING_ANSWER_DAYS),
        },
    )


@login_required
def finding_detail(request: HttpRequest, pk: int) -> HttpResponse:
    finding = supervision.finding_get_for_user(user=request.user, pk=pk)
    if finding is None:
        raise Http404
    who = supervision.finding_roles(request.user, finding)
    errors: list[str] = []
    if request.method == "POST":
        move = request.POST.get("buoc", "")[:16]
        raw_due = request.POST.get("han", "")[:20]
        due: date | None = parse_day(raw_due) if raw_due.strip() else None
        try:
            if raw_due.strip() and due is None:
                raise ValidationError(_("Hạn trả lời không hợp lệ, hãy nhập theo dạng dd/mm/yyyy."))
            supervision.finding_move(
                actor=request.user,
                finding=finding,
                move=move,
                due_on=due,
                text=request.POST.get("noi_dung", "").replace("\x00", "")[:20_000],
            )
            messages.success(request, _("Đã cập nhật kiến nghị giám sát."))
            return redirect("feedback:finding_detail", pk=finding.pk)
        except ValidationError as error:
            errors = error.messages
    moves = [m for m in rules.FindingMove if rules.finding_allowed(finding.status, m, who, "x").ok]
    return render(
        request,
        "feedback/finding_detail.html",
        {
            "finding": finding,
            "errors": errors,
            "moves": moves,
            "overdue": finding.status == "open" and timezone.localdate() > finding.due_on,
        },
    )
