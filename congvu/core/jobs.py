"""Background work that produces a file (exports), one mechanism for every capability.

A capability registers a ``JobKind`` at import (its app config's ``ready()`` imports the
module): a stable name, a label, the download's name and ``produce(run)``, which computes its
rows *with the creator's permissions at run time* (it raises PermissionDenied when the creator
may no longer do it) and writes the file at ``run.path``. A page calls ``job_start`` and
redirects to the job's page, which polls the progress and offers the download when done.

- ``job_start``: the job row and its audit record in one transaction; queued after commit.
- ``job_run`` (the Huey task ``job_task``): claims a pending job, lets the kind write to a
  temporary name, renames it into place (a reader never sees half a file), records the
  outcome. A failure marks the job failed with a Vietnamese message and is logged.
- ``job_get_for_user``: only the job's creator sees it and its file.
- ``jobs_maintain`` (every 15 minutes): re-queues jobs whose queue entry was lost, fails
  those whose worker died, deletes files older than ``JOB_KEEP_DAYS``.
"""

from __future__ import annotations

import logging
import os
import secrets
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from congvu.core import xlsx
from congvu.core.audit import audit_record
from congvu.core.logging import log_event
from congvu.core.models import Job, JobStatus
from congvu.core.uploads import EXTENSIONS

logger = logging.getLogger("congvu.jobs")

ACTIVE = (JobStatus.PENDING, JobStatus.RUNNING)
FAILED_MESSAGE = gettext_lazy(
    "Lỗi hệ thống khi tạo tệp; chưa có tệp nào được tạo. Hãy thử lại sau hoặc báo quản trị "
    "hệ thống."
)
REFUSED_MESSAGE = gettext_lazy(
    "Bạn không còn quyền xuất dữ liệu này (hoặc phạm vi đã lọc không còn thuộc quyền của bạn), "
    "nên tệp không được tạo."
)
LOST_MESSAGE = gettext_lazy("Tác vụ bị gián đoạn; hãy xuất lại.")
STALE_PENDING = timedelta(minutes=10)
STALE_RUNNING = timedelta(hours=2)


@dataclass
class JobRun:
    """What ``produce`` gets: the creator (fresh from the database), the parameters, where to
    write, and the progress. Progress reaches the job row every ``every`` rows, not per row."""

    job: Job
    user: Any
    parameters: Mapping[str, Any]
    path: Path
    every: int = 1000

    def begin(self, total: int) -> None:
        """How many rows are expected (the progress bar's 100 %)."""
        Job.objects.filter(pk=self.job.pk).update(total=total, done=0)

    def progress(self, done: int) -> None:
        Job.objects.filter(pk=self.job.pk).update(done=done)


@dataclass(frozen=True)
class JobKind:
    name: str
    """Stable: stored in the job rows and the audit trail."""
    label: Any
    """What the file is, in Vietnamese (lazily translated): "Danh sách cán bộ"."""
    stem: str
    """The download's name without extension, ASCII: "can-bo"."""
    produce: Callable[[JobRun], int]
    """Writes the file at ``run.path`` and returns its number of rows."""
    content_type: str = xlsx.XLSX_TYPE
    back: str = ""
    """The URL name of the page the job starts from; its parameters are that page's query."""
    parameter_labels: Mapping[str, Any] = field(default_factory=dict)
    """Labels of the parameters shown on the job's page ({"q": "Tìm", ...})."""


_KINDS: dict[str, JobKind] = {}


def kind_register(kind: JobKind) -> JobKind:
    _KINDS[kind.name] = kind
    return kind


def kind_get(name: str) -> JobKind | None:
    return _KINDS.get(name)


def jobs_dir() -> Path:
    """The files: under MEDIA_ROOT, never served directly (downloads go through a view)."""
    directory = Path(settings.MEDIA_ROOT) / "jobs"
    directory.mkdir(parents=True, exist_ok=True, mode=0o700)
    return directory


# --- Starting and running -------------------------------------------------------------


def job_start(*, actor: AbstractBaseUser, kind: str, parameters: Mapping[str, Any]) -> Job:
    """Record the job (audited) and queue it after commit. The same request while one is
    still waiting or running gives that job; more than ``JOB_ACTIVE_MAX`` unfinished jobs of
    one user are refused (ValidationError)."""
    if kind not in _KINDS:
        raise ValueError(f"unknown job kind {kind!r}")
    params = dict(parameters)
    with transaction.atomic():
        active = Job.objects.select_for_update().filter(created_by_id=actor.pk, status__in=ACTIVE)
        for job in active:
            if job.kind == kind and job.parameters == params:
                return job
        if len(active) >= settings.JOB_ACTIVE_MAX:
            raise ValidationError(
                _("Bạn đang có %(count)s tệp chưa tạo xong; hãy chờ chúng xong rồi xuất tiếp.")
                % {"count": len(active)}
            )
        job = Job.objects.create(kind=kind, created_by_id=actor.pk, parameters=params)
        audit_record(actor=actor, action="job.start", obj=job, kind=kind, parameters=params)
        transaction.on_commit(lambda: job_enqueue(job.pk))
    log_event("job.start", job=job.pk, kind=kind, user=actor.pk)
    return job


def job_enqueue(job_id: int) -> None:
    try:
        job_task(job_id)
    except Exception:  # the job is saved: jobs_maintain queues it again
        logger.exception("job %s could not be queued", job_id)


def job_run(job_id: int) -> None:
    """Run one pending job to its end. A second call for the same job does nothing."""
    now = timezone.now()
    claimed = Job.objects.filter(pk=job_id, status=JobStatus.PENDING).update(
        status=JobStatus.RUNNING, started_at=now
    )
    if not claimed:
        return
    job = Job.objects.select_related("created_by").get(pk=job_id)
    kind = _KINDS.get(job.kind)
    extension = EXTENSIONS.get(kind.content_type, "bin") if kind else "bin"
    name = f"{secrets.token_hex(16)}.{extension}"
    part = jobs_dir() / f".{name}.part"
    try:
        if kind is None:
            raise LookupError(f"no job kind {job.kind!r} in this process")
        run = JobRun(
            job=job,
            user=job.created_by,
            parameters=job.parameters,
            path=part,
            every=settings.JOB_PROGRESS_EVERY,
        )
        rows = kind.produce(run)
        os.replace(part, jobs_dir() / name)  # atomic: the file is whole or absent
    except PermissionDenied:
        part.unlink(missing_ok=True)
        log_event("job.refused", job=job.pk, kind=job.kind, user=job.created_by_id)
        _finish(job, status=JobStatus.FAILED, message=str(REFUSED_MESSAGE))
        return
    except Exception:
        part.unlink(missing_ok=True)
        logger.exception("job %s (%s) failed", job.pk, job.kind)
        _finish(job, status=JobStatus.FAILED, message=str(FAILED_MESSAGE))
        return
    _finish(job, status=JobStatus.DONE, rows=rows, file_name=name)
    log_event("export.done", job=job.pk, kind=job.kind, user=job.created_by_id, rows=rows)


def _finish(
    job: Job, *, status: str, message: str = "", rows: int = 0, file_name: str = ""
) -> None:
    fields: dict[str, Any] = {"status": status, "message": message, "finished_at": timezone.now()}
    if status == JobStatus.DONE:
        fields.update(total=rows, done=rows, file_name=file_name)
    with transaction.atomic():
        Job.objects.filter(pk=job.pk).update(**fields)
        audit_record(
            actor=job.created_by, action=f"job.{status}", obj=job, kind=job.kind, rows=rows
        )


@db_task(retries=0)
def job_task(job_id: int) -> None:
    job_run(job_id)


# --- Reading --------------------------------------------------------------------------


def job_list_for_user(*, user: Any) -> QuerySet[Job]:
    """A user's own jobs: nobody else, the administrator included, sees them or their files."""
    if not getattr(user, "is_authenticated", False):
        return Job.objects.none()
    return Job.objects.filter(created_by=user)


def job_get_for_user(*, user: Any, pk: int) -> Job | None:
    return job_list_for_user(user=user).filter(pk=pk).first()


def job_file(job: Job) -> Path | None:
    """The finished file, or None (not done yet, failed, or purged)."""
    if job.status != JobStatus.DONE or not job.file_name:
        return None
    path = jobs_dir() / Path(job.file_name).name
    return path if path.is_file() else None


def job_back_url(job: Job) -> str:
    """The page the job started from, with its filter: "" when the kind names none."""
    from django.urls import NoReverseMatch, reverse

    kind = _KINDS.get(job.kind)
    if kind is None or not kind.back:
        return ""
    try:
        url = reverse(kind.back)
    except NoReverseMatch:
        return ""
    query = urlencode({k: v for k, v in job.parameters.items() if v not in ("", None)})
    return f"{url}?{query}" if query else url


# --- Upkeep ---------------------------------------------------------------------------


def jobs_recover() -> int:
    """Queue again the jobs still pending after STALE_PENDING (a lost queue entry); fail those
    running for longer than STALE_RUNNING (a dead worker). Returns how many."""
    now = timezone.now()
    handled = 0
    for job_id in Job.objects.filter(
        status=JobStatus.PENDING, created_at__lt=now - STALE_PENDING
    ).values_list("pk", flat=True):
        job_enqueue(job_id)
        handled += 1
    stuck = Job.objects.filter(status=JobStatus.RUNNING, started_at__lt=now - STALE_RUNNING)
    handled += stuck.update(status=JobStatus.FAILED, message=str(LOST_MESSAGE), finished_at=now)
    return handled


def jobs_purge() -> int:
    """Delete the files of jobs finished more than JOB_KEEP_DAYS ago, and any other file of
    the folder that old (a crashed worker's ``.part``). Returns the number of files deleted."""
    cutoff = timezone.now() - timedelta(days=settings.JOB_KEEP_DAYS)
    purged = 0
    for path in jobs_dir().iterdir():
        if path.is_file() and path.stat().st_mtime < cutoff.timestamp():
            path.unlink(missing_ok=True)
            purged += 1
    expired = Job.objects.filter(finished_at__lt=cutoff).exclude(file_name="")
    for job in expired:
        (jobs_dir() / Path(job.file_name).name).unlink(missing_ok=True)
    expired.update(file_name="")
    if purged:
        log_event("job.purge", files=purged)
    return purged


@db_periodic_task(crontab(minute="*/15"))
def jobs_maintain() -> None:
    jobs_recover()
    jobs_purge()
