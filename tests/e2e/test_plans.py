"""In Chromium: Sở Nội vụ opens the seed-000-like plan, sees the progress matrix and downloads
the plan as Word; Sở Y tế's head records progress on a task and sees its status change. Both
pages fit a 360 px phone (the matrix scrolls inside its own box)."""

from datetime import date

import pytest
from docx import Document
from playwright.sync_api import Page, expect

from congvu.core.actors import SYSTEM
from congvu.plans import services
from congvu.plans.models import ProgressEntry
from congvu.plans.tests.factories import make_plan
from tests.e2e.conftest import login, menu_link
from tests.e2e.test_layout import assert_fits as _assert_fits

pytestmark = pytest.mark.e2e


def assert_fits(page: Page) -> None:
    """After the stylesheets: before them the matrix's scroll box does not scroll yet."""
    page.wait_for_load_state("load")
    _assert_fits(page)


@pytest.fixture
def plan(province):
    u = province.units
    made = make_plan(province)
    services.plan_assign(
        actor=SYSTEM, plan=made, units=[u["syt"], u["stp"], u["snv"]], day=date(2019, 7, 12)
    )
    return made


def test_sở_nội_vụ_opens_the_plan_sees_the_matrix_and_downloads_it(
    page: Page, site, plan, tmp_path
):
    login(page, site, "sonoivu")
    menu_link(page, "Kế hoạch").click()
    page.get_by_role("link", name="6861/KH-UBND").click()
    expect(page.locator("h1")).to_contain_text("Kế hoạch triển khai Đề án văn hóa công vụ")
    matrix = page.locator("#plan-matrix")
    expect(matrix).to_contain_text("Sở Y tế")
    expect(matrix).to_contain_text("Sở Tư pháp")
    expect(matrix.locator(".status-late").first).to_be_visible()
    expect(page.locator("#plan-legend")).to_contain_text("Hoàn thành trễ hạn")
    assert_fits(page)
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Tải kế hoạch (.docx)").click()
    assert download_info.value.suggested_filename == "ke-hoach-6861-kh-ubnd.docx"
    saved = tmp_path / "ke-hoach.docx"
    download_info.value.save_as(saved)
    text = "\n".join(p.text for p in Document(str(saved)).paragraphs)
    assert "Kế hoạch triển khai Đề án văn hóa công vụ" in text


def test_a_unit_head_records_progress_and_sees_the_status_change(page: Page, site, plan):
    login(page, site, "gd_syt")
    menu_link(page, "Nhiệm vụ của đơn vị tôi").click()
    expect(page.locator("h1")).to_contain_text("Nhiệm vụ của Sở Y tế")
    task = plan.tasks.get(number="II.2")
    card = page.locator(f"#task-{task.pk}")
    expect(card.locator(".status")).to_have_text("Quá hạn")
    assert_fits(page)
    card.locator("summary", has_text="Ghi tiến độ").click()
    card.get_by_label("Tình trạng").select_option("done")
    card.get_by_label("Kết quả thực hiện").fill("Đã rà soát 4 nội quy, quy chế")
    card.get_by_label("Tên số liệu 1").fill("Văn bản rà soát")
    card.get_by_label("Số liệu 1", exact=True).fill("4")
    assert_fits(page)
    card.get_by_role("button", name="Ghi tiến độ").click()
    expect(page.locator("main")).to_contain_text("Đã ghi tiến độ nhiệm vụ II.2.")
    card = page.locator(f"#task-{task.pk}")
    expect(card.locator(".status")).to_have_text("Hoàn thành trễ hạn")
    expect(card).to_contain_text("1 lần ghi tiến độ")
    assert ProgressEntry.objects.get(task=task).quantities == {"Văn bản rà soát": 4}
    assert_fits(page)


def test_every_plans_page_fits_the_screen(page: Page, site, province, plan):
    from congvu.plans import reporting
    from congvu.plans.models import ExplanationRequest, Task

    report = reporting.report_start(
        actor=province.users["head_syt"], plan=plan, unit=province.units["syt"], year=2026
    )
    asked = reporting.explanation_ask(
        actor=province.users["snv"],
        task=Task.objects.get(plan=plan, number="II.2"),
        unit=province.units["syt"],
        question="Vì sao chưa rà soát nội quy, quy chế của đơn vị?",
    )
    assert ExplanationRequest.objects.filter(pk=asked.pk).exists()
    figure = report.content["figures"][0]["key"]
    login(page, site, "sonoivu")
    for path in (
        "/ke-hoach/bao-cao-dinh-ky/",
        f"/ke-hoach/bao-cao-dinh-ky/{report.pk}/",
        f"/ke-hoach/bao-cao-dinh-ky/{report.pk}/so-lieu/{figure}/",
        f"/ke-hoach/{plan.pk}/bao-cao-nam/2026/",
        f"/ke-hoach/{plan.pk}/bao-cao-nam/2026/?loc=tre",
        "/ke-hoach/mau-bao-cao/",
        "/ke-hoach/giai-trinh/",
        f"/ke-hoach/giai-trinh/{asked.pk}/",
        "/ke-hoach/",
        "/ke-hoach/?q=van+hoa",
        "/ke-hoach/van-ban/?loai=ke_hoach",
        f"/ke-hoach/{plan.pk}/?ngay=30/06/2020",
        f"/ke-hoach/don-vi/{province.units['stp'].pk}/",
        "/ke-hoach/cua-toi/",
    ):
        response = page.goto(site + path)
        assert response is not None and response.status == 200, path
        expect(page.locator("h1").first).to_be_visible()
        assert_fits(page)


def test_the_reporting_cycle_from_assignment_to_the_consolidated_report(
    new_page, site, province, settings, tmp_path
):
    """Sở Nội vụ assigns the seed 000 plan; Sở Y tế records progress with evidence and sends
    its 15/11 report; Sở Nội vụ returns it with a comment; the unit fixes and sends again;
    Sở Nội vụ accepts it and downloads the consolidated report as .docx."""
    settings.MEDIA_ROOT = tmp_path
    plan = make_plan(province)
    snv: Page = new_page()
    login(snv, site, "sonoivu")
    snv.goto(f"{site}/ke-hoach/{plan.pk}/")
    form = snv.locator("#plan-assign-form")
    form.get_by_label("Đơn vị được giao").select_option(
        [str(province.units["syt"].pk), str(province.units["stp"].pk)]
    )
    form.get_by_label("Ngày giao").fill("12/07/2019")
    assert_fits(snv)
    form.get_by_role("button", name="Giao kế hoạch").click()
    expect(snv.locator("#plan-units")).to_contain_text("Sở Y tế")

    unit: Page = new_page()
    login(unit, site, "gd_syt")
    menu_link(unit, "Nhiệm vụ của đơn vị tôi").click()
    task = plan.tasks.get(number="II.1")
    card = unit.locator(f"#task-{task.pk}")
    card.locator("summary", has_text="Ghi tiến độ").click()
    card.get_by_label("Kết quả thực hiện").fill("Tập huấn cho 40 công chức")
    evidence = tmp_path / "danh-sach-tap-huan.pdf"
    evidence.write_bytes(b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n")
    card.get_by_label("Tệp minh chứng").set_input_files(str(evidence))
    card.get_by_role("button", name="Ghi tiến độ").click()
    expect(unit.locator("main")).to_contain_text("Đã ghi tiến độ nhiệm vụ II.1.")
    card = unit.locator(f"#task-{task.pk}")
    card.locator("summary", has_text="lần ghi tiến độ").click()
    expect(card.locator(".evidence-link")).to_contain_text("danh-sach-tap-huan.pdf")
    assert_fits(unit)

    unit.get_by_role("button", name="Báo cáo năm 2026").click()
    expect(unit.locator("h1")).to_contain_text("Báo cáo năm 2026 — Sở Y tế")
    expect(unit.locator("#part-tasks")).to_contain_text("Tập huấn cho 40 công chức")
    unit.wait_for_load_state("load")  # htmx (deferred) listens from DOMContentLoaded on
    unit.wait_for_function("() => window.htmx !== undefined")
    unit.locator("#text-de-xuat-kien-nghi, #text-proposals").first.fill("Đề nghị bố trí kinh phí")
    expect(unit.locator("#report-saved")).to_contain_text("Đã tự lưu")  # the autosave
    assert_fits(unit)
    unit.get_by_role("button", name="Gửi báo cáo").click()
    expect(unit.locator("#report-state")).to_contain_text("Đã gửi, chờ Sở Nội vụ")

    snv.get_by_role("link", name="Tình hình báo cáo năm 2026").click()
    board = snv.locator("#board")
    expect(board.locator("tr[data-unit='KHA-SYT']")).to_contain_text("Đã gửi, chờ Sở Nội vụ")
    expect(board.locator("tr[data-unit='KHA-STP']")).to_contain_text("Chưa bắt đầu")
    assert_fits(snv)
    board.get_by_role("link", name="Sở Y tế").click()
    snv.get_by_label("Ý kiến").fill("Bổ sung số liệu tập huấn theo từng quý")
    assert_fits(snv)
    snv.get_by_role("button", name="Trả lại báo cáo").click()
    expect(snv.locator("#report-state")).to_contain_text("Bị trả lại để sửa")

    unit.reload()
    expect(unit.locator("#report-returned")).to_contain_text("Bổ sung số liệu tập huấn")
    unit.locator("#text-ket-qua-noi-bat-mo-hinh-hay-cach-lam-moi, #text-results").first.fill(
        "Quý III: 25 người; quý IV: 15 người"
    )
    unit.get_by_role("button", name="Lưu").click()
    expect(unit.locator("main")).to_contain_text("Đã lưu báo cáo.")
    unit.get_by_role("button", name="Gửi báo cáo").click()
    expect(unit.locator("#report-versions li")).to_have_count(3)

    snv.reload()
    snv.get_by_role("button", name="Chấp nhận báo cáo").click()
    expect(snv.locator("#report-state")).to_contain_text("Đã được chấp nhận")
    snv.get_by_role("link", name="Tình hình báo cáo").click()
    snv.get_by_role("button", name="Lập báo cáo tổng hợp (.docx)").click()
    expect(snv.locator("#job-status")).to_contain_text("Hoàn thành")
    assert_fits(snv)
    with snv.expect_download() as download_info:
        snv.locator("main a[href$='/tai-ve/']").first.click()
    saved = tmp_path / "tong-hop.docx"
    download_info.value.save_as(saved)
    opened = Document(str(saved))
    cells = "\n".join(c.text for t in opened.tables for r in t.rows for c in r.cells)
    assert "Sở Y tế" in cells and "Sở Tư pháp" in cells and "Tổng cộng: 2 đơn vị" in cells
    text = "\n".join(p.text for p in opened.paragraphs)
    assert "1 báo cáo được chấp nhận" in text
