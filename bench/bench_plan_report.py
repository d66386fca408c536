"""B4 documents: Sở Nội vụ's consolidated periodic report for 300 units, as a background job.

The demo province (3,000 staff) grows to 300 units under UBND tỉnh (``unit_create``); seed
000's plan is assigned to all of them and each has its 2026 report sent, with its counts of
tasks by status (bulk-inserted, not timed). *The job*: ``core.jobs.job_run`` in-process, as
the Huey worker runs it: the creator's plan and scope checked, the board of 300 units built
(``reporting.cycle_board``), the ND 30/2020 Word file written (``documents.consolidated_docx``)
and the outcome audited. Baseline: python-docx alone writing the same table (a header table,
the title, 300 rows of 12 cells and the totals) from rows already in memory. *The start*:
``jobs.job_start`` (what the page's POST calls: the job row, its audit record, queued after
commit); baseline: one audit record written.
"""

import time
from datetime import date
from io import BytesIO

from bench import harness

ID = "plan_report"
TITLE = "B4: the consolidated periodic report for 300 units (Word, background job)"


def main(argv: list[str] | None = None) -> None:
    args = harness.parse_args(__doc__, argv)
    units_wanted = 40 if args.quick else 300
    runs = 2 if args.quick else 5
    started = time.perf_counter()
    with harness.fresh_database(args.engine, ID) as db:  # noqa: F841
        harness.setup_django()
        from django.db import transaction
        from docx import Document
        from huey.contrib.djhuey import HUEY

        from congvu.accounts.models import User
        from congvu.core import jobs
        from congvu.core.actors import SYSTEM
        from congvu.core.audit import audit_record
        from congvu.core.models import Job, JobStatus
        from congvu.organisations import demo
        from congvu.organisations.models import Unit, UnitType
        from congvu.organisations.services import UnitSpec, unit_create
        from congvu.plans import documents, rules
        from congvu.plans.exports import CONSOLIDATED_KIND
        from congvu.plans.models import Assignment, PeriodicReport, Plan

        began = time.perf_counter()
        demo.demo_load(staff=3000, seed=1)
        officer = User.objects.get(username="sonoivu")
        root = Unit.objects.get(code="KHA")
        snv = Unit.objects.filter(name__icontains="Nội vụ").order_by("pk").first()
        plan = Plan.objects.get(document__code__startswith="6861")
        have = Assignment.objects.filter(plan=plan).count()
        for n in range(max(0, units_wanted - have)):
            unit = unit_create(
                actor=SYSTEM,
                spec=UnitSpec(
                    f"BENCH{n:04d}", f"Đơn vị thử {n:04d}", UnitType.DON_VI_SU_NGHIEP, root
                ),
                valid_from=date(2019, 1, 1),
            )
            Assignment.objects.create(plan=plan, unit=unit, assigned_on=date(2019, 7, 15))
        counts = {s: i % 4 for i, s in enumerate(rules.STATUSES)}
        PeriodicReport.objects.filter(plan=plan, year=2026).delete()
        PeriodicReport.objects.bulk_create(
            PeriodicReport(
                plan=plan,
                unit_id=a.unit_id,
                year=2026,
                status=rules.SUBMITTED,
                due=date(2026, 11, 15),
                submitted_on=date(2026, 11, 10),
                content={"tasks": [], "counts": counts},
            )
            for a in Assignment.objects.filter(plan=plan)
        )
        prep_seconds = time.perf_counter() - began
        parameters = {"plan": plan.pk, "year": 2026, "unit": snv.pk}

        from congvu.plans import reporting

        board = reporting.cycle_board(user=officer, plan=plan, year=2026, today=date(2026, 11, 21))
        table, totals = documents.board_rows(board)

        def bare() -> None:
            document = Document()
            header = document.add_table(rows=1, cols=2).rows[0].cells
            header[0].text, header[1].text = (
                "SỞ NỘI VỤ\nSố: /BC-SNV",
                "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
            )
            document.add_paragraph("BÁO CÁO")
            grid = document.add_table(rows=1, cols=len(documents.BOARD_HEADERS))
            for cell, text in zip(grid.rows[0].cells, documents.BOARD_HEADERS, strict=True):
                cell.text = str(text)
            for row in [*table, totals]:
                for cell, value in zip(grid.add_row().cells, row, strict=True):
                    cell.text = str(value)
            document.save(BytesIO())

        made: list[Job] = []

        def new_job() -> None:
            made.append(
                Job.objects.create(
                    kind=CONSOLIDATED_KIND, created_by=officer, parameters=parameters
                )
            )

        def run_job() -> None:
            jobs.job_run(made[-1].pk)

        job_samples: list[float] = []
        bare_samples: list[float] = []
        for _ in range(runs):
            bare_samples += harness.time_runs(bare, runs=1, warmup=0 if bare_samples else 1)
            job_samples += harness.time_runs(
                run_job, runs=1, before=new_job, warmup=0 if job_samples else 1
            )
        last = Job.objects.get(pk=made[-1].pk)
        assert last.status == JobStatus.DONE and last.total == len(board), last.message

        def clear() -> None:
            Job.objects.filter(status=JobStatus.PENDING).update(status=JobStatus.FAILED)

        def start_job() -> None:
            with transaction.atomic():
                jobs.job_start(actor=officer, kind=CONSOLIDATED_KIND, parameters=parameters)

        def audit_only() -> None:
            with transaction.atomic():
                audit_record(actor=officer, action="bench.baseline")

        start_samples, audit_samples = [], []
        for _ in range(20):
            audit_samples += harness.time_runs(audit_only, runs=1)
            start_samples += harness.time_runs(start_job, runs=1, before=clear)
        HUEY.flush()
        ms = 1000.0
        label = f"{len(board):,} units"
        harness.record(
            ID,
            args.engine,
            title=TITLE,
            description=__doc__.strip().split("\n\n", 1)[1],
            cases=[
                harness.Case(
                    "consolidated report job (job_run: board, ND 30/2020 Word file, audit)",
                    label,
                    "ms",
                    [s * ms for s in job_samples],
                    "python-docx alone, the same table from memory",
                    [s * ms for s in bare_samples],
                ),
                harness.Case(
                    "jobs.job_start (what the page's POST calls)",
                    label,
                    "ms",
                    [s * ms for s in start_samples],
                    "one audit record written",
                    [s * ms for s in audit_samples],
                ),
            ],
            started=started,
            quick=args.quick,
            notes=[
                f"Demo load, {len(board)} units assigned and their reports: {prep_seconds:.0f} s, not timed."
            ],
        )


if __name__ == "__main__":
    main()
