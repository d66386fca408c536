"""Pages of the inspections (issue 12). Thin: parse, ask a selector or a service, render.
Every read goes through ``inspections.selectors`` (the check inside the query): an inspection
outside the user's reach — an unannounced one of their own unit before it starts — is a 404.
The checklist's answer endpoint answers JSON to the page's script (``Accept:
application/json``) and redirects a plain form post."""

import uuid
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from congvu.core import permissions, uploads
from congvu.core.labels import translated
from congvu.inspections import access, documents, rules, selectors, services
from congvu.inspections.forms import InspectionForm, PlanForm, TeamForm
from congvu.inspections.models import ChecklistItem, Inspection
from congvu.organisations.models import Staff

PAGE_SIZE = 25
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _inspection_or_404(request: HttpRequest, pk: int) -> Inspection:
    inspection = selectors.inspection_get_for_user(user=request.user, pk=pk)
    if inspection is None:
        raise Http404
    return inspection


@login_required
def inspection_list(request: HttpRequest) -> HttpResponse:
    if not selectors.may_see_inspections(request.user):
        raise PermissionDenied
    status = request.GET.get("trang_thai", "")[:16]
    found = selectors.inspection_list_for_user(user=request.user, status=status)
    page = Paginator(found, PAGE_SIZE).get_page(request.GET.get("trang"))
    return render(
        request,
        "inspections/inspection_list.html",
        {
            "page": page,
            "status": status,
            "statuses": list(translated(rules.STATUS_NAMES).items()),
            "paging": f"trang_thai={status}" if status else "",
            "may_create": selectors.may_create_inspections(request.user),
        },
    )


def _context(request: HttpRequest, inspection: Inspection) -> dict:
    roles = access.team_roles(request.user, inspection)
    return {
        "inspection": inspection,
        "team": selectors.team(inspection=inspection),
        "items": selectors.checklist(inspection=inspection),
        "findings": list(selectors.findings(inspection=inspection)),
        "moves": rules.MACHINE.moves_for(inspection.status, roles),
        "move_names": translated(rules.MOVE_NAMES),
        "records": inspection.status == rules.IN_PROGRESS
        and access.answer_check_record(request.user, inspection),
        "standards": _standards(request, inspection, roles),
        "organises": inspection.status != rules.CLOSED
        and access.inspection_check_manage(request.user, inspection),
    }


def _standards(request: HttpRequest, inspection: Inspection, roles: frozenset[str]) -> list:
    """The standards a closed inspection's lead (or Sở Nội vụ) may tie a finding to."""
    from django.utils import timezone

    from congvu.core import permissions
    from congvu.core.permissions import Action
    from congvu.violations.selectors import standard_choices

    if inspection.status != rules.CLOSED:
        return []
    if rules.LEAD not in roles and not permissions.can(
        request.user, Action.DISCIPLINE_MANAGE, inspection.unit
    ):
        return []
    return standard_choices(timezone.localdate())


@login_required
def inspection_detail(request: HttpRequest, pk: int) -> HttpResponse:
    inspection = _inspection_or_404(request, pk)
    return render(request, "inspections/inspection_detail.html", _context(request, inspection))


@login_required
@require_POST
def inspection_move(request: HttpRequest, pk: int) -> HttpResponse:
    inspection = _inspection_or_404(request, pk)
    move = request.POST.get("move", "")
    try:
        if move == rules.START:
            services.inspection_start(actor=request.user, inspection=inspection)
        elif move == rules.CLOSE:
            services.inspection_close(
                actor=request.user,
                inspection=inspection,
                conclusion=request.POST.get("conclusion", ""),
            )
        else:
            raise Http404
    except PermissionDenied:
        raise Http404 from None
    except ValidationError as error:
        context = _context(request, inspection)
        context["move_error"] = error.messages[0]
        return render(request, "inspections/inspection_detail.html", context, status=400)
    messages.success(request, _("Đã %(move)s.") % {"move": translated(rules.MOVE_NAMES)[move]})
    return redirect("inspections:inspection_detail", pk=inspection.pk)


@login_required
def checklist(request: HttpRequest, pk: int) -> HttpResponse:
    """The team's form on a phone: item by item, each its own small form."""
    inspection = _inspection_or_404(request, pk)
    context = _context(request, inspection)
    if not context["records"]:
        raise Http404
    context["staff"] = selectors.staff_of_inspected(inspection=inspection)
    context["results"] = list(translated(rules.RESULT_NAMES).items())
    for item in context["items"]:
        item.form_key = uuid.uuid4().hex
    return render(request, "inspections/checklist.html", context)


def _item_or_404(request: HttpRequest, pk: int, item_pk: int) -> ChecklistItem:
    inspection = _inspection_or_404(request, pk)
    item = ChecklistItem.objects.filter(pk=item_pk, inspection=inspection).first()
    if item is None:
        raise Http404
    item.inspection = inspection
    return item


def _wants_json(request: HttpRequest) -> bool:
    return "application/json" in request.headers.get("Accept", "")


@login_required
@require_POST
def answer_post(request: HttpRequest, pk: int, item_pk: int) -> HttpResponse:
    """One answer: from the page's script (JSON), or a plain form post (redirect)."""
    item = _item_or_404(request, pk, item_pk)
    staff = None
    staff_id = request.POST.get("staff", "")
    if staff_id:
        staff = permissions.first_by_pk(Staff.objects.all(), staff_id)
    try:
        if staff_id and staff is None:
            raise ValidationError(_("Người được ghi không công tác tại đơn vị được kiểm tra."))
        answer, created = services.answer_record(
            actor=request.user,
            item=item,
            result=request.POST.get("result", ""),
            note=request.POST.get("note", ""),
            staff=staff,
            key=request.POST.get("key", ""),
        )
    except PermissionDenied:
        if _wants_json(request):
            return JsonResponse({"ok": False, "error": _("Không có quyền.")}, status=403)
        raise Http404 from None
    except ValidationError as error:
        if _wants_json(request):
            return JsonResponse({"ok": False, "error": error.messages[0]}, status=400)
        messages.error(request, f"{item.code}: {error.messages[0]}")
        return redirect(_checklist_url(item))
    if _wants_json(request):
        return JsonResponse({"ok": True, "stored": created, "answer": answer.pk})
    messages.success(request, _("Đã ghi kết quả mục %(code)s.") % {"code": item.code})
    return redirect(_checklist_url(item))


def _checklist_url(item: ChecklistItem) -> str:
    return reverse("inspections:checklist", kwargs={"pk": item.inspection_id}) + f"#muc-{item.pk}"


@login_required
@require_POST
def photo_post(request: HttpRequest, pk: int, item_pk: int) -> HttpResponse:
    item = _item_or_404(request, pk, item_pk)
    upload = request.FILES.get("photo")
    try:
        if upload is None:
            raise ValidationError(_("Cần chọn ảnh."))
        services.photo_attach(actor=request.user, item=item, upload=upload)
    except PermissionDenied:
        raise Http404 from None
    except ValidationError as error:
        messages.error(request, f"{item.code}: {error.messages[0]}")
    else:
        messages.success(request, _("Đã lưu ảnh mục %(code)s.") % {"code": item.code})
    return redirect(_checklist_url(item))


@login_required
def photo_download(request: HttpRequest, pk: int) -> HttpResponse:
    photo = selectors.photo_get_for_user(user=request.user, pk=pk)
    if photo is None:
        raise Http404
    thumb = request.GET.get("nho") == "1"
    try:
        return uploads.stored_file_response(
            services.photo_path(photo, thumb=thumb),
            uploads.JPEG if thumb else photo.content_type,
            photo.original_name.rsplit(".", 1)[0],
        )
    except FileNotFoundError:
        raise Http404 from None


@login_required
def bien_ban(request: HttpRequest, pk: int) -> HttpResponse:
    inspection = _inspection_or_404(request, pk)
    content = documents.bien_ban_docx(
        inspection=inspection,
        items=selectors.checklist(inspection=inspection),
        found=list(selectors.findings(inspection=inspection)),
        team=selectors.team(inspection=inspection),
    )
    response = HttpResponse(content, content_type=DOCX)
    response["Content-Disposition"] = (
        f'attachment; filename="bien-ban-kiem-tra-{inspection.pk}.docx"'
    )
    return response


# --- Organising: a plan, an inspection with its checklist, its team ----------------------


def _refused(form: Any, error: ValidationError | PermissionDenied) -> None:
    if isinstance(error, PermissionDenied):
        form.add_error(None, _("Bạn không có quyền tổ chức cuộc kiểm tra này."))
    else:
        form.add_error(None, error)


@login_required
def plan_create(request: HttpRequest) -> HttpResponse:
    """A yearly plan in the name of the user's own unit (``inspection.manage`` there)."""
    owners = selectors.owner_units(user=request.user)
    if not owners:
        raise Http404
    form = PlanForm(request.POST or None, owners=owners)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            plan = services.plan_create(
                actor=request.user,
                owner=form.owners[data["owner"]],
                year=data["year"],
                title=data["title"],
                decision_code=data["decision_code"],
                decision_date=data["decision_date"],
            )
        except (PermissionDenied, ValidationError) as error:
            _refused(form, error)
        else:
            messages.success(request, _("Đã tạo kế hoạch kiểm tra."))
            return redirect(reverse("inspections:inspection_create") + f"?ke_hoach={plan.pk}")
    return render(
        request,
        "inspections/plan_form.html",
        {"form": form, "plans": selectors.plans_for_owners(user=request.user, owners=owners)},
        status=400 if form.errors else 200,
    )


@login_required
def inspection_create(request: HttpRequest) -> HttpResponse:
    """An inspection of a unit in the user's ``inspection.manage`` scope, with the checklist's
    areas and the lead's own items, optionally under one of the organiser's plans."""
    owners = selectors.owner_units(user=request.user)
    if not owners:
        raise Http404
    plans = list(selectors.plans_for_owners(user=request.user, owners=owners))
    form = InspectionForm(
        request.POST or None,
        owners=owners,
        units=selectors.organiser_units(user=request.user),
        plans=plans,
        initial={"plan": request.GET.get("ke_hoach", "")[:20]},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        spec = services.InspectionSpec(
            owner=form.owners[data["owner"]],
            unit=form.units[data["unit"]],
            kind=data["kind"],
            title=data["title"],
            scheduled_on=data["scheduled_on"],
            decision_code=data["decision_code"],
            decision_date=data["decision_date"],
            areas=tuple(data["areas"]),
            free_items=tuple(form.free_lines()),
            plan=form.plans.get(data["plan"]),
        )
        try:
            inspection = services.inspection_create(actor=request.user, spec=spec)
        except (PermissionDenied, ValidationError) as error:
            _refused(form, error)
        else:
            messages.success(request, _("Đã tạo cuộc kiểm tra; hãy cử đoàn kiểm tra."))
            return redirect("inspections:team_set", pk=inspection.pk)
    return render(
        request,
        "inspections/inspection_form.html",
        {"form": form},
        status=400 if form.errors else 200,
    )


@login_required
def team_set(request: HttpRequest, pk: int) -> HttpResponse:
    """The team as the decision names it: the organiser picks the lead and the members among
    the people of their scope (``?q=`` searches names without diacritics)."""
    inspection = selectors.inspection_get_for_organiser(user=request.user, pk=pk)
    if inspection is None:
        raise Http404
    q = (request.POST.get("q") or request.GET.get("q", ""))[:100]
    candidates = selectors.team_candidates(user=request.user, inspection=inspection, q=q)
    team = selectors.team(inspection=inspection)
    if request.method == "POST":
        posted = [request.POST.get("lead", ""), *request.POST.getlist("members")]
        chosen = selectors.team_candidates(user=request.user, inspection=inspection, ids=posted)
        known = {u.pk for u in candidates}
        candidates += [u for u in chosen if u.pk not in known]
    initial = {
        "lead": next((str(m.user_id) for m in team if m.role == rules.LEAD), ""),
        "members": [str(m.user_id) for m in team if m.role == rules.MEMBER],
    }
    form = TeamForm(request.POST or None, candidates=candidates, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.team_set(
                actor=request.user,
                inspection=inspection,
                lead=form.candidates[data["lead"]],
                members=[form.candidates[k] for k in data["members"]],
            )
        except (PermissionDenied, ValidationError) as error:
            _refused(form, error)
        else:
            messages.success(request, _("Đã cử đoàn kiểm tra."))
            return redirect("inspections:inspection_detail", pk=inspection.pk)
    return render(
        request,
        "inspections/team_form.html",
        {"form": form, "inspection": inspection, "team": team, "q": q},
        status=400 if form.errors else 200,
    )
