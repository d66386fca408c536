"""Pages of a unit's own (collective) assessment against the collective catalogue.

The unit's head (its respondent) fills it in, attaches evidence and submits on "Đánh giá của
tôi" (``views.my_detail``, the same page as an official's); a reviewer with an account finds
it in "Đánh giá cán bộ" too. Here: Sở Nội vụ's list of the units' assessments, and one
unit's assessment where each role acts as ``evaluations.access.evaluation_roles`` and the workflow
say — the reviewer reviews or returns (Sở Nội vụ where the unit has no superior with an
account), Sở Nội vụ in the council's place concludes, publishes, returns or reopens. Others
who see the unit read it. Thin: parse, call one service, render.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from congvu.core import permissions
from congvu.core.labels import translated
from congvu.core.permissions import Action
from congvu.evaluations import regimes, rules, selectors, selectors_cycles, services, workflow
from congvu.evaluations.models import CycleStatus, Evaluation
from congvu.evaluations.services import ManagerScore
from congvu.evaluations.view_helpers import Row, criterion_rows, posted_scores, posted_text
from congvu.evaluations.workflow import SELF, Move, State

PAGE_SIZE = 50
DONE = {
    "xem_xet": gettext_lazy("Đã ghi nhận xét, đánh giá."),
    "tra_lai": gettext_lazy("Đã trả lại phiếu."),
    "ket_luan": gettext_lazy("Đã kết luận, xếp loại tập thể."),
    "cong_bo": gettext_lazy("Đã công bố kết quả; kết quả bị khóa."),
    "mo_lai": gettext_lazy("Đã mở lại kết quả đã công bố."),
    "nguoi_dai_dien": gettext_lazy("Đã giao người tự đánh giá thay mặt đơn vị."),
}


@login_required
def collective_index(request: HttpRequest) -> HttpResponse:
    permissions.require(request.user, Action.EVALUATION_OVERSEE)
    cycles = list(selectors_cycles.collective_cycles(user=request.user))
    wanted = request.GET.get("ky", "")
    cycle = next((c for c in cycles if str(c.pk) == wanted), cycles[0] if cycles else None)
    state = request.GET.get("trang_thai", "")
    state = state if state in workflow.STATE_NAMES else ""
    evaluations = Evaluation.objects.none()
    if cycle is not None:
        evaluations = selectors_cycles.collective_evaluations(user=request.user, cycle=cycle)
        if state:
            evaluations = evaluations.filter(state=state)
    page = Paginator(evaluations, PAGE_SIZE).get_page(request.GET.get("trang"))
    for evaluation in page:
        evaluation.days_late = selectors_cycles.late_today(evaluation)
    paging = urlencode({"ky": cycle.pk, "trang_thai": state}) if cycle else ""
    return render(
        request,
        "evaluations/collective_index.html",
        {
            "cycles": cycles,
            "cycle": cycle,
            "state": state,
            "page": page,
            "paging": paging,
            "states": list(translated(workflow.STATE_NAMES).items()),
        },
    )


def _may(evaluation: Evaluation, move: Move, roles: frozenset[str]) -> bool:
    """Whether the move is the actor's to make now (a comment is checked on submission)."""
    if evaluation.cycle.status != CycleStatus.OPEN and move != Move.REOPEN:
        return False
    return workflow.allowed(evaluation.state, move, roles, comment="-").ok


def _manager_changes(request: HttpRequest, rows: list[Row]) -> dict[str, ManagerScore]:
    """The reviewer's scores as posted (a score equal to the one in force is no change)."""
    return posted_scores(request, rows, note_field="ly_do", make=ManagerScore)


def _level_choices(evaluation: Evaluation) -> list[tuple[str, str]]:
    """The levels Sở Nội vụ may conclude: the level by the rules or a lower one."""
    level = evaluation.proposed_level
    if level not in regimes.LEVELS:
        return []
    return [
        (lvl, translated(regimes.LEVEL_NAMES)[lvl])
        for lvl in regimes.LEVELS
        if rules.RANK[lvl] <= rules.RANK[level]
    ]


def _apply(request: HttpRequest, evaluation: Evaluation, action: str, rows: list[Row]) -> None:
    """Run the posted action through its service (raises ValidationError on refusal)."""
    actor, comment = request.user, posted_text(request, "y_kien")
    if action == "xem_xet":
        services.manager_review(
            actor=actor,
            evaluation=evaluation,
            changes=_manager_changes(request, rows),
            comment=posted_text(request, "nhan_xet"),
        )
    elif action == "tra_lai":
        text = posted_text(request, "nhan_xet") if evaluation.state == State.SUBMITTED else comment
        services.return_to(actor=actor, evaluation=evaluation, comment=text)
    elif action == "ket_luan":
        level = request.POST.get("muc", "")[:8]
        levels = {evaluation.pk: level} if level and level != evaluation.proposed_level else {}
        services.council_conclude(
            actor=actor, evaluations=[evaluation], levels=levels, comment=comment
        )
    elif action == "cong_bo":
        services.publish(actor=actor, evaluations=[evaluation])
    elif action == "mo_lai":
        services.reopen(actor=actor, evaluation=evaluation, reason=comment)
    elif action == "nguoi_dai_dien":
        chosen = request.POST.get("nguoi", "")
        user = (
            services.respondent_candidates(evaluation)
            .filter(
                pk=int(chosen) if chosen.isascii() and chosen.isdigit() and len(chosen) < 12 else 0
            )
            .first()
        )
        if user is None:
            raise ValidationError(_("Hãy chọn một cán bộ của đơn vị có tài khoản."))
        services.respondent_set(actor=actor, evaluation=evaluation, user=user)
    else:
        raise ValidationError(_("Hãy chọn một thao tác."))


def _management(request: HttpRequest, evaluation: Evaluation) -> tuple[bool, tuple | None]:
    """Whether the user names who answers for the unit (the cycle's manager, while it is a
    draft), and where the breadcrumb leads: the units' list, the cycle, or nowhere."""
    cycle = evaluation.cycle
    manages = permissions.can(request.user, Action.EVALUATION_MANAGE, cycle.root_unit)
    names = manages and evaluation.state == State.DRAFT and cycle.status != CycleStatus.CLOSED
    if permissions.may(request.user, Action.EVALUATION_OVERSEE):
        url = reverse("evaluations:collective_index") + f"?ky={cycle.pk}"
        return names, (url, _("Đánh giá tập thể"))
    if manages:
        return names, (reverse("evaluations:cycle_detail", args=[cycle.pk]), _("Kỳ đánh giá"))
    return names, None


@login_required
@require_http_methods(["GET", "POST"])
def collective_detail(request: HttpRequest, cycle_pk: int, unit_pk: int) -> HttpResponse:
    evaluation = selectors_cycles.collective_get(
        user=request.user, cycle_pk=cycle_pk, unit_pk=unit_pk
    )
    if evaluation is None:
        raise Http404
    roles = services.roles_of(request.user, evaluation)
    if roles == {SELF}:  # the unit's head fills it in on their own page
        return redirect("evaluations:my_detail", pk=evaluation.pk)
    rows = criterion_rows(evaluation)
    errors: list[str] = []
    action = next((name for name in DONE if name in request.POST), "")
    if request.method == "POST":
        try:
            _apply(request, evaluation, action, rows)
        except ValidationError as error:
            errors = list(error.messages)
        else:
            messages.success(request, DONE[action])
            return redirect(
                "evaluations:collective_detail", evaluation.cycle_id, evaluation.unit_id
            )
    reviewable = _may(evaluation, Move.REVIEW, roles)
    for row in rows:
        if row.leaf is not None and row.score is not None and not row.value:
            effective = row.score.effective
            row.value = "" if effective is None else str(effective)
            row.note = row.note or row.score.manager_reason
    moves, changes = selectors.evaluation_history(evaluation=evaluation)
    names_respondent, back = _management(request, evaluation)
    return render(
        request,
        "evaluations/collective_detail.html",
        {
            "evaluation": evaluation,
            "rows": rows,
            "errors": errors,
            "reviewable": reviewable,
            "returnable": _may(evaluation, Move.RETURN, roles),
            "concludable": _may(evaluation, Move.CONCLUDE, roles),
            "publishable": _may(evaluation, Move.PUBLISH, roles),
            "reopenable": _may(evaluation, Move.REOPEN, roles),
            "levels": _level_choices(evaluation),
            "chosen": request.POST.get("muc", ""),
            "comment": posted_text(request, "y_kien"),
            "review_comment": (
                posted_text(request, "nhan_xet")
                if request.method == "POST"
                else evaluation.manager_comment
            ),
            "days_late": selectors_cycles.late_today(evaluation),
            "moves": moves,
            "changes": changes,
            "names_respondent": names_respondent,
            "back": back,
            "candidates": services.respondent_candidates(evaluation).select_related("staff")
            if names_respondent
            else [],
        },
    )
