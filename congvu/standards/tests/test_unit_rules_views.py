"""The unit rules pages: the unit's page with its coverage, a new version, mapping and
suggestions, the signed file, and Sở Nội vụ's overview."""

import io
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from docx import Document

from congvu.standards import services
from congvu.standards.models import RulesMapping, UnitRules

pytestmark = pytest.mark.django_db

TEXT = "Điều 1. Trang phục gọn gàng.\nĐiều 2. Đeo thẻ khi làm việc."


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)


def client_of(province, persona: str) -> Client:
    client = Client()
    client.force_login(province.users[persona])
    return client


def url(name: str, *args) -> str:
    return reverse(f"standards:{name}", args=args)


def make_rules(province, unit="stp", user="head_stp", text=TEXT) -> UnitRules:
    return services.rules_create(
        actor=province.users[user],
        unit=province.units[unit],
        title="Nội quy thử",
        adopted_on=date(2026, 3, 1),
        text=text,
    )


def test_a_unit_head_types_rules_and_sees_what_is_missing(province):
    client = client_of(province, "head_stp")
    stp = province.units["stp"]
    page = client.get(url("rules_unit", stp.pk)).content.decode()
    assert "Đơn vị chưa có nội quy trên hệ thống." in page and 'id="rules-new"' in page
    response = client.post(
        url("rules_create", stp.pk),
        {"title": "Nội quy Sở Tư pháp", "adopted_on": "01/03/2026", "text": TEXT},
    )
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert "Đã lưu nội quy phiên bản 1: 2 điều, khoản." in page
    assert "Đã có 0/12 nội dung bắt buộc (0%)" in page
    assert 'data-code="qd129.the"' in page.split('id="coverage-missing"')[1]


def test_accepting_suggestions_covers_the_contents(province):
    rules = make_rules(province)
    client = client_of(province, "head_stp")
    page = client.get(url("rules_unit", rules.unit_id) + "?goi_y=1").content.decode()
    card = rules.items.get(number="Điều 2")
    assert f'value="{card.pk}:qd129.the"' in page.split('id="suggestions"')[1]
    response = client.post(url("rules_map", rules.pk), {"gan": [f"{card.pk}:qd129.the"]})
    assert response.status_code == 302 and response["Location"].endswith("#coverage")
    page = client.get(response["Location"]).content.decode()
    covered = page.split('id="coverage-covered"')[1]
    assert 'data-code="qd129.the"' in covered and "quy định tại Điều 2" in covered
    response = client.post(url("rules_unmap", rules.pk), {"gan": f"{card.pk}:qd129.the"})
    assert response.status_code == 302 and not RulesMapping.objects.exists()


@pytest.mark.parametrize(
    "values", [[""], ["x"], ["1:"], [":qd129.the"], ["9999:qd129.the"], ["1:khong-co"]]
)
def test_a_bad_mapping_is_told_and_changes_nothing(province, values):
    rules = make_rules(province)
    response = client_of(province, "head_stp").post(url("rules_map", rules.pk), {"gan": values})
    assert response.status_code == 302
    assert not RulesMapping.objects.exists()


def test_refused_rules_are_shown_again_with_the_reason(province):
    client = client_of(province, "head_stp")
    response = client.post(
        url("rules_create", province.units["stp"].pk),
        {"title": "Nội quy", "adopted_on": "01/03/2026", "text": "Điều 1. A\nĐiều 1. B"},
    )
    assert response.status_code == 400
    assert "Điều 1 xuất hiện hai lần" in response.content.decode()
    assert not UnitRules.objects.exists()


@pytest.mark.parametrize("persona", ["snv", "inspector", "leader", "head_syt"])
def test_readers_and_other_heads_cannot_edit(province, persona):
    rules = make_rules(province)
    client = client_of(province, persona)
    item = rules.items.first()
    data = {"title": "X", "adopted_on": "01/03/2026", "text": TEXT}
    assert client.post(url("rules_create", rules.unit_id), data).status_code == 404
    assert (
        client.post(url("rules_map", rules.pk), {"gan": f"{item.pk}:qd129.the"}).status_code == 404
    )
    assert UnitRules.objects.count() == 1 and not RulesMapping.objects.exists()
    page = client.get(url("rules_unit", rules.unit_id))
    if persona == "head_syt":
        assert page.status_code == 404
    else:
        body = page.content.decode()
        assert page.status_code == 200 and 'id="coverage"' in body
        assert 'id="rules-new"' not in body and "Gợi ý gắn nội dung" not in body


def test_the_signed_file_is_downloaded_by_readers(province):
    document = Document()
    document.add_paragraph("Điều 1. Đeo thẻ.")
    out = io.BytesIO()
    document.save(out)
    client = client_of(province, "head_stp")
    client.post(
        url("rules_create", province.units["stp"].pk),
        {
            "title": "Nội quy",
            "adopted_on": "01/03/2026",
            "text": "",
            "file": SimpleUploadedFile("Nội quy.docx", out.getvalue()),
        },
    )
    rules = UnitRules.objects.get()
    response = client_of(province, "inspector").get(url("rules_file", rules.pk))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="noi-quy.docx"')
    assert client_of(province, "head_syt").get(url("rules_file", rules.pk)).status_code == 404


def test_sở_nội_vụ_sees_the_units_coverage(province):
    rules = make_rules(province)
    services.item_map(
        actor=province.users["head_stp"],
        rules=rules,
        pairs=[(rules.items.get(number="Điều 2").pk, "qd129.the")],
    )
    page = client_of(province, "snv").get(url("rules_overview")).content.decode()
    table = page.split('id="rules-overview"')[1]
    assert "Sở Tư pháp" in table and "8%" in table  # 1 of 12
    assert "Chưa có nội quy" in table
    inspector = client_of(province, "inspector").get(url("rules_overview")).content.decode()
    assert "Sở Tư pháp" in inspector and "Sở Y tế" not in inspector
    assert client_of(province, "staff").get(url("rules_overview")).status_code == 403
