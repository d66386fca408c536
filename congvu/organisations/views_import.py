"""Import pages: upload, the job with its progress bar, the error sheet, the empty templates."""

from pathlib import Path

from django import forms
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods

from congvu.core import permissions
from congvu.core.logging import log_event
from congvu.organisations import import_jobs, importing, tasks
from congvu.organisations.models import ImportJob, ImportKind, ImportStatus

TEMPLATE_NAMES = {"units": "mau-nhap-don-vi.xlsx", "staff": "mau-nhap-can-bo.xlsx"}
ACTIVE = (ImportStatus.PENDING, ImportStatus.RUNNING)
STATUS_STYLES = {
    ImportStatus.PENDING: ("text-bg-secondary", "info"),
    ImportStatus.RUNNING: ("text-bg-primary", "info"),
    ImportStatus.DONE: ("text-bg-success", "success"),
    ImportStatus.REJECTED: ("text-bg-warning", "warning"),
    ImportStatus.FAILED: ("text-bg-danger", "danger"),
}


class ImportForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Loại dữ liệu"),
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Hãy chọn loại dữ liệu cần nhập."),
            "invalid_choice": _("Bạn không được nhập loại dữ liệu này."),
        },
    )
    file = forms.FileField(
        label=_("Tệp Excel (.xlsx)"),
        error_messages={
            "required": _("Hãy chọn tệp .xlsx để tải lên."),
            "empty": _("Tệp rỗng (0 byte). Hãy chọn đúng tệp .xlsx có dữ liệu."),
            "invalid": _("Không nhận được tệp; hãy chọn lại tệp .xlsx."),
            "missing": _("Không nhận được tệp; hãy chọn lại tệp .xlsx."),
            "max_length": _("Tên tệp quá dài."),
        },
    )

    def __init__(self, *args, user, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        choices = [
            (kind, label)
            for kind, label in ImportKind.choices
            if permissions.may(user, importing.ACTIONS[kind])
        ]
        self.fields["kind"].choices = choices
        if len(choices) == 1:
            self.fields["kind"].initial = choices[0][0]

    def clean_file(self):
        upload = self.cleaned_data["file"]
        limit = settings.IMPORT_MAX_BYTES
        if upload.size > limit:
            raise forms.ValidationError(
                gettext(
                    "Tệp dung lượng %(size)s, vượt giới hạn %(limit)s. "
                    "Hãy chia thành nhiều tệp nhỏ hơn."
                )
                % {"size": importing.mb_label(upload.size), "limit": importing.mb_label(limit)}
            )
        return upload


def _require_import_rights(user) -> None:
    if not any(permissions.may(user, action) for action in importing.ACTIONS.values()):
        log_event("access.denied", user=getattr(user, "pk", None), action="import")
        raise PermissionDenied


def _start(job: ImportJob) -> None:
    """Small files run now; large ones go to the queue (the job page shows progress)."""
    if job.total_rows <= settings.IMPORT_SYNC_MAX_ROWS:
        tasks.job_run(job.pk)
        return
    try:
        tasks.import_job_run(job.pk)
    except Exception:  # the job and its file are saved: import_jobs_recover re-queues it
        log_event("import.enqueue_failed", job=job.pk)


@login_required
@require_http_methods(["GET", "POST"])
def import_start(request: HttpRequest) -> HttpResponse:
    _require_import_rights(request.user)
    bound = request.method == "POST"
    form = ImportForm(
        request.POST if bound else None, request.FILES if bound else None, user=request.user
    )
    if bound and form.is_valid():
        try:
            job = import_jobs.job_create(
                actor=request.user, kind=form.cleaned_data["kind"], upload=form.cleaned_data["file"]
            )
        except importing.ImportFileError as exc:
            form.add_error("file", str(exc))
        else:
            _start(job)
            return redirect("organisations:import_detail", pk=job.pk)
    jobs = list(
        import_jobs.job_list_for_user(user=request.user).filter(created_by=request.user)[:10]
    )
    for job in jobs:
        job.figures = " / ".join(
            importing.number_label(n) for n in (job.imported_rows, job.total_rows)
        )
    context = {
        "form": form,
        "templates": form.fields["kind"].choices,
        "jobs": jobs,
        "max_size": importing.mb_label(settings.IMPORT_MAX_BYTES),
        "max_rows": importing.number_label(importing.max_rows()),
    }
    return render(request, "organisations/import_start.html", context)


@login_required
def import_template(request: HttpRequest, kind: str) -> HttpResponse:
    if kind not in importing.ACTIONS:
        raise Http404
    permissions.require(request.user, importing.ACTIONS[kind])
    response = HttpResponse(importing.template_workbook(kind), content_type=importing.XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{TEMPLATE_NAMES[kind]}"'
    return response


@login_required
def import_detail(request: HttpRequest, pk: int) -> HttpResponse:
    job = import_jobs.job_get_for_user(user=request.user, pk=pk)
    if job is None:
        raise Http404
    done, total = import_jobs.job_progress(job)
    percent = min(100, round(100 * done / total)) if total else job.percent
    badge, alert = STATUS_STYLES[ImportStatus(job.status)]
    figures = {
        "done": done,
        "total": total,
        "rows": job.total_rows,
        "imported": job.imported_rows,
        "errors": job.error_rows,
    }
    context = {
        "job": job,
        "figures": {key: importing.number_label(value) for key, value in figures.items()},
        "total": total,
        "percent": percent,
        "active": job.status in ACTIVE,
        "badge": badge,
        "alert": alert,
    }
    template = "organisations/import_detail.html"
    if request.htmx:
        template += "#status"
    return render(request, template, context)


@login_required
def import_error_file(request: HttpRequest, pk: int) -> FileResponse:
    job = import_jobs.job_get_for_user(user=request.user, pk=pk)
    if job is None or not job.error_file:
        raise Http404
    path = import_jobs.import_dir() / Path(job.error_file).name
    if not path.is_file():
        raise Http404
    log_event("import.error_file", job=job.pk, user=request.user.pk)
    response = FileResponse(
        path.open("rb"),
        as_attachment=True,
        filename=f"{Path(job.original_name).stem or 'tep'}-loi.xlsx",
        content_type=importing.XLSX_TYPE,
    )
    response["Cache-Control"] = "private, no-store"
    return response
