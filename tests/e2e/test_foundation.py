"""The foundation in a real browser: sign-in, scoped lists, history, import, admin."""

import io
import re

import openpyxl
import pytest
from playwright.sync_api import Page, expect

from congvu.organisations.models import Staff
from tests.e2e.conftest import login, menu_link, open_menu

pytestmark = pytest.mark.e2e

HEADERS = [
    "Mã CB",
    "Họ",
    "Đệm",
    "Tên",
    "Giới tính",
    "Năm sinh",
    "Phân loại",
    "Chức vụ",
    "Lãnh đạo",
    "Mã đơn vị",
    "Từ ngày",
]


def staff_file(rows: list[list[object]]) -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(HEADERS)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def test_unit_head_sees_own_staff_and_is_refused_another_units_staff(
    page: Page, site, province, browser_watch
):
    login(page, site, "gd_syt")
    open_menu(page)
    menu_link(page, "Cán bộ, công chức").click()
    table = page.locator("#staff-table")
    for name in ("Nguyễn Văn An", "Trần Thị Bích", "Lê Văn Đức"):
        expect(table).to_contain_text(name)
    expect(table).not_to_contain_text("Võ Thị Ánh")
    expect(page.locator("#staff-count")).to_have_text("3 người")

    page.get_by_placeholder("Tìm theo tên hoặc mã").fill("vo thi anh")
    page.get_by_role("button", name="Tìm").click()
    expect(table).to_contain_text("Không tìm thấy cán bộ nào")

    browser_watch.allow(r"404")
    other = province.staff["stp_cc"]
    response = page.goto(f"{site}/to-chuc/can-bo/{other.pk}/")
    assert response is not None and response.status == 404
    expect(page.get_by_role("heading", level=1)).to_have_text("Không tìm thấy")
    expect(page.locator("main")).not_to_contain_text("Võ Thị Ánh")


@pytest.mark.viewport(1280)
def test_staff_search_ignores_diacritics_live_and_without_javascript(new_page, site, province):
    page = new_page()
    login(page, site, "sonoivu")
    page.goto(f"{site}/to-chuc/can-bo/")
    page.get_by_placeholder("Tìm theo tên hoặc mã").fill("nguyen van an")
    expect(page.locator("#staff-table tbody tr")).to_have_count(1)
    expect(page.locator("#staff-table")).to_contain_text("Nguyễn Văn An")
    expect(page).to_have_url(re.compile(r"q=nguyen(\+|%20)van(\+|%20)an"))

    plain = new_page(javascript=False)
    login(plain, site, "sonoivu")
    plain.goto(f"{site}/to-chuc/can-bo/")
    plain.get_by_placeholder("Tìm theo tên hoặc mã").fill("LE VAN DUC")
    plain.get_by_role("button", name="Tìm").click()
    expect(plain.locator("#staff-table tbody tr")).to_have_count(1)
    expect(plain.locator("#staff-table")).to_contain_text("Lê Văn Đức")


def test_unit_tree_as_of_a_date_shows_the_old_province_and_district(page: Page, site, province):
    login(page, site, "sonoivu")
    page.goto(f"{site}/to-chuc/don-vi/")
    tree = page.locator(".unit-tree")
    expect(tree).to_contain_text("UBND xã Cam Lâm")
    expect(tree).not_to_contain_text("UBND huyện Cam Lâm")
    expect(tree).not_to_contain_text("UBND tỉnh Ninh Thuận")

    page.get_by_label("Xem vào ngày (dd/mm/yyyy)").fill("30/06/2025")
    page.get_by_role("button", name="Xem").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("30/06/2025")
    expect(tree).to_contain_text("UBND huyện Cam Lâm")
    expect(tree).to_contain_text("UBND tỉnh Ninh Thuận")
    expect(tree).to_contain_text("UBND xã Cam Hải Đông")

    page.get_by_role("link", name="UBND tỉnh Ninh Thuận").click()
    expect(page.get_by_role("status")).to_contain_text("chấm dứt hoạt động từ 01/07/2025")
    expect(page.get_by_role("status")).to_contain_text("UBND tỉnh Khánh Hòa")


def test_unit_head_imports_a_staff_file_with_one_bad_row_then_fixes_it(
    page: Page, site, province, tmp_path
):
    login(page, site, "gd_syt")
    page.goto(f"{site}/to-chuc/nhap-du-lieu/")
    good = [
        "SYT-9001",
        "Phan",
        "Thị",
        "Hồng",
        "Nữ",
        1990,
        "Viên chức",
        "Điều dưỡng",
        "Không",
        "KHA-BVDK",
        "01/03/2026",
    ]
    bad = [
        "SYT-9002",
        "Hồ",
        "Văn",
        "Khải",
        "Nam",
        1988,
        "Thợ lặn",
        "",
        "Không",
        "KHA-SYT",
        "01/03/2026",
    ]
    path = tmp_path / "nhan-su.xlsx"
    path.write_bytes(staff_file([good, bad]))

    page.get_by_label("Cán bộ, công chức, viên chức").check()
    page.get_by_label("Tệp Excel (.xlsx)").set_input_files(path)
    page.get_by_role("button", name="Tải lên và kiểm tra").click()
    expect(page.locator("main")).to_contain_text("Phân loại")
    expect(page.locator("main")).to_contain_text("Thợ lặn")
    assert not Staff.objects.filter(code__in=["SYT-9001", "SYT-9002"]).exists()

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Tải tệp lỗi (.xlsx)").click()
    saved = tmp_path / "tep-loi.xlsx"
    download_info.value.save_as(saved)
    errors = openpyxl.load_workbook(saved).active
    header = [c.value for c in errors[1]]
    assert header[-1] == "Lỗi"
    by_code = {row[0]: row[-1] for row in errors.iter_rows(min_row=2, values_only=True) if row[0]}
    assert not by_code["SYT-9001"]
    assert "Phân loại" in by_code["SYT-9002"] and "Thợ lặn" in by_code["SYT-9002"]

    bad[6] = "Công chức"
    path.write_bytes(staff_file([good, bad]))
    page.goto(f"{site}/to-chuc/nhap-du-lieu/")
    page.get_by_label("Cán bộ, công chức, viên chức").check()
    page.get_by_label("Tệp Excel (.xlsx)").set_input_files(path)
    page.get_by_role("button", name="Tải lên và kiểm tra").click()
    expect(page.locator("main")).to_contain_text("Hoàn thành")
    page.goto(f"{site}/to-chuc/can-bo/?q=ho+van+khai")
    expect(page.locator("#staff-table")).to_contain_text("Hồ Văn Khải")


def test_lock_out_after_repeated_bad_passwords(page: Page, site, province, browser_watch, settings):
    browser_watch.allow(r"status of (403|429)")
    for attempt in range(settings.AXES_FAILURE_LIMIT):
        page.goto(f"{site}/tai-khoan/dang-nhap/")
        page.get_by_label("Tên đăng nhập").fill("gd_stp")
        page.get_by_label("Mật khẩu").fill("sai-mat-khau")
        page.get_by_role("button", name="Đăng nhập").click()
        if attempt == 0:
            expect(page.get_by_role("alert")).to_contain_text("mật khẩu chính xác")
    expect(page.get_by_role("heading", level=1)).to_have_text("Tạm khóa đăng nhập")
    expect(page.locator("main")).to_contain_text("đăng nhập bị tạm khóa")


def test_password_change_refuses_a_weak_password_and_logout_works(page: Page, site, province):
    from congvu.testing import PASSWORD

    login(page, site, "cb_syt")
    page.goto(f"{site}/tai-khoan/doi-mat-khau/")
    page.locator("#id_old_password").fill(PASSWORD)
    page.locator("#id_new_password1").fill("12345678")
    page.locator("#id_new_password2").fill("12345678")
    page.get_by_role("button", name="Đổi mật khẩu").click()
    errors = page.locator(".invalid-feedback")
    expect(errors.first).to_be_visible()
    expect(errors).to_contain_text([re.compile("quá ngắn.*10 ký tự")])
    expect(page.locator("main")).not_to_contain_text("This password")
    open_menu(page)
    page.get_by_role("button", name="Đăng xuất").click()
    expect(page).to_have_url(re.compile(r"/tai-khoan/dang-nhap/"))


def test_profile_shows_unit_and_roles_and_no_role_means_no_staff_menu(new_page, site, province):
    page = new_page()
    login(page, site, "cb_syt")
    page.goto(f"{site}/tai-khoan/ho-so/")
    expect(page.locator("main")).to_contain_text("Sở Y tế")
    expect(page.locator("main")).to_contain_text("Cán bộ, công chức, viên chức — Sở Y tế")

    other = new_page()
    login(other, site, "nguoingoai")
    open_menu(other)
    expect(other.locator("#nav-main")).not_to_contain_text("Cán bộ, công chức")
    expect(other.locator("main")).to_contain_text("chưa được phân vai trò")


@pytest.mark.viewport(360)
def test_navigation_opens_behind_the_hamburger_at_360px(page: Page, site, province):
    login(page, site, "sonoivu")
    expect(page.locator("#nav-main")).not_to_be_visible()
    open_menu(page)
    menu_link(page, "Cơ cấu tổ chức").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Cơ cấu tổ chức")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 360, f"the page scrolls sideways ({width}px)"


@pytest.mark.viewport(1280)
def test_admin_is_in_vietnamese_and_shows_unit_history(page: Page, site, province):
    login(page, site, "quantri")
    page.goto(f"{site}/quan-tri/")
    expect(page.locator("#site-name")).to_contain_text("Quản trị CôngVụ")
    page.goto(f"{site}/quan-tri/organisations/unit/{province.units['stp'].pk}/history/")
    expect(page.locator("#content")).to_contain_text("Xem lịch sử: Sở Tư pháp (KHA-STP)")
    expect(page.locator("#content")).to_contain_text("Người thay đổi")
