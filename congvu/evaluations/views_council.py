"""Pages of the council ("Hội đồng đánh giá") and of Sở Nội vụ ("Tiến độ đánh giá"). Thin:
check access with the permission module, call a selector or a service, render or export.

The council (or the head) of a unit concludes and publishes its list (``evaluation.conclude``
on the unit); Sở Nội vụ (``evaluation.oversee``) follows a cycle's progress per unit and opens
a unit's list read-only. Anybody else gets 404 for a unit's list and 403 for the indexes.
"""

from dataclasses import dataclass
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from congvu.core import permissions
from congvu.core.labels import translated
from congvu.core.logging import log_event
from congvu.core.permissions import Action
from congvu.evaluations import documents, regimes, rules, selectors, services, summary
from congvu.evaluations.access import COUNCIL
from congvu.evaluations.models import CouncilDecision, CycleStatus, Evaluation, EvaluationCycle
from congvu.evaluations.view_helpers import posted_text
from congvu.evaluations.workflow import STATE_NAMES, State
from congvu.organisations.models import Unit

CONCLUDABLE = (State.REVIEWED, State.CONCLUDED)
LEVEL_LABELS = translated(regimes.LEVEL_NAMES)


def _require_may(request: HttpRequest, *actions: Action) -> None:
    if not any(permissions.may(request.user, action) for action in actions):
        log_event("access.denied", user=request.user.pk, path=request.path)
        raise PermissionDenied


def _cycle_unit(request: HttpRequest, cycle_pk: int, unit_pk: int):
    """The cycle and the unit, and whether the user concludes (else reads, Sở Nội vụ): 404
    for anybody with neither right on the unit."""
    cycle = EvaluationCycle.objects.exclude(status=CycleStatus.DRAFT).filter(pk=cycle_pk).first()
    unit = Unit.objects.filter(pk=unit_pk).first()
    if cycle is None or unit is None:
        raise Http404
    concludes = unit.pk in permissions.unit_scope(request.user, Action.EVALUATION_CONCLUDE)
    oversees = unit.pk in permissions.unit_scope(request.user, Action.EVALUATION_OVERSEE)
    if not (concludes or oversees):
        raise Http404
    listing = selectors.council_list(user=request.user, cycle=cycle, unit=unit)
    if listing is None or not Evaluation.objects.filter(cycle=cycle, unit=unit).exists():
        raise Http404
    return cycle, unit, listing, concludes


@dataclass
class LineView:
    """One official on the council's page, with the levels the council may choose."""

    row: object  # selectors.CouncilRow
    choices: list[tuple[str, str]]
    chosen: str
    over_cap: bool


def _lines(rows, listing, concludable_pks: set[int], posted: dict[int, str]) -> list[LineView]:
    over = {pk for check in listing.exceeded for pk in check.candidates}
    lines = []
    for row in rows:
        e = row.evaluation
        rule_level = e.proposed_level
        choices = []
        if e.pk in concludable_pks and rule_level in regimes.LEVELS:
            choices = [
                (lvl, LEVEL_LABELS[lvl])
                for lvl in regimes.LEVELS
                if rules.RANK[lvl] <= rules.RANK[rule_level]
            ]
        chosen = posted.get(e.pk) or row.level or rule_level
        lines.append(LineView(row, choices, chosen, e.pk in over))
    return lines


@login_required
def council_index(request: HttpRequest) -> HttpResponse:
    _require_may(request, Action.EVALUATION_CONCLUDE)
    qs = Evaluation.objects.filter(staff__isnull=False).exclude(cycle__status=CycleStatus.DRAFT)
    qs = permissions.filter_by_unit_field(request.user, Action.EVALUATION_CONCLUDE, qs, "unit_id")
    lists = (
        qs.order_by("-cycle__end_date", "cycle_id", "unit__sort_key")
        .values("cycle_id", "cycle__title", "unit_id", "unit__name")
        .annotate(n=Count("pk"))
    )
    return render(request, "evaluations/council_index.html", {"lists": list(lists)})


COUNCIL_PAGE_SIZE = 100


def _groups(listing) -> list[tuple[str, int]]:
    """The groups of the unit's list in its order (by group), with how many officials each."""
    counts: dict[str, int] = {}
    for row in listing.rows:
        counts[row.evaluation.group] = counts.get(row.evaluation.group, 0) + 1
    return list(counts.items())


def _kept_levels(listing, concludable_pks: set[int], shown: set[int]) -> dict[int, str]:
    """The levels already chosen for rows not on this page: the conclusion covers the whole
    unit, so a level lowered on another group's page stays lowered."""
    return {
        row.evaluation.pk: row.level
        for row in listing.rows
        if row.evaluation.pk in concludable_pks
        and row.evaluation.pk not in shown
        and row.level
        and row.level != row.evaluation.proposed_level
    }


@login_required
def council_detail(request: HttpRequest, cycle_pk: int, unit_pk: int) -> HttpResponse:
    cycle, unit, listing, concludes = _cycle_unit(request, cycle_pk, unit_pk)
    editable = concludes and cycle.status == CycleStatus.OPEN
    evaluations = [row.evaluation for row in listing.rows]
    # Nobody judges themself: the head's own evaluation is left to whoever may conclude it.
    ours = [e for e in evaluations if COUNCIL in services.roles_of(request.user, e)]
    concludable = [e for e in ours if e.state in CONCLUDABLE and not e.locked]
    publishable = [e for e in ours if e.state == State.CONCLUDED]
    groups = _groups(listing)
    group = request.GET.get("nhom", "")[:128]
    if group not in dict(groups):
        group = groups[0][0] if groups else ""
    rows = [row for row in listing.rows if row.evaluation.group == group]
    page = Paginator(rows, COUNCIL_PAGE_SIZE).get_page(request.GET.get("trang"))
    shown = {row.evaluation.pk for row in page}
    errors: list[str] = []
    posted: dict[int, str] = {}
    comment, confirm = "", False
    if request.method == "POST" and editable:
        if "cong_bo" in request.POST:
            try:
                if not publishable:
                    raise ValidationError(_("Chưa có kết quả nào đã kết luận để công bố."))
                count = services.publish(actor=request.user, evaluations=publishable)
                messages.success(request, _("Đã công bố %(n)s kết quả.") % {"n": count})
                return redirect(_here(cycle, unit, request))
            except ValidationError as error:
                errors = list(error.messages)
        else:
            comment = posted_text(request, "y_kien")
            confirm = request.POST.get("xac_nhan") == "1"
            levels = _kept_levels(listing, {e.pk for e in concludable}, shown)
            for e in concludable:
                if e.pk not in shown:
                    continue
                value = request.POST.get(f"muc_{e.pk}", "")[:8]
                if value:
                    posted[e.pk] = value
                    if value != e.proposed_level:
                        levels[e.pk] = value
            try:
                if not concludable:
                    raise ValidationError(_("Chưa có phiếu nào chờ hội đồng kết luận."))
                services.council_conclude(
                    actor=request.user,
                    evaluations=concludable,
                    levels=levels,
                    confirm_over_cap=confirm,
                    comment=comment,
                )
                messages.success(request, _("Hội đồng đã kết luận danh sách."))
                return redirect(_here(cycle, unit, request))
            except ValidationError as error:
                errors = list(error.messages)
    concludable_pks = {e.pk for e in concludable} if editable else set()
    names = {row.evaluation.pk: row.evaluation.staff.full_name for row in listing.rows}
    caps = [(check, [names.get(pk, pk) for pk in check.candidates]) for check in listing.caps]
    decisions = CouncilDecision.objects.filter(cycle=cycle, unit=unit).select_related("actor")
    return render(
        request,
        "evaluations/council_detail.html",
        {
            "cycle": cycle,
            "unit": unit,
            "listing": listing,
            "caps": caps,
            "lines": _lines(page, listing, concludable_pks, posted),
            "editable": editable,
            "groups": groups,
            "group": group,
            "page": page,
            "total": len(listing.rows),
            "paging": urlencode({"nhom": group}),
            "concludable_count": len(concludable),
            "can_conclude": editable and bool(concludable),
            "can_publish": editable and bool(publishable),
            "errors": errors,
            "comment": comment,
            "confirm": confirm,
            "decisions": decisions.order_by("at", "pk"),
        },
    )


def _here(cycle: EvaluationCycle, unit: Unit, request: HttpRequest) -> str:
    """The council page as it was shown (group and page), after a conclusion or publication."""
    query = request.GET.urlencode()
    url = reverse("evaluations:council_detail", args=[cycle.pk, unit.pk])
    return f"{url}?{query}" if query else url


def _attachment(content: bytes, kind: str, name: str) -> HttpResponse:
    response = HttpResponse(content, content_type=kind)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@login_required
def council_minutes(request: HttpRequest, cycle_pk: int, unit_pk: int) -> HttpResponse:
    cycle, unit, listing, _concludes = _cycle_unit(request, cycle_pk, unit_pk)
    decisions = list(CouncilDecision.objects.filter(cycle=cycle, unit=unit).order_by("at", "pk"))
    content = documents.minutes_docx(
        cycle=cycle, listing=listing, decisions=decisions, today=timezone.localdate()
    )
    log_event("export.council_minutes", user=request.user.pk, cycle=cycle.pk, unit=unit.pk)
    return _attachment(content, documents.DOCX_TYPE, f"bien-ban-{cycle.pk}-{unit.code}.docx")


@login_required
def council_export(request: HttpRequest, cycle_pk: int, unit_pk: int) -> HttpResponse:
    cycle, unit, listing, _concludes = _cycle_unit(request, cycle_pk, unit_pk)
    log_event("export.council_list", user=request.user.pk, cycle=cycle.pk, unit=unit.pk)
    content = documents.council_xlsx(listing)
    return _attachment(content, documents.XLSX_TYPE, f"xep-loai-{cycle.pk}-{unit.code}.xlsx")


# --- Sở Nội vụ: progress of a cycle ------------------------------------------------------


def _overseen_cycles(request: HttpRequest):
    qs = EvaluationCycle.objects.exclude(status=CycleStatus.DRAFT).select_related("root_unit")
    qs = permissions.filter_by_unit_field(
        request.user, Action.EVALUATION_OVERSEE, qs, "root_unit_id"
    )
    return qs.order_by("-end_date", "-pk")


@login_required
def progress_index(request: HttpRequest) -> HttpResponse:
    _require_may(request, Action.EVALUATION_OVERSEE)
    return render(request, "evaluations/progress_index.html", {"cycles": _overseen_cycles(request)})


def _progress(request: HttpRequest, cycle_pk: int):
    cycle = _overseen_cycles(request).filter(pk=cycle_pk).first()
    if cycle is None:
        raise Http404
    return cycle, selectors.cycle_progress(user=request.user, cycle=cycle)


@login_required
def progress_detail(request: HttpRequest, cycle_pk: int) -> HttpResponse:
    cycle, progress = _progress(request, cycle_pk)
    states = [(state, translated(STATE_NAMES)[state]) for state in documents.STATES]
    rows = [(p, [p.counts.get(state, 0) for state in documents.STATES]) for p in progress]
    return render(
        request,
        "evaluations/progress_detail.html",
        {"cycle": cycle, "states": states, "rows": rows, **_levels(cycle, progress)},
    )


def _levels(cycle: EvaluationCycle, progress) -> dict:
    """The levels (stored, or projected for lists awaiting the council) and the groups over
    the HTXS cap, per unit in the user's scope: set-based over the whole cycle (B3)."""
    if cycle.subject != "individual" or not progress:
        return {}
    found = summary.cycle_summary(cycle, unit_ids={p.unit_id for p in progress})
    levels = (*regimes.LEVELS, regimes.KXL)
    level_rows = [
        (
            p,
            [found.levels[p.unit_id].get(level, 0) for level in levels],
            [c for c in found.caps_of(p.unit_id) if c.exceeded],
        )
        for p in progress
        if p.unit_id in found.levels
    ]
    return {
        "levels": [(level, LEVEL_LABELS[level]) for level in levels],
        "level_rows": level_rows,
        "over_cap": sum(len(row[2]) for row in level_rows),
        "unclassified": len(found.problems),
    }


@login_required
def progress_export(request: HttpRequest, cycle_pk: int) -> HttpResponse:
    cycle, progress = _progress(request, cycle_pk)
    log_event("export.cycle_progress", user=request.user.pk, cycle=cycle.pk)
    return _attachment(
        documents.progress_xlsx(progress), documents.XLSX_TYPE, f"tien-do-{cycle.pk}.xlsx"
    )
