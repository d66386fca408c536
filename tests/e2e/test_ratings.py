"""A citizen rates a desk from its QR code on a phone; staff manage the desk and read the
indexes. Browser tests: Chromium through Playwright, against the live server."""

import pytest
from playwright.sync_api import Page, expect

from congvu.ratings import services
from congvu.ratings.models import Rating
from congvu.ratings.services import DeskSpec
from tests.e2e.conftest import login, menu_link, open_menu
from tests.e2e.test_layout import assert_fits

pytestmark = pytest.mark.e2e


def _desk(province, **extra):
    spec = DeskSpec(
        unit=province.units["syt"],
        kind=extra.pop("kind", "quay"),
        name=extra.pop("name", "Quầy số 3 – Thủ tục y tế"),
        **extra,
    )
    return services.desk_create(actor=province.users["head_syt"], spec=spec)


def _token(desk) -> str:
    return desk.tokens.get(revoked_at__isnull=True).token


@pytest.mark.viewport(360)
def test_a_citizen_rates_two_stars_with_a_reason_on_a_phone(page: Page, site, province):
    desk = _desk(province, kind="can_bo", staff=province.staff["syt_cc"])
    page.goto(f"{site}/d/{_token(desk)}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Sở Y tế")
    expect(page.locator("main")).to_contain_text("Nguyễn Văn An")
    assert_fits(page)

    page.get_by_text("2 sao – Không hài lòng").click()
    expect(page.locator("#diem-2")).to_be_checked()
    page.locator("label[for=hv-chao-1]").click()
    page.locator("label[for=hv-lang_nghe-0]").click()
    page.get_by_role("button", name="Gửi đánh giá").click()
    # Two stars without a reason: the form comes back with the answers kept.
    expect(page.get_by_role("alert")).to_contain_text("Vui lòng cho biết lý do")
    expect(page.locator("#diem-2")).to_be_checked()
    expect(page.locator("#hv-lang_nghe-0")).to_be_checked()
    assert not Rating.objects.exists()
    assert_fits(page)

    page.get_by_label("Lý do, góp ý").fill("Phải chờ hơn một giờ, không được hướng dẫn.")
    page.get_by_role("button", name="Gửi đánh giá").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Cảm ơn bạn đã đánh giá!")
    expect(page.locator("main")).to_contain_text("2 sao – Không hài lòng")
    assert_fits(page)
    rating = Rating.objects.get()
    assert (rating.score, rating.staff_id) == (2, province.staff["syt_cc"].pk)
    assert rating.answers == {"chao": True, "lang_nghe": False}


@pytest.mark.viewport(360)
def test_the_rating_page_works_without_javascript(new_page, site, province):
    desk = _desk(province)
    page = new_page(javascript=False)
    page.goto(f"{site}/d/{_token(desk)}/")
    page.get_by_text("5 sao – Rất hài lòng").click()
    page.get_by_role("button", name="Gửi đánh giá").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Cảm ơn bạn đã đánh giá!")
    assert Rating.objects.get().score == 5


@pytest.mark.viewport(1280)
def test_a_unit_head_prints_a_new_poster_and_reads_the_dashboard(
    page: Page, site, province, browser_watch
):
    desk = _desk(province)
    old = _token(desk)
    services.rating_submit(
        token=old,
        key=services.new_form_key(),
        score=4,
        answers={},
        client=services.ClientInfo("10.1.1.1", "e2e"),
    )
    login(page, site, "gd_syt")
    open_menu(page)
    menu_link(page, "Hài lòng của người dân").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Sở Y tế")
    expect(page.locator("#bang-quay")).to_contain_text("Quầy số 3")
    page.get_by_role("link", name="Điểm đánh giá, mã QR").click()
    page.get_by_role("link", name="Quầy số 3 – Thủ tục y tế").click()
    with page.expect_download() as download:
        page.get_by_role("link", name="A4 PDF").click()
    assert download.value.suggested_filename == f"ap-phich-{desk.pk}-a4.pdf"
    page.get_by_role("button", name="Cấp mã mới và in lại").click()
    expect(page.get_by_role("alert")).to_contain_text("Đã cấp mã QR mới")
    assert _token(desk) != old
    browser_watch.allow(r"status of 410")
    page.goto(f"{site}/d/{old}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Mã QR này đã được thay mới")
