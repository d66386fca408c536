"""Import of units and staff from .xlsx: file checks, one checking pass, one transaction.

A file with any bad row imports nothing and comes back as the same sheet with a
"Lỗi" column; a good file is written in one transaction with one audit record.
The row rules are pure and live in ``import_rules``; the column layouts are in
docs/import.md.
"""

import io
import zipfile
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime
from itertools import chain, islice
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from congvu.accounts.models import User
from congvu.core import permissions, xlsx
from congvu.core.actors import SystemActor
from congvu.core.audit import audit_record
from congvu.core.bulk import insert_many as _insert_many
from congvu.core.i18n import vietnamese_labels
from congvu.core.logging import log_event
from congvu.core.permissions import Action
from congvu.core.text import fold
from congvu.organisations import import_rules as rules
from congvu.organisations import services
from congvu.organisations.graph import org_revision_bump
from congvu.organisations.models import (
    Gender,
    Membership,
    Staff,
    StaffCategory,
    Unit,
)
from congvu.organisations.xlsx_reader import Row, XlsxError, XlsxReader

BATCH = 2000
PROGRESS_EVERY = 1000
HEADER_SEARCH_ROWS = 10
ACTIONS = {"units": Action.UNIT_IMPORT, "staff": Action.STAFF_IMPORT}
NOUNS = {"units": "đơn vị", "staff": "cán bộ"}
SHEET_TITLES = {"units": "Đơn vị", "staff": "Cán bộ"}
GUIDE_TITLE = "Hướng dẫn"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
_ZIP_MAGIC = b"PK\x03\x04"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # .xls, and password-protected .xlsx
_UNREADABLE = "Không đọc được tệp Excel: tệp bị hỏng hoặc không đúng định dạng .xlsx."
_NOT_XLSX = (
    "Tệp không phải là bảng tính Excel .xlsx. Nếu đang có tệp .xls hoặc .csv, hãy mở bằng "
    "Excel và lưu lại dưới dạng “Excel Workbook (.xlsx)”."
)
NO_DATA = "Tệp không có dòng dữ liệu nào dưới dòng tiêu đề."

Progress = Callable[[int, int], None]


def max_rows() -> int:
    return getattr(settings, "IMPORT_MAX_ROWS", 100_000)


def max_unzipped_bytes() -> int:
    """Bound on the archive's uncompressed size (zip-bomb guard); 100,000 rows need ~70 MB."""
    return getattr(settings, "IMPORT_MAX_UNZIPPED_BYTES", 400 * 1024 * 1024)


def number_label(number: int) -> str:
    """50000 → "50.000" (Vietnamese digit grouping)."""
    return f"{number:,}".replace(",", ".")


def mb_label(size: int) -> str:
    """A file size for people: "1,5 MB", or "12 KB" below a megabyte."""
    if size < 1024 * 1024:
        return f"{-(-size // 1024)} KB"
    return f"{size / 1024 / 1024:.1f}".replace(".", ",").removesuffix(",0") + " MB"


class ImportFileError(Exception):
    """The file as a whole is refused (not its rows); the message says why, in Vietnamese."""


@dataclass
class ImportOutcome:
    imported: int = 0
    errors: int = 0
    """Number of bad rows."""
    error_workbook: bytes | None = None
    """The same sheet with a "Lỗi" column; None when every row is good."""
    message: str = ""
    total: int = 0
    """Data rows read (blank rows are skipped)."""
    refused: bool = False
    """The file itself was refused: not .xlsx, empty, too big, bad header, or a clash."""

    @property
    def ok(self) -> bool:
        return not self.refused and not self.errors


# --- The file -----------------------------------------------------------------


def check_file(path: Path) -> None:
    """Size, magic bytes and archive contents, before any parser sees the file."""
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise ImportFileError("Không tìm thấy tệp đã tải lên.") from exc
    if size == 0:
        raise ImportFileError("Tệp rỗng (0 byte). Hãy chọn đúng tệp .xlsx có dữ liệu.")
    if size > settings.IMPORT_MAX_BYTES:
        raise ImportFileError(
            f"Tệp dung lượng {mb_label(size)}, vượt giới hạn {mb_label(settings.IMPORT_MAX_BYTES)}. "
            "Hãy chia thành nhiều tệp nhỏ hơn."
        )
    with path.open("rb") as handle:
        head = handle.read(8)
    if head == _OLE_MAGIC:
        raise ImportFileError(
            "Đây là tệp Excel cũ (.xls) hoặc tệp Excel có đặt mật khẩu. Hãy mở bằng Excel, bỏ "
            "mật khẩu nếu có và lưu lại dưới dạng .xlsx."
        )
    if not head.startswith(_ZIP_MAGIC):
        raise ImportFileError(_NOT_XLSX)
    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, OSError) as exc:
        raise ImportFileError(_NOT_XLSX) from exc
    names = {member.filename for member in members}
    if "[Content_Types].xml" not in names or not any(n.startswith("xl/") for n in names):
        raise ImportFileError(
            "Tệp nén này không phải bảng tính Excel .xlsx (có thể là .docx, .zip…)."
        )
    # zipfile stops reading a member at its declared size, so the sum is a real bound.
    if len(members) > 1000 or sum(m.file_size for m in members) > max_unzipped_bytes():
        raise ImportFileError(
            "Nội dung giải nén của tệp lớn bất thường; tệp có thể bị hỏng hoặc không an toàn."
        )


@dataclass(frozen=True)
class _Sheet:
    title: str
    header_row: int  # 1-based, as Excel numbers rows
    width: int  # cells in the header row, up to the last non-empty one
    positions: dict[str, int]
    estimate: int  # data rows, roughly: for the progress bar and the sync/queue choice


@dataclass(frozen=True)
class _Source:
    reader: XlsxReader
    title: str
    part: str

    def rows(self) -> Iterator[Row]:
        try:
            yield from self.reader.rows(self.part)
        except XlsxError as exc:
            raise ImportFileError(_UNREADABLE) from exc


@contextmanager
def _open(path: Path) -> Iterator[_Source]:
    """The data sheet: the first one that is not the guide."""
    try:
        reader = XlsxReader(path)
    except (XlsxError, OSError, zipfile.BadZipFile) as exc:
        raise ImportFileError(_UNREADABLE) from exc
    with reader:
        sheets = [(t, p) for t, p in reader.sheets if fold(t) != fold(GUIDE_TITLE)]
        if not sheets:
            raise ImportFileError("Tệp không có trang tính dữ liệu.")
        yield _Source(reader, *sheets[0])


def _read_header(source: _Source, kind: str) -> tuple[_Sheet, Iterator[Row]]:
    """Find the header among the first rows; return it and the numbered data rows after it."""
    columns = rules.LAYOUTS[kind]
    rows = source.rows()
    head = list(islice(rows, HEADER_SEARCH_ROWS))
    best: tuple[int, dict[str, int], list[str], tuple] | None = None
    for number, cells in head:
        positions, missing = rules.match_header(cells, columns)
        if len(missing) < len(columns) and (best is None or len(missing) < len(best[2])):
            best = (number, positions, missing, cells)
    expected = ", ".join(c.header for c in columns)
    if best is None:
        raise ImportFileError(
            f"Không tìm thấy dòng tiêu đề. Dòng đầu tiên phải có các cột: {expected}."
        )
    number, positions, missing, cells = best
    if missing:
        message = f"Thiếu cột: {', '.join(missing)}. Dòng tiêu đề phải có đủ các cột: {expected}."
        other = "staff" if kind == "units" else "units"
        if not rules.match_header(cells, rules.LAYOUTS[other])[1]:
            message += f" Tệp có vẻ là danh sách {NOUNS[other]}: hãy chọn đúng loại dữ liệu."
        raise ImportFileError(message)
    width = max((i + 1 for i, v in enumerate(cells) if v not in (None, "")), default=0)
    info = _Sheet(
        title=source.title,
        header_row=number,
        width=width,
        positions=positions,
        estimate=max(0, source.reader.row_estimate(source.part) - number),
    )
    return info, chain((row for row in head if row[0] > number), rows)


def _cell(cells: tuple, index: int) -> object:
    return cells[index] if index < len(cells) else None


def inspect_workbook(*, kind: str, path: Path) -> int:
    """Check the file and its header; the (estimated) number of data rows."""
    check_file(path)
    with _open(path) as source:
        info, rows = _read_header(source, kind)
        keys = [index for key, index in info.positions.items() if key != "_error"]
        if not any(not rules.is_blank([_cell(cells, i) for i in keys]) for _, cells in rows):
            raise ImportFileError(NO_DATA)
    return info.estimate


# --- Checking -----------------------------------------------------------------


def _checker(actor: User | SystemActor, kind: str) -> rules.StaffChecker | rules.UnitChecker:
    """The row checker with what it needs from the database, loaded once."""
    today = timezone.localdate()
    scope = permissions.unit_scope(actor, ACTIONS[kind])
    units = {
        code: rules.KnownUnit(valid_from=valid_from, in_scope=pk in scope)
        for pk, code, valid_from in Unit.objects.filter(valid_to__isnull=True).values_list(
            "pk", "code", "valid_from"
        )
    }
    ended = dict(Unit.objects.filter(valid_to__isnull=False).values_list("code", "valid_to"))
    if kind == "staff":
        codes = set(Staff.objects.values_list("code", flat=True))
        return rules.StaffChecker(units=units, existing_codes=codes, today=today, ended_units=ended)
    return rules.UnitChecker(
        units=units,
        may_create_roots=scope is permissions.EVERYTHING,
        today=today,
        ended_units=ended,
    )


def _check_rows(
    rows: Iterable[tuple[int, tuple]],
    sheet: _Sheet,
    checker: rules.StaffChecker | rules.UnitChecker,
    report: Progress,
) -> tuple[list, dict[int, list[str]], int]:
    """One pass: the good records, the problems by row number, and the row count."""
    limit, estimate = max_rows(), sheet.estimate
    keys = [(key, index) for key, index in sheet.positions.items() if key != "_error"]
    records: list = []
    errors: dict[int, list[str]] = {}
    count = 0
    for number, cells in rows:
        values = {key: _cell(cells, index) for key, index in keys}
        if rules.is_blank(list(values.values())):
            continue
        count += 1
        if count > limit:
            raise ImportFileError(
                f"Tệp có hơn {number_label(limit)} dòng dữ liệu; hãy chia thành nhiều tệp nhỏ hơn."
            )
        record, problems = checker.check(number, values)
        if problems:
            errors[number] = problems
            records = []  # nothing will be written: stop keeping them
        elif not errors:
            records.append(record)
        if count % PROGRESS_EVERY == 0:
            report(count // 2, max(estimate, count))
    if count == 0:
        raise ImportFileError(NO_DATA)
    return records, errors, count


# --- Writing ------------------------------------------------------------------


_STAFF_FIELDS = [f.attname for f in Staff._meta.concrete_fields if not f.primary_key]


def _write_staff(
    *,
    actor: User | SystemActor,
    records: list[rules.StaffRecord],
    source: str,
    tick: Callable[[int], None],
) -> int:
    """Staff, their first history entry and their membership, in batches, one transaction."""
    wanted = {r.unit_code for r in records}
    units = {u.code: u for u in Unit.objects.filter(valid_to__isnull=True, code__in=wanted)}
    history = {
        "history_date": timezone.now(),
        "history_type": "+",
        "history_change_reason": "Nhập từ tệp Excel",
        "history_user_id": getattr(actor, "pk", None),
    }
    with transaction.atomic():
        for start in range(0, len(records), BATCH):
            chunk = records[start : start + BATCH]
            people = [
                services.staff_build(r, units[r.unit_code])  # a StaffRecord is a StaffSpec
                for r in chunk
            ]
            rows = [{name: getattr(p, name) for name in _STAFF_FIELDS} for p in people]
            _insert_many(Staff, rows)
            ids = dict(
                Staff.objects.filter(code__in=[p.code for p in people]).values_list("code", "pk")
            )
            _insert_many(
                Staff.history.model, [{"id": ids[row["code"]], **row, **history} for row in rows]
            )
            _insert_many(
                Membership,
                [
                    {
                        "staff_id": ids[p.code],
                        "unit_id": p.unit_id,
                        "position": p.position,
                        "valid_from": r.valid_from,
                        "valid_to": None,
                        "note": "",
                    }
                    for p, r in zip(people, chunk, strict=True)
                ],
            )
            tick(start + len(chunk))
        audit_record(
            actor=actor,
            action="staff.import",
            file=source,
            rows=len(records),
            units=dict(Counter(r.unit_code for r in records)),
        )
    return len(records)


def _write_units(
    *,
    actor: User | SystemActor,
    records: list[rules.UnitRecord],
    source: str,
    tick: Callable[[int], None],
) -> int:
    wanted = {r.parent_code for r in records if r.parent_code}
    known = {u.code: u for u in Unit.objects.filter(valid_to__isnull=True, code__in=wanted)}
    with transaction.atomic():
        # Parents come on earlier rows (the checker insists), so file order is parent-first.
        for done, r in enumerate(records, start=1):
            spec = services.UnitSpec(
                code=r.code,
                name=r.name,
                unit_type=r.unit_type,
                parent=known[r.parent_code] if r.parent_code else None,
            )
            unit = services._new_unit(spec, r.valid_from, r.basis)
            known[unit.code] = unit
            if done % PROGRESS_EVERY == 0:
                tick(done)
        audit_record(
            actor=actor,
            action="unit.import",
            file=source,
            rows=len(records),
            codes=[r.code for r in records],
        )
        transaction.on_commit(org_revision_bump)
    return len(records)


_WRITERS = {"staff": _write_staff, "units": _write_units}


def import_workbook(
    *, actor: User | SystemActor, kind: str, path: Path, progress: Progress | None = None
) -> ImportOutcome:
    """Check every row of the .xlsx at ``path``; write all of them, or none.

    ``progress(done, total)`` is called about every 1,000 rows: checking counts for
    the first half of ``total`` and writing for the second, so it only grows.
    """
    if kind not in rules.LAYOUTS:
        raise ValueError(f"unknown import kind {kind!r}")
    report: Progress = progress or (lambda done, total: None)
    try:
        check_file(path)
        with _open(path) as sheet_source:
            sheet, rows = _read_header(sheet_source, kind)
            report(0, max(sheet.estimate, 1))
            records, errors, total = _check_rows(rows, sheet, _checker(actor, kind), report)
    except ImportFileError as exc:
        return ImportOutcome(refused=True, message=str(exc))
    if errors:
        report(total, total)
        return ImportOutcome(
            errors=len(errors),
            error_workbook=_error_workbook(path, sheet, errors),
            total=total,
            message=_rejection(errors, total),
        )
    half = total // 2
    try:
        imported = _WRITERS[kind](
            actor=actor,
            records=records,
            source=path.name,
            tick=lambda written: report(half + written * (total - half) // total, total),
        )
    except (IntegrityError, ValidationError) as exc:
        # Someone changed the same units or codes between checking and writing.
        log_event("import.clash", kind=kind, file=path.name, error=str(exc)[:200])
        detail = " ".join(exc.messages) if isinstance(exc, ValidationError) else "Trùng mã."
        return ImportOutcome(
            refused=True,
            total=total,
            message=f"Dữ liệu trong hệ thống vừa thay đổi trong lúc nhập: {detail} Chưa nhập "
            "dòng nào; hãy tải tệp lên lại để kiểm tra.",
        )
    report(total, total)
    log_event("import.done", kind=kind, file=path.name, rows=imported)
    return ImportOutcome(
        imported=imported, total=total, message=f"Đã nhập {number_label(imported)} {NOUNS[kind]}."
    )


def _rejection(errors: dict[int, list[str]], total: int, shown: int = 5) -> str:
    lines = [
        f"Có {number_label(len(errors))}/{number_label(total)} dòng lỗi nên chưa nhập dòng "
        "nào. Hãy tải tệp lỗi, sửa theo cột “Lỗi” rồi tải lên lại."
    ]
    for number in sorted(errors)[:shown]:
        lines.append(f"Dòng {number}: {' '.join(errors[number])}")
    if len(errors) > shown:
        lines.append(f"… và {number_label(len(errors) - shown)} dòng lỗi khác.")
    return "\n".join(lines)


# --- Workbooks we hand back ------------------------------------------------------

_BAD_FILL = PatternFill("solid", fgColor="FFC7CE")
_BAD_FONT = Font(color="9C0006")
_HEAD_FILL = PatternFill("solid", fgColor="8B1A1A")
_HEAD_FONT = Font(bold=True, color="FFFFFF")
_WRAP = Alignment(wrap_text=True, vertical="top")


def _copied(sheet: Any, value: object) -> object:
    if isinstance(value, datetime | date):
        cell = WriteOnlyCell(sheet, value)
        cell.number_format = "DD/MM/YYYY"
        return cell
    return value  # text that looks like a formula stays text: ``xlsx.append``


def _styled(sheet: Any, text: str, fill: PatternFill, font: Font) -> WriteOnlyCell:
    cell = WriteOnlyCell(sheet, text)
    cell.fill, cell.font, cell.alignment = fill, font, _WRAP
    return cell


def _error_workbook(path: Path, sheet: _Sheet, errors: dict[int, list[str]]) -> bytes:
    """The uploaded sheet, row for row, with every problem in a "Lỗi" column."""
    index = sheet.positions.get("_error", sheet.width)
    out = Workbook(write_only=True)
    target = out.create_sheet(sheet.title)
    target.column_dimensions[get_column_letter(index + 1)].width = 80
    target.freeze_panes = f"A{sheet.header_row + 1}"
    with _open(path) as source:
        last = 0
        for number, row in source.rows():
            cells: list[object] = [_copied(target, v) for v in row]
            cells += [None] * (index + 1 - len(cells))
            if number == sheet.header_row:
                cells[index] = _styled(target, rules.ERROR_HEADER, _HEAD_FILL, _HEAD_FONT)
            elif number in errors:
                cells[index] = _styled(target, "; ".join(errors[number]), _BAD_FILL, _BAD_FONT)
            else:
                cells[index] = None
            if all(c is None for c in cells):
                continue  # an empty row: kept as a gap if anything follows it
            for _ in range(number - last - 1):
                target.append([])
            last = number
            xlsx.append(target, cells)
    buffer = io.BytesIO()
    out.save(buffer)
    return buffer.getvalue()


def _allowed_values(kind: str) -> list[tuple[str, str, list[str]]]:
    """(column key, title, labels) for the guide and the drop-down lists."""
    if kind == "units":
        return [("unit_type", "Loại đơn vị", [label for _, label in rules.IMPORTABLE_UNIT_TYPES])]
    return [
        ("gender", "Giới tính", list(vietnamese_labels(Gender.choices).values())),
        ("category", "Phân loại", list(vietnamese_labels(StaffCategory.choices).values())),
        ("is_leader", "Lãnh đạo", ["Có", "Không"]),
    ]


def template_workbook(kind: str) -> bytes:
    """An empty workbook with the header row and a "Hướng dẫn" sheet explaining it."""
    columns = rules.LAYOUTS[kind]
    workbook = Workbook()
    data = workbook.active
    data.title = SHEET_TITLES[kind]
    data.append([c.header + rules.HEADER_HINTS.get(c.key, "") for c in columns])
    for position, column in enumerate(columns, start=1):
        letter = get_column_letter(position)
        data.cell(row=1, column=position).font = Font(bold=True)
        data.column_dimensions[letter].width = max(14, len(data.cell(1, position).value) + 4)
        data.column_dimensions[letter].number_format = column.number_format
    data.freeze_panes = "A2"

    guide = workbook.create_sheet(GUIDE_TITLE)
    guide.append([f"Mẫu nhập {NOUNS[kind]} — CôngVụ"])
    guide.append([])
    guide.append(["Cột", "Bắt buộc", "Nội dung, định dạng", "Ví dụ"])
    for column in columns:
        guide.append(
            [column.header, "Có" if column.required else "Không", column.guide, column.example]
        )
    letters = {c.key: get_column_letter(i) for i, c in enumerate(columns, start=1)}
    for key, title, labels in _allowed_values(kind):
        guide.append([])
        guide.append([f"Giá trị cho phép — {title}"])
        first = guide.max_row + 1
        for label in labels:
            guide.append(["", label])
        check = DataValidation(
            type="list",
            formula1=f"'{GUIDE_TITLE}'!$B${first}:$B${guide.max_row}",
            allow_blank=True,
            errorStyle="warning",
            error="Giá trị không có trong danh sách; xem trang Hướng dẫn.",
        )
        check.add(f"{letters[key]}2:{letters[key]}{max_rows() + 1}")
        data.add_data_validation(check)
    guide.append([])
    guide.append(["Quy tắc"])
    for line in (
        "Mỗi dòng dưới dòng tiêu đề là một " + NOUNS[kind] + "; dòng trống được bỏ qua.",
        "Chữ hoa, chữ thường và dấu tiếng Việt không ảnh hưởng khi so khớp giá trị cho phép.",
        "Tệp có bất kỳ dòng lỗi nào sẽ không được nhập; hệ thống trả lại chính tệp đó với cột “Lỗi”.",
        f"Tối đa {number_label(max_rows())} dòng và {mb_label(settings.IMPORT_MAX_BYTES)} mỗi tệp, định dạng .xlsx.",
    ):
        guide.append(["", line])
    for row in (1, 3):
        for cell in guide[row]:
            cell.font = Font(bold=True)
    for letter, width in zip("ABCD", (24, 12, 90, 26), strict=True):
        guide.column_dimensions[letter].width = width
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
