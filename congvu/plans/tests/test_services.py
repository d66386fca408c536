"""The writers of plans: validation in Vietnamese that changes nothing, permissions through
``plans.access``, idempotent assignment, and obligations that pass to a merged unit's
successor."""

import unicodedata
from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from congvu.core.actors import SYSTEM
from congvu.core.models import AuditLog
from congvu.plans import services
from congvu.plans.models import Assignment, LegalDocument, Plan, ProgressEntry, Task
from congvu.plans.services import TaskSpec
from congvu.plans.tests.factories import TASKS, make_plan

pytestmark = pytest.mark.django_db


@pytest.fixture
def plan(province):
    return make_plan(province)


def _task(plan, number):
    return Task.objects.get(plan=plan, number=number)


def _record(actor, plan, unit, number="III.1.b", **extra):
    values = {"on": date(2020, 11, 10), "state": "done", "text": "Đã gửi báo cáo."}
    values.update(extra)
    return services.progress_record(actor=actor, task=_task(plan, number), unit=unit, **values)


# --- Documents and plans -----------------------------------------------------------------------


def test_plan_is_created_with_its_tasks_in_order_and_timing(plan):
    tasks = list(plan.tasks.order_by("position"))
    assert [t.number for t in tasks] == [spec.number for spec in TASKS]
    yearly = tasks[2]
    assert (yearly.kind, yearly.day, yearly.month, yearly.from_year, yearly.to_year) == (
        "yearly",
        15,
        11,
        2019,
        None,
    )
    assert tasks[0].due_on == date(2019, 7, 31) and tasks[0].timing_text == "trong tháng 7/2019"
    assert tasks[4].event == "Chính phủ ban hành Nghị định mới" and tasks[4].event_date is None
    assert AuditLog.objects.filter(action="plan.create", object_id=str(plan.pk)).exists()


def test_document_text_is_stored_nfc_and_searchable_without_diacritics(province):
    decomposed = unicodedata.normalize("NFD", "Ủy ban nhân dân tỉnh Khánh Hòa")
    document = services.document_create(
        actor=SYSTEM,
        doc_type="quyet_dinh",
        code="1847/QĐ-TTg",
        issued_on=date(2018, 12, 27),
        issuer=decomposed,
        summary="Phê duyệt Đề án Văn hóa công vụ",
    )
    assert document.issuer == unicodedata.normalize("NFC", decomposed)
    assert "khanh hoa" in document.search and "1847/qd-ttg" in document.search
    with pytest.raises(ValidationError, match="đã có"):
        services.document_create(
            actor=SYSTEM,
            doc_type="quyet_dinh",
            code="1847/QĐ-TTg",
            issued_on=date(2018, 12, 27),
            issuer="Thủ tướng",
            summary="Lần hai",
        )


def test_a_document_cannot_be_dated_in_the_future_nor_of_an_unknown_type(province):
    for doc_type, day in (("ke_hoach", date(2027, 1, 1)), ("thu_tay", date(2020, 1, 1))):
        with pytest.raises(ValidationError):
            services.document_create(
                actor=SYSTEM,
                doc_type=doc_type,
                code="1/KH",
                issued_on=day,
                issuer="UBND",
                summary="Thử",
            )
    assert not LegalDocument.objects.exists()


def test_document_links_are_idempotent_and_never_to_itself(plan):
    source = plan.document
    target = services.document_create(
        actor=SYSTEM,
        doc_type="quyet_dinh",
        code="1847/QĐ-TTg",
        issued_on=date(2018, 12, 27),
        issuer="Thủ tướng Chính phủ",
        summary="Phê duyệt Đề án Văn hóa công vụ",
    )
    first = services.document_link(actor=SYSTEM, source=source, target=target, kind="implements")
    again = services.document_link(actor=SYSTEM, source=source, target=target, kind="implements")
    assert first.pk == again.pk
    with pytest.raises(ValidationError):
        services.document_link(actor=SYSTEM, source=source, target=source, kind="cites")


@pytest.mark.parametrize(
    ("timing", "message"),
    [
        ({"kind": "yearly", "day": 30, "month": 2, "from_year": 2019}, "không có thật"),
        ({"kind": "by_date", "date": "31/07/2019"}, "YYYY-MM-DD"),
        ({"kind": "someday"}, "cần một trong"),
        ({"kind": "by_year"}, "thiếu trường bắt buộc"),
        ({"kind": "yearly", "day": 1, "month": 12, "from_year": 2020, "to_year": 2019}, "trước"),
        ({"kind": "conditional", "event_date": "2027-01-01"}, "sau ngày hôm nay"),
    ],
)
def test_a_bad_timing_is_refused_with_the_commands_message_and_nothing_is_written(
    province, timing, message
):
    document = services.document_create(
        actor=SYSTEM,
        doc_type="ke_hoach",
        code="9/KH",
        issued_on=date(2020, 1, 1),
        issuer="UBND",
        summary="Thử",
    )
    with pytest.raises(ValidationError, match=message) as raised:
        services.plan_create(
            actor=SYSTEM,
            document=document,
            owner=province.units["kh"],
            title="Kế hoạch thử",
            tasks=[TaskSpec("1", "Nội dung", timing)],
        )
    assert "Nhiệm vụ 1" in raised.value.messages[0]
    assert not Plan.objects.exists() and not Task.objects.exists()


def test_task_numbers_must_be_unique_and_a_plan_needs_tasks(province):
    document = services.document_create(
        actor=SYSTEM,
        doc_type="ke_hoach",
        code="9/KH",
        issued_on=date(2020, 1, 1),
        issuer="UBND",
        summary="Thử",
    )
    owner = province.units["kh"]
    with pytest.raises(ValidationError, match="trùng"):
        services.plan_create(
            actor=SYSTEM, document=document, owner=owner, title="K", tasks=[TASKS[0], TASKS[0]]
        )
    with pytest.raises(ValidationError, match="ít nhất một"):
        services.plan_create(actor=SYSTEM, document=document, owner=owner, title="K", tasks=[])
    with pytest.raises(ValidationError, match="sự kiện"):
        event_on_a_date = TaskSpec("1", "X", {"kind": "by_year", "year": 2020}, event="Khi nào")
        services.plan_create(
            actor=SYSTEM, document=document, owner=owner, title="K", tasks=[event_on_a_date]
        )


@pytest.mark.parametrize(
    "persona", ["head_syt", "head_stp", "staff", "leader", "council", "inspector", "outsider"]
)
def test_only_plan_managers_create_plans(province, persona):
    with pytest.raises(PermissionDenied):
        make_plan(province, actor=province.users[persona])
    assert not Plan.objects.exists()


def test_so_noi_vu_and_the_administrator_create_plans(province):
    assert make_plan(province, actor=province.users["snv"]).owner == province.units["kh"]
    assert make_plan(province, "2/KH", actor=province.users["admin"]).pk


# --- Assignment --------------------------------------------------------------------------------


def test_assigning_twice_keeps_one_assignment_per_unit_and_its_first_day(province, plan):
    u = province.units
    snv = province.users["snv"]
    first = services.plan_assign(
        actor=snv, plan=plan, units=[u["syt"], u["stp"]], day=date(2019, 7, 15)
    )
    again = services.plan_assign(
        actor=snv, plan=plan, units=[u["syt"], u["syt"], u["bv"]], day=date(2020, 1, 2)
    )
    assert Assignment.objects.filter(plan=plan).count() == 3
    assert {a.unit_id: a.assigned_on for a in again}[u["syt"].pk] == date(2019, 7, 15)
    assert {a.pk for a in first} <= set(Assignment.objects.values_list("pk", flat=True))
    assert AuditLog.objects.filter(action="plan.assign").count() == 2


def test_a_plan_is_assigned_only_to_units_existing_on_the_day(province, plan):
    u = province.units
    with pytest.raises(ValidationError, match="KHA-X-CL"):  # the new commune: from 01/07/2025
        services.plan_assign(actor=SYSTEM, plan=plan, units=[u["xa_new"]], day=date(2020, 1, 1))
    with pytest.raises(ValidationError, match="KHA-X-CHB"):  # the old one ended then
        services.plan_assign(actor=SYSTEM, plan=plan, units=[u["xa_old"]], day=date(2025, 7, 1))
    with pytest.raises(ValidationError, match="ban hành"):
        services.plan_assign(actor=SYSTEM, plan=plan, units=[u["syt"]], day=date(2019, 1, 1))
    with pytest.raises(ValidationError, match="sau ngày hôm nay"):
        services.plan_assign(actor=SYSTEM, plan=plan, units=[u["syt"]], day=date(2027, 1, 1))
    assert not Assignment.objects.exists()


@pytest.mark.parametrize("persona", ["head_syt", "leader", "council", "outsider"])
def test_only_plan_managers_assign(province, plan, persona):
    with pytest.raises(PermissionDenied):
        services.plan_assign(
            actor=province.users[persona],
            plan=plan,
            units=[province.units["syt"]],
            day=date(2020, 1, 1),
        )


# --- Events ------------------------------------------------------------------------------------


def test_the_event_date_is_set_on_a_conditional_task_only(province, plan):
    conditional = _task(plan, "II.6")
    task = services.event_date_set(
        actor=province.users["snv"], task=conditional, day=date(2020, 8, 13)
    )
    assert task.event_date == date(2020, 8, 13)
    entry = AuditLog.objects.get(action="plan.event_date")
    assert entry.data["before"] is None and entry.data["after"] == "2020-08-13"
    with pytest.raises(ValidationError):
        services.event_date_set(actor=SYSTEM, task=_task(plan, "II.2"), day=date(2020, 8, 13))
    with pytest.raises(ValidationError):
        services.event_date_set(actor=SYSTEM, task=conditional, day=date(2027, 1, 1))
    with pytest.raises(PermissionDenied):
        services.event_date_set(actor=province.users["head_syt"], task=conditional, day=None)


# --- Progress ----------------------------------------------------------------------------------


def test_a_merged_unit_hands_its_obligations_to_its_successor(province, plan):
    u = province.units
    services.plan_assign(actor=SYSTEM, plan=plan, units=[u["xa_old"]], day=date(2019, 7, 12))
    admin = province.users["admin"]
    _record(admin, plan, u["xa_old"], on=date(2020, 11, 10), period=2020)  # before the merger
    assert services.unit_is_obliged(task=_task(plan, "III.1.b"), unit=u["xa_new"])
    entry = _record(admin, plan, u["xa_new"], on=date(2025, 11, 10), period=2025)
    assert entry.unit == u["xa_new"]
    assert ProgressEntry.objects.filter(unit=u["xa_old"]).count() == 1  # kept under its old name
    with pytest.raises(ValidationError, match="không hoạt động"):  # the old commune has ended
        _record(admin, plan, u["xa_old"], on=date(2026, 1, 5), period=2026)
    with pytest.raises(ValidationError, match="chưa được giao"):
        _record(admin, plan, u["stp"])


def test_a_unit_head_records_progress_for_their_own_unit_only(province, plan):
    u = province.users
    units = province.units
    services.plan_assign(
        actor=SYSTEM, plan=plan, units=[units["syt"], units["stp"]], day=date(2019, 7, 12)
    )
    entry = _record(u["head_syt"], plan, units["syt"], quantities={"cán bộ được bồi dưỡng": 40})
    assert entry.created_by == u["head_syt"] and entry.quantities == {"cán bộ được bồi dưỡng": 40}
    assert AuditLog.objects.filter(action="plan.progress", object_id=str(entry.pk)).exists()
    for persona in ("head_syt", "staff", "leader", "council", "inspector", "mttq", "outsider"):
        with pytest.raises(PermissionDenied):
            _record(u[persona], plan, units["stp"])
    with pytest.raises(PermissionDenied):
        _record(SYSTEM, plan, units["stp"])  # progress is a person's statement
    assert _record(u["snv"], plan, units["stp"]).pk


@pytest.mark.parametrize(
    ("number", "values", "message"),
    [
        ("III.1.b", {"on": date(2026, 12, 1)}, "sau ngày hôm nay"),
        ("III.1.b", {"period": 2018}, "không có kỳ năm 2018"),
        ("III.1.b", {"period": 2021, "on": date(2020, 11, 10)}, "không có kỳ năm 2021"),
        ("II.2", {"period": 2020}, "không chia theo kỳ"),
        ("III.1.b", {"state": "finished"}, "Tình trạng"),
        ("III.1.b", {"text": "  \u200b "}, "kết quả"),
        ("III.1.b", {"quantities": {"cán bộ": -1}}, "số nguyên"),
        ("III.1.b", {"quantities": {"cán bộ": True}}, "số nguyên"),
        ("III.1.b", {"quantities": {"cán bộ": 1.5}}, "số nguyên"),
        ("III.1.b", {"quantities": {"123": 1}}, "có chữ"),
        ("III.1.b", {"quantities": {f"mục {i}": i for i in range(21)}}, "Tối đa"),
        ("III.1.b", {"quantities": ["cán bộ", 3]}, "cặp tên"),
    ],
)
def test_bad_progress_is_refused_and_nothing_is_written(province, plan, number, values, message):
    services.plan_assign(
        actor=SYSTEM, plan=plan, units=[province.units["syt"]], day=date(2019, 7, 12)
    )
    with pytest.raises(ValidationError, match=message):
        _record(province.users["head_syt"], plan, province.units["syt"], number, **values)
    assert not ProgressEntry.objects.exists()


def test_a_recurring_tasks_period_defaults_to_the_year_of_the_entry(province, plan):
    services.plan_assign(
        actor=SYSTEM, plan=plan, units=[province.units["syt"]], day=date(2019, 7, 12)
    )
    entry = _record(province.users["head_syt"], plan, province.units["syt"], "II.1")
    assert entry.period == 2020
    single = _record(province.users["head_syt"], plan, province.units["syt"], "II.2")
    assert single.period is None


@pytest.mark.parametrize("persona", ["head_syt", "leader", "council", "staff", "outsider"])
def test_only_plan_managers_record_documents(province, persona):
    with pytest.raises(PermissionDenied):
        services.document_create(
            actor=province.users[persona],
            doc_type="quyet_dinh",
            code="1847/QĐ-TTg",
            issued_on=date(2018, 12, 27),
            issuer="Thủ tướng Chính phủ",
            summary="Phê duyệt Đề án Văn hóa công vụ",
        )
    assert not LegalDocument.objects.exists()
