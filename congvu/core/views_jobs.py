"""The pages of background file jobs (``core.jobs``): one's own jobs, a job with its progress
bar (polled with HTMX), and its file. Only the job's creator sees any of them."""

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from congvu.core import jobs
from congvu.core.logging import log_event
from congvu.core.models import Job, JobStatus
from congvu.core.uploads import stored_file_response

STATUS_STYLES = {
    JobStatus.PENDING: ("text-bg-secondary", "info"),
    JobStatus.RUNNING: ("text-bg-primary", "info"),
    JobStatus.DONE: ("text-bg-success", "success"),
    JobStatus.FAILED: ("text-bg-danger", "danger"),
}
STATUS_LABELS = {  # the model's labels are the stored Vietnamese; the pages translate these
    JobStatus.PENDING: _("Đang chờ"),
    JobStatus.RUNNING: _("Đang tạo tệp"),
    JobStatus.DONE: _("Hoàn thành"),
    JobStatus.FAILED: _("Không thành công"),
}
LIST_SIZE = 20


def _describe(job: Job) -> dict:
    kind = jobs.kind_get(job.kind)
    labels = kind.parameter_labels if kind else {}
    badge, alert = STATUS_STYLES[JobStatus(job.status)]
    return {
        "job": job,
        "label": kind.label if kind else job.kind,
        "filters": [(labels[k], v) for k, v in job.parameters.items() if k in labels and v],
        "status": STATUS_LABELS[JobStatus(job.status)],
        "badge": badge,
        "alert": alert,
        "active": job.status in jobs.ACTIVE,
        "ready": jobs.job_file(job) is not None,
    }


@login_required
def job_list(request: HttpRequest) -> HttpResponse:
    page = Paginator(jobs.job_list_for_user(user=request.user), LIST_SIZE).get_page(
        request.GET.get("trang")
    )
    rows = [_describe(job) for job in page]
    context = {"rows": rows, "page": page, "keep_days": settings.JOB_KEEP_DAYS}
    return render(request, "core/job_list.html", context)


@login_required
def job_detail(request: HttpRequest, pk: int) -> HttpResponse:
    job = jobs.job_get_for_user(user=request.user, pk=pk)
    if job is None:
        raise Http404
    context = {
        **_describe(job),
        "percent": job.percent,
        "back": jobs.job_back_url(job),
        "keep_days": settings.JOB_KEEP_DAYS,
    }
    template = "core/job_detail.html"
    if getattr(request, "htmx", False):  # django-htmx middleware
        template += "#status"
    return render(request, template, context)


@login_required
def job_download(request: HttpRequest, pk: int) -> FileResponse:
    job = jobs.job_get_for_user(user=request.user, pk=pk)
    path = jobs.job_file(job) if job is not None else None
    kind = jobs.kind_get(job.kind) if job is not None else None
    if job is None or path is None or kind is None:
        raise Http404
    try:
        response = stored_file_response(path, kind.content_type, f"{kind.stem}-{job.pk}")
    except FileNotFoundError:  # purged a moment ago
        raise Http404 from None
    log_event("job.download", job=job.pk, kind=job.kind, user=request.user.pk)
    return response
