"""Violations, recommendations and remedies through the services: who may record what (not
about oneself, not an inspection finding about one's own unit), refusals change nothing, a
substantiated citizen's report becomes one violation, the remedy is reported with evidence,
verified or returned, every step kept, and statistics by standard, unit (through the
organisation's history), month and source, for Sở Nội vụ only."""

import dataclasses
from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from congvu.core.actors import SYSTEM
from congvu.standards.models import Criterion
from congvu.violations import rules, selectors, services
from congvu.violations.models import Violation

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("vhcs")]

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def vhcs(province):
    """QĐ 129/2007's checklist catalogue, the standards the violations name."""
    from pathlib import Path

    from congvu.standards.services import catalogues_load

    path = Path(__file__).resolve().parents[2] / "standards" / "catalogues" / "vhcs" / "2007.1.yaml"
    catalogues_load(actor=SYSTEM, paths=[path])


def criterion(stable_id: str = "vhcs.the.1") -> Criterion:
    found = Criterion.objects.filter(stable_id=stable_id).order_by("-version_id").first()
    assert found is not None, stable_id
    return found


def spec(province, unit="syt", staff=None, source=rules.INTERNAL, **more):
    values = {
        "unit": province.units[unit],
        "criterion": criterion(more.pop("standard", "vhcs.the.1")),
        "source": source,
        "occurred_on": date(2026, 3, 2),
        "found_on": date(2026, 3, 2),
        "description": "Không đeo thẻ khi tiếp công dân",
        "staff": province.staff[staff] if staff else None,
    }
    values.update(more)
    return services.ViolationSpec(**values)


def test_a_unit_head_records_an_internal_violation(province):
    head = province.users["head_syt"]
    found = services.violation_record(actor=head, spec=spec(province, staff="syt_cc"))
    assert (found.standard_code, found.source, found.recorded_by) == (
        "vhcs.the.1",
        "internal",
        head,
    )


@pytest.mark.parametrize(
    ("persona", "change", "error"),
    [
        ("head_stp", {}, PermissionDenied),  # another unit
        ("staff", {}, PermissionDenied),  # no discipline.manage
        ("head_syt", {"staff": "head_syt"}, PermissionDenied),  # about oneself
        ("head_syt", {"source": rules.INSPECTION}, ValidationError),  # own unit's inspection
        ("head_syt", {"found_on": date(2026, 12, 1)}, ValidationError),  # the future
        ("head_syt", {"occurred_on": date(2026, 4, 1)}, ValidationError),  # after found
        ("head_syt", {"staff": "stp_cc"}, ValidationError),  # not of the unit
        ("head_syt", {"description": "   "}, ValidationError),
    ],
)
def test_refused_records_change_nothing(province, persona, change, error):
    with pytest.raises(error):
        services.violation_record(actor=province.users[persona], spec=spec(province, **change))
    assert not Violation.objects.exists()


def test_sở_nội_vụ_records_an_inspection_finding_about_another_unit(province):
    found = services.violation_record(
        actor=province.users["snv"], spec=spec(province, source=rules.INSPECTION)
    )
    assert found.source == rules.INSPECTION


def test_a_substantiated_citizens_report_becomes_one_violation(province):
    from congvu.feedback.tests.conftest import file_report

    report = file_report("KHA-SYT")
    with pytest.raises(ValidationError, match="có cơ sở"):
        services.violation_from_report(
            actor=province.users["head_syt"], report=report, criterion=criterion()
        )
    report.substantiated = True
    report.save(update_fields=["substantiated"])
    found = services.violation_from_report(
        actor=province.users["head_syt"], report=report, criterion=criterion()
    )
    assert (found.source, found.feedback_report) == (rules.CITIZEN_REPORT, report)
    with pytest.raises(ValidationError, match="đã được ghi"):
        services.violation_from_report(
            actor=province.users["head_syt"], report=report, criterion=criterion()
        )


def test_the_remedy_cycle_keeps_every_step(province, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    snv, head = province.users["snv"], province.users["head_syt"]
    violation = services.violation_record(
        actor=snv, spec=spec(province, source=rules.INSPECTION, staff="syt_cc")
    )
    with pytest.raises(ValidationError, match="sau hôm nay"):
        services.recommendation_issue(
            actor=snv,
            violation=violation,
            responsible_unit=province.units["syt"],
            content="Trang bị thẻ",
            due_on=date(2026, 11, 21),
        )
    row = services.recommendation_issue(
        actor=snv,
        violation=violation,
        responsible_unit=province.units["syt"],
        content="Trang bị thẻ cho toàn bộ công chức tiếp dân",
        due_on=date(2026, 12, 15),
    )
    with pytest.raises(ValidationError, match="Cần ghi kết quả"):
        services.remedy_move(actor=head, recommendation=row, move=rules.REPORT)
    upload = SimpleUploadedFile("anh-the.pdf", PDF, "application/pdf")
    row = services.remedy_move(
        actor=head, recommendation=row, move=rules.REPORT, text="Đã cấp thẻ", evidence=[upload]
    )
    assert (row.state, row.reported_on) == (rules.REPORTED, date(2026, 11, 21))
    with pytest.raises(ValidationError, match="không có quyền"):  # not on its own word
        services.remedy_move(actor=head, recommendation=row, move=rules.VERIFY)
    row = services.remedy_move(actor=snv, recommendation=row, move=rules.RETURN, text="Thiếu ảnh")
    assert row.state == rules.OPEN
    row = services.remedy_move(actor=head, recommendation=row, move=rules.REPORT, text="Bổ sung")
    row = services.remedy_move(actor=snv, recommendation=row, move=rules.VERIFY)
    assert (row.state, row.verified_on) == (rules.VERIFIED, date(2026, 11, 21))
    assert [s.move for s in row.steps.all()] == ["report", "return", "report", "verify"]
    assert row.steps.first().evidence.get().original_name == "anh-the.pdf"


def test_a_bad_evidence_file_keeps_nothing(province, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    snv, head = province.users["snv"], province.users["head_syt"]
    violation = services.violation_record(actor=snv, spec=spec(province, source=rules.INSPECTION))
    row = services.recommendation_issue(
        actor=snv,
        violation=violation,
        responsible_unit=province.units["syt"],
        content="Khắc phục",
        due_on=date(2026, 12, 15),
    )
    good = SimpleUploadedFile("a.pdf", PDF, "application/pdf")
    bad = SimpleUploadedFile("b.exe", b"MZ\x90\x00", "application/octet-stream")
    with pytest.raises(ValidationError):
        services.remedy_move(
            actor=head, recommendation=row, move=rules.REPORT, text="x", evidence=[good, bad]
        )
    row.refresh_from_db()
    assert row.state == rules.OPEN and not row.steps.exists()
    assert not any((tmp_path).rglob("*")) or all(p.is_dir() for p in tmp_path.rglob("*"))


def test_statistics_for_sở_nội_vụ_only_and_through_the_merger(province):
    snv = province.users["snv"]
    record = services.violation_record
    record(actor=SYSTEM, spec=spec(province, unit="syt"))
    record(actor=SYSTEM, spec=spec(province, unit="bv", standard="vhcs.trang-phuc.1"))
    record(actor=SYSTEM, spec=spec(province, unit="stp", source=rules.INSPECTION))
    old = spec(province, unit="xa_old", occurred_on=date(2025, 3, 1), found_on=date(2025, 3, 1))
    record(actor=SYSTEM, spec=old)  # a commune merged since: counted under its successor
    withdrawn = record(actor=SYSTEM, spec=spec(province, unit="stp"))
    services.violation_withdraw(actor=snv, violation=withdrawn, reason="Ghi nhầm")
    stats = selectors.statistics_for_user(user=snv, year=2026, day=date(2026, 11, 21))
    assert stats is not None and stats.total == 3
    units = {c.label: c.count for c in stats.by_unit}
    assert units == {"Sở Y tế": 2, "Sở Tư pháp": 1}  # the hospital under its department
    assert [(c.key, c.count) for c in stats.by_standard][0] == ("vhcs.the.1", 2)
    assert {c.key: c.count for c in stats.by_source} == {"internal": 2, "inspection": 1}
    assert [(c.label, c.count) for c in stats.by_month] == [("03/2026", 3)]
    last_year = selectors.statistics_for_user(user=snv, year=2025, day=date(2026, 11, 21))
    assert {c.label: c.count for c in last_year.by_unit} == {"UBND xã Cam Lâm": 1}
    for persona in ("head_syt", "leader", "inspector", "staff"):
        assert (
            selectors.statistics_for_user(
                user=province.users[persona], year=2026, day=date(2026, 11, 21)
            )
            is None
        )


def test_the_statistics_leave_out_the_units_outside_the_root(province):
    """The province's rows are kept by leaving out the few units outside it (a short list
    instead of 2,000 ids), a department's by its own ids: the same figures either way."""
    from congvu.organisations.models import UnitType
    from congvu.organisations.services import UnitSpec, unit_create

    party = unit_create(
        actor=SYSTEM,
        spec=UnitSpec("KHA-TU", "Tỉnh ủy Khánh Hòa", UnitType.DANG_DOAN_THE),
        valid_from=date(2024, 1, 1),
    )
    for unit in ("syt", "bv", "stp"):
        services.violation_record(actor=SYSTEM, spec=spec(province, unit=unit))
    outside = dataclasses.replace(spec(province), unit=party)  # not under UBND tỉnh
    services.violation_record(actor=SYSTEM, spec=outside)
    day, snv = date(2026, 11, 21), province.users["snv"]
    whole = selectors.statistics_for_user(user=snv, year=2026, day=day)
    assert whole is not None and whole.total == 3
    assert {c.label: c.count for c in whole.by_unit} == {"Sở Y tế": 2, "Sở Tư pháp": 1}
    department = selectors.statistics_for_user(
        user=snv, year=2026, day=day, root=province.units["syt"].pk
    )
    assert department is not None and department.total == 2
    assert {c.label: c.count for c in department.by_unit} == {
        "Sở Y tế": 1,
        "Bệnh viện Đa khoa tỉnh": 1,
    }


def test_the_statistics_take_a_constant_number_of_queries(province, django_assert_max_num_queries):
    for _ in range(30):
        services.violation_record(actor=SYSTEM, spec=spec(province, unit="bv"))
    with django_assert_max_num_queries(12):
        selectors.statistics_for_user(user=province.users["snv"], year=2026, day=date(2026, 11, 21))


@pytest.mark.parametrize(
    ("due", "today", "state", "reported", "late"),
    [
        (date(2026, 12, 1), date(2026, 12, 1), rules.OPEN, None, None),  # the due day itself
        (date(2026, 12, 1), date(2026, 12, 2), rules.OPEN, None, 1),  # the day after
        (date(2026, 12, 1), date(2026, 12, 9), rules.REPORTED, date(2026, 11, 30), None),
        (date(2026, 12, 1), date(2026, 12, 9), rules.REPORTED, date(2026, 12, 4), 3),
        (date(2026, 12, 1), date(2027, 1, 9), rules.VERIFIED, date(2026, 12, 1), None),
    ],
)
def test_remedy_lateness(due, today, state, reported, late):
    assert rules.remedy_late(due, today, state, reported) == late


def test_rollup_and_coverage():
    counts = {1: 2, 2: 3, 3: 1, 9: 4}
    ancestor = {1: 10, 2: 10, 3: 11}  # 9: outside the breakdown
    labels = {10: "Sở A", 11: "Sở B"}
    assert [(c.label, c.count) for c in rules.rollup(counts, ancestor, labels)] == [
        ("Sở A", 5),
        ("Sở B", 1),
    ]
    assert rules.coverage([1, 2, 7], [1, 2, 3, 4]) == (2, 4, 0.5)
    assert rules.coverage([], []) == (0, 0, 0.0)


@pytest.mark.parametrize(
    ("today", "kind", "count"),
    [
        (date(2026, 12, 8), "remedy_due", 1),  # 7 days before 15/12
        (date(2026, 12, 9), None, 0),
        (date(2026, 12, 14), "remedy_due", 1),  # 1 day before
        (date(2026, 12, 15), "remedy_due", 1),  # the due day itself
        (date(2026, 12, 16), "remedy_late", 1),  # the day after: overdue, once
        (date(2026, 12, 17), None, 0),
    ],
)
def test_remedy_reminders(province, django_capture_on_commit_callbacks, today, kind, count):
    from congvu.core.models import Notification

    snv = province.users["snv"]
    violation = services.violation_record(actor=snv, spec=spec(province, source=rules.INSPECTION))
    services.recommendation_issue(
        actor=snv,
        violation=violation,
        responsible_unit=province.units["syt"],
        content="Cấp thẻ",
        due_on=date(2026, 12, 15),
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert services.remedy_reminders_send(today=today) == count
    head = province.users["head_syt"]
    kinds = list(Notification.objects.filter(recipient=head).values_list("kind", flat=True))
    assert kinds == ([kind] if kind else [])
    if kind == "remedy_late":
        assert Notification.objects.filter(recipient=snv, kind="remedy_late").exists()
