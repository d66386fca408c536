"""Pages of the discipline register ("Sổ theo dõi kỷ luật"). Thin: parse, ask a selector or a
service, render. Lists and the export are scoped by ``discipline.view``; recording and
annulling a decision need ``discipline.manage`` over the person."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from congvu.core import jobs, permissions
from congvu.core.labels import translated
from congvu.core.permissions import Action
from congvu.discipline import exports, selectors, services
from congvu.discipline.access import discipline_check_manage
from congvu.discipline.forms import DecisionForm
from congvu.discipline.models import DisciplineRecord
from congvu.discipline.rules import FORMS
from congvu.discipline.services import DecisionSpec
from congvu.organisations import selectors as org_selectors
from congvu.organisations.models import StaffCategory
from congvu.organisations.rules import CIVIL_SERVICE_CATEGORIES as CATEGORIES

PAGE_SIZE = 50
TEXT_LIMIT = 4000


def _param(request: HttpRequest, name: str, limit: int) -> str:
    return request.GET.get(name, "").replace("\x00", "")[:limit].strip()


def _raw(query) -> dict[str, str]:
    """The register's filter as typed (the page's query, or the export's posted form)."""
    limits = {"q": 100, "don_vi": 32, "nam": 4, "hinh_thuc": 32, "trang_thai": 32, "can_bo": 12}
    raw = {
        name: query.get(name, "").replace("\x00", "")[: limits[name]].strip()
        for name in selectors.FILTER_FIELDS
    }
    raw["don_vi"] = raw["don_vi"].upper()
    return raw


def _filter(request: HttpRequest) -> tuple[selectors.RegisterFilter, dict, list[str]]:
    """The filter from the query string, the raw values for the form, and what was wrong."""
    raw = _raw(request.GET)
    where, errors = selectors.register_filter_parse(user=request.user, raw=raw)
    return where, raw, errors


def _register(request: HttpRequest):
    where, raw, errors = _filter(request)
    qs = selectors.discipline_register(user=request.user, where=where)
    return (qs.none() if errors else qs), where, raw, errors


@login_required
def record_list(request: HttpRequest) -> HttpResponse:
    permissions.require(request.user, Action.DISCIPLINE_VIEW)
    qs, where, raw, errors = _register(request)
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("trang"))
    units = org_selectors.unit_list_for_user(user=request.user, action=Action.DISCIPLINE_VIEW)
    context = {
        "page": page,
        "raw": raw,
        "where": where,
        "errors": errors,
        "paging": _without_page(request),
        "units": units.filter(valid_to__isnull=True),
        "years": selectors.discipline_years(user=request.user),
        "forms": list(translated(FORMS).items()),
        "statuses": list(translated(selectors.STATUSES).items()),
        "today": timezone.localdate(),
    }
    template = "discipline/record_list.html"
    if request.htmx and request.htmx.target == "discipline-results":
        template += "#results"
    return render(request, template, context)


def _without_page(request: HttpRequest) -> str:
    query = request.GET.copy()
    query.pop("trang", None)
    return query.urlencode()


@login_required
@require_POST
def record_export(request: HttpRequest) -> HttpResponse:
    """Starts the export job of the register as filtered (posted) and shows its page."""
    permissions.require(request.user, Action.DISCIPLINE_VIEW)
    raw = _raw(request.POST)
    if selectors.register_filter_parse(user=request.user, raw=raw)[1]:
        raise Http404
    try:
        job = jobs.job_start(actor=request.user, kind=exports.REGISTER_KIND, parameters=raw)
    except ValidationError as error:
        messages.error(request, error.messages[0])
        return redirect("jobs:list")
    return redirect("jobs:detail", pk=job.pk)


@login_required
def record_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The decision, and (POST) its annulment with a reason by whoever manages the person."""
    record = selectors.discipline_get_for_user(user=request.user, pk=pk)
    if record is None:
        raise Http404
    manages = discipline_check_manage(request.user, record)  # never about oneself
    errors: list[str] = []
    reason = ""
    if request.method == "POST" and manages and record.revoked_at is None:
        reason = request.POST.get("ly_do", "").replace("\x00", "")[:TEXT_LIMIT]
        try:
            services.discipline_revoke(actor=request.user, record=record, reason=reason)
            messages.success(request, _("Đã hủy bỏ quyết định kỷ luật."))
            return redirect("discipline:record_detail", pk=record.pk)
        except ValidationError as error:
            errors = list(error.messages)
    return render(
        request,
        "discipline/record_detail.html",
        {
            "record": record,
            "manages": manages,
            "errors": errors,
            "reason": reason,
            "in_force": _in_force(record),
            "category": dict(StaffCategory.choices).get(record.category, record.category),
        },
    )


def _in_force(record: DisciplineRecord) -> bool:
    today = timezone.localdate()
    return (
        record.revoked_at is None
        and record.effective_from <= today
        and (record.effective_to is None or record.effective_to > today)
    )


@login_required
def record_create(request: HttpRequest, staff_pk: int) -> HttpResponse:
    staff = org_selectors.staff_get_for_user(
        user=request.user, pk=staff_pk, action=Action.DISCIPLINE_MANAGE
    )
    if staff is None or staff.pk == getattr(request.user, "staff_id", None):
        raise Http404
    today = timezone.localdate()
    form = DecisionForm(request.POST or None, staff=staff, today=today)
    if request.method == "POST" and form.is_valid():
        try:
            record = services.discipline_record(
                actor=request.user, staff=staff, spec=DecisionSpec(**form.spec_values())
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Đã ghi nhận quyết định kỷ luật."))
            return redirect("discipline:record_detail", pk=record.pk)
    return render(
        request,
        "discipline/record_form.html",
        {"form": form, "staff": staff, "lawful": staff.category in CATEGORIES},
    )
