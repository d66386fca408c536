"""Exports as background jobs (core.jobs): the staff list's and the reports handling list's
"Xuất Excel" start a job, the job page shows its progress and then a download link; another
login cannot open it. Chromium at 1280 and 360 px (screenshots in var/screenshots/)."""

import os

import openpyxl
import pytest
from playwright.sync_api import Page, expect

from congvu.core.jobs import jobs_dir
from congvu.core.models import Job, JobStatus
from tests.e2e.conftest import SCREENSHOTS, login

pytestmark = pytest.mark.e2e


def test_an_officer_exports_the_staff_list_and_downloads_the_file(
    new_page, site, province, settings, tmp_path, browser_watch
):
    settings.MEDIA_ROOT = tmp_path
    page: Page = new_page()
    login(page, site, "gd_syt")
    page.goto(f"{site}/to-chuc/can-bo/?don_vi=KHA-SYT")
    expect(page.locator("#staff-table")).to_contain_text("Nguyễn Văn An")
    page.get_by_role("button", name="Xuất Excel").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Xuất Excel: Danh sách cán bộ, công chức, viên chức"
    )
    expect(page.locator("#job-status")).to_contain_text("Hoàn thành")
    expect(page.locator("main")).to_contain_text("KHA-SYT")
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Tải tệp Excel (.xlsx)").click()
    job = Job.objects.get()
    assert download_info.value.suggested_filename == f"can-bo-{job.pk}.xlsx"
    saved = tmp_path / "can-bo.xlsx"
    download_info.value.save_as(saved)
    rows = list(openpyxl.load_workbook(saved).active.values)
    assert rows[0][:4] == ("Mã CB", "Họ", "Đệm", "Tên")
    assert sorted(" ".join(r[1:4]) for r in rows[1:]) == [
        "Lê Văn Đức",
        "Nguyễn Văn An",
        "Trần Thị Bích",
    ]

    page.get_by_role("link", name="Tệp đã xuất").first.click()
    expect(page.locator("#job-table")).to_contain_text("Danh sách cán bộ, công chức, viên chức")
    expect(page.locator("#job-table")).to_contain_text("Đơn vị: KHA-SYT")

    other: Page = new_page()
    browser_watch.allow(r"status of 404")
    login(other, site, "gd_stp")
    response = other.goto(f"{site}/tep-xuat/{job.pk}/tai-ve/")
    assert response is not None and response.status == 404


def test_the_job_page_shows_the_progress_bar_while_the_file_is_made(
    new_page, site, province, settings, tmp_path
):
    """A job halfway through (as the worker leaves it between two progress updates): the bar,
    the figures, then the download link once the worker finishes, without reloading."""
    settings.MEDIA_ROOT = tmp_path
    job = Job.objects.create(
        kind="organisations.staff",
        created_by=province.users["snv"],
        status=JobStatus.RUNNING,
        total=50_000,
        done=21_000,
        parameters={"q": "nguyen", "don_vi": ""},
    )
    page: Page = new_page()
    login(page, site, "sonoivu")
    page.goto(f"{site}/tep-xuat/{job.pk}/")
    expect(page.locator("#job-progress")).to_have_attribute("value", "42")
    expect(page.locator("#job-status")).to_contain_text("Tiến độ: 42% (21000/50000 dòng)")
    expect(page.locator("main")).to_contain_text("Tìm nguyen")
    page.screenshot(path=SCREENSHOTS / f"{_name()}-progress.png", full_page=True)
    (jobs_dir() / "ab12.xlsx").write_bytes(b"PK")
    Job.objects.filter(pk=job.pk).update(status=JobStatus.DONE, done=50_000, file_name="ab12.xlsx")
    expect(page.get_by_role("link", name="Tải tệp Excel (.xlsx)")).to_be_visible()
    expect(page.locator("#job-progress")).to_have_count(0)


def _name() -> str:
    """This test's screenshot prefix, as the conftest names them (test-width)."""
    current = os.environ["PYTEST_CURRENT_TEST"].split("::")[-1].split(" ")[0]
    name, width = current.split("[")
    return f"{name}-{width.rstrip(']').removesuffix('px')}"


def test_a_handler_exports_the_filtered_reports_and_the_file_names_no_reporter(
    new_page, site, province, settings, tmp_path
):
    """The handling list's "Xuất Excel" posts the list's filter and starts a job; the file
    holds the filtered reports and never who reported."""
    from congvu.feedback import services as reports
    from congvu.feedback.rules import tracking_code_display
    from congvu.feedback.tests.conftest import REPORTER, file_report

    settings.MEDIA_ROOT = tmp_path
    fresh = file_report("KHA-SYT", description="Cán bộ quầy 3 bắt đi lại ba lần.")
    verified = file_report("KHA-STP")
    reports.report_move(actor=province.users["snv"], report=verified, move="verify")
    page: Page = new_page()
    login(page, site, "sonoivu")
    page.goto(f"{site}/xu-ly-phan-anh/?trang_thai=received")
    expect(page.locator("#report-count")).to_have_text("1 phản ánh")
    page.get_by_role("button", name="Xuất Excel").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Xuất Excel: Danh sách phản ánh, kiến nghị"
    )
    expect(page.locator("#job-status")).to_contain_text("Hoàn thành")
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Tải tệp Excel (.xlsx)").click()
    job = Job.objects.get()
    assert job.kind == "feedback.handling" and job.parameters["trang_thai"] == "received"
    assert download_info.value.suggested_filename == f"phan-anh-{job.pk}.xlsx"
    saved = tmp_path / "phan-anh.xlsx"
    download_info.value.save_as(saved)
    rows = list(openpyxl.load_workbook(saved).active.values)
    assert rows[0][:2] == ("Mã theo dõi", "Đơn vị")
    assert [r[0] for r in rows[1:]] == [tracking_code_display(fresh.code)]
    text = " ".join(str(v) for row in rows for v in row if v is not None)
    assert REPORTER["name"] not in text and REPORTER["email"] not in text
    page.get_by_role("link", name="← Quay lại danh sách").click()
    expect(page.locator("#report-count")).to_have_text("1 phản ánh")
