"""Import pages end to end: upload, all-or-nothing, error sheet, progress, access."""

import io
import os
from datetime import date, datetime, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from openpyxl import Workbook, load_workbook

from congvu.core.audit import audit_record
from congvu.core.models import AuditLog
from congvu.organisations import import_jobs, importing, tasks
from congvu.organisations.import_rules import STAFF_COLUMNS, UNIT_COLUMNS
from congvu.organisations.models import (
    ImportJob,
    ImportStatus,
    Membership,
    Staff,
    Unit,
    UnitVersion,
)

pytestmark = pytest.mark.django_db

STAFF_HEADERS = [c.header for c in STAFF_COLUMNS]
UNIT_HEADERS = [c.header for c in UNIT_COLUMNS]


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture(autouse=True)
def _huey_immediate():
    """pytest-django loads settings before conftest sets HUEY_IMMEDIATE, so force it here:
    a test must never put jobs into the real queue."""
    from huey.contrib.djhuey import HUEY

    was = HUEY.immediate
    HUEY.immediate = True
    yield
    HUEY.immediate = was


def staff_row(code: str, unit: str = "KHA-SYT", **changes) -> list:
    row = {
        "code": code,
        "ho": "Nguyễn",
        "dem": "Thị",
        "ten": "Mai",
        "gender": "Nữ",
        "birth_year": 1990,
        "category": "Viên chức",
        "position": "Điều dưỡng",
        "is_leader": "Không",
        "unit_code": unit,
        "valid_from": "01/03/2020",
    }
    row.update(changes)
    return [row[c.key] for c in STAFF_COLUMNS]


def book(rows: list[list], headers: list[str] = STAFF_HEADERS, write_only: bool = False) -> bytes:
    workbook = Workbook(write_only=write_only)
    sheet = workbook.create_sheet("Cán bộ") if write_only else workbook.active
    sheet.append(headers)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def upload(client, content: bytes, kind: str = "staff", name: str = "danh-sach.xlsx"):
    return client.post(
        reverse("organisations:import_start"),
        {"kind": kind, "file": SimpleUploadedFile(name, content)},
    )


def last_job() -> ImportJob:
    return ImportJob.objects.latest("id")


def error_column(client, job: ImportJob) -> dict[int, str | None]:
    response = client.get(reverse("organisations:import_error_file", args=[job.pk]))
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    header = [c.value for c in sheet[1]]
    column = header.index("Lỗi") + 1
    return {row: sheet.cell(row, column).value for row in range(2, sheet.max_row + 1)}


def test_unit_head_imports_a_good_staff_file_in_one_go(province, client):
    client.force_login(province["head_syt"])
    template = client.get(reverse("organisations:import_template", args=["staff"]))
    workbook = load_workbook(io.BytesIO(template.content))
    sheet = workbook["Cán bộ"]
    sheet.append(
        staff_row("SYT-0001", ho="Nguye\u0302\u0303n")
    )  # decomposed, as some keyboards type
    sheet.append(
        staff_row("syt-0002", "KHA-BVDK", category="cong chuc", valid_from=datetime(2021, 5, 3))
    )
    sheet.append(staff_row("SYT-0003", gender="nam", is_leader="Có", position="Phó Giám đốc"))
    buffer = io.BytesIO()
    workbook.save(buffer)
    before = Staff.objects.count()

    response = upload(client, buffer.getvalue())

    job = last_job()
    assert response.status_code == 302
    assert response.url == reverse("organisations:import_detail", args=[job.pk])
    assert (job.status, job.imported_rows, job.error_rows, job.total_rows) == (
        ImportStatus.DONE,
        3,
        0,
        3,
    )
    assert Staff.objects.count() == before + 3
    first = Staff.objects.get(code="SYT-0001")
    assert first.ho == "Nguyễn" and first.unit == province["syt"] and first.gender == "nu"
    second = Staff.objects.get(code="SYT-0002")
    assert second.category == "cong_chuc" and second.unit == province["bv"]
    assert Membership.objects.get(staff=second).valid_from == date(2021, 5, 3)
    assert Staff.objects.get(code="SYT-0003").is_leader
    assert first.history.count() == 1  # bulk insert still leaves a history
    assert AuditLog.objects.filter(action="staff.import").count() == 1
    assert not (import_jobs.import_dir() / job.stored_name).exists()
    page = client.get(response.url)
    assert "Đã nhập 3 cán bộ." in page.content.decode()
    start = client.get(reverse("organisations:import_start")).content.decode()
    assert "3 / 3" in start and "100.000 dòng" in start


BAD_ROWS = [
    ("missing_field", [staff_row("SYT-0102", ho="")], "Thiếu Họ."),
    (
        "bad_date",
        [staff_row("SYT-0102", valid_from="31/02/2024")],
        "Từ ngày không hợp lệ: «31/02/2024»",
    ),
    ("duplicate_in_file", [staff_row("SYT-0101")], "Mã CB SYT-0101 trùng với dòng 2."),
    ("code_in_db", [staff_row("{existing}")], "đã có trong hệ thống."),
    ("unknown_unit", [staff_row("SYT-0102", "KHA-KHONG-CO")], "Không có đơn vị mã KHA-KHONG-CO"),
    (
        "bad_category",
        [staff_row("SYT-0102", category="Hợp đồng")],
        "Phân loại không hợp lệ: «Hợp đồng»",
    ),
    ("outside_scope", [staff_row("SYT-0102", "KHA-STP")], "Đơn vị KHA-STP nằm ngoài phạm vi"),
]


@pytest.mark.parametrize(("case", "bad", "message"), BAD_ROWS, ids=[c[0] for c in BAD_ROWS])
def test_a_bad_row_imports_nothing_and_comes_back_marked(province, client, case, bad, message):
    client.force_login(province["head_syt"])
    existing = province["syt_cc"].code
    rows = [staff_row("SYT-0101")] + [
        [existing if v == "{existing}" else v for v in row] for row in bad
    ]
    before = (Staff.objects.count(), Membership.objects.count(), AuditLog.objects.count())

    response = upload(client, book(rows))

    job = last_job()
    assert response.status_code == 302
    assert (job.status, job.imported_rows, job.error_rows) == (ImportStatus.REJECTED, 0, 1)
    assert (Staff.objects.count(), Membership.objects.count(), AuditLog.objects.count()) == before
    errors = error_column(client, job)
    assert errors[2] is None
    assert message in errors[3]
    assert message in job.message


def test_the_error_sheet_can_be_fixed_and_sent_again(province, client):
    client.force_login(province["head_syt"])
    upload(client, book([staff_row("SYT-0201"), staff_row("SYT-0202", category="?")]))
    response = client.get(reverse("organisations:import_error_file", args=[last_job().pk]))
    assert response["Content-Disposition"].startswith('attachment; filename="danh-sach-loi.xlsx"')
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    workbook.active["G3"] = "Công chức"
    buffer = io.BytesIO()
    workbook.save(buffer)

    upload(client, buffer.getvalue())

    assert last_job().status == ImportStatus.DONE
    assert Staff.objects.filter(code__in=["SYT-0201", "SYT-0202"]).count() == 2


@pytest.mark.parametrize(
    ("content", "name", "message"),
    [
        (b"\x89PNG\r\n\x1a\n" + b"\0" * 64, "anh.xlsx", "không phải là bảng tính Excel .xlsx"),
        ("Mã CB;Họ\nA;B\n".encode(), "danh-sach.xlsx", "không phải là bảng tính Excel .xlsx"),
        (b"", "rong.xlsx", "Tệp rỗng"),
        (book([], STAFF_HEADERS), "tieu-de.xlsx", "không có dòng dữ liệu nào"),
        (book([["A", "B"]], ["Mã CB", "Họ", "Tên"]), "thieu-cot.xlsx", "Thiếu cột: Đệm, Giới tính"),
        (book([["X"]], UNIT_HEADERS), "don-vi.xlsx", "Tệp có vẻ là danh sách đơn vị"),
    ],
)
def test_a_refused_file_shows_why_and_changes_nothing(province, client, content, name, message):
    client.force_login(province["head_syt"])
    response = upload(client, content, name=name)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not ImportJob.objects.exists()
    assert list(import_jobs.import_dir().iterdir()) == []


def test_a_file_over_the_size_limit_is_refused(province, client, settings):
    settings.IMPORT_MAX_BYTES = 2048
    client.force_login(province["head_syt"])
    response = upload(client, book([staff_row("SYT-0301")]))
    assert "vượt giới hạn 2 KB" in response.content.decode()
    assert not ImportJob.objects.exists()


def test_so_noi_vu_imports_units_with_a_parent_defined_earlier_in_the_file(
    province, client, django_capture_on_commit_callbacks
):
    client.force_login(province["snv"])
    rows = [
        [
            "KHA-SYT-TCCB",
            "Phòng Tổ chức cán bộ",
            "Phòng, ban trực thuộc",
            "KHA-SYT",
            "01/07/2025",
            "QĐ 1/QĐ-SYT",
        ],
        ["KHA-SYT-TCCB-1", "Tổ Hồ sơ", "phong ban", "kha-syt-tccb", "01/08/2025", ""],
    ]
    creates = AuditLog.objects.filter(action="unit.create").count()
    with django_capture_on_commit_callbacks(execute=True):  # the tree cache is bumped on commit
        response = upload(client, book(rows, UNIT_HEADERS), kind="units")

    assert last_job().status == ImportStatus.DONE, last_job().message
    phong = Unit.objects.get(code="KHA-SYT-TCCB")
    to = Unit.objects.get(code="KHA-SYT-TCCB-1")
    assert phong.parent == province["syt"] and to.parent == phong
    assert UnitVersion.objects.get(unit=to).basis == ""
    assert UnitVersion.objects.get(unit=phong).basis == "QĐ 1/QĐ-SYT"
    assert AuditLog.objects.filter(action="unit.import").count() == 1
    assert AuditLog.objects.filter(action="unit.create").count() == creates
    assert response.status_code == 302
    assert "Tổ Hồ sơ" in client.get(reverse("organisations:unit_tree")).content.decode()


def test_a_unit_whose_parent_comes_later_is_rejected(province, client):
    client.force_login(province["snv"])
    rows = [
        ["KHA-SYT-TCCB-1", "Tổ Hồ sơ", "Phòng, ban trực thuộc", "KHA-SYT-TCCB", "01/08/2025", ""],
        [
            "KHA-SYT-TCCB",
            "Phòng Tổ chức cán bộ",
            "Phòng, ban trực thuộc",
            "KHA-SYT",
            "01/07/2025",
            "",
        ],
    ]
    upload(client, book(rows, UNIT_HEADERS), kind="units")
    job = last_job()
    assert job.status == ImportStatus.REJECTED
    assert "ở các dòng phía trên" in error_column(client, job)[2]
    assert not Unit.objects.filter(code__startswith="KHA-SYT-TCCB").exists()


def test_a_unit_head_may_not_import_units(province, client):
    client.force_login(province["head_syt"])
    rows = [["KHA-SYT-TCCB", "Phòng TCCB", "Phòng, ban trực thuộc", "KHA-SYT", "01/07/2025", ""]]
    response = upload(client, book(rows, UNIT_HEADERS), kind="units")
    assert "Bạn không được nhập loại dữ liệu này." in response.content.decode()
    assert not ImportJob.objects.exists()
    assert client.get(reverse("organisations:import_template", args=["units"])).status_code == 403


def test_a_large_file_runs_in_the_background_with_progress(province, client, settings, monkeypatch):
    settings.IMPORT_SYNC_MAX_ROWS = 5
    monkeypatch.setattr(importing, "PROGRESS_EVERY", 10)
    queued, seen = [], []
    original_task, original_track = tasks.import_job_run, tasks._Tracker.__call__
    monkeypatch.setattr(tasks, "import_job_run", lambda pk: (queued.append(pk), original_task(pk)))

    def track(self, done, total):
        original_track(self, done, total)
        stored = ImportJob.objects.values_list("processed_rows", flat=True).get(pk=self.job_id)
        seen.append((done, total, stored))

    monkeypatch.setattr(tasks._Tracker, "__call__", track)
    client.force_login(province["head_syt"])
    rows = [staff_row(f"SYT-1{i:03d}") for i in range(40)]

    upload(client, book(rows, write_only=True))  # streamed files declare no size

    job = last_job()
    assert queued == [job.pk]
    counts = (job.status, job.imported_rows, job.processed_rows, job.total_rows)
    assert counts == (ImportStatus.DONE, 40, 40, 40)
    assert len(seen) > 3 and seen[-1][:2] == (40, 40)
    assert [d for d, _, _ in seen] == sorted(d for d, _, _ in seen)
    # Progress while checking is saved on the job; while writing it goes through the cache.
    assert [stored for done, _, stored in seen if done < 20] == [d for d, _, _ in seen if d < 20]


def test_the_job_page_polls_a_progress_bar_while_running(province, client):
    user = province["head_syt"]
    job = ImportJob.objects.create(
        kind="staff",
        created_by=user,
        original_name="lon.xlsx",
        stored_name="x.xlsx",
        status=ImportStatus.RUNNING,
        total_rows=200,
        processed_rows=50,
    )
    client.force_login(user)
    url = reverse("organisations:import_detail", args=[job.pk])

    partial = client.get(url, headers={"HX-Request": "true"}).content.decode()

    assert "<html" not in partial
    assert 'class="cv-progress" max="100" value="25"' in partial
    assert 'hx-trigger="every 1s"' in partial and f'hx-get="{url}"' in partial
    job.status = ImportStatus.DONE
    job.save()
    assert "hx-trigger" not in client.get(url, headers={"HX-Request": "true"}).content.decode()


def test_only_the_uploader_or_an_admin_sees_a_job_and_its_error_file(province, client):
    client.force_login(province["head_syt"])
    upload(client, book([staff_row("SYT-0401", category="?")]))
    job = last_job()
    detail = reverse("organisations:import_detail", args=[job.pk])
    error_file = reverse("organisations:import_error_file", args=[job.pk])
    assert client.get(error_file).status_code == 200
    for other in ("head_stp", "snv", "outsider"):
        client.force_login(province[other])
        assert client.get(detail).status_code == 404
        assert client.get(error_file).status_code == 404
    client.force_login(province["admin"])
    assert client.get(detail).status_code == 200
    assert client.get(error_file).status_code == 200


def test_an_outsider_cannot_open_the_import_page(province, client):
    client.force_login(province["outsider"])
    assert client.get(reverse("organisations:import_start")).status_code == 403
    assert client.get(reverse("organisations:import_template", args=["staff"])).status_code == 403


def test_the_template_has_the_header_row_and_a_guide(province, client):
    client.force_login(province["snv"])
    page = client.get(reverse("organisations:import_start")).content.decode()
    assert reverse("organisations:import_template", args=["units"]) in page
    response = client.get(reverse("organisations:import_template", args=["units"]))
    workbook = load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames == ["Đơn vị", "Hướng dẫn"]
    assert [c.value for c in workbook["Đơn vị"][1]] == [
        "Mã đơn vị",
        "Tên đơn vị",
        "Loại đơn vị",
        "Mã đơn vị cấp trên",
        "Ngày hiệu lực (dd/mm/yyyy)",
        "Căn cứ",
    ]
    guide = [c.value for row in workbook["Hướng dẫn"].iter_rows() for c in row]
    assert "Sở, ban, ngành" in guide and "Mã đơn vị cấp trên" in guide
    assert workbook["Đơn vị"].max_row == 1


def test_a_job_left_pending_by_a_lost_queue_is_run_again(province):
    path = import_jobs.import_dir() / "cho.xlsx"
    path.write_bytes(book([staff_row("SYT-0501")]))
    job = ImportJob.objects.create(
        kind="staff",
        created_by=province["head_syt"],
        original_name="cho.xlsx",
        stored_name="cho.xlsx",
    )
    ImportJob.objects.filter(pk=job.pk).update(created_at=timezone.now() - timedelta(hours=1))

    assert tasks.jobs_recover() == 1

    job.refresh_from_db()
    assert (job.status, job.imported_rows) == (ImportStatus.DONE, 1)
    tasks.job_run(job.pk)  # a duplicate queue entry does nothing
    assert Staff.objects.filter(code="SYT-0501").count() == 1


def test_errors_point_to_rows_as_excel_numbers_them(province, tmp_path):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["DANH SÁCH CÁN BỘ SỞ Y TẾ"])  # a title above the header is fine
    sheet.append([])
    sheet.append(STAFF_HEADERS)
    sheet.append(staff_row("SYT-0601"))
    sheet.append([])
    sheet.append(staff_row("SYT-0602", "KHA-KHONG-CO"))
    path = tmp_path / "tieu-de.xlsx"
    workbook.save(path)
    seen = []

    outcome = importing.import_workbook(
        actor=province["admin"], kind="staff", path=path, progress=lambda d, t: seen.append((d, t))
    )

    assert (outcome.imported, outcome.errors, outcome.total, outcome.ok) == (0, 1, 2, False)
    assert "Dòng 6: Không có đơn vị mã KHA-KHONG-CO" in outcome.message
    errors = load_workbook(io.BytesIO(outcome.error_workbook)).active
    assert errors["A1"].value == "DANH SÁCH CÁN BỘ SỞ Y TẾ"
    assert errors["L3"].value == "Lỗi" and errors["L4"].value is None
    assert "KHA-KHONG-CO" in errors["L6"].value
    assert seen[-1] == (2, 2)


def test_a_file_over_the_row_limit_is_refused(province, tmp_path, settings):
    settings.IMPORT_MAX_ROWS = 2
    path = tmp_path / "nhieu.xlsx"
    path.write_bytes(book([staff_row(f"SYT-07{i:02d}") for i in range(3)]))

    outcome = importing.import_workbook(actor=province["admin"], kind="staff", path=path)

    assert outcome.refused and outcome.imported == 0
    assert outcome.message == "Tệp có hơn 2 dòng dữ liệu; hãy chia thành nhiều tệp nhỏ hơn."
    assert not Staff.objects.filter(code__startswith="SYT-07").exists()


def test_a_job_whose_worker_died_is_settled_by_its_audit_record(province):
    old = timezone.now() - timedelta(hours=7)
    jobs = [
        ImportJob.objects.create(
            kind="staff",
            created_by=province["head_syt"],
            original_name=f"{name}.xlsx",
            stored_name=f"{name}.xlsx",
            status=ImportStatus.RUNNING,
        )
        for name in ("da-ghi", "chua-ghi")
    ]
    ImportJob.objects.update(created_at=old)
    audit_record(actor=province["head_syt"], action="staff.import", file="da-ghi.xlsx", rows=12)

    assert tasks.jobs_recover() == 2

    written, lost = (ImportJob.objects.get(pk=job.pk) for job in jobs)
    assert (written.status, written.imported_rows) == (ImportStatus.DONE, 12)
    assert lost.status == ImportStatus.FAILED


def test_old_uploads_and_error_sheets_are_deleted(province, settings):
    settings.IMPORT_KEEP_DAYS = 30
    directory = import_jobs.import_dir()
    old, new = directory / "cu-loi.xlsx", directory / "moi.xlsx"
    for path in (old, new):
        path.write_bytes(b"x")
    stamp = (timezone.now() - timedelta(days=31)).timestamp()
    os.utime(old, (stamp, stamp))

    assert tasks.files_purge() == 1
    assert not old.exists() and new.exists()
