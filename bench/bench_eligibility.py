"""Eligibility of a whole province for Chiến sĩ thi đua cơ sở (issue 13).

The demo province is loaded with 50,000 staff (seed 13, no other app's demo data); then,
bulk-inserted and deterministic (seed 13, not timed): five yearly cycles 2021–2025 with a
published evaluation per person and year (HTXS 15 %, HTT 65 %, HTNV 15 %, KHT 3 %; 2 % of
person-years missing: people recruited later; 6 % with 3–11 months of service); LĐTT or
CSTĐCS achievements 2021–2024 for ~15 % of the person-years rated HTT or above (3 % of them
revoked); initiatives for ~4 % of the person-years (levels cơ sở / tỉnh / toàn quốc; a third
of those before 2025 already used for a title); discipline decisions for ~1.5 % of the people
(6 or 12 months, 5 % revoked); discipline cases for ~1 % (half of them still open).

Measured: the eligibility of **every** person for CSTĐCS for the year 2025, considered on
20/01/2026, as a province screens for a title: the people read once, then
``emulation.history.screening_subjects`` (one pass, four queries for the whole province: the
2025 ratings, the 2025 initiatives, the discipline decisions begun by 2025, the open cases;
what CSTĐCS reads, ``rules.screening_view``) and ``rules.screen(CSTDCS, views, day)``: each
person's result (eligible / not eligible / cannot decide), decided once per distinct view,
without the report. For reference, the full reports as a nomination keeps them (every check
with its detail): the histories by ``staff_subjects`` in chunks of 2,000 ids and
``rules.eligibility_many``; and both LĐTT and CSTĐCS screened from the same views.
Baseline, same run: one raw SQL pass over what the verdict reads (the people; published
evaluations of the 2025 yearly cycle; initiatives of 2025; discipline decisions not revoked
begun by 2025; active cases), and in Python the plainest verdict per person: a 2025 rating
(else undecidable), HTT or above, ≥ 6 months, no active case, no discipline period ending
after 01/01/2025, and HTXS or an unused initiative of 2025 (for LĐTT, the same without the
last). Every person's answer is checked equal to the baseline's, screened and reported.
"""

from __future__ import annotations

import random
import tempfile
import time
from collections import Counter
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from bench import harness

ID = "eligibility"
TITLE = "Eligibility of 50,000 people for Chiến sĩ thi đua cơ sở (issue 13)"
SEED = 13
YEARS = (2021, 2022, 2023, 2024, 2025)
YEAR = 2025
DAY = date(2026, 1, 20)
CHUNK = 2000
MIN_MONTHS = 6  # emulation.ldtt.min_months in force on DAY
LEVELS = ("HTXS",) * 15 + ("HTT",) * 65 + ("HTNV",) * 15 + ("KHT",) * 3 + (None,) * 2
INITIATIVE_LEVELS = ("co_so",) * 16 + ("tinh",) * 3 + ("toan_quoc",)
FORMS = ("khien_trach",) * 6 + ("canh_cao",) * 3 + ("ha_bac_luong",)
ACTIVE = ("open", "paused", "council")
CLOSED = ("decided", "closed_time_barred", "dropped")


# --- The data (not timed) -----------------------------------------------------------------


def populate(seed: int = SEED, *, catalogue_dir: Path | None = None) -> dict[str, int]:
    """Five years of history for every Staff row, bulk-inserted; returns the row counts."""
    from django.db import connection, transaction

    from congvu.discipline.models import DisciplineCase, DisciplineRecord
    from congvu.emulation.models import Achievement, Initiative
    from congvu.evaluations.models import Evaluation, EvaluationCycle
    from congvu.evaluations.tests import factories
    from congvu.organisations.models import Staff, Unit

    rng = random.Random(seed)
    people = list(Staff.objects.order_by("pk").values_list("pk", "unit_id", "category"))
    root = Unit.objects.filter(parent__isnull=True).order_by("pk").first()
    with tempfile.TemporaryDirectory() as tmp:
        version = factories.load(Path(catalogue_dir or tmp), factories.individual_doc())
    now = datetime(2026, 1, 10, 8, tzinfo=UTC)
    counts: Counter = Counter()
    with transaction.atomic():
        cycles = {
            y: EvaluationCycle.objects.create(
                title=f"Đánh giá, xếp loại năm {y}",
                subject="individual",
                period_kind="year",
                year=y,
                start_date=date(y, 1, 1),
                end_date=date(y, 12, 31),
                catalogue_version=version,
                root_unit=root,
                status="closed",
                self_deadline=date(y, 12, 10),
                manager_deadline=date(y, 12, 15),
                council_deadline=date(y, 12, 25),
                created_at=now,
                opened_at=now,
                closed_at=now,
            )
            for y in YEARS
        }
        evaluations, achievements, initiatives, records, cases = [], [], [], [], []
        for sid, unit_id, category in people:
            for y in YEARS:
                level = rng.choice(LEVELS)
                if level is None:
                    continue  # recruited later: no evaluation that year
                short = rng.random() < 0.06
                evaluations.append(
                    Evaluation(
                        cycle=cycles[y],
                        staff_id=sid,
                        unit_id=unit_id,
                        category=category,
                        state="published",
                        locked=True,
                        final_level=level,
                        proposed_level=level,
                        months_worked=rng.randint(3, 11) if short else 12,
                        created_at=now,
                        updated_at=now,
                        published_at=now,
                    )
                )
                if y < YEAR and level in ("HTT", "HTXS") and rng.random() < 0.15:
                    award = "CSTDCS" if level == "HTXS" and rng.random() < 0.6 else "LDTT"
                    achievements.append(
                        Achievement(
                            staff_id=sid,
                            unit_then_id=unit_id,
                            award=award,
                            year=y,
                            source_document=f"QĐ {sid}/{y}/QĐ-UBND",
                            revoked_at=now if rng.random() < 0.03 else None,
                        )
                    )
                if rng.random() < 0.04:
                    used = y < YEAR and rng.random() < 0.33 or y == YEAR and rng.random() < 0.1
                    initiatives.append(
                        Initiative(
                            staff_id=sid,
                            title=f"Sáng kiến cải tiến quy trình số {sid}-{y}",
                            level=rng.choice(INITIATIVE_LEVELS),
                            year=y,
                            recognised_by=f"QĐ công nhận sáng kiến {sid}/{y}",
                            used_for="CSTDCS" if used else "",
                            used_at=now if used else None,
                        )
                    )
            if rng.random() < 0.015:
                start = date(2021, 1, 1) + timedelta(days=rng.randrange(5 * 365))
                form = rng.choice(FORMS)
                records.append(
                    DisciplineRecord(
                        staff_id=sid,
                        form=form,
                        decision_number=f"{sid}/QĐ-KL",
                        decision_date=start - timedelta(days=3),
                        issuer="Giám đốc Sở",
                        effective_from=start,
                        effective_to=start + timedelta(days=182 if form == "khien_trach" else 365),
                        violation="Vi phạm quy định về giờ làm việc.",
                        unit_id=unit_id,
                        category=category,
                        revoked_at=now if rng.random() < 0.05 else None,
                    )
                )
            if rng.random() < 0.01:
                found = date(2025, 1, 1) + timedelta(days=rng.randrange(380))
                status = rng.choice(ACTIVE if rng.random() < 0.5 else CLOSED)
                cases.append(
                    DisciplineCase(
                        staff_id=sid,
                        unit_id=unit_id,
                        category=category,
                        committed_on=found - timedelta(days=20),
                        detected_on=found,
                        level="khien_trach",
                        description="Chậm giải quyết hồ sơ của công dân.",
                        status=status,
                        closed_on=None if status in ACTIVE else found + timedelta(days=30),
                    )
                )
        for model, rows in (
            (Evaluation, evaluations),
            (Achievement, achievements),
            (Initiative, initiatives),
            (DisciplineRecord, records),
            (DisciplineCase, cases),
        ):
            model.objects.bulk_create(rows, batch_size=2000)
            counts[model.__name__] = len(rows)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    counts["Staff"] = len(people)
    return dict(counts)


# --- The engine -----------------------------------------------------------------------------


def engine(
    awards: tuple[str, ...] = ("CSTDCS",), chunk: int = CHUNK, *, mode: str = "screen"
) -> dict[str, dict]:
    """Every person's result per award: award → {staff id: result}. ``mode``: ``screen``: one
    pass, ``history.screening_subjects`` (what the award reads, for the whole province at once)
    and ``rules.screen`` (one verdict per distinct view, no report); ``reports``: full
    histories in chunks and ``rules.eligibility_many`` (every person's full report, one per
    distinct history); ``each``: the same with ``rules.eligibility`` called for each person."""
    from congvu.emulation import history, rules
    from congvu.organisations.models import Staff

    found: dict[str, dict[int, str]] = {a: {} for a in awards}
    if mode == "screen":
        ids = list(Staff.objects.order_by("pk").values_list("pk", flat=True))
        # LĐTT and CSTĐCS read the same facts: one view serves both (rules.screening_view).
        views = history.screening_subjects(ids, award=awards[0], year=YEAR, day=DAY)
        return {award: rules.screen(award, views, DAY) for award in awards}
    categories = dict(Staff.objects.order_by("pk").values_list("pk", "category"))
    ids = list(categories)
    for start in range(0, len(ids), chunk):
        part = ids[start : start + chunk]
        subjects = history.staff_subjects(part, year=YEAR, categories=categories)
        for award in awards:
            out = found[award]
            if mode == "reports":
                for sid, answer in rules.eligibility_many(award, subjects, DAY).items():
                    out[sid] = answer.result
            else:
                for sid, subject in subjects.items():
                    out[sid] = rules.eligibility(award, subject, DAY).result
    return found


def distinct_histories() -> int:
    from congvu.emulation import history
    from congvu.organisations.models import Staff

    ids = list(Staff.objects.order_by("pk").values_list("pk", flat=True))
    seen = set()
    for start in range(0, len(ids), CHUNK):
        seen |= set(history.staff_subjects(ids[start : start + CHUNK], year=YEAR).values())
    return len(seen)


def distinct_views() -> int:
    from congvu.emulation import history
    from congvu.organisations.models import Staff

    ids = list(Staff.objects.order_by("pk").values_list("pk", flat=True))
    return len(set(history.screening_subjects(ids, award="CSTDCS", year=YEAR, day=DAY).values()))


# --- The baseline ---------------------------------------------------------------------------

PEOPLE = "SELECT id FROM organisations_staff"
EVALUATIONS = """
SELECT e.staff_id, c.year, e.final_level, e.months_worked
FROM evaluations_evaluation e JOIN evaluations_evaluationcycle c ON c.id = e.cycle_id
WHERE e.staff_id IS NOT NULL AND c.period_kind = 'year' AND c.year = %s
  AND e.state = 'published'
"""
INITIATIVES = """
SELECT id, staff_id, level, year, used_for FROM emulation_initiative
WHERE staff_id IS NOT NULL AND year = %s
"""
DISCIPLINE = """
SELECT staff_id, form, effective_from, effective_to FROM discipline_disciplinerecord
WHERE revoked_at IS NULL AND effective_from <= %s
"""
CASES = "SELECT staff_id FROM discipline_disciplinecase WHERE status IN (%s, %s, %s)"


def baseline(awards: tuple[str, ...] = ("CSTDCS",)) -> dict[str, dict]:
    """The same history in one raw SQL pass, the plainest verdict in Python."""
    from django.db import connection

    first = date(YEAR, 1, 1)
    with connection.cursor() as cursor:
        cursor.execute(PEOPLE)
        people = [r[0] for r in cursor.fetchall()]
        cursor.execute(EVALUATIONS, [YEAR])
        rating: dict[int, tuple[str, int]] = {}
        for sid, _y, level, months in cursor.fetchall():
            rating[sid] = (level or None, 12 if months is None else months)
        cursor.execute(INITIATIVES, [YEAR])
        initiative = set()
        for _pk, sid, _level, _y, used in cursor.fetchall():
            if not used:
                initiative.add(sid)
        cursor.execute(DISCIPLINE, [date(YEAR, 12, 31)])
        blocked = set()
        for sid, _form, _start, end in cursor.fetchall():
            if end is None or end > first:
                blocked.add(sid)
        cursor.execute(CASES, list(ACTIVE))
        pending = {r[0] for r in cursor.fetchall()}
    found: dict[str, dict[int, str]] = {a: {} for a in awards}
    for sid in people:
        level, months = rating.get(sid, (None, 12))
        guards = sid not in pending and sid not in blocked and months >= MIN_MONTHS
        for award in awards:
            if not guards or level in ("KHT", "HTNV"):
                verdict = "not_eligible"
            elif level is None:
                verdict = "undecidable"
            elif award == "LDTT" or level == "HTXS" or sid in initiative:
                verdict = "eligible"
            else:
                verdict = "not_eligible"
            found[award][sid] = verdict
    return found


# --- The run --------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> None:
    args = harness.parse_args(__doc__, argv)
    size = 2000 if args.quick else 50_000
    runs = 2 if args.quick else 3
    started = time.perf_counter()
    with harness.fresh_database(args.engine, ID) as db:
        harness.setup_django()
        from congvu.organisations import demo

        began = time.perf_counter()
        demo.demo_load(staff=size, seed=SEED, apps=())
        loaded = time.perf_counter() - began
        began = time.perf_counter()
        counts = populate(SEED, catalogue_dir=db.var_dir)
        built = time.perf_counter() - began

        both = ("CSTDCS", "LDTT")
        expected = baseline(both)
        for awards in (("CSTDCS",), both):
            for mode in ("screen", "reports"):
                got = engine(awards, mode=mode)
                for award in awards:
                    assert got[award] == expected[award], (award, mode)
        with harness.sql_timer() as stats:
            engine(("CSTDCS",))
        queries = stats["queries"]
        with harness.sql_timer() as stats:
            baseline(("CSTDCS",))
        base_queries = stats["queries"]

        one, two, each, base_one, base_two = [], [], [], [], []
        for _ in range(runs):  # interleaved, so that drift hits both alike
            base_one += harness.time_runs(lambda: baseline(("CSTDCS",)), runs=1)
            one += harness.time_runs(lambda: engine(("CSTDCS",)), runs=1)
            each += harness.time_runs(lambda: engine(("CSTDCS",), mode="reports"), runs=1)
            base_two += harness.time_runs(lambda: baseline(both), runs=1)
            two += harness.time_runs(lambda: engine(both), runs=1)
        people = counts["Staff"]
        tally = {a: Counter(expected[a].values()) for a in both}
        with harness.sql_timer() as timed:
            began = time.perf_counter()
            engine(("CSTDCS",))
            call = time.perf_counter() - began
        distinct = distinct_histories()
        views = distinct_views()
        label = f"{people:,} people, {counts['Evaluation']:,} evaluations 2021–2025"
        rate = people / sorted(one)[len(one) // 2]
        base = (
            f"raw SQL: one pass over what the verdict reads ({base_queries} queries) + the "
            "plainest verdict in Python"
        )
        harness.record(
            ID,
            args.engine,
            title=TITLE,
            description=__doc__.strip().split("\n\n", 1)[1],
            cases=[
                harness.Case(
                    "`history.screening_subjects` (one pass) + `rules.screen(CSTDCS)`",
                    label,
                    "s",
                    one,
                    base,
                    base_one,
                    notes=(
                        f"{queries} queries; {rate:,.0f} people/s; every person's verdict equal "
                        "to the baseline's: "
                        + ", ".join(f"{k} {v:,}" for k, v in sorted(tally["CSTDCS"].items()))
                    ),
                ),
                harness.Case(
                    "full reports: `staff_subjects` (chunks of 2,000) + "
                    "`rules.eligibility_many(CSTDCS)`",
                    label,
                    "s",
                    each,
                    base,
                    base_one,
                    notes=f"{people / sorted(each)[len(each) // 2]:,.0f} people/s; every check "
                    "with its detail, as a nomination keeps them",
                ),
                harness.Case(
                    "the same views, `rules.screen` for LĐTT and for CSTĐCS",
                    label,
                    "s",
                    two,
                    "raw SQL: the same pass, both verdicts in Python",
                    base_two,
                    notes="LĐTT: "
                    + ", ".join(f"{k} {v:,}" for k, v in sorted(tally["LDTT"].items())),
                ),
            ],
            started=started,
            quick=args.quick,
            notes=[
                f"Preparation (not timed): demo load of {people:,} staff {loaded:.0f} s; history "
                f"bulk-inserted in {built:.0f} s: "
                + ", ".join(f"{v:,} {k}" for k, v in counts.items() if k != "Staff")
                + f". {runs} runs of each case and of its baseline, interleaved.",
                f"{views:,} distinct screening views (what CSTĐCS reads: the 2025 rating and "
                "months, pending facts, unused initiatives of 2025, discipline periods running "
                f"on 01/01/2025) among {people:,} people, against {distinct:,} distinct full "
                "histories: `rules.screen` decides each view once.",
                f"A CSTĐCS screening run: {call:.2f} s, of which {timed['seconds']:.2f} s in its "
                f"{timed['queries']} queries (executed and fetched); the rest is building the "
                "views and deciding them.",
            ],
        )


if __name__ == "__main__":
    main()
