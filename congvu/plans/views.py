"""Pages of the plans (issue 11). Thin: parse, ask a selector or a service, render. Every read
goes through ``plans.selectors`` (the check inside the query); a row outside the user's scope
is a 404. Writes are the services' (``plan_assign``, ``event_date_set``, ``progress_record``),
each followed by a redirect (POST-redirect-GET)."""

from datetime import date, datetime

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

from congvu.core import permissions
from congvu.core.labels import translated
from congvu.core.permissions import Action
from congvu.core.text import fold
from congvu.organisations import selectors as org_selectors
from congvu.organisations.models import Unit
from congvu.plans import documents, rules, selectors, services
from congvu.plans.access import plan_check_manage, progress_check_record
from congvu.plans.forms import (
    AssignForm,
    EventDateForm,
    PlanTemplateForm,
    ProgressForm,
    UnitTaskForm,
)
from congvu.plans.models import DocumentType, LinkKind, Plan, Task

PAGE_SIZE = 25
LATE_SHOWN = 50  # late cells listed under the matrix, each with a request to explain
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _param(request: HttpRequest, name: str, limit: int) -> str:
    return request.GET.get(name, "").replace("\x00", "")[:limit].strip()


def _without_page(request: HttpRequest) -> str:
    query = request.GET.copy()
    query.pop("trang", None)
    return query.urlencode()


def _as_of(request: HttpRequest) -> tuple[date, str]:
    """The reference day (``ngay``, dd/mm/yyyy or ISO), today when absent; and an error."""
    today = timezone.localdate()
    raw = _param(request, "ngay", 10)
    if not raw:
        return today, ""
    for pattern in ("%d/%m/%Y", "%Y-%m-%d"):
        try:
            return datetime.strptime(raw, pattern).date(), ""
        except ValueError:
            continue
    return today, _("Ngày không hợp lệ (dd/mm/yyyy); đang xem ngày hôm nay.")


def _plan_or_404(request: HttpRequest, pk: int) -> Plan:
    plan = selectors.plan_get_for_user(user=request.user, pk=pk)
    if plan is None:
        raise Http404
    return plan


# --- The plans -------------------------------------------------------------------------------


@login_required
def plan_list(request: HttpRequest) -> HttpResponse:
    permissions.require(request.user, Action.PLAN_VIEW)
    q = _param(request, "q", 100)
    plans = selectors.plan_search_for_user(user=request.user, q=q)
    page = Paginator(plans, PAGE_SIZE).get_page(request.GET.get("trang"))
    return render(
        request,
        "plans/plan_list.html",
        {"page": page, "q": q, "paging": _without_page(request), "own": _own_unit(request)},
    )


def _plan_context(request: HttpRequest, plan: Plan) -> dict:
    as_of, date_error = _as_of(request)
    tasks = list(plan.tasks.prefetch_related("lead_units").order_by("position", "pk"))
    links = plan.document.links_out.select_related("target").order_by("kind", "target__issued_on")
    matrix = selectors.progress_matrix(plan=plan, as_of=as_of, user=request.user)
    rows = [(row, [matrix.status(row.unit_id, task.pk) for task in tasks]) for row in matrix.rows]
    manages = plan_check_manage(request.user, plan)
    assignments = plan.assignments.select_related("unit").order_by("unit__code")
    return {
        "plan": plan,
        "document": plan.document,
        "links": links,
        "link_kinds": dict(LinkKind.choices),
        "tasks": [(task, documents.timing_label(task)) for task in tasks],
        "assignments": assignments,
        "matrix": matrix,
        "rows": rows,
        "status_names": list(translated(rules.STATUS_NAMES).items()),
        "as_of": as_of,
        "date_error": date_error,
        "manages": manages,
        "conditional": [t for t in tasks if t.kind == rules.CONDITIONAL],
        "late": [
            (row, task, status)
            for row, statuses in rows
            for task, status in zip(tasks, statuses, strict=True)
            if status.status == rules.LATE
        ][:LATE_SHOWN],
        "board_year": as_of.year,
    }


@login_required
def plan_detail(request: HttpRequest, pk: int) -> HttpResponse:
    plan = _plan_or_404(request, pk)
    context = _plan_context(request, plan)
    if context["manages"]:
        context["assign_form"] = AssignForm(units=_assignable(request), initial=_today())
        context["event_form"] = EventDateForm()
        context["template_form"] = PlanTemplateForm(
            templates=selectors.template_list_for_user(user=request.user),
            initial={"template": plan.report_template_id or ""},
        )
    return render(request, "plans/plan_detail.html", context)


def _today() -> dict:
    return {"day": timezone.localdate()}


def _assignable(request: HttpRequest) -> list[Unit]:
    """The units the user may give a plan to: current ones under their ``plan.manage``."""
    units = org_selectors.unit_list_for_user(user=request.user, action=Action.PLAN_MANAGE)
    return list(units.filter(valid_to__isnull=True).order_by("code"))


@login_required
@require_POST
def plan_assign(request: HttpRequest, pk: int) -> HttpResponse:
    plan = _plan_or_404(request, pk)
    if not plan_check_manage(request.user, plan):
        raise Http404
    form = AssignForm(request.POST, units=_assignable(request))
    if form.is_valid():
        try:
            services.plan_assign(
                actor=request.user, plan=plan, units=form.chosen(), day=form.cleaned_data["day"]
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Đã giao kế hoạch cho các đơn vị đã chọn."))
            return redirect("plans:plan_detail", pk=plan.pk)
    context = _plan_context(request, plan)
    context.update(assign_form=form, event_form=EventDateForm())
    return render(request, "plans/plan_detail.html", context, status=400)


@login_required
@require_POST
def task_event_date(request: HttpRequest, pk: int, task_pk: int) -> HttpResponse:
    plan = _plan_or_404(request, pk)
    task = plan.tasks.filter(pk=task_pk).first()
    if task is None or not plan_check_manage(request.user, plan):
        raise Http404
    form = EventDateForm(request.POST)
    if form.is_valid():
        try:
            services.event_date_set(actor=request.user, task=task, day=form.cleaned_data["day"])
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Đã ghi ngày xảy ra sự kiện."))
            return redirect("plans:plan_detail", pk=plan.pk)
    context = _plan_context(request, plan)
    context.update(
        assign_form=AssignForm(units=_assignable(request), initial=_today()),
        event_form=form,
        event_task=task,
    )
    return render(request, "plans/plan_detail.html", context, status=400)


def _tasks(plan: Plan) -> list[Task]:
    return list(plan.tasks.prefetch_related("lead_units").order_by("position", "pk"))


def _file_name(plan: Plan, extension: str) -> str:
    return f"ke-hoach-{fold(plan.document.code).replace('/', '-')}.{extension}"


@login_required
def plan_docx(request: HttpRequest, pk: int) -> HttpResponse:
    """The plan as a Word file: small, built in the request (decision 68)."""
    plan = _plan_or_404(request, pk)
    response = HttpResponse(documents.plan_docx(plan, _tasks(plan)), content_type=DOCX)
    response["Content-Disposition"] = f'attachment; filename="{_file_name(plan, "docx")}"'
    return response


@login_required
def plan_xlsx(request: HttpRequest, pk: int) -> HttpResponse:
    plan = _plan_or_404(request, pk)
    response = HttpResponse(documents.tasks_xlsx(plan, _tasks(plan)), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{_file_name(plan, "xlsx")}"'
    return response


# --- A unit's obligations ----------------------------------------------------------------


def _own_unit(request: HttpRequest) -> Unit | None:
    return selectors.own_unit_for_user(user=request.user)


@login_required
def my_obligations(request: HttpRequest) -> HttpResponse:
    unit = _own_unit(request)
    if unit is None:
        raise Http404
    return redirect("plans:obligations", unit_id=unit.pk)


def unit_staff(request: HttpRequest, unit: Unit) -> list:
    """The staff of ``unit`` the user may see, who can be put in charge of its sub-tasks."""
    return list(
        org_selectors.staff_list_for_user(user=request.user, unit=unit, with_subunits=False)[:500]
    )


def _obligations_page(
    request: HttpRequest, unit: Unit, forms: dict[int, ProgressForm] | None = None
) -> HttpResponse:
    as_of, date_error = _as_of(request)
    obligations = selectors.obligations_for_unit(user=request.user, unit=unit, as_of=as_of)
    records = progress_check_record(request.user, unit)
    forms = forms or {}
    today = timezone.localdate()
    rows = [
        (o, forms.get(o.task.pk) or ProgressForm(initial={"on": today}, prefix=f"t{o.task.pk}"))
        for o in obligations
    ]
    return render(
        request,
        "plans/obligations.html",
        {
            "unit": unit,
            "rows": rows,
            "records": records,
            "as_of": as_of,
            "date_error": date_error,
            "status_names": dict(translated(rules.STATUS_NAMES)),
            "report_year": today.year,
            "unit_task_form": UnitTaskForm(staff=unit_staff(request, unit)) if records else None,
        },
        status=400 if forms else 200,
    )


def _unit_or_404(request: HttpRequest, unit_id: int) -> Unit:
    unit = org_selectors.unit_get_for_user(user=request.user, pk=unit_id, action=Action.PLAN_VIEW)
    if unit is None:
        raise Http404
    return unit


@login_required
def obligations(request: HttpRequest, unit_id: int) -> HttpResponse:
    unit = _unit_or_404(request, unit_id)
    try:
        return _obligations_page(request, unit)
    except PermissionDenied:
        raise Http404 from None


@login_required
@require_POST
def progress_create(request: HttpRequest, unit_id: int, task_pk: int) -> HttpResponse:
    unit = _unit_or_404(request, unit_id)
    task = Task.objects.filter(pk=task_pk).select_related("plan__document").first()
    if task is None or not progress_check_record(request.user, unit):
        raise Http404
    if not services.unit_is_obliged(task=task, unit=unit):
        raise Http404
    form = ProgressForm(request.POST, request.FILES, prefix=f"t{task.pk}")
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.progress_record(
                actor=request.user,
                task=task,
                unit=unit,
                on=data["on"],
                state=data["state"],
                text=data["text"],
                period=data["period"],
                quantities=form.quantities(),
                evidence=[data["evidence"]] if data.get("evidence") else [],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request, _("Đã ghi tiến độ nhiệm vụ %(number)s.") % {"number": task.number}
            )
            url = reverse("plans:obligations", kwargs={"unit_id": unit.pk})
            return redirect(f"{url}#task-{task.pk}")
    return _obligations_page(request, unit, {task.pk: form})


# --- The document library -----------------------------------------------------------------


@login_required
def document_list(request: HttpRequest) -> HttpResponse:
    permissions.require(request.user, Action.PLAN_VIEW)
    q = _param(request, "q", 100)
    kind = _param(request, "loai", 16)
    found = selectors.document_search(q=q, doc_type=kind)
    page = Paginator(found, PAGE_SIZE).get_page(request.GET.get("trang"))
    return render(
        request,
        "plans/document_list.html",
        {
            "page": page,
            "q": q,
            "kind": kind,
            "kinds": DocumentType.choices,
            "paging": _without_page(request),
        },
    )


# --- The progress entries in Excel ----------------------------------------------------------


@login_required
@require_POST
def plan_progress_export(request: HttpRequest, pk: int) -> HttpResponse:
    """Starts the Excel export of the plan's progress entries in the user's scope and shows
    its page: over the years a province's entries run to tens of thousands of rows, so unlike
    the plan's own files (decision 68) this one is a background job."""
    from congvu.core import jobs
    from congvu.plans import exports

    plan = _plan_or_404(request, pk)
    try:
        job = jobs.job_start(
            actor=request.user, kind=exports.PROGRESS_KIND, parameters={"plan": plan.pk}
        )
    except ValidationError as error:
        messages.error(request, error.messages[0])
        return redirect("jobs:list")
    return redirect("jobs:detail", pk=job.pk)
