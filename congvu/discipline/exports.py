"""Excel export of the scoped, filtered discipline register (openpyxl write-only)."""

from django.db.models import QuerySet
from django.http import HttpResponse
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell

from congvu.core import xlsx
from congvu.core.i18n import vietnamese_labels
from congvu.core.logging import log_event
from congvu.discipline.models import DisciplineRecord
from congvu.discipline.rules import FORMS, SYSTEMS
from congvu.organisations.models import StaffCategory

HEADERS = [
    "Mã CB", "Họ và tên", "Đơn vị khi bị kỷ luật", "Phân loại", "Lãnh đạo", "Loại kỷ luật",
    "Hình thức", "Số quyết định", "Ngày quyết định", "Cơ quan quyết định", "Có hiệu lực từ",
    "Hết hiệu lực từ", "Hành vi vi phạm", "Liên quan công vụ", "Hủy bỏ ngày", "Lý do hủy bỏ",
]  # fmt: skip
DATE_COLUMNS = {8, 10, 11, 14}


def register_xlsx_response(*, user, records: QuerySet[DisciplineRecord]) -> HttpResponse:
    categories = vietnamese_labels(StaffCategory.choices)
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Kỷ luật")
    xlsx.append(sheet, HEADERS)
    rows = 0
    for r in records.select_related("staff", "unit").iterator(chunk_size=2000):
        values = [
            r.staff.code, r.staff.full_name, r.unit.name, categories.get(r.category, r.category),
            "Có" if r.is_leader else "Không", SYSTEMS.get(r.system, r.system),
            FORMS.get(r.form, r.form), r.decision_number, r.decision_date, r.issuer,
            r.effective_from, r.effective_to, r.violation, "Có" if r.duty_related else "Không",
            timezone.localtime(r.revoked_at).date() if r.revoked_at else None, r.revoke_reason,
        ]  # fmt: skip
        xlsx.append(
            sheet, [_cell(sheet, v) if i in DATE_COLUMNS else v for i, v in enumerate(values)]
        )
        rows += 1
    log_event("export.discipline", user=user.pk, rows=rows)
    return xlsx.xlsx_response(workbook, "so-ky-luat.xlsx")


def _cell(sheet, value) -> WriteOnlyCell:
    cell = WriteOnlyCell(sheet, value=value)
    cell.number_format = "DD/MM/YYYY"
    return cell
