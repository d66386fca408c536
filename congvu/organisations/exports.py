"""Excel export of a scoped staff list (openpyxl write-only)."""

from django.db.models import QuerySet
from django.http import HttpResponse
from openpyxl import Workbook

from congvu.core import xlsx
from congvu.core.i18n import vietnamese_labels
from congvu.core.logging import log_event
from congvu.organisations.models import Staff, StaffCategory

EXPORT_HEADERS = ["Mã CB", "Họ", "Đệm", "Tên", "Giới tính", "Năm sinh", "Phân loại", "Chức vụ",
                  "Lãnh đạo", "Mã đơn vị", "Tên đơn vị"]  # fmt: skip


def staff_xlsx_response(*, user, staff: QuerySet[Staff]) -> HttpResponse:
    categories = vietnamese_labels(StaffCategory.choices)
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Cán bộ")
    xlsx.append(sheet, EXPORT_HEADERS)
    rows = 0
    for s in staff.values_list(
        "code", "ho", "dem", "ten", "gender", "birth_year", "category", "position", "is_leader",
        "unit__code", "unit__name",
    ).iterator(chunk_size=2000):  # fmt: skip
        code, ho, dem, ten, gender, year, category, position, leader, unit_code, unit_name = s
        xlsx.append(sheet, [code, ho, dem, ten, {"nam": "Nam", "nu": "Nữ"}.get(gender, "Khác"),
                            year, categories.get(category, category), position,
                            "Có" if leader else "Không", unit_code, unit_name])  # fmt: skip
        rows += 1
    log_event("export.staff", user=user.pk, rows=rows)
    return xlsx.xlsx_response(workbook, "can-bo.xlsx")
