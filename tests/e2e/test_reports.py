"""Issue 4 in a real browser: on a 360 px phone without JavaScript a citizen files a misconduct
report with a photo and follows it by its tracking code; a handler at 1280 px verifies,
concludes and answers it; the citizen reads the answer."""

import io
from datetime import date

import pytest
from PIL import ExifTags, Image
from playwright.sync_api import expect

from congvu.accounts.services import role_assign
from congvu.core.actors import SYSTEM
from congvu.feedback.models import Report
from congvu.testing import make_staff, make_user
from tests.e2e.conftest import login, menu_link

pytestmark = pytest.mark.e2e


@pytest.fixture
def photo(tmp_path):
    image = Image.new("RGB", (640, 480), (200, 60, 40))
    exif = Image.Exif()
    exif.get_ifd(ExifTags.IFD.GPSInfo).update(
        {ExifTags.GPS.GPSLatitudeRef: "N", ExifTags.GPS.GPSLatitude: (12.0, 15.0, 30.0)}
    )
    path = tmp_path / "quay-so-3.jpg"
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif)
    path.write_bytes(out.getvalue())
    return path


@pytest.fixture
def handler(province, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "private"
    staff = make_staff(province.units["syt"], "Phan", "Thị", "Hoa")
    user = make_user("xuly_syt", staff)
    role_assign(
        actor=SYSTEM,
        user=user,
        role="handler",
        unit=province.units["syt"],
        valid_from=date(2024, 1, 1),
    )
    return user


@pytest.mark.viewport(360)
def test_a_citizen_reports_a_desk_the_handler_answers_the_citizen_reads_it(
    new_page, site, province, handler, photo
):
    citizen = new_page(javascript=False)  # a cheap phone: nothing here needs a script
    citizen.goto(f"{site}/phan-anh/")
    citizen.get_by_label("Bước 1: tìm đơn vị bị phản ánh").fill("so y te")
    citizen.get_by_role("button", name="Tìm đơn vị").click()
    citizen.locator("#unit-hits").get_by_role("link", name="Sở Y tế").click()
    expect(citizen.locator("#unit-name")).to_have_text("Sở Y tế")
    citizen.get_by_role("button", name="Gửi phản ánh").click()  # empty: told what is missing
    expect(citizen.locator("#form-errors")).to_be_visible()
    expect(citizen.locator("#nhom-error")).to_have_text("Hãy chọn nhóm hành vi bị phản ánh.")
    assert Report.objects.count() == 0
    citizen.get_by_label("Gây khó khăn, phiền hà").check()
    citizen.get_by_label("Ngày xảy ra").fill("20/11/2026")
    citizen.get_by_label("Nơi xảy ra").fill("Bộ phận một cửa, quầy số 3")
    citizen.get_by_label("Nội dung sự việc").fill(
        "Cán bộ quầy số 3 bắt tôi về bổ sung giấy xác nhận cư trú lần thứ ba, "
        "dù tôi đã xuất trình căn cước."
    )
    citizen.get_by_label("Ảnh hoặc tệp PDF kèm theo").set_input_files(photo)
    citizen.get_by_label("Gửi ẩn danh").check()
    citizen.get_by_role("button", name="Gửi phản ánh").click()
    code = citizen.locator("#tracking-code").inner_text()
    assert len(code) == 19  # XXXX-XXXX-XXXX-XXXX
    report = Report.objects.get()
    assert report.attachments.count() == 1 and report.anonymous
    citizen.get_by_role("link", name="Theo dõi phản ánh").click()
    expect(citizen.locator("#status")).to_have_text("Đã tiếp nhận")

    desk = new_page()
    desk.set_viewport_size({"width": 1280, "height": 800})
    login(desk, site, "xuly_syt")
    menu_link(desk, "Xử lý phản ánh").click()
    expect(desk.locator("#report-summary")).to_contain_text("1 phản ánh đang chờ xử lý")
    desk.get_by_role("link", name=code).click()
    expect(desk.locator("#report-description")).to_contain_text("quầy số 3")
    expect(desk.locator("#attachments img")).to_be_visible()
    expect(desk.locator("#reporter")).to_contain_text("Gửi ẩn danh")
    desk.get_by_role("button", name="Bắt đầu xác minh").click()
    expect(desk.locator("#report-status")).to_have_text("Đang xác minh")
    desk.get_by_label("Kết quả xác minh (nội bộ)").first.fill(
        "Đã làm việc với cán bộ quầy 3: yêu cầu giấy xác nhận cư trú là không đúng quy định."
    )
    desk.get_by_role("button", name="Kết luận xác minh").click()
    expect(desk.locator("#finding")).to_contain_text("Có cơ sở")
    desk.get_by_label("Trả lời người phản ánh (công khai)").fill(
        "Sở Y tế cảm ơn ông/bà. Phản ánh là đúng; cán bộ đã được nhắc nhở và hồ sơ của ông/bà "
        "đã được tiếp nhận."
    )
    desk.get_by_role("button", name="Trả lời người phản ánh").click()
    expect(desk.locator("#report-status")).to_have_text("Đã trả lời")

    citizen.reload()
    expect(citizen.locator("#status")).to_have_text("Đã trả lời")
    expect(citizen.locator("#public-answer")).to_contain_text("cán bộ đã được nhắc nhở")
    expect(citizen.locator("main")).not_to_contain_text("không đúng quy định")  # internal finding
