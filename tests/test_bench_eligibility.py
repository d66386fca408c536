"""bench/bench_eligibility.py on a small province, not timed: its data builder, the engine path
it measures and its raw SQL baseline agree person by person; and ``staff_subjects`` (an id range
for a dense chunk, a Year built directly for a person-year with a rating only) gives exactly
what the plain assembly gives, whatever the chunk; ``screening_subjects`` gives the screening
views of those histories, and ``rules.screen`` on them each person's ``eligibility`` result."""

from collections import defaultdict
from datetime import date

import pytest

from bench import bench_eligibility as bench
from congvu.discipline.models import DisciplineCase, DisciplineRecord
from congvu.discipline.rules import CASE_ACTIVE
from congvu.emulation import history, rules
from congvu.emulation.models import Achievement, Initiative
from congvu.evaluations.models import Evaluation
from congvu.organisations.models import Staff
from congvu.testing import make_staff

pytestmark = pytest.mark.django_db

BOTH = ("CSTDCS", "LDTT")


@pytest.fixture
def small(province, tmp_path):
    units = [province.units[k] for k in ("snv", "syt", "bv", "stp")]
    for n in range(200):
        make_staff(units[n % len(units)], ten=f"Người {n}", code=f"B{n:04d}")
    return bench.populate(bench.SEED, catalogue_dir=tmp_path)


def plain_subjects(ids: list[int], year: int) -> dict[int, rules.Subject]:
    """The history assembled the plain way: every person-year a ``_Year``, then frozen."""
    years: dict[int, dict] = {sid: defaultdict(history._Year) for sid in ids}
    for per in years.values():
        per[year]
    for sid, y, level, months in Evaluation.objects.filter(
        staff_id__in=ids, cycle__period_kind="year", cycle__year__lte=year, state="published"
    ).values_list("staff_id", "cycle__year", "final_level", "months_worked"):
        years[sid][y].rating, years[sid][y].months = level or None, months
    for sid, y, award, kind in Achievement.objects.filter(
        staff_id__in=ids, revoked_at__isnull=True, year__lte=year
    ).values_list("staff_id", "year", "award", "kind"):
        history._achievement(years[sid][y], award, y, kind)
    for pk, sid, level, y, used, title in Initiative.objects.filter(
        staff_id__in=ids, year__lte=year
    ).values_list("pk", "staff_id", "level", "year", "used_for", "title"):
        label = history.initiative_label(pk, title)
        years[sid][y].initiatives.append(rules.Initiative(label, level, y, used or None))
    for sid, form, start, end in DisciplineRecord.objects.filter(
        staff_id__in=ids, revoked_at__isnull=True, effective_from__year__lte=year
    ).values_list("staff_id", "form", "effective_from", "effective_to"):
        years[sid][start.year].discipline.append(rules.DisciplineRow(form, start, end))
    for sid in DisciplineCase.objects.filter(staff_id__in=ids, status__in=CASE_ACTIVE).values_list(
        "staff_id", flat=True
    ):
        years[sid][year].pending.append("discipline")
    categories = dict(Staff.objects.filter(pk__in=ids).values_list("pk", "category"))
    return {
        sid: rules.Subject(rules.INDIVIDUAL, categories[sid], history._freeze(years[sid]))
        for sid in ids
    }


def test_the_data_has_every_kind_of_fact(small):
    assert small["Staff"] >= 200
    assert small["Evaluation"] > 4 * small["Staff"]
    for model in ("Achievement", "Initiative", "DisciplineRecord", "DisciplineCase"):
        assert small[model] > 0, model


def test_engine_and_baseline_agree_person_by_person(small):
    expected = bench.baseline(BOTH)
    assert set(expected["CSTDCS"].values()) == {"eligible", "not_eligible", "undecidable"}
    assert bench.engine(BOTH) == expected  # screened
    assert bench.engine(BOTH, chunk=64, mode="reports") == expected
    assert bench.engine(("CSTDCS",), mode="each")["CSTDCS"] == expected["CSTDCS"]


def test_staff_subjects_equal_the_plain_assembly(small):
    ids = list(Staff.objects.order_by("pk").values_list("pk", flat=True))
    plain = plain_subjects(ids, bench.YEAR)
    assert history.staff_subjects(ids, year=bench.YEAR) == plain  # one dense chunk: a range
    sparse = ids[::3]  # not dense: an IN list
    assert history.staff_subjects(sparse, year=bench.YEAR) == {s: plain[s] for s in sparse}
    for year in (2021, 2023):
        assert history.staff_subjects(ids, year=year) == plain_subjects(ids, year)


def test_eligibility_many_gives_each_the_answer_of_one_call(small):
    ids = list(Staff.objects.order_by("pk").values_list("pk", flat=True))
    subjects = history.staff_subjects(ids, year=bench.YEAR)
    for award in BOTH:
        many = rules.eligibility_many(award, subjects, bench.DAY)
        assert many == {s: rules.eligibility(award, subjects[s], bench.DAY) for s in ids}


def test_screening_subjects_are_the_views_of_the_full_histories(small):
    ids = list(Staff.objects.order_by("pk").values_list("pk", flat=True))
    declared = {ids[0]: ["complaint"], ids[5]: ["investigation", "complaint"]}
    for year, day in ((bench.YEAR, bench.DAY), (2023, bench.DAY), (2025, date(2025, 11, 30))):
        full = history.staff_subjects(ids, year=year, pending=declared)
        for award in BOTH:
            views = history.screening_subjects(
                ids, award=award, year=year, day=day, pending=declared
            )
            assert views == {s: rules.screening_view(award, full[s], day) for s in ids}
            sparse = ids[::3]
            assert history.screening_subjects(
                sparse, award=award, year=year, day=day, pending=declared
            ) == {s: views[s] for s in sparse}
            verdicts = rules.screen(award, views, day)
            assert verdicts == rules.screen(award, full, day)
            assert verdicts == {s: rules.eligibility(award, full[s], day).result for s in ids}
    late = history.screening_subjects(ids, award="CSTDCS", year=2026, day=bench.DAY)
    full = history.staff_subjects(ids, year=2026)
    assert late == {s: rules.screening_view("CSTDCS", full[s], bench.DAY) for s in ids}
