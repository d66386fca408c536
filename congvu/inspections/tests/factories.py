"""An inspection of Sở Y tế organised by Sở Nội vụ, for tests."""

from datetime import date

from congvu.inspections import services
from congvu.inspections.models import Inspection
from congvu.testing import Province

KEY = "3f2a9c1e-7b4d-4e2a-9f1c-0a1b2c3d4e5f"


def inspection_of_syt(province: Province, kind: str = "planned", **extra) -> Inspection:
    spec = services.InspectionSpec(
        owner=province.units["snv"],
        unit=province.units["syt"],
        kind=kind,
        title="Kiểm tra văn hóa công sở tại Sở Y tế",
        scheduled_on=date(2026, 11, 25),
        decision_code="15/QĐ-SNV",
        decision_date=date(2026, 11, 10),
        areas=extra.pop("areas", ("B", "E")),
        free_items=extra.pop("free_items", ("Sổ góp ý đặt tại bộ phận một cửa",)),
        **extra,
    )
    return services.inspection_create(actor=province.users["snv"], spec=spec)
