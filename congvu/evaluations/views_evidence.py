"""Evidence files: download (the official, their manager, the council and Sở Nội vụ over the
unit, as ``evaluations.access.evaluation_roles`` says) and delete (the official, while the
self-assessment is still theirs to edit). Anybody else gets 404, as for a missing file."""

from pathlib import PurePath

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from congvu.core.logging import log_event
from congvu.core.uploads import stored_file_response
from congvu.evaluations import selectors, services
from congvu.evaluations.models import Evidence


def _denied(request: HttpRequest, pk: int) -> Http404:
    log_event("access.denied", user=request.user.pk, action="evidence", evidence=pk)
    return Http404()


@login_required
def evidence_download(request: HttpRequest, pk: int) -> HttpResponse:
    visible = selectors.evaluation_list_for_user(user=request.user)
    evidence = (  # the check inside the query; then the workflow roles that may download
        Evidence.objects.select_related("evaluation").filter(pk=pk, evaluation__in=visible).first()
    )
    if evidence is None or not services.roles_of(request.user, evidence.evaluation):
        raise _denied(request, pk)
    path = services.evidence_path(evidence)
    stem = PurePath(evidence.original_name).stem  # the extension comes from the detected type
    try:
        response = stored_file_response(path, evidence.content_type, stem)
    except FileNotFoundError:
        log_event("evidence.missing", user=request.user.pk, evidence=pk)
        raise Http404 from None
    log_event("evidence.download", user=request.user.pk, evidence=pk)
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
