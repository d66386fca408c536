"""Evidence files: download (the official, their manager, the council and Sở Nội vụ over the
unit, as ``permissions.evaluation_roles`` says) and delete (the official, while the
self-assessment is still theirs to edit). Anybody else gets 404, as for a missing file."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from congvu.core.logging import log_event
from congvu.evaluations import selectors, services
from congvu.evaluations.models import Evidence


def _denied(request: HttpRequest, pk: int) -> Http404:
    log_event("access.denied", user=request.user.pk, action="evidence", evidence=pk)
    return Http404()


@login_required
def evidence_download(request: HttpRequest, pk: int) -> HttpResponse:
    evidence = Evidence.objects.select_related("evaluation").filter(pk=pk).first()
    if evidence is None or not services.roles_of(request.user, evidence.evaluation):
        raise _denied(request, pk)
    try:
        handle = services.evidence_path(evidence).open("rb")
    except FileNotFoundError:
        log_event("evidence.missing", user=request.user.pk, evidence=pk)
        raise Http404 from None
    log_event("evidence.download", user=request.user.pk, evidence=pk)
    # The type was decided from the bytes at upload; always an attachment, never sniffed.
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=evidence.original_name,
        content_type=evidence.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_POST
def evidence_delete(request: HttpRequest, pk: int) -> HttpResponse:
    evidence = (
        Evidence.objects.filter(pk=pk, evaluation__in=selectors.my_evaluations(user=request.user))
        .select_related("evaluation")
        .first()
    )
    if evidence is None:
        raise _denied(request, pk)
    try:
        services.evidence_remove(actor=request.user, evidence=evidence)
        messages.success(
            request, _("Đã xóa minh chứng «%(name)s».") % {"name": evidence.original_name}
        )
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    return redirect("evaluations:my_detail", pk=evidence.evaluation_id)
