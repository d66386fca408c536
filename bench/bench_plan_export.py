"""B4 exports: the Excel file of a plan's 50,000 progress entries, as a background job.

The demo province (3,000 staff); seed 000's plan (assigned in 2019 to the departments,
districts and communes of the day) gets progress entries up to 50,000 in all, spread over
its units and tasks and 2019–2026, bulk-inserted (not timed): texts of one to three lines,
one in ten written as a dash list ("- Đã …", which a spreadsheet would read as a formula),
quantities on one in three. Sở Nội vụ's officer (the whole province) exports them. *The
job*: ``core.jobs.job_run`` in-process, as the Huey worker runs it: the plan and the
officer's scope checked, the entries read in one joined query streamed in chunks, written
through ``xlsx.append`` (formula-safe) with dates as dd/mm/yyyy cells, progress every 1,000
rows, the file renamed into place, the outcome audited. Baseline: openpyxl alone (write-only
workbook, plain ``append``) writing the same rows from a raw SQL query of the same joins and
order (the same date cells, labels and quantities text). *The request*: POST
/ke-hoach/<id>/tien-do.xlsx until its redirect to the job page (Django test client,
in-process, the whole middleware); the job is queued in Huey's SQLite queue, not run.
Baseline: a bare Django view through the same middleware.
"""

import json
import random
import time
from datetime import date, timedelta
from pathlib import Path

from bench import harness

ID = "plan_export"
TITLE = "B4: a plan's 50,000 progress entries in Excel (background job)"

TEXTS = (
    "Đã tổ chức {n} buổi tuyên truyền, phổ biến Đề án văn hóa công vụ cho cán bộ, công chức, "
    "viên chức của đơn vị.",
    "Ban hành kế hoạch của đơn vị số {n}/KH ngày 20/7; phân công lãnh đạo phụ trách, lồng ghép "
    "vào chương trình công tác năm.\nĐã niêm yết quy tắc ứng xử tại trụ sở và bộ phận một cửa.",
    "Rà soát, sửa đổi {n} nội quy, quy chế làm việc; chấn chỉnh việc chấp hành giờ giấc, trang "
    "phục, thẻ công chức.\nKiểm tra đột xuất {n} lượt, không phát hiện vi phạm.\nĐề nghị Sở "
    "Nội vụ tiếp tục hướng dẫn tiêu chí đánh giá.",
)
DASH = "- Đã triển khai đến {n} phòng, ban chuyên môn.\n- Tổ chức ký cam kết thực hiện."
QUANTITY_NAMES = ("Số buổi tuyên truyền", "Số người tham dự", "Số lượt kiểm tra")
BARE_SQL = """
SELECT u.code, u.name, t.number, t.content, e."on", e.period, e.state, e.text, e.quantities,
       us.last_name, us.first_name, us.username
FROM plans_progressentry e
JOIN organisations_unit u ON u.id = e.unit_id
JOIN plans_task t ON t.id = e.task_id
JOIN accounts_user us ON us.id = e.created_by_id
WHERE t.plan_id = %s
ORDER BY u.code, t.position, e.task_id, e."on", e.id
"""


def main(argv: list[str] | None = None) -> None:
    args = harness.parse_args(__doc__, argv)
    size = 3000 if args.quick else 50_000
    runs, requests = (2, 10) if args.quick else (5, 30)
    started = time.perf_counter()
    with harness.fresh_database(args.engine, ID) as db:
        harness.setup_django()
        from django.db import connection
        from django.test import Client
        from django.urls import reverse
        from huey.contrib.djhuey import HUEY
        from openpyxl import Workbook
        from openpyxl.cell import WriteOnlyCell

        from congvu.accounts.models import User
        from congvu.core import jobs
        from congvu.core.i18n import vietnamese_labels
        from congvu.core.models import Job, JobStatus
        from congvu.organisations import demo
        from congvu.plans import rules, selectors
        from congvu.plans.exports import (
            PROGRESS_FORMATS,
            PROGRESS_HEADERS,
            PROGRESS_KIND,
            progress_rows,
            quantities_text,
        )
        from congvu.plans.models import Assignment, Plan, ProgressEntry

        assert not HUEY.immediate, "the request must queue the job, not run it"
        began = time.perf_counter()
        demo.demo_load(staff=3000, seed=1)
        officer = User.objects.get(username="sonoivu")
        plan = Plan.objects.get(document__code__startswith="6861")
        units = sorted(Assignment.objects.filter(plan=plan).values_list("unit_id", flat=True))
        tasks = list(plan.tasks.order_by("position", "pk"))
        writers = list(User.objects.exclude(staff=None).order_by("pk").values_list("pk", flat=True))
        existing = ProgressEntry.objects.filter(task__plan=plan).count()
        rng = random.Random(7)
        first_day = date(2019, 8, 1)
        span = (date(2026, 11, 1) - first_day).days

        def entry(i: int) -> ProgressEntry:
            task = tasks[i % len(tasks)]
            on = first_day + timedelta(days=rng.randrange(span))
            n = rng.randrange(1, 40)
            text = (DASH if i % 10 == 0 else TEXTS[i % len(TEXTS)]).format(n=n)
            quantities = (
                {name: rng.randrange(200) for name in QUANTITY_NAMES[: 1 + i % 3]}
                if i % 3 == 0
                else {}
            )
            return ProgressEntry(
                task=task,
                unit_id=units[(i // len(tasks)) % len(units)],
                on=on,
                period=on.year if task.kind in (rules.YEARLY, rules.ONGOING) else None,
                state="done" if i % 4 == 0 else "in_progress",
                text=text,
                quantities=quantities,
                created_by_id=writers[i % len(writers)],
            )

        ProgressEntry.objects.bulk_create(
            (entry(i) for i in range(max(0, size - existing))), batch_size=2000
        )
        total = ProgressEntry.objects.filter(task__plan=plan).count()
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        prep_seconds = time.perf_counter() - began
        parameters = {"plan": plan.pk}
        began = time.perf_counter()
        read = sum(
            1 for _ in progress_rows(selectors.progress_list_for_user(user=officer, plan=plan))
        )
        read_seconds = time.perf_counter() - began
        assert read == total, (read, total)
        bare_path = Path(db.var_dir) / "bare.xlsx"
        states = vietnamese_labels(ProgressEntry._meta.get_field("state").choices or [])

        def bare() -> None:
            workbook = Workbook(write_only=True)
            sheet = workbook.create_sheet("Tiến độ")
            sheet.append(PROGRESS_HEADERS)
            with connection.cursor() as cursor:
                cursor.execute(BARE_SQL, [plan.pk])
                while chunk := cursor.fetchmany(2000):
                    for (
                        code,
                        name,
                        number,
                        content,
                        on,
                        period,
                        state,
                        text,
                        q,
                        ln,
                        fn,
                        un,
                    ) in chunk:
                        q = json.loads(q)  # Django's connections give JSON as text
                        day = WriteOnlyCell(sheet, value=on)
                        day.number_format = PROGRESS_FORMATS[4]
                        sheet.append(
                            [
                                code,
                                name,
                                number,
                                content,
                                day,
                                period,
                                states[state],
                                text,
                                quantities_text(q),
                                f"{ln} {fn}".strip() or un,
                            ]
                        )
            workbook.save(bare_path)

        made: list[Job] = []

        def new_job() -> None:  # untimed: the previous run's file goes, a new job waits
            for name in Job.objects.exclude(file_name="").values_list("file_name", flat=True):
                (jobs.jobs_dir() / name).unlink(missing_ok=True)
            made.append(
                Job.objects.create(kind=PROGRESS_KIND, created_by=officer, parameters=parameters)
            )

        def run_job() -> None:
            jobs.job_run(made[-1].pk)

        job_samples: list[float] = []
        bare_samples: list[float] = []
        for _ in range(runs):  # interleaved, so that drift hits both alike
            bare_samples += harness.time_runs(bare, runs=1, warmup=0 if bare_samples else 1)
            job_samples += harness.time_runs(
                run_job, runs=1, before=new_job, warmup=0 if job_samples else 1
            )
        last = Job.objects.get(pk=made[-1].pk)
        assert last.status == JobStatus.DONE and last.total == total, last.message
        job_file = jobs.job_file(last)
        assert job_file is not None
        sizes = (
            f"{job_file.stat().st_size / 1e6:.1f} MB (bare {bare_path.stat().st_size / 1e6:.1f} MB)"
        )

        client = Client(HTTP_X_FORWARDED_FOR="127.0.0.1")  # bench.settings reads the header
        client.force_login(officer)
        url = reverse("plans:progress_export", args=[plan.pk])
        statuses: list[int] = []

        def clear_pending() -> None:  # one user may have JOB_ACTIVE_MAX unfinished jobs
            Job.objects.filter(status=JobStatus.PENDING).update(status=JobStatus.FAILED)

        def post() -> None:
            response = client.post(url)
            assert response.status_code == 302 and "/tep-xuat/" in response["Location"]
            statuses.append(response.status_code)

        def get_bare() -> None:
            statuses.append(client.get("/bench/bare/").status_code)

        request_samples, bare_request_samples = [], []
        for i in range(requests + 1):  # the first of each is a warm-up
            floor = harness.time_runs(get_bare, runs=1)
            sent = harness.time_runs(post, runs=1, before=clear_pending)
            if i:
                bare_request_samples += floor
                request_samples += sent
        queued = HUEY.pending_count()
        HUEY.flush()
        assert set(statuses) <= {200, 302}, statuses

        label = f"{total:,} rows"
        ms = 1000.0
        cases = [
            harness.Case(
                "progress export job (job_run: plan and scope, query, rows, file, audit)",
                label,
                "s",
                job_samples,
                "openpyxl write-only, same rows from a raw SQL query",
                bare_samples,
                notes=f"file {sizes}",
            ),
            harness.Case(
                "POST tien-do.xlsx → 302 to the job page (job queued)",
                label,
                "ms",
                [s * ms for s in request_samples],
                "bare Django view",
                [s * ms for s in bare_request_samples],
                notes=f"{queued} jobs left in Huey's queue (flushed)",
            ),
        ]
        harness.record(
            ID,
            args.engine,
            title=TITLE,
            description=__doc__.strip().split("\n\n", 1)[1],
            cases=cases,
            started=started,
            quick=args.quick,
            notes=[
                f"Demo load and {total - existing:,} entries inserted ({existing} from the demo) "
                f"over {len(units)} units and {len(tasks)} tasks: {prep_seconds:.0f} s, not "
                f"timed; {runs} job runs and {runs} baseline runs interleaved (one warm-up "
                f"each), {requests} requests of each kind interleaved (one warm-up each).",
                f"Reading the {read:,} rows alone (the job's scope, query and row building, no "
                f"workbook) took {read_seconds:.2f} s.",
            ],
        )


if __name__ == "__main__":
    main()
