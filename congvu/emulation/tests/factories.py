"""Emulation test data over the test province: yearly ratings written straight as published
evaluations (the evaluation workflow has its own tests), achievements, initiatives."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from congvu.emulation.models import Achievement, Initiative
from congvu.evaluations.models import Evaluation, EvaluationCycle
from congvu.standards.models import CatalogueVersion

MOMENT = datetime(2026, 1, 10, 9, 0, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))


def _catalogue() -> CatalogueVersion:
    found = CatalogueVersion.objects.order_by("pk").first()
    if found is None:
        from pathlib import Path

        from congvu.core.actors import SYSTEM
        from congvu.standards.services import catalogues_load

        path = Path(__file__).resolve().parents[2] / "standards" / "catalogues" / "vhcs"
        catalogues_load(actor=SYSTEM, paths=[path / "2007.1.yaml"])
        found = CatalogueVersion.objects.order_by("pk").first()
    assert found is not None
    return found


def yearly_cycle(root, year: int, subject: str = "individual") -> EvaluationCycle:
    found = EvaluationCycle.objects.filter(
        root_unit=root, year=year, period_kind="year", subject=subject
    ).first()
    if found:
        return found
    return EvaluationCycle.objects.create(
        title=f"Đánh giá năm {year}",
        subject=subject,
        period_kind="year",
        year=year,
        start_date=date(year, 1, 1),
        end_date=date(year, 12, 31),
        catalogue_version=_catalogue(),
        root_unit=root,
        self_deadline=date(year, 12, 10),
        manager_deadline=date(year, 12, 15),
        council_deadline=date(year, 12, 20),
        status="closed",
        created_at=MOMENT,
    )


def rate(root, staff, ratings: dict[int, str], unit=None) -> None:
    """Published yearly ratings of ``staff`` (``unit``: where they were that year)."""
    for year, level in ratings.items():
        Evaluation.objects.create(
            cycle=yearly_cycle(root, year),
            staff=staff,
            unit=unit or staff.unit,
            category=staff.category,
            regime="nd335" if year >= 2026 else "nd90",
            state="published",
            locked=True,
            final_level=level,
            months_worked=12,
            created_at=MOMENT,
            updated_at=MOMENT,
            published_at=MOMENT,
        )


def rate_unit(root, unit, ratings: dict[int, str]) -> None:
    for year, level in ratings.items():
        Evaluation.objects.create(
            cycle=yearly_cycle(root, year, subject="collective"),
            staff=None,
            unit=unit,
            state="published",
            locked=True,
            final_level=level,
            created_at=MOMENT,
            updated_at=MOMENT,
            published_at=MOMENT,
        )


def award(staff=None, unit=None, code="CSTDCS", year=2025, **more) -> Achievement:
    return Achievement.objects.create(
        staff=staff,
        unit=unit,
        unit_then=unit or staff.unit,
        award=code,
        year=year,
        source_document=more.pop("source_document", f"QĐ {year}"),
        **more,
    )


def initiative(staff=None, unit=None, year=2025, level="co_so", title="Sáng kiến số hóa hồ sơ"):
    return Initiative.objects.create(
        staff=staff,
        unit=unit,
        title=title,
        level=level,
        year=year,
        recognised_by=f"QĐ công nhận sáng kiến năm {year}",
    )
