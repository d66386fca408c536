"""Scoped reads: who sees which evaluations, the team, the council's list, a cycle's progress."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from congvu.accounts.models import User
from congvu.evaluations import selectors, services
from congvu.evaluations.models import Evaluation
from congvu.evaluations.tests import factories as f
from congvu.organisations.models import UnitType
from congvu.testing import make_staff, make_unit

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(province, tmp_path):
    version = f.load(tmp_path, f.individual_doc())
    syt = f.cycle(province["head_syt"], version, province.units["syt"])
    stp = f.cycle(province["head_stp"], version, province.units["stp"])
    return province, syt, stp


def fresh(user) -> User:
    return User.objects.get(pk=user.pk)  # scopes are memoised per user object


def names(qs) -> set[str]:
    return {e.staff.full_name for e in qs}


SYT = {"Trần Thị Bích", "Nguyễn Văn An", "Lê Văn Đức"}
STP = {"Phạm Minh Châu", "Võ Thị Ánh"}


@pytest.mark.parametrize(
    "persona, visible",
    [
        ("admin", SYT | STP),
        ("snv", SYT | STP),
        ("leader", SYT | STP),
        ("head_syt", SYT),
        ("council", SYT),
        ("head_stp", STP),
        ("staff", {"Nguyễn Văn An"}),  # only their own
        ("inspector", set()),
        ("mttq", set()),
        ("outsider", set()),
    ],
)
def test_each_persona_sees_only_the_evaluations_in_scope(world, persona, visible):
    province = world[0]
    assert names(selectors.evaluation_list_for_user(user=fresh(province[persona]))) == visible


def test_an_evaluation_outside_the_scope_is_not_found(world):
    province, syt, _ = world
    an = f.evaluation_of(syt, province.staff["syt_cc"])
    assert selectors.evaluation_get_for_user(user=fresh(province["head_stp"]), pk=an.pk) is None
    assert selectors.evaluation_get_for_user(user=fresh(province["staff"]), pk=an.pk) == an
    nurse = f.evaluation_of(syt, province.staff["nurse"])
    assert selectors.evaluation_get_for_user(user=fresh(province["staff"]), pk=nurse.pk) is None


def test_my_evaluation_and_my_team(world):
    province, syt, stp = world
    assert (
        selectors.my_evaluation(user=province["staff"], cycle=syt).staff == province.staff["syt_cc"]
    )
    assert selectors.my_evaluation(user=province["staff"], cycle=stp) is None
    assert selectors.my_evaluation(user=province["outsider"], cycle=syt) is None
    assert names(selectors.team_evaluations(user=province["head_syt"], cycle=syt)) == {
        "Nguyễn Văn An",
        "Lê Văn Đức",
    }
    assert not selectors.team_evaluations(user=province["head_stp"], cycle=syt).exists()
    assert {c.pk for c in selectors.cycle_list_for_user(user=fresh(province["staff"]))} == {syt.pk}
    assert not selectors.cycle_list_for_user(user=fresh(province["outsider"])).exists()


def test_the_council_list_shows_proposed_levels_and_the_cap_per_group(world):
    province, syt, _ = world
    an = f.evaluation_of(syt, province.staff["syt_cc"])
    f.to_reviewed(province["staff"], province["head_syt"], an)
    listing = selectors.council_list(
        user=fresh(province["council"]), cycle=syt, unit=province.units["syt"]
    )
    levels = {row.evaluation.staff.full_name: row.level for row in listing.rows}
    assert levels == {"Nguyễn Văn An": "HTXS", "Trần Thị Bích": ""}
    [cap] = listing.caps
    assert (cap.group, cap.htxs, cap.htt, cap.allowed, cap.exceeded) == (
        "Không giữ chức vụ lãnh đạo, quản lý",
        1,
        0,
        0,
        True,
    )
    assert listing.exceeded == [cap]
    assert (
        selectors.council_list(
            user=fresh(province["head_stp"]), cycle=syt, unit=province.units["syt"]
        )
        is None
    )


def test_cycle_progress_counts_states_and_lateness_per_unit(world):
    province, syt, _ = world
    an = f.evaluation_of(syt, province.staff["syt_cc"])
    f.self_assess_all(province["staff"], an)
    services.submit(actor=province["staff"], evaluation=an)
    snv = fresh(province["snv"])
    rows = selectors.cycle_progress(user=snv, cycle=syt, today=date(2026, 11, 26))
    by_code = {r.code: (r.counts, r.late, r.total) for r in rows}
    assert by_code == {
        "KHA-SYT": ({"draft": 1, "submitted": 1}, 1, 2),  # the head's own draft is late
        "KHA-BVDK": ({"draft": 1}, 1, 1),
    }
    late = selectors.late_evaluations(user=snv, cycle=syt, today=date(2026, 11, 26))
    assert names(late) == {"Trần Thị Bích", "Lê Văn Đức"}
    assert selectors.cycle_progress(user=fresh(province["head_stp"]), cycle=syt) == []


def test_cycle_progress_uses_the_same_queries_for_two_or_fifty_units(world):
    province, syt, _ = world
    snv = fresh(province["snv"])

    def count() -> int:
        selectors.cycle_progress(user=snv, cycle=syt)  # warm the scope memo
        with CaptureQueriesContext(connection) as ctx:
            selectors.cycle_progress(user=snv, cycle=syt)
        return len(ctx.captured_queries)

    small = count()
    for i in range(48):
        unit = make_unit(f"KHA-SYT-P{i}", f"Phòng {i}", UnitType.PHONG_BAN, province.units["syt"])
        make_staff(unit, "Hồ", "Văn", f"Số{i}")
    # One form per official and period: not the year again.
    bigger = f.cycle(
        province["snv"], syt.catalogue_version, province.units["syt"], kind="quarter", number=4
    )
    assert Evaluation.objects.filter(cycle=bigger).count() == 51
    snv = fresh(province["snv"])  # the new units are in the scope of a new request
    selectors.cycle_progress(user=snv, cycle=bigger)
    with CaptureQueriesContext(connection) as ctx:
        rows = selectors.cycle_progress(user=snv, cycle=bigger)
    assert len(rows) == 50 and len(ctx.captured_queries) == small == 2
