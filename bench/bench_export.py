"""B4 exports: the staff Excel export as a background job, and the request that starts it.

The demo province with 50,000 staff; Sở Nội vụ's officer (the whole province) exports the
staff list. *The job*: ``core.jobs.job_run`` in-process, as the Huey worker runs it: the
officer's scope computed, 50,000 rows read and written through ``xlsx.append`` (formula-safe),
progress written every 1,000 rows, the file renamed into place, the outcome audited. Baseline:
openpyxl alone (write-only workbook, plain ``append``) writing the same rows, already in
memory, to a file. *The request*: POST /to-chuc/can-bo/xuat-excel/ until its redirect to the
job page (Django test client, in-process, the whole middleware); the job is queued in Huey's
SQLite queue, not run. Baseline: a bare Django view through the same middleware.
"""

import time
from pathlib import Path

from bench import harness

ID = "exports"
TITLE = "B4: staff Excel export as a background job"


def main(argv: list[str] | None = None) -> None:
    args = harness.parse_args(__doc__, argv)
    size = 3000 if args.quick else 50_000
    runs, requests = (2, 10) if args.quick else (3, 30)
    started = time.perf_counter()
    with harness.fresh_database(args.engine, ID) as db:
        harness.setup_django()
        from django.test import Client
        from django.urls import reverse
        from huey.contrib.djhuey import HUEY
        from openpyxl import Workbook

        from congvu.accounts.models import User
        from congvu.core import jobs
        from congvu.core.models import Job, JobStatus
        from congvu.organisations import demo
        from congvu.organisations.exports import (
            EXPORT_HEADERS,
            STAFF_KIND,
            staff_export_queryset,
            staff_rows,
        )

        assert not HUEY.immediate, "the request must queue the job, not run it"
        began = time.perf_counter()
        demo.demo_load(staff=size, seed=1)
        load_seconds = time.perf_counter() - began
        officer = User.objects.get(username="sonoivu")

        began = time.perf_counter()
        rows = list(staff_rows(staff_export_queryset(user=officer, q="", unit_code="")))
        read_seconds = time.perf_counter() - began
        bare_path = Path(db.var_dir) / "bare.xlsx"

        def bare() -> None:
            workbook = Workbook(write_only=True)
            sheet = workbook.create_sheet("Cán bộ")
            sheet.append(EXPORT_HEADERS)
            for row in rows:
                sheet.append(row)
            workbook.save(bare_path)

        made: list[Job] = []

        def new_job() -> None:  # untimed: the previous run's file goes, a new job waits
            for name in Job.objects.exclude(file_name="").values_list("file_name", flat=True):
                (jobs.jobs_dir() / name).unlink(missing_ok=True)
            made.append(
                Job.objects.create(
                    kind=STAFF_KIND, created_by=officer, parameters={"q": "", "don_vi": ""}
                )
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
        assert last.status == JobStatus.DONE and last.total == len(rows), last.message

        client = Client(HTTP_X_FORWARDED_FOR="127.0.0.1")  # bench.settings reads the header
        client.force_login(officer)
        url = reverse("organisations:staff_export")
        statuses: list[int] = []

        def clear_pending() -> None:  # one user may have JOB_ACTIVE_MAX unfinished jobs
            Job.objects.filter(status=JobStatus.PENDING).update(status=JobStatus.FAILED)

        def post() -> None:
            response = client.post(url, {"q": "", "don_vi": ""})
            statuses.append(response.status_code)

        def get_bare() -> None:
            statuses.append(client.get("/bench/bare/").status_code)

        request_samples, bare_request_samples = [], []
        for _ in range(requests):
            bare_request_samples += harness.time_runs(get_bare, runs=1)
            request_samples += harness.time_runs(post, runs=1, before=clear_pending)
        queued = HUEY.pending_count()
        HUEY.flush()
        assert set(statuses) <= {200, 302}, statuses

        label = f"{size:,} rows"
        ms = 1000.0
        cases = [
            harness.Case(
                "staff export job (job_run: query, rows, file, audit)",
                label,
                "s",
                job_samples,
                "openpyxl write-only, same rows from memory",
                bare_samples,
            ),
            harness.Case(
                "POST export → 302 to the job page (job queued)",
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
                f"Demo load of {size:,} staff {load_seconds:.0f} s, not timed; {runs} job runs "
                f"and {runs} baseline runs interleaved (one warm-up each), {requests} requests "
                "of each kind interleaved.",
                f"Reading the {len(rows):,} rows alone (the job's query and row building, no "
                f"workbook) took {read_seconds:.2f} s.",
            ],
        )


if __name__ == "__main__":
    main()
