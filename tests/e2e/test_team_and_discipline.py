"""In Chromium: the manager's bulk review on the team page (with and without JavaScript) and
the discipline register (record a decision from the staff page, search, revoke)."""

import pytest
from playwright.sync_api import Page, expect

from congvu.discipline.models import DisciplineRecord
from congvu.evaluations import services
from congvu.evaluations.models import Evaluation
from congvu.evaluations.tests import factories as f
from congvu.testing import make_staff, make_user
from tests.e2e.conftest import login, menu_link, open_menu

pytestmark = pytest.mark.e2e


@pytest.fixture
def team(province, tmp_path):
    """Sở Y tế: An and Bình submitted, Cường still drafting; all reviewed by gd_syt."""
    version = f.load(tmp_path, f.individual_doc())
    syt = province.units["syt"]
    binh = make_user("cb_binh", make_staff(syt, "Lý", "Thị", "Bình"))
    make_user("cb_cuong", make_staff(syt, "Hồ", "Văn", "Cường"))
    cycle = f.cycle(province["head_syt"], version, syt)
    for user, task in ((province["staff"], 65), (binh, 50)):
        evaluation = f.evaluation_of(cycle, user.staff)
        f.self_assess_all(user, evaluation, task=task)
        services.submit(actor=user, evaluation=evaluation)
    return cycle


def state_of(cycle, name: str) -> str:
    return Evaluation.objects.get(cycle=cycle, staff__ten=name).state


def test_the_manager_accepts_two_self_assessments_at_once(page: Page, site, team):
    login(page, site, "gd_syt")
    open_menu(page)
    menu_link(page, "Đánh giá cán bộ").click()
    table = page.locator(f"#team-{team.pk}")
    expect(table).to_contain_text("95,00")
    expect(page.locator(".select-all")).to_be_visible()  # shown by JavaScript

    # Returning needs a comment: nothing changes, the choice stays ticked.
    page.get_by_label("Chọn Nguyễn Văn An").check()
    page.get_by_role("button", name="Trả lại để tự đánh giá lại").click()
    expect(page.locator("#form-errors")).to_contain_text("Cần ghi ý kiến khi trả lại")
    expect(page.get_by_label("Chọn Nguyễn Văn An")).to_be_checked()
    assert state_of(team, "An") == "submitted"

    page.get_by_label("Chọn Lý Thị Bình").check()
    page.get_by_label("Ý kiến (bắt buộc khi trả lại)").fill("Đồng ý với bản tự đánh giá")
    page.get_by_role("button", name="Đồng ý điểm tự chấm, hoàn thành nhận xét").click()
    expect(page.locator("main")).to_contain_text("Đã hoàn thành nhận xét 2 phiếu")
    row = page.locator("tr", has_text="Nguyễn Văn An")
    expect(row).to_contain_text("Chờ hội đồng kết luận")
    expect(row).to_contain_text("Hoàn thành xuất sắc")
    assert (state_of(team, "An"), state_of(team, "Bình")) == ("reviewed", "reviewed")

    page.get_by_label("Chọn Hồ Văn Cường").check()
    page.get_by_role("button", name="Nhắc người chưa nộp").click()
    expect(page.locator("main")).to_contain_text("Đã gửi nhắc việc cho 1 người")


@pytest.mark.viewport(360)
def test_the_team_form_works_without_javascript(new_page, site, team):
    page = new_page(javascript=False)
    login(page, site, "gd_syt")
    page.goto(f"{site}/danh-gia/can-bo/")
    expect(page.locator(".select-all")).to_be_hidden()
    page.get_by_label("Chọn Nguyễn Văn An").check()
    page.get_by_label("Ý kiến (bắt buộc khi trả lại)").fill("Bổ sung minh chứng học tập")
    page.get_by_role("button", name="Trả lại để tự đánh giá lại").click()
    expect(page.locator("main")).to_contain_text("Đã trả lại 1 phiếu")
    assert (state_of(team, "An"), state_of(team, "Bình")) == ("draft", "submitted")


def test_the_discipline_register_from_the_staff_page(page: Page, site, province):
    an = province.staff["syt_cc"]
    login(page, site, "gd_syt")
    page.goto(f"{site}/to-chuc/can-bo/{an.pk}/")
    expect(page.locator("#staff-discipline")).to_contain_text("0 quyết định kỷ luật")
    page.get_by_role("link", name="Ghi nhận quyết định kỷ luật").click()

    form = page.locator("#decision-form")
    expect(form).to_contain_text("Nghị định 172/2025/NĐ-CP")
    form.get_by_label("Hình thức kỷ luật").select_option(
        label="Hạ bậc lương (chỉ trước 01/07/2025)"
    )
    form.get_by_label("Số quyết định").fill("20/QĐ-SYT")
    form.get_by_label("Ngày quyết định").fill("10/11/2026")
    form.get_by_label("Cơ quan, người ra quyết định").fill("Giám đốc Sở Y tế")
    form.get_by_label("Có hiệu lực từ ngày").fill("10/11/2026")
    form.get_by_label("Hành vi vi phạm").fill("Gây phiền hà cho người dân khi giải quyết thủ tục")
    form.get_by_role("button", name="Ghi nhận").click()
    expect(page.locator("#form-errors")).to_contain_text("không áp dụng cho công chức")
    assert not DisciplineRecord.objects.exists()

    page.get_by_label("Hình thức kỷ luật").select_option(label="Khiển trách")
    page.get_by_role("button", name="Ghi nhận").click()
    expect(page.locator("main")).to_contain_text("Đã ghi nhận quyết định kỷ luật")
    expect(page.locator("#record-status")).to_have_text("Đang có hiệu lực")
    expect(page.locator("main")).to_contain_text("10/11/2027")  # 12 months [U]

    open_menu(page)
    menu_link(page, "Sổ kỷ luật").click()
    page.get_by_label("Tìm theo tên, mã cán bộ hoặc số quyết định").fill("nguyen van an")
    page.get_by_role("button", name="Lọc").click()
    expect(page.locator("#discipline-count")).to_have_text("1 quyết định")
    page.get_by_label("Tìm theo tên, mã cán bộ hoặc số quyết định").fill("le van duc")
    page.get_by_role("button", name="Lọc").click()
    expect(page.locator("#discipline-count")).to_have_text("0 quyết định")
    page.get_by_label("Tìm theo tên, mã cán bộ hoặc số quyết định").fill("")
    page.get_by_role("button", name="Lọc").click()
    page.get_by_role("link", name="Nguyễn Văn An").click()

    page.get_by_label("Lý do hủy bỏ").fill("Hủy theo kết quả giải quyết khiếu nại")
    page.get_by_role("button", name="Hủy bỏ quyết định").click()
    expect(page.locator("#record-status")).to_have_text("Đã hủy bỏ")
    expect(page.locator("#revoke-reason")).to_contain_text("khiếu nại")
    assert DisciplineRecord.objects.get().revoked_at is not None
