"""``congvu plan-report --unit CODE --year YYYY --docx OUT [--xlsx OUT] [--consolidated]
[--plan CODE]``: a unit's yearly periodic report, or Sở Nội vụ's consolidated one, written as
the pages would (docs/plans.md). Exit 0; bad input: exit 2 with a Vietnamese message."""

from datetime import date
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from congvu.organisations.models import Unit
from congvu.organisations.selectors import unit_lineage_ids
from congvu.plans import documents, reporting
from congvu.plans.models import Assignment, PeriodicReport, Plan


class Command(BaseCommand):
    help = (
        "Xuất báo cáo định kỳ năm của một đơn vị (hoặc báo cáo tổng hợp của Sở Nội vụ với "
        "--consolidated) ra Word (--docx) và Excel (--xlsx), như trên trang."
    )

    def add_arguments(self, parser):
        parser.add_argument("--unit", required=True, metavar="CODE", help="Mã đơn vị.")
        parser.add_argument("--year", required=True, type=int, metavar="YYYY", help="Năm báo cáo.")
        parser.add_argument("--docx", metavar="OUT", help="Tệp Word (.docx) để ghi.")
        parser.add_argument("--xlsx", metavar="OUT", help="Tệp Excel (.xlsx) để ghi.")
        parser.add_argument("--consolidated", action="store_true", help="Báo cáo tổng hợp.")
        parser.add_argument(
            "--plan", metavar="CODE", help="Số, ký hiệu kế hoạch (vd 6861/KH-UBND)."
        )

    def _fail(self, message: str) -> None:
        raise CommandError(message, returncode=2)

    def handle(
        self,
        *args,
        unit: str,
        year: int,
        docx=None,
        xlsx=None,
        consolidated=False,
        plan=None,
        **options,
    ):
        if not docx and not xlsx:
            self._fail("Cần ít nhất một trong --docx, --xlsx.")
        today = timezone.localdate()
        if not 2000 <= year <= today.year:
            self._fail(f"Năm báo cáo không hợp lệ: {year}.")
        found = Unit.objects.filter(code=unit.strip().upper()).first()
        if found is None:
            self._fail(f"Không có đơn vị mã {unit}.")
        day = min(today, date(year, 12, 31))
        plans = Plan.objects.select_related("document").order_by("-document__issued_on", "pk")
        if plan:
            plans = plans.filter(document__code=plan.strip())
            if not plans.exists():
                self._fail(f"Không có kế hoạch số {plan}.")
        if consolidated:
            assigned = [p for p in plans if Assignment.objects.filter(plan=p).exists()]
            if len(assigned) != 1:
                codes = ", ".join(p.document.code for p in assigned) or "không có"
                self._fail(f"Cần chọn một kế hoạch bằng --plan (đang giao: {codes}).")
            chosen = assigned[0]
            rows = reporting.board(plan=chosen, year=year, today=day)
            if docx:
                Path(docx).write_bytes(
                    documents.consolidated_docx(
                        plan=chosen, year=year, rows=rows, issuer=found, day=day
                    )
                )
            if xlsx:
                Path(xlsx).write_bytes(documents.board_xlsx(plan=chosen, year=year, rows=rows))
            self.stdout.write(f"{len(rows)} đơn vị, kế hoạch {chosen.document.code}, năm {year}.")
            return
        lineage = sorted(unit_lineage_ids(unit=found))
        mine = [p for p in plans if Assignment.objects.filter(plan=p, unit_id__in=lineage).exists()]
        reports = []
        for each in mine:
            saved = PeriodicReport.objects.filter(
                plan=each, unit=found, year=year, consolidated=False
            ).first()
            reports.append(
                saved
                or PeriodicReport(
                    plan=each,
                    unit=found,
                    year=year,
                    due=day,
                    content=reporting.prefill(each, found, year, day),
                )
            )
        if docx:
            Path(docx).write_bytes(
                documents.unit_report_docx(unit=found, year=year, reports=reports, day=day)
            )
        if xlsx:
            Path(xlsx).write_bytes(
                documents.unit_report_xlsx(unit=found, year=year, reports=reports)
            )
        self.stdout.write(f"{found.code}: {len(reports)} kế hoạch, năm {year}.")
