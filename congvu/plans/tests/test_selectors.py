"""Scoped reads of plans: who sees which plan, a unit's obligations with their derived status,
and the progress matrix (a merged unit under its successor, equal to a recount, no N+1)."""

from collections import Counter
from datetime import date

import pytest
from django.core.exceptions import PermissionDenied

from congvu.accounts.models import User
from congvu.core.actors import SYSTEM
from congvu.plans import rules, selectors, services
from congvu.plans.models import Task
from congvu.plans.tests.factories import make_plan

pytestmark = pytest.mark.django_db


def _fresh(user):
    return User.objects.get(pk=user.pk)


@pytest.fixture
def world(province):
    """Seed 000's shape assigned in 2019 to Sở Y tế, Sở Tư pháp and the commune merged in 2025;
    progress of each, the commune's before and its successor's after the merger."""
    u = province.units
    plan = make_plan(province)
    services.plan_assign(
        actor=SYSTEM, plan=plan, units=[u["syt"], u["stp"], u["xa_old"]], day=date(2019, 7, 12)
    )
    other = make_plan(province, code="99/KH-UBND")  # assigned to Sở Tư pháp only
    services.plan_assign(actor=SYSTEM, plan=other, units=[u["stp"]], day=date(2020, 1, 2))
    tasks = {t.number: t for t in Task.objects.filter(plan=plan)}
    admin = province.users["admin"]

    def record(unit, number, on, state="done", period=None):
        services.progress_record(
            actor=admin,
            task=tasks[number],
            unit=u[unit],
            on=on,
            state=state,
            period=period,
            text=f"{number} của {unit}",
        )

    record("syt", "III.1.a", date(2019, 7, 25))  # done
    record("stp", "III.1.a", date(2019, 8, 20))  # done late
    record("syt", "II.2", date(2020, 3, 1), "in_progress")
    for year in range(2019, 2025):
        record("xa_old", "III.1.b", date(year, 11, 10), period=year)
    record("xa_new", "III.1.b", date(2025, 11, 1), period=2025)
    record("xa_new", "III.1.b", date(2026, 11, 14), period=2026)
    return province, plan, other, tasks


def test_who_sees_which_plan(world):
    province, plan, other, _ = world
    expected = {
        "admin": {plan, other},
        "snv": {plan, other},
        "leader": {plan, other},
        "head_syt": {plan},  # assigned to Sở Y tế
        "council": {plan},  # Sở Y tế's council
        "head_stp": {plan, other},
        "inspector": {plan, other},  # over Sở Tư pháp
        "staff": set(),  # no plan.view
        "mttq": set(),
        "outsider": set(),
    }
    for persona, plans in expected.items():
        user = _fresh(province.users[persona])
        listed = list(selectors.plan_list_for_user(user=user))
        assert set(listed) == plans, persona
        assert len(listed) == len(set(listed)), persona
        for each in (plan, other):
            found = selectors.plan_get_for_user(user=user, pk=each.pk)
            assert (found == each) == (each in plans), (persona, each)


def test_a_malformed_or_unknown_id_is_nothing_not_an_error(world):
    province, *_ = world
    admin = _fresh(province.users["admin"])
    for bad in ("abc", None, 0, -1, 2**63, "1 OR 1=1", 999999):
        assert selectors.plan_get_for_user(user=admin, pk=bad) is None


def test_obligations_of_a_unit_carry_their_derived_status(world):
    province, plan, _, _ = world
    head = _fresh(province.users["head_syt"])
    found = {
        o.task.number: o
        for o in selectors.obligations_for_unit(
            user=head, unit=province.units["syt"], as_of=date(2020, 6, 30)
        )
    }
    assert found["III.1.a"].status.status == rules.DONE
    assert found["II.2"].status.status == rules.IN_PROGRESS
    assert found["II.6"].status.status == rules.WAITING
    assert found["II.1"].status.status == rules.LATE  # the 2019 period was never reported
    assert [e.text for e in found["II.2"].entries] == ["II.2 của syt"]
    later = {
        o.task.number: o.status.status
        for o in selectors.obligations_for_unit(
            user=head, unit=province.units["syt"], as_of=date(2021, 1, 1)
        )
    }
    assert later["II.2"] == rules.LATE


def test_the_successor_of_a_merged_commune_owes_its_plan_and_counts_its_progress(world):
    province, plan, _, _ = world
    officer = _fresh(province.users["snv"])
    found = {
        o.task.number: o
        for o in selectors.obligations_for_unit(
            user=officer, unit=province.units["xa_new"], as_of=date(2026, 11, 21)
        )
    }
    assert found["III.1.b"].status.status == rules.DONE
    units = {e.unit.code for e in found["III.1.b"].entries}
    assert units == {"KHA-X-CHB", "KHA-X-CL"}  # its own and the old commune's, by their names


def test_nobody_reads_the_obligations_of_a_unit_outside_their_scope(world):
    province, *_ = world
    with pytest.raises(PermissionDenied):
        selectors.obligations_for_unit(
            user=_fresh(province.users["head_syt"]),
            unit=province.units["stp"],
            as_of=date(2026, 1, 1),
        )


def test_the_matrix_shows_a_merged_unit_under_its_successor_and_equals_a_recount(world):
    province, plan, _, _ = world
    officer = _fresh(province.users["snv"])
    as_of = date(2026, 11, 21)
    matrix = selectors.progress_matrix(plan=plan, as_of=as_of, user=officer)
    assert [row.code for row in matrix.rows] == ["KHA-STP", "KHA-SYT", "KHA-X-CL"]
    recount: Counter[str] = Counter()
    for row in matrix.rows:
        unit = province.units[{"KHA-STP": "stp", "KHA-SYT": "syt", "KHA-X-CL": "xa_new"}[row.code]]
        for obligation in selectors.obligations_for_unit(user=officer, unit=unit, as_of=as_of):
            if obligation.task.plan_id == plan.pk:
                assert matrix.status(row.unit_id, obligation.task.pk) == obligation.status
                recount[obligation.status.status] += 1
    assert matrix.counts == recount
    assert sum(matrix.counts.values()) == len(matrix.rows) * len(matrix.tasks)
    before = selectors.progress_matrix(plan=plan, as_of=date(2020, 6, 30), user=officer)
    assert [row.code for row in before.rows] == ["KHA-STP", "KHA-SYT", "KHA-X-CHB"]


def test_a_unit_head_never_sees_another_units_progress(world):
    province, plan, _, _ = world
    head = _fresh(province.users["head_syt"])
    matrix = selectors.progress_matrix(plan=plan, as_of=date(2026, 11, 21), user=head)
    assert [row.code for row in matrix.rows] == ["KHA-SYT"]
    entries = selectors.progress_list_for_user(user=head, plan=plan)
    assert {e.unit.code for e in entries} == {"KHA-SYT"}
    other = make_plan(province, code="7/KH-UBND")
    with pytest.raises(PermissionDenied):  # a plan not assigned to Sở Y tế
        selectors.progress_matrix(plan=other, as_of=date(2026, 11, 21), user=head)


def test_the_matrix_costs_the_same_queries_whatever_the_number_of_units(
    world, django_assert_max_num_queries
):
    province, plan, _, _ = world
    officer = _fresh(province.users["snv"])
    selectors.progress_matrix(plan=plan, as_of=date(2026, 11, 21), user=officer)  # warm caches
    officer = _fresh(province.users["snv"])
    with django_assert_max_num_queries(6):
        selectors.progress_matrix(plan=plan, as_of=date(2026, 11, 21), user=officer)
    services.plan_assign(
        actor=SYSTEM,
        plan=plan,
        units=[province.units["bv"], province.units["snv"]],
        day=date(2020, 1, 2),
    )
    officer = _fresh(province.users["snv"])
    with django_assert_max_num_queries(6):
        matrix = selectors.progress_matrix(plan=plan, as_of=date(2026, 11, 21), user=officer)
    assert len(matrix.rows) == 5
