"""Pages of the periodic reports (báo cáo định kỳ) and what surrounds them: a unit's report
editor (autosaved), Sở Nội vụ's cycle board with the consolidated report (a background job),
report templates, evidence files and requests to explain a late task. Thin like ``views``:
every read through a selector with the check inside the query (a row outside the user's
scope is a 404), every write a service, POST then redirect."""

from __future__ import annotations

from pathlib import PurePath
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from congvu.core import jobs, permissions
from congvu.core.labels import translated
from congvu.core.logging import log_event
from congvu.core.permissions import Action
from congvu.core.text import fold
from congvu.core.uploads import stored_file_response
from congvu.organisations.models import Unit
from congvu.plans import documents, exports, figures, reporting, rules, selectors, services
from congvu.plans.access import plan_check_manage, template_check_manage
from congvu.plans.forms import (
    EvidenceForm,
    ExplanationAnswerForm,
    ExplanationAskForm,
    PlanTemplateForm,
    ReportMoveForm,
    TemplateForm,
    UnitTaskForm,
)
from congvu.plans.models import PeriodicReport, ReportTemplate
from congvu.plans.views import DOCX, XLSX, _plan_or_404, _unit_or_404, unit_staff

PAGE_SIZE = 25


def _report_or_404(request: HttpRequest, pk: int) -> PeriodicReport:
    report = reporting.report_get_for_user(user=request.user, pk=pk)
    if report is None:
        raise Http404
    return report


def _year(request: HttpRequest, year: int) -> int:
    if not 2000 <= year <= timezone.localdate().year:
        raise Http404
    return year


# --- A unit's report ---------------------------------------------------------------------


@login_required
def report_list(request: HttpRequest) -> HttpResponse:
    """The periodic reports the user may read, the latest year first."""
    permissions.require(request.user, Action.PLAN_VIEW)
    reports = reporting.report_list_for_user(user=request.user).filter(consolidated=False)
    page = Paginator(reports, PAGE_SIZE).get_page(request.GET.get("trang"))
    return render(
        request,
        "plans/report_list.html",
        {"page": page, "statuses": dict(translated(rules.REPORT_STATUS_NAMES))},
    )


@login_required
@require_POST
def report_start(request: HttpRequest, pk: int, unit_id: int, year: int) -> HttpResponse:
    """Open the unit's report on the plan for the year, starting it pre-filled if needed."""
    plan = _plan_or_404(request, pk)
    unit = _unit_or_404(request, unit_id)
    try:
        report = reporting.report_start(
            actor=request.user, plan=plan, unit=unit, year=_year(request, year)
        )
    except PermissionDenied:
        raise Http404 from None
    except ValidationError as error:
        messages.error(request, error.messages[0])
        return redirect("plans:obligations", unit_id=unit.pk)
    return redirect("plans:report_detail", pk=report.pk)


def _report_page(
    request: HttpRequest, report: PeriodicReport, *, move_form: ReportMoveForm | None = None
) -> HttpResponse:
    roles = reporting.report_roles(request.user, report)
    editable = rules.UNIT in roles and report.status in (rules.DRAFT, rules.RETURNED)
    moves = rules.REPORT_MACHINE.moves_for(report.status, roles)
    versions = report.versions.select_related("actor").order_by("-number")
    returned = versions.filter(move=rules.RETURN).first()
    return render(
        request,
        "plans/report_detail.html",
        {
            "report": report,
            "parts": reporting.report_sections(report),
            "content": report.content,
            "editable": editable,
            "moves": moves,
            "move_names": dict(translated(rules.REPORT_MOVE_NAMES)),
            "move_form": move_form or ReportMoveForm(),
            "versions": versions,
            "returned": returned if report.status == rules.RETURNED else None,
            "status_names": dict(translated(rules.STATUS_NAMES)),
            "report_statuses": dict(translated(rules.REPORT_STATUS_NAMES)),
            "late": rules.report_late(
                report.due, timezone.localdate(), report.status, report.submitted_on
            ),
        },
        status=400 if move_form is not None else 200,
    )


@login_required
def report_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The report: its parts (editable while a draft or returned), its versions, the moves
    the user may make. A POST saves the texts; from the autosave (HTMX) it answers with the
    line that says when it was saved."""
    report = _report_or_404(request, pk)
    if request.method == "POST":
        sections = {k: v for k, v in request.POST.items() if k != "csrfmiddlewaretoken"}
        try:
            report = reporting.report_save(actor=request.user, report=report, sections=sections)
        except PermissionDenied:
            raise Http404 from None
        except ValidationError as error:
            if request.headers.get("HX-Request"):
                return render(
                    request, "plans/_saved.html", {"error": error.messages[0]}, status=409
                )
            messages.error(request, error.messages[0])
            return redirect("plans:report_detail", pk=report.pk)
        if request.headers.get("HX-Request"):
            return render(request, "plans/_saved.html", {"report": report})
        messages.success(request, _("Đã lưu báo cáo."))
        return redirect("plans:report_detail", pk=report.pk)
    return _report_page(request, report)


@login_required
@require_POST
def report_move(request: HttpRequest, pk: int) -> HttpResponse:
    report = _report_or_404(request, pk)
    form = ReportMoveForm(request.POST)
    if not form.is_valid():
        return _report_page(request, report, move_form=form)
    move = form.cleaned_data["move"]
    try:
        report = reporting.report_move(
            actor=request.user, report=report, move=move, comment=form.cleaned_data["comment"]
        )
    except PermissionDenied:
        raise Http404 from None
    except ValidationError as error:
        form.add_error(None, error)
        return _report_page(request, report, move_form=form)
    messages.success(
        request,
        _("Đã %(move)s.") % {"move": translated(rules.REPORT_MOVE_NAMES)[move]},
    )
    return redirect("plans:report_detail", pk=report.pk)


@login_required
@require_POST
def report_refresh(request: HttpRequest, pk: int) -> HttpResponse:
    report = _report_or_404(request, pk)
    try:
        reporting.report_refresh(actor=request.user, report=report)
    except PermissionDenied:
        raise Http404 from None
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(request, _("Đã cập nhật số liệu và tình trạng nhiệm vụ."))
    return redirect("plans:report_detail", pk=report.pk)


def _report_file(report: PeriodicReport, extension: str) -> str:
    return f"bao-cao-{fold(report.unit.code)}-{report.year}-{report.pk}.{extension}"


@login_required
def report_docx(request: HttpRequest, pk: int) -> HttpResponse:
    report = _report_or_404(request, pk)
    content = documents.unit_report_docx(
        unit=report.unit, year=report.year, reports=[report], day=timezone.localdate()
    )
    response = HttpResponse(content, content_type=DOCX)
    response["Content-Disposition"] = f'attachment; filename="{_report_file(report, "docx")}"'
    return response


@login_required
def report_figure(request: HttpRequest, pk: int, key: str) -> HttpResponse:
    """The rows a pre-filled figure counts, those the user may see in their own module."""
    report = _report_or_404(request, pk)
    figure = next((f for f in report.content.get("figures", []) if f.get("key") == key), None)
    if figure is None:
        raise Http404
    rows = figures.figure_rows(user=request.user, figure=figure)
    page = Paginator(rows.queryset, PAGE_SIZE).get_page(request.GET.get("trang"))
    return render(
        request,
        "plans/report_figure.html",
        {
            "report": report,
            "figure": figure,
            "rows": rows,
            "page": page,
            "lines": [rows.describe(row) for row in page],
            "recount": reporting.recount(figure),
        },
    )


# --- Sở Nội vụ's cycle board --------------------------------------------------------------


@login_required
def cycle_board(request: HttpRequest, pk: int, year: int) -> HttpResponse:
    """Who sent, who is late, who was returned, for one plan and year, at a glance."""
    plan = _plan_or_404(request, pk)
    year = _year(request, year)
    today = timezone.localdate()
    rows = reporting.cycle_board(user=request.user, plan=plan, year=year, today=today)
    filter_by = request.GET.get("loc", "")
    counts = reporting.board_counts(rows)
    shown = [r for r in rows if filter_by in r.groups] if filter_by in counts else rows
    page = Paginator(shown, 50).get_page(request.GET.get("trang"))
    return render(
        request,
        "plans/cycle_board.html",
        {
            "plan": plan,
            "year": year,
            "years": list(range(today.year, max(plan.document.issued_on.year, 2000) - 1, -1))[:8],
            "page": page,
            "counts": counts,
            "groups": translated(rules.BOARD_GROUPS),
            "filter_by": filter_by,
            "total": len(rows),
            "paging": f"loc={filter_by}" if filter_by in counts else "",
            "manages": plan_check_manage(request.user, plan),
            "report_statuses": dict(translated(rules.REPORT_STATUS_NAMES)),
            "due": reporting.unit_report_due(year),
        },
    )


@login_required
def cycle_board_xlsx(request: HttpRequest, pk: int, year: int) -> HttpResponse:
    plan = _plan_or_404(request, pk)
    year = _year(request, year)
    rows = reporting.cycle_board(
        user=request.user, plan=plan, year=year, today=timezone.localdate()
    )
    response = HttpResponse(
        documents.board_xlsx(plan=plan, year=year, rows=rows), content_type=XLSX
    )
    name = f"tinh-hinh-bao-cao-{fold(plan.document.code).replace('/', '-')}-{year}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@login_required
@require_POST
def consolidated_start(request: HttpRequest, pk: int, year: int) -> HttpResponse:
    """Start Sở Nội vụ's consolidated report (a background job) and show its progress."""
    plan = _plan_or_404(request, pk)
    year = _year(request, year)
    own = selectors.own_unit_for_user(user=request.user)
    if own is None or not plan_check_manage(request.user, plan):
        raise Http404
    try:
        job = jobs.job_start(
            actor=request.user,
            kind=exports.CONSOLIDATED_KIND,
            parameters={"plan": plan.pk, "year": year, "unit": own.pk},
        )
    except ValidationError as error:
        messages.error(request, error.messages[0])
        return redirect("plans:cycle_board", pk=plan.pk, year=year)
    return redirect("jobs:detail", pk=job.pk)


# --- Report templates ------------------------------------------------------------------------


def _templates(request: HttpRequest):
    return selectors.template_list_for_user(user=request.user)


def _template_page(
    request: HttpRequest,
    *,
    page: str,
    writes: bool,
    owner: Unit | None,
    template: ReportTemplate | None,
    initial: dict[str, str],
    context: dict[str, Any],
) -> HttpResponse:
    """A template page with its form (``writes``): a POST saves it (a new one in the name of
    ``owner``, or ``template``) and goes to the saved template's page."""
    form = TemplateForm(request.POST or None, initial=initial)
    if request.method == "POST":
        if not writes or owner is None:
            raise Http404
        if form.is_valid():
            try:
                saved = services.template_save(
                    actor=request.user,
                    owner=owner,
                    name=form.cleaned_data["name"],
                    text=form.cleaned_data["text"],
                    template=template,
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("Đã lưu mẫu báo cáo."))
                return redirect("plans:template_detail", pk=saved.pk)
    context.update(form=form if writes else None, kinds=translated(rules.SECTION_KIND_NAMES))
    return render(request, page, context, status=400 if form.errors else 200)


@login_required
def template_list(request: HttpRequest) -> HttpResponse:
    """The templates the user may read; a new one in the name of their own unit."""
    permissions.require(request.user, Action.PLAN_VIEW)
    own = selectors.own_unit_for_user(user=request.user)
    return _template_page(
        request,
        page="plans/template_list.html",
        writes=own is not None and permissions.can(request.user, Action.PLAN_MANAGE, own),
        owner=own,
        template=None,
        initial={"text": rules.template_text(rules.DEFAULT_TEMPLATE)},
        context={"templates": _templates(request), "default": rules.DEFAULT_TEMPLATE},
    )


@login_required
def template_detail(request: HttpRequest, pk: int) -> HttpResponse:
    template = permissions.first_by_pk(_templates(request), pk)
    if template is None:
        raise Http404
    return _template_page(
        request,
        page="plans/template_detail.html",
        writes=template_check_manage(request.user, template),
        owner=template.owner,
        template=template,
        initial={"name": template.name, "text": rules.template_text(template.parts())},
        context={"template": template},
    )


@login_required
@require_POST
def plan_template(request: HttpRequest, pk: int) -> HttpResponse:
    plan = _plan_or_404(request, pk)
    if not plan_check_manage(request.user, plan):
        raise Http404
    form = PlanTemplateForm(request.POST, templates=_templates(request))
    if not form.is_valid():
        messages.error(request, _("Mẫu báo cáo không hợp lệ."))
    else:
        services.plan_template_set(actor=request.user, plan=plan, template=form.chosen())
        messages.success(request, _("Đã chọn mẫu báo cáo định kỳ cho kế hoạch."))
    return redirect("plans:plan_detail", pk=plan.pk)


# --- Evidence files ---------------------------------------------------------------------------


@login_required
@require_POST
def evidence_add(request: HttpRequest, entry_pk: int) -> HttpResponse:
    entry = selectors.progress_entry_get_for_user(user=request.user, pk=entry_pk)
    if entry is None:
        raise Http404
    url = reverse("plans:obligations", kwargs={"unit_id": entry.unit_id}) + f"#task-{entry.task_id}"
    form = EvidenceForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, _("Cần chọn một tệp minh chứng."))
        return redirect(url)
    try:
        services.progress_evidence_attach(
            actor=request.user, entry=entry, upload=form.cleaned_data["file"]
        )
    except PermissionDenied:
        raise Http404 from None
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(request, _("Đã thêm tệp minh chứng."))
    return redirect(url)


@login_required
def evidence_download(request: HttpRequest, pk: int) -> HttpResponse:
    evidence = services.progress_evidence_get_for_user(user=request.user, pk=pk)
    if evidence is None:
        raise Http404
    stem = PurePath(evidence.original_name).stem or "minh-chung"
    try:
        response = stored_file_response(
            services.progress_evidence_path(evidence), evidence.content_type, stem
        )
    except FileNotFoundError:
        log_event("evidence.missing", user=request.user.pk, evidence=pk)
        raise Http404 from None
    return response


# --- Requests to explain a late task ------------------------------------------------------


@login_required
def explanation_list(request: HttpRequest) -> HttpResponse:
    permissions.require(request.user, Action.PLAN_VIEW)
    found = selectors.explanation_list_for_user(user=request.user)
    waiting = request.GET.get("loc") == "cho"
    if waiting:
        found = found.filter(answered_at__isnull=True)
    page = Paginator(found, PAGE_SIZE).get_page(request.GET.get("trang"))
    return render(request, "plans/explanation_list.html", {"page": page, "waiting": waiting})


@login_required
@require_POST
def explanation_ask(request: HttpRequest, pk: int, unit_id: int, task_pk: int) -> HttpResponse:
    plan = _plan_or_404(request, pk)
    unit = _unit_or_404(request, unit_id)
    task = plan.tasks.filter(pk=task_pk).first()
    if task is None or not plan_check_manage(request.user, plan):
        raise Http404
    form = ExplanationAskForm(request.POST)
    url = reverse("plans:plan_detail", kwargs={"pk": plan.pk}) + "#tien-do"
    if not form.is_valid():
        messages.error(request, _("Cần ghi nội dung yêu cầu giải trình."))
        return redirect(url)
    try:
        asked = reporting.explanation_ask(
            actor=request.user, task=task, unit=unit, question=form.cleaned_data["question"]
        )
    except PermissionDenied:
        raise Http404 from None
    except ValidationError as error:
        messages.error(request, error.messages[0])
        return redirect(url)
    messages.success(request, _("Đã gửi yêu cầu giải trình."))
    return redirect("plans:explanation_detail", pk=asked.pk)


@login_required
def explanation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    asked = permissions.first_by_pk(selectors.explanation_list_for_user(user=request.user), pk)
    if asked is None:
        raise Http404
    answers = asked.answered_at is None and permissions.can(
        request.user, Action.PLAN_PROGRESS, asked.unit
    )
    form = ExplanationAnswerForm(request.POST or None)
    if request.method == "POST":
        if not answers:
            raise Http404
        if form.is_valid():
            try:
                reporting.explanation_answer(
                    actor=request.user, request=asked, answer=form.cleaned_data["answer"]
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("Đã gửi nội dung giải trình."))
                return redirect("plans:explanation_detail", pk=asked.pk)
    return render(
        request,
        "plans/explanation_detail.html",
        {"asked": asked, "form": form if answers else None},
        status=400 if form.errors else 200,
    )


# --- A unit's own implementation of a task ---------------------------------------------------


@login_required
@require_POST
def unit_task_create(request: HttpRequest, unit_id: int, task_pk: int) -> HttpResponse:
    unit = _unit_or_404(request, unit_id)
    task = selectors.task_get_for_user(user=request.user, pk=task_pk)
    if task is None or not services.unit_is_obliged(task=task, unit=unit):
        raise Http404
    url = reverse("plans:obligations", kwargs={"unit_id": unit.pk}) + f"#task-{task.pk}"
    form = UnitTaskForm(request.POST, staff=unit_staff(request, unit))
    if not form.is_valid():
        messages.error(request, next(iter(form.errors.values()))[0])
        return redirect(url)
    try:
        reporting.unit_task_add(
            actor=request.user,
            task=task,
            unit=unit,
            content=form.cleaned_data["content"],
            owner=form.chosen_owner(),
            due_on=form.cleaned_data["due_on"],
        )
    except PermissionDenied:
        raise Http404 from None
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(request, _("Đã ghi nội dung cụ thể của đơn vị."))
    return redirect(url)
