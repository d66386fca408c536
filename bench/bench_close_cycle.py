"""Closing a yearly cycle of 50,000 officials: classification + the HTXS cap per unit and group.

The demo province is loaded with 50,000 staff (seed 7); Sở Nội vụ creates a yearly 2026
cycle over the province with a small catalogue (two leaves for everyone, one more for
leaders: the test catalogue of ``evaluations/tests/factories.py``). Every evaluation is then
put, set-based (one INSERT … SELECT of criterion scores, one UPDATE of the evaluations; not
timed), in the state just before conclusion (``reviewed``) with integer scores and task
points spread so that all four levels occur and many groups exceed the cap.

Timed: ``summary.cycle_summary`` over the whole cycle, the set-based path of Sở Nội vụ's
progress page (one SQL query per regime does the plain rows; the rows the thresholds alone
cannot decide go through the pure rules); and, for reference, the row-by-row path
(``classification.classify_evaluations`` over the whole cycle, then ``rules.cap_check``)
that gives every reason of every person, as a council does for its own unit.
Baseline: one raw SQL query over the same rows computing the same thing: the points-weighted
mean score per evaluation → period score (cut to 2 decimals) → level by the 90/70/50
thresholds with CASE → per unit, regime and group the counts of HTT and HTXS and allowed =
floor(0.2 × HTT). The results of every case are checked against the baseline's.
"""

import time
from collections import Counter, defaultdict

from bench import harness

ID = "close_cycle"
TITLE = "Closing a cycle: classification and the HTXS cap (B3)"


def prepare(var_dir) -> int:
    """A reviewed yearly cycle over the province, scores set-based; returns the cycle id."""
    from django.db import connection, transaction

    from congvu.accounts.models import User
    from congvu.evaluations.models import CriterionScore, Evaluation
    from congvu.evaluations.tests import factories
    from congvu.organisations.models import Unit
    from congvu.standards.models import Criterion

    officer = User.objects.get(username="sonoivu")
    from congvu.core import permissions
    from congvu.core.permissions import Action
    from congvu.organisations.models import Staff

    # The top unit Sở Nội vụ manages (the demo has one: UBND tỉnh Khánh Hòa).
    scope = permissions.unit_scope(officer, Action.EVALUATION_MANAGE)
    roots = list(Unit.objects.filter(valid_to__isnull=True, parent__isnull=True, pk__in=scope))
    print("roots:", [(u.code, u.name) for u in roots], "staff:", Staff.objects.count(), flush=True)
    root = roots[0]
    version = factories.load(var_dir, factories.individual_doc())
    cycle = factories.cycle(officer, version, root)
    ev, cs, cr = (m._meta.db_table for m in (Evaluation, CriterionScore, Criterion))
    with transaction.atomic(), connection.cursor() as cur:
        # Integer scores: a.1 of 4, a.2 of 6, b.1 of 10 (leaders only).
        cur.execute(
            f"""INSERT INTO {cs} (evaluation_id, criterion_id, self_score, self_comment,
                    manager_score, manager_reason)
                SELECT e.id, c.id,
                    CASE c.stable_id WHEN 'thu.a.1' THEN 4 - e.id %% 2
                                     WHEN 'thu.a.2' THEN 6 - e.id %% 3
                                     ELSE 10 - e.id %% 4 END,
                    '', NULL, ''
                FROM {ev} e JOIN {cr} c ON c.version_id = %s
                WHERE e.cycle_id = %s AND e.staff_id IS NOT NULL
                  AND (c.stable_id IN ('thu.a.1', 'thu.a.2')
                       OR (c.stable_id = 'thu.b.1' AND e.is_leader))""",
            [version.pk, cycle.pk],
        )
        # Task points 35..70; full year worked; heads cleared (the head rule needs the
        # unit's own concluded assessment, which is another cycle).
        cur.execute(
            f"""UPDATE {ev} SET state = 'reviewed', self_task_points = 35 + (id * 7) %% 36,
                    manager_task_points = 35 + (id * 7) %% 36, months_worked = 12,
                    months_absent = 0, is_head = %s
                WHERE cycle_id = %s""",
            [False, cycle.pk],
        )
    if connection.vendor == "postgresql":
        with connection.cursor() as cur:
            cur.execute("ANALYZE")
    return cycle.pk


def app_summary(cycle_id: int) -> Counter:
    """``summary.cycle_summary``: the set-based path Sở Nội vụ's progress page uses."""
    from congvu.evaluations import summary
    from congvu.evaluations.models import EvaluationCycle

    found = summary.cycle_summary(EvaluationCycle.objects.get(pk=cycle_id))
    return Counter((c.unit_id, c.group, c.htt, c.htxs, c.allowed) for c in found.caps)


def app_whole_cycle(cycle_id: int) -> Counter:
    """``classify_evaluations`` over the whole cycle at once, then the cap per unit."""
    from congvu.evaluations import classification, regimes, rules
    from congvu.evaluations.models import Evaluation, EvaluationCycle

    cycle = EvaluationCycle.objects.get(pk=cycle_id)
    batch = list(
        Evaluation.objects.filter(cycle=cycle, staff__isnull=False)
        .select_related("cycle")
        .order_by("pk")
    )
    outcomes = classification.classify_evaluations(batch)
    unit_levels = classification.unit_levels(cycle, {e.unit_id for e in batch})
    members: dict[tuple, list] = defaultdict(list)
    for e in batch:
        o = outcomes[e.pk]
        members[(e.unit_id, e.regime)].append(
            rules.Result(e.pk, e.group, o.level, classification.score_fraction(o.score), ())
        )
    found: Counter = Counter()
    for (unit_id, regime), results in sorted(members.items()):
        share, source = rules.cap_share(
            regimes.REGIMES[regime], cycle.year, unit_levels.get(unit_id), None
        )
        for check in rules.cap_check(results, share=share, source=source):
            found[(unit_id, check.group, check.htt, check.htxs, check.allowed)] += 1
    return found


def baseline_sql(cycle_id: int) -> Counter:
    from django.db import connection

    from congvu.evaluations.models import CriterionScore, Evaluation, EvaluationCycle
    from congvu.standards.models import Criterion

    ev, cs, cr, cy = (
        m._meta.db_table for m in (Evaluation, CriterionScore, Criterion, EvaluationCycle)
    )
    floor = "CAST({} AS INTEGER)" if connection.vendor == "sqlite" else "FLOOR({})"
    score = floor.format(
        "(SUM(COALESCE(s.manager_score, s.self_score)) * 1.0 / SUM(c.points) * y.culture_points"
        " + COALESCE(e.manager_task_points, e.self_task_points, 0)) * 100"
    )
    sql = f"""
        WITH scored AS (
            SELECT e.unit_id, e.regime, e."group" AS grp, {score} / 100.0 AS score
            FROM {ev} e JOIN {cy} y ON y.id = e.cycle_id
            JOIN {cs} s ON s.evaluation_id = e.id JOIN {cr} c ON c.id = s.criterion_id
            WHERE e.cycle_id = %s AND e.staff_id IS NOT NULL
            GROUP BY e.id, e.unit_id, e.regime, e."group", e.manager_task_points,
                     e.self_task_points, y.culture_points
        ), levelled AS (
            SELECT unit_id, regime, grp, CASE WHEN score >= 90 THEN 'HTXS'
                WHEN score >= 70 THEN 'HTT' WHEN score >= 50 THEN 'HTNV' ELSE 'KHT' END AS level
            FROM scored
        )
        SELECT unit_id, grp, htt, htxs, (htt * 20) / 100 AS allowed FROM (
            SELECT unit_id, regime, grp,
                SUM(CASE WHEN level = 'HTT' THEN 1 ELSE 0 END) AS htt,
                SUM(CASE WHEN level = 'HTXS' THEN 1 ELSE 0 END) AS htxs
            FROM levelled GROUP BY unit_id, regime, grp
        ) g"""
    with connection.cursor() as cur:
        cur.execute(sql, [cycle_id])
        return Counter((u, g, int(a), int(b), int(c)) for u, g, a, b, c in cur.fetchall())


def main(argv: list[str] | None = None) -> None:
    args = harness.parse_args(__doc__, argv)
    size = 5000 if args.quick else 50_000
    runs = 3
    started = time.perf_counter()
    with harness.fresh_database(args.engine, ID) as db:
        harness.setup_django()
        from congvu.evaluations.models import Evaluation
        from congvu.organisations import demo

        began = time.perf_counter()
        demo.demo_load(staff=size, seed=7, apps=())  # its own cycle: no demo cycles
        loaded = time.perf_counter() - began
        began = time.perf_counter()
        cycle_id = prepare(db.var_dir)
        prepared = time.perf_counter() - began
        people = Evaluation.objects.filter(cycle_id=cycle_id, staff__isnull=False).count()
        units = (
            Evaluation.objects.filter(cycle_id=cycle_id, staff__isnull=False)
            .values("unit_id")
            .distinct()
            .count()
        )
        label = f"{people:,} evaluations, {units} units"
        notes = [
            f"Demo load of {size:,} staff {loaded:.0f} s and set-based preparation (cycle_create "
            f"+ one INSERT … SELECT of scores + one UPDATE) {prepared:.1f} s, not timed. "
            f"{people:,} evaluations (staff of the categories the regimes cover) in {units} units.",
            "Heads' `is_head` is cleared in the preparation: the head rule needs the level of the "
            "unit's own (collective) assessment, which would be a second cycle.",
            "`summary.cycle_summary` runs one SQL query per regime present (the points-weighted "
            "share, the period score and the level by the regime's thresholds, grouped and "
            "counted by unit, group and level) and sends through the pure rules only the rows "
            "the thresholds cannot decide (heads, flags, discipline, short service, a score on "
            "a threshold); no Python loop over ORM rows for the plain rows. The council's own "
            "conclusion of one unit still classifies row by row, since it records every reason.",
        ]
        expected = baseline_sql(cycle_id)
        baseline = harness.time_runs(lambda: baseline_sql(cycle_id), runs=runs, warmup=1)
        cases = []
        for name, fn, note in (
            (
                "`summary.cycle_summary` (set-based: SQL for the plain rows, the rules for the rest)",
                app_summary,
                "levels and the cap of every unit and group of the cycle, as Sở Nội vụ's progress "
                "page shows them; rows the thresholds alone cannot decide go through the pure "
                "rules",
            ),
            (
                "`classify_evaluations` over the whole cycle + `rules.cap_check` per unit "
                "(every reason of every person, for reference)",
                app_whole_cycle,
                "one call for all evaluations, then the cap per unit and (regime, group): the "
                "row-by-row path a council uses for its own unit when it concludes",
            ),
        ):
            outputs = []
            samples = harness.time_runs(
                lambda fn=fn, outputs=outputs: outputs.append(fn(cycle_id)), runs=runs
            )
            same = outputs[-1] == expected
            checks = sum(expected.values())
            over = sum(n for (_, _, _, htxs, allowed), n in expected.items() if htxs > allowed)
            cases.append(
                harness.Case(
                    name,
                    label,
                    "s",
                    samples,
                    "raw SQL: score → level (CASE) → HTT/HTXS/allowed per unit and group",
                    baseline,
                    notes=f"{note}; {checks} group checks, {over} over the cap; "
                    + (
                        "same result as the SQL"
                        if same
                        else "DIFFERENT result from the "
                        f"SQL ({len(outputs[-1] - expected)} extra, "
                        f"{len(expected - outputs[-1])} missing)"
                    ),
                )
            )
            print(name, [round(s, 2) for s in samples], "same" if same else "DIFFERENT", flush=True)
        harness.record(
            ID,
            args.engine,
            title=TITLE,
            description=__doc__.strip().split("\n\n", 1)[1],
            cases=cases,
            notes=notes,
            started=started,
            quick=args.quick,
        )


if __name__ == "__main__":
    main()
