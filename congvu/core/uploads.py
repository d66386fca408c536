"""Uploaded files, for every capability: typed by their bytes, read under a limit, cleaned, and
served back as attachments under a name of our own (QUALITY.md S5).

- ``sniff_head`` / ``sniff``: the type from the first bytes (a .docx or .xlsx is a zip whose
  central directory names its main part; nothing is extracted, members are capped).
- ``chunks_limited`` / ``read_limited``: the upload's bytes, refused as soon as they pass a limit.
- ``image_clean``: a JPEG or PNG rebuilt from its pixels only. The header size is checked
  before anything is decoded, JPEGs are decoded at the smallest scale libjpeg offers for the
  stored size, and the output is checked to hold no metadata segment or chunk at all (no
  comment, EXIF/GPS, XMP, IPTC, ICC profile, text chunk).
- ``pdf_clean``: a PDF rebuilt page by page without document information, XMP, scripts,
  open actions, annotations or page actions.
- ``scan``: the pluggable virus scanner.
- ``stored_file_response``: a stored file as a download, named from its detected type.

Settings (all optional):

- ``UPLOAD_IMAGE_MAX_PIXELS`` (16,000,000): the largest JPEG taken, in pixels, read from the
  header before decoding. A 12-megapixel phone photo (4000 × 3000) passes.
- ``UPLOAD_PNG_MAX_PIXELS`` (8,000,000): the same for PNG, which libjpeg's reduced-scale
  decoding cannot help; phone screenshots are 3–6 megapixels.
- ``UPLOAD_IMAGE_MAX_SIDE`` (2560): the longer side of a stored image; larger ones are scaled.
- ``UPLOAD_SCANNER`` (none): the dotted path of a callable ``scan(data: bytes)`` that raises
  ``ValidationError`` for a bad file; called on every upload before it is cleaned or kept.
"""

import hashlib
import io
import re
import secrets
import unicodedata
import warnings
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import File
from django.http import FileResponse
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from PIL import Image, ImageOps, UnidentifiedImageError
from pypdf import PdfReader, PdfWriter
from pypdf.errors import PdfReadError
from pypdf.generic import NameObject

from congvu.core.logging import log_event
from congvu.core.text import fold

PDF = "application/pdf"
JPEG = "image/jpeg"
PNG = "image/png"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
ACCEPTED: dict[str, str] = {PDF: "PDF", JPEG: "JPEG", PNG: "PNG", DOCX: "Word", XLSX: "Excel"}
EXTENSIONS: dict[str, str] = {PDF: "pdf", JPEG: "jpg", PNG: "png", DOCX: "docx", XLSX: "xlsx"}
IMAGES = (JPEG, PNG)
MAX_ZIP_MEMBERS = 2_000

IMAGE_MAX_PIXELS = 16_000_000
PNG_MAX_PIXELS = 8_000_000
IMAGE_MAX_SIDE = 2560
MAX_JPEG_SCANS = 20
"""Scans of one JPEG: libjpeg's progressive script has 10, encoders rarely go past 15. Each scan
of a progressive JPEG walks every block again: 1,000 tiny scans in 120 KB cost 25 s of CPU."""
MAX_JPEG_SEGMENTS = 500  # markers walked before the file is called malformed (bounded work)

_FORMATS = {JPEG: ("JPEG", "MPO"), PNG: ("PNG",)}  # MPO: a JPEG with extra pictures after it
_PNG_KEPT = {b"IHDR", b"PLTE", b"tRNS", b"IDAT", b"IEND"}
# A marker: 0xFF then a byte that is not stuffing (00), fill (FF), a restart (D0–D7) or TEM (01).
_JPEG_MARKER = re.compile(rb"\xff[^\x00\x01\xd0-\xd7\xff]")
_SOI, _EOI, _SOS, _COM, _APP1, _APP15 = 0xD8, 0xD9, 0xDA, 0xFE, 0xE1, 0xEF
_IMAGE_ERRORS = (
    UnidentifiedImageError,
    OSError,
    SyntaxError,
    ValueError,
    TypeError,
    KeyError,
    IndexError,
    EOFError,
    ZeroDivisionError,
)
_PDF_ERRORS = (PdfReadError, OSError, ValueError, KeyError, TypeError, RecursionError)
BROKEN_IMAGE = gettext_noop("ảnh bị hỏng hoặc không đọc được")


# --- Type by magic bytes ---------------------------------------------------------------------


def sniff_head(head: bytes) -> str | None:
    """The type of a non-zip file from its first bytes; "zip" for a zip container."""
    if head.startswith(b"%PDF-"):
        return PDF
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if head.startswith(b"PK\x03\x04"):
        return "zip"
    return None


def sniff(path: Path) -> str | None:
    """The accepted type of the file at ``path``, or None if it is none of them."""
    with path.open("rb") as handle:
        kind = sniff_head(handle.read(16))
    if kind != "zip":
        return kind
    try:
        with zipfile.ZipFile(path) as archive:
            infos = archive.infolist()
            if len(infos) > MAX_ZIP_MEMBERS:
                return None
            names = {info.filename for info in infos}
    except (zipfile.BadZipFile, OSError, ValueError):
        return None
    if "[Content_Types].xml" not in names:
        return None
    if "word/document.xml" in names:
        return DOCX
    if "xl/workbook.xml" in names:
        return XLSX
    return None


# --- Reading under a limit -------------------------------------------------------------------


def size_text(limit: int) -> str:
    """5242880 → "5 MB"; 51200 → "50 KB"; 100 → "100 byte"."""
    if limit >= 2**20:
        return f"{limit // 2**20} MB"
    return f"{limit // 1024} KB" if limit >= 1024 else f"{limit} byte"


def clean_name(name: str, default: str) -> str:
    """The file's own name as shown to people: no folder, NFC, no control characters."""
    base = unicodedata.normalize("NFC", Path(name or "").name)
    base = "".join(ch for ch in base if unicodedata.category(ch)[0] != "C").strip()
    return base[:255] or default


def chunks_limited(upload: File, limit: int) -> Iterator[bytes]:
    """The upload's chunks; ValidationError as soon as they pass ``limit`` bytes."""
    refusal = _("tệp quá lớn, tối đa %(size)s") % {"size": size_text(limit)}
    if getattr(upload, "size", 0) and upload.size > limit:
        raise ValidationError(refusal)
    size = 0
    for chunk in upload.chunks() if hasattr(upload, "chunks") else [upload.read()]:
        size += len(chunk)
        if size > limit:
            raise ValidationError(refusal)
        yield chunk


def read_limited(upload: File, limit: int) -> bytes:
    """The upload's bytes, refused as soon as they pass ``limit``; an empty file is refused."""
    data = b"".join(chunks_limited(upload, limit))
    if not data:
        raise ValidationError(_("tệp rỗng"))
    return data


def scan(data: bytes) -> None:
    """The pluggable virus scanner (``UPLOAD_SCANNER``): raises ValidationError on a bad file."""
    path = getattr(settings, "UPLOAD_SCANNER", "")
    if path:
        import_string(path)(data)


# --- Images ----------------------------------------------------------------------------------


def jpeg_markers(data: bytes) -> tuple[list[int], int]:
    """The markers of a JPEG up to its first EOI, and the offset just after that EOI.

    Segments are skipped by their length and entropy-coded data by looking for the next real
    marker, as decoders do. ValueError when truncated or past MAX_JPEG_SEGMENTS markers.
    """
    markers: list[int] = []
    pos = 0
    while len(markers) < MAX_JPEG_SEGMENTS:
        found = _JPEG_MARKER.search(data, pos)
        if found is None:
            raise ValueError("JPEG without an end marker")
        marker, pos = data[found.start() + 1], found.end()
        markers.append(marker)
        if marker == _EOI:
            return markers, pos
        if marker == _SOI:
            continue
        length = int.from_bytes(data[pos : pos + 2], "big")
        if length < 2 or pos + length > len(data):
            raise ValueError("JPEG segment past the end")
        pos += length
    raise ValueError("JPEG with too many segments")


def png_chunks(data: bytes) -> list[bytes]:
    """The chunk types of a PNG in order; ValueError if anything follows IEND or is cut short."""
    chunks, pos = [], 8
    while pos + 8 <= len(data):
        length = int.from_bytes(data[pos : pos + 4], "big")
        chunks.append(data[pos + 4 : pos + 8])
        pos += 12 + length
        if chunks[-1] == b"IEND":
            break
    if pos != len(data) or not chunks or chunks[-1] != b"IEND":
        raise ValueError("PNG cut short or with data after IEND")
    return chunks


def _metadata_left(data: bytes, kind: str) -> list:
    """What a cleaned image still holds besides pixels (empty: nothing); our own output check."""
    try:
        if kind == JPEG:
            markers, end = jpeg_markers(data)
            extra = [m for m in markers if m == _COM or _APP1 <= m <= _APP15]
            return extra + (["trailing data"] if end != len(data) else [])
        return [c for c in png_chunks(data) if c not in _PNG_KEPT]
    except ValueError as exc:
        return [str(exc)]


def image_max_pixels(kind: str) -> int:
    if kind == PNG:
        return getattr(settings, "UPLOAD_PNG_MAX_PIXELS", PNG_MAX_PIXELS)
    return getattr(settings, "UPLOAD_IMAGE_MAX_PIXELS", IMAGE_MAX_PIXELS)


def image_max_side() -> int:
    return getattr(settings, "UPLOAD_IMAGE_MAX_SIDE", IMAGE_MAX_SIDE)


def _too_large(kind: str) -> ValidationError:
    millions = f"{image_max_pixels(kind) / 1_000_000:g}".replace(".", ",")
    return ValidationError(
        _("ảnh quá lớn: tối đa %(millions)s triệu điểm ảnh") % {"millions": millions}
    )


def _decoded(data: bytes, kind: str, side: int) -> Image.Image:
    """The pixels, upright, decoded with bounded work; the header is judged before decoding."""
    if kind == JPEG:
        scans = jpeg_markers(data)[0].count(_SOS)
        if scans > MAX_JPEG_SCANS:
            raise ValidationError(_(BROKEN_IMAGE))
    with Image.open(io.BytesIO(data), formats=_FORMATS[kind]) as image:  # lazy: header only
        width, height = image.size
        if width * height > image_max_pixels(kind):
            raise _too_large(kind)
        longer = max(width, height)
        if longer > side:  # a JPEG decodes at 1/2, 1/4 or 1/8 when that still covers the side
            image.draft(None, (-(-width * side // longer), -(-height * side // longer)))
        image.load()
        return ImageOps.exif_transpose(image)


def image_clean(data: bytes, kind: str) -> bytes:
    """A JPEG or PNG rebuilt from its pixels alone, its longer side at most UPLOAD_IMAGE_MAX_SIDE.

    Refused (ValidationError, a short reason in lower case): over the pixel cap (read from the
    header, nothing decoded), a decompression bomb, a JPEG with too many scans, anything Pillow
    cannot decode. The output holds no comment, EXIF/GPS, XMP, IPTC, ICC profile, DPI or text
    chunk: the picture is copied pixel by pixel into a new image, which has no ``info`` to
    write back, and the result is walked to make sure (JPEG: only APP0 besides the image
    segments; PNG: only IHDR, PLTE, tRNS, IDAT, IEND).
    """
    side = image_max_side()
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            picture = _decoded(data, kind, side)
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise _too_large(kind) from None
    except _IMAGE_ERRORS as exc:
        raise ValidationError(_(BROKEN_IMAGE)) from exc
    alpha = kind == PNG and (picture.mode in ("RGBA", "LA", "PA") or "transparency" in picture.info)
    picture = picture.convert("RGBA" if alpha else "RGB")  # P and L resize badly; CMYK → RGB
    picture.thumbnail((side, side))
    bare = Image.frombytes(picture.mode, picture.size, picture.tobytes())
    out = io.BytesIO()
    if kind == JPEG:
        bare.save(out, "JPEG", quality=85, optimize=True)
    else:
        bare.save(out, "PNG", compress_level=1)  # zlib's higher levels cost seconds on noise
    cleaned = out.getvalue()
    left = _metadata_left(cleaned, kind)
    if left:  # a Pillow change that writes something back: refuse rather than keep it
        log_event("upload.metadata_left", kind=kind, left=[str(item) for item in left])
        raise ValidationError(_(BROKEN_IMAGE))
    return cleaned


# --- PDF -------------------------------------------------------------------------------------


def pdf_clean(data: bytes, *, max_pages: int) -> bytes:
    """A PDF rebuilt page by page: no document information, XMP, document scripts or open
    action, no annotations (links, form scripts) or page actions. Encrypted PDFs and PDFs over
    ``max_pages`` are refused."""
    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            raise ValidationError(_("tệp PDF có mật khẩu, hãy gửi bản không đặt mật khẩu"))
        if len(reader.pages) > max_pages:
            raise ValidationError(
                _("tệp PDF quá dài, tối đa %(max_pages)s trang") % {"max_pages": max_pages}
            )
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
    except _PDF_ERRORS as exc:
        raise ValidationError(_("tệp PDF bị hỏng hoặc không đọc được")) from exc
    return out.getvalue()


# --- Downloads -------------------------------------------------------------------------------


def download_stem(text: str, default: str = "tep") -> str:
    """ASCII for a file name: "Báo cáo quý 1" → "bao-cao-quy-1"."""
    return re.sub(r"[^a-z0-9]+", "-", fold(text)).strip("-")[:80].strip("-") or default


def stored_file_response(path: Path, content_type: str, stem: str) -> FileResponse:
    """A stored file as a download: an attachment named ``<ascii stem>.<extension of the
    detected type>`` (never the uploader's extension, so a JPEG/HTML polyglot stays a .jpg),
    not sniffed, not cached. FileNotFoundError when the file is gone."""
    extension = EXTENSIONS.get(content_type)
    if extension is None:
        content_type, extension = "application/octet-stream", "bin"
    response = FileResponse(
        path.open("rb"),
        as_attachment=True,
        filename=f"{download_stem(stem)}.{extension}",
        content_type=content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


# --- Evidence files: one way to keep a file an official attaches ------------------------------

EVIDENCE_TYPES_TEXT = gettext_noop(
    "Chỉ nhận tệp PDF, ảnh JPEG hoặc PNG, Word (.docx), Excel (.xlsx); "
    "loại tệp được xác định theo nội dung, không theo tên."
)


@dataclass(frozen=True)
class Kept:
    """A file kept under MEDIA_ROOT/<folder>: its random name, its type by its bytes, the
    SHA-256 and size of what is kept, and the sender's file name (cleaned)."""

    path: Path
    kind: str
    sha256: str
    size: int
    name: str

    def row(self) -> dict[str, object]:
        """The columns every evidence row keeps of its file (stored and original names, type,
        SHA-256, size)."""
        return {
            "stored_name": self.path.name,
            "original_name": self.name,
            "content_type": self.kind,
            "sha256": self.sha256,
            "size": self.size,
        }


def _sentence(error: ValidationError) -> ValidationError:
    """The short reason ("ảnh quá lớn: …") as a page's sentence ("Ảnh quá lớn: ….")."""
    text = error.messages[0].rstrip(".")
    return ValidationError(text[:1].upper() + text[1:] + ".")


def evidence_dir(folder: str) -> Path:
    path = Path(settings.MEDIA_ROOT) / folder
    path.mkdir(parents=True, exist_ok=True)
    return path


def evidence_keep(upload: File, *, folder: str, limit: int, default_name: str) -> Kept:
    """Stream ``upload`` to a random name (refused as soon as it passes ``limit``), type it by
    its bytes, scan it, and replace a photo by its clean copy (no metadata). PDF, Word and
    Excel are kept as sent: official documents are often digitally signed. The caller records
    the row and unlinks ``path`` if its transaction fails."""
    path = evidence_dir(folder) / secrets.token_hex(16)
    try:
        with path.open("xb") as out:
            for chunk in chunks_limited(upload, limit):
                out.write(chunk)
        kind = sniff(path)
        if kind is None:
            raise ValidationError(_(EVIDENCE_TYPES_TEXT))
        data = path.read_bytes()
        scan(data)
        if kind in IMAGES:
            data = image_clean(data, kind)
            path.write_bytes(data)
    except ValidationError as error:
        path.unlink(missing_ok=True)
        raise _sentence(error) from None
    except BaseException:
        path.unlink(missing_ok=True)
        raise
    name = clean_name(getattr(upload, "name", ""), default_name)
    return Kept(path, kind, hashlib.sha256(data).hexdigest(), len(data), name)
