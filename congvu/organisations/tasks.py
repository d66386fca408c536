"""Background imports (Huey).

The uploaded file is on disk before its ImportJob exists, and an import is
all-or-nothing, so a job can always be run again from its file: a lost queue
entry is re-queued by ``import_jobs_recover``.
"""

import logging
import secrets
from datetime import timedelta

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.utils import timezone
from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from congvu.core.models import AuditLog
from congvu.organisations import import_jobs, importing
from congvu.organisations.models import ImportJob, ImportStatus

logger = logging.getLogger("congvu.imports")
FAILED_MESSAGE = (
    "Lỗi hệ thống khi xử lý tệp; chưa nhập dòng nào. Hãy thử lại sau hoặc báo quản trị hệ thống."
)
STALE_PENDING = timedelta(minutes=10)
STALE_RUNNING = timedelta(hours=6)


class _Tracker:
    """Publishes progress: to the cache always, to the job row when outside a transaction.

    While the rows are being written the job row would change only inside the
    import's transaction, invisible to the page that polls it; the cache is not.
    """

    def __init__(self, job_id: int) -> None:
        self.job_id = job_id
        self.depth = len(connection.atomic_blocks)  # deeper: inside the import's transaction

    def __call__(self, done: int, total: int) -> None:
        cache.set(import_jobs.progress_key(self.job_id), (done, total), 3600)
        if len(connection.atomic_blocks) == self.depth:
            ImportJob.objects.filter(pk=self.job_id).update(processed_rows=done, total_rows=total)


def job_run(job_id: int) -> None:
    """Run one pending job to its end. A second call for the same job does nothing."""
    claimed = ImportJob.objects.filter(pk=job_id, status=ImportStatus.PENDING).update(
        status=ImportStatus.RUNNING
    )
    if not claimed:
        return
    job = ImportJob.objects.select_related("created_by").get(pk=job_id)
    path = import_jobs.import_dir() / job.stored_name
    try:
        outcome = importing.import_workbook(
            actor=job.created_by, kind=job.kind, path=path, progress=_Tracker(job.pk)
        )
    except Exception:
        # The import rolled back; the file stays on disk for diagnosis.
        logger.exception("import job %s failed", job_id)
        ImportJob.objects.filter(pk=job_id).update(
            status=ImportStatus.FAILED, message=FAILED_MESSAGE, finished_at=timezone.now()
        )
        return
    finally:
        cache.delete(import_jobs.progress_key(job_id))
    # Should this fail, the job stays "running" and jobs_recover settles it later.
    if outcome.error_workbook is not None:
        job.error_file = f"{secrets.token_hex(16)}-loi.xlsx"
        (import_jobs.import_dir() / job.error_file).write_bytes(outcome.error_workbook)
    job.status = ImportStatus.DONE if outcome.ok else ImportStatus.REJECTED
    job.total_rows = job.processed_rows = outcome.total
    job.error_rows, job.imported_rows = outcome.errors, outcome.imported
    job.message = outcome.message
    job.finished_at = timezone.now()
    job.save()
    path.unlink(missing_ok=True)


@db_task(retries=0)
def import_job_run(job_id: int) -> None:
    job_run(job_id)


def jobs_recover() -> int:
    """Re-queue jobs whose queue entry was lost; settle jobs whose worker died.

    A dead worker either committed its import (its audit record names the file) or
    wrote nothing. Returns the number of jobs re-queued or settled.
    """
    now = timezone.now()
    handled = 0
    for job_id in ImportJob.objects.filter(
        status=ImportStatus.PENDING, created_at__lt=now - STALE_PENDING
    ).values_list("pk", flat=True):
        import_job_run(job_id)
        handled += 1
    for job in ImportJob.objects.filter(
        status=ImportStatus.RUNNING, created_at__lt=now - STALE_RUNNING
    ):
        record = AuditLog.objects.filter(
            action__in=["staff.import", "unit.import"], data__file=job.stored_name
        ).first()
        if record is not None:
            job.status, job.imported_rows = ImportStatus.DONE, record.data.get("rows", 0)
            job.message = f"Đã nhập {importing.number_label(job.imported_rows)} dòng."
        else:
            job.status, job.message = ImportStatus.FAILED, FAILED_MESSAGE
        job.finished_at = now
        job.save()
        handled += 1
    return handled


def files_purge() -> int:
    """Delete uploads and error sheets older than IMPORT_KEEP_DAYS (30 by default)."""
    cutoff = timezone.now() - timedelta(days=getattr(settings, "IMPORT_KEEP_DAYS", 30))
    purged = 0
    for path in import_jobs.import_dir().iterdir():
        if path.is_file() and path.stat().st_mtime < cutoff.timestamp():
            path.unlink(missing_ok=True)
            purged += 1
    ImportJob.objects.filter(finished_at__lt=cutoff).exclude(error_file="").update(error_file="")
    return purged


@db_periodic_task(crontab(minute="*/15"))
def import_jobs_recover() -> None:
    jobs_recover()
    files_purge()
