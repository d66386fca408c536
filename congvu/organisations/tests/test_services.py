from datetime import date

import pytest
from django.core.exceptions import ValidationError

from congvu.core.actors import SYSTEM
from congvu.core.models import AuditLog
from congvu.organisations import selectors, services
from congvu.organisations.models import Membership, Unit, UnitVersion
from congvu.testing import MERGER, make_unit

pytestmark = pytest.mark.django_db


def test_tree_as_of_before_merger_has_two_provinces_and_the_district(province):
    current, children = selectors.unit_tree_as_of(day=date(2024, 6, 30))
    roots = {current[u].code for u in children[None]}
    assert roots == {"KHA", "NTH"}
    assert province["huyen"].pk in current
    assert province["xa_old"].pk in children[province["huyen"].pk]


def test_tree_as_of_after_merger_has_one_province_and_no_district(province):
    current, children = selectors.unit_tree_as_of(day=date(2025, 7, 1))
    assert {current[u].code for u in children[None]} == {"KHA"}
    assert province["huyen"].pk not in current
    assert province["xa_new"].pk in children[province["kh"].pk]


def test_last_day_of_district_is_30_june_2025(province):
    assert province["huyen"].pk in selectors.unit_tree_as_of(day=date(2025, 6, 30))[0]
    assert province["huyen"].pk not in selectors.unit_tree_as_of(day=MERGER)[0]


def test_successors_today_of_ninh_thuan_is_khanh_hoa(province):
    found = selectors.unit_successors(unit=province["nt"], since=date(2020, 1, 1))
    assert [u.code for u in found] == ["KHA"]


def test_successors_today_of_abolished_district_and_its_commune(province):
    assert {
        u.code for u in selectors.unit_successors(unit=province["huyen"], since=date(2020, 1, 1))
    } == {"KHA-X-CL"}
    assert {
        u.code for u in selectors.unit_successors(unit=province["xa_old"], since=date(2020, 1, 1))
    } == {"KHA-X-CL"}


def test_roll_up_of_khanh_hoa_includes_ninh_thuan(province):
    ids = selectors.unit_lineage_ids(unit=province["kh"])
    assert {province["kh"].pk, province["nt"].pk} <= ids


def test_merge_moves_staff_and_keeps_membership_history(province):
    nt_staff = province["nt_cc"]
    assert nt_staff.unit_id == province.units["snv"].pk
    history = list(Membership.objects.filter(staff=nt_staff).order_by("valid_from"))
    assert [m.unit_id for m in history] == [province["nt_snv"].pk, province.units["snv"].pk]
    assert history[0].valid_to == MERGER


def test_rename_keeps_old_name_in_history(province):
    services.unit_change(
        actor=SYSTEM, unit=province["stp"], day=date(2026, 1, 1), name="Sở Tư pháp tỉnh Khánh Hòa"
    )
    versions = list(UnitVersion.objects.filter(unit=province["stp"]).order_by("valid_from"))
    assert [v.name for v in versions] == ["Sở Tư pháp", "Sở Tư pháp tỉnh Khánh Hòa"]
    assert (
        selectors.unit_tree_as_of(day=date(2025, 12, 31))[0][province["stp"].pk].name
        == "Sở Tư pháp"
    )
    assert AuditLog.objects.filter(action="unit.rename").count() == 1


def test_move_into_own_subtree_is_refused(province):
    with pytest.raises(ValidationError):
        services.unit_change(
            actor=SYSTEM, unit=province["syt"], day=date(2026, 1, 1), parent=province["bv"]
        )


def test_duplicate_current_code_is_refused(province):
    with pytest.raises(ValidationError, match="đang được dùng"):
        make_unit("KHA-SYT", "Sở Y tế 2", "so_ban_nganh", province["kh"])
    assert Unit.objects.filter(code="KHA-SYT").count() == 1


def test_dissolving_unit_with_staff_needs_one_successor(province):
    with pytest.raises(ValidationError):
        services.unit_dissolve(actor=SYSTEM, unit=province["stp"], day=date(2026, 1, 1))
    assert Unit.objects.get(pk=province["stp"].pk).valid_to is None


def test_transfer_closes_old_membership(province):
    staff = province["syt_cc"]
    services.staff_transfer(actor=SYSTEM, staff=staff, unit=province["stp"], day=date(2026, 3, 1))
    rows = list(staff.memberships.order_by("valid_from").values_list("unit__code", "valid_to"))
    assert rows == [("KHA-SYT", date(2026, 3, 1)), ("KHA-STP", None)]
