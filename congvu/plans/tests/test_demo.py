"""The plans of seeds 000, 003 and 004 load from their data files with every task, and the demo
assigns seed 000's plan and records progress that shows every status."""

from datetime import date

import pytest
from django.test import override_settings

from congvu.accounts.models import User
from congvu.core.actors import SYSTEM
from congvu.organisations import demo
from congvu.organisations.models import Unit
from congvu.plans import rules, selectors
from congvu.plans.demo import SHOWCASE_DAY, demo_plans, seed_paths, seed_read, seeds_load
from congvu.plans.models import Assignment, LegalDocument, Plan, ProgressEntry, Task

pytestmark = pytest.mark.django_db

# Every task of each seed as the seed numbers it (seed 000: the 14 of part II and part III).
SEED_TASKS = {
    "6861/KH-UBND": [f"II.{n}" for n in range(1, 15)]
    + ["III.1.a", "III.1.b"]
    + [f"III.2.{x}" for x in "abcdeg"]
    + ["III.3", "III.4"],
    "/UBND-VP8": [str(n) for n in range(1, 7)],
    "115/KH-UBND": ["III.2.a", "IV.1", "IV.2", "IV.3", "V.1", "V.2", "V.3", "V.4"],
}


def test_every_seed_file_reads_and_names_its_tasks_once():
    seeds = [seed_read(path) for path in seed_paths()]
    assert {s.document["code"] for s in seeds} == set(SEED_TASKS)
    for seed in seeds:
        numbers = [t.number for t in seed.tasks]
        assert numbers == SEED_TASKS[seed.document["code"]]


def test_seed_000_states_its_timings_as_the_plan_does(province):
    seeds_load(actor=SYSTEM, units={"KHA": province.units["kh"]})
    plan = Plan.objects.get(document__code="6861/KH-UBND")
    tasks = {t.number: t for t in plan.tasks.all()}
    assert tasks["III.1.a"].timing() == rules.Timing("by_date", due_on=date(2019, 7, 31))
    assert tasks["III.1.a"].timing_text == "trong tháng 7/2019"
    assert tasks["II.2"].timing() == rules.Timing("by_year", year=2020)
    assert tasks["III.1.b"].timing() == rules.Timing("yearly", day=15, month=11, from_year=2019)
    assert tasks["III.2.g"].timing() == rules.Timing("yearly", day=1, month=12, from_year=2019)
    assert tasks["II.6"].kind == "conditional" and tasks["II.6"].event_date is None
    assert "Nghị định mới" in tasks["II.6"].timing_text
    ongoing = [n for n, t in tasks.items() if n.startswith("II.") and t.kind == "ongoing"]
    assert sorted(ongoing) == sorted(f"II.{n}" for n in (1, 3, 4, 5, 7, 8, 9, 10, 11, 12, 13, 14))
    assert all(tasks[n].timing_text == "Thời gian thực hiện: thường xuyên." for n in ongoing)
    implements = plan.document.links_out.get(kind="implements").target
    assert implements.code == "1847/QĐ-TTg"


def test_loading_the_seeds_twice_changes_nothing(province):
    units = {"KHA": province.units["kh"]}
    first = seeds_load(actor=SYSTEM, units=units)
    counts = (LegalDocument.objects.count(), Task.objects.count())
    second = seeds_load(actor=SYSTEM, units=units)
    assert [p.pk for p in first] == [p.pk for p in second]
    assert (LegalDocument.objects.count(), Task.objects.count()) == counts
    assert Plan.objects.count() == 3
    assert Task.objects.count() == sum(len(v) for v in SEED_TASKS.values())


def _demo_units() -> dict[str, Unit]:
    """The demo's units by their key (a renamed unit keeps its first code as its key)."""
    from congvu.organisations.demo_data import catalogue

    keys = {u.key for u in catalogue().units} | {
        op.new.key for op in catalogue().ops if op.new is not None
    }
    found: dict[str, Unit] = {}
    for unit in Unit.objects.order_by("valid_from"):
        if unit.code in keys:
            found.setdefault(unit.code, unit)
    return found


@override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"])
def test_the_demo_assigns_seed_000_and_shows_every_status(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        demo.demo_load(staff=300, seed=1)
    plan = Plan.objects.get(document__code="6861/KH-UBND")
    assert plan.tasks.count() == len(SEED_TASKS["6861/KH-UBND"])
    assigned = set(Assignment.objects.filter(plan=plan).values_list("unit__code", flat=True))
    assert {"KHA-SYT", "KHA-STP", "KHA-H-NT", "KHA-H-NT-LOCTHO"} <= assigned
    assert not {code for code in assigned if code.startswith("NTH")}
    assert ProgressEntry.objects.filter(task__plan=plan).exists()
    officer = User.objects.get(username="sonoivu")
    today = selectors.progress_matrix(plan=plan, as_of=date(2026, 11, 30), user=officer)
    past = selectors.progress_matrix(plan=plan, as_of=SHOWCASE_DAY, user=officer)
    assert set(today.counts) | set(past.counts) == set(rules.STATUSES)
    assert set(past.counts) == set(rules.STATUSES)
    codes = {row.code for row in today.rows}
    assert "KHA-P-NHATRANG" in codes and "KHA-H-NT-LOCTHO" not in codes  # under its successor
    nhatrang = next(row for row in today.rows if row.code == "KHA-P-NHATRANG")
    report = next(t for t in today.tasks if t.number == "III.1.b")
    assert today.status(nhatrang.unit_id, report.pk).status == rules.DONE
    entries = ProgressEntry.objects.count()
    demo_plans(actor=User.objects.get(username="quantri"), units=_demo_units())  # again
    assert ProgressEntry.objects.count() == entries and Plan.objects.count() == 3
    head = User.objects.get(username="gd_soyte")
    mine = selectors.progress_matrix(plan=plan, as_of=date(2026, 11, 30), user=head)
    assert [row.code for row in mine.rows] == ["KHA-SYT"]


def test_a_seed_file_with_a_timing_the_command_refuses_loads_nothing(province, tmp_path):
    from django.core.exceptions import ValidationError

    from congvu.plans.demo import seed_load

    text = (seed_paths()[0]).read_text(encoding="utf-8")
    bad = tmp_path / "bad.yaml"
    bad.write_text(text.replace('date: "2019-07-31"', 'date: "2019-07-32"'), encoding="utf-8")
    with pytest.raises(ValidationError, match="III.1.a.*ngày không có thật"):
        seed_load(actor=SYSTEM, seed=seed_read(bad), owner=province.units["kh"])
    assert not LegalDocument.objects.exists() and not Task.objects.exists()
