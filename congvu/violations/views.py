"""Pages of violations and remedies, and Sở Nội vụ's statistics. Thin: every read a selector
with the check inside the query (outside the scope: 404), every write a service, POST then
redirect."""

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

from congvu.core import permissions
from congvu.core.labels import translated
from congvu.core.permissions import Action
from congvu.core.text import fold
from congvu.core.uploads import stored_file_response
from congvu.organisations import selectors as org_selectors
from congvu.organisations.models import Staff
from congvu.violations import access, rules, selectors, services
from congvu.violations.forms import RecommendationForm, RemedyForm, ViolationForm, WithdrawForm
from congvu.violations.models import RemedyEvidence

PAGE_SIZE = 25


def _int(request: HttpRequest, name: str) -> int | None:
    raw = request.GET.get(name, "")[:12]
    return int(raw) if raw.isdigit() else None


def _current_units(request: HttpRequest) -> list:
    units = org_selectors.unit_list_for_user(user=request.user, action=Action.DISCIPLINE_MANAGE)
    return list(units.filter(valid_to__isnull=True).order_by("code"))


@login_required
def violation_list(request: HttpRequest) -> HttpResponse:
    permissions.require(request.user, Action.DISCIPLINE_VIEW)
    rows = selectors.violation_list_for_user(user=request.user).filter(withdrawn_at__isnull=True)
    year, source = _int(request, "nam"), request.GET.get("nguon", "")
    q = request.GET.get("q", "").replace("\x00", "")[:100].strip()
    if year:
        rows = rows.filter(found_on__year=year)
    if source in rules.SOURCES:
        rows = rows.filter(source=source)
    if q:
        folded = fold(q)
        rows = rows.filter(standard_code__icontains=folded) | rows.filter(description__icontains=q)
    page = Paginator(rows.order_by("-found_on", "-pk"), PAGE_SIZE).get_page(
        request.GET.get("trang")
    )
    query = request.GET.copy()
    query.pop("trang", None)
    return render(
        request,
        "violations/violation_list.html",
        {
            "page": page,
            "year": year,
            "source": source,
            "q": q,
            "sources": translated(rules.SOURCE_NAMES),
            "paging": query.urlencode(),
            "records": bool(_current_units(request)),
            "stats": permissions.may(request.user, Action.VIOLATION_STATS),
        },
    )


@login_required
def violation_create(request: HttpRequest) -> HttpResponse:
    units = _current_units(request)
    if not units:
        raise Http404
    today = timezone.localdate()
    form = ViolationForm(
        request.POST or None,
        units=units,
        criteria=selectors.standard_choices(today),
        initial={"found_on": today, "occurred_on": today},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        unit = form.units[data["unit"]]
        criterion = form.criteria[data["criterion"]]
        staff = None
        if data["staff_code"]:
            staff = Staff.objects.filter(code=data["staff_code"].strip(), unit=unit).first()
            if staff is None:
                form.add_error("staff_code", _("Không có cán bộ mã này trong đơn vị đã chọn."))
        if not form.errors:
            try:
                violation = _record(request, form, unit, criterion, staff)
            except PermissionDenied:
                form.add_error(None, _("Bạn không có quyền ghi vi phạm này."))
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("Đã ghi nhận vi phạm."))
                return redirect("violations:violation_detail", pk=violation.pk)
    return render(
        request,
        "violations/violation_form.html",
        {"form": form},
        status=400 if form.errors else 200,
    )


def _record(request: HttpRequest, form: ViolationForm, unit: Any, criterion: Any, staff: Any):
    from congvu.feedback.selectors import report_list_for_user

    data = form.cleaned_data
    if data["report_code"]:
        report = (
            report_list_for_user(user=request.user)
            .filter(code=data["report_code"].strip().upper(), unit=unit)
            .first()
        )
        if report is None:
            raise ValidationError(_("Không có phản ánh mã này của đơn vị đã chọn."))
        return services.violation_from_report(
            actor=request.user, report=report, criterion=criterion, staff=staff
        )
    spec = services.ViolationSpec(
        unit=unit,
        criterion=criterion,
        source=data["source"],
        occurred_on=data["occurred_on"],
        found_on=data["found_on"],
        description=data["description"],
        staff=staff,
        source_ref=data["source_ref"],
    )
    return services.violation_record(actor=request.user, spec=spec)


def _violation_or_404(request: HttpRequest, pk: int):
    violation = selectors.violation_get_for_user(user=request.user, pk=pk)
    if violation is None:
        raise Http404
    return violation


@login_required
def violation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    violation = _violation_or_404(request, pk)
    manages = access.violation_check_manage(request.user, violation)
    recommendations = []
    today = timezone.localdate()
    for row in violation.recommendations.select_related("responsible_unit").prefetch_related(
        "steps__evidence", "steps__actor"
    ):
        roles = access.recommendation_roles(request.user, row)
        recommendations.append(
            {
                "row": row,
                "moves": rules.RECOMMENDATION_MACHINE.moves_for(row.state, roles),
                "late": rules.remedy_late(row.due_on, today, row.state, row.reported_on),
            }
        )
    return render(
        request,
        "violations/violation_detail.html",
        {
            "violation": violation,
            "manages": manages and violation.withdrawn_at is None,
            "recommendations": recommendations,
            "recommend_form": RecommendationForm(units=_current_units(request))
            if manages
            else None,
            "remedy_form": RemedyForm(),
            "withdraw_form": WithdrawForm(),
            "move_names": translated(rules.REMEDY_MOVE_NAMES),
            "states": translated(rules.RECOMMENDATION_STATE_NAMES),
        },
    )


@login_required
@require_POST
def recommendation_create(request: HttpRequest, pk: int) -> HttpResponse:
    violation = _violation_or_404(request, pk)
    form = RecommendationForm(request.POST, units=_current_units(request))
    if not form.is_valid():
        messages.error(
            request, _("Kiến nghị chưa hợp lệ: cần đơn vị, nội dung và hạn (dd/mm/yyyy).")
        )
        return redirect("violations:violation_detail", pk=pk)
    data = form.cleaned_data
    try:
        services.recommendation_issue(
            actor=request.user,
            violation=violation,
            responsible_unit=form.units[data["responsible_unit"]],
            content=data["content"],
            due_on=data["due_on"],
        )
    except PermissionDenied:
        raise Http404 from None
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(request, _("Đã ban hành kiến nghị."))
    return redirect("violations:violation_detail", pk=pk)


@login_required
@require_POST
def remedy_move(request: HttpRequest, pk: int) -> HttpResponse:
    row = selectors.recommendation_get_for_user(user=request.user, pk=pk)
    if row is None:
        raise Http404
    form = RemedyForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, _("Thao tác không hợp lệ."))
        return redirect("violations:violation_detail", pk=row.violation_id)
    data = form.cleaned_data
    try:
        services.remedy_move(
            actor=request.user,
            recommendation=row,
            move=data["move"],
            text=data["text"],
            evidence=[data["evidence"]] if data.get("evidence") else [],
        )
    except PermissionDenied:
        raise Http404 from None
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(
            request, _("Đã %(move)s.") % {"move": translated(rules.REMEDY_MOVE_NAMES)[data["move"]]}
        )
    return redirect("violations:violation_detail", pk=row.violation_id)


@login_required
@require_POST
def violation_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    violation = _violation_or_404(request, pk)
    form = WithdrawForm(request.POST)
    try:
        services.violation_withdraw(
            actor=request.user,
            violation=violation,
            reason=form.data.get("reason", "") if form.is_valid() else "",
        )
    except PermissionDenied:
        raise Http404 from None
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(request, _("Đã rút lại vi phạm."))
    return redirect("violations:violation_detail", pk=pk)


@login_required
def evidence_download(request: HttpRequest, pk: int) -> HttpResponse:
    visible = selectors.recommendation_list_for_user(user=request.user)
    evidence = (
        RemedyEvidence.objects.filter(pk=pk, step__recommendation__in=visible)
        .select_related("step")
        .first()
    )
    if evidence is None:
        raise Http404
    try:
        return stored_file_response(
            services.remedy_evidence_path(evidence),
            evidence.content_type,
            PurePath(evidence.original_name).stem or "minh-chung",
        )
    except FileNotFoundError:
        raise Http404 from None


@login_required
def statistics(request: HttpRequest) -> HttpResponse:
    """Sở Nội vụ's statistics of a year: by standard, unit (drill down), month, source."""
    permissions.require(request.user, Action.VIOLATION_STATS)
    today = timezone.localdate()
    year = _int(request, "nam") or today.year
    if not 2000 <= year <= today.year:
        year = today.year
    source = request.GET.get("nguon", "")
    stats = selectors.statistics_for_user(
        user=request.user, year=year, day=today, root=_int(request, "don_vi"), source=source
    )
    if stats is None:
        raise Http404
    return render(
        request,
        "violations/statistics.html",
        {
            "stats": stats,
            "years": list(range(today.year, today.year - 6, -1)),
            "source": source,
            "sources": translated(rules.SOURCE_NAMES),
            "roots": selectors.stats_roots(request.user, today),
            "top": max((c.count for c in stats.by_standard), default=0),
        },
    )


@login_required
@require_POST
def from_finding(request: HttpRequest, answer_pk: int) -> HttpResponse:
    """The team's lead (or Sở Nội vụ) names the standard a finding broke: it becomes a
    violation of it."""
    from congvu.inspections.models import Answer
    from congvu.inspections.selectors import inspection_list_for_user

    visible = inspection_list_for_user(user=request.user)
    answer = (
        Answer.objects.filter(pk=answer_pk, item__inspection__in=visible)
        .select_related("item__inspection__unit", "staff")
        .first()
    )
    if answer is None:
        raise Http404
    back = reverse("inspections:inspection_detail", args=[answer.item.inspection_id])
    choices = {str(c.pk): c for c in selectors.standard_choices(timezone.localdate())}
    criterion = choices.get(request.POST.get("criterion", ""))
    if criterion is None:
        messages.error(request, _("Cần chọn tiêu chuẩn bị vi phạm."))
        return redirect(back)
    try:
        violation = services.violation_from_finding(
            actor=request.user, answer=answer, criterion=criterion
        )
    except PermissionDenied:
        raise Http404 from None
    except ValidationError as error:
        messages.error(request, error.messages[0])
        return redirect(back)
    messages.success(request, _("Đã ghi nhận vi phạm."))
    return redirect("violations:violation_detail", pk=violation.pk)
