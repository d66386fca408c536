"""Every page, at a desktop and a phone width: it loads without CSP or script errors,
has a heading, and never makes the phone scroll sideways. The screenshots of this
tour (var/screenshots/test_every_page_*) are the ones to look at after a layout change.
"""

import pytest
from playwright.sync_api import Page, expect

from congvu.standards import services as standards
from tests.e2e.conftest import login

pytestmark = pytest.mark.e2e


def assert_fits(page: Page) -> None:
    """No sideways scrolling: wide tables must scroll inside their own box or stack."""
    overflow = page.evaluate(
        """() => {
            const root = document.documentElement;
            if (root.scrollWidth <= root.clientWidth) return null;
            const wide = [...document.querySelectorAll('body *')]
                .filter(el => el.getBoundingClientRect().right > root.clientWidth + 1)
                .filter(el => !el.closest('.table-responsive'))
                .slice(0, 3)
                .map(el => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '')
                     + (el.className && typeof el.className === 'string'
                        ? '.' + el.className.trim().split(/\\s+/).join('.') : ''));
            return {width: root.scrollWidth, viewport: root.clientWidth, wide};
        }"""
    )
    assert overflow is None, f"{page.url} scrolls sideways: {overflow}"


def visit(page: Page, url: str, status: int = 200) -> None:
    response = page.goto(url)
    assert response is not None and response.status == status, f"{url}: {response.status}"
    expect(page.locator("h1").first).to_be_visible()
    assert_fits(page)


def test_every_page_fits_the_screen_without_console_errors(
    page: Page, site, province, browser_watch
):
    standards.catalogues_load(actor=None)
    syt, huyen, kh = (province.units[key] for key in ("syt", "huyen", "kh"))

    visit(page, f"{site}/tai-khoan/dang-nhap/")
    login(page, site, "sonoivu")
    assert_fits(page)
    for path in (
        "/to-chuc/don-vi/",
        "/to-chuc/don-vi/?ngay=30/06/2025",
        f"/to-chuc/don-vi/{kh.pk}/",
        f"/to-chuc/don-vi/{syt.pk}/",
        f"/to-chuc/don-vi/{huyen.pk}/",
        "/to-chuc/don-vi/them/",
        f"/to-chuc/don-vi/{syt.pk}/thay-doi/",
        "/to-chuc/can-bo/",
        "/to-chuc/can-bo/?q=zzz",
        f"/to-chuc/can-bo/{province.staff['head_syt'].pk}/",
        f"/to-chuc/can-bo/{province.staff['xa_cc'].pk}/",
        "/to-chuc/nhap-du-lieu/",
        "/tieu-chi/",
        "/tieu-chi/ca-nhan/",
        "/tai-khoan/ho-so/",
        "/tai-khoan/doi-mat-khau/",
    ):
        visit(page, site + path)

    browser_watch.allow(r"status of 404")
    visit(page, f"{site}/to-chuc/can-bo/999999/", status=404)


def test_every_admin_page_loads_without_console_errors(page: Page, site, province):
    login(page, site, "quantri")
    unit = province.units["syt"].pk
    for path in (
        "/quan-tri/",
        "/quan-tri/organisations/unit/",
        f"/quan-tri/organisations/unit/{unit}/change/",
        f"/quan-tri/organisations/unit/{unit}/history/",
        "/quan-tri/organisations/staff/",
        "/quan-tri/accounts/user/",
    ):
        response = page.goto(site + path)
        assert response is not None and response.status == 200, path
        expect(page.locator("#content h1, #content h2").first).to_be_visible()


def test_a_user_without_a_role_is_refused_the_staff_list_with_a_page_that_fits(
    page: Page, site, province, browser_watch
):
    browser_watch.allow(r"status of 403")
    login(page, site, "nguoingoai")
    assert_fits(page)
    visit(page, f"{site}/to-chuc/can-bo/", status=403)
    expect(page.get_by_role("heading", level=1)).to_have_text("Không có quyền truy cập")
