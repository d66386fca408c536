"""Import jobs: the stored upload, who may see a job, and its progress."""

import os
import secrets
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.core.files.uploadedfile import UploadedFile
from django.db.models import QuerySet

from congvu.accounts.models import User
from congvu.core import permissions
from congvu.core.logging import log_event
from congvu.core.text import nfc
from congvu.organisations.importing import ImportFileError, inspect_workbook
from congvu.organisations.models import ImportJob, ImportStatus


def import_dir() -> Path:
    """Uploads and error sheets: under MEDIA_ROOT, never served directly."""
    directory = Path(settings.MEDIA_ROOT) / "imports"
    directory.mkdir(parents=True, exist_ok=True, mode=0o700)
    return directory


def job_create(*, actor: User, kind: str, upload: UploadedFile) -> ImportJob:
    """Save the upload to disk, check the file, then record the job.

    The file is on disk (fsync'd) before the job exists, so an acknowledged job is
    never lost; a refused file raises ImportFileError and leaves nothing behind.
    """
    stored = f"{secrets.token_hex(16)}.xlsx"
    path = import_dir() / stored
    with path.open("xb") as handle:
        for chunk in upload.chunks():
            handle.write(chunk)
        handle.flush()
        os.fsync(handle.fileno())
    try:
        estimate = inspect_workbook(kind=kind, path=path)
    except ImportFileError:
        path.unlink(missing_ok=True)
        raise
    job = ImportJob.objects.create(
        kind=kind,
        created_by=actor,
        original_name=nfc(Path(upload.name or "").name)[:255] or stored,
        stored_name=stored,
        total_rows=estimate,
    )
    log_event("import.accepted", job=job.pk, kind=kind, user=actor.pk, rows=estimate)
    return job


def job_list_for_user(*, user: Any) -> QuerySet[ImportJob]:
    """Jobs a user may see: their own, or every job for an administrator."""
    jobs = ImportJob.objects.select_related("created_by")
    return jobs if "admin" in permissions.roles_of(user) else jobs.filter(created_by=user)


def job_get_for_user(*, user: Any, pk: int) -> ImportJob | None:
    return job_list_for_user(user=user).filter(pk=pk).first()


def progress_key(job_id: int) -> str:
    return f"congvu:import-progress:{job_id}"


def job_progress(job: ImportJob) -> tuple[int, int]:
    """(done, total) rows; while writing, the database row is inside the import's
    transaction, so the worker also publishes progress through the cache."""
    cached = cache.get(progress_key(job.pk))
    if cached and job.status == ImportStatus.RUNNING:
        return cached
    return job.processed_rows, job.total_rows
