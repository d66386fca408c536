"""Pages of the evaluation cycles: my evaluation and my team's. Thin: parse, call a service or
a selector, render. Every write goes through ``congvu.evaluations.services``."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from congvu.core.labels import translated
from congvu.core.notifications import notifications_for_user
from congvu.evaluations import classification, selectors, services, workflow
from congvu.evaluations.models import CycleStatus, Evaluation
from congvu.evaluations.services import ManagerScore, SelfScore
from congvu.evaluations.services.common import task_max_of
from congvu.evaluations.view_helpers import criterion_rows, posted_scores, posted_text
from congvu.evaluations.workflow import Edit, Move


def _errors(error: ValidationError) -> list[str]:
    return list(error.messages)


def _own_evaluation(request: HttpRequest, pk: int) -> Evaluation:
    evaluation = (
        selectors.my_evaluations(user=request.user)
        .select_related("cycle__catalogue_version")
        .filter(pk=pk)
        .first()
    )
    if evaluation is None:
        raise Http404
    return evaluation


@login_required
def my_list(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "evaluations/my_list.html",
        {
            "evaluations": selectors.my_evaluations(user=request.user),
            "notifications": notifications_for_user(user=request.user)[:10],
        },
    )


def _self_editable(evaluation: Evaluation, roles) -> bool:
    return (
        evaluation.cycle.status == CycleStatus.OPEN
        and workflow.may_edit(evaluation.state, Edit.SELF_SCORE, roles) is None
    )


@login_required
def my_detail(request: HttpRequest, pk: int) -> HttpResponse:
    evaluation = _own_evaluation(request, pk)
    roles = services.roles_of(request.user, evaluation)
    editable = _self_editable(evaluation, roles)
    rows = criterion_rows(evaluation)
    errors: list[str] = []
    task_value = evaluation.self_task_points
    comment = evaluation.self_comment
    if request.method == "POST" and editable:
        scores = posted_scores(request, rows, note_field="ghi_chu", make=SelfScore)
        task_value = posted_text(request, "nhiem_vu").strip().replace(",", ".")
        comment = posted_text(request, "nhan_xet")
        try:
            services.self_assess(
                actor=request.user,
                evaluation=evaluation,
                scores=scores,
                task_points=task_value if task_value and task_max_of(evaluation) else None,
                comment=comment,
            )
            if "nop" in request.POST:
                services.submit(actor=request.user, evaluation=evaluation)
                messages.success(request, _("Đã nộp bản tự đánh giá."))
            else:
                messages.success(request, _("Đã lưu bản nháp."))
            return redirect("evaluations:my_detail", pk=evaluation.pk)
        except ValidationError as error:
            errors = _errors(error)
            if "nop" in request.POST:  # the draft itself was saved
                messages.info(request, _("Đã lưu bản nháp nhưng chưa nộp được."))
                evaluation.refresh_from_db()
                rows = criterion_rows(evaluation)
                editable = _self_editable(evaluation, roles)
    for row in rows:
        if row.leaf is not None and row.score is not None and not row.value:
            row.value = "" if row.score.self_score is None else str(row.score.self_score)
            row.note = row.note or row.score.self_comment
    published = evaluation.state == workflow.State.PUBLISHED
    moves, changes = selectors.evaluation_history(evaluation=evaluation) if published else ([], [])
    return render(
        request,
        "evaluations/my_detail.html",
        {
            "evaluation": evaluation,
            "rows": rows,
            "editable": editable,
            "errors": errors,
            "task_max": task_max_of(evaluation),
            "task_value": "" if task_value is None else task_value,
            "comment": comment,
            "published": published,
            "moves": moves,
            "changes": changes,
        },
    )


@login_required
def evidence_upload(request: HttpRequest, pk: int) -> HttpResponse:
    evaluation = _own_evaluation(request, pk)  # 404 before anything else
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    upload = request.FILES.get("tep")
    if upload is None:
        messages.error(request, _("Hãy chọn tệp minh chứng."))
    else:
        try:
            services.evidence_attach(
                actor=request.user,
                evaluation=evaluation,
                criterion=request.POST.get("tieu_chi", "")[:160],
                upload=upload,
            )
            messages.success(request, _("Đã tải lên minh chứng."))
        except ValidationError as error:
            for message in _errors(error):
                messages.error(request, message)
    return redirect("evaluations:my_detail", pk=evaluation.pk)


# --- My team (the direct manager) ----------------------------------------------------


BULK_ACTIONS = ("chap_nhan", "tra_lai", "nhac")
BULK_STATES = (workflow.State.DRAFT, workflow.State.SUBMITTED)  # remind; accept or return


def _chosen_ids(request: HttpRequest) -> list[int]:
    raw = request.POST.getlist("chon")
    if len(raw) > services.BULK_LIMIT:
        raise ValidationError(
            _("Mỗi lần chỉ xử lý tối đa %(n)s phiếu.") % {"n": services.BULK_LIMIT}
        )
    if not all(value.isascii() and value.isdigit() and len(value) < 12 for value in raw):
        raise ValidationError(_("Lựa chọn không hợp lệ; chưa thực hiện thao tác nào."))
    return sorted({int(value) for value in raw})


def _bulk(request: HttpRequest, action: str, ids: list[int], comment: str) -> str:
    """Run one bulk action over the chosen evaluations of the user's team; the message."""
    if action not in BULK_ACTIONS:
        raise ValidationError(_("Hãy chọn một thao tác."))
    if not ids:
        raise ValidationError(_("Chưa chọn phiếu đánh giá nào."))
    chosen = list(
        Evaluation.objects.filter(pk__in=ids, manager_id=request.user.pk)
        .filter(cycle__status=CycleStatus.OPEN)
        .select_related("cycle", "staff", "unit")
    )
    if len(chosen) != len(ids):
        raise ValidationError(
            _("Có phiếu không thuộc danh sách bạn nhận xét; chưa thực hiện thao tác nào.")
        )
    if action == "chap_nhan":
        done = services.review_accept_many(actor=request.user, evaluations=chosen, comment=comment)
        return _("Đã hoàn thành nhận xét %(n)s phiếu, giữ nguyên điểm đã chấm.") % {"n": len(done)}
    if action == "tra_lai":
        done = services.return_many(actor=request.user, evaluations=chosen, comment=comment)
        return _("Đã trả lại %(n)s phiếu để tự đánh giá lại.") % {"n": len(done)}
    sent = services.remind_many(actor=request.user, evaluations=chosen, comment=comment)
    message = _("Đã gửi nhắc việc cho %(n)s người.") % {"n": sent}
    if sent < len(chosen):
        message += " " + _("%(n)s người đã được nhắc trong hôm nay hoặc chưa có tài khoản.") % {
            "n": len(chosen) - sent
        }
    return message


TEAM_PAGE_SIZE = 50


def _team_filter(request: HttpRequest) -> dict[str, str]:
    """The search and the state from the query string (an unknown state is dropped)."""
    q = request.GET.get("q", "").replace("\x00", "")[:100].strip()
    state = request.GET.get("trang_thai", "")[:16]
    return {"q": q, "trang_thai": state if state in workflow.STATE_NAMES else ""}


def _without_page(request: HttpRequest) -> str:
    query = request.GET.copy()
    query.pop("trang", None)
    return query.urlencode()


@login_required
def team_list(request: HttpRequest) -> HttpResponse:
    """The manager's team, 50 rows a page (``?trang=``, searched by ``q`` and ``trang_thai``):
    self and manager totals side by side, and bulk actions on the rows chosen on this page (a
    plain form with checkboxes; one action, one transaction, nothing changed on any refusal)."""
    errors: list[str] = []
    chosen: list[int] = []
    comment = ""
    paging = _without_page(request)
    if request.method == "POST":
        comment = posted_text(request, "y_kien")
        try:
            chosen = _chosen_ids(request)
            message = _bulk(request, request.POST.get("thao_tac", ""), chosen, comment)
            messages.success(request, message)
            # Back to the same page and filter (fewer rows may leave it past the last page).
            query = request.GET.urlencode()
            return redirect(reverse("evaluations:team_list") + (f"?{query}" if query else ""))
        except ValidationError as error:
            errors = _errors(error)
    raw = _team_filter(request)
    qs = selectors.team_page_evaluations(user=request.user, q=raw["q"], state=raw["trang_thai"])
    page = Paginator(qs, TEAM_PAGE_SIZE).get_page(request.GET.get("trang"))
    rows = list(page.object_list)
    totals = selectors.team_totals(evaluations=rows)
    cycles: dict[int, tuple] = {}
    for evaluation in rows:
        evaluation.totals = totals[evaluation.pk]
        evaluation.selectable = evaluation.state in BULK_STATES
        cycles.setdefault(evaluation.cycle_id, (evaluation.cycle, []))[1].append(evaluation)
    filtered = bool(raw["q"] or raw["trang_thai"])
    return render(
        request,
        "evaluations/team_list.html",
        {
            "cycles": list(cycles.values()),
            "page": page,
            "paging": paging,
            "raw": raw,
            "filtered": filtered,
            "has_team": bool(rows)
            or (filtered and selectors.team_cycles(user=request.user).exists()),
            "states": list(translated(workflow.STATE_NAMES).items()),
            "errors": errors,
            "chosen": set(chosen),
            "comment": comment,
            "selectable": any(e.selectable for e in rows),
            "notifications": notifications_for_user(user=request.user)[:10],
        },
    )


def _team_evaluation(request: HttpRequest, pk: int) -> Evaluation:
    evaluation = (
        Evaluation.objects.filter(pk=pk, manager_id=request.user.pk)
        .exclude(cycle__status=CycleStatus.DRAFT)
        .select_related("cycle", "cycle__catalogue_version", "staff", "unit")
        .first()
    )
    if evaluation is None or workflow.MANAGER not in services.roles_of(request.user, evaluation):
        raise Http404
    return evaluation


@login_required
def team_review(request: HttpRequest, pk: int) -> HttpResponse:
    evaluation = _team_evaluation(request, pk)
    roles = services.roles_of(request.user, evaluation)
    reviewable = (
        evaluation.cycle.status == CycleStatus.OPEN
        and workflow.allowed(evaluation.state, Move.REVIEW, roles).ok
    )
    rows = criterion_rows(evaluation)
    errors: list[str] = []
    comment = evaluation.manager_comment
    task_value = classification.effective_task_points(evaluation)
    task_reason = ""
    if request.method == "POST" and reviewable:
        comment = posted_text(request, "nhan_xet")
        if "tra_lai" in request.POST:
            try:
                services.return_to(actor=request.user, evaluation=evaluation, comment=comment)
                messages.success(request, _("Đã trả lại phiếu cho người tự đánh giá."))
                return redirect("evaluations:team_list")
            except ValidationError as error:
                errors = _errors(error)
        else:
            changes = posted_scores(request, rows, note_field="ly_do", make=ManagerScore)
            task_value = posted_text(request, "nhiem_vu").strip().replace(",", ".")
            task_reason = posted_text(request, "ly_do_nhiem_vu")
            task = (
                ManagerScore(task_value, task_reason)
                if task_value and task_max_of(evaluation)
                else None
            )
            try:
                services.manager_review(
                    actor=request.user,
                    evaluation=evaluation,
                    changes=changes,
                    task_points=task,
                    comment=comment,
                )
                messages.success(request, _("Đã ghi nhận xét, đánh giá."))
                return redirect("evaluations:team_review", pk=evaluation.pk)
            except ValidationError as error:
                errors = _errors(error)
    for row in rows:
        if row.leaf is not None and row.score is not None and not row.value:
            effective = row.score.effective
            row.value = "" if effective is None else str(effective)
            row.note = row.note or row.score.manager_reason
    return render(
        request,
        "evaluations/team_review.html",
        {
            "evaluation": evaluation,
            "totals": selectors.team_totals(evaluations=[evaluation])[evaluation.pk],
            "rows": rows,
            "reviewable": reviewable,
            "errors": errors,
            "comment": comment,
            "task_max": task_max_of(evaluation),
            "task_value": "" if task_value is None else task_value,
            "task_reason": task_reason,
        },
    )
