"""Cycles: who is covered, snapshots, regimes, managers; collective cycles; reminders."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from congvu.core.actors import SYSTEM
from congvu.core.models import AuditLog, Notification
from congvu.evaluations import services, tasks
from congvu.evaluations.models import (
    CriterionScore,
    CycleStatus,
    Evaluation,
)
from congvu.evaluations.tests import factories as f
from congvu.organisations import services as org_services

pytestmark = pytest.mark.django_db


@pytest.fixture
def version(tmp_path):
    return f.load(tmp_path, f.individual_doc())


def test_a_cycle_covers_every_active_official_of_the_subtree_with_snapshots(province, version):
    cycle = f.cycle(province["head_syt"], version, province.units["syt"])
    rows = {e.staff_id: e for e in Evaluation.objects.filter(cycle=cycle)}
    s = province.staff
    assert set(rows) == {s["head_syt"].pk, s["syt_cc"].pk, s["nurse"].pk}
    an, head, nurse = rows[s["syt_cc"].pk], rows[s["head_syt"].pk], rows[s["nurse"].pk]
    assert (an.unit_id, an.category, an.regime, an.is_leader) == (
        province.units["syt"].pk,
        "cong_chuc",
        "nd335",
        False,
    )
    assert (nurse.category, nurse.regime, nurse.unit_id) == (
        "vien_chuc",
        "nd233",
        province.units["bv"].pk,
    )
    # The direct manager: the head of the unit, or the nearest one up the tree.
    assert an.manager == province["head_syt"] and nurse.manager == province["head_syt"]
    # The head has no manager above (the province's People's Committee has no account here).
    assert head.manager is None and head.is_head and head.is_leader
    assert head.group == "Lãnh đạo, quản lý" and an.group.startswith("Không giữ chức vụ")
    assert all(e.months_worked == 12 and e.state == "draft" for e in rows.values())
    assert not CriterionScore.objects.exists()  # created when first scored
    log = AuditLog.objects.get(action="evaluation.cycle_create")
    assert log.data["evaluations"] == 3 and log.actor == province["head_syt"]


def test_snapshots_stay_when_the_official_moves_afterwards(province, version):
    cycle = f.cycle(province["head_syt"], version, province.units["syt"])
    org_services.staff_transfer(
        actor=SYSTEM,
        staff=province.staff["syt_cc"],
        unit=province.units["stp"],
        day=date(2026, 11, 21),
    )
    evaluation = f.evaluation_of(cycle, province.staff["syt_cc"])
    assert evaluation.unit == province.units["syt"]


@pytest.mark.parametrize("persona", ["head_stp", "staff", "council", "outsider"])
def test_only_a_manager_of_the_unit_creates_a_cycle(province, version, persona):
    with pytest.raises(PermissionDenied):
        f.cycle(province[persona], version, province.units["syt"])
    assert not Evaluation.objects.exists()


def test_a_cycle_needs_deadlines_in_order_and_a_matching_catalogue(province, version, tmp_path):
    with pytest.raises(ValidationError, match="thứ tự"):
        f.cycle(
            province["snv"],
            version,
            province.units["syt"],
            deadlines=(date(2026, 12, 1), date(2026, 11, 30), date(2026, 12, 5)),
        )
    collective = f.load(tmp_path, f.collective_doc())
    with pytest.raises(ValidationError, match="bộ tiêu chí cá nhân"):
        f.cycle(province["snv"], collective, province.units["syt"])
    with pytest.raises(ValidationError, match="quý 1–4"):
        f.cycle(province["snv"], version, province.units["syt"], kind="quarter", number=5)


def test_a_year_cycle_counts_the_months_of_service_of_a_newcomer(province, version):
    from congvu.testing import make_staff

    newcomer = make_staff(province.units["syt"], "Mai", "Thị", "Hoa", day=date(2026, 8, 10))
    cycle = f.cycle(province["head_syt"], version, province.units["syt"])
    assert f.evaluation_of(cycle, newcomer).months_worked == 4  # September to December
    quarter = f.cycle(
        province["head_syt"], version, province.units["syt"], kind="quarter", number=3
    )
    assert f.evaluation_of(quarter, newcomer).months_worked is None  # the 6-month rule is annual


def test_actions_wait_for_the_cycle_to_open_and_stop_when_it_closes(province, version):
    cycle = f.cycle(province["head_syt"], version, province.units["syt"], open_it=False)
    evaluation = f.evaluation_of(cycle, province.staff["syt_cc"])
    with pytest.raises(ValidationError, match="chưa mở"):
        f.self_assess_all(province["staff"], evaluation)
    services.cycle_open(actor=province["head_syt"], cycle=cycle)
    with pytest.raises(ValidationError, match="chưa công bố"):
        services.cycle_close(actor=province["head_syt"], cycle=cycle)
    assert cycle.__class__.objects.get(pk=cycle.pk).status == CycleStatus.OPEN


def test_a_collective_assessment_goes_up_to_so_noi_vu(province, tmp_path):
    version = f.load(tmp_path, f.collective_doc())
    cycle = f.cycle(
        province["snv"],
        version,
        province.units["syt"],
        subject="collective",
        culture_points=Decimal(100),
    )
    rows = {e.unit_id: e for e in Evaluation.objects.filter(cycle=cycle)}
    assert set(rows) == {province.units["syt"].pk, province.units["bv"].pk}
    own = rows[province.units["syt"].pk]
    assert own.staff is None and own.respondent == province["head_syt"] and own.manager is None
    scores = {
        "thu-tap-the.a.1": services.SelfScore(9),
        "thu-tap-the.a.2": services.SelfScore(8),
    }
    services.self_assess(actor=province["head_syt"], evaluation=own, scores=scores)
    for key in ("thu-tap-the.a.1", "thu-tap-the.a.2"):
        services.evidence_attach(
            actor=province["head_syt"], evaluation=own, criterion=key, upload=f.pdf()
        )
    services.submit(actor=province["head_syt"], evaluation=own)
    # The unit's council is not the judge of its own unit: Sở Nội vụ is.
    with pytest.raises(PermissionDenied):
        services.council_conclude(actor=province["council"], evaluations=[own])
    services.manager_review(actor=province["snv"], evaluation=own, comment="Đạt")
    services.council_conclude(actor=province["snv"], evaluations=[own])
    services.publish(actor=province["snv"], evaluations=[own])
    own.refresh_from_db()
    assert (own.state, own.culture_score, own.period_score, own.final_level) == (
        "published",
        Decimal("85.00"),
        Decimal("85.00"),
        "HTT",
    )
    assert own.reasons[0]["code"] == "COLLECTIVE_HTT"


def test_a_collective_cycle_scores_the_whole_hundred_points(province, tmp_path):
    version = f.load(tmp_path, f.collective_doc())
    with pytest.raises(ValidationError, match="100 điểm"):
        f.cycle(province["snv"], version, province.units["syt"], subject="collective")


def test_reminders_go_to_whoever_the_step_waits_on_once_a_day(province, version):
    cycle = f.cycle(province["head_syt"], version, province.units["syt"])
    an = f.evaluation_of(cycle, province.staff["syt_cc"])
    f.self_assess_all(province["staff"], an)
    services.submit(actor=province["staff"], evaluation=an)
    assert services.reminders_send(today=date(2026, 11, 21)) == 0  # nothing due within 3 days
    written = services.reminders_send(today=date(2026, 11, 27))
    services.reminders_send(today=date(2026, 11, 27))
    notes = Notification.objects.filter(kind="reminder")
    assert notes.count() == written == 2  # the second run adds nothing
    head = sorted(n.message for n in notes if n.recipient_id == province["head_syt"].pk)
    # Her own self-assessment, late since 25/11; An's, waiting on her review until 28/11.
    assert any("Đang tự đánh giá, hạn 25/11/2026, đã quá hạn 2 ngày." in m for m in head)
    assert any("Chờ người quản lý trực tiếp nhận xét, hạn 28/11/2026." in m for m in head)
    assert not notes.filter(recipient=province["staff"]).exists()  # An has done his part
    tasks.evaluation_reminders.call_local()  # the daily Huey task, today 21/11: nothing due
    assert Notification.objects.filter(kind="reminder").count() == 2
