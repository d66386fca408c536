"""From an inspection's findings to violations: at the close, each finding whose checklist
item names a standard of QĐ 129/2007's catalogue becomes a violation of it (once), on the
official concerned for a person-level item; a free item waits for the team to name the
standard; nobody ties a finding about their own unit."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from congvu.inspections import rules as inspection_rules
from congvu.inspections import services as inspections
from congvu.inspections.tests.factories import KEY, inspection_of_syt
from congvu.violations import rules, services
from congvu.violations.models import Violation
from congvu.violations.tests.test_services import criterion, vhcs  # noqa: F401 (the fixture)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("vhcs")]


def _key(n: int) -> str:
    return f"{KEY[:-4]}{n:04d}"


@pytest.fixture
def closed(province, django_capture_on_commit_callbacks):
    """Sở Nội vụ inspects Sở Y tế: B1 (name card) not met by An, a free item not met, the
    rest met; closed."""
    lead = province.users["snv"]
    inspection = inspection_of_syt(province, free_items=["Niêm yết số điện thoại đường dây nóng"])
    inspections.team_set(actor=lead, inspection=inspection, lead=lead, members=[])
    inspections.inspection_start(actor=lead, inspection=inspection)
    for n, item in enumerate(inspection.items.order_by("position")):
        result = inspection_rules.COMPLIANT
        staff, note = None, ""
        if item.code in ("B1", "G1"):
            result, note = inspection_rules.NOT_COMPLIANT, "Không đạt"
            staff = province.staff["syt_cc"] if item.person_level else None
        inspections.answer_record(
            actor=lead, key=_key(n), item=item, result=result, note=note, staff=staff
        )
    return inspections.inspection_close(actor=lead, inspection=inspection)


def test_closing_turns_the_named_findings_into_violations(province, closed):
    [found] = Violation.objects.all()
    assert (found.standard_code, found.source, found.staff) == (
        "vhcs.the.1",
        rules.INSPECTION,
        province.staff["syt_cc"],
    )
    assert found.finding.item.code == "B1" and found.unit == province.units["syt"]
    assert closed.decision_code in found.source_ref


def test_a_free_finding_is_tied_by_the_lead_once(province, closed):
    answer = closed.items.get(code="G1").answers.get(current=True)
    with pytest.raises(PermissionDenied):
        services.violation_from_finding(
            actor=province.users["head_stp"], answer=answer, criterion=criterion("vhcs.bai-tri.1")
        )
    made = services.violation_from_finding(
        actor=province.users["snv"], answer=answer, criterion=criterion("vhcs.bai-tri.1")
    )
    assert made.staff is None and made.standard_code == "vhcs.bai-tri.1"
    with pytest.raises(ValidationError, match="đã được ghi"):
        services.violation_from_finding(
            actor=province.users["snv"], answer=answer, criterion=criterion("vhcs.bai-tri.1")
        )


def test_the_checklist_code_names_its_criterion():
    pairs = [("vhcs.the.1", "QĐ 129 Điều 7 — LEGAL.md §3 B1"), ("x", "LEGAL.md §3 B10")]
    assert rules.criterion_for_item("B1", pairs) == "vhcs.the.1"
    assert rules.criterion_for_item("B10", pairs) == "x"
    assert rules.criterion_for_item("G1", pairs) is None


def test_the_inspection_page_ties_a_free_finding(client, province, closed):
    from django.urls import reverse

    answer = closed.items.get(code="G1").answers.get(current=True)
    client.force_login(province.users["snv"])
    page = client.get(reverse("inspections:inspection_detail", args=[closed.pk])).content.decode()
    assert reverse("violations:from_finding", args=[answer.pk]) in page
    assert "Vi phạm đã ghi" in page  # B1's, recorded at the close
    done = client.post(
        reverse("violations:from_finding", args=[answer.pk]),
        {"criterion": criterion("vhcs.bai-tri.1").pk},
    )
    assert done.status_code == 302 and Violation.objects.count() == 2
    client.force_login(province.users["head_stp"])
    refused = client.post(
        reverse("violations:from_finding", args=[answer.pk]),
        {"criterion": criterion("vhcs.bai-tri.1").pk},
    )
    assert refused.status_code == 404


def test_the_statistics_count_the_units_inspected_this_year(province, closed):
    from datetime import date

    from congvu.violations import selectors

    stats = selectors.statistics_for_user(
        user=province.users["snv"], year=2026, day=date(2026, 11, 21)
    )
    done, total, share = stats.coverage
    assert done == 1 and total >= 5 and share == done / total
    assert (
        selectors.statistics_for_user(
            user=province.users["snv"], year=2025, day=date(2026, 11, 21)
        ).coverage[0]
        == 0
    )
