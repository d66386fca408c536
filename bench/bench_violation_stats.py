"""Sở Nội vụ's violation statistics over 30,000 violations and 2,000 units (issue 12).

The demo province (3,000 staff, seed 1; about 110 current units, the catalogues vhcs and vhcv
loaded by its evaluations demo) grows to 2,000 current units through
``organisations.services.unit_create`` (schools, health stations and one-stop centres under
the communes, from 01/07/2025: ``bench_dashboard.grow_units``). 30,000 violations of 2025
are then bulk-inserted (not timed), deterministically (seed 12): each found on a day of 2025
at a unit that existed that day (so the districts and the communes before the 01/07/2025
reform hold the first half year and roll up through the lineage), naming one of the leaf
criteria of vhcs and vhcv, from the three sources (50/20/30 %), 3 % withdrawn; 40 % have a
recommendation (open, reported or verified, reported on time or late); then ANALYZE.

Measured: ``violations.selectors.statistics_for_user`` for the Sở Nội vụ officer (the whole
province, broken down under UBND tỉnh's 77 current children), year 2025, today: the scope,
the counts by standard, by unit rolled up to the children through the organisation's history,
by month and by source, and the remedies' timeliness. *Warm*: the organisation graph already
in the process (as every request after the first); *cold graph*: the process's copy of the
graph dropped before each call (``org_graph_forget``: unpickled from the cache, its scopes
computed again — the first request of a worker, or after any change to the units).
Baseline, same run: five raw SQL GROUP BY queries over the same rows (by standard, by month,
by source, by unit, the remedies' counts with CASE), each joined to a table
``bench_unit_shown(unit_id, shown_id)`` built before the runs (not timed) that lists the units
of the province's scope and, for each, the child of UBND tỉnh it is counted under (computed
from the organisation graph): the scope filter and the roll-up are a join and a GROUP BY;
Python only sorts the few result rows and puts names on them. The results are checked equal.
The selector's query count is taken warm at 3,000 and at 30,000 rows and must be the same.
"""

import random
import time
from datetime import UTC, date, datetime, timedelta

from bench import harness
from bench.bench_dashboard import grow_units

ID = "violation_stats"
TITLE = "Violation statistics over 30,000 violations and 2,000 units (issue 12)"
YEAR = 2025
SEED = 12
SOURCE_WEIGHTS = ("inspection",) * 5 + ("citizen_report",) * 2 + ("internal",) * 3
MAPPING = "bench_unit_shown"

BY_STANDARD = """
SELECT v.standard_code, MAX(v.standard_text), COUNT(*)
FROM violations_violation v JOIN {m} s ON s.unit_id = v.unit_id
WHERE v.found_on BETWEEN %s AND %s AND v.withdrawn_at IS NULL
GROUP BY v.standard_code
"""
BY_UNIT = """
SELECT s.shown_id, COUNT(*)
FROM violations_violation v JOIN {m} s ON s.unit_id = v.unit_id
WHERE v.found_on BETWEEN %s AND %s AND v.withdrawn_at IS NULL AND s.shown_id IS NOT NULL
GROUP BY s.shown_id
"""
BY_MONTH = """
SELECT {month}, COUNT(*)
FROM violations_violation v JOIN {m} s ON s.unit_id = v.unit_id
WHERE v.found_on BETWEEN %s AND %s AND v.withdrawn_at IS NULL
GROUP BY 1
"""
BY_SOURCE = """
SELECT v.source, COUNT(*)
FROM violations_violation v JOIN {m} s ON s.unit_id = v.unit_id
WHERE v.found_on BETWEEN %s AND %s AND v.withdrawn_at IS NULL
GROUP BY v.source
"""
REMEDIES = """
SELECT COUNT(*),
       COALESCE(SUM(CASE WHEN r.state = 'verified' AND r.reported_on <= r.due_on THEN 1 END), 0),
       COALESCE(SUM(CASE WHEN r.state = 'open' AND r.due_on < %s THEN 1 END), 0),
       COALESCE(SUM(CASE WHEN r.reported_on > r.due_on THEN 1 END), 0)
FROM violations_recommendation r
JOIN violations_violation v ON v.id = r.violation_id
JOIN {m} s ON s.unit_id = v.unit_id
WHERE v.found_on BETWEEN %s AND %s AND v.withdrawn_at IS NULL
"""


def main(argv: list[str] | None = None) -> None:
    args = harness.parse_args(__doc__, argv)
    units_target, sizes = (300, (300, 3000)) if args.quick else (2000, (3000, 30_000))
    runs, cold_runs = (3, 2) if args.quick else (15, 7)
    started = time.perf_counter()
    with harness.fresh_database(args.engine, ID) as db:  # noqa: F841
        harness.setup_django()
        from django.db import connection
        from django.utils import timezone

        from congvu.accounts.models import User
        from congvu.organisations import demo
        from congvu.organisations.graph import org_graph, org_graph_forget
        from congvu.standards.models import Criterion
        from congvu.violations import rules, selectors
        from congvu.violations.models import Recommendation, Violation

        steps: dict[str, float] = {}
        began = time.perf_counter()
        demo.demo_load(staff=3000, seed=1)
        steps["demo load"] = time.perf_counter() - began
        began = time.perf_counter()
        added = grow_units(units_target)
        steps[f"{added:,} unit_create"] = time.perf_counter() - began
        officer = User.objects.get(username="sonoivu")
        today = timezone.localdate()
        graph = org_graph()
        current_units = len(graph.as_of(today))
        criteria = list(
            Criterion.objects.filter(
                version__catalogue__code__in=("vhcs", "vhcv"), children__isnull=True
            )
            .order_by("version_id", "order")
            .values_list("pk", "stable_id", "text")
        )
        assert criteria, "the demo loads the vhcs and vhcv catalogues"
        first, last = date(YEAR, 1, 1), date(YEAR, 12, 31)
        pools: dict[date, list[int]] = {}

        def units_on(day: date) -> list[int]:
            if day not in pools:
                pools[day] = sorted(graph.as_of(day))
            return pools[day]

        rng = random.Random(SEED)
        recorded_at = datetime(YEAR + 1, 1, 15, 8, tzinfo=UTC)

        def insert(count: int) -> tuple[int, int]:
            """``count`` more violations (and their recommendations), bulk-inserted."""
            violations, plans = [], []
            for _ in range(count):
                found = first + timedelta(days=rng.randrange(365))
                unit_id = rng.choice(units_on(found))
                pk, code, text = rng.choice(criteria)
                withdrawn = rng.random() < 0.03
                violations.append(
                    Violation(
                        unit_id=unit_id,
                        criterion_id=pk,
                        standard_code=code,
                        standard_text=text,
                        source=rng.choice(SOURCE_WEIGHTS),
                        occurred_on=found - timedelta(days=rng.randrange(20)),
                        found_on=found,
                        description="Không đeo thẻ công chức khi tiếp công dân tại bộ phận một cửa.",
                        recorded_by=officer,
                        recorded_at=recorded_at,
                        withdrawn_at=recorded_at if withdrawn else None,
                        withdraw_reason="Ghi nhầm đơn vị" if withdrawn else "",
                    )
                )
                if rng.random() < 0.4:
                    due = found + timedelta(days=rng.choice((15, 30, 60, 90)))
                    state = rng.choice(rules.RECOMMENDATION_STATES)
                    reported = (
                        None
                        if state == rules.OPEN and rng.random() < 0.7
                        else due + timedelta(days=rng.randrange(-20, 15))
                    )
                    plans.append((len(violations) - 1, unit_id, due, state, reported))
            Violation.objects.bulk_create(violations, batch_size=2000)
            Recommendation.objects.bulk_create(
                (
                    Recommendation(
                        violation_id=violations[i].pk,
                        responsible_unit_id=unit_id,
                        content="Chấn chỉnh việc đeo thẻ; kiểm điểm cá nhân vi phạm.",
                        due_on=due,
                        state=state,
                        issued_by=officer,
                        reported_on=reported,
                        verified_on=reported + timedelta(days=3)
                        if state == rules.VERIFIED and reported
                        else None,
                    )
                    for i, unit_id, due, state, reported in plans
                ),
                batch_size=2000,
            )
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
            return len(violations), len(plans)

        def selector():
            return selectors.statistics_for_user(user=officer, year=YEAR, day=today)

        def queries_warm() -> int:
            selector()  # the graph and its scopes in the process
            with harness.sql_timer() as stats:
                selector()
            return stats["queries"]

        began = time.perf_counter()
        inserted, recommended = insert(sizes[0])
        counts_at = {sizes[0]: queries_warm()}
        more, more_recommended = insert(sizes[1] - sizes[0])
        inserted, recommended = inserted + more, recommended + more_recommended
        counts_at[sizes[1]] = queries_warm()
        steps[f"{inserted:,} violations and {recommended:,} recommendations inserted"] = (
            time.perf_counter() - began
        )
        assert len(set(counts_at.values())) == 1, f"query count not flat: {counts_at}"
        queries = counts_at[sizes[1]]
        org_graph_forget()
        with harness.sql_timer() as stats:
            selector()
        cold_queries = stats["queries"]

        # The baseline's mapping: the units of the root's scope → the child shown for them.
        stats_now = selector()
        assert stats_now is not None
        root = stats_now.root
        graph = org_graph()
        ancestor, labels = selectors._rolled_to_children(root, today)
        scope = graph.scope(root, subtree=True, day=today)
        with connection.cursor() as cursor:
            cursor.execute(
                f"CREATE TABLE {MAPPING} (unit_id integer PRIMARY KEY, shown_id integer NULL)"
            )
            cursor.executemany(
                f"INSERT INTO {MAPPING} (unit_id, shown_id) VALUES (%s, %s)",
                [(u, ancestor.get(u)) for u in sorted(scope)],
            )
            cursor.execute(f"ANALYZE {MAPPING}")
        month = (
            "CAST(strftime('%%m', v.found_on) AS integer)"
            if connection.vendor == "sqlite"
            else "EXTRACT(MONTH FROM v.found_on)::integer"
        )
        span = [first, last]

        def baseline() -> dict:
            with connection.cursor() as cursor:
                cursor.execute(BY_STANDARD.format(m=MAPPING), span)
                by_standard = sorted(cursor.fetchall(), key=lambda r: (-r[2], r[0]))
                cursor.execute(BY_UNIT.format(m=MAPPING), span)
                by_unit = sorted(
                    ((labels[k], n) for k, n in cursor.fetchall()), key=lambda r: (-r[1], r[0])
                )
                cursor.execute(BY_MONTH.format(m=MAPPING, month=month), span)
                by_month = sorted(cursor.fetchall())
                cursor.execute(BY_SOURCE.format(m=MAPPING), span)
                by_source = sorted(cursor.fetchall(), key=lambda r: (-r[1], r[0]))
                cursor.execute(REMEDIES.format(m=MAPPING), [today, *span])
                remedies = dict(
                    zip(
                        ("total", "verified_on_time", "open_overdue", "reported_late"),
                        cursor.fetchone(),
                        strict=True,
                    )
                )
            return {
                "total": sum(n for _, n in by_source),
                "by_standard": [(k, n) for k, _, n in by_standard],
                "by_unit": by_unit,
                "by_month": [(int(m), n) for m, n in by_month],
                "by_source": by_source,
                "remedies": {k: int(v) for k, v in remedies.items()},
            }

        def as_plain(s) -> dict:
            return {
                "total": s.total,
                "by_standard": [(c.key, c.count) for c in s.by_standard],
                "by_unit": [(c.label, c.count) for c in s.by_unit],
                "by_month": [(int(c.key), c.count) for c in s.by_month],
                "by_source": [(c.key, c.count) for c in s.by_source],
                "remedies": dict(s.remedies),
            }

        expected = baseline()
        assert as_plain(stats_now) == expected, (as_plain(stats_now), expected)

        warm, cold, base = [], [], []
        for i in range(runs):  # interleaved, so that drift hits both alike
            base += harness.time_runs(baseline, runs=1, warmup=0 if i else 1)
            warm += harness.time_runs(selector, runs=1, warmup=0 if i else 1)
            if i < cold_runs:
                cold += harness.time_runs(selector, runs=1, before=org_graph_forget)
        sql_share = []
        for _ in range(5):  # where the warm call's time goes: its queries, the rest Python
            with harness.sql_timer() as timed:
                began = time.perf_counter()
                selector()
                sql_share.append((timed["seconds"], time.perf_counter() - began))
        sql_seconds, call_seconds = sorted(sql_share)[len(sql_share) // 2]
        ms = 1000.0
        label = (
            f"{expected['total']:,} violations counted ({inserted:,} inserted), "
            f"{current_units:,} current units"
        )
        prep = "; ".join(f"{k} {v:.1f} s" for k, v in steps.items())
        harness.record(
            ID,
            args.engine,
            title=TITLE,
            description=__doc__.strip().split("\n\n", 1)[1],
            cases=[
                harness.Case(
                    "`statistics_for_user` (Sở Nội vụ, 2025), organisation graph warm",
                    label,
                    "ms",
                    [s * ms for s in warm],
                    "raw SQL: 5 GROUP BY queries joined to a unit → child table",
                    [s * ms for s in base],
                    notes=(
                        f"{queries} queries at {sizes[0]:,} and at {sizes[1]:,} rows (flat); "
                        f"same figures as the SQL"
                    ),
                ),
                harness.Case(
                    "`statistics_for_user`, organisation graph cold (`org_graph_forget` before each call)",
                    label,
                    "ms",
                    [s * ms for s in cold],
                    "raw SQL: 5 GROUP BY queries joined to a unit → child table",
                    [s * ms for s in base],
                    notes=f"{cold_queries} queries (the graph is read from the cache, not the database)",
                ),
            ],
            started=started,
            quick=args.quick,
            notes=[
                f"Preparation (not timed): {prep}. {len(criteria)} leaf criteria of vhcs and "
                f"vhcv; {len(ancestor):,} units of the scope roll up to {len(labels) - 1} "
                f"children of UBND tỉnh (and UBND tỉnh itself); {runs} warm runs and {runs} "
                f"baseline runs interleaved (one warm-up each), {cold_runs} cold-graph runs.",
                f"Remedies: {expected['remedies']}.",
                f"A warm call (one of five, the median by SQL time): {call_seconds * ms:.0f} ms, "
                f"of which {sql_seconds * ms:.0f} ms in its {queries} queries (executed and "
                f"fetched); the rest is Django compiling them, the roll-up and the scope.",
            ],
        )


if __name__ == "__main__":
    main()
