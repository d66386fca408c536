"""The movements, registrations and clusters pages: the round trips through the forms, the
Vietnamese messages on bad input, and the scope (another unit's list or scoring sheet is a
404, not a page)."""

from __future__ import annotations

from io import BytesIO

import pytest
from django.test import Client
from django.urls import reverse

from congvu.emulation import rules
from congvu.emulation import services_movements as services
from congvu.emulation.models import ClusterScore, Movement, RegistrationList
from congvu.testing import export_via_job

pytestmark = pytest.mark.django_db


def client_for(province, key: str) -> Client:
    client = Client()
    client.force_login(province.users[key])
    return client


def url(name: str, *args) -> str:
    return reverse(f"emulation:{name}", args=args)


def test_so_noi_vu_launches_a_movement_through_the_form(province):
    client = client_for(province, "snv")
    page = client.get(url("movement_create"))
    assert page.status_code == 200
    data = {
        "name": "Thi đua văn hóa công vụ 2026–2030",
        "launch_document": "Kế hoạch 5/KH-UBND",
        "launched_on": "15/01/2026",
        "start_year": "2026",
        "end_year": "2030",
        "owner": str(province.units["kh"].pk),
        "for_collectives": "on",
        "for_individuals": "on",
        "phat_dong_year": "2026",
        "phat_dong_held": "15/01/2026",
        "so_ket_year": "2028",
        "tong_ket_year": "2030",
    }
    response = client.post(url("movement_create"), data)
    movement = Movement.objects.get()
    assert response.status_code == 302
    assert response["Location"] == url("movement_detail", movement.pk)
    assert movement.milestones.count() == 3
    detail = client.get(url("movement_detail", movement.pk)).content.decode()
    assert "Thi đua văn hóa công vụ 2026–2030" in detail and "15/01/2026" in detail
    bad = client.post(url("movement_create"), {**data, "so_ket_year": "2035"})
    assert bad.status_code == 400
    assert "Năm sơ kết phải trong giai đoạn 2026–2030." in bad.content.decode()
    bad = client.post(url("movement_create"), {**data, "launched_on": "31/02/2026"})
    assert "Ngày phải theo dạng dd/mm/yyyy." in bad.content.decode()
    assert Movement.objects.count() == 1


def test_a_unit_head_reads_movements_but_does_not_launch_them(province):
    movement = services.movement_733_seed(province.users["snv"], province.units["kh"])
    client = client_for(province, "head_stp")
    assert movement.name in client.get(url("movement_list")).content.decode()
    assert client.get(url("movement_create")).status_code == 404
    assert client.get(url("movement_edit", movement.pk)).status_code == 404
    stone = movement.milestones.get(kind="so_ket")
    assert client.post(url("movement_review", movement.pk, stone.pk)).status_code == 404


def test_the_review_report_is_made_by_a_background_job(province):
    from docx import Document

    snv = province.users["snv"]
    movement = services.movement_733_seed(snv, province.units["kh"])
    stone = movement.milestones.get(kind="tong_ket")
    response, content = export_via_job(
        client_for(province, "snv"), url("movement_review", movement.pk, stone.pk), {"dang": "docx"}
    )
    assert content is not None, response
    text = "\n".join(p.text for p in Document(BytesIO(content)).paragraphs)
    assert "Tổng kết phong trào thi đua" in text


def test_a_unit_head_builds_and_sends_the_units_list(province):
    client = client_for(province, "head_syt")
    index = client.get(url("registration_index") + "?nam=2027")
    assert index.status_code == 200 and "registration-open" in index.content.decode()
    response = client.post(
        url("registration_open"), {"unit": province.units["syt"].pk, "year": "2027"}
    )
    found = RegistrationList.objects.get()
    assert response["Location"] == url("registration_detail", found.pk)
    client.post(url("registration_line_add", found.pk), {"staff": "", "award": rules.TTLDXS})
    client.post(
        url("registration_line_add", found.pk),
        {"staff": province.staff["syt_cc"].pk, "award": rules.CSTDCS},
    )
    page = client.post(
        url("registration_line_add", found.pk), {"staff": "", "award": rules.LDTT}, follow=True
    )
    assert "«Lao động tiên tiến» không xét cho tập thể." in page.content.decode()
    assert found.lines.count() == 2
    client.post(url("registration_submit", found.pk))
    found.refresh_from_db()
    assert found.state == "submitted"
    snv = client_for(province, "snv")
    overview = snv.get(url("registration_index") + "?nam=2027").content.decode()
    assert "Sở Y tế" in overview and "Tập thể lao động xuất sắc: 1" in overview
    page = snv.post(url("registration_review", found.pk), {"decision": "return"}, follow=True)
    assert "Cần ghi lý do trả lại bản đăng ký." in page.content.decode()
    snv.post(url("registration_review", found.pk), {"decision": "return", "comment": "Bổ sung"})
    found.refresh_from_db()
    assert found.state == "returned"
    line = found.lines.get(award=rules.TTLDXS)
    client.post(url("registration_line_remove", line.pk))
    assert found.lines.count() == 1
    response, content = export_via_job(snv, url("registration_export"), {"nam": "2027"})
    assert content is not None

    from openpyxl import load_workbook

    rows = list(load_workbook(BytesIO(content)).active.iter_rows(values_only=True))
    assert rows[1][2] == "Sở Y tế" and rows[1][6] == "Chiến sĩ thi đua cơ sở"


def test_another_units_head_gets_404_on_a_list(province):
    head = province.users["head_syt"]
    found = services.registration_list_open(actor=head, unit=province.units["syt"], year=2027)
    line = services.registration_add(actor=head, registration_list=found, award=rules.TTLDTT)
    other = client_for(province, "head_stp")
    assert other.get(url("registration_detail", found.pk)).status_code == 404
    assert (
        other.post(url("registration_line_add", found.pk), {"award": "TTLDXS"}).status_code == 404
    )
    assert other.post(url("registration_line_remove", line.pk)).status_code == 404
    assert other.post(url("registration_submit", found.pk)).status_code == 404
    assert "Sở Y tế" not in other.get(url("registration_index") + "?nam=2027").content.decode()
    # the unit head may not open another unit's list either
    other.post(url("registration_open"), {"unit": province.units["syt"].pk, "year": "2027"})
    assert RegistrationList.objects.count() == 1
    assert found.lines.count() == 1


@pytest.fixture
def cluster_year(province):
    snv = province.users["snv"]
    cluster = services.cluster_create(actor=snv, name="Khối sở ngành", kind=rules.KHOI)
    return services.cluster_year_save(
        actor=snv,
        cluster=cluster,
        year=2026,
        members=[province.units["syt"], province.units["stp"]],
        leader=province.units["syt"],
        criteria_text="tc1 | Nhiệm vụ | 60\ntc2 | Văn hóa | 40",
    )


def test_so_noi_vu_creates_a_cluster_and_its_year_through_the_forms(province):
    client = client_for(province, "snv")
    response = client.post(url("cluster_create"), {"name": "Cụm xã", "kind": rules.CUM})
    assert response.status_code == 302
    form_url = response["Location"]
    page = client.get(form_url)
    assert page.status_code == 200
    data = {
        "year": "2026",
        "members": [province.units["syt"].pk, province.units["stp"].pk],
        "leader": province.units["stp"].pk,
        "criteria": "tc1 | một | abc",
    }
    bad = client.post(form_url, data)
    assert bad.status_code == 400
    assert "Dòng 1: điểm tối đa phải là số lớn hơn 0, không quá 1000." in bad.content.decode()
    good = client.post(form_url, {**data, "criteria": "tc1 | một | 50"})
    assert good.status_code == 302


def test_members_score_and_see_the_ranking_once_closed(province, cluster_year):
    syt, stp = province.units["syt"], province.units["stp"]
    snv = client_for(province, "snv")
    head = client_for(province, "head_syt")
    assert head.get(url("cluster_score", cluster_year.pk)).status_code == 200
    snv.post(url("cluster_scoring", cluster_year.pk), {"thao_tac": "mo"})
    page = head.get(url("cluster_score", cluster_year.pk)).content.decode()
    assert f"d-{stp.pk}-tc1" in page and f"d-{syt.pk}-tc1" not in page
    bad = head.post(url("cluster_score", cluster_year.pk), {f"d-{stp.pk}-tc1": "70"})
    assert bad.status_code == 400 and "Điểm phải từ 0 đến 60." in bad.content.decode()
    assert not ClusterScore.objects.exists()
    head.post(url("cluster_score", cluster_year.pk), {f"d-{stp.pk}-tc1": "50"})
    client_for(province, "head_stp").post(
        url("cluster_score", cluster_year.pk), {f"d-{syt.pk}-tc1": "55", f"d-{syt.pk}-tc2": "30"}
    )
    assert ClusterScore.objects.count() == 3
    assert head.get(url("cluster_ranking", cluster_year.pk)).status_code == 404
    assert snv.get(url("cluster_ranking", cluster_year.pk)).status_code == 200
    snv.post(url("cluster_scoring", cluster_year.pk), {"thao_tac": "chot"})
    ranking = head.get(url("cluster_ranking", cluster_year.pk)).content.decode()
    assert ("85,00" in ranking or "85.00" in ranking) and "Được đề nghị" in ranking
    late = head.post(url("cluster_score", cluster_year.pk), {f"d-{stp.pk}-tc1": "1"}, follow=True)
    assert "Cụm, khối chưa mở hoặc đã chốt chấm điểm." in late.content.decode()


def test_nobody_scores_for_a_unit_they_do_not_head(province, cluster_year):
    services.cluster_scoring_open(actor=province.users["snv"], cluster_year=cluster_year)
    for key in ("snv", "council", "staff", "outsider"):
        client = client_for(province, key)
        assert client.get(url("cluster_score", cluster_year.pk)).status_code == 404, key
    head_stp = client_for(province, "head_stp")
    head_stp.post(
        url("cluster_score", cluster_year.pk),
        {"don_vi": province.units["syt"].pk, f"d-{province.units['stp'].pk}-tc1": "60"},
    )
    assert not ClusterScore.objects.filter(scorer=province.units["syt"]).exists()


def test_the_menu_shows_the_emulation_group(province):
    page = client_for(province, "head_stp").get(reverse("home")).content.decode()
    assert "Thi đua, khen thưởng" in page and url("movement_list") in page
