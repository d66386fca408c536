"""In Chromium: Sở Tư pháp's head types the unit's internal rules, accepts the suggested
mappings, and sees which required contents of QĐ 129/2007 and QĐ 1847 are still missing; Sở
Nội vụ sees the unit's coverage in the overview. At 1280 and 360 px."""

import pytest
from playwright.sync_api import Page, expect

from congvu.standards.models import RulesMapping
from tests.e2e.conftest import login, menu_link
from tests.e2e.test_layout import assert_fits as _assert_fits

pytestmark = pytest.mark.e2e

RULES = """NỘI QUY CƠ QUAN SỞ TƯ PHÁP
Chương I. Những quy định chung
Điều 1. Trang phục gọn gàng, lịch sự; đi giày hoặc dép có quai hậu.
Điều 2. Cán bộ, công chức phải đeo thẻ khi thực hiện nhiệm vụ.
Điều 3. Nghiêm cấm hút thuốc lá trong phòng làm việc, uống rượu bia trong giờ làm việc.
Điều 4. Cổng cơ quan có biển ghi tên đơn vị và địa chỉ."""


def assert_fits(page: Page) -> None:
    page.wait_for_load_state("load")
    _assert_fits(page)


def test_a_unit_head_types_rules_accepts_suggestions_and_sees_what_is_missing(
    page: Page, site, new_page
):
    login(page, site, "gd_stp")
    menu_link(page, "Nội quy đơn vị").click()
    expect(page.locator("h1")).to_have_text("Nội quy của các đơn vị")
    assert_fits(page)
    page.locator("#rules-overview").get_by_role("link", name="Sở Tư pháp").click()
    expect(page.locator("h1")).to_contain_text("Nội quy của Sở Tư pháp")
    expect(page.locator("#coverage-title")).to_contain_text("Đã có 0/12")
    form = page.locator("#rules-new")
    form.get_by_label("Tên văn bản").fill("Nội quy cơ quan Sở Tư pháp")
    form.get_by_label("Ngày ban hành").fill("01/03/2026")
    form.get_by_label("Nội dung").fill(RULES)
    assert_fits(page)
    form.get_by_role("button", name="Lưu nội quy").click()
    expect(page.locator("main")).to_contain_text("Đã lưu nội quy phiên bản 1: 4 điều, khoản.")
    expect(page.locator("#coverage-missing li")).to_have_count(12)

    page.get_by_role("link", name="Gợi ý gắn nội dung").click()
    suggestions = page.locator("#suggestions")
    expect(suggestions).to_contain_text("Điều 2")
    expect(suggestions).to_contain_text("«đeo thẻ»")
    assert_fits(page)
    suggestions.get_by_role("button", name="Chấp nhận các gợi ý đã chọn").click()
    expect(page.locator("main")).to_contain_text("Đã gắn")
    covered = page.locator("#coverage-covered")
    expect(covered.locator('[data-code="qd129.the"]')).to_contain_text("quy định tại Điều 2")
    expect(covered.locator('[data-code="qd129.viec-cam"]')).to_contain_text("Điều 3")
    missing = page.locator("#coverage-missing")
    expect(missing.locator('[data-code="qd129.cho-de-xe"]')).to_be_visible()
    expect(missing.locator('[data-code="qd129.quoc-huy-quoc-ky"]')).to_be_visible()
    expect(missing.locator("li").first).to_have_class(
        "list-group-item list-group-item-danger p-2 text-break-anywhere"
    )
    assert_fits(page)

    # Article 4 has no keyword of the list: the head maps it by hand.
    item4 = page.locator("section.card", has_text="Điều 4.")
    item4.get_by_label("Nội dung bắt buộc cho Điều 4").select_option(label="Biển tên cơ quan")
    item4.get_by_role("button", name="Gắn", exact=True).click()
    expect(page.locator('#coverage-covered [data-code="qd129.bien-ten"]')).to_contain_text("Điều 4")
    assert RulesMapping.objects.filter(item__number="Điều 4", code="qd129.bien-ten").exists()
    percent = page.locator("#coverage-title").inner_text()

    other = new_page()
    login(other, site, "sonoivu")
    other.goto(f"{site}/tieu-chi/noi-quy/")
    row = other.locator("#rules-overview tr", has_text="Sở Tư pháp")
    expect(row).to_contain_text("Nội quy cơ quan Sở Tư pháp")
    expect(row).to_contain_text(percent.split("(")[1].rstrip(")"))
    assert_fits(other)
