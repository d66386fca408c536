"""The pages the security issue added: an owner revokes an API key; the unit's handler calls
back a citizen whose number everyone else sees masked. Chromium at 1280 and 360 px."""

from datetime import date

import pytest
from playwright.sync_api import Page, expect

from congvu.accounts.models import ApiToken
from congvu.accounts.services import role_assign, token_create
from congvu.core.actors import SYSTEM
from congvu.ratings import services
from congvu.ratings.services import DeskSpec
from congvu.testing import make_staff, make_user
from tests.e2e.conftest import login
from tests.e2e.test_layout import assert_fits

pytestmark = pytest.mark.e2e


def test_an_owner_revokes_an_api_key_from_the_profile(page: Page, site, province):
    user = province.users["head_syt"]
    token_create(actor=SYSTEM, user=user, label="Một cửa Sở Y tế")
    token_create(actor=SYSTEM, user=province.users["snv"], label="Khóa của người khác")
    login(page, site, "gd_syt")
    page.goto(f"{site}/tai-khoan/ho-so/")
    page.get_by_role("link", name="Khóa API").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Khóa API của tôi")
    table = page.locator("#bang-khoa-api")
    expect(table).to_contain_text("Một cửa Sở Y tế")
    expect(table).not_to_contain_text("Khóa của người khác")
    assert_fits(page)
    page.once("dialog", lambda dialog: dialog.accept())
    table.get_by_role("button", name="Thu hồi").click()
    expect(page.locator("#bang-khoa-api")).to_contain_text("Đã thu hồi lúc")
    assert_fits(page)
    assert ApiToken.objects.get(user=user).revoked_at is not None
    assert ApiToken.objects.get(user=province.users["snv"]).revoked_at is None


def test_the_handler_calls_back_while_the_head_sees_the_number_masked(page: Page, site, province):
    handler = make_user("xuly_syt", make_staff(province.units["syt"], "Phan", "Thị", "Hoa"))
    role_assign(
        actor=SYSTEM,
        user=handler,
        role="handler",
        unit=province.units["syt"],
        valid_from=date(2024, 1, 1),
    )
    spec = DeskSpec(unit=province.units["syt"], kind="quay", name="Quầy số 3 – Thủ tục y tế")
    desk = services.desk_create(actor=province.users["head_syt"], spec=spec)
    token = desk.tokens.get(revoked_at__isnull=True).token
    services.rating_submit(
        token=token,
        key=services.new_form_key(),
        score=2,
        answers={},
        reason="Chờ quá lâu, xin được liên hệ lại.",
        phone="0912 345 678",
        client=services.ClientInfo("10.2.2.2", "e2e"),
    )

    login(page, site, "xuly_syt")
    page.goto(f"{site}/danh-gia-hai-long/goi-lai/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Gọi lại người dân")
    calls = page.locator("#bang-goi-lai")
    expect(calls).to_contain_text("Chờ quá lâu")
    expect(calls.get_by_role("link", name="0912345678")).to_have_attribute("href", "tel:0912345678")
    assert_fits(page)

    page.context.clear_cookies()
    login(page, site, "gd_syt")
    page.goto(f"{site}/danh-gia-hai-long/diem-danh-gia/{desk.pk}/")
    main = page.locator("main")
    expect(main).to_contain_text("Quầy số 3")
    expect(main).not_to_contain_text("0912345678")
    expect(main).to_contain_text("09•••••678")
    assert_fits(page)
