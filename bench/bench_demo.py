"""Loading the demo province: `congvu demo --no-serve --staff 50000`.

Baseline: a raw ``executemany`` INSERT of the same 50,000 staff rows (same columns,
sort keys and search text precomputed) into a bare table on the same engine, in one
transaction. The demo also creates ~200 units through the services, ~78,000
memberships, 50,000 history rows, audit records and 8 logins.
"""

import re
import subprocess
import sys
import time

from bench import harness

ID = "demo_load"
TITLE = "Demo province load"
AIM_SECONDS = 120  # the brief: 50,000 staff in under two minutes on SQLite


def _people_rows(size: int) -> list[tuple]:
    from congvu.core.text import fold, full_name, person_sort_key
    from congvu.organisations.demo_data import catalogue
    from congvu.organisations.demo_people import people

    persons, _ = people(catalogue(), size, 1)
    units = {key: i for i, key in enumerate(sorted({p.unit for p in persons}), start=1)}
    return [
        (
            p.code,
            p.ho,
            p.dem,
            p.ten,
            p.gender,
            p.birth_year,
            p.category,
            p.position,
            p.is_leader,
            units[p.unit],
            p.is_active,
            person_sort_key(p.ho, p.dem, p.ten),
            fold(f"{full_name(p.ho, p.dem, p.ten)} {p.code}"),
        )
        for p in persons
    ]


def _create_bare_table() -> None:
    from django.db import connection

    key = "integer primary key" if connection.vendor == "sqlite" else "bigserial primary key"
    with connection.cursor() as cursor:
        cursor.execute(
            f"create table bench_raw_staff (id {key}, code varchar(32) not null unique, "
            "ho varchar(64), dem varchar(64), ten varchar(64), gender varchar(8), "
            "birth_year smallint, category varchar(16), position varchar(128), is_leader boolean, "
            "unit_id bigint, is_active boolean, sort_key varchar(512), search_text varchar(255))"
        )


def _insert(rows: list[tuple]) -> None:
    from django.db import connection, transaction

    sql = (
        "insert into bench_raw_staff (code, ho, dem, ten, gender, birth_year, category, "
        "position, is_leader, unit_id, is_active, sort_key, search_text) values "
        "(%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)"
    )
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.executemany(sql, rows)


def _empty_bare_table() -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("delete from bench_raw_staff")


def main(argv: list[str] | None = None) -> None:
    args = harness.parse_args(__doc__, argv)
    size = 3000 if args.quick else 50_000
    runs = 3
    started = time.perf_counter()
    with harness.fresh_database(args.engine, ID) as db:
        harness.setup_django()
        from django.core.management import call_command
        from django.db import connections

        reported: list[float] = []

        def flush() -> None:
            call_command("flush", interactive=False, verbosity=0)
            connections.close_all()

        def load() -> None:
            out = subprocess.run(
                [
                    sys.executable,
                    "-m",
                    "congvu",
                    "demo",
                    "--no-serve",
                    "--staff",
                    str(size),
                    "--seed",
                    "1",
                ],
                env=db.env(),
                cwd=harness.ROOT,
                capture_output=True,
                text=True,
                check=True,
            ).stdout
            found = re.search(r"trong ([\d.,]+) giây", out)
            if found:
                reported.append(float(found.group(1).replace(".", "").replace(",", ".")))

        command = harness.time_runs(load, runs=runs, before=flush)
        from congvu.organisations.models import Membership, Staff

        staff, memberships = Staff.objects.count(), Membership.objects.count()
        assert staff == size, staff

        rows = _people_rows(size)
        _create_bare_table()
        baseline = harness.time_runs(lambda: _insert(rows), runs=5, before=_empty_bare_table)

        label = f"{size:,} staff"
        base_name = f"executemany INSERT {label} rows"
        worst = max(command)
        cases = [
            harness.Case(
                "`congvu demo --no-serve` (whole command)",
                label,
                "s",
                command,
                base_name,
                baseline,
                notes=f"slowest run {worst:.1f} s; aim < {AIM_SECONDS} s: "
                f"{'met' if worst < AIM_SECONDS else 'NOT MET'}",
            ),
            harness.Case(
                "load step as reported by the command", label, "s", reported, base_name, baseline
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
                f"Each run: `flush`, then the command in a new process (Python start-up, "
                f"`migrate` check included); it wrote {staff:,} staff and {memberships:,} "
                f"memberships."
            ],
        )


if __name__ == "__main__":
    main()
