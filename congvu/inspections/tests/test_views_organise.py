"""The organiser's pages: a plan, an inspection with its checklist, its team. A unit head
organises only inside their scope; a refusal re-renders the form (400) with the service's
reason and stores nothing; the conflict of interest names the person and sets no team."""

import pytest
from django.test import Client

from congvu.core.models import AuditLog
from congvu.inspections import rules, services
from congvu.inspections.models import Inspection, InspectionPlan, TeamMember
from congvu.inspections.tests.factories import inspection_of_syt

pytestmark = pytest.mark.django_db


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _inspection_data(unit, **extra) -> dict:
    return {
        "owner": "",
        "plan": "",
        "kind": rules.PLANNED,
        "unit": unit.pk,
        "title": "Kiểm tra việc đeo thẻ tại Bệnh viện",
        "decision_code": "3/QĐ-SYT",
        "decision_date": "10/11/2026",
        "scheduled_on": "30/11/2026",
        "areas": ["B"],
        "free_items": "Sổ góp ý\n\n  Bảng niêm yết thủ tục  \n",
        **extra,
    }


def test_a_unit_head_creates_a_plan_then_an_inspection_under_it(province):
    head = province.users["head_syt"]
    client = _client(head)
    page = client.get("/kiem-tra/ke-hoach/moi/")
    assert page.status_code == 200 and "Sở Y tế" in page.content.decode()
    response = client.post(
        "/kiem-tra/ke-hoach/moi/",
        {
            "owner": province.units["syt"].pk,
            "year": 2026,
            "title": "Kế hoạch kiểm tra năm 2026",
            "decision_code": "1/QĐ-SYT",
            "decision_date": "05/01/2026",
        },
    )
    plan = InspectionPlan.objects.get()
    assert plan.owner == province.units["syt"] and plan.created_by == head
    assert response.status_code == 302 and response["Location"].endswith(f"?ke_hoach={plan.pk}")
    form = client.get(response["Location"]).content.decode()
    assert f'<option value="{plan.pk}" selected>' in form
    assert "Bệnh viện Đa khoa tỉnh" in form and "Sở Tư pháp" not in form  # its scope only

    data = _inspection_data(
        province.units["bv"], owner=province.units["syt"].pk, plan=plan.pk, kind="unannounced"
    )
    response = client.post("/kiem-tra/moi/", data)
    inspection = Inspection.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/kiem-tra/{inspection.pk}/doan/"
    assert (inspection.owner, inspection.unit, inspection.plan) == (
        province.units["syt"],
        province.units["bv"],
        plan,
    )
    assert inspection.kind == rules.UNANNOUNCED
    codes = list(inspection.items.values_list("code", flat=True))
    assert codes[-2:] == ["G1", "G2"] and all(c.startswith(("B", "G")) for c in codes)
    assert inspection.items.get(code="G2").text == "Bảng niêm yết thủ tục"


def test_a_unit_head_cannot_create_an_inspection_of_a_unit_outside_their_scope(province):
    client = _client(province.users["head_syt"])
    stp = province.units["stp"]
    data = _inspection_data(stp, owner=province.units["syt"].pk)
    response = client.post("/kiem-tra/moi/", data)
    assert response.status_code == 400
    assert "Sở Tư pháp" not in response.content.decode()
    # Nor in the name of a unit that is not theirs.
    data = _inspection_data(province.units["bv"], owner=province.units["snv"].pk)
    assert client.post("/kiem-tra/moi/", data).status_code == 400
    assert not Inspection.objects.exists()
    assert not AuditLog.objects.filter(action="inspections.create").exists()
    # Without inspection.manage, the pages are not there at all.
    staff = _client(province.users["staff"])
    assert staff.get("/kiem-tra/moi/").status_code == 404
    assert staff.post("/kiem-tra/moi/", data).status_code == 404
    assert staff.get("/kiem-tra/ke-hoach/moi/").status_code == 404


def test_a_refused_inspection_rerenders_with_the_services_reason(province):
    client = _client(province.users["head_syt"])
    data = _inspection_data(province.units["bv"], owner=province.units["syt"].pk, areas=[])
    data["free_items"] = ""
    response = client.post("/kiem-tra/moi/", data)
    assert response.status_code == 400
    assert "Cần chọn ít nhất một nhóm nội dung hoặc nhập một nội dung." in (
        response.content.decode()
    )
    assert not Inspection.objects.exists()


def test_the_team_page_refuses_a_conflict_of_interest_with_its_reason(province):
    inspection = inspection_of_syt(province)
    organiser = _client(province.users["snv"])
    url = f"/kiem-tra/{inspection.pk}/doan/"
    page = organiser.get(url)
    assert page.status_code == 200
    head_syt = province.users["head_syt"]
    assert f'value="{head_syt.pk}"' in page.content.decode()  # offered: the service decides
    response = organiser.post(url, {"lead": province.users["snv"].pk, "members": [head_syt.pk]})
    assert response.status_code == 400
    body = response.content.decode()
    assert "Trần Thị Bích" in body and "không được tham gia đoàn" in body
    assert not TeamMember.objects.filter(inspection=inspection).exists()

    response = organiser.post(
        url, {"lead": province.users["snv"].pk, "members": [province.users["head_stp"].pk]}
    )
    assert response.status_code == 302 and response["Location"] == f"/kiem-tra/{inspection.pk}/"
    assert set(inspection.team.values_list("user_id", "role")) == {
        (province.users["snv"].pk, rules.LEAD),
        (province.users["head_stp"].pk, rules.MEMBER),
    }
    again = organiser.get(url).content.decode()
    assert f'id="lead-{province.users["snv"].pk}" checked' in again


def test_the_team_is_searched_without_diacritics_and_chosen_only_in_scope(province):
    inspection = inspection_of_syt(province)
    organiser = _client(province.users["snv"])
    url = f"/kiem-tra/{inspection.pk}/doan/"
    found = organiser.get(url, {"q": "pham minh chau"}).content.decode()
    assert "Phạm Minh Châu" in found and "Trần Thị Bích" not in found
    # A unit head reaches neither the page of an inspection they do not organise ...
    assert _client(province.users["head_stp"]).get(url).status_code == 404
    # ... nor, through the form, someone outside their scope.
    mine = services.inspection_create(
        actor=province.users["head_stp"],
        spec=services.InspectionSpec(
            owner=province.units["stp"],
            unit=province.units["stp"],
            kind=rules.PLANNED,
            title="Tự kiểm tra",
            scheduled_on=inspection.scheduled_on,
            decision_code="2/QĐ-STP",
            decision_date=inspection.decision_date,
            areas=("A",),
        ),
    )
    head = _client(province.users["head_stp"])
    response = head.post(f"/kiem-tra/{mine.pk}/doan/", {"lead": province.users["snv"].pk})
    assert response.status_code == 400
    assert "Người được chọn không thuộc danh sách có thể cử." in response.content.decode()
    assert not mine.team.exists()


def test_the_links_show_to_organisers_only(province):
    inspection = inspection_of_syt(province)
    services.team_set(
        actor=province.users["snv"], inspection=inspection, lead=province.users["head_stp"]
    )
    organiser = _client(province.users["snv"])
    assert 'id="inspection-create"' in organiser.get("/kiem-tra/").content.decode()
    detail = organiser.get(f"/kiem-tra/{inspection.pk}/").content.decode()
    assert f'href="/kiem-tra/{inspection.pk}/doan/"' in detail
    lead = _client(province.users["head_stp"])  # the team's lead does not organise it
    assert (
        f"/kiem-tra/{inspection.pk}/doan/"
        not in lead.get(f"/kiem-tra/{inspection.pk}/").content.decode()
    )
    viewer = _client(province.users["leader"])
    assert 'id="inspection-create"' not in viewer.get("/kiem-tra/").content.decode()
