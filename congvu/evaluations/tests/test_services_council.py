"""The council's conclusion (rules, discipline, the HTXS cap), publication, locking, reopening,
and catalogue versions that never alter past results."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from congvu.core.models import AuditLog
from congvu.discipline.services import DecisionSpec, discipline_record
from congvu.evaluations import classification, services
from congvu.evaluations.models import CouncilDecision, CriterionScore, Evaluation, Transition
from congvu.evaluations.services import Circumstances, ManagerScore, SelfScore
from congvu.evaluations.tests import factories as f
from congvu.testing import make_staff, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def version(tmp_path):
    return f.load(tmp_path, f.individual_doc())


@pytest.fixture
def world(province, version):
    cycle = f.cycle(province["head_syt"], version, province.units["syt"])
    return province, cycle, f.evaluation_of(cycle, province.staff["syt_cc"])


def conclude_alone(province, evaluation, **kwargs):
    """One official alone in a group is always over the cap (20% of 0 HTT): confirm it."""
    kwargs.setdefault("confirm_over_cap", True)
    kwargs.setdefault("comment", "Hội đồng thống nhất")
    return services.council_conclude(actor=province["council"], evaluations=[evaluation], **kwargs)


def published(province, evaluation, **scores):
    f.to_reviewed(province["staff"], province["head_syt"], evaluation, **scores)
    conclude_alone(province, evaluation)
    services.publish(actor=province["council"], evaluations=[evaluation])
    evaluation.refresh_from_db()
    return evaluation


def score_rows(evaluation):
    return list(
        CriterionScore.objects.filter(evaluation=evaluation)
        .order_by("criterion_id")
        .values_list("criterion_id", "self_score", "manager_score", "final_score")
    )


def test_the_council_concludes_with_the_rules_level_and_every_reason(world):
    province, _, an = world
    f.to_reviewed(province["staff"], province["head_syt"], an, a1=2, task=50)  # 24 + 50 = 74
    decision = services.council_conclude(actor=province["council"], evaluations=[an])
    an.refresh_from_db()
    assert (an.state, an.final_level, an.final_score) == ("concluded", "HTT", Decimal("74.00"))
    assert (an.culture_score, an.period_score) == (Decimal("80.00"), Decimal("74.00"))
    assert an.reasons[0]["code"] == "SCORE_HTT" and "74" in an.reasons[0]["text"]
    assert an.inputs["period_scores"] == ["74.00"] and an.inputs["regime"] == "nd335"
    assert an.decision == decision and not decision.over_cap_confirmed
    assert {r[3] for r in score_rows(an)} == {Decimal(2), Decimal(6)}  # frozen final scores
    assert Transition.objects.filter(evaluation=an, move="conclude").count() == 1
    assert AuditLog.objects.filter(action="evaluation.conclude", object_id=str(an.pk)).exists()


def test_a_discipline_in_the_year_forces_not_completed_with_its_reason(world):
    province, _, an = world
    discipline_record(
        actor=province["head_syt"],
        staff=province.staff["syt_cc"],
        spec=DecisionSpec(
            form="khien_trach",
            decision_number="12/QĐ-SYT",
            decision_date=date(2026, 3, 2),
            issuer="Sở Y tế",
            effective_from=date(2026, 3, 2),
            violation="Vi phạm quy chế",
        ),
    )
    an = f.to_reviewed(province["staff"], province["head_syt"], an)
    assert an.proposed_level == "KHT"
    services.council_conclude(actor=province["council"], evaluations=[an])
    an.refresh_from_db()
    assert an.final_level == "KHT" and an.final_score == Decimal("95.00")
    assert [r["code"] for r in an.reasons] == ["SCORE_HTXS", "DISCIPLINE"]
    assert an.inputs["discipline"] == [
        {
            "form": "khien_trach",
            "effective": "2026-03-02",
            "duty_related": True,
            "system": "administrative",
        }
    ]


def test_the_council_may_lower_a_level_with_a_reason_but_never_raise_it(world):
    province, _, an = world
    f.to_reviewed(province["staff"], province["head_syt"], an, a1=2, task=50)
    with pytest.raises(ValidationError, match="không được xếp cao hơn"):
        services.council_conclude(
            actor=province["council"], evaluations=[an], levels={an.pk: "HTXS"}
        )
    services.council_conclude(
        actor=province["council"],
        evaluations=[an],
        levels={an.pk: "HTNV"},
        comment="Để xảy ra khiếu nại",
    )
    an.refresh_from_db()
    assert (an.proposed_level, an.final_level) == ("HTT", "HTNV")
    assert an.reasons[-1]["code"] == "COUNCIL_LEVEL" and "khiếu nại" in an.reasons[-1]["text"]
    assert an.decision.changed_levels == {str(an.pk): ["HTT", "HTNV"]}


@pytest.fixture
def group_of_seven(world):
    """Seven officials of Sở Y tế in one group: two at 95 points (HTXS), five at 80 (HTT)."""
    province, cycle, an = world
    people = [(province["staff"], an)]
    for i in range(6):
        staff = make_staff(province.units["syt"], "Phan", "Văn", f"Tư{i}")
        people.append((make_user(f"cb{i}", staff), None))
    cycle = f.cycle(
        province["head_syt"],
        cycle.catalogue_version,
        province.units["syt"],
        kind="quarter",
        number=4,
    )
    evaluations = []
    for i, (user, _) in enumerate(people):
        evaluation = Evaluation.objects.get(cycle=cycle, staff_id=user.staff_id)
        f.to_reviewed(user, province["head_syt"], evaluation, task=65 if i < 2 else 50)
        evaluations.append(evaluation)
    return province, evaluations


def test_the_htxs_cap_is_shown_and_the_council_must_choose_nobody_is_demoted_silently(
    group_of_seven,
):
    province, evaluations = group_of_seven
    council = province["council"]
    with pytest.raises(ValidationError) as refused:
        services.council_conclude(actor=council, evaluations=evaluations)
    message = refused.value.messages[0]
    assert "2 người Hoàn thành xuất sắc nhiệm vụ, vượt tỷ lệ tối đa 1" in message
    assert "20% của 5 người" in message and "ít nhất 1 người" in message
    assert "Nguyễn Văn An" in message
    assert not Evaluation.objects.filter(
        pk__in=[e.pk for e in evaluations], state="concluded"
    ).exists()
    with pytest.raises(ValidationError, match="ghi ý kiến"):
        services.council_conclude(actor=council, evaluations=evaluations, confirm_over_cap=True)
    second = evaluations[1]
    decision = services.council_conclude(
        actor=council,
        evaluations=evaluations,
        levels={second.pk: "HTT"},
        comment="Phiếu bầu: giữ Nguyễn Văn An",
    )
    levels = dict(
        Evaluation.objects.filter(pk__in=[e.pk for e in evaluations]).values_list(
            "pk", "final_level"
        )
    )
    assert sorted(levels.values()) == ["HTT"] * 6 + ["HTXS"]
    assert levels[evaluations[0].pk] == "HTXS" and levels[second.pk] == "HTT"
    [cap] = decision.caps
    assert (cap["htxs"], cap["htt"], cap["allowed"], cap["exceeded"]) == (1, 6, 1, False)
    assert decision.changed_levels == {str(second.pk): ["HTXS", "HTT"]}


def test_the_council_may_confirm_a_list_over_the_cap_with_its_reasons(group_of_seven):
    province, evaluations = group_of_seven
    decision = services.council_conclude(
        actor=province["council"],
        evaluations=evaluations,
        confirm_over_cap=True,
        comment="Đơn vị được công nhận xuất sắc",
    )
    assert decision.over_cap_confirmed and decision.caps[0]["exceeded"]
    top = Evaluation.objects.filter(pk__in=[e.pk for e in evaluations], final_level="HTXS")
    assert top.count() == 2
    assert all(e.reasons[-1]["code"] == "CAP_CONFIRMED" for e in top)


def test_results_already_concluded_count_in_the_cap_of_a_later_conclusion(group_of_seven):
    province, evaluations = group_of_seven
    council = province["council"]
    services.council_conclude(actor=council, evaluations=evaluations[2:])  # five HTT
    services.council_conclude(actor=council, evaluations=evaluations[:1])  # one HTXS: 1 ≤ 1
    with pytest.raises(ValidationError, match="vượt tỷ lệ tối đa 1"):
        services.council_conclude(actor=council, evaluations=evaluations[1:2])


def test_a_locked_result_cannot_be_changed_except_by_a_logged_reopening(world):
    province, _, an = world
    staff, head, council = province["staff"], province["head_syt"], province["council"]
    an = published(province, an)
    assert an.locked and an.published_at is not None and an.final_level == "HTXS"
    before = score_rows(an)
    with pytest.raises(ValidationError, match="khóa"):
        services.self_assess(actor=staff, evaluation=an, scores={"thu.a.1": SelfScore(1)})
    with pytest.raises(ValidationError, match="khóa"):
        services.evidence_attach(actor=staff, evaluation=an, criterion="thu.a.2", upload=f.pdf())
    with pytest.raises(ValidationError, match="khóa"):
        services.manager_review(
            actor=head, evaluation=an, changes={"thu.a.1": ManagerScore(1, "Sai")}
        )
    with pytest.raises(ValidationError, match="khóa"):
        conclude_alone(province, an, levels={an.pk: "HTT"})
    with pytest.raises(ValidationError, match="khóa"):
        services.return_to(actor=council, evaluation=an, comment="Xem lại")
    assert score_rows(an) == before
    an.refresh_from_db()
    assert (an.state, an.final_level, an.locked) == ("published", "HTXS", True)
    # Reopening: the council or Sở Nội vụ, with a reason; not the official, not another unit.
    with pytest.raises(ValidationError, match="Chỉ hội đồng"):
        services.reopen(actor=staff, evaluation=an, reason="Tôi muốn sửa")
    with pytest.raises(PermissionDenied):
        services.reopen(actor=province["head_stp"], evaluation=an, reason="Xem lại")
    with pytest.raises(ValidationError, match="lý do mở lại"):
        services.reopen(actor=province["snv"], evaluation=an, reason="  ")
    services.reopen(actor=province["snv"], evaluation=an, reason="Khiếu nại của đồng nghiệp")
    an.refresh_from_db()
    assert (an.state, an.locked, an.final_level) == ("reviewed", False, "")
    move = Transition.objects.get(evaluation=an, move="reopen")
    assert (move.actor, move.comment) == (province["snv"], "Khiếu nại của đồng nghiệp")
    log = AuditLog.objects.get(action="evaluation.reopen", object_id=str(an.pk))
    assert log.data["previous"]["level"] == "HTXS" and log.actor == province["snv"]
    # After reopening, the usual path: back to the manager, who changes a score with a reason.
    services.return_to(actor=council, evaluation=an, comment="Người quản lý xem lại")
    services.manager_review(
        actor=head,
        evaluation=an,
        changes={"thu.a.1": ManagerScore(0, "Xác minh khiếu nại: đúng")},
        task_points=ManagerScore(40, "Xác minh khiếu nại"),
    )
    services.council_conclude(actor=council, evaluations=[an])
    services.publish(actor=council, evaluations=[an])
    an.refresh_from_db()
    assert (an.final_level, an.final_score, an.locked) == ("HTNV", Decimal("58.00"), True)


def test_reopening_a_result_of_a_closed_cycle_reopens_the_cycle(world):
    province, cycle, an = world
    for key in ("head_syt", "nurse"):
        Evaluation.objects.filter(cycle=cycle, staff=province.staff[key]).delete()
    published(province, an)
    services.cycle_close(actor=province["head_syt"], cycle=cycle)
    services.reopen(actor=province["council"], evaluation=an, reason="Sai sót số liệu")
    cycle.refresh_from_db()
    assert cycle.status == "open"
    assert AuditLog.objects.filter(action="evaluation.cycle_reopen").exists()


def test_a_new_catalogue_version_does_not_alter_past_results(world, version, tmp_path):
    province, _, an = world
    an = published(province, an, a1=3)
    result = (an.final_level, an.final_score, an.culture_score, an.period_score, an.reasons)
    rows = score_rows(an)
    changed = f.individual_doc(version="2", effective_from="2027-01-01")
    changed["items"][0]["items"][0].update(text="Đeo thẻ đúng quy định", points=5)
    changed["items"][0]["items"][1]["points"] = 5
    newer = f.load(tmp_path, changed)
    # The old rows still point at the old criteria, with the old text and points.
    old_criteria = {s.criterion.version_id for s in CriterionScore.objects.filter(evaluation=an)}
    assert old_criteria == {version.pk}
    first = CriterionScore.objects.get(evaluation=an, criterion__stable_id="thu.a.1").criterion
    assert (first.text, first.points) == ("Đeo thẻ khi làm nhiệm vụ", Decimal(4))
    an.refresh_from_db()
    assert (an.final_level, an.final_score, an.culture_score, an.period_score, an.reasons) == result
    assert score_rows(an) == rows
    # Recomputing the old evaluation from its rows gives the same result.
    again = classification.classify_evaluations([an])[an.pk]
    assert (again.level, again.score, again.culture_score) == (
        an.final_level,
        an.final_score,
        an.culture_score,
    )
    # A cycle on the new version scores on the new criteria.
    next_year = f.cycle(
        province["head_syt"],
        newer,
        province.units["syt"],
        year=2027,
        deadlines=(date(2027, 12, 1), date(2027, 12, 5), date(2027, 12, 10)),
    )
    later = f.evaluation_of(next_year, province.staff["syt_cc"])
    services.self_assess(
        actor=province["staff"], evaluation=later, scores={"thu.a.1": SelfScore(5)}
    )
    assert CriterionScore.objects.get(evaluation=later).criterion.version == newer


def test_under_nd90_the_council_needs_the_facts_the_manager_confirms(province, version):
    cycle = f.cycle(province["head_syt"], version, province.units["syt"], year=2025)
    an = f.evaluation_of(cycle, province.staff["syt_cc"])
    assert an.regime == "nd90"
    an = f.to_reviewed(province["staff"], province["head_syt"], an)
    assert an.proposed_level == ""  # not enough facts to propose
    with pytest.raises(ValidationError, match="Nghị định 90/2020"):
        conclude_alone(province, an)
    services.return_to(actor=province["council"], evaluation=an, comment="Bổ sung dữ kiện")
    with pytest.raises(ValidationError, match="tasks_on_time_pct"):
        services.manager_review(
            actor=province["head_syt"],
            evaluation=an,
            circumstances=Circumstances(nd90_facts={"general": "good"}),
        )
    facts = {
        "general": "good",
        "tasks_done_pct": 100,
        "tasks_on_time_pct": 100,
        "tasks_exceeded_pct": 60,
    }
    services.manager_review(
        actor=province["head_syt"], evaluation=an, circumstances=Circumstances(nd90_facts=facts)
    )
    an.refresh_from_db()
    assert an.proposed_level == "HTXS"
    conclude_alone(province, an)
    an.refresh_from_db()
    assert an.final_level == "HTXS" and an.final_score is None  # ND 90 rates on criteria
    assert an.culture_score == Decimal("100.00")  # the culture part stays visible


def test_the_year_is_the_mean_of_the_published_quarters(province, version):
    staff, head = province["staff"], province["head_syt"]
    for number, task in ((1, 65), (2, 45)):  # 95 and 75 points
        quarter = f.cycle(head, version, province.units["syt"], kind="quarter", number=number)
        published(province, f.evaluation_of(quarter, province.staff["syt_cc"]), task=task)
    year = f.cycle(head, version, province.units["syt"])
    an = f.evaluation_of(year, province.staff["syt_cc"])
    f.to_reviewed(staff, head, an)  # the year's own form: 95 points
    services.council_conclude(actor=province["council"], evaluations=[an])
    an.refresh_from_db()
    assert an.inputs["period_source"] == "quarter"
    assert an.inputs["period_scores"] == ["95.00", "75.00"]
    assert (an.final_score, an.final_level, an.period_score) == (
        Decimal("85.00"),
        "HTT",
        Decimal("95.00"),
    )
    assert "2 kỳ đánh giá" in an.reasons[0]["text"]


def test_only_the_unit_council_or_head_concludes_and_publishes(world):
    province, _, an = world
    f.to_reviewed(province["staff"], province["head_syt"], an)
    for persona in ("head_stp", "outsider", "leader"):
        with pytest.raises(PermissionDenied):
            services.council_conclude(actor=province[persona], evaluations=[an])
    with pytest.raises(ValidationError, match="Chỉ hội đồng"):
        services.council_conclude(actor=province["snv"], evaluations=[an])
    conclude_alone(province, an)
    with pytest.raises(PermissionDenied):
        services.publish(actor=province["head_stp"], evaluations=[an])
    services.publish(actor=province["head_syt"], evaluations=[an])  # the head, as council
    an.refresh_from_db()
    assert an.state == "published" and CouncilDecision.objects.count() == 1
