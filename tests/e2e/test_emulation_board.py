"""In Chromium at 1280 and 360 px: the public honour board (no login, no script) and its good
models, and the good models' signed-in pages (list, record form, a model with Sở Nội vụ's
withdraw form) fit the screen."""

from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import Page, expect

from congvu.emulation import services_board
from congvu.emulation.models import Achievement, AwardDecision
from tests.e2e.conftest import login
from tests.e2e.test_layout import assert_fits

pytestmark = pytest.mark.e2e

SHOTS = Path("/tmp/shots/board")
CITATION = (
    "Có sáng kiến «Một cửa không chờ» rút ngắn thời gian giải quyết hồ sơ từ 5 ngày xuống "
    "2 ngày, được áp dụng toàn tỉnh"
)


@pytest.fixture
def board(province):
    snv = province.users["snv"]
    for n, (key, award, year) in enumerate(
        (
            ("syt_cc", "CSTDCS", 2025),
            ("nurse", "CSTD_TINH", 2025),
            ("stp_cc", "BK_TINH", 2024),
        )
    ):
        staff = province.staff[key]
        decision = AwardDecision.objects.create(
            number=f"{120 + n}/QĐ-UBND",
            signed_on=date(year + 1, 2, 27),
            issuer="UBND tỉnh Khánh Hòa",
            signer_title="Chủ tịch",
            signer_name="Nguyễn Văn Chủ",
            award=award,
            year=year,
            unit=province.units["kh"],
            issued_at=datetime(year + 1, 3, 1, 9, 0, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh")),
            created_by=snv,
        )
        Achievement.objects.create(
            staff=staff,
            unit_then=staff.unit,
            award=award,
            year=year,
            decision=decision,
            citation=CITATION,
        )
    model = services_board.goodmodel_record(
        actor=province.users["head_syt"],
        unit=province.units["bv"],
        year=2026,
        title="Khám bệnh không giấy tờ: số hóa toàn bộ hồ sơ bệnh án ngoại trú",
        description="Bệnh viện số hóa hồ sơ, người bệnh không phải mang sổ khám. " * 4,
    )
    services_board.goodmodel_publish(actor=snv, model=model)
    services_board.board_changed()
    return model


def _shoot(page: Page, width: int, name: str) -> None:
    if width == 360:
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=SHOTS / f"{name}.png", full_page=True)


def test_the_public_board_fits_and_needs_no_login_or_script(new_page, site, board, viewport_width):
    page = new_page(javascript=False)
    response = page.goto(site + "/thi-dua/bang-vang/")
    assert response is not None and response.status == 200
    expect(page.locator("h1")).to_have_text("Gương điển hình tiên tiến")
    expect(page.locator("#board-entries")).to_contain_text("Nguyễn Văn An")
    expect(page.locator("#board-entries")).to_contain_text("Năm 2024")
    assert_fits(page)
    _shoot(page, viewport_width, "board")
    page.select_option("#nam", "2024")
    page.locator("form.picker button").click()
    expect(page.locator("#board-entries")).to_contain_text("Võ Thị Ánh")
    expect(page.locator("#board-entries")).not_to_contain_text("Nguyễn Văn An")
    assert_fits(page)
    page.goto(site + "/thi-dua/bang-vang/mo-hinh-hay/")
    expect(page.locator("#board-models")).to_contain_text("Khám bệnh không giấy tờ")
    assert_fits(page)
    _shoot(page, viewport_width, "board-models")


def test_the_good_models_pages_fit_the_screen(page: Page, site, board, viewport_width):
    login(page, site, "sonoivu")
    for path, name in (
        ("/thi-dua/mo-hinh-hay/", "goodmodel-list"),
        ("/thi-dua/mo-hinh-hay/moi/", "goodmodel-form"),
        (f"/thi-dua/mo-hinh-hay/{board.pk}/", "goodmodel-detail"),
    ):
        response = page.goto(site + path)
        assert response is not None and response.status == 200, path
        expect(page.locator("h1").first).to_be_visible()
        page.wait_for_load_state("load")
        assert_fits(page)
        _shoot(page, viewport_width, name)
    page.locator("#goodmodel-withdraw").evaluate("f => f.closest('details').open = true")
    page.fill("#id_reason", "Trùng với mô hình đã công bố")
    page.locator("#goodmodel-withdraw button").click()
    expect(page.locator("#goodmodel-state")).to_contain_text("Đã gỡ")
    assert_fits(page)
