"""Evidence files: the type by magic bytes, never by the name or the browser's word.

Accepted: PDF, JPEG, PNG, Word (.docx) and Excel (.xlsx). A .docx or .xlsx is a zip whose
member list names its main part; the list is read from the central directory only (nothing is
extracted), with a cap on the number of members against archive bombs (QUALITY.md S5).
"""

import zipfile
from pathlib import Path

PDF = "application/pdf"
JPEG = "image/jpeg"
PNG = "image/png"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
ACCEPTED: dict[str, str] = {PDF: "PDF", JPEG: "JPEG", PNG: "PNG", DOCX: "Word", XLSX: "Excel"}
EXTENSIONS: dict[str, str] = {PDF: "pdf", JPEG: "jpg", PNG: "png", DOCX: "docx", XLSX: "xlsx"}
MAX_ZIP_MEMBERS = 2_000


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
