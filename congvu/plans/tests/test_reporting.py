"""Periodic reports on a plan (plans.reporting): pre-filled from the data (equal to a recount
from the rows), the workflow send → return with a comment → fix → send → accept with every
version kept, nobody reviews what they sent, a unit never sees or edits another unit's
report, the late board and the reminders 7 and 1 days before."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from congvu.core.actors import SYSTEM
from congvu.core.models import Notification
from congvu.plans import reporting, rules, services
from congvu.plans.models import ProgressEntry, ReportVersion
from congvu.plans.tests.factories import make_plan

pytestmark = pytest.mark.django_db


@pytest.fixture
def plan(province):
    plan = make_plan(province)
    services.plan_assign(
        actor=SYSTEM,
        plan=plan,
        units=[province.units["syt"], province.units["stp"]],
        day=date(2019, 7, 15),
    )
    head = province.users["head_syt"]
    yearly = plan.tasks.get(number="III.1.b")
    ongoing = plan.tasks.get(number="II.1")
    for task, on, state in (
        (yearly, date(2026, 3, 1), "in_progress"),
        (ongoing, date(2026, 4, 2), "in_progress"),
        (ongoing, date(2025, 11, 1), "in_progress"),
    ):
        services.progress_record(
            actor=head,
            task=task,
            unit=province.units["syt"],
            on=on,
            state=state,
            text=f"Đã làm {task.number} ngày {on:%d/%m/%Y}",
            period=on.year,
        )
    return plan


def start(province, plan, who="head_syt", unit="syt"):
    return reporting.report_start(
        actor=province.users[who], plan=plan, unit=province.units[unit], year=2026
    )


def test_a_report_starts_prefilled_and_its_numbers_equal_a_recount(province, plan):
    report = start(province, plan)
    assert report.due == date(2026, 11, 15) and report.status == rules.DRAFT
    lines = {line["number"]: line for line in report.content["tasks"]}
    assert set(lines) == set(plan.tasks.values_list("number", flat=True))
    for number, line in lines.items():
        recount = ProgressEntry.objects.filter(
            task__plan=plan, task__number=number, unit=province.units["syt"], period=2026
        )
        assert sorted(line["entry_ids"]) == sorted(recount.values_list("pk", flat=True))
    assert "Đã làm II.1 ngày 02/04/2026" in lines["II.1"]["text"]
    assert "25/11" not in lines["II.1"]["text"]  # 2025's entry is not 2026's report
    counts = report.content["counts"]
    assert sum(counts.values()) == len(lines)
    assert counts["late"] == sum(1 for line in lines.values() if line["status"] == "late")
    assert start(province, plan).pk == report.pk  # started once


def test_send_return_fix_send_accept_keeps_every_version(province, plan):
    report = start(province, plan)
    head, reviewer = province.users["head_syt"], province.users["snv"]
    reporting.report_save(actor=head, report=report, sections={"results": "Kết quả lần 1"})
    report = reporting.report_move(actor=head, report=report, move=rules.SUBMIT)
    assert report.status == rules.SUBMITTED and report.submitted_on is not None
    with pytest.raises(ValidationError):
        reporting.report_save(actor=head, report=report, sections={"results": "sửa lén"})
    with pytest.raises(ValidationError, match="Cần ghi ý kiến"):
        reporting.report_move(actor=reviewer, report=report, move=rules.RETURN)
    report = reporting.report_move(
        actor=reviewer, report=report, move=rules.RETURN, comment="Bổ sung số liệu tập huấn"
    )
    assert report.status == rules.RETURNED
    reporting.report_save(actor=head, report=report, sections={"results": "Kết quả lần 2"})
    report = reporting.report_move(actor=head, report=report, move=rules.SUBMIT)
    report = reporting.report_move(actor=reviewer, report=report, move=rules.ACCEPT)
    assert report.status == rules.ACCEPTED
    versions = list(ReportVersion.objects.filter(report=report).order_by("number"))
    assert [(v.move, v.status) for v in versions] == [
        ("submit", "submitted"),
        ("return", "returned"),
        ("submit", "submitted"),
        ("accept", "accepted"),
    ]
    assert versions[0].content["results"] == "Kết quả lần 1"
    assert versions[2].content["results"] == "Kết quả lần 2"
    assert versions[1].comment == "Bổ sung số liệu tập huấn"
    with pytest.raises(ValidationError):
        reporting.report_move(actor=head, report=report, move=rules.SUBMIT)


def test_the_unit_cannot_accept_and_nobody_reviews_what_they_sent(province, plan):
    report = start(province, plan)
    head = province.users["head_syt"]
    reporting.report_move(actor=head, report=report, move=rules.SUBMIT)
    with pytest.raises(ValidationError, match="không có quyền"):
        reporting.report_move(actor=head, report=report, move=rules.ACCEPT)
    snv_report = reporting.report_start(
        actor=province.users["snv"], plan=plan, unit=province.units["syt"], year=2025
    )
    reporting.report_move(actor=province.users["snv"], report=snv_report, move=rules.SUBMIT)
    with pytest.raises((ValidationError, PermissionDenied)):
        reporting.report_move(actor=province.users["snv"], report=snv_report, move=rules.ACCEPT)


def test_a_unit_never_sees_nor_edits_another_units_report(province, plan):
    report = start(province, plan)
    other = province.users["head_stp"]
    assert reporting.report_get_for_user(user=other, pk=report.pk) is None
    assert report not in reporting.report_list_for_user(user=other)
    with pytest.raises(PermissionDenied):
        reporting.report_save(actor=other, report=report, sections={"results": "x"})
    with pytest.raises(PermissionDenied):
        reporting.report_move(actor=other, report=report, move=rules.SUBMIT)
    with pytest.raises(PermissionDenied):
        start(province, plan, who="head_stp", unit="syt")
    assert reporting.report_get_for_user(user=province.users["snv"], pk=report.pk) == report


def test_the_board_lists_who_sent_and_who_is_late(province, plan):
    report = start(province, plan)
    reporting.report_move(actor=province.users["head_syt"], report=report, move=rules.SUBMIT)
    rows = reporting.cycle_board(
        user=province.users["snv"], plan=plan, year=2026, today=date(2026, 11, 25)
    )
    by_code = {row.unit.code: row for row in rows}
    assert by_code[province.units["stp"].code].days_late == 10  # nothing sent
    assert by_code[province.units["stp"].code].report is None
    sent = by_code[province.units["syt"].code]  # sent on 21/11 (the suite's today): 6 days late
    assert sent.report == report and sent.days_late == 6
    assert rows[0].unit == province.units["stp"]  # the latest first
    head_rows = reporting.cycle_board(
        user=province.users["head_stp"], plan=plan, year=2026, today=date(2026, 11, 20)
    )
    assert [r.unit for r in head_rows] == [province.units["stp"]]  # own unit only


@pytest.mark.parametrize(
    ("today", "expected"),
    [
        (date(2026, 11, 7), 0),
        (date(2026, 11, 8), 2),
        (date(2026, 11, 14), 2),
        (date(2026, 11, 15), 0),
    ],
)
def test_reminders_go_7_and_1_days_before_to_units_that_have_not_sent(
    province, plan, today, expected, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        assert reporting.reminders_send(today=today) == expected
    with django_capture_on_commit_callbacks(execute=True):
        again = reporting.reminders_send(today=today)
    assert again == expected  # counted again, but the inbox keeps one a day (the key)
    if expected:
        head = province.users["head_syt"]
        mine = Notification.objects.filter(recipient=head, kind="plan_reminder")
        assert mine.count() == 1 and "15/11/2026" in mine.get().message


def test_a_sent_report_gets_no_reminder(province, plan):
    report = start(province, plan)
    reporting.report_move(actor=province.users["head_syt"], report=report, move=rules.SUBMIT)
    assert reporting.reminders_send(today=date(2026, 11, 8)) == 1  # Sở Tư pháp only


def test_the_figures_from_the_other_capabilities_equal_a_recount(province, plan):
    from congvu.discipline.services import DecisionSpec, discipline_record
    from congvu.plans.reporting import recount

    discipline_record(
        actor=SYSTEM,
        staff=province.staff["syt_cc"],
        spec=DecisionSpec(
            form="khien_trach",
            decision_number="3/QĐ",
            decision_date=date(2026, 3, 1),
            issuer="Giám đốc",
            effective_from=date(2026, 3, 1),
            violation="Đi muộn",
        ),
    )
    report = start(province, plan)
    by_key = {f["key"]: f for f in report.content["figures"]}
    assert by_key["discipline"]["value"] == 1
    assert by_key["evaluations"]["value"] == 0 and by_key["feedback"]["value"] == 0
    for figure in report.content["figures"]:
        assert recount(figure) == figure["value"], figure["key"]
    other = reporting.report_start(
        actor=province.users["head_stp"], plan=plan, unit=province.units["stp"], year=2026
    )
    assert {f["key"]: f["value"] for f in other.content["figures"]}["discipline"] == 0


def test_a_late_task_is_explained_on_request_and_the_answer_is_kept(
    province, plan, django_capture_on_commit_callbacks
):
    task = plan.tasks.get(number="III.1.a")  # due 31/07/2019, never done by Sở Y tế: late
    snv, head = province.users["snv"], province.users["head_syt"]
    with django_capture_on_commit_callbacks(execute=True):
        request = reporting.explanation_ask(
            actor=snv, task=task, unit=province.units["syt"], question="Vì sao chưa cụ thể hóa?"
        )
    assert Notification.objects.filter(recipient=head, kind="plan_explain").count() == 1
    with pytest.raises(PermissionDenied):  # another unit does not answer for Sở Y tế
        reporting.explanation_answer(actor=province.users["head_stp"], request=request, answer="x")
    with pytest.raises(ValidationError, match="Cần ghi nội dung giải trình"):
        reporting.explanation_answer(actor=head, request=request, answer="   ")
    request = reporting.explanation_answer(actor=head, request=request, answer="Thiếu nhân lực")
    assert request.answer == "Thiếu nhân lực" and request.answered_by == head
    with pytest.raises(ValidationError, match="đã được giải trình"):
        reporting.explanation_answer(actor=head, request=request, answer="Sửa lại")


def test_only_a_late_task_and_only_a_manager_asks(province, plan):
    waiting = plan.tasks.get(number="II.6")  # waits for its event: not late
    with pytest.raises(ValidationError, match="đang quá hạn"):
        reporting.explanation_ask(
            actor=province.users["snv"],
            task=waiting,
            unit=province.units["syt"],
            question="?",
            as_of=date(2026, 11, 10),
        )
    with pytest.raises(PermissionDenied):
        reporting.explanation_ask(
            actor=province.users["head_syt"], task=waiting, unit=province.units["syt"], question="?"
        )


def _photo_with_exif() -> bytes:
    from io import BytesIO

    from PIL import Image

    image = Image.new("RGB", (64, 48), (200, 30, 30))
    exif = Image.Exif()
    exif[0x010F] = "Camera"  # the maker
    exif[0x0131] = "Camera software"
    out = BytesIO()
    image.save(out, "JPEG", exif=exif)
    return out.getvalue()


def test_evidence_of_progress_is_kept_clean_and_served_only_in_scope(
    province, plan, settings, tmp_path
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.MEDIA_ROOT = str(tmp_path)
    entry = ProgressEntry.objects.filter(unit=province.units["syt"]).first()
    head = province.users["head_syt"]
    photo = _photo_with_exif()
    assert b"Camera" in photo
    evidence = services.progress_evidence_attach(
        actor=head, entry=entry, upload=SimpleUploadedFile("tap-huan.jpg", photo)
    )
    kept = services.progress_evidence_path(evidence).read_bytes()
    assert evidence.content_type == "image/jpeg" and b"Camera" not in kept  # no metadata left
    with pytest.raises(ValidationError, match="Chỉ nhận tệp PDF"):
        services.progress_evidence_attach(
            actor=head, entry=entry, upload=SimpleUploadedFile("x.exe", b"MZ\x90\x00" * 10)
        )
    with pytest.raises(PermissionDenied):
        services.progress_evidence_attach(
            actor=province.users["head_stp"],
            entry=entry,
            upload=SimpleUploadedFile("a.jpg", photo),
        )
    assert services.progress_evidence_get_for_user(user=head, pk=evidence.pk) == evidence
    assert (
        services.progress_evidence_get_for_user(user=province.users["head_stp"], pk=evidence.pk)
        is None
    )
    assert len(list(tmp_path.joinpath("plans").iterdir())) == 1  # refused files left nothing


def test_a_unit_writes_its_own_implementation_of_a_task(province, plan):
    task = plan.tasks.get(number="III.1.a")  # due 31/07/2019
    head = province.users["head_syt"]
    row = reporting.unit_task_add(
        actor=head,
        task=task,
        unit=province.units["syt"],
        content="Ban hành kế hoạch của Sở",
        owner=province.staff["syt_cc"],
        due_on=date(2019, 7, 25),
    )
    assert row.owner == province.staff["syt_cc"]
    with pytest.raises(ValidationError, match="không được sau hạn của kế hoạch"):
        reporting.unit_task_add(
            actor=head, task=task, unit=province.units["syt"], content="x", due_on=date(2019, 8, 1)
        )
    with pytest.raises(ValidationError, match="cán bộ của đơn vị"):
        reporting.unit_task_add(
            actor=head,
            task=task,
            unit=province.units["syt"],
            content="x",
            owner=province.staff["head_stp"],
        )
    with pytest.raises(PermissionDenied):
        reporting.unit_task_add(
            actor=province.users["head_stp"], task=task, unit=province.units["syt"], content="x"
        )


def test_a_head_whose_role_ended_is_not_reminded(
    province, plan, django_capture_on_commit_callbacks
):
    from congvu.accounts.models import RoleAssignment

    RoleAssignment.objects.filter(user=province.users["head_syt"], role="unit_head").update(
        valid_to=date(2026, 11, 1)
    )
    with django_capture_on_commit_callbacks(execute=True):
        reporting.reminders_send(today=date(2026, 11, 8))
    assert not Notification.objects.filter(
        recipient=province.users["head_syt"], kind="plan_reminder"
    ).exists()
    assert Notification.objects.filter(
        recipient=province.users["head_stp"], kind="plan_reminder"
    ).exists()


def test_the_successor_of_a_merged_unit_is_reminded(province, django_capture_on_commit_callbacks):
    """Assigned in 2019 to a commune merged in 2025: its successor's head is reminded."""
    from congvu.accounts.services import role_assign

    made = make_plan(province, code="77/KH-UBND")
    services.plan_assign(
        actor=SYSTEM, plan=made, units=[province.units["xa_old"]], day=date(2019, 7, 15)
    )
    head = province.users["staff"]
    role_assign(
        actor=SYSTEM,
        user=head,
        role="unit_head",
        unit=province.units["xa_new"],
        valid_from=date(2025, 7, 1),
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert reporting.reminders_send(today=date(2026, 11, 14)) == 1
    message = Notification.objects.get(recipient=head, kind="plan_reminder").message
    assert "77/KH-UBND" in message
