"""Handling: routing through org history, the workflow on the handler's page, scope, and the
reporter's identity kept from the unit and the official everywhere it could leak."""

import io
import json
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from congvu.accounts.models import RoleAssignment
from congvu.accounts.services import role_assign, token_create
from congvu.core import jobs
from congvu.core.actors import SYSTEM
from congvu.core.models import AuditLog, Job, JobStatus, Notification
from congvu.discipline.services import DecisionSpec, discipline_record
from congvu.feedback import exports, rules, services, tasks
from congvu.feedback.models import Report
from congvu.feedback.tests.conftest import REPORTER, file_report, jpeg_bytes
from congvu.testing import export_via_job, make_staff, make_user

pytestmark = pytest.mark.django_db

LIST = reverse("feedback:handling_list")
EXPORT = reverse("feedback:handling_export")
IDENTITY = (REPORTER["name"], "0912345678", "0912 345 678", REPORTER["email"], "Mai Phương")


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def detail(report) -> str:
    return reverse("feedback:handling_detail", args=[report.pk])


def export_text(client: Client, data: dict | None = None) -> str:
    """The handling export as its button makes it: a background job, then its file."""
    response, content = export_via_job(client, EXPORT, data)
    assert content is not None, response.status_code
    book = load_workbook(io.BytesIO(content), read_only=True)
    return "\n".join(
        " ".join(str(v) for v in row if v is not None)
        for row in book.active.iter_rows(values_only=True)
    )


def assert_no_identity(text: str, where: str) -> None:
    for secret in IDENTITY:
        assert secret not in text, f"{where} shows {secret!r}"


# --- Routing ----------------------------------------------------------------------------------


def test_a_new_report_goes_to_the_units_handler_with_a_notification(
    province, handlers, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        report = file_report("KHA-SYT")
    notes = Notification.objects.filter(kind="report")
    assert list(notes.values_list("recipient_id", flat=True)) == [handlers["syt"].pk]
    message = notes.get().message
    assert rules.tracking_code_display(report.code) in message and "Sở Y tế" in message
    assert "06/12/2026" in message
    assert_no_identity(message, "the notification")


def test_without_a_handler_the_head_then_so_noi_vu_receive_it(
    province, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        file_report("KHA-STP")
    assert list(Notification.objects.values_list("recipient__username", flat=True)) == ["gd_stp"]
    Notification.objects.all().delete()
    with django_capture_on_commit_callbacks(execute=True):
        file_report("KHA-X-CL")  # a commune with neither a handler nor a head
    assert list(Notification.objects.values_list("recipient__username", flat=True)) == ["sonoivu"]


def test_a_report_on_a_unit_later_merged_goes_to_its_successors_handlers(province):
    moment = datetime(2025, 6, 2, 9, 0, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))
    with time_machine.travel(moment, tick=False):
        report = file_report("KHA-X-CHB", happened_on="01/06/2025")
    assert report.unit == province.units["xa_old"] and report.due_on == date(2025, 6, 17)
    head = make_user(
        "ct_camlam", make_staff(province.units["xa_new"], "Hồ", "Văn", "Lực", day=date(2025, 7, 1))
    )
    role_assign(
        actor=SYSTEM,
        user=head,
        role="unit_head",
        unit=province.units["xa_new"],
        valid_from=date(2025, 7, 1),
    )
    client = client_for(head)
    assert rules.tracking_code_display(report.code) in client.get(LIST).content.decode()
    page = client.get(detail(report)).content.decode()
    assert "UBND xã Cam Hải Đông" in page and "nay thuộc:" in page and "UBND xã Cam Lâm" in page
    services.report_reminders_send(today=date(2026, 11, 21))
    assert Notification.objects.filter(recipient=head, kind="reminder").exists()
    assert client_for(province.users["head_syt"]).get(detail(report)).status_code == 404


# --- Scope: a handler of unit A never sees unit B's reports --------------------------------------


def test_a_handler_of_one_unit_cannot_see_reports_of_another(province, handlers):
    syt = file_report("KHA-SYT", description="Sự việc ở Sở Y tế: bắt chờ cả buổi sáng không lý do.")
    stp = file_report(
        "KHA-STP",
        description="Sự việc ở Sở Tư pháp: đòi thêm giấy tờ không cần thiết.",
        uploads=[_jpeg_upload()],
    )
    client = client_for(handlers["syt"])
    page = client.get(LIST).content.decode()
    assert "Sự việc ở Sở Y tế" not in page  # the list shows no descriptions, but the codes
    assert rules.tracking_code_display(syt.code) in page
    assert rules.tracking_code_display(stp.code) not in page
    assert "1 phản ánh đang chờ xử lý" in page and ">1 phản ánh<" in page
    for q in (stp.code, "Tư pháp", "doi them giay"):
        found = client.get(LIST, {"q": q}).content.decode()
        assert rules.tracking_code_display(stp.code) not in found
    assert client.get(detail(stp)).status_code == 404
    assert client.post(detail(stp), {"hanh_dong": "chuyen", "buoc": "verify"}).status_code == 404
    assert client.get(reverse("feedback:attachment_download", args=[stp.pk, 1])).status_code == 404
    assert client.get(reverse("feedback:supervision_report", args=[stp.pk])).status_code == 404
    text = export_text(client)
    assert rules.tracking_code_display(syt.code) in text and "Sở Tư pháp" not in text
    api = Client(HTTP_AUTHORIZATION=f"Bearer {token_create(actor=SYSTEM, user=handlers['syt'])}")
    rows = api.get("/api/v1/reports").json()
    assert [r["id"] for r in rows["items"]] == [syt.pk] and rows["count"] == 1
    assert Report.objects.get(pk=stp.pk).status == "received"


def test_a_handler_cannot_move_a_report_outside_the_scope_through_the_service(province, handlers):
    from django.core.exceptions import PermissionDenied

    report = file_report("KHA-STP")
    with pytest.raises(PermissionDenied):
        services.report_move(actor=handlers["syt"], report=report, move="verify")
    with pytest.raises(PermissionDenied):
        services.report_note_add(actor=handlers["syt"], report=report, text="Ghi chú")
    assert Report.objects.get().status == "received" and not report.notes.exists()


def test_people_without_handling_rights_get_403_on_the_list(province):
    for key in ("staff", "council", "outsider", "mttq"):
        assert client_for(province.users[key]).get(LIST).status_code == 403, key


# --- The reporter's identity ------------------------------------------------------------------


def test_the_unit_never_sees_the_reporter_anywhere(
    province, handlers, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        report = file_report("KHA-SYT", uploads=[_jpeg_upload("Le-Thi-Mai-Phuong-bien-lai.jpg")])
    assert Notification.objects.exists()
    services.report_note_add(
        actor=handlers["syt"], report=report, text="Đã gọi cho bộ phận một cửa."
    )
    token = token_create(actor=SYSTEM, user=province.users["head_syt"])
    for user in (handlers["syt"], province.users["head_syt"]):
        client = client_for(user)
        assert_no_identity(client.get(LIST).content.decode(), "the list")
        assert_no_identity(client.get(LIST, {"q": ""}).content.decode(), "the list")
        page = client.get(detail(report)).content.decode()
        assert_no_identity(page, "the report page")
        assert "Le-Thi-Mai-Phuong" not in page  # the file's own name may name the reporter
        assert "Chỉ người được Sở Nội vụ chỉ định được xem" in page
        refused = client.post(detail(report), {"hanh_dong": "nguoi_phan_anh"})
        assert refused.status_code == 403
        assert_no_identity(refused.content.decode(), "the refused reveal")
        assert_no_identity(export_text(client), "the export")
        assert_no_identity(
            client.get(reverse("feedback:supervision_reports")).content.decode(), "supervision"
        )
        for name in ("Mai Phuong", "0912345678", "mai.phuong"):  # no search oracle either
            assert ">0 phản ánh<" in client.get(LIST, {"q": name}).content.decode(), name
    api = Client(HTTP_AUTHORIZATION=f"Bearer {token}")
    assert_no_identity(json.dumps(api.get("/api/v1/reports").json(), ensure_ascii=False), "the API")
    assert_no_identity(
        json.dumps(api.get("/api/v1/openapi.json").json(), ensure_ascii=False), "the schema"
    )
    download = client_for(handlers["syt"]).get(
        reverse("feedback:attachment_download", args=[report.pk, 1])
    )
    assert (
        "Le-Thi" not in download["Content-Disposition"]
        and download["X-Content-Type-Options"] == "nosniff"
    )
    for note in Notification.objects.all():
        assert_no_identity(note.message, "a notification")
    for row in AuditLog.objects.all():
        assert_no_identity(
            json.dumps(row.data, ensure_ascii=False) + row.object_repr, "the audit log"
        )


def test_the_audit_log_in_the_admin_shows_no_reporter(province):
    report = file_report("KHA-SYT")
    admin = client_for(province.users["admin"])
    assert_no_identity(
        admin.get(reverse("admin:core_auditlog_changelist")).content.decode(), "admin"
    )
    row = AuditLog.objects.get(action="report.receive")
    page = admin.get(reverse("admin:core_auditlog_change", args=[row.pk])).content.decode()
    assert report.code in page or "Phản ánh" in page
    assert_no_identity(page, "the admin audit record")
    from django.contrib import admin as django_admin

    assert not [m for m in django_admin.site._registry if m._meta.app_label == "feedback"]


def designate(province, user) -> None:
    """The administrator names ``user`` Sở Nội vụ's reader of reporters' identity (audited)."""
    role_assign(
        actor=province.users["admin"],
        user=user,
        role="reporter_reader",
        unit=province.units["kh"],
        include_subtree=True,
        valid_from=date(2026, 1, 1),
    )


def test_the_designated_reader_sees_the_reporter_on_request_and_the_look_is_audited(province):
    report = file_report("KHA-SYT", uploads=[_jpeg_upload("Le-Thi-Mai-Phuong-bien-lai.jpg")])
    designate(province, province.users["snv"])
    client = client_for(province.users["snv"])
    page = client.get(detail(report)).content.decode()
    assert_no_identity(page, "the page before asking")
    assert "Le-Thi-Mai-Phuong" not in page
    assert "Xem thông tin người phản ánh" in page
    shown = client.post(detail(report), {"hanh_dong": "nguoi_phan_anh"}).content.decode()
    assert REPORTER["name"] in shown and "0912345678" in shown and REPORTER["email"] in shown
    assert "Le-Thi-Mai-Phuong-bien-lai.jpg" in shown  # the file's own name, once revealed
    looks = AuditLog.objects.filter(action="report.identity_view", object_id=str(report.pk))
    assert looks.get().actor == province.users["snv"]
    assert_no_identity(json.dumps(looks.get().data), "the audit of the look")
    grant = AuditLog.objects.get(action="role.assign", data__role="reporter_reader")
    assert grant.data["sensitive"] is True and grant.actor == province.users["admin"]


@pytest.mark.parametrize("who", ["admin", "superuser", "snv"])
def test_all_permissions_do_not_reveal_the_reporter(province, who):
    """The system administrator (the role, or a superuser) and Sở Nội vụ without the designated
    role handle the report but never see who reported: not on the page, not on asking, not in
    the export, the API or the admin."""
    report = file_report("KHA-SYT", uploads=[_jpeg_upload("Le-Thi-Mai-Phuong-bien-lai.jpg")])
    user = province.users["outsider" if who == "superuser" else who]
    if who == "superuser":
        user.is_superuser = user.is_staff = True
        user.save()
    client = client_for(user)
    page = client.get(detail(report))
    assert page.status_code == 200
    assert_no_identity(page.content.decode(), "the report page")
    assert "Le-Thi-Mai-Phuong" not in page.content.decode()
    assert "Xem thông tin người phản ánh" not in page.content.decode()
    refused = client.post(detail(report), {"hanh_dong": "nguoi_phan_anh"})
    assert refused.status_code == 403
    assert_no_identity(refused.content.decode(), "the refused reveal")
    assert_no_identity(export_text(client), "the export")
    api = Client(HTTP_AUTHORIZATION=f"Bearer {token_create(actor=SYSTEM, user=user)}")
    assert_no_identity(json.dumps(api.get("/api/v1/reports").json(), ensure_ascii=False), "API")
    assert not AuditLog.objects.filter(action="report.identity_view").exists()
    with pytest.raises(PermissionDenied):
        services.reporter_contact_reveal(actor=user, report=report)


def test_the_reported_official_never_sees_the_report_or_the_reporter(
    province, handlers, django_capture_on_commit_callbacks
):
    head = province.staff["head_syt"]
    with django_capture_on_commit_callbacks(execute=True):
        report = file_report("KHA-SYT", official_id=str(head.pk))
    assert report.official == head
    client = client_for(province.users["head_syt"])
    assert rules.tracking_code_display(report.code) not in client.get(LIST).content.decode()
    assert client.get(detail(report)).status_code == 404
    assert client.get(reverse("feedback:supervision_report", args=[report.pk])).status_code == 404
    assert rules.tracking_code_display(report.code) not in export_text(client)
    assert not Notification.objects.filter(recipient=province.users["head_syt"]).exists()
    assert client_for(handlers["syt"]).get(detail(report)).status_code == 200
    # Even a Sở Nội vụ officer reported on cannot look at who reported them.
    snv_staff = province.staff["snv_cc"]
    about_snv = file_report("KHA-SNV", official_id=str(snv_staff.pk))
    officer = client_for(province.users["snv"])
    assert officer.get(detail(about_snv)).status_code == 404
    assert officer.post(detail(about_snv), {"hanh_dong": "nguoi_phan_anh"}).status_code == 404


# --- The workflow on the page ---------------------------------------------------------------------


def test_a_handler_verifies_concludes_answers_and_closes_each_step_audited(province, handlers):
    report = file_report("KHA-SYT", official_id=str(province.staff["syt_cc"].pk))
    client = client_for(handlers["syt"])
    assert client.post(detail(report), {"hanh_dong": "chuyen", "buoc": "verify"}).status_code == 302
    refused = client.post(
        detail(report), {"hanh_dong": "chuyen", "buoc": "conclude", "ket_qua": ""}
    )
    assert "Cần ghi kết quả xác minh." in refused.content.decode()
    assert Report.objects.get().status == "verifying"
    client.post(
        detail(report),
        {
            "hanh_dong": "chuyen",
            "buoc": "conclude",
            "ket_qua": "Đúng như phản ánh.",
            "can_bo_vi_pham": str(province.staff["syt_cc"].pk),
            "chuan_muc": "vhcv.tinh-than.c",
        },
    )
    report.refresh_from_db()
    assert report.status == "handled" and report.substantiated is True
    assert (
        report.finding_staff == province.staff["syt_cc"]
        and report.finding_criterion == "vhcv.tinh-than.c"
    )
    refused = client.post(detail(report), {"hanh_dong": "chuyen", "buoc": "answer", "tra_loi": " "})
    assert "Cần ghi nội dung trả lời người phản ánh." in refused.content.decode()
    client.post(
        detail(report),
        {"hanh_dong": "chuyen", "buoc": "answer", "tra_loi": "Đơn vị đã chấn chỉnh, xin cảm ơn."},
    )
    client.post(detail(report), {"hanh_dong": "chuyen", "buoc": "close"})
    report.refresh_from_db()
    assert report.status == "closed" and report.answered_on == date(2026, 11, 21)
    actions = list(
        AuditLog.objects.filter(object_id=str(report.pk), object_type="feedback.report")
        .order_by("id")
        .values_list("action", flat=True)
    )
    assert actions == [
        "report.receive",
        "report.verify",
        "report.conclude",
        "report.answer",
        "report.close",
    ]
    assert [e.to_status for e in report.events.all()] == [
        "received",
        "verifying",
        "handled",
        "answered",
        "closed",
    ]
    bad = client.post(detail(report), {"hanh_dong": "chuyen", "buoc": "verify"})
    assert "Không thể «bắt đầu xác minh» khi hồ sơ «Đã kết thúc»." in bad.content.decode()


def test_a_criterion_outside_the_category_or_staff_outside_the_unit_is_refused(province, handlers):
    report = file_report("KHA-SYT")
    client = client_for(handlers["syt"])
    client.post(detail(report), {"hanh_dong": "chuyen", "buoc": "verify"})
    page = client.post(
        detail(report),
        {"hanh_dong": "chuyen", "buoc": "conclude", "ket_qua": "x", "chuan_muc": "vhcs.bai-tri.1"},
    ).content.decode()
    assert "không thuộc nhóm hành vi" in page
    page = client.post(
        detail(report),
        {
            "hanh_dong": "chuyen",
            "buoc": "conclude",
            "ket_qua": "x",
            "can_bo_vi_pham": str(province.staff["stp_cc"].pk),
        },
    ).content.decode()
    assert "phải thuộc đơn vị bị phản ánh" in page
    assert Report.objects.get().status == "verifying"


def test_a_handler_lists_and_names_only_staff_in_their_own_scope(province, handlers):
    """The handler of Sở Y tế (its own unit, no subtree) handles a report on Sở Y tế: the
    hospital under it belongs to the report's family, but its staff are outside the handler's
    scope and are neither listed nor accepted in a finding."""
    report = file_report("KHA-SYT")
    client = client_for(handlers["syt"])
    client.post(detail(report), {"hanh_dong": "chuyen", "buoc": "verify"})
    page = client.get(detail(report)).content.decode()
    choices = page.split('name="can_bo_vi_pham"')[1].split("</select>")[0]
    assert "Nguyễn Văn An" in choices  # Sở Y tế's own official
    assert "Lê Văn Đức" not in choices  # the hospital's nurse
    assert "Phan Thị Hoa" not in choices  # the handler never names themself
    page = client.post(
        detail(report),
        {
            "hanh_dong": "chuyen",
            "buoc": "conclude",
            "ket_qua": "x",
            "can_bo_vi_pham": str(province.staff["nurse"].pk),
        },
    ).content.decode()
    assert "phải thuộc đơn vị bị phản ánh" in page
    assert Report.objects.get().status == "verifying"
    head = client_for(province.users["head_syt"])  # head of Sở Y tế with its subtree
    choices = head.get(detail(report)).content.decode().split('name="can_bo_vi_pham"')[1]
    assert "Lê Văn Đức" in choices.split("</select>")[0]


def test_an_unfounded_report_is_rejected_with_a_public_answer(province, handlers):
    report = file_report("KHA-SYT")
    client_for(handlers["syt"]).post(
        detail(report),
        {
            "hanh_dong": "chuyen",
            "buoc": "reject",
            "ket_qua": "Camera cho thấy quầy có người.",
            "tra_loi": "Phản ánh không có cơ sở.",
        },
    )
    report.refresh_from_db()
    assert report.status == "rejected" and report.substantiated is False
    assert report.public_answer == "Phản ánh không có cơ sở." and report.answered_on


def test_a_substantiated_report_is_linked_to_the_officials_discipline_record(province):
    official = province.staff["syt_cc"]
    record = discipline_record(
        actor=SYSTEM,
        staff=official,
        spec=DecisionSpec(
            form="khien_trach",
            decision_number="12/QĐ-SYT",
            decision_date=date(2026, 11, 10),
            issuer="Sở Y tế",
            effective_from=date(2026, 11, 10),
            violation="Gây phiền hà cho người dân",
        ),
    )
    report = file_report("KHA-SYT", official_id=str(official.pk))
    head = client_for(province.users["snv"])
    head.post(detail(report), {"hanh_dong": "chuyen", "buoc": "verify"})
    head.post(
        detail(report),
        {
            "hanh_dong": "chuyen",
            "buoc": "conclude",
            "ket_qua": "Có cơ sở.",
            "can_bo_vi_pham": str(official.pk),
            "ky_luat": str(record.pk),
        },
    )
    report.refresh_from_db()
    assert report.discipline_record == record and report.finding_staff == official
    assert "12/QĐ-SYT" in head.get(detail(report)).content.decode()


def test_a_discipline_record_taken_later_is_linked_afterwards(province, handlers):
    official = province.staff["syt_cc"]
    report = file_report("KHA-SYT")
    services.report_move(actor=handlers["syt"], report=report, move="verify")
    services.report_move(
        actor=handlers["syt"],
        report=report,
        move="conclude",
        conclusion=services.Conclusion("Có cơ sở.", staff=official),
    )
    record = discipline_record(
        actor=SYSTEM,
        staff=official,
        spec=DecisionSpec(
            form="khien_trach",
            decision_number="13/QĐ-SYT",
            decision_date=date(2026, 11, 20),
            issuer="Sở Y tế",
            effective_from=date(2026, 11, 20),
            violation="Gây phiền hà",
        ),
    )
    # The handler role does not read the discipline register: the head links it.
    assert (
        "Gắn quyết định kỷ luật"
        not in client_for(handlers["syt"]).get(detail(report)).content.decode()
    )
    head = client_for(province.users["head_syt"])
    assert "Gắn quyết định kỷ luật" in head.get(detail(report)).content.decode()
    head.post(detail(report), {"hanh_dong": "ky_luat", "ky_luat_id": str(record.pk)})
    assert Report.objects.get().discipline_record == record
    assert AuditLog.objects.filter(action="report.link_discipline").count() == 1


def test_internal_notes_stay_with_the_handlers(province, handlers, client):
    report = file_report("KHA-SYT")
    handler = client_for(handlers["syt"])
    handler.post(
        detail(report), {"hanh_dong": "ghi_chu", "ghi_chu": "Đã hẹn làm việc với tổ một cửa."}
    )
    assert "Đã hẹn làm việc" in handler.get(detail(report)).content.decode()
    tracked = client.get(reverse("feedback:public_track"), {"ma": report.code}).content.decode()
    assert "Đã hẹn làm việc" not in tracked
    front = client_for(province.users["mttq"]).get(
        reverse("feedback:supervision_report", args=[report.pk])
    )
    assert "Đã hẹn làm việc" not in front.content.decode()
    empty = handler.post(detail(report), {"hanh_dong": "ghi_chu", "ghi_chu": "  "})
    assert "Ghi chú trống." in empty.content.decode() and report.notes.count() == 1


def test_the_list_filters_by_status_overdue_unit_and_text(province):
    head = province.users["snv"]
    late = time_machine.travel(
        datetime(2026, 10, 1, 9, 0, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh")), tick=False
    )
    with late:
        old = file_report(
            "KHA-STP",
            happened_on="30/09/2026",
            description="Hồ sơ lý lịch tư pháp hẹn mười ngày mà chưa có kết quả.",
        )
    new = file_report("KHA-SYT")
    services.report_move(actor=head, report=new, move="verify")
    client = client_for(head)

    def codes(**params):
        body = client.get(LIST, params).content.decode()
        return {r.code for r in (old, new) if rules.tracking_code_display(r.code) in body}

    assert codes() == {old.code, new.code}
    assert codes(trang_thai="verifying") == {new.code}
    assert codes(trang_thai="open") == {old.code, new.code}
    assert codes(qua_han="1") == {old.code}
    assert codes(don_vi=str(province.units["stp"].pk)) == {old.code}
    assert codes(q="ly lich tu phap") == {old.code}
    assert "quá hạn 36 ngày" in client.get(LIST).content.decode()


def test_the_list_is_paginated(province, settings):
    from congvu.feedback import views_staff

    settings.DEBUG = False
    for _ in range(views_staff.PAGE_SIZE + 2):
        file_report("KHA-SYT")
    client = client_for(province.users["snv"])
    first = client.get(LIST).content.decode()
    assert "Trang 1/2" in first and f">{views_staff.PAGE_SIZE + 2} phản ánh<" in first
    assert "Trang 2/2" in client.get(LIST, {"trang": "2"}).content.decode()


# --- The export: a background job with the list's filters and the creator's scope ------------


def export_codes(client: Client, reports, **params) -> set[str]:
    text = export_text(client, params)
    return {r.code for r in reports if rules.tracking_code_display(r.code) in text}


def test_the_export_is_a_job_over_the_list_as_filtered(province):
    head = province.users["snv"]
    with time_machine.travel(
        datetime(2026, 10, 1, 9, 0, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh")), tick=False
    ):
        old = file_report(
            "KHA-STP",
            happened_on="30/09/2026",
            description="Hồ sơ lý lịch tư pháp hẹn mười ngày mà chưa có kết quả.",
        )
    new = file_report("KHA-SYT")
    services.report_move(actor=head, report=new, move="verify")
    client = client_for(head)
    page = client.get(LIST, {"q": "ly lich", "qua_han": "1"}).content.decode()
    assert '<form method="post" action="/xu-ly-phan-anh/danh-sach.xlsx"' in page
    assert '<input type="hidden" name="q" value="ly lich">' in page  # the form posts the filter
    assert '<input type="hidden" name="qua_han" value="1">' in page
    both = (old, new)
    assert export_codes(client, both) == {old.code, new.code}
    assert export_codes(client, both, trang_thai="verifying") == {new.code}
    assert export_codes(client, both, trang_thai="open") == {old.code, new.code}
    assert export_codes(client, both, qua_han="1") == {old.code}
    assert export_codes(client, both, don_vi=str(province.units["stp"].pk)) == {old.code}
    assert export_codes(client, both, q="ly lich tu phap", trang_thai="open") == {old.code}
    job = Job.objects.filter(created_by=head).latest("pk")
    assert job.kind == "feedback.handling" and job.status == JobStatus.DONE
    assert job.parameters == {
        "trang_thai": "open",
        "qua_han": "",
        "don_vi": "",
        "q": "ly lich tu phap",
    }
    download = client.get(reverse("jobs:download", args=[job.pk]))
    assert download["Content-Disposition"] == f'attachment; filename="phan-anh-{job.pk}.xlsx"'
    rows = list(load_workbook(io.BytesIO(b"".join(download.streaming_content))).active.values)
    assert list(rows[0]) == exports.EXPORT_HEADERS and len(rows) == 2
    assert rows[1][0] == rules.tracking_code_display(old.code)
    assert rows[1][3:8] == (
        "30/09/2026",
        "01/10/2026",
        old.due_on.strftime("%d/%m/%Y"),
        old.status_name,
        "Có",
    )
    back = client.get(reverse("jobs:detail", args=[job.pk])).content.decode()
    assert "Danh sách phản ánh, kiến nghị" in back and "ly lich tu phap" in back


def test_the_exports_file_holds_only_the_creators_scope_never_a_report_about_them(
    province, handlers
):
    syt = file_report("KHA-SYT")
    stp = file_report("KHA-STP")
    about_head = file_report("KHA-SYT", official_id=str(province.staff["head_syt"].pk))
    about_snv = file_report("KHA-SNV", official_id=str(province.staff["snv_cc"].pk))
    every = (syt, stp, about_head, about_snv)
    assert export_codes(client_for(handlers["syt"]), every) == {syt.code, about_head.code}
    assert export_codes(client_for(handlers["stp"]), every) == {stp.code}
    assert export_codes(client_for(province.users["head_syt"]), every) == {syt.code}
    snv = client_for(province.users["snv"])
    assert export_codes(snv, every) == {syt.code, stp.code, about_head.code}
    assert export_codes(snv, every, don_vi=str(province.units["syt"].pk)) == {
        syt.code,
        about_head.code,
    }


def test_the_export_is_a_form_post_refused_without_the_right_or_outside_the_scope(
    province, handlers
):
    file_report("KHA-SYT")
    file_report("KHA-STP")
    client = client_for(handlers["syt"])
    assert client.get(EXPORT).status_code == 405
    assert client.post(EXPORT, {"don_vi": str(province.units["stp"].pk)}).status_code == 404
    assert client.post(EXPORT, {"don_vi": "x\x00"}).status_code == 404
    assert client_for(province.users["outsider"]).post(EXPORT).status_code == 403
    assert not Job.objects.exists()


def test_the_export_job_checks_the_right_and_the_unit_again_when_it_runs(province, handlers):
    file_report("KHA-SYT")
    file_report("KHA-STP")
    handler = handlers["syt"]
    forged = jobs.job_start(
        actor=handler,
        kind="feedback.handling",
        parameters={"don_vi": str(province.units["stp"].pk)},
    )
    jobs.job_run(forged.pk)
    late = jobs.job_start(actor=handler, kind="feedback.handling", parameters={"q": ""})
    RoleAssignment.objects.filter(user=handler).update(valid_to=timezone.localdate())
    jobs.job_run(late.pk)
    for job in (forged, late):
        job.refresh_from_db()
        assert job.status == JobStatus.FAILED and job.file_name == ""
        assert "không còn quyền" in job.message
    assert list(jobs.jobs_dir().iterdir()) == []


# --- Reminders --------------------------------------------------------------------------------------


def test_reminders_go_once_a_day_to_the_handlers_of_reports_due_or_late(province, handlers):
    with time_machine.travel(
        datetime(2026, 11, 1, 9, 0, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh")), tick=False
    ):
        late = file_report("KHA-SYT", happened_on="31/10/2026")
    fresh = file_report("KHA-SYT")
    tasks.report_reminders.call_local()
    tasks.report_reminders.call_local()  # a second run the same day adds nothing
    reminders = Notification.objects.filter(kind="reminder")
    assert reminders.count() == 1
    message = reminders.get().message
    assert rules.tracking_code_display(late.code) in message and "quá hạn 5 ngày" in message
    assert rules.tracking_code_display(fresh.code) not in message
    assert_no_identity(message, "a reminder")
    services.report_reminders_send(today=date(2026, 11, 22))
    assert reminders.count() == 2


def _jpeg_upload(name: str = "anh.jpg"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, jpeg_bytes(), content_type="image/jpeg")


def test_each_look_at_a_report_is_logged_without_the_reporter(province, handlers, caplog):
    report = file_report("KHA-SYT")
    client_for(handlers["syt"]).get(detail(report))
    client_for(province.users["mttq"]).get(reverse("feedback:supervision_report", args=[report.pk]))
    views = [r for r in caplog.records if r.getMessage() == "report.view"]
    assert [r.data["user"] for r in views] == [handlers["syt"].pk, province.users["mttq"].pk]
    for record in caplog.records:
        assert_no_identity(json.dumps(getattr(record, "data", {}), default=str), "a log line")


def test_ids_beyond_the_database_range_are_404_not_500(province, handlers):
    report = file_report("KHA-SYT")
    client = client_for(province.users["snv"])
    huge = 2**70
    assert client.get(f"/xu-ly-phan-anh/{huge}/").status_code == 404
    assert client.get(f"/giam-sat/phan-anh/{huge}/").status_code == 404
    assert client.get(f"/giam-sat/kien-nghi/{huge}/").status_code == 404
    client.post(detail(report), {"hanh_dong": "chuyen", "buoc": "verify"})
    page = client.post(
        detail(report),
        {"hanh_dong": "chuyen", "buoc": "conclude", "ket_qua": "x", "can_bo_vi_pham": str(huge)},
    )
    assert page.status_code == 200 and "phải thuộc đơn vị bị phản ánh" in page.content.decode()
