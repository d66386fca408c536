from datetime import date

import pytest

from congvu.accounts.models import RoleAssignment

pytestmark = pytest.mark.django_db


def _grant(client, province, unit_key, role="unit_head"):
    return client.post(
        "/quan-tri/accounts/roleassignment/add/",
        {
            "user": province["outsider"].pk,
            "role": role,
            "unit": province[unit_key].pk,
            "valid_from": "01/12/2026",
        },
    )


def test_so_noi_vu_grants_a_role_inside_the_province_through_the_service(client, province):
    client.force_login(province["snv"])
    response = _grant(client, province, "syt")
    assert response.status_code == 302
    grant = RoleAssignment.objects.get(user=province["outsider"])
    assert (grant.role, grant.unit_id, grant.valid_from) == (
        "unit_head",
        province["syt"].pk,
        date(2026, 12, 1),
    )
    assert grant.history.count() == 1


def test_unit_head_cannot_reach_role_admin(client, province):
    client.force_login(province["head_syt"])
    assert _grant(client, province, "syt").status_code in (302, 403)
    assert not RoleAssignment.objects.filter(user=province["outsider"]).exists()


def test_so_noi_vu_cannot_grant_admin(client, province):
    client.force_login(province["snv"])
    response = _grant(client, province, "syt", role="admin")
    assert response.status_code == 200
    assert "Chỉ quản trị hệ thống" in response.content.decode()
    assert not RoleAssignment.objects.filter(user=province["outsider"]).exists()
