"""Pages over units and staff. Thin: parse, ask a selector, render."""

from datetime import date, datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from congvu.core import jobs, permissions
from congvu.core.permissions import Action
from congvu.discipline.rules import CASE_ACTIVE
from congvu.discipline.selectors import (
    active_effects_for_staff,
    case_list_for_user,
    discipline_list_for_user,
)
from congvu.organisations import selectors
from congvu.organisations.exports import STAFF_KIND, staff_export_queryset
from congvu.organisations.models import LineageEvent, Staff, UnitType

STAFF_PAGE_SIZE = 50


def parse_day(value: str | None) -> date | None:
    """dd/mm/yyyy (or ISO from a date input); None when empty or malformed."""
    for fmt in ("%d/%m/%Y", "%Y-%m-%d"):
        try:
            return datetime.strptime((value or "").strip(), fmt).date()
        except ValueError:
            continue
    return None


def _param(request: HttpRequest, name: str, limit: int) -> str:
    """A query parameter as text, cut to ``limit``; NUL bytes dropped (PostgreSQL refuses them)."""
    return request.GET.get(name, "").replace("\x00", "")[:limit]


@login_required
def unit_tree(request: HttpRequest) -> HttpResponse:
    permissions.require(request.user, Action.UNIT_VIEW)
    raw = request.GET.get("ngay", "")
    day = parse_day(raw) or timezone.localdate()
    error = (
        _("Ngày không hợp lệ, hãy nhập theo dạng dd/mm/yyyy.") if raw and not parse_day(raw) else ""
    )
    current, children = selectors.unit_tree_as_of(day=day)
    allowed = permissions.scoped_unit_ids(request.user, Action.UNIT_VIEW, current)
    staff_scope = permissions.unit_scope(request.user, Action.STAFF_VIEW)
    counts = (
        dict(
            permissions.filter_staff(
                request.user, Action.STAFF_VIEW, Staff.objects.filter(is_active=True)
            )
            .filter(unit_id__in=sorted(allowed))
            .values_list("unit_id")
            .annotate(n=Count("id"))
        )
        if day == timezone.localdate()
        else {}
    )
    rows = _flatten(children, current, allowed)
    type_labels = dict(UnitType.choices)
    for row in rows:
        row["type_label"] = type_labels.get(row["version"].unit_type, "")
        row["staff_count"] = counts.get(row["id"]) if row["id"] in staff_scope else None
    return render(
        request,
        "organisations/unit_tree.html",
        {
            "rows": rows,
            "day": day,
            "is_today": day == timezone.localdate(),
            "error": error,
            "can_manage": permissions.may(request.user, Action.UNIT_MANAGE),
        },
    )


def _flatten(children: dict, current: dict, allowed: set[int]) -> list[dict]:
    """Depth-first rows of the allowed units; an allowed unit under a hidden parent is a root."""
    rows: list[dict] = []

    def walk(unit_id: int, depth: int) -> None:
        rows.append({"id": unit_id, "version": current[unit_id], "depth": min(depth, 6)})
        for child in children.get(unit_id, ()):
            if child in allowed:
                walk(child, depth + 1)

    roots = [u for u in allowed if current[u].parent_id not in allowed]
    for root in sorted(roots, key=lambda u: (current[u].unit_type != "ubnd_tinh", current[u].code)):
        walk(root, 0)
    return rows


@login_required
def unit_detail(request: HttpRequest, pk: int) -> HttpResponse:
    unit = selectors.unit_get_for_user(user=request.user, pk=pk)
    if unit is None:
        raise Http404
    today = timezone.localdate()
    # Not a UNION: SQLite refuses the model's default ORDER BY inside compound statements.
    events = (
        LineageEvent.objects.filter(Q(predecessors=unit) | Q(successors=unit))
        .distinct()
        .prefetch_related("predecessors", "successors")
    )
    since = unit.valid_to or today
    successors = (
        selectors.unit_successors(unit=unit, since=date.fromordinal(since.toordinal() - 1))
        if unit.valid_to
        else []
    )
    can_staff = permissions.can(request.user, Action.STAFF_VIEW, unit)
    staff_page = None
    if can_staff:
        staff_qs = selectors.staff_list_for_user(user=request.user, unit=unit, with_subunits=False)
        staff_page = Paginator(staff_qs.filter(is_active=True), 20).get_page(1)
    children = permissions.filter_units(
        request.user, Action.UNIT_VIEW, unit.children.filter(valid_to__isnull=True)
    )
    return render(
        request,
        "organisations/unit_detail.html",
        {
            "unit": unit,
            "versions": unit.versions.select_related("parent").order_by("-valid_from"),
            "events": events,
            "successors": successors,
            "children": children,
            "staff_page": staff_page,
            "can_staff": can_staff,
            "can_manage": unit.valid_to is None
            and permissions.can(request.user, Action.UNIT_MANAGE, unit),
            "predecessor_count": len(selectors.unit_lineage_ids(unit=unit)) - 1,
        },
    )


@login_required
def staff_list(request: HttpRequest) -> HttpResponse:
    permissions.require(request.user, Action.STAFF_VIEW)
    q = _param(request, "q", 100)
    unit_code = _param(request, "don_vi", 32).strip().upper()
    unit = (
        selectors.unit_get_by_code_for_user(user=request.user, code=unit_code)
        if unit_code
        else None
    )
    error = (
        _("Không tìm thấy đơn vị %(code)s trong phạm vi của bạn.") % {"code": unit_code}
        if unit_code and not unit
        else ""
    )
    qs = selectors.staff_list_for_user(user=request.user, q=q, unit=unit)
    if error:
        qs = qs.none()
    page = Paginator(qs, STAFF_PAGE_SIZE).get_page(request.GET.get("trang"))
    context = {
        "page": page,
        "q": q,
        "unit": unit,
        "unit_code": unit_code,
        "error": error,
        "units": selectors.unit_list_for_user(user=request.user).filter(valid_to__isnull=True),
        "can_export": permissions.may(request.user, Action.STAFF_EXPORT),
    }
    template = "organisations/staff_list.html"
    if request.htmx and request.htmx.target == "staff-results":
        template += "#results"
    return render(request, template, context)


@login_required
@require_POST
def staff_export(request: HttpRequest) -> HttpResponse:
    """Starts the export job (the list's filter, posted) and shows its page."""
    permissions.require(request.user, Action.STAFF_EXPORT)
    q = request.POST.get("q", "").replace("\x00", "")[:100]
    unit_code = request.POST.get("don_vi", "").replace("\x00", "")[:32].strip().upper()
    if staff_export_queryset(user=request.user, q=q, unit_code=unit_code) is None:
        raise Http404
    try:
        job = jobs.job_start(
            actor=request.user, kind=STAFF_KIND, parameters={"q": q, "don_vi": unit_code}
        )
    except ValidationError as error:
        messages.error(request, error.messages[0])
        return redirect("jobs:list")
    return redirect("jobs:detail", pk=job.pk)


@login_required
def staff_detail(request: HttpRequest, pk: int) -> HttpResponse:
    staff = selectors.staff_get_for_user(user=request.user, pk=pk)
    if staff is None:
        raise Http404
    sees_discipline = permissions.can(request.user, Action.DISCIPLINE_VIEW, staff)
    context = {
        "staff": staff,
        "sees_discipline": sees_discipline,
        "discipline_count": discipline_list_for_user(user=request.user).filter(staff=staff).count()
        if sees_discipline
        else 0,
        # a person never sees a case about themself (discipline.access.DISCIPLINE_CASE)
        "case_count": case_list_for_user(user=request.user)
        .filter(staff=staff, status__in=CASE_ACTIVE)
        .count()
        if sees_discipline
        else 0,
        "sees_emulation": permissions.can(request.user, Action.EMULATION_VIEW, staff),
        "records_discipline": staff.pk != request.user.staff_id
        and permissions.can(request.user, Action.DISCIPLINE_MANAGE, staff),
        "effects": active_effects_for_staff(
            user=request.user, staff=staff, day=timezone.localdate()
        )
        if sees_discipline
        else [],
    }
    return render(request, "organisations/staff_detail.html", context)
