"""Official documents in the ND 30/2020 layout (core.official_docx), opened with python-docx:
page size, margins, fonts, the Quốc hiệu block, the date rule, the number and code, page
numbers from page 2 (docs/legal/documents.md#v-1)."""

from datetime import date
from io import BytesIO

import pytest
from docx import Document
from docx.shared import Pt

from congvu.core.official_docx import (
    QUOC_HIEU,
    TIEU_NGU,
    Issuer,
    OfficialDocument,
    Signer,
    official_date,
)


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (date(2026, 2, 5), "ngày 05 tháng 02 năm 2026"),  # day under 10, month 2: padded
        (date(2026, 1, 31), "ngày 31 tháng 01 năm 2026"),  # month 1: padded
        (date(2026, 3, 9), "ngày 09 tháng 3 năm 2026"),  # month 3: not padded
        (date(2019, 7, 12), "ngày 12 tháng 7 năm 2019"),  # as seed 000 writes it
        (date(2025, 12, 1), "ngày 01 tháng 12 năm 2025"),
        (date(2025, 10, 10), "ngày 10 tháng 10 năm 2025"),
    ],
)
def test_dates_pad_days_under_10_and_months_1_and_2_only(day, expected):
    assert official_date(day) == expected


@pytest.fixture
def opened():
    document = OfficialDocument(
        issuer=Issuer("Ủy ban nhân dân tỉnh Khánh Hòa"),
        code="6861/KH-UBND",
        day=date(2019, 7, 12),
        doc_type="Kế hoạch",
        summary="Triển khai thực hiện Đề án văn hóa công vụ",
        place="Khánh Hòa",
    )
    document.bases(["Căn cứ Quyết định số 1847/QĐ-TTg ngày 27/12/2018;", "Căn cứ Quyết định 319"])
    document.heading("I. MỤC ĐÍCH, YÊU CẦU")
    for n in range(80):  # long enough for a second page
        document.paragraph(f"Đoạn {n}: nội dung kế hoạch.")
    document.table(["STT", "Nội dung"], [[1, "Tuyên truyền"], [2, None]])
    document.closing(
        recipients=["Bộ Nội vụ", "Lưu: VT"],
        signers=[Signer("Chủ tịch", "Nguyễn Văn A", "TM. UBND")],
    )
    return Document(BytesIO(document.to_bytes()))


def test_a4_portrait_with_the_nd30_margins(opened):
    section = opened.sections[0]

    def mm(length):  # Word stores twentieths of a point: compare to a tenth of a millimetre
        return round(length.mm, 1)

    assert (mm(section.page_width), mm(section.page_height)) == (210, 297)
    assert (mm(section.top_margin), mm(section.bottom_margin)) == (20, 20)
    assert (mm(section.left_margin), mm(section.right_margin)) == (30, 15)


def test_every_run_is_times_new_roman(opened):
    """Every run's font, set on the run or inherited from its paragraph's style (the table
    cells) or from Normal, is Times New Roman, at every script."""
    normal = opened.styles["Normal"]
    paragraphs = list(opened.paragraphs) + [
        p for t in opened.tables for row in t.rows for c in row.cells for p in c.paragraphs
    ]
    runs = [(p, r) for p in paragraphs for r in p.runs if r.text]
    assert runs
    for paragraph, run in runs:
        effective = run.font.name or paragraph.style.font.name or normal.font.name
        assert effective == "Times New Roman", run.text
    assert normal.font.name == "Times New Roman"
    assert 'w:eastAsia="Times New Roman"' in normal.element.xml


def test_the_header_boxes(opened):
    left, right = opened.tables[0].rows[0].cells
    issuer = left.paragraphs[0].runs[0]
    assert issuer.text == "ỦY BAN NHÂN DÂN TỈNH KHÁNH HÒA" and issuer.bold
    assert left.paragraphs[1].text == "Số: 6861/KH-UBND"
    quoc_hieu, tieu_ngu, when = right.paragraphs[:3]
    assert quoc_hieu.text == QUOC_HIEU and quoc_hieu.runs[0].bold
    assert quoc_hieu.runs[0].font.size == Pt(12)
    assert tieu_ngu.text == TIEU_NGU and tieu_ngu.runs[0].bold
    assert tieu_ngu.runs[0].font.size == Pt(13)
    assert when.text == "Khánh Hòa, ngày 12 tháng 7 năm 2019" and when.runs[0].italic


def test_type_summary_bases_and_closing(opened):
    texts = [p.text for p in opened.paragraphs]
    assert texts[0] == "KẾ HOẠCH" and opened.paragraphs[0].runs[0].bold
    assert texts[1] == "Triển khai thực hiện Đề án văn hóa công vụ"
    assert texts[2].endswith("27/12/2018;") and texts[3].endswith("319.")
    assert opened.paragraphs[2].runs[0].italic
    closing = opened.tables[-1].rows[0].cells
    assert closing[0].paragraphs[0].text == "Nơi nhận:"
    assert "- Lưu: VT;" in [p.text for p in closing[0].paragraphs]
    signer = [p.text for p in closing[1].paragraphs]
    assert signer[0] == "TM. UBND" and signer[1] == "CHỦ TỊCH" and signer[-1] == "Nguyễn Văn A"


def test_page_numbers_centred_at_the_top_from_page_two(opened):
    section = opened.sections[0]
    assert section.different_first_page_header_footer
    header = section.header.paragraphs[0]
    assert header.alignment == 1  # centred
    assert "PAGE" in header._element.xml
    assert not section.first_page_header.paragraphs[0].text


def test_the_place_is_a_dated_setting_by_default():
    document = OfficialDocument(
        issuer=Issuer("Sở Nội vụ", parent="UBND tỉnh Khánh Hòa"),
        code="1/BC-SNV",
        day=date(2026, 2, 5),
        doc_type="Báo cáo",
    )
    opened = Document(BytesIO(document.to_bytes()))
    left, right = opened.tables[0].rows[0].cells
    assert [p.text for p in left.paragraphs[:2]] == ["UBND TỈNH KHÁNH HÒA", "SỞ NỘI VỤ"]
    assert right.paragraphs[2].text == "Khánh Hòa, ngày 05 tháng 02 năm 2026"


def test_the_margins_are_a_dated_setting_and_a_mistyped_override_falls_back():
    from congvu.core.official_docx import margins

    day = date(2026, 1, 1)
    assert [round(v.mm) for v in margins(day).values()] == [20, 20, 30, 15]
    province = {"documents.margins_mm": "25, 25, 35, 20"}
    assert [round(v.mm) for v in margins(day, province).values()] == [25, 25, 35, 20]
    for typo in ("20, 20, 30", "200, 20, 30, 15"):
        mistyped = {"documents.margins_mm": typo}
        assert [round(v.mm) for v in margins(day, mistyped).values()] == [20, 20, 30, 15]


def test_the_province_names_its_own_place():
    document = OfficialDocument(
        issuer=Issuer("Sở Nội vụ"),
        code="1/BC-SNV",
        day=date(2026, 3, 9),
        doc_type="Báo cáo",
        overrides={"documents.place": "Lâm Đồng"},
    )
    right = Document(BytesIO(document.to_bytes())).tables[0].rows[0].cells[1]
    assert right.paragraphs[2].text == "Lâm Đồng, ngày 09 tháng 3 năm 2026"
