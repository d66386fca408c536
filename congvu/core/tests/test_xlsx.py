"""Excel exports never carry a live formula: text a spreadsheet would read as one (=, +, -, @,
a tab, a carriage return first) is written as text, by the one helper every export uses."""

import io
from datetime import date, datetime
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from congvu.core import xlsx
from congvu.core.actors import SYSTEM
from congvu.discipline.services import DecisionSpec, discipline_record
from congvu.evaluations import documents
from congvu.evaluations.selectors import UnitProgress
from congvu.testing import export_via_job, make_staff

EVIL = '=HYPERLINK("http://evil","x")'
STARTS = ["=1+2", "+84 912 345 678", "-2+3", "@SUM(A1:A9)", "\t=1+2", "\r=1+2"]


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("=1+1", True),
        ("+1", True),
        ("-1", True),
        ("@x", True),
        ("\tx", True),
        ("\rx", True),
        ("Sở Y tế", False),
        (" =1", False),
        ("a=1", False),
        ("", False),
        ("—", False),
        (-1, False),
        (Decimal("-2.5"), False),
        (None, False),
        (date(2026, 1, 1), False),
    ],
)
def test_what_counts_as_a_formula(value, expected):
    assert xlsx.formula_like(value) is expected


def _read(content: bytes):
    return load_workbook(io.BytesIO(content))


def _saved(book: Workbook) -> bytes:
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


@pytest.mark.parametrize("write_only", [True, False])
def test_the_helper_writes_text_as_text_numbers_as_numbers_dates_as_dates(write_only):
    book = Workbook(write_only=write_only)
    sheet = book.create_sheet("x") if write_only else book.active
    day, moment = date(2026, 11, 21), datetime(2026, 11, 21, 10, 30)
    xlsx.append(sheet, [*STARTS, EVIL, "thường", -3, Decimal("1.5"), day, moment])
    cells = list(_read(_saved(book)).worksheets[0].iter_rows())[0]
    for cell, value in zip(cells, [*STARTS, EVIL], strict=False):
        assert (cell.value, cell.data_type, cell.quotePrefix) == (value, "s", True)
    assert (cells[7].value, cells[7].data_type) == ("thường", "s")
    assert (cells[8].value, cells[8].data_type) == (-3, "n")
    assert (cells[9].value, cells[9].data_type) == (1.5, "n")
    assert cells[10].value.date() == day and cells[10].is_date
    assert cells[11].value == moment and cells[11].is_date


def assert_no_formula(content: bytes, *texts: str) -> None:
    """No cell of any sheet is a formula, and each of ``texts`` is in a text cell."""
    found = {}
    for sheet in _read(content).worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", f"{sheet.title}!{cell.coordinate}: {cell.value!r}"
                if isinstance(cell.value, str):
                    found[cell.value] = cell.data_type
    for text in texts:
        cells = [v for v in found if text in v]
        assert cells and all(found[v] == "s" for v in cells), text


# --- Every export ---------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_report_export_keeps_a_citizens_formula_as_text(province, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    from congvu.accounts.services import role_assign
    from congvu.feedback.tests.conftest import file_report

    file_report("KHA-SYT", description=EVIL, place="+ Quầy số 3", official_name="@Anh Hùng")
    file_report("KHA-SYT", description="-1+1 cán bộ hẹn ba lần không giải quyết hồ sơ.")
    handler = province.users["outsider"]
    role_assign(
        actor=SYSTEM,
        user=handler,
        role="handler",
        unit=province.units["syt"],
        valid_from=date(2024, 1, 1),
    )
    client = Client()
    client.force_login(handler)
    _, content = export_via_job(client, reverse("feedback:handling_export"))
    assert_no_formula(content, EVIL, "+ Quầy số 3", "@Anh Hùng", "-1+1 cán bộ")


@pytest.mark.django_db
def test_the_staff_export_keeps_formulas_as_text(client, province, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    make_staff(province.units["syt"], "Lê", "Văn", "Tám", position=EVIL)
    make_staff(province.units["syt"], "Lê", "Văn", "Chín", position="-Phó phòng")
    make_staff(province.units["syt"], "Lê", "Văn", "Mười", position="@Tổ trưởng")
    client.force_login(province.users["head_syt"])
    _, content = export_via_job(client, reverse("organisations:staff_export"))
    assert_no_formula(content, EVIL, "-Phó phòng", "@Tổ trưởng")


@pytest.mark.django_db
def test_the_discipline_export_keeps_formulas_as_text(client, province, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    for violation in (EVIL, "+cmd|' /C calc'!A0", "@SUM(1+1)*cmd|' /C calc'!A0"):
        discipline_record(
            actor=SYSTEM,
            staff=province.staff["syt_cc"],
            spec=DecisionSpec(
                form="khien_trach",
                decision_number=f"{len(violation)}/QĐ-SYT",
                decision_date=date(2026, 3, 1),
                issuer="-Sở Y tế",
                effective_from=date(2026, 3, 1),
                violation=violation,
            ),
        )
    client.force_login(province.users["head_syt"])
    _, content = export_via_job(client, reverse("discipline:record_export"))
    assert_no_formula(
        content, EVIL, "+cmd|' /C calc'!A0", "@SUM(1+1)*cmd|' /C calc'!A0", "-Sở Y tế"
    )
    dates = [c for c in _read(content).active["I"][1:] if c.value is not None]
    assert dates and all(c.is_date for c in dates)  # dates stay dates


@pytest.mark.django_db
def test_the_catalogue_export_keeps_a_units_formula_rules_as_text(client, province):
    from congvu.standards import services

    services.catalogues_load(actor=SYSTEM)
    result = services.supplement_version_create(
        actor=province["head_syt"],
        unit=province["syt"],
        title="Nội quy Sở Y tế",
        version="2026.1",
        effective_from=date(2026, 12, 1),
        rules_text=f"# Giờ làm việc\n{EVIL}\n+ Có mặt trước 7 giờ 30\n@Tất cả cán bộ",
    )
    client.force_login(province.users["head_syt"])
    url = reverse("standards:version_export", args=[result.code, result.version])
    response = client.get(url)
    assert response.status_code == 200
    assert_no_formula(response.content, EVIL, "Có mặt trước 7 giờ 30", "@Tất cả cán bộ")


def test_the_council_list_and_progress_exports_keep_formulas_as_text():
    staff = SimpleNamespace(code="-CB01", full_name=EVIL)
    evaluation = SimpleNamespace(staff=staff, group="@nhóm", state="submitted")
    listing = SimpleNamespace(
        rows=[SimpleNamespace(evaluation=evaluation, score=Decimal("-1"), level="HTT")]
    )
    content = documents.council_xlsx(listing)
    assert_no_formula(content, EVIL, "-CB01", "@nhóm")
    row = list(_read(content).active.iter_rows(min_row=2, values_only=True))[0]
    assert row[0] == 1 and row[5] == -1  # numbers stay numbers
    progress = [UnitProgress(unit_id=1, code="+KHA", name=EVIL, counts={"draft": 2}, late=1)]
    assert_no_formula(documents.progress_xlsx(progress), EVIL, "+KHA")
