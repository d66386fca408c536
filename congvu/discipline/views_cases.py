"""Pages of discipline cases (vụ việc kỷ luật). Thin: parse, ask a selector or a service
(``cases``), render. Read with ``discipline.view``, handled with ``discipline.manage`` over the
person; a case about oneself is nobody's page (404), like a case out of scope."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from congvu.core import permissions
from congvu.core.labels import translated
from congvu.core.permissions import Action
from congvu.discipline import cases, rules, selectors
from congvu.discipline.access import case_check_manage
from congvu.discipline.forms import (
    CaseDecisionForm,
    CaseForm,
    CouncilForm,
    DropForm,
    PauseForm,
    ResumeForm,
)
from congvu.discipline.models import DisciplineCase
from congvu.discipline.services import DecisionSpec
from congvu.organisations import selectors as org_selectors
from congvu.organisations.models import StaffCategory
from congvu.organisations.rules import CIVIL_SERVICE_CATEGORIES as CATEGORIES

PAGE_SIZE = 50
OVERDUE = "qua_han"


@login_required
def case_list(request: HttpRequest) -> HttpResponse:
    """The cases in scope, newest detection first, each with its deadlines; ``?trang_thai=``
    a state or ``qua_han`` (overdue: the oldest deadline first), ``?can_bo=`` one person."""
    permissions.require(request.user, Action.DISCIPLINE_VIEW)
    today = timezone.localdate()
    status = request.GET.get("trang_thai", "")[:32]
    staff = None
    raw_staff = request.GET.get("can_bo", "")[:12]
    if raw_staff:
        if raw_staff.isdigit():
            staff = org_selectors.staff_get_for_user(
                user=request.user, pk=int(raw_staff), action=Action.DISCIPLINE_VIEW
            )
        if staff is None:
            raise Http404
    qs = selectors.case_list_for_user(user=request.user)
    if staff is not None:
        qs = qs.filter(staff=staff)
    if status == OVERDUE:
        rows = [r for r in selectors.case_overdue_for_user(user=request.user, day=today)]
        if staff is not None:
            rows = [r for r in rows if r.case.staff_id == staff.pk]
        page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("trang"))
    else:
        if status in rules.CASE_STATUS_NAMES:
            qs = qs.filter(status=status)
        elif status:
            status = ""
        page = Paginator(qs.order_by("-detected_on", "-pk"), PAGE_SIZE).get_page(
            request.GET.get("trang")
        )
        page.object_list = selectors.case_rows(page.object_list, today)
    query = request.GET.copy()
    query.pop("trang", None)
    return render(
        request,
        "discipline/case_list.html",
        {
            "page": page,
            "status": status,
            "staff": staff,
            "statuses": list(translated(rules.CASE_STATUS_NAMES).items()),
            "paging": query.urlencode(),
            "overdue_count": len(selectors.case_overdue_for_user(user=request.user, day=today)),
        },
    )


def _case(request: HttpRequest, pk: int, action: Action) -> DisciplineCase:
    case = selectors.case_get_for_user(user=request.user, pk=pk, action=action)
    if case is None:
        raise Http404
    return case


def _detail(
    request: HttpRequest, case: DisciplineCase, errors: list[str] | None = None, **forms
) -> HttpResponse:
    today = timezone.localdate()
    manages = case_check_manage(request.user, case)
    row = selectors.case_rows([case], today)[0]
    context = {
        "case": case,
        "row": row,
        "manages": manages,
        "moves": rules.CASE_MACHINE.moves_for(case.status) if manages else [],
        "pauses": list(case.pauses.all()),
        "errors": errors or [],
        "category": dict(StaffCategory.choices).get(case.category, case.category),
        "pause_form": forms.get("pause_form") or PauseForm(initial={"start": today}),
        "resume_form": forms.get("resume_form") or ResumeForm(initial={"end": today}),
        "council_form": forms.get("council_form")
        or CouncilForm(
            initial={
                "meeting_on": case.council_on or today,
                "members": case.council_members,
                "conclusion": case.council_conclusion,
            }
        ),
        "drop_form": forms.get("drop_form") or DropForm(),
    }
    return render(request, "discipline/case_detail.html", context, status=400 if errors else 200)


@login_required
def case_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail(request, _case(request, pk, Action.DISCIPLINE_VIEW))


@login_required
def case_open(request: HttpRequest, staff_pk: int) -> HttpResponse:
    """Open a case about a staff member (from their page)."""
    staff = org_selectors.staff_get_for_user(
        user=request.user, pk=staff_pk, action=Action.DISCIPLINE_MANAGE
    )
    if staff is None or permissions.is_own(request.user, staff.pk):
        raise Http404
    form = CaseForm(request.POST or None, initial={"detected_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            case = cases.case_open(
                actor=request.user, staff=staff, spec=cases.CaseSpec(**form.spec_values())
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Đã mở vụ việc kỷ luật."))
            return redirect("discipline:case_detail", pk=case.pk)
    return render(
        request,
        "discipline/case_form.html",
        {"form": form, "staff": staff, "lawful": staff.category in CATEGORIES},
        status=400 if form.errors else 200,
    )


def _act(
    request: HttpRequest,
    pk: int,
    form_class: type,
    form_name: str,
    write: Callable[[DisciplineCase, dict], object],
    done: str,
) -> HttpResponse:
    """A POST-only move on a case: the form, then the service; a refusal shows the case page
    again with the reason (400), nothing changed."""
    case = _case(request, pk, Action.DISCIPLINE_MANAGE)
    form = form_class(request.POST)
    if form.is_valid():
        try:
            write(case, form.cleaned_data)
        except ValidationError as error:
            return _detail(request, case, list(error.messages), **{form_name: form})
        messages.success(request, done)
        return redirect("discipline:case_detail", pk=case.pk)
    errors = [e for field_errors in form.errors.values() for e in field_errors]
    return _detail(request, case, errors, **{form_name: form})


@login_required
@require_POST
def case_pause(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(
        request,
        pk,
        PauseForm,
        "pause_form",
        lambda case, data: cases.case_pause(actor=request.user, case=case, **data),
        _("Đã ghi nhận thời gian chưa xem xét kỷ luật."),
    )


@login_required
@require_POST
def case_resume(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(
        request,
        pk,
        ResumeForm,
        "resume_form",
        lambda case, data: cases.case_resume(actor=request.user, case=case, end=data["end"]),
        _("Vụ việc được tiếp tục xem xét."),
    )


@login_required
@require_POST
def case_council(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(
        request,
        pk,
        CouncilForm,
        "council_form",
        lambda case, data: cases.case_council(actor=request.user, case=case, **data),
        _("Đã ghi nhận hội đồng kỷ luật."),
    )


@login_required
@require_POST
def case_time_bar(request: HttpRequest, pk: int) -> HttpResponse:
    case = _case(request, pk, Action.DISCIPLINE_MANAGE)
    try:
        cases.case_time_bar(actor=request.user, case=case)
    except ValidationError as error:
        return _detail(request, case, list(error.messages))
    messages.success(request, _("Đã đóng vụ việc vì hết thời hiệu."))
    return redirect("discipline:case_detail", pk=case.pk)


@login_required
@require_POST
def case_drop(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(
        request,
        pk,
        DropForm,
        "drop_form",
        lambda case, data: cases.case_drop(actor=request.user, case=case, reason=data["reason"]),
        _("Đã dừng xem xét vụ việc."),
    )


@login_required
def case_decide(request: HttpRequest, pk: int) -> HttpResponse:
    """Record the case's decision (in the register); refused when time-barred or unlawful."""
    case = _case(request, pk, Action.DISCIPLINE_MANAGE)
    today = timezone.localdate()
    form = CaseDecisionForm(
        request.POST or None,
        staff=case.staff,
        today=today,
        initial={"violation": case.description, "decision_date": today, "effective_from": today},
    )
    if request.method == "POST" and form.is_valid():
        try:
            record = cases.case_decide(
                actor=request.user, case=case, spec=DecisionSpec(**form.spec_values())
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Đã ghi nhận quyết định kỷ luật của vụ việc."))
            return redirect("discipline:record_detail", pk=record.pk)
    return render(
        request,
        "discipline/case_decide.html",
        {
            "form": form,
            "case": case,
            "row": selectors.case_rows([case], today)[0],
            "can_decide": rules.MOVE_DECIDE in rules.CASE_MACHINE.moves_for(case.status),
        },
        status=400 if form.errors else 200,
    )
