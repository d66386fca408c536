"""Discipline cases: the services (refusals change nothing, nobody handles their own case, a
time-barred or unlawful decision refused, pauses lengthen both limits), the scoped selectors
and the reminders of the processing limit."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from congvu.accounts.services import role_assign
from congvu.core.actors import SYSTEM
from congvu.core.models import AuditLog, Notification
from congvu.discipline import cases, selectors
from congvu.discipline.cases import CaseSpec
from congvu.discipline.models import CasePause, DisciplineCase, DisciplineRecord
from congvu.discipline.services import DecisionSpec

pytestmark = pytest.mark.django_db
TODAY = date(2026, 11, 21)


def case_spec(**overrides) -> CaseSpec:
    values = {
        "committed_on": date(2026, 9, 1),
        "detected_on": date(2026, 9, 15),
        "level": "khien_trach",
        "description": "Gây phiền hà khi tiếp công dân",
        "source": "Biên bản kiểm tra số 3/BB-KT",
    }
    values.update(overrides)
    return CaseSpec(**values)


def decision(**overrides) -> DecisionSpec:
    values = {
        "form": "khien_trach",
        "decision_number": "21/QĐ-SYT",
        "decision_date": date(2026, 11, 20),
        "issuer": "Sở Y tế",
        "effective_from": date(2026, 11, 20),
        "violation": "Gây phiền hà khi tiếp công dân",
    }
    values.update(overrides)
    return DecisionSpec(**values)


@pytest.fixture
def case(province):
    """A case about An (công chức of Sở Y tế), opened by the head of Sở Y tế."""
    return cases.case_open(
        actor=province["head_syt"], staff=province.staff["syt_cc"], spec=case_spec()
    )


def _snapshot(case):
    case.refresh_from_db()
    return (
        case.status,
        case.decision_id,
        case.closed_on,
        case.council_on,
        DisciplineRecord.objects.count(),
        CasePause.objects.count(),
    )


def test_a_case_is_opened_with_the_persons_snapshot_and_audit(province, case):
    assert (case.unit_id, case.category, case.is_leader, case.status) == (
        province["syt"].pk,
        "cong_chuc",
        False,
        "open",
    )
    assert case.created_by == province["head_syt"]
    assert AuditLog.objects.filter(action="discipline.case_open", object_id=str(case.pk)).exists()


def test_nobody_opens_or_handles_a_case_about_themself(province, case):
    own = province.staff["syt_cc"]  # An holds the login "cb_syt"; make him a unit head too
    role_assign(
        actor=SYSTEM,
        user=province["staff"],
        role="unit_head",
        unit=province["syt"],
        include_subtree=True,
        valid_from=date(2024, 1, 1),
    )
    user = type(province["staff"]).objects.get(pk=province["staff"].pk)
    with pytest.raises(PermissionDenied):
        cases.case_open(actor=user, staff=own, spec=case_spec())
    before = _snapshot(case)
    with pytest.raises(PermissionDenied):
        cases.case_drop(actor=user, case=case, reason="Tự dừng")
    with pytest.raises(PermissionDenied):
        cases.case_decide(actor=user, case=case, spec=decision())
    assert _snapshot(case) == before
    assert selectors.case_get_for_user(user=user, pk=case.pk) is None  # not even seen
    # …while he handles a colleague's case
    nurse_case = cases.case_open(actor=user, staff=province.staff["nurse"], spec=case_spec())
    assert selectors.case_get_for_user(user=user, pk=nurse_case.pk) == nurse_case


def test_another_units_head_and_the_outsider_are_refused(province, case):
    for key in ("head_stp", "outsider", "leader"):
        with pytest.raises(PermissionDenied):
            cases.case_drop(actor=province[key], case=case, reason="Không có vi phạm")
    with pytest.raises(PermissionDenied):
        cases.case_open(
            actor=province["head_stp"], staff=province.staff["syt_cc"], spec=case_spec()
        )
    assert DisciplineCase.objects.count() == 1 and _snapshot(case)[0] == "open"


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        (case_spec(detected_on=date(2026, 12, 1)), "sau ngày hôm nay"),
        (case_spec(committed_on=date(2026, 9, 20)), "không được sau ngày phát hiện"),
        (case_spec(level="nang"), "Mức vi phạm"),
        (case_spec(description="  "), "Hành vi vi phạm"),
        (case_spec(no_limitation="khac"), "không áp dụng thời hiệu"),
    ],
)
def test_bad_openings_are_refused_and_nothing_is_written(province, spec, message):
    with pytest.raises(ValidationError, match=message):
        cases.case_open(actor=province["head_syt"], staff=province.staff["syt_cc"], spec=spec)
    assert not DisciplineCase.objects.exists()


def test_a_decision_through_the_case_is_recorded_and_ends_the_case(province, case):
    record = cases.case_decide(actor=province["head_syt"], case=case, spec=decision())
    case.refresh_from_db()
    assert (case.status, case.decision, case.closed_on) == ("decided", record, TODAY)
    assert record.staff == case.staff
    assert AuditLog.objects.filter(action="discipline.case_decide").exists()
    row = selectors.case_rows([case], TODAY)[0]
    assert not row.overdue and {e.effect for e in row.check.effects} >= {"no_appointment"}


def test_an_unlawful_form_is_refused_and_changes_nothing(province, case):
    before = _snapshot(case)
    with pytest.raises(ValidationError, match="không áp dụng"):  # ND 172: gone for công chức
        cases.case_decide(actor=province["head_syt"], case=case, spec=decision(form="ha_bac_luong"))
    with pytest.raises(ValidationError, match="kỷ luật đảng"):
        cases.case_decide(
            actor=province["head_syt"], case=case, spec=decision(form="khai_tru", system="party")
        )
    assert _snapshot(case) == before


def test_a_time_barred_decision_is_refused_with_the_reason(province):
    old = cases.case_open(
        actor=province["head_syt"],
        staff=province.staff["syt_cc"],
        spec=case_spec(committed_on=date(2021, 6, 1), detected_on=date(2026, 3, 1)),
    )
    before = _snapshot(old)
    with pytest.raises(ValidationError, match="thời hiệu xử lý kỷ luật đã hết ngày 01/06/2026"):
        cases.case_decide(actor=province["head_syt"], case=old, spec=decision())
    assert _snapshot(old) == before
    # the case is then closed as time-barred
    cases.case_time_bar(actor=province["head_syt"], case=old)
    old.refresh_from_db()
    assert (old.status, old.closed_on) == ("closed_time_barred", TODAY)


def test_closing_as_time_barred_is_refused_while_the_period_runs(province, case):
    with pytest.raises(
        ValidationError, match="còn thời hiệu xử lý kỷ luật đến hết ngày 01/09/2031"
    ):
        cases.case_time_bar(actor=province["head_syt"], case=case)
    assert _snapshot(case)[0] == "open"


def test_pauses_lengthen_both_limits_and_block_the_decision(province, case):
    head = province["head_syt"]
    base = selectors.case_rows([case], TODAY)[0].check
    assert (base.limitation_ends, base.processing_deadline) == (
        date(2031, 9, 1),
        date(2026, 12, 14),
    )
    cases.case_pause(
        actor=head,
        case=case,
        reason="complaint",
        start=date(2026, 10, 1),
        end=date(2026, 10, 10),
    )
    assert DisciplineCase.objects.get(pk=case.pk).status == "open"  # a pause already over
    cases.case_pause(actor=head, case=case, reason="illness", start=date(2026, 11, 12))
    case.refresh_from_db()
    assert case.status == "paused"
    row = selectors.case_rows([case], TODAY)[0]
    assert row.paused_days == 20  # 10 + 12/11…21/11
    assert row.check.limitation_ends == date(2031, 9, 21)
    assert row.check.processing_deadline == date(2027, 1, 3)
    before = _snapshot(case)
    with pytest.raises(ValidationError, match="Tạm chưa xem xét"):
        cases.case_decide(actor=head, case=case, spec=decision())
    with pytest.raises(ValidationError, match="Tạm chưa xem xét"):
        cases.case_pause(actor=head, case=case, reason="illness", start=date(2026, 11, 20))
    assert _snapshot(case) == before
    cases.case_resume(actor=head, case=case, end=date(2026, 11, 19))
    case.refresh_from_db()
    assert case.status == "open" and not case.pauses.filter(paused_to__isnull=True).exists()
    assert selectors.case_rows([case], TODAY)[0].paused_days == 18


def test_a_pause_before_the_violation_or_in_the_future_is_refused(province, case):
    for start in (date(2026, 8, 1), date(2026, 11, 22)):
        with pytest.raises(ValidationError):
            cases.case_pause(actor=province["head_syt"], case=case, reason="illness", start=start)
    with pytest.raises(ValidationError, match="danh mục"):
        cases.case_pause(actor=province["head_syt"], case=case, reason="nghi_phep", start=TODAY)
    assert _snapshot(case)[0] == "open" and not CasePause.objects.exists()


def test_the_council_then_the_decision(province, case):
    head = province["head_syt"]
    cases.case_council(actor=head, case=case, meeting_on=date(2026, 11, 10), members="Ông A, bà B")
    cases.case_council(
        actor=head,
        case=case,
        meeting_on=date(2026, 11, 10),
        members="Ông A, bà B",
        conclusion="Đề nghị khiển trách",
    )
    case.refresh_from_db()
    assert (case.status, case.council_conclusion) == ("council", "Đề nghị khiển trách")
    with pytest.raises(ValidationError, match="Thành viên"):
        cases.case_council(actor=head, case=case, meeting_on=date(2026, 11, 10), members="")
    cases.case_decide(actor=head, case=case, spec=decision())
    assert DisciplineCase.objects.get(pk=case.pk).status == "decided"


def test_dropping_needs_a_reason_and_ends_the_case(province, case):
    with pytest.raises(ValidationError, match="lý do"):
        cases.case_drop(actor=province["head_syt"], case=case, reason=" ")
    assert _snapshot(case)[0] == "open"
    cases.case_drop(actor=province["snv"], case=case, reason="Không có vi phạm")
    case.refresh_from_db()
    assert (case.status, case.close_reason) == ("dropped", "Không có vi phạm")
    with pytest.raises(ValidationError, match="Đã dừng xem xét"):
        cases.case_decide(actor=province["snv"], case=case, spec=decision())


def test_cases_are_scoped_like_the_register(province, case):
    stp = cases.case_open(
        actor=province["head_stp"], staff=province.staff["stp_cc"], spec=case_spec()
    )

    def seen(key):
        return set(selectors.case_list_for_user(user=province[key]).values_list("pk", flat=True))

    assert seen("admin") == seen("snv") == seen("leader") == {case.pk, stp.pk}
    assert seen("head_syt") == seen("council") == {case.pk}
    assert seen("head_stp") == seen("inspector") == {stp.pk}
    assert seen("staff") == seen("outsider") == seen("mttq") == set()


def test_the_overdue_list_flags_a_case_past_its_limit_and_never_closes_it(province):
    late = cases.case_open(
        actor=province["head_syt"],
        staff=province.staff["nurse"],
        spec=case_spec(committed_on=date(2026, 5, 1), detected_on=date(2026, 6, 1)),
    )
    complex_case = cases.case_open(
        actor=province["head_syt"],
        staff=province.staff["syt_cc"],
        spec=case_spec(committed_on=date(2026, 5, 1), detected_on=date(2026, 7, 1), complex=True),
    )
    rows = selectors.case_overdue_for_user(user=province["head_syt"], day=TODAY)
    assert [r.case for r in rows] == [late]  # 30/08/2026 passed; the complex one: 28/11/2026
    assert rows[0].check.processing_deadline == date(2026, 8, 30)
    assert any(r.code == "processing.overdue" for r in rows[0].check.reasons)
    assert DisciplineCase.objects.get(pk=late.pk).status == "open"
    assert selectors.case_overdue_for_user(user=province["head_stp"], day=TODAY) == []
    assert complex_case.status == "open"


def test_the_reminders_tell_the_handlers_once(province, django_capture_on_commit_callbacks):
    late = cases.case_open(
        actor=province["head_syt"],
        staff=province.staff["nurse"],
        spec=case_spec(committed_on=date(2026, 5, 1), detected_on=date(2026, 6, 1)),
    )
    soon = cases.case_open(
        actor=province["head_syt"],
        staff=province.staff["syt_cc"],
        spec=case_spec(committed_on=date(2026, 5, 1), detected_on=date(2026, 7, 1), complex=True),
    )
    cases.case_open(actor=province["head_syt"], staff=province.staff["syt_cc"], spec=case_spec())
    for _ in range(2):
        with django_capture_on_commit_callbacks(execute=True):
            assert cases.case_reminders_send(today=TODAY) == 2
    notices = Notification.objects.filter(kind="discipline_case")
    head, snv = province["head_syt"], province["snv"]
    assert {n.recipient_id for n in notices} == {head.pk, snv.pk}  # not the admin, not Sở Tư pháp
    mine = notices.filter(recipient=head).order_by("subject_id")
    assert [(n.subject_id, n.message) for n in mine] == [
        (
            str(late.pk),
            f"Vụ việc kỷ luật #{late.pk} đã quá thời hạn xử lý (hết ngày 30/08/2026); vụ việc "
            "vẫn tiếp tục, không tự chấm dứt.",
        ),
        (
            str(soon.pk),
            f"Vụ việc kỷ luật #{soon.pk} còn 7 ngày đến hết thời hạn xử lý (28/11/2026).",
        ),
    ]


def test_the_periodic_task_sends_the_reminders(province, django_capture_on_commit_callbacks):
    from congvu.discipline.tasks import discipline_case_reminders

    cases.case_open(
        actor=province["head_syt"],
        staff=province.staff["nurse"],
        spec=case_spec(committed_on=date(2026, 5, 1), detected_on=date(2026, 6, 1)),
    )
    with django_capture_on_commit_callbacks(execute=True):
        discipline_case_reminders.call_local()
    assert (
        Notification.objects.filter(kind="discipline_case", recipient=province["head_syt"]).count()
        == 1
    )
