"""Evidence files: streamed to a random name under MEDIA_ROOT/evidence, typed by their bytes."""

import hashlib
import secrets
import unicodedata
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction

from congvu.core.audit import audit_record
from congvu.evaluations import uploads
from congvu.evaluations.models import Evaluation, Evidence
from congvu.evaluations.services.common import (
    leaf_of,
    leaves_for,
    lock,
    require_edit,
    require_open,
    roles_or_deny,
    utc_now,
)
from congvu.evaluations.workflow import Edit

EVIDENCE_MAX_BYTES = 10 * 1024 * 1024
EVIDENCE_MAX_FILES = 100


def _evidence_dir() -> Path:
    path = Path(settings.MEDIA_ROOT) / "evidence"
    path.mkdir(parents=True, exist_ok=True)
    return path


def _clean_name(name: str) -> str:
    base = unicodedata.normalize("NFC", Path(name or "").name)
    base = "".join(ch for ch in base if unicodedata.category(ch)[0] != "C").strip()
    return base[:255] or "tep-minh-chung"


def _store(upload) -> tuple[Path, str, int]:
    """Stream the upload to a random name, refusing it as soon as it is too large."""
    limit = getattr(settings, "EVIDENCE_MAX_BYTES", EVIDENCE_MAX_BYTES)
    if getattr(upload, "size", 0) and upload.size > limit:
        raise ValidationError(f"Tệp quá lớn: tối đa {limit // (1024 * 1024)} MB.")
    path = _evidence_dir() / secrets.token_hex(16)
    digest, size = hashlib.sha256(), 0
    try:
        with path.open("xb") as out:
            chunks = upload.chunks() if hasattr(upload, "chunks") else [upload.read()]
            for chunk in chunks:
                size += len(chunk)
                if size > limit:
                    raise ValidationError(f"Tệp quá lớn: tối đa {limit // (1024 * 1024)} MB.")
                digest.update(chunk)
                out.write(chunk)
    except BaseException:
        path.unlink(missing_ok=True)
        raise
    return path, digest.hexdigest(), size


def evidence_attach(*, actor, evaluation: Evaluation, criterion: str, upload) -> Evidence:
    """Attach a file to a criterion (stable id). The type is decided by the file's bytes."""
    with transaction.atomic():
        evaluation = lock(evaluation)
        roles = roles_or_deny(actor, evaluation)
        require_open(evaluation.cycle)
        require_edit(evaluation, Edit.SELF_SCORE, roles)
        leaf = leaf_of(leaves_for(evaluation), criterion)
        limit = getattr(settings, "EVIDENCE_MAX_FILES", EVIDENCE_MAX_FILES)
        if evaluation.evidence.count() >= limit:
            raise ValidationError(f"Mỗi phiếu có tối đa {limit} tệp minh chứng.")
        path, sha256, size = _store(upload)
        try:
            kind = uploads.sniff(path)
            if kind is None:
                raise ValidationError(
                    "Chỉ nhận tệp PDF, ảnh JPEG hoặc PNG, Word (.docx), Excel (.xlsx); "
                    "loại tệp được xác định theo nội dung, không theo tên."
                )
            if size == 0:
                raise ValidationError("Tệp rỗng.")
            evidence = Evidence.objects.create(
                evaluation=evaluation, criterion_id=leaf.criterion_id, stored_name=path.name,
                original_name=_clean_name(getattr(upload, "name", "")), sha256=sha256,
                size=size, content_type=kind, uploaded_by=actor, uploaded_at=utc_now(),
            )  # fmt: skip
            audit_record(
                actor=actor, action="evaluation.evidence_attach", obj=evaluation,
                criterion=leaf.stable_id, file=evidence.original_name, sha256=sha256, size=size,
            )  # fmt: skip
        except BaseException:
            path.unlink(missing_ok=True)
            raise
    return evidence


def evidence_path(evidence: Evidence) -> Path:
    """Where the file is (for a download view that checks access first)."""
    return _evidence_dir() / evidence.stored_name


def evidence_remove(*, actor, evidence: Evidence) -> None:
    with transaction.atomic():
        evaluation = lock(evidence.evaluation_id)
        roles = roles_or_deny(actor, evaluation)
        require_open(evaluation.cycle)
        require_edit(evaluation, Edit.SELF_SCORE, roles)
        evidence = Evidence.objects.get(pk=evidence.pk, evaluation=evaluation)
        audit_record(
            actor=actor, action="evaluation.evidence_remove", obj=evaluation,
            file=evidence.original_name, sha256=evidence.sha256,
        )  # fmt: skip
        evidence.delete()
        name = evidence.stored_name
        transaction.on_commit(lambda: (_evidence_dir() / name).unlink(missing_ok=True))
