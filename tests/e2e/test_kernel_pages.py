"""The kernel's admin page: every dated setting in force on a day, with its source, and the
province's own value recorded by the system administrator. Chromium at 1280 and 360 px."""

import pytest
from playwright.sync_api import Page, expect

from congvu.core.models import SettingOverride
from tests.e2e.conftest import login

pytestmark = pytest.mark.e2e


def test_sonoivu_reads_the_settings_of_a_day_and_the_administrator_sets_one(
    new_page, site, province
):
    page: Page = new_page()
    login(page, site, "sonoivu")
    page.goto(f"{site}/quan-tri/")
    page.get_by_role("link", name="Tham số theo ngày").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Tham số theo ngày")
    table = page.locator("#bang-tham-so")
    expect(table).to_contain_text("discipline.duration_months.vien_chuc")
    expect(table).to_contain_text("Nghị định 234/2026/NĐ-CP")
    page.get_by_label("Xem vào ngày (dd/mm/yyyy)").fill("01/01/2026")
    page.get_by_role("button", name="Xem").click()
    expect(page.locator("#bang-tham-so")).not_to_contain_text("Nghị định 234/2026/NĐ-CP")
    expect(page.locator("#dat-tham-so")).to_have_count(0)

    admin: Page = new_page()
    login(admin, site, "quantri")
    admin.goto(f"{site}/quan-tri/tham-so/")
    admin.get_by_label("Tham số").select_option("discipline.duration_months")
    admin.get_by_label("Giá trị").fill("18")
    admin.get_by_label("Từ ngày (dd/mm/yyyy)").fill("01/01/2026")
    admin.get_by_label("Căn cứ (văn bản của tỉnh)").fill("Quyết định 12/QĐ-UBND")
    admin.get_by_role("button", name="Ghi").click()
    expect(admin.locator(".messagelist")).to_contain_text("Đã ghi giá trị riêng của tỉnh.")
    expect(admin.locator("#bang-tham-so")).to_contain_text("Quyết định 12/QĐ-UBND")
    assert SettingOverride.objects.get().value == 18
