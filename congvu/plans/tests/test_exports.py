"""The Excel file of a plan's progress entries, a background job: one row per entry the
creator may read when it runs (a unit head's file holds their unit's only), Vietnamese headers
and labels, dates as dates shown dd/mm/yyyy; the page's POST starts it and shows the job."""

import io
from datetime import date

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from congvu.core.actors import SYSTEM
from congvu.core.models import Job
from congvu.plans import services
from congvu.plans.exports import PROGRESS_HEADERS, PROGRESS_KIND
from congvu.plans.models import ProgressEntry, Task
from congvu.plans.tests.factories import make_plan
from congvu.testing import export_via_job

pytestmark = pytest.mark.django_db


@pytest.fixture
def plan(province, settings, tmp_path):
    """Seed 000's small copy assigned to Sở Y tế and Sở Tư pháp, with two entries of Sở Y tế
    (one with quantities, one whose text looks like a formula) and one of Sở Tư pháp."""
    settings.MEDIA_ROOT = tmp_path
    u = province.units
    made = make_plan(province)
    services.plan_assign(actor=SYSTEM, plan=made, units=[u["syt"], u["stp"]], day=date(2019, 7, 12))
    yearly = Task.objects.get(plan=made, number="III.1.b")
    first = Task.objects.get(plan=made, number="III.1.a")
    services.progress_record(
        actor=province.users["head_syt"],
        task=yearly,
        unit=u["syt"],
        on=date(2026, 3, 2),
        state="in_progress",
        text="Đã tập huấn cho cán bộ",
        period=2026,
        quantities={"Số lượt tập huấn": 3, "Số người tham dự": 120},
    )
    services.progress_record(
        actor=province.users["head_syt"],
        task=first,
        unit=u["syt"],
        on=date(2019, 7, 30),
        state="done",
        text="=1+1 đã ban hành kế hoạch",
    )
    services.progress_record(
        actor=province.users["head_stp"],
        task=yearly,
        unit=u["stp"],
        on=date(2026, 4, 1),
        state="done",
        text="Sở Tư pháp đã báo cáo",
        period=2026,
    )
    return made


def _url(plan) -> str:
    return reverse("plans:progress_export", args=[plan.pk])


def _rows(client, province, persona: str, plan) -> list[tuple]:
    client.force_login(province.users[persona])
    response, content = export_via_job(client, _url(plan))
    assert content is not None, response
    return list(load_workbook(io.BytesIO(content)).active.iter_rows(values_only=True))


def test_the_file_has_one_row_per_visible_entry_with_vietnamese_headers(client, province, plan):
    rows = _rows(client, province, "snv", plan)
    assert rows[0] == tuple(PROGRESS_HEADERS)
    assert rows[0][:9] == (
        "Mã đơn vị",
        "Đơn vị",
        "Mục",
        "Nhiệm vụ",
        "Ngày",
        "Kỳ",
        "Tình trạng",
        "Kết quả thực hiện",
        "Số liệu",
    )
    assert len(rows) - 1 == ProgressEntry.objects.filter(task__plan=plan).count() == 3
    stp, syt_first, syt_yearly = rows[1:]
    assert [r[0] for r in rows[1:]] == ["KHA-STP", "KHA-SYT", "KHA-SYT"]  # by unit, then task
    assert syt_yearly[2:4] == ("III.1.b", "Báo cáo kết quả hằng năm")
    assert syt_yearly[4].date() == date(2026, 3, 2) and syt_yearly[5] == 2026
    assert syt_yearly[6] == "Đang thực hiện" and syt_first[6] == "Đã hoàn thành"
    assert syt_yearly[8] == "Số lượt tập huấn: 3; Số người tham dự: 120"
    assert syt_yearly[9] == "Trần Thị Bích"  # who recorded it
    assert syt_first[5] is None
    assert syt_first[7] == "=1+1 đã ban hành kế hoạch"  # stays text, not a formula


def test_dates_are_shown_day_month_year(client, province, plan):
    client.force_login(province.users["snv"])
    content = export_via_job(client, _url(plan))[1]
    sheet = load_workbook(io.BytesIO(content)).active
    assert sheet["E2"].number_format == "DD/MM/YYYY"


def test_a_unit_heads_file_holds_only_their_units_entries(client, province, plan):
    rows = _rows(client, province, "head_syt", plan)
    assert [r[0] for r in rows[1:]] == ["KHA-SYT", "KHA-SYT"]
    assert "Sở Tư pháp đã báo cáo" not in {r[7] for r in rows}
    rows = _rows(client, province, "head_stp", plan)
    assert [r[7] for r in rows[1:]] == ["Sở Tư pháp đã báo cáo"]


def test_the_post_starts_the_job_and_redirects_to_its_page(client, province, plan):
    client.force_login(province.users["head_syt"])
    response = client.post(_url(plan))
    job = Job.objects.get(kind=PROGRESS_KIND)
    assert response.status_code == 302
    assert response["Location"] == reverse("jobs:detail", args=[job.pk])
    assert job.parameters == {"plan": plan.pk} and job.created_by == province.users["head_syt"]


def test_the_export_is_a_form_post_on_the_plan_page(client, province, plan):
    client.force_login(province.users["head_syt"])
    assert client.get(_url(plan)).status_code == 405
    page = client.get(reverse("plans:plan_detail", args=[plan.pk])).content.decode()
    assert f'action="{_url(plan)}"' in page and "Tải tiến độ (Excel)" in page


def test_a_plan_out_of_scope_is_a_404_and_starts_nothing(client, province, plan):
    for persona in ("outsider", "staff"):
        client.force_login(province.users[persona])
        assert client.post(_url(plan)).status_code == 404
    assert not Job.objects.exists()


def test_a_job_whose_creator_lost_the_plan_is_refused(client, province, plan):
    from congvu.core import jobs
    from congvu.core.models import JobStatus

    job = Job.objects.create(
        kind=PROGRESS_KIND, created_by=province.users["outsider"], parameters={"plan": plan.pk}
    )
    jobs.job_run(job.pk)
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED and not job.file_name
