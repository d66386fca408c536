"""Pages of the cycles themselves, for those who manage them (``evaluation.manage``: Sở Nội vụ
over the province, a unit head over their unit): the list, a new cycle, a cycle with its
figures, opening, closing and deleting a cycle still in preparation. Thin: parse, call one
service or selector, render. A cycle outside the user's scope does not exist (404).

Creating a cycle is synchronous: its 45,000 evaluations over a whole province (demo of 50,000
staff) are written in 1.5–1.9 s on SQLite and PostgreSQL (docs/decisions.md).
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from congvu.core import permissions
from congvu.core.permissions import Action
from congvu.evaluations import cycles, selectors_cycles, services
from congvu.evaluations.forms import CycleForm
from congvu.evaluations.models import CycleStatus, EvaluationCycle, Subject

PAGE_SIZE = 20


@login_required
def cycle_list(request: HttpRequest) -> HttpResponse:
    permissions.require(request.user, Action.EVALUATION_MANAGE)
    page = Paginator(selectors_cycles.managed_cycles(user=request.user), PAGE_SIZE).get_page(
        request.GET.get("trang")
    )
    figures = selectors_cycles.figures_by_cycle([c.pk for c in page])
    for cycle in page:
        cycle.figures = figures.get(cycle.pk, {"total": 0, "published": 0})
    return render(request, "evaluations/cycle_list.html", {"page": page})


@login_required
@require_http_methods(["GET", "POST"])
def cycle_create(request: HttpRequest) -> HttpResponse:
    permissions.require(request.user, Action.EVALUATION_MANAGE)
    form = CycleForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            cycle = services.cycle_create(actor=request.user, spec=form.spec())
        except ValidationError as error:
            for message in error.messages:
                form.add_error(None, message)
        else:
            count = cycle.evaluations.count()
            messages.success(
                request,
                _(
                    "Đã tạo kỳ đánh giá với %(n)s phiếu. Kiểm tra lại rồi mở kỳ để bắt đầu tự "
                    "đánh giá."
                )
                % {"n": number_format(count, force_grouping=True)},
            )
            return redirect("evaluations:cycle_detail", pk=cycle.pk)
    return render(request, "evaluations/cycle_form.html", {"form": form})


def _managed(request: HttpRequest, pk: int) -> EvaluationCycle:
    cycle = selectors_cycles.managed_cycle_get(user=request.user, pk=pk)
    if cycle is None:
        raise Http404
    return cycle


@login_required
def cycle_detail(request: HttpRequest, pk: int) -> HttpResponse:
    cycle = _managed(request, pk)
    figures = selectors_cycles.cycle_figures(user=request.user, cycle=cycle)
    oversees = cycle.root_unit_id in permissions.unit_scope(request.user, Action.EVALUATION_OVERSEE)
    context = {
        "cycle": cycle,
        "figures": figures,
        "task_points": cycles.task_max(cycle.culture_points),
        "collective": cycle.subject == Subject.COLLECTIVE,
        "progress": oversees and cycle.status != CycleStatus.DRAFT,
        "council": permissions.may(request.user, Action.EVALUATION_CONCLUDE)
        and cycle.subject == Subject.INDIVIDUAL
        and cycle.status != CycleStatus.DRAFT,
        "collectives": oversees
        and cycle.subject == Subject.COLLECTIVE
        and cycle.status != CycleStatus.DRAFT,
    }
    return render(request, "evaluations/cycle_detail.html", context)


def _act(request: HttpRequest, pk: int, service, done: str) -> HttpResponse:
    """One POST on a managed cycle: the service, then back to the cycle (or the list)."""
    cycle = _managed(request, pk)  # 404 before anything else
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    try:
        service(actor=request.user, cycle=cycle)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return redirect("evaluations:cycle_detail", pk=cycle.pk)
    messages.success(request, done)
    if service is services.cycle_delete:
        return redirect("evaluations:cycle_list")
    return redirect("evaluations:cycle_detail", pk=cycle.pk)


@login_required
def cycle_open(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(
        request, pk, services.cycle_open, _("Đã mở kỳ đánh giá: mọi người có thể tự đánh giá.")
    )


@login_required
def cycle_close(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(request, pk, services.cycle_close, _("Đã kết thúc kỳ đánh giá."))


@login_required
def cycle_delete(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(request, pk, services.cycle_delete, _("Đã xóa kỳ đánh giá đang chuẩn bị."))
