"""The periodic report pages: a unit starts its report from its obligations, saves it (the
autosave answers with a line, a plain POST redirects), sends it; Sở Nội vụ sees it on the
board, returns it with a comment, the unit fixes and sends again, Sở Nội vụ accepts; the
consolidated report starts a job. Another unit sees none of it (404), in pages and files.
Templates, evidence files and requests to explain, each through its page."""

import io
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from docx import Document
from openpyxl import load_workbook

from congvu.core.actors import SYSTEM
from congvu.core.models import Job
from congvu.plans import rules, services
from congvu.plans.models import (
    ExplanationRequest,
    PeriodicReport,
    ProgressEntry,
    ProgressEvidence,
    ReportTemplate,
    Task,
)
from congvu.plans.tests.factories import make_plan

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def plan(province):
    u = province.units
    made = make_plan(province)
    services.plan_assign(actor=SYSTEM, plan=made, units=[u["syt"], u["stp"]], day=date(2019, 7, 12))
    return made


def _as(client, province, persona: str):
    client.force_login(province.users[persona])
    return client


def _start(client, province, plan, unit: str = "syt") -> PeriodicReport:
    url = reverse(
        "plans:report_start",
        kwargs={"pk": plan.pk, "unit_id": province.units[unit].pk, "year": 2026},
    )
    response = client.post(url)
    assert response.status_code == 302
    return PeriodicReport.objects.get(plan=plan, unit=province.units[unit], year=2026)


def test_the_whole_cycle_through_the_pages(client, province, plan):
    c = _as(client, province, "head_syt")
    report = _start(c, province, plan)
    detail = reverse("plans:report_detail", args=[report.pk])
    page = c.get(detail).content.decode()
    assert "Kết quả nổi bật, mô hình hay, cách làm mới" in page and 'hx-post="' in page
    saved = c.post(
        detail, {"proposals": "Tăng kinh phí", "task:II.1": "Đã tập huấn"}, HTTP_HX_REQUEST="true"
    )
    assert saved.status_code == 200 and "Đã tự lưu" in saved.content.decode()
    report.refresh_from_db()
    assert report.content["proposals"] == "Tăng kinh phí"
    assert (
        next(t for t in report.content["tasks"] if t["number"] == "II.1")["text"] == "Đã tập huấn"
    )
    assert c.post(detail, {"results": "Làm tốt"}).status_code == 302  # without HTMX: redirect
    move = reverse("plans:report_move", args=[report.pk])
    assert c.post(move, {"move": rules.SUBMIT}).status_code == 302
    report.refresh_from_db()
    assert report.status == rules.SUBMITTED
    # sent: no more editing, the page shows no form
    assert c.post(detail, {"results": "Sửa"}, HTTP_HX_REQUEST="true").status_code == 409
    assert 'hx-post="' not in c.get(detail).content.decode()

    s = _as(client, province, "snv")
    board = s.get(reverse("plans:cycle_board", args=[plan.pk, 2026])).content.decode()
    assert province.units["syt"].name in board and province.units["stp"].name in board
    filtered = s.get(reverse("plans:cycle_board", args=[plan.pk, 2026]), {"loc": "submitted"})
    assert province.units["stp"].name not in filtered.content.decode().split('id="board"')[1]
    refused = s.post(move, {"move": rules.RETURN, "comment": ""})
    assert refused.status_code == 400 and "Cần ghi ý kiến" in refused.content.decode()
    assert s.post(move, {"move": rules.RETURN, "comment": "Bổ sung số liệu"}).status_code == 302

    c = _as(client, province, "head_syt")
    page = c.get(detail).content.decode()
    assert "Bổ sung số liệu" in page and 'hx-post="' in page
    c.post(detail, {"results": "Đã bổ sung"})
    c.post(move, {"move": rules.SUBMIT})
    s = _as(client, province, "snv")
    assert s.post(move, {"move": rules.ACCEPT}).status_code == 302
    report.refresh_from_db()
    assert report.status == rules.ACCEPTED
    assert [v.move for v in report.versions.order_by("number")] == [
        rules.SUBMIT,
        rules.RETURN,
        rules.SUBMIT,
        rules.ACCEPT,
    ]
    assert report.versions.get(number=1).content["results"] == "Làm tốt"  # history kept
    started = s.post(reverse("plans:consolidated_start", args=[plan.pk, 2026]))
    job = Job.objects.get()
    assert started.status_code == 302 and started.url == reverse("jobs:detail", args=[job.pk])
    assert job.parameters["year"] == 2026
    sheet = s.get(reverse("plans:cycle_board_xlsx", args=[plan.pk, 2026]))
    rows = list(load_workbook(io.BytesIO(sheet.content)).active.iter_rows(values_only=True))
    assert rows[1][:3] == ("STT", "Đơn vị", "Trạng thái báo cáo")


def test_another_unit_sees_nothing_of_a_report(client, province, plan):
    report = _start(_as(client, province, "head_syt"), province, plan)
    other = _as(client, province, "head_stp")
    for name in ("report_detail", "report_docx"):
        assert other.get(reverse(f"plans:{name}", args=[report.pk])).status_code == 404
    assert (
        other.post(reverse("plans:report_move", args=[report.pk]), {"move": "submit"}).status_code
        == 404
    )
    key = report.content["figures"][0]["key"]
    assert other.get(reverse("plans:report_figure", args=[report.pk, key])).status_code == 404
    assert "Sở Y tế" not in other.get(reverse("plans:report_list")).content.decode()
    # nor start one in its name
    url = reverse(
        "plans:report_start",
        kwargs={"pk": plan.pk, "unit_id": province.units["syt"].pk, "year": 2026},
    )
    assert other.post(url).status_code == 404
    assert other.post(reverse("plans:report_refresh", args=[report.pk])).status_code == 404


def test_the_report_downloads_as_word_and_figures_link_to_their_rows(client, province, plan):
    c = _as(client, province, "head_syt")
    report = _start(c, province, plan)
    docx = c.get(reverse("plans:report_docx", args=[report.pk]))
    assert docx.status_code == 200
    texts = [p.text for p in Document(io.BytesIO(docx.content)).paragraphs]
    assert "1. Kết quả thực hiện các nhiệm vụ của kế hoạch" in texts
    figure = report.content["figures"][0]
    page = c.get(reverse("plans:report_figure", args=[report.pk, figure["key"]]))
    assert (
        page.status_code == 200 and f"<strong>{figure['value']}</strong>" in page.content.decode()
    )
    assert c.get(reverse("plans:report_figure", args=[report.pk, "khong-co"])).status_code == 404


def test_a_template_is_written_chosen_and_used(client, province, plan):
    s = _as(client, province, "snv")
    bad = s.post(reverse("plans:template_list"), {"name": "Mẫu 1", "text": "Bảng: x\nĐoạn văn:"})
    assert bad.status_code == 400 and "Dòng 1" in bad.content.decode()
    assert not ReportTemplate.objects.exists()
    text = "Bảng nhiệm vụ: Kết quả\nđoan van: Bài học kinh nghiệm | Ngắn gọn"
    assert (
        s.post(reverse("plans:template_list"), {"name": "Mẫu 1", "text": text}).status_code == 302
    )
    template = ReportTemplate.objects.get()
    assert [p.key for p in template.parts()] == ["tasks", "bai-hoc-kinh-nghiem"]
    chosen = s.post(reverse("plans:plan_template", args=[plan.pk]), {"template": template.pk})
    assert chosen.status_code == 302
    plan.refresh_from_db()
    assert plan.report_template == template
    c = _as(client, province, "head_syt")
    assert c.post(reverse("plans:template_list"), {"name": "X", "text": text}).status_code == 404
    report = _start(c, province, plan)
    page = c.get(reverse("plans:report_detail", args=[report.pk])).content.decode()
    assert "Bài học kinh nghiệm" in page and "Khó khăn, vướng mắc" not in page
    c.post(reverse("plans:report_detail", args=[report.pk]), {"bai-hoc-kinh-nghiem": "Cần sớm"})
    report.refresh_from_db()
    assert report.content["bai-hoc-kinh-nghiem"] == "Cần sớm"
    # a later change of the template leaves the report's parts as they were
    s = _as(client, province, "snv")
    s.post(
        reverse("plans:template_detail", args=[template.pk]),
        {"name": "Mẫu 1", "text": "Đoạn văn: Khác"},
    )
    report.refresh_from_db()
    assert [p["key"] for p in report.content["template"]] == ["tasks", "bai-hoc-kinh-nghiem"]


def test_progress_with_evidence_and_more_evidence_later(client, province, plan, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    c = _as(client, province, "head_syt")
    task = Task.objects.get(plan=plan, number="II.1")
    url = reverse(
        "plans:progress_create", kwargs={"unit_id": province.units["syt"].pk, "task_pk": task.pk}
    )
    data = {
        f"t{task.pk}-on": "02/04/2026",
        f"t{task.pk}-state": "in_progress",
        f"t{task.pk}-text": "Tập huấn 40 người",
        f"t{task.pk}-evidence": SimpleUploadedFile("ke hoach.pdf", PDF, "application/pdf"),
    }
    assert c.post(url, data).status_code == 302
    entry = ProgressEntry.objects.get()
    evidence = ProgressEvidence.objects.get(entry=entry)
    assert c.get(reverse("plans:evidence_download", args=[evidence.pk])).status_code == 200
    bad = {
        f"t{task.pk}-on": "03/04/2026",
        f"t{task.pk}-state": "in_progress",
        f"t{task.pk}-text": "Lần hai",
        f"t{task.pk}-evidence": SimpleUploadedFile(
            "x.exe", b"MZ\x90\x00", "application/x-msdownload"
        ),
    }
    assert c.post(url, bad).status_code == 400
    assert ProgressEntry.objects.count() == 1  # the entry and its file: both or neither
    more = SimpleUploadedFile("anh.pdf", PDF, "application/pdf")
    assert c.post(reverse("plans:evidence_add", args=[entry.pk]), {"file": more}).status_code == 302
    assert entry.evidence.count() == 2
    page = c.get(reverse("plans:obligations", args=[province.units["syt"].pk])).content.decode()
    assert "ke hoach.pdf" in page and "anh.pdf" in page
    other = _as(client, province, "head_stp")
    assert other.get(reverse("plans:evidence_download", args=[evidence.pk])).status_code == 404
    assert (
        other.post(reverse("plans:evidence_add", args=[entry.pk]), {"file": more}).status_code
        == 404
    )


def test_a_late_task_is_explained_through_the_pages(client, province, plan):
    task = Task.objects.get(plan=plan, number="II.1")
    s = _as(client, province, "snv")
    page = s.get(reverse("plans:plan_detail", args=[plan.pk])).content.decode()
    assert 'id="plan-late"' in page
    url = reverse(
        "plans:explanation_ask",
        kwargs={"pk": plan.pk, "unit_id": province.units["syt"].pk, "task_pk": task.pk},
    )
    assert s.post(url, {"question": "Vì sao chưa tập huấn?"}).status_code == 302
    asked = ExplanationRequest.objects.get()
    c = _as(client, province, "head_syt")
    assert (
        "Được yêu cầu giải trình"
        in c.get(reverse("plans:obligations", args=[province.units["syt"].pk])).content.decode()
    )
    detail = reverse("plans:explanation_detail", args=[asked.pk])
    assert c.post(detail, {"answer": ""}).status_code == 400
    assert c.post(detail, {"answer": "Thiếu kinh phí"}).status_code == 302
    asked.refresh_from_db()
    assert asked.answer == "Thiếu kinh phí"
    other = _as(client, province, "head_stp")
    assert other.get(detail).status_code == 404
    assert "Vì sao" not in other.get(reverse("plans:explanation_list")).content.decode()
    assert other.post(url, {"question": "x"}).status_code == 404


def test_a_unit_writes_how_it_will_carry_out_a_task(client, province, plan):
    from congvu.organisations.models import Staff
    from congvu.plans.models import UnitTask

    task = Task.objects.get(plan=plan, number="II.1")
    c = _as(client, province, "head_syt")
    url = reverse(
        "plans:unit_task_create", kwargs={"unit_id": province.units["syt"].pk, "task_pk": task.pk}
    )
    owner = Staff.objects.filter(unit=province.units["syt"]).first()
    data = {"content": "Tập huấn cho các khoa, phòng", "owner": owner.pk, "due_on": "30/06/2026"}
    assert c.post(url, data).status_code == 302
    row = UnitTask.objects.get()
    assert (row.owner, row.due_on) == (owner, date(2026, 6, 30))
    page = c.get(reverse("plans:obligations", args=[province.units["syt"].pk])).content.decode()
    assert "Tập huấn cho các khoa, phòng" in page and owner.full_name in page
    assert c.post(url, {"content": ""}).status_code == 302  # refused with a message
    assert UnitTask.objects.count() == 1
    other = _as(client, province, "head_stp")
    assert other.post(url, data).status_code == 404
    assert UnitTask.objects.count() == 1
