"""Reads: roll-up through the unit tree and a merger, scope, constant query counts."""

from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from congvu.accounts.models import User
from congvu.organisations.models import UnitType
from congvu.ratings import rules, selectors, services
from congvu.ratings.services import IngestItem
from congvu.ratings.tests.conftest import make_desk, submit
from congvu.testing import make_unit

pytestmark = pytest.mark.django_db
VN = ZoneInfo("Asia/Ho_Chi_Minh")
YEAR_2025 = rules.Period("year", 2025)
YEAR_2026 = rules.Period("year", 2026)


def push(actor, unit_code, scores, when, *, now=None, prefix="r"):
    items = [
        IngestItem(
            id=f"{prefix}-{unit_code}-{i}",
            score=s,
            unit=unit_code,
            rated_at=when,
            reason="" if s > 3 else "Chưa hài lòng",
        )
        for i, s in enumerate(scores)
    ]
    results = services.ratings_ingest(actor=actor, items=items, now=now)
    assert {r.status for r in results} == {"created"}, results


@pytest.fixture
def merged(province):
    """Ratings of Sở Nội vụ Ninh Thuận before the 01/07/2025 merger, and of the merged Sở
    Nội vụ after it."""
    admin = province.users["admin"]
    push(
        admin,
        "NTH-SNV",
        [5, 5, 4, 1],
        datetime(2025, 6, 10, 9, tzinfo=VN),
        now=datetime(2025, 6, 30, 12, tzinfo=VN),
    )
    push(
        admin,
        "KHA-SNV",
        [2, 3],
        datetime(2025, 10, 2, 9, tzinfo=VN),
        now=datetime(2025, 10, 31, 12, tzinfo=VN),
    )
    return province


def test_a_merged_units_index_includes_its_predecessors_ratings(merged):
    p = merged
    dash = selectors.dashboard(user=p.users["snv"], period=YEAR_2025, root_id=p.units["kh"].pk)
    row = next(r for r in dash.rows if r.unit_id == p.units["snv"].pk)
    assert row.figures.index.count == 6
    assert row.figures.index.satisfied == Decimal("50.0")  # 3 of 6 at 4–5 stars
    assert row.figures.index.mean == Decimal("3.33")  # 20 / 6
    assert dash.total.index.count == 6
    drilled = selectors.dashboard(user=p.users["snv"], period=YEAR_2025, root_id=p.units["snv"].pk)
    assert drilled.direct.index.count == 6 and drilled.rows == []
    assert [name for _, name in drilled.breadcrumbs] == ["UBND tỉnh Khánh Hòa"]


def test_months_and_the_previous_period(merged):
    p = merged
    dash = selectors.dashboard(user=p.users["snv"], period=YEAR_2026, root_id=p.units["snv"].pk)
    assert dash.total.index.count == 0 and dash.total.previous.count == 6
    assert dash.previous == YEAR_2025
    june = selectors.dashboard(
        user=p.users["snv"], period=rules.Period("month", 2025, 6), root_id=p.units["snv"].pk
    )
    assert june.total.index.count == 4 and june.total.index.satisfied == Decimal("75.0")
    assert [m.label for m, _ in june.months] == ["Tháng 06/2025"]
    year = selectors.dashboard(user=p.users["snv"], period=YEAR_2025, root_id=p.units["snv"].pk)
    counts = {m.number: index.count for m, index in year.months}
    assert counts[6] == 4 and counts[10] == 2 and sum(counts.values()) == 6


def test_the_public_page_rolls_history_into_the_current_unit(merged):
    rows = selectors.public_stats(period=YEAR_2025)
    names = {row.name: row for row in rows}
    assert "Sở Nội vụ Ninh Thuận" not in names
    assert names["Sở Nội vụ"].figures.index.count == 6
    assert names["Sở Nội vụ"].shown  # 6 ≥ PUBLIC_MIN_COUNT
    assert names["Sở Nội vụ"].province == "UBND tỉnh Khánh Hòa"


def test_the_tree_rolls_up_a_hospital_into_its_department(province):
    submit(make_desk(province, unit_key="bv", name="Khoa Khám bệnh"), score=5)
    dash = selectors.dashboard(user=province.users["head_syt"], period=YEAR_2026)
    assert dash.root_id == province.units["syt"].pk  # one top unit: shown directly
    hospital = next(r for r in dash.rows if r.name == "Bệnh viện Đa khoa tỉnh")
    assert hospital.figures.index.count == 1 and dash.total.index.count == 1
    assert dash.direct.index.count == 0


def test_a_unit_head_sees_only_their_own_units(province):
    make_desk(province, unit_key="stp", name="Quầy hộ tịch")
    head_syt = province.users["head_syt"]
    with pytest.raises(selectors.OutOfScope):
        selectors.dashboard(user=head_syt, period=YEAR_2026, root_id=province.units["stp"].pk)
    with pytest.raises(selectors.OutOfScope):
        selectors.dashboard(user=province.users["outsider"], period=YEAR_2026)
    assert not selectors.desk_list_for_user(user=head_syt).exists()
    assert selectors.desk_list_for_user(user=province.users["head_stp"]).count() == 1
    dash = selectors.dashboard(user=province.users["mttq"], period=YEAR_2026)
    assert {r.name for r in dash.rows} >= {"Sở Y tế", "Sở Tư pháp"}  # province-wide, read-only


def test_an_officials_figures_are_theirs_and_their_managers(province, official_desk):
    submit(official_desk, score=5, answers={"chao": "1"})
    submit(official_desk, score=2, reason="Cáu gắt", answers={"khong_cau_gat": "0"})
    staff = province.staff["syt_cc"]
    data = selectors.staff_figures(staff=staff, period=YEAR_2026)
    assert data.figures.index.count == 2 and data.figures.index.satisfied == Decimal("50.0")
    assert data.conduct[2].items[2].rate == Decimal("0.0")  # không cáu gắt: 0 of 1
    visible = {
        key: selectors.staff_figures_visible(user=user, staff=staff)
        for key, user in province.users.items()
    }
    assert visible == {
        "admin": True,
        "snv": True,
        "head_syt": True,
        "head_stp": False,
        "staff": True,
        "leader": True,
        "mttq": True,
        "council": False,
        "inspector": False,
        "outsider": False,
    }  # fmt: skip — "staff" is the official themself
    found = {  # the page's lookup checks inside the query, with the same outcome
        key: selectors.staff_for_figures(user=user, pk=staff.pk) == staff
        for key, user in province.users.items()
    }
    assert found == visible
    assert selectors.staff_for_figures(user=province.users["admin"], pk=10**9) is None


@pytest.mark.parametrize("extra_units", [3, 40])
def test_dashboard_query_count_does_not_grow_with_units(
    province, extra_units, django_assert_max_num_queries
):
    admin = province.users["admin"]
    for i in range(extra_units):
        unit = make_unit(
            f"KHA-X{i:03d}", f"UBND xã Thử {i:03d}", UnitType.UBND_XA, province.units["kh"]
        )
        push(admin, unit.code, [5, 4, 2], datetime(2026, 3, 5, 9, tzinfo=VN), prefix=f"x{i}")
    make_desk(province, unit_key="kh", name="Quầy tỉnh")
    selectors.dashboard(user=admin, period=YEAR_2026, root_id=province.units["kh"].pk)  # warm
    fresh = User.objects.get(pk=province.users["snv"].pk)
    with django_assert_max_num_queries(8):
        dash = selectors.dashboard(user=fresh, period=YEAR_2026, root_id=province.units["kh"].pk)
    assert dash.total.index.count == 3 * extra_units
    assert len([r for r in dash.rows if r.figures.index.count]) == extra_units
    with django_assert_max_num_queries(4):
        selectors.public_stats(period=YEAR_2026)


def _snapshot(dash):
    return (
        dash.total,
        [(r.unit_id, r.figures) for r in dash.rows],
        dash.direct,
        [(m.slug, index) for m, index in dash.months],
    )


@pytest.mark.parametrize("limit", [0, 2, 10_000])
@pytest.mark.parametrize(
    "period", [YEAR_2025, rules.Period("quarter", 2025, 2), rules.Period("month", 2025, 10)]
)
def test_the_figures_do_not_depend_on_how_the_unit_list_is_sent(merged, monkeypatch, limit, period):
    """Ids in the query, the few ids outside the scope excluded, or all rows filtered in
    Python: the three paths of selectors._key_filter give the same figures."""
    p = merged
    submit(make_desk(p, unit_key="bv", name="Khoa Khám bệnh"), score=5)
    expected = {
        persona: _snapshot(selectors.dashboard(user=p.users[persona], period=period))
        for persona in ("admin", "head_syt", "snv")
    }
    monkeypatch.setattr(selectors, "IN_LIST_MAX", limit)
    for persona, snapshot in expected.items():
        assert _snapshot(selectors.dashboard(user=p.users[persona], period=period)) == snapshot
    assert expected["admin"][0].index.count == {"year": 6, "quarter": 4, "month": 2}[period.kind]


def test_a_cached_dashboard_is_shared_only_by_the_same_scope(province, settings):
    settings.RATINGS_DASHBOARD_CACHE_SECONDS = 60
    syt_desk = make_desk(province, unit_key="syt", name="Quầy Sở Y tế")
    stp_desk = make_desk(province, unit_key="stp", name="Quầy Sở Tư pháp")
    submit(syt_desk, score=5)

    def count(persona):
        user = User.objects.get(pk=province.users[persona].pk)
        return selectors.dashboard_cached(user=user, period=YEAR_2026).total.index.count

    assert (count("head_syt"), count("head_stp"), count("snv")) == (1, 0, 1)
    submit(stp_desk, score=4)
    submit(syt_desk, score=3, reason="Chờ lâu")
    # Within the minute each scope keeps its own figures; none is another's.
    assert (count("head_syt"), count("head_stp"), count("snv")) == (1, 0, 1)
    settings.RATINGS_DASHBOARD_CACHE_SECONDS = 0
    assert (count("head_syt"), count("head_stp"), count("snv")) == (2, 1, 3)
