"""Evidence files: streamed to a random name under MEDIA_ROOT/evidence, typed by their bytes.

Photos (JPEG, PNG) are cleaned as citizens' photos are (``congvu.core.uploads.image_clean``: no
metadata kept, decompression bombs refused, scaled to the stored size). PDF, Word and Excel are
kept as sent: official documents are often digitally signed, and rebuilding them would break
the signature the council may need to check; the uploader is a signed-in official, the file is
audited with its SHA-256 and only ever served as an attachment.
"""

from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import File
from django.db import transaction
from django.utils.translation import gettext as _

from congvu.accounts.models import User
from congvu.core import uploads
from congvu.core.audit import audit_record
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
    return uploads.evidence_dir("evidence")


def evidence_attach(
    *, actor: User, evaluation: Evaluation, criterion: str, upload: File
) -> Evidence:
    """Attach a file to a criterion (stable id). The type is decided by the file's bytes."""
    with transaction.atomic():
        evaluation = lock(evaluation)
        roles = roles_or_deny(actor, evaluation)
        require_open(evaluation.cycle)
        require_edit(evaluation, Edit.SELF_SCORE, roles)
        leaf = leaf_of(leaves_for(evaluation), criterion)
        limit = getattr(settings, "EVIDENCE_MAX_FILES", EVIDENCE_MAX_FILES)
        if evaluation.evidence.count() >= limit:
            raise ValidationError(
                _("Mỗi phiếu có tối đa %(limit)s tệp minh chứng.") % {"limit": limit}
            )
        limit = getattr(settings, "EVIDENCE_MAX_BYTES", EVIDENCE_MAX_BYTES)
        kept = uploads.evidence_keep(
            upload, folder="evidence", limit=limit, default_name="tep-minh-chung"
        )
        path, kind, sha256, size, name = kept.path, kept.kind, kept.sha256, kept.size, kept.name
        try:
            evidence = Evidence.objects.create(
                evaluation=evaluation,
                criterion_id=leaf.criterion_id,
                stored_name=path.name,
                original_name=name,
                sha256=sha256,
                size=size,
                content_type=kind,
                uploaded_by=actor,
                uploaded_at=utc_now(),
            )
            audit_record(
                actor=actor,
                action="evaluation.evidence_attach",
                obj=evaluation,
                criterion=leaf.stable_id,
                file=evidence.original_name,
                sha256=sha256,
                size=size,
            )
        except BaseException:
            path.unlink(missing_ok=True)
            raise
    return evidence


def evidence_path(evidence: Evidence) -> Path:
    """Where the file is (for a download view that checks access first)."""
    return _evidence_dir() / evidence.stored_name


def evidence_remove(*, actor: User, evidence: Evidence) -> None:
    with transaction.atomic():
        evaluation = lock(evidence.evaluation_id)
        roles = roles_or_deny(actor, evaluation)
        require_open(evaluation.cycle)
        require_edit(evaluation, Edit.SELF_SCORE, roles)
        evidence = Evidence.objects.get(pk=evidence.pk, evaluation=evaluation)
        audit_record(
            actor=actor,
            action="evaluation.evidence_remove",
            obj=evaluation,
            file=evidence.original_name,
            sha256=evidence.sha256,
        )
        evidence.delete()
        name = evidence.stored_name
        transaction.on_commit(lambda: (_evidence_dir() / name).unlink(missing_ok=True))
