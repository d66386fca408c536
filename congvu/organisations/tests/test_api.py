"""The JSON API at /api/v1/: token authentication, scoping, validation, pagination."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client
from django.utils import timezone

from congvu.accounts.models import ApiToken
from congvu.accounts.services import token_create
from congvu.core.actors import SYSTEM
from congvu.testing import make_staff

pytestmark = pytest.mark.django_db


def api(province, persona: str) -> Client:
    token = token_create(actor=SYSTEM, user=province.users[persona])
    return Client(HTTP_AUTHORIZATION=f"Bearer {token}")


def _codes(response) -> set[str]:
    return {unit["code"] for unit in response.json()}


def test_token_command_prints_a_token_that_authenticates(province):
    out = StringIO()
    call_command("token", "gd_syt", "--label", "máy chủ báo cáo", stdout=out)
    token = out.getvalue().strip()
    assert token.startswith("cv_") and len(token) > 40
    stored = ApiToken.objects.get(user=province.users["head_syt"])
    assert stored.label == "máy chủ báo cáo"
    assert token not in stored.key_hash  # only the hash is kept
    response = Client(HTTP_AUTHORIZATION=f"Bearer {token}").get("/api/v1/units")
    assert response.status_code == 200
    assert _codes(response) == {"KHA-SYT", "KHA-BVDK"}
    stored.refresh_from_db()
    assert stored.last_used_at is not None


def test_token_command_for_unknown_user_fails(province):
    with pytest.raises(CommandError, match="Không có tài khoản"):
        call_command("token", "khong-ton-tai", stdout=StringIO())


def test_health_needs_no_token(db):
    response = Client().get("/api/v1/health")
    assert response.status_code == 200
    data = response.json()
    assert data["status"] == "ok"
    assert data["database"] in ("sqlite", "postgresql")


def test_openapi_schema_is_served(db):
    response = Client().get("/api/v1/openapi.json")
    assert response.status_code == 200
    schema = response.json()
    assert schema["openapi"].startswith("3.")
    assert {"/api/v1/health", "/api/v1/units", "/api/v1/staff"} <= set(schema["paths"])
    assert any(
        s.get("scheme") == "bearer" for s in schema["components"]["securitySchemes"].values()
    )


def test_units_as_of_before_the_merger_for_the_noi_vu_officer(province):
    response = api(province, "snv").get("/api/v1/units", {"as_of": "2024-06-30"})
    assert response.status_code == 200
    codes = _codes(response)
    assert {"KHA", "NTH", "KHA-H-CL", "KHA-X-CHB", "NTH-SNV", "KHA-SYT"} <= codes
    assert "KHA-X-CL" not in codes  # created on 01/07/2025
    district = next(u for u in response.json() if u["code"] == "KHA-H-CL")
    assert district["valid_to"] == "2025-07-01"
    assert district["parent_id"] == province["kh"].pk


def test_units_today_for_the_noi_vu_officer_has_one_province(province):
    codes = _codes(api(province, "snv").get("/api/v1/units"))
    assert "KHA" in codes and "KHA-X-CL" in codes
    assert not codes & {"NTH", "KHA-H-CL", "KHA-X-CHB"}


def test_units_for_a_unit_head_are_only_their_scope(province):
    response = api(province, "head_syt").get("/api/v1/units", {"as_of": "2024-06-30"})
    assert _codes(response) == {"KHA-SYT", "KHA-BVDK"}
    assert _codes(api(province, "head_stp").get("/api/v1/units")) == {"KHA-STP"}
    assert api(province, "outsider").get("/api/v1/units").json() == []


@pytest.mark.parametrize(
    "bad", ["bad", "30/06/2024", "2024-13-01", "2024-02-30", "0", "1719705600", "-1.5e-37", ""]
)
def test_units_with_a_malformed_date_is_422(province, bad):
    response = api(province, "snv").get("/api/v1/units", {"as_of": bad})
    assert response.status_code == 422
    assert "as_of" in response.content.decode()


def test_staff_search_without_diacritics_finds_the_person(province):
    response = api(province, "head_syt").get(
        "/api/v1/staff", {"unit": "KHA-SYT", "q": "nguyen van an"}
    )
    assert response.status_code == 200
    data = response.json()
    assert data["count"] == 1
    (person,) = data["items"]
    assert person["full_name"] == "Nguyễn Văn An"
    assert person["unit_code"] == "KHA-SYT"
    assert person["id"] == province["syt_cc"].pk


def test_staff_of_a_unit_outside_the_scope_is_404(province):
    client = api(province, "head_syt")
    for code in ("KHA-STP", "kha-stp", "NTH-SNV", "KHONG-CO"):
        response = client.get("/api/v1/staff", {"unit": code})
        assert response.status_code == 404, code
        assert "Võ Thị Ánh" not in response.content.decode()


def test_staff_list_is_scoped_without_a_unit(province):
    data = api(province, "head_stp").get("/api/v1/staff").json()
    assert {p["full_name"] for p in data["items"]} == {"Phạm Minh Châu", "Võ Thị Ánh"}
    data = api(province, "staff").get("/api/v1/staff").json()
    assert [p["full_name"] for p in data["items"]] == ["Nguyễn Văn An"]  # own record only


def test_api_without_a_token_is_401(province):
    for path in ("/api/v1/units", "/api/v1/staff"):
        assert Client().get(path).status_code == 401
        assert Client(HTTP_AUTHORIZATION="Bearer").get(path).status_code == 401
        assert Client(HTTP_AUTHORIZATION="Basic Z2Q6c3l0").get(path).status_code == 401
        assert Client(HTTP_AUTHORIZATION="Bearer cv_not-a-token").get(path).status_code == 401


def test_a_revoked_token_is_401(province):
    token = token_create(actor=SYSTEM, user=province.users["head_syt"])
    client = Client(HTTP_AUTHORIZATION=f"Bearer {token}")
    assert client.get("/api/v1/units").status_code == 200
    ApiToken.objects.filter(user=province.users["head_syt"]).update(revoked_at=timezone.now())
    assert client.get("/api/v1/units").status_code == 401


def test_a_token_of_an_inactive_user_is_401(province):
    client = api(province, "head_syt")
    user = province.users["head_syt"]
    user.is_active = False
    user.save()
    assert client.get("/api/v1/units").status_code == 401


def test_a_session_cookie_does_not_authenticate_the_api(province):
    client = Client()
    client.force_login(province.users["snv"])
    assert client.get("/api/v1/units").status_code == 401


def test_staff_pagination(province):
    for n in range(60):
        make_staff(province["bv"], "Hoàng", "Văn", f"Phong {n:02d}", code=f"P{n:04d}")
    client = api(province, "head_syt")
    first = client.get("/api/v1/staff", {"unit": "KHA-SYT"}).json()
    assert first["count"] == 63  # 3 in Sở Y tế and the hospital, plus 60
    assert len(first["items"]) == 50
    second = client.get("/api/v1/staff", {"unit": "KHA-SYT", "page": 2}).json()
    assert second["count"] == 63
    assert len(second["items"]) == 13
    ids = [p["id"] for p in first["items"]] + [p["id"] for p in second["items"]]
    assert len(set(ids)) == 63  # no overlap, nothing missing
    names = [p["full_name"] for p in first["items"]]
    assert names.index("Hoàng Văn Phong 00") < names.index("Hoàng Văn Phong 01")
    assert client.get("/api/v1/staff", {"page": 0}).status_code == 422
    assert client.get("/api/v1/staff", {"page": 10**20}).status_code == 422  # not a 500
    assert client.get("/api/v1/staff", {"page": 1_000_000}).json()["items"] == []
    assert client.get("/api/v1/staff", {"page_size": 10**6}).status_code == 422
    assert len(client.get("/api/v1/staff", {"page_size": 10}).json()["items"]) == 10


@pytest.mark.parametrize("params", [{"q": "an\x00"}, {"unit": "KHA\x00SYT"}])
def test_nul_bytes_in_filters_are_refused_not_a_server_error(province, params):
    response = api(province, "head_syt").get("/api/v1/staff", params)
    assert response.status_code == 422


@pytest.mark.parametrize("params", [{"q": "an\x00"}, {"don_vi": "KHA\x00SYT"}])
def test_nul_bytes_in_the_staff_page_filters_are_ignored(province, params):
    client = Client()
    client.force_login(province.users["head_syt"])
    assert client.get("/to-chuc/can-bo/", params).status_code == 200
    assert client.post("/to-chuc/can-bo/xuat-excel/", params).status_code in (302, 404)


def test_api_docs_load_their_scripts_from_our_own_static_files(db):
    response = Client().get("/api/v1/docs")
    body = response.content.decode()
    assert response.status_code == 200
    assert "/static/ninja/swagger-ui-bundle.js" in body
    assert "cdn" not in body.lower()
    assert "'unsafe-inline'" not in response["Content-Security-Policy"]
    assert Client().get("/static/ninja/swagger-ui-bundle.js").status_code == 200
