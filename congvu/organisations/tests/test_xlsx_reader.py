"""The fast .xlsx reader gives the same values as openpyxl, without its cost."""

import io
import zipfile
from datetime import date, datetime

import pytest
from openpyxl import Workbook, load_workbook
from openpyxl.cell.rich_text import CellRichText, TextBlock
from openpyxl.cell.text import InlineFont
from openpyxl.utils.datetime import CALENDAR_MAC_1904

from congvu.organisations.xlsx_reader import XlsxError, XlsxReader


def _openpyxl_rows(path) -> list[tuple[int, tuple]]:
    workbook = load_workbook(path, read_only=True, data_only=True)
    sheet = workbook.worksheets[0]
    sheet.reset_dimensions()
    rows = []
    for number, row in enumerate(sheet.iter_rows(values_only=True), start=1):
        values = list(row)
        while values and values[-1] is None:
            values.pop()
        if values:
            rows.append((number, tuple(values)))
    workbook.close()
    return rows


def _our_rows(path) -> list[tuple[int, tuple]]:
    with XlsxReader(path) as reader:
        return [(n, row) for n, row in reader.rows(reader.sheets[0][1]) if row]


def _fill(sheet) -> None:
    sheet.append(["Mã CB", "Họ", "Năm sinh", "Từ ngày", "Lãnh đạo", "Hệ số"])
    sheet.append(["A-01", "Nguyễn", 1985, datetime(2020, 3, 1), True, 2.34])
    sheet.append(["A-02", None, 1990.0, "01/03/2020", False, -1.5e-3])
    sheet.append([])
    sheet.append([None, None, None, None, None, "cuối"])
    sheet.append(["=A2", "  khoảng   trắng  ", 0, date(1999, 12, 31), None, 10**12])


@pytest.mark.parametrize("write_only", [False, True], ids=["shared-strings", "inline-strings"])
def test_reader_matches_openpyxl(tmp_path, write_only):
    workbook = Workbook(write_only=write_only)
    sheet = workbook.create_sheet("Cán bộ") if write_only else workbook.active
    _fill(sheet)
    path = tmp_path / "a.xlsx"
    workbook.save(path)
    assert _our_rows(path) == _openpyxl_rows(path)
    with XlsxReader(path) as reader:
        assert reader.sheets[0][0] == ("Cán bộ" if write_only else "Sheet")
        assert reader.row_estimate(reader.sheets[0][1]) >= 6


def test_reader_reads_rich_text_dates_in_1904_and_sheets_in_order(tmp_path):
    workbook = Workbook()
    workbook.epoch = CALENDAR_MAC_1904
    first = workbook.active
    first.title = "Đơn vị"
    first["A1"] = CellRichText(["Sở ", TextBlock(InlineFont(b=True), "Y tế")])
    first["B1"] = datetime(2025, 7, 1)
    first["C7"] = "xa"
    workbook.create_sheet("Hướng dẫn")["A1"] = "x"
    path = tmp_path / "b.xlsx"
    workbook.save(path)
    with XlsxReader(path) as reader:
        assert [title for title, _ in reader.sheets] == ["Đơn vị", "Hướng dẫn"]
        rows = list(reader.rows(reader.sheets[0][1]))
    assert rows == [(1, ("Sở Y tế", datetime(2025, 7, 1))), (7, (None, None, "xa"))]


def test_a_part_with_a_dtd_is_refused(tmp_path):
    workbook = Workbook()
    workbook.active["A1"] = "x"
    source = io.BytesIO()
    workbook.save(source)
    path = tmp_path / "dtd.xlsx"
    with (
        zipfile.ZipFile(io.BytesIO(source.getvalue())) as original,
        zipfile.ZipFile(path, "w") as patched,
    ):
        for item in original.infolist():
            data = original.read(item)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = data.replace(
                    b"<worksheet",
                    b'<!DOCTYPE x [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;">]><worksheet',
                    1,
                )
            patched.writestr(item, data)
    with XlsxReader(path) as reader, pytest.raises(XlsxError):
        list(reader.rows(reader.sheets[0][1]))
