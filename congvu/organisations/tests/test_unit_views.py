from datetime import date

import pytest

from congvu.organisations.models import LineageEvent, Staff, Unit, UnitVersion

pytestmark = pytest.mark.django_db


def test_so_noi_vu_renames_a_unit_from_a_date(client, province):
    client.force_login(province["snv"])
    response = client.post(
        f"/to-chuc/don-vi/{province['stp'].pk}/thay-doi/",
        {
            "kind": "rename",
            "day": "01/01/2027",
            "name": "Sở Tư pháp tỉnh Khánh Hòa",
            "basis": "QĐ 1/QĐ-UBND",
        },
    )
    assert response.status_code == 302
    names = list(
        UnitVersion.objects.filter(unit=province["stp"])
        .order_by("valid_from")
        .values_list("name", flat=True)
    )
    assert names == ["Sở Tư pháp", "Sở Tư pháp tỉnh Khánh Hòa"]


def test_merge_moves_staff_to_the_receiving_unit(client, province):
    client.force_login(province["snv"])
    response = client.post(
        f"/to-chuc/don-vi/{province['stp'].pk}/thay-doi/",
        {"kind": "merge", "day": "01/01/2027", "target": province.units["snv"].pk},
    )
    assert response.status_code == 302
    assert Unit.objects.get(pk=province["stp"].pk).valid_to == date(2027, 1, 1)
    assert Staff.objects.get(pk=province.staff["stp_cc"].pk).unit_id == province.units["snv"].pk
    assert LineageEvent.objects.filter(kind="merge", effective_date=date(2027, 1, 1)).exists()


def test_bad_date_changes_nothing_and_says_why(client, province):
    client.force_login(province["snv"])
    response = client.post(
        f"/to-chuc/don-vi/{province['stp'].pk}/thay-doi/",
        {"kind": "rename", "day": "31/02/2027", "name": "X"},
    )
    assert response.status_code == 200
    assert (
        "Nhập một ngày hợp lệ" in response.content.decode() or "ngày" in response.content.decode()
    )
    assert UnitVersion.objects.filter(unit=province["stp"]).count() == 1


def test_unit_head_cannot_change_the_organisation(client, province):
    client.force_login(province["head_syt"])
    assert client.get(f"/to-chuc/don-vi/{province['syt'].pk}/thay-doi/").status_code == 404
    assert client.get("/to-chuc/don-vi/them/").status_code == 403


def test_so_noi_vu_adds_a_unit_under_a_department(client, province):
    client.force_login(province["snv"])
    response = client.post(
        "/to-chuc/don-vi/them/",
        {
            "code": "kha-syt-ttyt",
            "name": "Trung tâm Y tế khu vực Cam Lâm",
            "unit_type": "don_vi_su_nghiep",
            "parent": province["syt"].pk,
            "valid_from": "01/12/2026",
        },
    )
    assert response.status_code == 302
    unit = Unit.objects.get(code="KHA-SYT-TTYT")
    assert unit.parent_id == province["syt"].pk


def test_parent_outside_scope_is_refused(client, province):
    client.force_login(province["snv"])
    response = client.post(
        "/to-chuc/don-vi/them/",
        {
            "code": "X1",
            "name": "Đơn vị X",
            "unit_type": "phong_ban",
            "parent": province["nt"].pk,
            "valid_from": "01/12/2026",
        },
    )
    assert response.status_code == 200
    assert not Unit.objects.filter(code="X1").exists()
