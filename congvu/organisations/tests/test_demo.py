from datetime import date
from io import StringIO

import pytest
from django.core.management import call_command
from django.test import TestCase, override_settings
from django.urls import reverse

from congvu.accounts.models import Role, RoleAssignment, User
from congvu.core import permissions
from congvu.core.permissions import Action
from congvu.organisations import demo, selectors
from congvu.organisations.demo_data import MERGER, catalogue
from congvu.organisations.demo_people import people
from congvu.organisations.models import (
    LineageEvent,
    LineageKind,
    Membership,
    Staff,
    Unit,
    UnitType,
)

FAST_HASH = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def _run_demo(*args: str) -> str:
    out = StringIO()
    call_command("demo", "--no-serve", "--staff", "300", *args, stdout=out)
    return out.getvalue()


def test_people_are_the_same_for_the_same_seed_and_differ_for_another():
    first, tags = people(catalogue(), 300, 7)
    again, tags_again = people(catalogue(), 300, 7)
    other, _ = people(catalogue(), 300, 8)
    assert first == again and tags == tags_again
    assert first != other
    assert len(first) == 300 and len({p.code for p in first}) == 300


def test_family_names_follow_the_vietnamese_distribution():
    persons, _ = people(catalogue(), 20000, 1)
    share = sum(p.ho == "Nguyễn" for p in persons) / len(persons)
    assert 0.33 < share < 0.42


@pytest.mark.django_db
def test_running_demo_twice_loads_once_and_says_so():
    _run_demo("--seed", "3")
    counts = (Unit.objects.count(), Staff.objects.count(), Membership.objects.count())
    output = _run_demo("--seed", "3")
    assert "đã có dữ liệu" in output
    assert (Unit.objects.count(), Staff.objects.count(), Membership.objects.count()) == counts
    # The demo logins, plus password-less accounts of the officials whose demo evaluations
    # were moved along (congvu.evaluations.demo): none of them signs in.
    logins = {login.username for login in demo.LOGINS}
    found = User.objects.filter(username__in=logins).values_list("username", flat=True)
    assert set(found) == logins
    others = User.objects.exclude(username__in=logins)
    assert others.exists() and not any(user.has_usable_password() for user in others)


@pytest.mark.django_db(transaction=True)
def test_reset_reloads_exactly_the_same_data_for_the_same_seed():
    _run_demo("--seed", "5")
    before = demo.snapshot()
    output = _run_demo("--seed", "5", "--reset")
    assert "Đã xóa toàn bộ dữ liệu cũ" in output
    assert demo.snapshot() == before


@override_settings(PASSWORD_HASHERS=FAST_HASH)
class DemoProvinceTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        demo.demo_load(staff=300, seed=1)
        cls.kha = Unit.objects.get(code="KHA", valid_to__isnull=True)
        cls.nth = Unit.objects.get(code="NTH")

    def test_ninh_thuan_merges_into_khanh_hoa_on_1_july_2025(self):
        event = LineageEvent.objects.get(kind=LineageKind.MERGE, predecessors=self.nth)
        assert event.effective_date == MERGER
        assert "202/2025/QH15" in event.basis
        assert set(event.predecessors.all()) == {self.kha, self.nth}
        assert list(event.successors.all()) == [self.kha]
        assert self.nth.valid_to == MERGER

    def test_successors_of_ninh_thuan_today_are_khanh_hoa(self):
        found = selectors.unit_successors(unit=self.nth, since=date(2020, 1, 1))
        assert found == [self.kha]

    def test_every_district_ended_on_1_july_2025_with_new_communes_as_successors(self):
        districts = Unit.objects.filter(unit_type=UnitType.UBND_HUYEN)
        assert districts.count() == 16
        for district in districts:
            assert district.valid_to == MERGER
            event = LineageEvent.objects.get(kind=LineageKind.DISSOLVE, predecessors=district)
            successors = list(event.successors.all())
            assert successors and all(
                u.unit_type == UnitType.UBND_XA and u.valid_from == MERGER and u.is_current
                for u in successors
            )
        assert selectors.unit_tree_as_of(day=date(2025, 6, 30))[0].keys() >= {
            d.pk for d in districts
        }

    def test_old_communes_merged_into_the_new_ones(self):
        old = Unit.objects.get(code="KHA-H-CL-CAMHAIDONG")
        assert old.valid_to == MERGER
        assert [u.code for u in selectors.unit_successors(unit=old, since=date(2024, 1, 1))] == [
            "KHA-X-CAMLAM"
        ]

    def test_departments_merged_in_march_2025_live_on_in_their_successors(self):
        planning = Unit.objects.get(code="KHA-SKHDT")
        assert planning.valid_to == date(2025, 3, 1)
        finance = Unit.objects.get(code="KHA-STC", valid_to__isnull=True)
        assert selectors.unit_successors(unit=planning, since=date(2024, 1, 1)) == [finance]
        nth_env = Unit.objects.get(code="NTH-STNMT")
        found = selectors.unit_successors(unit=nth_env, since=date(2024, 1, 1))
        assert [u.code for u in found] == ["KHA-SNNMT"]

    def test_every_role_has_a_login_that_works(self):
        assigned = set(RoleAssignment.objects.values_list("role", flat=True))
        assert assigned == set(Role.values)
        for login in demo.LOGINS:
            user = User.objects.get(username=login.username)
            assert bool(user.staff_id) == bool(login.staff_tag)
            response = self.client.post(
                reverse("login"), {"username": login.username, "password": demo.demo_password()}
            )
            assert response.status_code == 302, login.username
            assert self.client.get(reverse("home")).status_code == 200
            self.client.logout()

    def test_unit_head_of_health_sees_only_health_staff(self):
        head = User.objects.get(username="gd_soyte")
        assert head.staff.position == "Giám đốc" and head.staff.unit.code == "KHA-SYT"
        visible = permissions.filter_staff(head, Action.STAFF_VIEW, Staff.objects.all())
        assert visible.exists()
        assert not visible.filter(unit__code="KHA-STP").exists()
        assert visible.filter(unit__code="NTH-BVDK").exists()  # moved under KHA-SYT in 2025

    def test_province_officer_sees_staff_of_both_former_provinces(self):
        officer = User.objects.get(username="sonoivu")
        visible = permissions.filter_staff(officer, Action.STAFF_VIEW, Staff.objects.all())
        in_state_units = Staff.objects.exclude(unit__unit_type=UnitType.DANG_DOAN_THE)
        assert visible.count() == in_state_units.count()

    def test_membership_histories_are_contiguous_and_inside_unit_lifetimes(self):
        units = {u.pk: u for u in Unit.objects.all()}
        history: dict[int, list[Membership]] = {}
        for m in Membership.objects.order_by("staff_id", "valid_from"):
            history.setdefault(m.staff_id, []).append(m)
        for staff in Staff.objects.all():
            rows = history[staff.pk]
            assert all(a.valid_to == b.valid_from for a, b in zip(rows, rows[1:], strict=False))
            for m in rows:
                unit = units[m.unit_id]
                assert unit.valid_from <= m.valid_from
                assert unit.valid_to is None or (m.valid_to and m.valid_to <= unit.valid_to)
            for before, after in zip(rows, rows[1:], strict=False):
                if after.note.startswith("Sáp nhập vào "):
                    assert units[after.unit_id].code == after.note.removeprefix("Sáp nhập vào ")
                if after.note.startswith("Giải thể "):
                    assert units[before.unit_id].code == after.note.removeprefix("Giải thể ")
            assert rows[-1].unit_id == staff.unit_id
            assert (rows[-1].valid_to is None) == staff.is_active
        assert any(len(rows) > 1 for rows in history.values())
        assert Membership.objects.filter(note="Điều chuyển").exists()

    def test_categories_follow_unit_types(self):
        def categories(unit_type: str) -> set[str]:
            return set(
                Staff.objects.filter(unit__unit_type=unit_type).values_list("category", flat=True)
            )

        assert categories(UnitType.SO_BAN_NGANH) <= {"cong_chuc", "nguoi_lao_dong"}
        assert categories(UnitType.DON_VI_SU_NGHIEP) <= {"vien_chuc", "nguoi_lao_dong"}
        assert "can_bo" in categories(UnitType.UBND_XA)
