"""Issue 3 in a real browser: Sở Nội vụ creates a cycle (a bad form first: nothing created)
and opens it; a unit's own assessment goes from its head to Sở Nội vụ and back published."""

from decimal import Decimal

import pytest
from playwright.sync_api import Page, expect

from congvu.evaluations.models import Evaluation, EvaluationCycle
from congvu.evaluations.tests import factories as f
from tests.e2e.conftest import login, menu_link, open_menu

pytestmark = pytest.mark.e2e


def test_so_noi_vu_creates_and_opens_a_cycle(page: Page, site, province, tmp_path):
    version = f.load(tmp_path, f.individual_doc())
    login(page, site, "sonoivu")
    open_menu(page)
    menu_link(page, "Kỳ đánh giá").click()
    expect(page.locator("#cycles")).to_contain_text("Chưa có kỳ đánh giá nào.")
    page.get_by_role("link", name="Tạo kỳ đánh giá").click()

    page.get_by_label("Tên kỳ đánh giá").fill("Đánh giá, xếp loại năm 2026 — Sở Y tế")
    page.get_by_label("Bộ tiêu chí").select_option(str(version.pk))
    page.get_by_label("Đơn vị", exact=True).select_option(str(province.units["syt"].pk))
    page.get_by_label("Hạn tự đánh giá").fill("10/12/2026")
    page.get_by_label("Hạn nhận xét của người quản lý").fill("05/12/2026")  # before the first
    page.get_by_label("Hạn kết luận của hội đồng").fill("20/12/2026")
    page.get_by_role("button", name="Tạo kỳ đánh giá").click()
    expect(page.locator("#form-errors")).to_contain_text("Các hạn phải theo thứ tự")
    assert not EvaluationCycle.objects.exists()

    page.get_by_label("Hạn nhận xét của người quản lý").fill("15/12/2026")
    page.get_by_role("button", name="Tạo kỳ đánh giá").click()
    expect(page.locator("main")).to_contain_text("Đã tạo kỳ đánh giá với 3 phiếu")
    expect(page.locator("#cycle-status")).to_have_text("Đang chuẩn bị")
    expect(page.locator("#cycle-total")).to_have_text("3")
    page.get_by_role("button", name="Mở kỳ đánh giá").click()
    expect(page.locator("#cycle-status")).to_have_text("Đang đánh giá")
    expect(page.locator("#cycle-links")).to_contain_text("Tiến độ từng đơn vị")
    cycle = EvaluationCycle.objects.get()
    assert (cycle.status, cycle.root_unit, cycle.evaluations.count()) == (
        "open",
        province.units["syt"],
        3,
    )

    page.get_by_role("link", name="Kỳ đánh giá", exact=True).first.click()
    expect(page.locator("#cycles")).to_contain_text("Đánh giá, xếp loại năm 2026 — Sở Y tế")


def test_a_units_own_assessment_from_its_head_to_so_noi_vu_and_back(
    new_page, site, province, tmp_path
):
    version = f.load(tmp_path, f.collective_doc())
    cycle = f.cycle(
        province["snv"],
        version,
        province.units["syt"],
        subject="collective",
        culture_points=Decimal(100),
    )
    own = Evaluation.objects.get(cycle=cycle, unit=province.units["syt"])

    head = new_page()
    login(head, site, "gd_syt")
    open_menu(head)
    menu_link(head, "Đánh giá của tôi").click()
    head.get_by_role("link", name=cycle.title).click()
    evidence = tmp_path / "bien-ban-kiem-tra.pdf"
    evidence.write_bytes(f.PDF)
    head.locator("#tieu_chi").select_option("thu-tap-the.a.1")
    head.locator("#tep").set_input_files(evidence)
    head.locator("#evidence-upload").get_by_role("button", name="Tải lên").click()
    expect(head.locator("#criteria")).to_contain_text("bien-ban-kiem-tra.pdf")
    scores = head.locator("#criteria input[type=number]")
    scores.nth(0).fill("9")
    scores.nth(1).fill("8")
    head.locator("#nhan_xet").fill("Trụ sở xanh, sạch; niêm yết đủ thủ tục")
    head.get_by_role("button", name="Nộp bản tự đánh giá").click()
    expect(head.locator("#evaluation-state")).to_have_text("Chờ người quản lý trực tiếp nhận xét")

    officer = new_page()
    login(officer, site, "sonoivu")
    open_menu(officer)
    menu_link(officer, "Đánh giá tập thể").click()
    expect(officer.locator("#collective-evaluations")).to_contain_text("Bệnh viện Đa khoa tỉnh")
    officer.locator("#collective-evaluations").get_by_role("link", name="Sở Y tế").click()
    officer.locator("#criteria input[type=number]").nth(0).fill("7")
    officer.get_by_role("button", name="Hoàn thành nhận xét, đánh giá").click()
    expect(officer.locator("#form-errors")).to_contain_text("cần ghi lý do")
    officer.locator("#criteria input[type=number]").nth(0).fill("7")
    officer.locator("#criteria textarea").nth(0).fill("Còn hai thủ tục chưa niêm yết")
    officer.get_by_role("button", name="Hoàn thành nhận xét, đánh giá").click()
    expect(officer.locator("#evaluation-state")).to_have_text("Chờ hội đồng kết luận")
    officer.locator("#muc").select_option("HTT")
    officer.locator("#y_kien").fill("Sở Nội vụ thẩm định: đạt")
    officer.get_by_role("button", name="Kết luận").click()
    expect(officer.locator("#final-level")).to_have_text("Hoàn thành tốt nhiệm vụ")
    officer.get_by_role("button", name="Công bố kết quả").click()
    expect(officer.locator("#evaluation-state")).to_have_text("Đã công bố")
    expect(officer.locator("#reopen")).to_be_visible()

    head.reload()
    expect(head.locator("#result")).to_contain_text("Hoàn thành tốt nhiệm vụ")
    expect(head.locator("#history")).to_contain_text("Còn hai thủ tục chưa niêm yết")
    own.refresh_from_db()
    assert (own.state, own.final_level, own.final_score) == ("published", "HTT", Decimal("75.00"))
