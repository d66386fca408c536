"""Citizens' attachments: typed by their bytes, cleaned in memory, then written (QUALITY.md S5).

Only photos (JPEG, PNG) and PDF are taken. Nothing the citizen sent is stored as sent:
- a photo is decoded and encoded again by Pillow, turned upright first, so EXIF (GPS position,
  camera, time) and every other metadata chunk are dropped; very large photos are scaled down;
- a PDF is rebuilt page by page with pypdf: no document information, no XMP, no document-level
  scripts or open actions, no annotations (links, form scripts) on the pages.
Files are read under a size limit and cleaned before anything touches the disk, so a refused
file leaves nothing behind. A virus scanner can be plugged in (``REPORTS_UPLOAD_SCANNER``).
"""

import hashlib
import io
import unicodedata
import warnings
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.module_loading import import_string
from PIL import Image, ImageOps, UnidentifiedImageError
from pypdf import PdfReader, PdfWriter
from pypdf.errors import PdfReadError
from pypdf.generic import NameObject

from congvu.evaluations.uploads import JPEG, PDF, PNG, sniff_head

MAX_BYTES = 5 * 1024 * 1024
MAX_FILES = 3
MAX_PIXELS = 40_000_000  # decoded size cap against decompression bombs
MAX_SIDE = 2560  # longer side of a stored photo
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
    base = unicodedata.normalize("NFC", Path(name or "").name)
    base = "".join(ch for ch in base if unicodedata.category(ch)[0] != "C").strip()
    return base[:255] or "tep-dinh-kem"


def size_text(limit: int) -> str:
    """5242880 → "5 MB"; 51200 → "50 KB"."""
    return f"{limit // 2**20} MB" if limit >= 2**20 else f"{limit // 1024} KB"


def read_limited(upload) -> bytes:
    """The upload's bytes, refused as soon as it passes the limit."""
    limit = max_bytes()
    refusal = f"tệp quá lớn, tối đa {size_text(limit)}"
    if getattr(upload, "size", 0) and upload.size > limit:
        raise ValidationError(refusal)
    buffer, size = io.BytesIO(), 0
    for chunk in upload.chunks() if hasattr(upload, "chunks") else [upload.read()]:
        size += len(chunk)
        if size > limit:
            raise ValidationError(refusal)
        buffer.write(chunk)
    if size == 0:
        raise ValidationError("tệp rỗng")
    return buffer.getvalue()


def _clean_image(data: bytes, kind: str) -> bytes:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as probe:
                if probe.width * probe.height > MAX_PIXELS:
                    raise ValidationError("ảnh quá lớn (quá 40 triệu điểm ảnh)")
                probe.verify()  # structure check; the image must be opened again to decode
            with Image.open(io.BytesIO(data)) as image:
                image.load()
                picture = ImageOps.exif_transpose(image)  # upright before EXIF goes
    except ValidationError:
        raise
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError,
            Image.DecompressionBombWarning) as exc:  # fmt: skip
        raise ValidationError("ảnh bị hỏng hoặc không đọc được") from exc
    picture.thumbnail((MAX_SIDE, MAX_SIDE))
    out = io.BytesIO()
    if kind == JPEG:
        picture.convert("RGB").save(out, "JPEG", quality=85, optimize=True)
    else:
        mode = "RGBA" if picture.mode in ("RGBA", "LA", "P") else "RGB"
        picture.convert(mode).save(out, "PNG", optimize=True)  # no text or eXIf chunks
    return out.getvalue()


def _clean_pdf(data: bytes) -> bytes:
    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            raise ValidationError("tệp PDF có mật khẩu, hãy gửi bản không đặt mật khẩu")
        if len(reader.pages) > MAX_PDF_PAGES:
            raise ValidationError(f"tệp PDF quá dài, tối đa {MAX_PDF_PAGES} trang")
        writer = PdfWriter()
        for page in reader.pages:
            for key in ("/Annots", "/AA", "/Metadata", "/PieceInfo"):
                if key in page:
                    del page[NameObject(key)]
            writer.add_page(page)
        writer.metadata = None
        out = io.BytesIO()
        writer.write(out)
    except ValidationError:
        raise
    except (PdfReadError, OSError, ValueError, KeyError, TypeError, RecursionError) as exc:
        raise ValidationError("tệp PDF bị hỏng hoặc không đọc được") from exc
    return out.getvalue()


def _scan(data: bytes) -> None:
    """The pluggable virus scanner: a callable that raises ValidationError on a bad file."""
    path = getattr(settings, "REPORTS_UPLOAD_SCANNER", "")
    if path:
        import_string(path)(data)


def clean(upload) -> CleanFile:
    """A cleaned copy of one upload, or ValidationError (a short reason, lower case)."""
    data = read_limited(upload)
    kind = sniff_head(data[:16])
    if kind not in KINDS:
        raise ValidationError(WRONG_TYPE)
    _scan(data)
    cleaned = _clean_pdf(data) if kind == PDF else _clean_image(data, kind)
    return CleanFile(clean_name(getattr(upload, "name", "")), kind, cleaned)


def directory() -> Path:
    """Outside the web root: MEDIA_ROOT is never served; downloads go through a view."""
    path = Path(settings.MEDIA_ROOT) / "reports"
    path.mkdir(parents=True, exist_ok=True)
    return path
