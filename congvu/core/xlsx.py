"""The one way to write Excel: rows through ``append`` (text that a spreadsheet would take for a
formula stays text), and a workbook as a download, saved through a spooled file (memory up to
16 MB, then disk) and sent as an attachment."""

from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path
from tempfile import SpooledTemporaryFile
from typing import Any

from django.http import HttpResponse
from openpyxl import Workbook
from openpyxl.cell import Cell, WriteOnlyCell

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
"""What makes Excel or LibreOffice read typed text as a formula (OWASP "CSV injection")."""


def formula_like(value: object) -> bool:
    return isinstance(value, str) and value.startswith(FORMULA_STARTS)


def _as_text(cell: Cell) -> Cell:
    # openpyxl stores "=…" as a formula; "s" stores it as a string, and the quote prefix keeps
    # it text in Excel and LibreOffice even when someone edits the cell.
    cell.data_type = "s"
    cell.quotePrefix = True
    return cell


def safe(sheet: Any, value: Any) -> Any:
    """``value`` for ``sheet.append``: as it is, or a text cell when it looks like a formula.
    A cell built by the caller (a date format, a style) is kept, made text if it must be.
    Numbers stay numbers and dates stay dates."""
    if isinstance(value, Cell):
        return _as_text(value) if formula_like(value.value) else value
    if formula_like(value):
        return _as_text(WriteOnlyCell(sheet, value))
    return value


def append(sheet: Any, values: Iterable[Any]) -> None:
    """Append one row to a normal or write-only worksheet: every export writes rows so."""
    sheet.append([safe(sheet, value) for value in values])


def xlsx_response(workbook: Workbook, filename: str) -> HttpResponse:
    """``filename`` is ASCII (the pages name their exports in Vietnamese without diacritics)."""
    with SpooledTemporaryFile(max_size=16 * 1024 * 1024) as buffer:
        workbook.save(buffer)
        buffer.seek(0)
        content = buffer.read()
    response = HttpResponse(content, content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def save_rows(
    path: Path,
    *,
    title: str,
    headers: Sequence[str],
    rows: Iterable[Sequence[Any]],
    formats: Mapping[int, str] | None = None,
    progress: Callable[[int], None] | None = None,
    every: int = 1000,
) -> int:
    """Write a one-sheet workbook (write-only, so memory stays flat) to ``path``: the headers,
    then ``rows`` through ``append``; ``formats`` gives a column (0-based) a number format (e.g.
    "DD/MM/YYYY"). ``progress(rows written)`` is called every ``every`` rows and at the end.
    Returns the number of rows written."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title)
    append(sheet, headers)
    formats = formats or {}
    written = 0
    for row in rows:
        values = list(row)
        for column, number_format in formats.items():
            if values[column] is not None:
                cell = WriteOnlyCell(sheet, value=values[column])
                cell.number_format = number_format
                values[column] = cell
        append(sheet, values)
        written += 1
        if progress is not None and written % every == 0:
            progress(written)
    workbook.save(path)
    if progress is not None:
        progress(written)
    return written
