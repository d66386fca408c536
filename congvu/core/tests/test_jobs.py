"""Background file jobs (core.jobs): started by a page, run by Huey (immediate in tests) with
the creator's scope at run time, progress every N rows, the file renamed into place, seen and
downloaded by the creator only, failures recorded, old files purged."""

import io
import logging
import os
from datetime import timedelta
from pathlib import Path

import pytest
import time_machine
from django.db import connection
from django.test import Client, TestCase
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from congvu.accounts.models import RoleAssignment
from congvu.core import jobs, xlsx
from congvu.core.models import AuditLog, Job, JobStatus

pytestmark = pytest.mark.django_db

STAFF_EXPORT = reverse("organisations:staff_export")


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.JOB_PROGRESS_EVERY = 1000


def login(province, who: str) -> Client:
    client = Client()
    client.force_login(province[who])
    return client


def start(client: Client, url: str = STAFF_EXPORT, data: dict | None = None) -> Job:
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = client.post(url, data or {})
    assert response.status_code == 302, response.status_code
    job = Job.objects.latest("pk")
    assert response["Location"] == reverse("jobs:detail", args=[job.pk])
    return job


def rows_of(content: bytes) -> list[tuple]:
    return list(load_workbook(io.BytesIO(content), read_only=True).active.values)


def numbers_kind(monkeypatch, produce=None, name: str = "test.numbers") -> jobs.JobKind:
    """A kind writing ``count`` numbered rows (parameters), or running ``produce``."""

    def write(run: jobs.JobRun) -> int:
        count = int(run.parameters.get("count", 10))
        run.begin(total=count)
        return xlsx.save_rows(
            run.path,
            title="Số",
            headers=["n"],
            rows=([i] for i in range(count)),
            progress=run.progress,
            every=run.every,
        )

    kind = jobs.JobKind(name=name, label="Các số", stem="cac-so", produce=produce or write)
    monkeypatch.setitem(jobs._KINDS, name, kind)
    return kind


def test_a_staff_export_starts_a_job_runs_it_and_the_creator_downloads_the_file(province):
    client = login(province, "head_syt")
    job = start(client, data={"q": "", "don_vi": "KHA-SYT"})
    job.refresh_from_db()
    assert job.status == JobStatus.DONE and job.created_by == province["head_syt"]
    assert job.parameters == {"q": "", "don_vi": "KHA-SYT"}
    assert job.total == job.done == 3 and job.finished_at is not None
    assert [p.name for p in jobs.jobs_dir().iterdir()] == [job.file_name]  # no .part left
    page = client.get(reverse("jobs:detail", args=[job.pk])).content.decode()
    assert "Hoàn thành" in page and 'id="job-download"' in page and "KHA-SYT" in page
    assert "hx-get" not in page  # nothing left to poll
    assert reverse("organisations:staff_list") + "?don_vi=KHA-SYT" in page  # back to the list
    response = client.get(reverse("jobs:download", args=[job.pk]))
    assert response["Content-Disposition"] == f'attachment; filename="can-bo-{job.pk}.xlsx"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"] == "private, no-store"
    rows = rows_of(b"".join(response.streaming_content))
    assert rows[0][:4] == ("Mã CB", "Họ", "Đệm", "Tên")
    assert sorted(" ".join(r[1:4]) for r in rows[1:]) == [
        "Lê Văn Đức",
        "Nguyễn Văn An",
        "Trần Thị Bích",
    ]
    actions = list(
        AuditLog.objects.filter(object_type="core.job", object_id=str(job.pk)).values_list(
            "action", flat=True
        )
    )
    assert sorted(actions) == ["job.done", "job.start"]
    listing = client.get(reverse("jobs:list")).content.decode()
    assert reverse("jobs:download", args=[job.pk]) in listing


def test_the_request_only_queues_the_job(province):
    """Outside a test's transaction the job is queued at commit; until then it waits."""
    client = login(province, "snv")
    response = client.post(STAFF_EXPORT)
    job = Job.objects.get()
    assert response.status_code == 302 and job.status == JobStatus.PENDING
    page = client.get(reverse("jobs:detail", args=[job.pk])).content.decode()
    assert "Đang chờ" in page and 'hx-trigger="every 1s"' in page
    assert 'id="job-download"' not in page
    assert client.get(reverse("jobs:download", args=[job.pk])).status_code == 404


def test_the_job_page_shows_progress_and_polls_with_htmx(province):
    client = login(province, "snv")
    job = Job.objects.create(
        kind="organisations.staff",
        created_by=province["snv"],
        status=JobStatus.RUNNING,
        total=200,
        done=50,
    )
    url = reverse("jobs:detail", args=[job.pk])
    page = client.get(url).content.decode()
    assert "Tiến độ: 25%" in page and "(50/200 dòng)" in page and 'value="25"' in page
    fragment = client.get(url, headers={"HX-Request": "true"}).content.decode()
    assert fragment.lstrip().startswith('<section id="job-status"') and "<html" not in fragment


def test_progress_reaches_the_job_every_n_rows_not_every_row(province, monkeypatch, settings):
    settings.JOB_PROGRESS_EVERY = 4
    numbers_kind(monkeypatch)
    job = jobs.job_start(actor=province["snv"], kind="test.numbers", parameters={"count": 10})
    seen: list[int] = []
    original = jobs.JobRun.progress
    monkeypatch.setattr(
        jobs.JobRun, "progress", lambda run, done: (seen.append(done), original(run, done))
    )
    with CaptureQueriesContext(connection) as queries:
        jobs.job_run(job.pk)
    assert seen == [4, 8, 10]
    updates = [q["sql"] for q in queries.captured_queries if q["sql"].startswith("UPDATE")]
    assert len(updates) == 6  # claim, total, 3 × progress, finish
    job.refresh_from_db()
    assert (job.status, job.total, job.done) == (JobStatus.DONE, 10, 10)
    assert len(rows_of((jobs.jobs_dir() / job.file_name).read_bytes())) == 11


@pytest.mark.parametrize("who", ["snv", "head_stp", "staff", "outsider", "admin"])
def test_nobody_but_the_creator_sees_the_job_or_its_file(province, who):
    job = start(login(province, "head_syt"))
    client = login(province, who)
    assert client.get(reverse("jobs:detail", args=[job.pk])).status_code == 404
    assert client.get(reverse("jobs:download", args=[job.pk])).status_code == 404
    assert "Danh sách cán bộ" not in client.get(reverse("jobs:list")).content.decode()
    anonymous = Client().get(reverse("jobs:download", args=[job.pk]))
    assert anonymous.status_code == 302 and "/dang-nhap/" in anonymous["Location"]


def test_the_file_holds_only_the_creators_scope(province):
    """The head of Sở Y tế exports everything she may: never Sở Tư pháp's people."""
    client = login(province, "head_syt")
    job = start(client)
    job.refresh_from_db()
    names = {" ".join(r[1:4]) for r in rows_of((jobs.jobs_dir() / job.file_name).read_bytes())}
    assert "Nguyễn Văn An" in names and "Lê Văn Đức" in names
    assert not names & {"Võ Thị Ánh", "Phạm Minh Châu", "Đặng Quốc Bảo", "Huỳnh Văn Em"}
    assert client.post(STAFF_EXPORT, {"don_vi": "KHA-STP"}).status_code == 404


def test_a_right_lost_before_the_job_runs_refuses_it(province):
    """The scope is the creator's when the job runs, not when it was asked for."""
    head = province["head_syt"]
    job = jobs.job_start(actor=head, kind="organisations.staff", parameters={"q": ""})
    RoleAssignment.objects.filter(user=head).update(valid_to=timezone.localdate())
    jobs.job_run(job.pk)
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED and job.file_name == ""
    assert "không còn quyền" in job.message
    assert list(jobs.jobs_dir().iterdir()) == []
    page = login(province, "head_syt").get(reverse("jobs:detail", args=[job.pk]))
    assert "Không thành công" in page.content.decode()


def test_a_failure_marks_the_job_failed_in_vietnamese_logs_it_and_leaves_no_file(
    province, monkeypatch, caplog
):
    def produce(run: jobs.JobRun) -> int:
        run.path.write_bytes(b"half a workbook")
        raise RuntimeError("disk full")

    numbers_kind(monkeypatch, produce)
    job = jobs.job_start(actor=province["snv"], kind="test.numbers", parameters={})
    with caplog.at_level(logging.ERROR, logger="congvu.jobs"):
        jobs.job_task(job.pk)  # the Huey task (immediate in tests)
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED and job.finished_at is not None
    assert job.message.startswith("Lỗi hệ thống khi tạo tệp")
    assert any("disk full" in (r.exc_text or "") or r.exc_info for r in caplog.records)
    assert list(jobs.jobs_dir().iterdir()) == []  # the partial file is gone
    assert AuditLog.objects.filter(action="job.failed", object_id=str(job.pk)).exists()
    client = login(province, "snv")
    assert client.get(reverse("jobs:download", args=[job.pk])).status_code == 404
    assert (
        "Lỗi hệ thống khi tạo tệp"
        in client.get(reverse("jobs:detail", args=[job.pk])).content.decode()
    )


def test_a_job_runs_once(province, monkeypatch):
    calls = []
    numbers_kind(monkeypatch, lambda run: calls.append(run) or 0)
    job = jobs.job_start(actor=province["snv"], kind="test.numbers", parameters={})
    jobs.job_run(job.pk)
    jobs.job_run(job.pk)
    assert len(calls) == 1


def test_the_same_export_while_one_runs_is_that_job_and_too_many_are_refused(province):
    client = login(province, "snv")
    first = client.post(STAFF_EXPORT, {"q": "an"})  # queued at a commit that never comes
    again = client.post(STAFF_EXPORT, {"q": "an"})
    assert first["Location"] == again["Location"] and Job.objects.count() == 1
    client.post(STAFF_EXPORT, {"q": "bich"})
    client.post(STAFF_EXPORT, {"q": "duc"})
    refused = client.post(STAFF_EXPORT, {"q": "chau"}, follow=True)
    assert Job.objects.count() == 3
    assert "Bạn đang có 3 tệp chưa tạo xong" in refused.content.decode()


def test_files_older_than_the_kept_days_are_purged(province, settings):
    settings.JOB_KEEP_DAYS = 7
    client = login(province, "head_syt")
    old, new = start(client, data={"q": "an"}), start(client, data={"q": "bich"})
    old.refresh_from_db()
    new.refresh_from_db()
    stray = jobs.jobs_dir() / ".abandoned.xlsx.part"
    stray.write_bytes(b"x")
    eight_days_ago = (timezone.now() - timedelta(days=8)).timestamp()
    for path in (jobs.jobs_dir() / old.file_name, stray):
        os.utime(path, (eight_days_ago, eight_days_ago))
    Job.objects.filter(pk=old.pk).update(finished_at=timezone.now() - timedelta(days=8))
    assert jobs.jobs_purge() == 2
    old.refresh_from_db()
    assert old.file_name == "" and old.status == JobStatus.DONE
    assert sorted(p.name for p in jobs.jobs_dir().iterdir()) == [new.file_name]
    assert client.get(reverse("jobs:download", args=[old.pk])).status_code == 404
    assert (
        "Tệp đã bị xóa vì quá 7 ngày"
        in client.get(reverse("jobs:detail", args=[old.pk])).content.decode()
    )
    assert client.get(reverse("jobs:download", args=[new.pk])).status_code == 200


def test_lost_jobs_are_queued_again_and_dead_ones_fail(province):
    user = province["snv"]
    with time_machine.travel(timezone.now() - timedelta(hours=3)):
        lost = jobs.job_start(actor=user, kind="organisations.staff", parameters={"q": "an"})
        dead = Job.objects.create(
            kind="organisations.staff",
            created_by=user,
            status=JobStatus.RUNNING,
            started_at=timezone.now(),
        )
    fresh = jobs.job_start(actor=user, kind="organisations.staff", parameters={"q": "bich"})
    assert jobs.jobs_recover() == 2
    states = dict(Job.objects.values_list("pk", "status"))
    assert states == {
        lost.pk: JobStatus.DONE,
        dead.pk: JobStatus.FAILED,
        fresh.pk: JobStatus.PENDING,
    }
    assert Job.objects.get(pk=dead.pk).message == "Tác vụ bị gián đoạn; hãy xuất lại."


def test_jobs_live_under_media_root_never_under_static(settings):
    root = Path(jobs.jobs_dir()).resolve()
    assert root.is_relative_to(Path(settings.MEDIA_ROOT).resolve())
    assert oct(root.stat().st_mode & 0o777) == "0o700"


def test_the_job_pages_in_english(province):
    client = login(province, "snv")
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    job = Job.objects.create(
        kind="organisations.staff",
        created_by=province["snv"],
        status=JobStatus.RUNNING,
        total=200,
        done=50,
        parameters={"q": "an", "don_vi": ""},
    )
    page = client.get(reverse("jobs:detail", args=[job.pk])).content.decode()
    assert "Excel export: List of officials" in page and "Progress: 25%" in page
    assert "Making the file" in page and "Search <strong>an</strong>" in page
    listing = client.get(reverse("jobs:list")).content.decode()
    assert "Exported files" in listing and "Search: an" in listing


def test_the_list_of_ones_exports_pages_and_never_shows_anothers(province):
    head = province["head_syt"]
    other = province["snv"]
    Job.objects.bulk_create(
        [Job(kind="organisations.staff", created_by=head, parameters={}) for _ in range(25)]
        + [Job(kind="organisations.staff", created_by=other, parameters={})]
    )
    client = login(province, "head_syt")
    first = client.get(reverse("jobs:list")).content.decode()
    second = client.get(reverse("jobs:list") + "?trang=2").content.decode()
    assert "Trang 1/2" in first and "Trang 2/2" in second
    shown = first.count('href="/tep-xuat/') + second.count('href="/tep-xuat/')
    assert shown == 25  # every one of the head's, none of the other's
    theirs = Job.objects.get(created_by=other)
    assert f'href="/tep-xuat/{theirs.pk}/"' not in first + second
