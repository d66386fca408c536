"""A small plan for tests: one task of each kind of timing, issued by UBND tỉnh Khánh Hòa."""

from datetime import date

from congvu.core.actors import SYSTEM
from congvu.plans import services
from congvu.plans.models import Plan
from congvu.plans.services import TaskSpec

ISSUED = date(2019, 7, 12)
TASKS = (
    TaskSpec(
        "III.1.a",
        "Cụ thể hóa kế hoạch của đơn vị",
        {"kind": "by_date", "date": "2019-07-31"},
        "trong tháng 7/2019",
    ),
    TaskSpec("II.2", "Rà soát nội quy, quy chế", {"kind": "by_year", "year": 2020}),
    TaskSpec(
        "III.1.b",
        "Báo cáo kết quả hằng năm",
        {"kind": "yearly", "day": 15, "month": 11, "from_year": 2019, "to_year": None},
        "trước ngày 15/11",
    ),
    TaskSpec(
        "II.1",
        "Tuyên truyền, phổ biến",
        {"kind": "ongoing", "report_day": 15, "report_month": 11, "from_year": 2019},
        "thường xuyên",
    ),
    TaskSpec(
        "II.6",
        "Đưa tiêu chí vào đánh giá",
        {"kind": "conditional", "event_date": None, "within_days": None},
        event="Chính phủ ban hành Nghị định mới",
    ),
)


def make_plan(province, code: str = "6861/KH-UBND", actor=SYSTEM) -> Plan:
    document = services.document_create(
        actor=actor,
        doc_type="ke_hoach",
        code=code,
        issued_on=ISSUED,
        issuer="Ủy ban nhân dân tỉnh Khánh Hòa",
        summary="Triển khai thực hiện Đề án văn hóa công vụ",
    )
    return services.plan_create(
        actor=actor,
        document=document,
        owner=province.units["kh"],
        title="Kế hoạch triển khai Đề án văn hóa công vụ",
        tasks=TASKS,
    )
