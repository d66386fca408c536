"""Pages of the inspections (issue 12). Thin: parse, ask a selector or a service, render.
Every read goes through ``inspections.selectors`` (the check inside the query): an inspection
outside the user's reach — an unannounced one of their own unit before it starts — is a 404.
The checklist's answer endpoint answers JSON to the page's script (``Accept:
application/json``) and redirects a plain form post."""

import uuid

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
