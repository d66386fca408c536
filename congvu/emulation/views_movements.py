"""Pages of movements, registrations and clusters. Thin: every read a selector with the
check inside the query (outside the scope: 404), every write a service, POST then redirect."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from congvu.core import jobs, permissions
from congvu.core.labels import translated
from congvu.core.permissions import Action
from congvu.emulation import access_movements as access
from congvu.emulation import exports_movements as exports
from congvu.emulation import rules
from congvu.emulation import selectors_movements as selectors
from congvu.emulation import services_movements as services
from congvu.emulation.forms_movements import (
    ClusterForm,
    ClusterYearForm,
    LineForm,
    MovementForm,
    OpenListForm,
    ReviewForm,
)
from congvu.emulation.models import Milestone, Registration, RegistrationList
from congvu.organisations.models import Staff, Unit

PAGE_SIZE = 25


def _int(request: HttpRequest, name: str) -> int | None:
    raw = request.GET.get(name, "")[:12]
    return int(raw) if raw.isdigit() else None


def _error(request: HttpRequest, error: ValidationError) -> None:
    messages.error(request, error.messages[0])


def _top_units(user: Any, action: Action) -> list[Unit]:
    """The current units at the top of the user's scope and the units right under them (the
    province and its departments and communes: what a movement or a cluster names)."""
    scope = permissions.unit_scope(user, action)
    rows = Unit.objects.filter(valid_to__isnull=True)
    if scope is not permissions.EVERYTHING:
        rows = rows.filter(pk__in=sorted(scope))
    ids = set(rows.values_list("pk", flat=True))
    tops = rows.exclude(parent_id__in=ids)
    top_ids = set(tops.values_list("pk", flat=True))
    return list(
        rows.filter(
            pk__in=top_ids | set(rows.filter(parent_id__in=top_ids).values_list("pk", flat=True))
        ).order_by("sort_key", "pk")
    )


# --- Movements ---------------------------------------------------------------------------------


@login_required
def movement_list(request: HttpRequest) -> HttpResponse:
    permissions.require(request.user, Action.EMULATION_VIEW)
    rows = selectors.movement_list_for_user(user=request.user).prefetch_related("milestones")
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("trang"))
    return render(
        request,
        "emulation/movement_list.html",
        {"page": page, "manages": permissions.may(request.user, Action.EMULATION_MANAGE)},
    )


def _movement_form(request: HttpRequest, movement: Any = None) -> MovementForm:
    from congvu.standards.models import Criterion

    units = _top_units(request.user, Action.EMULATION_MANAGE)
    movements = selectors.movement_list_for_user(user=request.user)
    if movement is not None:
        movements = movements.exclude(pk=movement.pk)
    criteria = Criterion.objects.filter(
        version__catalogue__code__in=("tap-the", "ca-nhan", "vhcv"), parent__isnull=True
    ).order_by("version__catalogue__code", "-version__effective_from", "order")
    initial: dict[str, Any] = {}
    if movement is not None:
        initial = {
            "name": movement.name,
            "launch_document": movement.launch_document,
            "launched_on": movement.launched_on,
            "start_year": movement.start_year,
            "end_year": movement.end_year,
            "owner": str(movement.owner_id),
            "for_collectives": movement.for_collectives,
            "for_individuals": movement.for_individuals,
            "content": movement.content,
            "predecessor": str(movement.predecessor_id or ""),
            "criteria": [str(pk) for pk in movement.criteria.values_list("pk", flat=True)],
        }
        for stone in movement.milestones.all():
            initial[f"{stone.kind}_year"] = stone.year
            initial[f"{stone.kind}_due"] = stone.due_on
            initial[f"{stone.kind}_held"] = stone.held_on
    return MovementForm(
        request.POST or None,
        units=units,
        movements=list(movements),
        criteria=list(criteria),
        initial=initial,
    )


def _movement_spec(form: MovementForm) -> services.MovementSpec:
    data = form.cleaned_data
    stones = []
    for kind in Milestone.KINDS:
        if data.get(f"{kind}_year"):
            stones.append(
                services.MilestoneSpec(
                    kind, data[f"{kind}_year"], data.get(f"{kind}_due"), data.get(f"{kind}_held")
                )
            )
    return services.MovementSpec(
        name=data["name"],
        launch_document=data["launch_document"],
        launched_on=data["launched_on"],
        start_year=data["start_year"],
        end_year=data["end_year"],
        owner=form.units[data["owner"]],
        for_collectives=data["for_collectives"],
        for_individuals=data["for_individuals"],
        content=data["content"],
        criteria=[form.criteria[k] for k in data["criteria"]],
        predecessor=form.movements.get(data["predecessor"] or ""),
        milestones=stones,
    )


def _movement_edit(request: HttpRequest, movement: Any = None) -> HttpResponse:
    form = _movement_form(request, movement)
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.movement_save(
                actor=request.user, spec=_movement_spec(form), movement=movement
            )
        except PermissionDenied:
            raise Http404 from None
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Đã lưu phong trào thi đua."))
            return redirect("emulation:movement_detail", pk=saved.pk)
    return render(
        request,
        "emulation/movement_form.html",
        {"form": form, "movement": movement},
        status=400 if form.errors else 200,
    )


@login_required
def movement_create(request: HttpRequest) -> HttpResponse:
    if not permissions.may(request.user, Action.EMULATION_MANAGE):
        raise Http404
    return _movement_edit(request)


def _movement_or_404(request: HttpRequest, pk: int) -> Any:
    movement = selectors.movement_get_for_user(user=request.user, pk=pk)
    if movement is None:
        raise Http404
    return movement


@login_required
def movement_edit(request: HttpRequest, pk: int) -> HttpResponse:
    movement = _movement_or_404(request, pk)
    if not access.movement_check_manage(request.user, movement):
        raise Http404
    return _movement_edit(request, movement)


@login_required
def movement_detail(request: HttpRequest, pk: int) -> HttpResponse:
    movement = _movement_or_404(request, pk)
    visible = selectors.movement_list_for_user(user=request.user)
    return render(
        request,
        "emulation/movement_detail.html",
        {
            "movement": movement,
            "milestones": list(movement.milestones.all()),
            "criteria": list(movement.criteria.order_by("stable_id")),
            "successors": list(visible.filter(predecessor=movement)),
            "manages": access.movement_check_manage(request.user, movement),
            "today": timezone.localdate(),
        },
    )


@login_required
@require_POST
def movement_review(request: HttpRequest, pk: int, milestone: int) -> HttpResponse:
    """Start the sơ kết / tổng kết report (Word or Excel) of a milestone as a background job."""
    movement = _movement_or_404(request, pk)
    if not access.movement_check_manage(request.user, movement):
        raise Http404
    stone = movement.milestones.filter(pk=milestone, kind__in=("so_ket", "tong_ket")).first()
    if stone is None:
        raise Http404
    kind = (
        exports.REVIEW_XLSX_KIND if request.POST.get("dang") == "xlsx" else exports.REVIEW_DOCX_KIND
    )
    try:
        job = jobs.job_start(
            actor=request.user,
            kind=kind,
            parameters={"movement": movement.pk, "milestone": stone.pk},
        )
    except ValidationError as error:
        _error(request, error)
        return redirect("emulation:movement_detail", pk=pk)
    return redirect("jobs:detail", pk=job.pk)


# --- Registrations -----------------------------------------------------------------------------


def _propose_units(request: HttpRequest) -> list[Unit]:
    """The current units the user builds lists for: those they head (with their subtree)."""
    scope = permissions.unit_scope(request.user, Action.EMULATION_PROPOSE)
    if permissions.may(request.user, Action.EMULATION_MANAGE):
        return []  # Sở Nội vụ reviews; the units build their own lists
    rows = Unit.objects.filter(valid_to__isnull=True)
    if scope is not permissions.EVERYTHING:
        rows = rows.filter(pk__in=sorted(scope))
    return list(rows.order_by("sort_key", "pk")[:200])


@login_required
def registration_index(request: HttpRequest) -> HttpResponse:
    """The lists of a year in the user's scope with their counts per title; the form that
    opens a unit's list; the year's totals and export."""
    permissions.require(request.user, Action.EMULATION_VIEW)
    today = timezone.localdate()
    year = _int(request, "nam") or today.year
    if not 2000 <= year <= 2100:
        year = today.year
    lists = selectors.registration_lists_for_user(user=request.user).filter(year=year)
    state = request.GET.get("trang_thai", "")
    shown = lists.filter(state=state) if state in RegistrationList.STATES else lists
    page = Paginator(shown.order_by("unit__sort_key", "pk"), PAGE_SIZE).get_page(
        request.GET.get("trang")
    )
    counts = selectors.registration_counts(lists.filter(pk__in=[r.pk for r in page]))
    names = translated(rules.AWARD_NAMES)
    rows = [
        {
            "list": row,
            "counts": [(names[a], n) for a, n in sorted(counts[row.pk].items())],
            "total": sum(counts[row.pk].values()),
        }
        for row in page
    ]
    units = _propose_units(request)
    query = request.GET.copy()
    query.pop("trang", None)
    return render(
        request,
        "emulation/registration_index.html",
        {
            "year": year,
            "years": list(range(today.year + 1, today.year - 6, -1)),
            "page": page,
            "rows": rows,
            "paging": query.urlencode(),
            "state": state,
            "states": translated(RegistrationList.STATES),
            "totals": [(names[c], n) for c, _name, n in selectors.registration_totals(lists)],
            "open_form": OpenListForm(
                units=units,
                movements=_open_movements(request, year),
                initial={"year": year},
            )
            if units
            else None,
        },
    )


def _open_movements(request: HttpRequest, year: int | None = None) -> list[Any]:
    rows = selectors.movement_list_for_user(user=request.user)
    if year:
        rows = rows.filter(start_year__lte=year, end_year__gte=year)
    return list(rows)


@login_required
@require_POST
def registration_open(request: HttpRequest) -> HttpResponse:
    units = _propose_units(request)
    if not units:
        raise Http404
    form = OpenListForm(request.POST, units=units, movements=_open_movements(request))
    if not form.is_valid():
        messages.error(request, _("Cần chọn đơn vị và năm (2000–2100)."))
        return redirect("emulation:registration_index")
    data = form.cleaned_data
    try:
        found = services.registration_list_open(
            actor=request.user,
            unit=form.units[data["unit"]],
            year=data["year"],
            movement=form.movements.get(data["movement"] or ""),
        )
    except PermissionDenied:
        raise Http404 from None
    except ValidationError as error:
        _error(request, error)
        return redirect("emulation:registration_index")
    return redirect("emulation:registration_detail", pk=found.pk)


def _list_or_404(request: HttpRequest, pk: int) -> Any:
    found = selectors.registration_list_get_for_user(user=request.user, pk=pk)
    if found is None:
        raise Http404
    return found


def _unit_staff(registration_list: Any) -> list[Staff]:
    return list(
        Staff.objects.filter(unit_id=registration_list.unit_id, is_active=True).order_by(
            "sort_key", "pk"
        )
    )


@login_required
def registration_detail(request: HttpRequest, pk: int) -> HttpResponse:
    found = _list_or_404(request, pk)
    editable = found.state in ("draft", "returned") and access.registration_check_edit(
        request.user, found
    )
    return render(
        request,
        "emulation/registration_detail.html",
        {
            "list": found,
            "lines": list(selectors.registration_lines(found)),
            "editable": editable,
            "line_form": LineForm(staff=_unit_staff(found)) if editable else None,
            "reviews": found.state == "submitted"
            and access.registration_check_review(request.user, found),
            "review_form": ReviewForm(),
        },
    )


@login_required
@require_POST
def registration_line_add(request: HttpRequest, pk: int) -> HttpResponse:
    found = _list_or_404(request, pk)
    form = LineForm(request.POST, staff=_unit_staff(found))
    if not form.is_valid():
        messages.error(request, _("Cần chọn danh hiệu và người đăng ký thuộc đơn vị."))
        return redirect("emulation:registration_detail", pk=pk)
    data = form.cleaned_data
    try:
        services.registration_add(
            actor=request.user,
            registration_list=found,
            award=data["award"],
            staff=form.staff.get(data["staff"] or ""),
        )
    except PermissionDenied:
        raise Http404 from None
    except ValidationError as error:
        _error(request, error)
    else:
        messages.success(request, _("Đã thêm vào bản đăng ký."))
    return redirect("emulation:registration_detail", pk=pk)


@login_required
@require_POST
def registration_line_remove(request: HttpRequest, pk: int) -> HttpResponse:
    visible = selectors.registration_lists_for_user(user=request.user)
    line = (
        Registration.objects.filter(pk=pk, registration_list__in=visible)
        .select_related("registration_list__unit")
        .first()
    )
    if line is None:
        raise Http404
    try:
        services.registration_remove(actor=request.user, line=line)
    except PermissionDenied:
        raise Http404 from None
    except ValidationError as error:
        _error(request, error)
    else:
        messages.success(request, _("Đã bỏ dòng đăng ký."))
    return redirect("emulation:registration_detail", pk=line.registration_list_id)


@login_required
@require_POST
def registration_submit(request: HttpRequest, pk: int) -> HttpResponse:
    found = _list_or_404(request, pk)
    try:
        services.registration_submit(actor=request.user, registration_list=found)
    except PermissionDenied:
        raise Http404 from None
    except ValidationError as error:
        _error(request, error)
    else:
        messages.success(request, _("Đã gửi bản đăng ký thi đua đến Sở Nội vụ."))
    return redirect("emulation:registration_detail", pk=pk)


@login_required
@require_POST
def registration_review(request: HttpRequest, pk: int) -> HttpResponse:
    found = _list_or_404(request, pk)
    form = ReviewForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Thao tác không hợp lệ."))
        return redirect("emulation:registration_detail", pk=pk)
    accept = form.cleaned_data["decision"] == "accept"
    try:
        services.registration_review(
            actor=request.user,
            registration_list=found,
            accept=accept,
            comment=form.cleaned_data["comment"],
        )
    except PermissionDenied:
        raise Http404 from None
    except ValidationError as error:
        _error(request, error)
    else:
        messages.success(
            request, _("Đã tiếp nhận bản đăng ký.") if accept else _("Đã trả lại bản đăng ký.")
        )
    return redirect("emulation:registration_detail", pk=pk)


@login_required
@require_POST
def registration_export(request: HttpRequest) -> HttpResponse:
    permissions.require(request.user, Action.EMULATION_VIEW)
    raw = request.POST.get("nam", "")[:4]
    year = int(raw) if raw.isdigit() and 2000 <= int(raw) <= 2100 else timezone.localdate().year
    try:
        job = jobs.job_start(
            actor=request.user, kind=exports.REGISTRATIONS_KIND, parameters={"year": year}
        )
    except ValidationError as error:
        _error(request, error)
        return redirect("emulation:registration_index")
    return redirect("jobs:detail", pk=job.pk)


# --- Clusters ----------------------------------------------------------------------------------


@login_required
def cluster_list(request: HttpRequest) -> HttpResponse:
    permissions.require(request.user, Action.EMULATION_VIEW)
    manages = permissions.may(request.user, Action.EMULATION_MANAGE)
    rows = selectors.cluster_years_for_user(user=request.user).prefetch_related("members")
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("trang"))
    return render(
        request,
        "emulation/cluster_list.html",
        {
            "page": page,
            "manages": manages,
            "clusters": list(selectors.clusters_for_user(user=request.user)[:200]),
            "cluster_form": ClusterForm() if manages else None,
        },
    )


@login_required
@require_POST
def cluster_create(request: HttpRequest) -> HttpResponse:
    if not permissions.may(request.user, Action.EMULATION_MANAGE):
        raise Http404
    form = ClusterForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Cần ghi tên và chọn loại cụm, khối."))
        return redirect("emulation:cluster_list")
    try:
        cluster = services.cluster_create(
            actor=request.user, name=form.cleaned_data["name"], kind=form.cleaned_data["kind"]
        )
    except ValidationError as error:
        _error(request, error)
        return redirect("emulation:cluster_list")
    messages.success(request, _("Đã tạo cụm, khối thi đua."))
    return redirect("emulation:cluster_year_create", cluster=cluster.pk)


def _cluster_year_edit(
    request: HttpRequest, cluster: Any, cluster_year: Any = None
) -> HttpResponse:
    units = _top_units(request.user, Action.EMULATION_MANAGE)
    initial: dict[str, Any] = {"year": timezone.localdate().year}
    if cluster_year is not None:
        initial = {
            "year": cluster_year.year,
            "members": [str(pk) for pk in cluster_year.members.values_list("pk", flat=True)],
            "leader": str(cluster_year.leader_id or ""),
            "criteria": "\n".join(
                f"{c['code']} | {c['text']} | {c['max']}" for c in cluster_year.criteria
            ),
        }
    form = ClusterYearForm(request.POST or None, units=units, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            saved = services.cluster_year_save(
                actor=request.user,
                cluster=cluster,
                year=data["year"],
                members=[form.units[k] for k in data["members"]],
                leader=form.units.get(data["leader"] or ""),
                criteria_text=data["criteria"],
                cluster_year=cluster_year,
            )
        except PermissionDenied:
            raise Http404 from None
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Đã lưu năm thi đua của cụm, khối."))
            return redirect("emulation:cluster_year_detail", pk=saved.pk)
    return render(
        request,
        "emulation/cluster_year_form.html",
        {"form": form, "cluster": cluster, "cluster_year": cluster_year},
        status=400 if form.errors else 200,
    )


@login_required
def cluster_year_create(request: HttpRequest, cluster: int) -> HttpResponse:
    if not permissions.may(request.user, Action.EMULATION_MANAGE):
        raise Http404
    found = permissions.first_by_pk(selectors.clusters_for_user(user=request.user), cluster)
    if found is None:
        raise Http404
    return _cluster_year_edit(request, found)


def _cluster_year_or_404(request: HttpRequest, pk: int) -> Any:
    found = selectors.cluster_year_get_for_user(user=request.user, pk=pk)
    if found is None:
        raise Http404
    return found


def _manages_cluster(request: HttpRequest, cluster_year: Any) -> bool:
    return access.CLUSTER_YEAR.allows(request.user, Action.EMULATION_MANAGE, cluster_year)


@login_required
def cluster_year_edit(request: HttpRequest, pk: int) -> HttpResponse:
    found = _cluster_year_or_404(request, pk)
    if not _manages_cluster(request, found):
        raise Http404
    return _cluster_year_edit(request, found.cluster, found)


@login_required
def cluster_year_detail(request: HttpRequest, pk: int) -> HttpResponse:
    found = _cluster_year_or_404(request, pk)
    members = list(found.members.order_by("sort_key", "pk"))
    return render(
        request,
        "emulation/cluster_year_detail.html",
        {
            "cy": found,
            "members": members,
            "manages": _manages_cluster(request, found),
            "scorers": access.headed_units(request.user, [u.pk for u in members]),
        },
    )


@login_required
@require_POST
def cluster_scoring(request: HttpRequest, pk: int) -> HttpResponse:
    """Sở Nội vụ opens (``thao_tac=mo``) or closes (``chot``) the scoring."""
    found = _cluster_year_or_404(request, pk)
    if not _manages_cluster(request, found):
        raise Http404
    closing = request.POST.get("thao_tac") == "chot"
    move = services.cluster_scoring_close if closing else services.cluster_scoring_open
    try:
        move(actor=request.user, cluster_year=found)
    except ValidationError as error:
        _error(request, error)
    else:
        messages.success(request, _("Đã chốt xếp hạng.") if closing else _("Đã mở chấm điểm chéo."))
    return redirect("emulation:cluster_year_detail", pk=pk)


@login_required
def cluster_score(request: HttpRequest, pk: int) -> HttpResponse:
    """A member's head scores every other member on every criterion."""
    found = _cluster_year_or_404(request, pk)
    members = list(found.members.order_by("sort_key", "pk"))
    headed = access.headed_units(request.user, [u.pk for u in members])
    if not headed:
        raise Http404
    wanted = _int(request, "don_vi") if request.method == "GET" else None
    if request.method == "POST":
        raw = request.POST.get("don_vi", "")[:12]
        wanted = int(raw) if raw.isdigit() else None
    scorer_id = wanted if wanted in headed else headed[0]
    scorer = next(u for u in members if u.pk == scorer_id)
    others = [u for u in members if u.pk != scorer.pk]
    if request.method == "POST":
        points = {
            (unit.pk, c["code"]): request.POST.get(f"d-{unit.pk}-{c['code']}", "")[:20]
            for unit in others
            for c in found.criteria
        }
        try:
            services.cluster_scores_set(
                actor=request.user, cluster_year=found, scorer=scorer, points=points
            )
        except PermissionDenied:
            raise Http404 from None
        except ValidationError as error:
            _error(request, error)
        else:
            messages.success(request, _("Đã lưu điểm chấm."))
            return redirect(f"{request.path}?don_vi={scorer.pk}")
    sheet = selectors.score_sheet(found, scorer)
    rows = [
        {
            "unit": unit,
            "cells": [
                {
                    "name": f"d-{unit.pk}-{c['code']}",
                    "code": c["code"],
                    "text": c.get("text", ""),
                    "max": c["max"],
                    "value": request.POST.get(f"d-{unit.pk}-{c['code']}", "")
                    if request.method == "POST"
                    else sheet.get((unit.pk, c["code"]), ""),
                }
                for c in found.criteria
            ],
        }
        for unit in others
    ]
    return render(
        request,
        "emulation/cluster_score.html",
        {
            "cy": found,
            "scorer": scorer,
            "headed": [u for u in members if u.pk in headed],
            "rows": rows,
        },
        status=400 if request.method == "POST" else 200,
    )


@login_required
def cluster_ranking(request: HttpRequest, pk: int) -> HttpResponse:
    """The ranking: Sở Nội vụ at any time, the members once it is closed."""
    found = _cluster_year_or_404(request, pk)
    manages = _manages_cluster(request, found)
    if not manages and found.ranked_at is None:
        raise Http404
    day = timezone.localtime(found.ranked_at).date() if found.ranked_at else timezone.localdate()
    return render(
        request,
        "emulation/cluster_ranking.html",
        {
            "cy": found,
            "ranking": selectors.cluster_ranking(found, day),
            "places": selectors.flag_places(day),
        },
    )
