"""In Chromium at 360 px: Sở Nội vụ's officer, leading an inspection of Sở Y tế, fills the
checklist on a phone, loses the network (the browser's offline mode), answers on, gets it
back: the waiting answers arrive, each once. Then a photo from the camera input, and the
lead closes the inspection."""

import io

import pytest
from PIL import Image
from playwright.sync_api import Page, expect

from congvu.inspections import services
from congvu.inspections.models import Answer, AnswerPhoto
from congvu.inspections.tests.factories import inspection_of_syt
from tests.e2e.conftest import login, menu_link
from tests.e2e.test_layout import assert_fits

pytestmark = pytest.mark.e2e


@pytest.fixture
def inspection(province, settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    made = inspection_of_syt(province, areas=("B",), free_items=())
    services.team_set(actor=province.users["snv"], inspection=made, lead=province.users["snv"])
    return services.inspection_start(actor=province.users["snv"], inspection=made)


def _photo() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (640, 480), (200, 40, 40)).save(out, "JPEG")
    return out.getvalue()


@pytest.mark.viewport(360)
def test_an_inspector_fills_the_checklist_offline_and_each_answer_arrives_once(
    page: Page, site, province, inspection, browser_watch
):
    browser_watch.allow("ERR_INTERNET_DISCONNECTED")
    items = {item.code: item for item in inspection.items.all()}
    login(page, site, "sonoivu")
    menu_link(page, "Kiểm tra").click()
    page.get_by_role("link", name="25/11/2026").click()
    page.get_by_role("link", name="Mở phiếu kiểm tra").click()
    expect(page.locator("h1")).to_contain_text("Phiếu kiểm tra")
    assert_fits(page)

    b1 = page.locator(f"#muc-{items['B1'].pk}")
    b1.get_by_label("Nhận xét").fill("Không đeo thẻ khi tiếp dân")
    b1.get_by_label("Người được kiểm tra (nếu có)").select_option(
        value=str(province.staff["syt_cc"].pk)
    )
    b1.get_by_label("Không đạt").check()
    expect(b1.locator(".answer-state")).to_have_text("Đã gửi")

    page.context.set_offline(True)
    b2 = page.locator(f"#muc-{items['B2'].pk}")
    b3 = page.locator(f"#muc-{items['B3'].pk}")
    b2.get_by_label("Đạt", exact=True).check()
    b3.get_by_label("Không áp dụng").check()
    expect(b2.locator(".answer-state")).to_have_text("Chưa gửi")
    expect(b3.locator(".answer-state")).to_have_text("Chưa gửi")
    assert Answer.objects.filter(item__inspection=inspection).count() == 1

    page.context.set_offline(False)
    expect(b2.locator(".answer-state")).to_have_text("Đã gửi")
    expect(b3.locator(".answer-state")).to_have_text("Đã gửi")
    page.reload()  # the queue remembers what was sent: nothing goes twice
    expect(page.locator(f"#muc-{items['B3'].pk} .answer-state")).to_have_text("Đã gửi")
    for code in ("B1", "B2", "B3"):
        assert Answer.objects.filter(item=items[code]).count() == 1, code
    b1_answer = Answer.objects.get(item=items["B1"])
    assert b1_answer.result == "not_compliant" and b1_answer.staff.ten == "An"

    b1 = page.locator(f"#muc-{items['B1'].pk}")
    b1.locator('input[type="file"]').set_input_files(
        {"name": "the.jpg", "mimeType": "image/jpeg", "buffer": _photo()}
    )
    b1.get_by_role("button", name="Gửi ảnh").click()
    expect(page.get_by_role("alert")).to_contain_text("Đã lưu ảnh mục B1.")
    assert AnswerPhoto.objects.filter(item=items["B1"]).count() == 1

    page.goto(f"{site}/kiem-tra/{inspection.pk}/")
    expect(page.locator("#inspection-findings")).to_contain_text("Không đeo thẻ khi tiếp dân")
    page.get_by_label("Kết luận của đoàn").fill("Chấn chỉnh việc đeo thẻ.")
    page.get_by_role("button", name="Kết thúc kiểm tra").click()
    expect(page.locator("#inspection-status")).to_contain_text("Đã kết thúc")
    assert_fits(page)
