"""A plan's official Word file (ND 30/2020) and its tasks' Excel sheet, opened back."""

from datetime import date
from io import BytesIO

import pytest
from docx import Document
from openpyxl import load_workbook

from congvu.plans import documents, rules
from congvu.plans.models import DocumentLink, DocumentType, LegalDocument, LinkKind, Plan, Task

pytestmark = pytest.mark.django_db


@pytest.fixture
def plan(province):
    decision = LegalDocument.objects.create(
        doc_type=DocumentType.QUYET_DINH,
        code="1847/QĐ-TTg",
        issued_on=date(2018, 12, 27),
        issuer="Thủ tướng Chính phủ",
        summary="phê duyệt Đề án Văn hóa công vụ",
    )
    doc = LegalDocument.objects.create(
        doc_type=DocumentType.KE_HOACH,
        number="6861",
        code="6861/KH-UBND",
        issued_on=date(2019, 7, 12),
        issuer="Ủy ban nhân dân tỉnh Khánh Hòa",
        summary="Triển khai thực hiện Đề án văn hóa công vụ",
    )
    DocumentLink.objects.create(source=doc, target=decision, kind=LinkKind.IMPLEMENTS)
    plan = Plan.objects.create(
        document=doc,
        title="Triển khai thực hiện Đề án văn hóa công vụ",
        owner=province.units["kh"],
        purposes="Thực hiện có hiệu quả Quyết định số 1847/QĐ-TTg.",
    )
    Task.objects.create(
        plan=plan,
        number="II.1",
        position=1,
        content="Đẩy mạnh công tác thông tin, tuyên truyền.",
        kind=rules.ONGOING,
        day=15,
        month=11,
        from_year=2019,
        timing_text="thường xuyên",
    )
    Task.objects.create(
        plan=plan,
        number="III.1.b",
        position=2,
        content="=Báo cáo kết quả thực hiện hằng năm.",
        kind=rules.YEARLY,
        day=15,
        month=11,
        from_year=2019,
        lead_text="Các sở, ban, ngành",
    )
    return plan


def test_the_plan_as_an_official_word_file(plan):
    opened = Document(BytesIO(documents.plan_docx(plan, list(plan.tasks.all()))))
    left, right = opened.tables[0].rows[0].cells
    assert left.paragraphs[-1].text == "Số: 6861/KH-UBND"
    assert right.paragraphs[2].text == "Khánh Hòa, ngày 12 tháng 7 năm 2019"
    texts = [p.text for p in opened.paragraphs]
    assert texts[:2] == ["KẾ HOẠCH", "Triển khai thực hiện Đề án văn hóa công vụ"]
    assert texts[2].startswith("Thực hiện Quyết định số 1847/QĐ-TTg ngày 27/12/2018")
    assert texts[2].endswith(".")
    assert "II.1. Đẩy mạnh công tác thông tin, tuyên truyền." in texts
    assert "Thời gian: thường xuyên." in texts
    assert "Thời gian: hằng năm trước ngày 15/11, từ năm 2019." in texts
    assert "Chủ trì: Các sở, ban, ngành." in texts


def test_the_tasks_as_an_excel_sheet_with_vietnamese_headers(plan):
    sheet = load_workbook(BytesIO(documents.tasks_xlsx(plan, list(plan.tasks.all())))).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[1] == tuple(documents.TASK_HEADERS)
    assert rows[2][:4] == (
        "II.1",
        "Đẩy mạnh công tác thông tin, tuyên truyền.",
        "thường xuyên",
        "Thường xuyên",
    )
    formula_like = sheet.cell(row=4, column=2)
    assert formula_like.value.startswith("=") and formula_like.data_type == "s"  # text, not run


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        ({"kind": rules.BY_DATE, "due_on": date(2019, 7, 31)}, "trước ngày 31/07/2019"),
        ({"kind": rules.BY_YEAR, "year": 2020}, "trong năm 2020"),
        (
            {"kind": rules.YEARLY, "day": 1, "month": 12, "from_year": 2019, "to_year": 2025},
            "hằng năm trước ngày 01/12, từ năm 2019 đến năm 2025",
        ),
        (
            {"kind": rules.CONDITIONAL, "within_days": 30},
            "sau sự kiện (chưa xảy ra), trong 30 ngày",
        ),
        (
            {"kind": rules.CONDITIONAL, "event_date": date(2020, 8, 13)},
            "sau sự kiện (ngày 13/08/2020)",
        ),
    ],
)
def test_timing_in_words(fields, expected):
    assert documents.timing_label(Task(**fields)) == expected
