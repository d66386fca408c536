"""Citizens' attachments: this capability's limits; the cleaning is ``congvu.core.uploads``.

Only photos (JPEG, PNG) and PDF are taken, and nothing is stored as sent: a photo is rebuilt
from its pixels (no EXIF/GPS, comment, XMP, IPTC or ICC profile), a PDF page by page (no
document information, scripts or annotations). Files are read under a size limit and cleaned
before anything touches the disk, so a refused file leaves nothing behind.
"""

import hashlib
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError

from congvu.core import uploads as core
from congvu.core.uploads import JPEG, PDF, PNG

MAX_BYTES = 5 * 1024 * 1024
MAX_FILES = 3
MAX_PDF_PAGES = 30
KINDS = {JPEG: "ảnh JPEG", PNG: "ảnh PNG", PDF: "PDF"}
WRONG_TYPE = (
    "chỉ nhận ảnh JPEG, PNG hoặc tệp PDF (loại tệp được xác định theo nội dung, không theo tên)"
)


@dataclass(frozen=True, slots=True)
class CleanFile:
    original_name: str
    content_type: str
    data: bytes

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.data).hexdigest()


def max_bytes() -> int:
    return getattr(settings, "REPORTS_UPLOAD_MAX_BYTES", MAX_BYTES)


def max_files() -> int:
    return getattr(settings, "REPORTS_UPLOAD_MAX_FILES", MAX_FILES)


def clean_name(name: str) -> str:
    return core.clean_name(name, "tep-dinh-kem")


def read_limited(upload) -> bytes:
    """The upload's bytes, refused as soon as it passes REPORTS_UPLOAD_MAX_BYTES."""
    return core.read_limited(upload, max_bytes())


def clean(upload) -> CleanFile:
    """A cleaned copy of one upload, or ValidationError (a short reason, lower case)."""
    data = read_limited(upload)
    kind = core.sniff_head(data[:16])
    if kind not in KINDS:
        raise ValidationError(WRONG_TYPE)
    core.scan(data)
    if kind == PDF:
        cleaned = core.pdf_clean(data, max_pages=MAX_PDF_PAGES)
    else:
        cleaned = core.image_clean(data, kind)
    return CleanFile(clean_name(getattr(upload, "name", "")), kind, cleaned)


def directory() -> Path:
    """Outside the web root: MEDIA_ROOT is never served; downloads go through a view."""
    path = Path(settings.MEDIA_ROOT) / "reports"
    path.mkdir(parents=True, exist_ok=True)
    return path
