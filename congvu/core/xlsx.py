"""An openpyxl workbook as a download: saved through a spooled file (memory up to 16 MB, then
disk), sent as an attachment."""

from tempfile import SpooledTemporaryFile

from django.http import HttpResponse
from openpyxl import Workbook

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def xlsx_response(workbook: Workbook, filename: str) -> HttpResponse:
    """``filename`` is ASCII (the pages name their exports in Vietnamese without diacritics)."""
    with SpooledTemporaryFile(max_size=16 * 1024 * 1024) as buffer:
        workbook.save(buffer)
        buffer.seek(0)
        content = buffer.read()
    response = HttpResponse(content, content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
