"""`congvu plan-report`: a unit's yearly report and Sở Nội vụ's consolidated report, in Word
(ND 30/2020) and Excel, as the pages would write them."""

from io import BytesIO

import pytest
from django.core.management import CommandError, call_command
from docx import Document
from openpyxl import load_workbook

from congvu.plans import reporting, rules
from congvu.plans.tests.test_reporting import plan  # noqa: F401 (the fixture)

pytestmark = pytest.mark.django_db


def cells(document) -> list[str]:
    return [c.text for t in document.tables for row in t.rows for c in row.cells]


def test_a_units_yearly_report_in_word_and_excel(province, plan, tmp_path):  # noqa: F811
    out_docx, out_xlsx = tmp_path / "bc.docx", tmp_path / "bc.xlsx"
    code = province.units["syt"].code
    call_command(
        "plan-report",
        "--unit",
        code,
        "--year",
        "2026",
        "--docx",
        str(out_docx),
        "--xlsx",
        str(out_xlsx),
    )
    opened = Document(BytesIO(out_docx.read_bytes()))
    left, right = opened.tables[0].rows[0].cells
    assert "SỞ Y TẾ" in left.text and f"/BC-{code}" in left.text
    assert right.paragraphs[2].text.endswith("ngày 21 tháng 11 năm 2026")
    assert [p.text for p in opened.paragraphs[:2]] == [
        "BÁO CÁO",
        "Kết quả thực hiện văn hóa công vụ năm 2026",
    ]
    assert "Đã làm II.1 ngày 02/04/2026" in cells(opened)
    assert "Quyết định kỷ luật (còn hiệu lực pháp lý)" in cells(opened)
    rows = list(load_workbook(BytesIO(out_xlsx.read_bytes())).active.iter_rows(values_only=True))
    assert rows[1] == ("Kế hoạch", "Mục", "Nhiệm vụ", "Tình trạng", "Kết quả thực hiện")
    assert len(rows) == 2 + plan.tasks.count()


def test_the_saved_report_is_what_is_written(province, plan, tmp_path):  # noqa: F811
    report = reporting.report_start(
        actor=province.users["head_syt"], plan=plan, unit=province.units["syt"], year=2026
    )
    reporting.report_save(
        actor=province.users["head_syt"], report=report, sections={"proposals": "Tăng kinh phí"}
    )
    out = tmp_path / "bc.docx"
    call_command(
        "plan-report", "--unit", province.units["syt"].code, "--year", "2026", "--docx", str(out)
    )
    texts = [p.text for p in Document(BytesIO(out.read_bytes())).paragraphs]
    assert "5. Đề xuất, kiến nghị" in texts and "Tăng kinh phí" in texts
    assert texts.count("(Không có nội dung.)") == 2  # the two parts left empty say so


def test_the_consolidated_report_has_every_unit_and_the_totals(province, plan, tmp_path):  # noqa: F811
    report = reporting.report_start(
        actor=province.users["head_syt"], plan=plan, unit=province.units["syt"], year=2026
    )
    report = reporting.report_move(
        actor=province.users["head_syt"], report=report, move=rules.SUBMIT
    )
    out_docx, out_xlsx = tmp_path / "th.docx", tmp_path / "th.xlsx"
    args = ["--unit", province.units["snv"].code, "--year", "2026", "--consolidated"]
    call_command("plan-report", *args, "--xlsx", str(out_xlsx))
    rows = list(load_workbook(BytesIO(out_xlsx.read_bytes())).active.iter_rows(values_only=True))
    assert set(rows[-1][5:]) == {0}  # sent, not accepted: not yet counted
    reporting.report_move(actor=province.users["snv"], report=report, move=rules.ACCEPT)
    call_command(
        "plan-report",
        "--unit",
        province.units["snv"].code,
        "--year",
        "2026",
        "--consolidated",
        "--docx",
        str(out_docx),
        "--xlsx",
        str(out_xlsx),
    )
    rows = list(load_workbook(BytesIO(out_xlsx.read_bytes())).active.iter_rows(values_only=True))
    units = [r[1] for r in rows[2:-1]]
    assert sorted(units) == sorted([province.units["syt"].name, province.units["stp"].name])
    totals = rows[-1]
    assert totals[1] == "Tổng cộng: 2 đơn vị"
    counts = report.content["counts"]
    assert list(totals[5:]) == [counts[s] for s in rules.STATUSES]  # one report sent: its counts
    opened = Document(BytesIO(out_docx.read_bytes()))
    text = "\n".join(p.text for p in opened.paragraphs)
    assert "1/2 đơn vị đã gửi báo cáo năm 2026, 1 báo cáo được chấp nhận" in text
    assert "Tổng cộng: 2 đơn vị" in cells(opened)
    figures = {f["label"]: f["value"] for f in report.content["figures"]}
    assert "2. Số liệu tổng hợp từ các báo cáo đã được chấp nhận" in text
    assert [figures["Quyết định kỷ luật (còn hiệu lực pháp lý)"]] == [
        int(row.cells[2].text)
        for table in opened.tables
        for row in table.rows
        if row.cells[0].text == "Quyết định kỷ luật (còn hiệu lực pháp lý)"
    ]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--unit", "KHONG-CO", "--year", "2026", "--docx", "x.docx"], "Không có đơn vị"),
        (["--unit", "KHA-SYT", "--year", "2030", "--docx", "x.docx"], "Năm báo cáo không hợp lệ"),
        (["--unit", "KHA-SYT", "--year", "2026"], "Cần ít nhất một"),
        (
            ["--unit", "KHA-SYT", "--year", "2026", "--plan", "0/KH", "--xlsx", "x.xlsx"],
            "Không có kế hoạch",
        ),
    ],
)
def test_bad_input_exits_2_in_vietnamese(province, plan, args, message, tmp_path, monkeypatch):  # noqa: F811
    monkeypatch.chdir(tmp_path)
    with pytest.raises(CommandError, match=message) as raised:
        call_command("plan-report", *args)
    assert raised.value.returncode == 2
    assert not list(tmp_path.iterdir())  # nothing written


def test_the_date_on_a_past_years_report_is_its_last_day(province, plan, tmp_path):  # noqa: F811
    out = tmp_path / "bc.docx"
    call_command(
        "plan-report", "--unit", province.units["syt"].code, "--year", "2025", "--docx", str(out)
    )
    right = Document(BytesIO(out.read_bytes())).tables[0].rows[0].cells[1]
    assert right.paragraphs[2].text.endswith("ngày 31 tháng 12 năm 2025")


def test_the_consolidated_report_runs_as_a_job_with_the_creators_scope(
    province,
    plan,  # noqa: F811
    settings,
    tmp_path,
    django_capture_on_commit_callbacks,  # noqa: F811
):
    from congvu.core import jobs
    from congvu.core.models import Job, JobStatus
    from congvu.plans.exports import CONSOLIDATED_KIND

    settings.MEDIA_ROOT = str(tmp_path)
    parameters = {"plan": plan.pk, "year": 2026, "unit": province.units["snv"].pk}
    with django_capture_on_commit_callbacks(execute=True):
        job = jobs.job_start(
            actor=province.users["snv"], kind=CONSOLIDATED_KIND, parameters=parameters
        )
    job.refresh_from_db()
    assert job.status == JobStatus.DONE and job.total == 2 and job.done == 2
    opened = Document(BytesIO(jobs.job_file(job).read_bytes()))
    assert "Tổng cộng: 2 đơn vị" in cells(opened)
    with django_capture_on_commit_callbacks(execute=True):  # a unit head manages no plan
        refused = jobs.job_start(
            actor=province.users["head_syt"], kind=CONSOLIDATED_KIND, parameters=parameters
        )
    assert Job.objects.get(pk=refused.pk).status == JobStatus.FAILED
