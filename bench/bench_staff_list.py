"""The staff list page under load: /to-chuc/can-bo/ as the Sở Nội vụ officer.

The demo province with 50,000 staff; the officer (role so_noi_vu over the province
with its subtree) sees every state unit's staff, page 1 of 50 in Vietnamese name
order, and the same list searched with ``?q=nguyen``. Served by gunicorn (2 sync
workers) on a loopback port, driven by 4 concurrent Python clients (closed loop), then by
1 client (latency without queueing).
Baseline: a bare Django view returning a small page from the same server, through
the same middleware (bench/urls.py, not in the production URLs).
"""

import time
from collections import Counter

from bench import harness, load

ID = "staff_list"
TITLE = "Staff list under load"
CONCURRENCY = 4
PATHS = {
    "staff list, page 1": "/to-chuc/can-bo/",
    "staff list, search ?q=nguyen": "/to-chuc/can-bo/?q=nguyen",
}
BARE = "/bench/bare/"


def diagnose(paths: dict[str, str]) -> list[str]:
    """Queries and SQL time per page, in-process (test client), to spot N+1 or slow SQL."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from congvu.accounts.models import User

    client = Client()
    client.force_login(User.objects.get(username="sonoivu"))
    notes = []
    for name, path in paths.items():
        client.get(path)  # warm: org graph cache, templates
        with CaptureQueriesContext(connection) as ctx:
            began = time.perf_counter()
            response = client.get(path)
            wall = (time.perf_counter() - began) * 1000
        sql = sorted(
            ((float(q["time"]) * 1000, q["sql"]) for q in ctx.captured_queries), reverse=True
        )
        total = sum(t for t, _ in sql)
        slowest = sql[0][1][:90].replace("|", "\\|") if sql else ""
        notes.append(
            f"{name}: HTTP {response.status_code}, {len(sql)} queries, {total:.0f} ms SQL of "
            f"{wall:.0f} ms in-process; slowest {sql[0][0]:.0f} ms: `{slowest}…`"
        )
    return notes


def main(argv: list[str] | None = None) -> None:
    args = harness.parse_args(__doc__, argv)
    size = 3000 if args.quick else 50_000
    duration, runs = (2.0, 2) if args.quick else (10.0, 3)
    started = time.perf_counter()
    with harness.fresh_database(args.engine, ID) as db:
        harness.setup_django(static=True)
        from django.db import connections

        from congvu.organisations import demo
        from congvu.organisations.models import Staff

        demo.demo_load(staff=size, seed=1)
        notes = diagnose(PATHS)
        connections.close_all()
        # (path name, clients) → runs; interleaved so that drift hits every case alike.
        results: dict[tuple[str, int], list[load.LoadResult]] = {}
        with harness.gunicorn(db) as port:
            cookie = load.login(port, "sonoivu", demo.demo_password())
            for path in [*PATHS.values(), BARE]:  # warm every worker
                load.drive(port, path, cookie=cookie if path != BARE else "", duration=1.0)
            for _ in range(runs):
                for clients in (CONCURRENCY, 1):
                    for name, path in [(BARE, BARE), *PATHS.items()]:
                        results.setdefault((name, clients), []).append(
                            load.drive(
                                port,
                                path,
                                cookie="" if name == BARE else cookie,
                                concurrency=clients,
                                duration=duration,
                                expect=b"Xin ch" if name == BARE else b'id="staff-table"',
                            )
                        )
        label = f"{size:,} staff"
        cases = []
        for name in PATHS:
            for clients in (CONCURRENCY, 1):
                runs_, bare = results[(name, clients)], results[(BARE, clients)]
                errors = sum(r.errors for r in runs_)
                statuses = Counter()
                for r in runs_:
                    statuses.update(r.statuses)
                what = f"{name}, {clients} client{'s' if clients > 1 else ''}"
                cases.append(
                    harness.Case(
                        f"{what}: throughput",
                        label,
                        "req/s",
                        [r.rps for r in runs_],
                        "bare view",
                        [r.rps for r in bare],
                        notes=f"{errors} failed responses; statuses {dict(statuses)}",
                    )
                )
                cases.append(
                    harness.Case(
                        f"{what}: latency",
                        label,
                        "ms",
                        [x for r in runs_ for x in r.latencies_ms],
                        "bare view",
                        [x for r in bare for x in r.latencies_ms],
                    )
                )
        bare_errors = sum(r.errors for (n, _), rs in results.items() if n == BARE for r in rs)
        visible = Staff.objects.exclude(unit__unit_type="dang_doan_the").count()
        harness.record(
            ID,
            args.engine,
            title=TITLE,
            description=__doc__.strip().split("\n\n", 1)[1],
            cases=cases,
            started=started,
            quick=args.quick,
            notes=[
                f"{runs} runs × {duration:.0f} s per case, with {CONCURRENCY} clients and with 1; the "
                f"officer sees {visible:,} staff.",
                f"bare view errors: {bare_errors}",
                *notes,
            ],
        )


if __name__ == "__main__":
    main()
