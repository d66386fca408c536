"""Supervision by the Fatherland Front: a read-only view of reports and handling times without the
reporter, findings filed on a unit and answered by it; the public handling statistics."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse

from congvu.core.models import AuditLog, Notification
from congvu.feedback import selectors, services, supervision
from congvu.feedback.models import SupervisionFinding
from congvu.feedback.selectors import public_handling_stats
from congvu.feedback.tests.conftest import REPORTER, file_report
from congvu.testing import make_unit

pytestmark = pytest.mark.django_db
VN = ZoneInfo("Asia/Ho_Chi_Minh")


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def at(day: date):
    return time_machine.travel(datetime(day.year, day.month, day.day, 9, 0, tzinfo=VN), tick=False)


# --- The read-only view ---------------------------------------------------------------------------


def test_the_front_sees_reports_and_handling_times_without_the_reporter(province, handlers):
    with at(date(2026, 11, 1)):
        report = file_report(
            "KHA-SYT", description="Cán bộ tiếp dân quát tháo người cao tuổi ở quầy."
        )
    services.report_note_add(actor=handlers["syt"], report=report, text="Nội bộ: đã gọi tổ một cửa")
    front = client_for(province.users["mttq"])
    listing = front.get(reverse("feedback:supervision_reports")).content.decode()
    assert "Sở Y tế" in listing and "Số ngày xử lý" in listing
    page = front.get(reverse("feedback:supervision_report", args=[report.pk])).content.decode()
    assert "Cán bộ tiếp dân quát tháo" in page and 'id="handling-days">20<' in page
    for secret in (REPORTER["name"], "0912345678", REPORTER["email"], "Nội bộ: đã gọi"):
        assert secret not in listing and secret not in page
    # Read-only: no handling page, no moves, no attachments, no identity.
    assert front.get(reverse("feedback:handling_list")).status_code == 403
    assert front.get(reverse("feedback:handling_detail", args=[report.pk])).status_code == 404
    assert (
        front.post(
            reverse("feedback:handling_detail", args=[report.pk]),
            {"hanh_dong": "chuyen", "buoc": "verify"},
        ).status_code
        == 404
    )
    assert (
        front.get(reverse("feedback:attachment_download", args=[report.pk, 1])).status_code == 404
    )
    assert report.events.count() == 1


def test_the_supervision_view_sums_up_the_handling_of_the_filtered_reports(province):
    snv = province.users["snv"]
    with at(date(2026, 10, 1)):
        early = file_report("KHA-SYT")
    with at(date(2026, 10, 5)):
        services.report_move(
            actor=snv,
            report=early,
            move="reject",
            answer="Không có cơ sở.",
            conclusion=services.Conclusion("Không đúng."),
        )
    file_report("KHA-STP")
    page = client_for(province.users["mttq"]).get(reverse("feedback:supervision_reports"))
    figures = page.context["figures"]
    assert (figures.received, figures.answered, figures.on_time, figures.median_days) == (
        2,
        1,
        1,
        4.0,
    )
    assert "100%" in page.content.decode()


def test_inspectors_and_leaders_read_within_their_scope(province):
    file_report("KHA-SYT")
    stp = file_report("KHA-STP")
    inspector = client_for(province.users["inspector"])  # Sở Tư pháp only
    body = inspector.get(reverse("feedback:supervision_reports")).content.decode()
    assert ">1 phản ánh<" in body and "Sở Tư pháp" in body
    assert inspector.get(reverse("feedback:supervision_report", args=[stp.pk])).status_code == 200
    assert (
        ">2 phản ánh<"
        in client_for(province.users["leader"])
        .get(reverse("feedback:supervision_reports"))
        .content.decode()
    )
    for key in ("staff", "council", "outsider"):
        assert (
            client_for(province.users[key]).get(reverse("feedback:supervision_reports")).status_code
            == 403
        )


# --- Findings -------------------------------------------------------------------------------------------


def file_finding(province, **changes):
    values = {
        "unit": province.units["syt"],
        "title": "Giám sát tiếp dân tại Sở Y tế",
        "content": "Thời gian chờ dài, một số cán bộ không đeo thẻ.",
        "due_on": None,
    }
    values.update(changes)
    return supervision.finding_file(actor=province.users["mttq"], **values)


def test_the_front_files_a_finding_the_unit_answers_and_the_front_closes(
    province, handlers, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        finding = file_finding(province)
    assert finding.status == "open" and finding.due_on == date(2026, 12, 21)
    told = set(
        Notification.objects.filter(kind="supervision").values_list(
            "recipient__username", flat=True
        )
    )
    assert told == {"xuly_syt", "gd_syt"}
    url = reverse("feedback:finding_detail", args=[finding.pk])
    head = client_for(province.users["head_syt"])
    page = head.get(url).content.decode()
    assert "Gửi trả lời" in page and "Kết thúc giám sát" not in page
    refused = head.post(url, {"buoc": "answer", "noi_dung": ""})
    assert refused.status_code == 200 and "Cần ghi nội dung trả lời." in refused.content.decode()
    head.post(url, {"buoc": "answer", "noi_dung": "Đã bố trí thêm quầy và nhắc nhở đeo thẻ."})
    front = client_for(province.users["mttq"])
    assert head.post(url, {"buoc": "close"}).status_code == 403  # only the Front closes
    front.post(
        url,
        {
            "buoc": "request_more",
            "noi_dung": "Đề nghị báo cáo kết quả sau một tháng.",
            "han": "31/12/2026",
        },
    )
    finding.refresh_from_db()
    assert finding.status == "open" and finding.due_on == date(2026, 12, 31)
    head.post(url, {"buoc": "answer", "noi_dung": "Sau một tháng: thời gian chờ còn 10 phút."})
    front.post(url, {"buoc": "close", "noi_dung": "Ghi nhận."})
    finding.refresh_from_db()
    assert finding.status == "closed" and finding.closed_on == date(2026, 11, 21)
    actions = list(
        AuditLog.objects.filter(object_type="feedback.supervisionfinding")
        .order_by("id")
        .values_list("action", flat=True)
    )
    assert actions == [
        "supervision.file",
        "supervision.answer",
        "supervision.request_more",
        "supervision.answer",
        "supervision.close",
    ]


def test_a_finding_is_seen_only_within_scope(province):
    finding = file_finding(province)
    url = reverse("feedback:finding_detail", args=[finding.pk])
    assert client_for(province.users["head_stp"]).get(url).status_code == 404
    assert client_for(province.users["inspector"]).get(url).status_code == 404
    assert client_for(province.users["leader"]).get(url).status_code == 200
    listing = client_for(province.users["head_stp"]).get(reverse("feedback:finding_list"))
    assert "Giám sát tiếp dân tại Sở Y tế" not in listing.content.decode()
    assert (
        client_for(province.users["outsider"]).get(reverse("feedback:finding_list")).status_code
        == 403
    )
    leader = client_for(province.users["leader"])  # reads, cannot answer or close
    assert leader.post(url, {"buoc": "answer", "noi_dung": "x"}).status_code == 403


def test_only_the_front_files_findings_on_units_in_its_scope(province):
    with pytest.raises(PermissionDenied):
        supervision.finding_file(
            actor=province.users["head_syt"],
            unit=province.units["syt"],
            title="x",
            content="nội dung đủ dài",
            due_on=None,
        )
    other = make_unit("LDG", "UBND tỉnh Lâm Đồng", "ubnd_tinh")
    with pytest.raises(PermissionDenied):
        file_finding(province, unit=other)
    assert (
        client_for(province.users["head_syt"]).get(reverse("feedback:finding_create")).status_code
        == 403
    )
    assert not SupervisionFinding.objects.exists()


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"don_vi": ""}, "Hãy chọn đơn vị được giám sát."),
        ({"tieu_de": ""}, "Hãy nhập tiêu đề."),
        ({"noi_dung": "ngắn"}, "Hãy ghi nội dung giám sát, kiến nghị."),
        ({"noi_dung": "x" * 5000}, "Nội dung tối đa 4.000 ký tự."),
        ({"han": "21/11/2026"}, "Hạn trả lời phải sau hôm nay."),
        ({"han": "mai"}, "dd/mm/yyyy"),
    ],
)
def test_a_bad_finding_is_refused_with_a_message_and_nothing_stored(province, fields, message):
    data = {
        "don_vi": str(province.units["syt"].pk),
        "tieu_de": "Giám sát",
        "noi_dung": "Nội dung giám sát đủ dài.",
        "han": "",
    }
    data.update(fields)
    response = client_for(province.users["mttq"]).post(reverse("feedback:finding_create"), data)
    assert response.status_code == 200 and message in response.content.decode()
    assert not SupervisionFinding.objects.exists()


def test_a_new_deadline_must_be_after_today(province):
    finding = file_finding(province)
    supervision.finding_move(
        actor=province.users["head_syt"], finding=finding, move="answer", text="Đã làm."
    )
    with pytest.raises(ValidationError, match="sau hôm nay"):
        supervision.finding_move(
            actor=province.users["mttq"],
            finding=finding,
            move="request_more",
            text="Chưa đủ",
            due_on=date(2026, 11, 1),
        )
    assert SupervisionFinding.objects.get().status == "answered"


def test_findings_due_soon_remind_the_unit(province, handlers):
    file_finding(province, due_on=date(2026, 11, 22))
    assert supervision.finding_reminders_send(today=date(2026, 11, 21)) == 1
    assert Notification.objects.filter(kind="reminder", recipient=handlers["syt"]).exists()


# --- Public handling statistics -------------------------------------------------------------------


def test_public_handling_stats_per_unit_on_a_hand_computed_example(province):
    snv = province.users["snv"]

    def answered(unit, received, answered_on, move="answer"):
        with at(received):
            report = file_report(unit)
        with at(answered_on):
            if move == "answer":
                services.report_move(actor=snv, report=report, move="verify")
                services.report_move(
                    actor=snv,
                    report=report,
                    move="conclude",
                    conclusion=services.Conclusion("Đúng."),
                )
                services.report_move(actor=snv, report=report, move="answer", answer="Đã xử lý.")
            else:
                services.report_move(
                    actor=snv,
                    report=report,
                    move="reject",
                    answer="Không đúng.",
                    conclusion=services.Conclusion("Không đúng."),
                )
        return report

    answered("KHA-SYT", date(2026, 10, 1), date(2026, 10, 5))  # 4 days, due 16/10: on time
    answered("KHA-SYT", date(2026, 10, 2), date(2026, 10, 20), "reject")  # 18 days: late
    with at(date(2026, 10, 3)):
        file_report("KHA-SYT")  # still open
    answered("KHA-STP", date(2026, 10, 10), date(2026, 10, 12))  # 2 days
    with at(date(2026, 9, 30)):
        file_report("KHA-STP")  # before the period
    stats = {
        u.code: u for u in public_handling_stats(start=date(2026, 10, 1), end=date(2026, 11, 1))
    }
    assert set(stats) == {"KHA-SYT", "KHA-STP"}
    syt = stats["KHA-SYT"]
    assert (syt.received, syt.answered, syt.on_time) == (3, 2, 1)
    assert syt.on_time_share == 0.5 and syt.median_days == 11.0
    stp = stats["KHA-STP"]
    assert (stp.received, stp.answered, stp.on_time_share, stp.median_days) == (1, 1, 1.0, 2.0)
    assert stats["KHA-SYT"].name == "Sở Y tế"


def test_public_handling_stats_roll_a_merged_unit_into_its_successor(province):
    with at(date(2025, 6, 2)):
        file_report("KHA-X-CHB", happened_on="01/06/2025")
        file_report("NTH-SNV", happened_on="01/06/2025")
    stats = public_handling_stats(start=date(2025, 1, 1), end=date(2026, 11, 22))
    by_code = {u.code: u.received for u in stats}
    assert by_code == {"KHA-X-CL": 1, "KHA-SNV": 1}  # the commune and Sở Nội vụ that carry them on
    before = public_handling_stats(start=date(2025, 1, 1), end=date(2025, 7, 1))
    assert {u.code for u in before} == {"KHA-X-CHB", "NTH-SNV"}  # as they were then


def test_public_handling_stats_take_a_constant_number_of_queries(
    province, django_assert_max_num_queries
):
    for unit in ("KHA-SYT", "KHA-STP", "KHA-SNV", "KHA-X-CL"):
        file_report(unit)
    selectors.org_graph()  # cached once, as on a running site
    with django_assert_max_num_queries(2):
        assert len(public_handling_stats(start=date(2026, 1, 1), end=date(2027, 1, 1))) == 4
