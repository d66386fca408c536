"""Catalogue pages, diff, Excel export, a unit's own rules, and the admin."""

from datetime import date
from io import BytesIO

import pytest
from django.conf import settings
from django.shortcuts import resolve_url
from django.urls import reverse
from openpyxl import load_workbook

from congvu.core.actors import SYSTEM
from congvu.standards import services
from congvu.standards.models import Catalogue, CatalogueVersion

pytestmark = pytest.mark.django_db


@pytest.fixture
def loaded(province):
    services.catalogues_load(actor=SYSTEM)
    return province


def issue(province, *, version="2026.1", text="# Giờ làm việc\nCó mặt trước 7 giờ 30"):
    return services.supplement_version_create(
        actor=province["head_syt"],
        unit=province["syt"],
        title="Nội quy Sở Y tế",
        version=version,
        effective_from=date(2026, 12, 1),
        rules_text=text,
    )


def test_everyone_with_a_role_sees_the_shared_catalogues_but_not_an_outsider(client, loaded):
    url = reverse("standards:catalogue_list")
    for user in ("staff", "head_stp", "snv", "mttq"):
        client.force_login(loaded[user])
        page = client.get(url).content.decode()
        assert "kỷ cương, trách nhiệm, tận tụy, chuyên nghiệp" in page
    client.force_login(loaded["outsider"])
    assert client.get(url).status_code == 403
    assert client.get(reverse("standards:catalogue_detail", args=["ca-nhan"])).status_code == 404


def test_anonymous_users_are_sent_to_the_login_page(client, loaded):
    response = client.get(reverse("standards:catalogue_detail", args=["ca-nhan"]))
    assert response.status_code == 302
    assert response["Location"].startswith(resolve_url(settings.LOGIN_URL))


def test_a_catalogue_page_shows_the_whole_tree_with_ids_and_sources(client, loaded):
    client.force_login(loaded["staff"])
    page = client.get(reverse("standards:catalogue_detail", args=["ca-nhan"])).content.decode()
    assert page.count('class="list-group-item depth-') == 46
    assert 'id="tc-ca-nhan.ky-cuong.1"' in page
    assert "KH 115/KH-UBND Sóc Trăng (seed 004) §III.1.b, gạch đầu dòng thứ 1, ý thứ 3" in page
    assert "Lãnh đạo, quản lý" in page
    assert "<script" not in page.split("</head>")[1]  # CSP: no inline script in the body
    assert " style=" not in page


def test_the_excel_export_lists_every_criterion_with_its_columns(client, loaded):
    client.force_login(loaded["staff"])
    response = client.get(reverse("standards:version_export", args=["tap-the", "2019.1"]))
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="tieu-chi-tap-the-2019.1.xlsx"'
    book = load_workbook(BytesIO(response.content))
    rows = list(book["Tiêu chí"].iter_rows(values_only=True))
    assert rows[0][:5] == ("Mã tiêu chí", "Nhóm", "Cấp", "Nội dung", "Nguồn")
    assert rows[0][5:9] == ("Điểm", "Trọng số", "Yêu cầu minh chứng", "Đối tượng áp dụng")
    assert len(rows) == 1 + 23
    by_id = {row[0]: row for row in rows[1:]}
    item = by_id["tap-the.cai-cach.1"]
    assert item[1].startswith("Thực hiện đẩy mạnh công tác cải cách hành chính")
    assert item[2] == "Tiêu chí"
    assert item[3].startswith("Niêm yết đầy đủ các thủ tục hành chính")
    assert item[4] == "KH 115/KH-UBND Sóc Trăng (seed 004) §III.1.a, gạch đầu dòng thứ 2, ý thứ 1"
    assert (item[5], item[6], item[7], item[8]) == (None, 1, "Có", "Tập thể")
    about = dict(book["Thông tin"].iter_rows(values_only=True))
    assert about["Phiên bản"] == "2019.1"
    assert (
        about["Mã kiểm tra nội dung (SHA-256)"]
        == CatalogueVersion.objects.get(catalogue__code="tap-the").checksum
    )


def test_text_that_looks_like_a_formula_stays_text_in_the_export(client, loaded):
    result = issue(loaded, text='=HYPERLINK("http://x")')
    client.force_login(loaded["head_syt"])
    response = client.get(reverse("standards:version_export", args=[result.code, result.version]))
    sheet = load_workbook(BytesIO(response.content))["Tiêu chí"]
    assert sheet["D2"].value == '=HYPERLINK("http://x")'
    assert sheet["D2"].data_type == "s"


def test_the_diff_page_shows_what_changed_between_two_versions(client, loaded):
    issue(loaded)
    result = issue(
        loaded, version="2026.2", text="# Giờ làm việc\nCó mặt trước 7 giờ 15\nKhông về sớm"
    )
    client.force_login(loaded["head_syt"])
    url = reverse("standards:version_diff", args=[result.code])
    page = client.get(url, {"tu": "2026.1", "den": "2026.2"}).content.decode()
    assert "1 mục thêm, 0 mục bỏ, 1 mục đổi nội dung" in page
    assert "<del>Có mặt trước 7 giờ 30</del>" in page
    assert "<ins>Có mặt trước 7 giờ 15</ins>" in page
    assert "Không về sớm" in page
    default = client.get(url).content.decode()  # the two latest versions by default
    assert "1 mục thêm, 0 mục bỏ, 1 mục đổi nội dung" in default
    single = client.get(reverse("standards:version_diff", args=["ca-nhan"])).content.decode()
    assert "chưa có gì để so sánh" in single


def test_a_units_rules_are_visible_in_its_scope_only(client, loaded):
    result = issue(loaded)
    url = reverse("standards:version_detail", args=[result.code, result.version])
    for user in ("head_syt", "staff", "council", "snv", "admin"):
        client.force_login(loaded[user])
        assert client.get(url).status_code == 200, user
    for user in ("head_stp", "inspector", "outsider"):
        client.force_login(loaded[user])
        assert client.get(url).status_code in (403, 404), user
        assert (
            client.get(reverse("standards:catalogue_detail", args=[result.code])).status_code == 404
        )
        export = reverse("standards:version_export", args=[result.code, result.version])
        assert client.get(export).status_code == 404
    client.force_login(loaded["head_stp"])
    assert "Nội quy Sở Y tế" not in client.get(reverse("standards:catalogue_list")).content.decode()


def test_a_unit_head_issues_rules_from_the_page(client, loaded):
    client.force_login(loaded["head_syt"])
    url = reverse("standards:supplement_create", args=[loaded["syt"].pk])
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {
            "title": "Nội quy Sở Y tế",
            "version": "2026.1",
            "effective_from": "01/12/2026",
            "rules_text": "# Giờ làm việc\nCó mặt trước 7 giờ 30\nKhông về sớm",
        },
    )
    catalogue = Catalogue.objects.get(owner_unit=loaded["syt"])
    assert response.status_code == 302
    assert response["Location"] == reverse(
        "standards:version_detail", args=[catalogue.code, "2026.1"]
    )
    again = client.get(url).content.decode()  # a new version starts from the latest one
    assert "# Giờ làm việc\nCó mặt trước 7 giờ 30\nKhông về sớm" in again


def test_a_changed_text_under_a_used_version_is_refused_on_the_page(client, loaded):
    issue(loaded)
    client.force_login(loaded["head_syt"])
    url = reverse("standards:supplement_create", args=[loaded["syt"].pk])
    response = client.post(
        url,
        {
            "title": "Nội quy Sở Y tế",
            "version": "2026.1",
            "effective_from": "01/12/2026",
            "rules_text": "Một nội dung khác",
        },
    )
    assert response.status_code == 200
    assert "hãy đặt chuỗi phiên bản mới" in response.content.decode()


def test_another_units_head_gets_404_on_the_units_rules_page(client, loaded):
    url = reverse("standards:supplement_create", args=[loaded["syt"].pk])
    client.force_login(loaded["head_stp"])
    assert client.get(url).status_code == 404
    assert (
        client.post(
            url, {"title": "x", "version": "1", "effective_from": "01/12/2026", "rules_text": "x"}
        ).status_code
        == 404
    )
    assert not Catalogue.objects.filter(owner_unit=loaded["syt"]).exists()
    client.force_login(loaded["outsider"])
    assert client.get(url).status_code == 403
    client.force_login(loaded["staff"])
    assert client.get(url).status_code == 403


def test_the_unit_picker_opens_the_chosen_units_rules(client, loaded):
    client.force_login(loaded["head_syt"])
    page = client.get(reverse("standards:catalogue_list")).content.decode()
    assert "Sở Y tế" in page and "Sở Tư pháp" not in page.split('id="supplement-pick"')[1]
    response = client.get(reverse("standards:catalogue_list"), {"don_vi": loaded["syt"].pk})
    assert response["Location"] == reverse("standards:supplement_create", args=[loaded["syt"].pk])


def test_admin_browses_a_version_with_its_criteria_tree(client, loaded):
    version = CatalogueVersion.objects.get(catalogue__code="vhcv")
    client.force_login(loaded["snv"])
    page = client.get(
        reverse("admin:standards_catalogueversion_change", args=[version.pk])
    ).content.decode()
    assert "vhcv.giao-tiep.a.luon-giup-do" in page
    assert "So sánh phiên bản" in page and "Xuất Excel" in page
    assert client.get(reverse("admin:standards_criterion_changelist")).status_code == 200
    assert client.get(reverse("admin:standards_catalogue_changelist")).status_code == 200
    catalogue = client.get(reverse("admin:standards_catalogue_change", args=[version.catalogue_id]))
    assert version.checksum in catalogue.content.decode()  # the versions inline


def test_admin_hides_another_units_rules(client, loaded):
    result = issue(loaded)
    version = CatalogueVersion.objects.get(pk=result.version_id)
    client.force_login(loaded["admin"])
    url = reverse("admin:standards_catalogueversion_change", args=[version.pk])
    assert client.get(url).status_code == 200
    client.force_login(loaded["head_syt"])  # no admin site for unit heads
    assert client.get(url).status_code == 302
