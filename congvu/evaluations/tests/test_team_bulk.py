"""The team page's bulk actions (services and page): accept as reviewed, return with one
comment, remind; one transaction, each evaluation checked, a refusal changes nothing."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from congvu.core.models import AuditLog, Notification
from congvu.evaluations import selectors, services
from congvu.evaluations.models import Evaluation, Transition
from congvu.evaluations.services import ManagerScore
from congvu.evaluations.tests import factories as f
from congvu.testing import make_staff, make_user

pytestmark = pytest.mark.django_db

TEAM = reverse("evaluations:team_list")


@pytest.fixture
def team(province, tmp_path):
    """Sở Y tế's cycle: An and Bình submitted, Cường still drafting (all managed by gd_syt);
    Sở Tư pháp's cycle: Ánh submitted (managed by gd_stp)."""
    version = f.load(tmp_path, f.individual_doc())
    syt = province.units["syt"]
    binh = make_user("cb_binh", make_staff(syt, "Lý", "Thị", "Bình"))
    cuong = make_user("cb_cuong", make_staff(syt, "Hồ", "Văn", "Cường"))
    cycle = f.cycle(province["head_syt"], version, syt)
    an = f.evaluation_of(cycle, province.staff["syt_cc"])
    for user, evaluation, task in (
        (province["staff"], an, 65),
        (binh, f.evaluation_of(cycle, binh.staff), 50),
    ):
        f.self_assess_all(user, evaluation, task=task)
        services.submit(actor=user, evaluation=evaluation)
    anh_user = make_user("cb_tuphap", province.staff["stp_cc"])
    stp_cycle = f.cycle(province["head_stp"], version, province.units["stp"])
    anh = f.evaluation_of(stp_cycle, province.staff["stp_cc"])
    f.self_assess_all(anh_user, anh)
    services.submit(actor=anh_user, evaluation=anh)
    return {
        "cycle": cycle,
        "an": an,
        "binh": f.evaluation_of(cycle, binh.staff),
        "cuong": f.evaluation_of(cycle, cuong.staff),
        "cuong_user": cuong,
        "anh": anh,
    }


def states(*evaluations) -> list[str]:
    return [Evaluation.objects.get(pk=e.pk).state for e in evaluations]


# --- Services ---------------------------------------------------------------------------


def test_accepting_several_reviews_each_with_the_scores_as_they_stand(province, team):
    done = services.review_accept_many(
        actor=province["head_syt"], evaluations=[team["an"], team["binh"]], comment="Đồng ý"
    )
    assert len(done) == 2
    an, binh = (Evaluation.objects.get(pk=team[k].pk) for k in ("an", "binh"))
    assert (an.state, binh.state) == ("reviewed", "reviewed")
    assert (an.period_score, binh.period_score) == (Decimal(95), Decimal(80))
    assert (an.proposed_level, an.manager_comment) == ("HTXS", "Đồng ý")
    assert Transition.objects.filter(move="review", evaluation__in=[an, binh]).count() == 2
    summary = AuditLog.objects.get(action="evaluation.review_many")
    assert summary.data["evaluations"] == sorted([an.pk, binh.pk])
    assert AuditLog.objects.filter(action="evaluation.review").count() == 2


def test_one_evaluation_not_waiting_on_the_manager_stops_them_all(province, team):
    with pytest.raises(ValidationError, match="Hồ Văn Cường"):
        services.review_accept_many(
            actor=province["head_syt"], evaluations=[team["an"], team["binh"], team["cuong"]]
        )
    assert states(team["an"], team["binh"], team["cuong"]) == ["submitted", "submitted", "draft"]
    assert not Transition.objects.filter(move="review").exists()
    assert not AuditLog.objects.filter(action__startswith="evaluation.review").exists()


def test_a_manager_cannot_bulk_act_on_another_units_evaluation(province, team):
    for action in (services.review_accept_many, services.remind_many):
        with pytest.raises(PermissionDenied):
            action(actor=province["head_syt"], evaluations=[team["an"], team["anh"]])
    with pytest.raises(PermissionDenied):
        services.return_many(
            actor=province["head_syt"], evaluations=[team["an"], team["anh"]], comment="Sửa lại"
        )
    assert states(team["an"], team["anh"]) == ["submitted", "submitted"]
    assert not Notification.objects.filter(kind="reminder").exists()


def test_the_council_cannot_use_the_team_actions_on_the_council_step(province, team):
    """gd_syt also concludes for Sở Y tế: a reviewed evaluation is not returned by the team
    page (that is the council's return, to the manager, on the council page)."""
    services.review_accept_many(actor=province["head_syt"], evaluations=[team["an"]])
    with pytest.raises(ValidationError, match="không trả lại được ở bước này"):
        services.return_many(actor=province["head_syt"], evaluations=[team["an"]], comment="X")
    assert states(team["an"]) == ["reviewed"]


def test_returning_several_needs_a_comment_and_sends_them_back(province, team):
    with pytest.raises(ValidationError, match="Cần ghi ý kiến"):
        services.return_many(
            actor=province["head_syt"], evaluations=[team["an"], team["binh"]], comment="  "
        )
    assert states(team["an"], team["binh"]) == ["submitted", "submitted"]
    services.return_many(
        actor=province["head_syt"],
        evaluations=[team["an"], team["binh"]],
        comment="Bổ sung minh chứng",
    )
    assert states(team["an"], team["binh"]) == ["draft", "draft"]
    moves = Transition.objects.filter(move="return", comment="Bổ sung minh chứng")
    assert moves.count() == 2
    assert AuditLog.objects.filter(action="evaluation.return_many").count() == 1


def test_a_reminder_reaches_the_official_once_a_day(province, team):
    head = province["head_syt"]
    assert services.remind_many(actor=head, evaluations=[team["cuong"]], comment="Sắp hết hạn") == 1
    note = Notification.objects.get(kind="reminder", recipient=team["cuong_user"])
    assert "25/11/2026" in note.message and "Sắp hết hạn" in note.message
    assert services.remind_many(actor=head, evaluations=[team["cuong"]]) == 0
    assert Notification.objects.filter(kind="reminder").count() == 1
    assert AuditLog.objects.filter(action="evaluation.remind").count() == 1


def test_nobody_is_reminded_of_a_step_already_done(province, team):
    with pytest.raises(ValidationError, match="Nguyễn Văn An: đã nộp"):
        services.remind_many(actor=province["head_syt"], evaluations=[team["cuong"], team["an"]])
    assert not Notification.objects.filter(kind="reminder").exists()


def test_an_empty_choice_is_refused(province, team):
    with pytest.raises(ValidationError, match="Chưa chọn"):
        services.review_accept_many(actor=province["head_syt"], evaluations=[])


def test_totals_show_the_officials_and_the_managers_side_by_side(province, team):
    services.manager_review(
        actor=province["head_syt"],
        evaluation=team["an"],
        changes={"thu.a.1": ManagerScore(2, "Có buổi không đeo thẻ")},
    )
    rows = list(selectors.team_evaluations(user=province["head_syt"], cycle=team["cycle"]))
    totals = selectors.team_totals(evaluations=rows)
    # An: 30 + 65 = 95 as scored; the manager takes 2 of 10 culture points → 30 × 8/10 + 65.
    assert totals[team["an"].pk] == selectors.Totals(Decimal(95), Decimal(89))
    assert totals[team["binh"].pk] == selectors.Totals(Decimal(80), None)  # not reviewed yet
    assert totals[team["cuong"].pk] == selectors.Totals(None, None)  # nothing scored


# --- The page ---------------------------------------------------------------------------


def test_the_team_page_shows_both_totals_and_a_box_per_actionable_row(client, province, team):
    client.force_login(province["head_syt"])
    page = client.get(TEAM).content.decode()
    assert 'name="chon"' in page and f'value="{team["an"].pk}"' in page
    assert f'value="{team["anh"].pk}"' not in page and "Võ Thị Ánh" not in page
    assert "95,00" in page and "80,00" in page  # Vietnamese decimal comma
    assert "Đồng ý điểm tự chấm" in page


def test_bulk_accept_through_the_page(client, province, team):
    client.force_login(province["head_syt"])
    response = client.post(
        TEAM, {"chon": [team["an"].pk, team["binh"].pk], "thao_tac": "chap_nhan"}, follow=True
    )
    assert "Đã hoàn thành nhận xét 2 phiếu" in response.content.decode()
    assert states(team["an"], team["binh"]) == ["reviewed", "reviewed"]


def test_a_foreign_evaluation_in_the_form_changes_nothing(client, province, team):
    client.force_login(province["head_syt"])
    response = client.post(TEAM, {"chon": [team["an"].pk, team["anh"].pk], "thao_tac": "chap_nhan"})
    assert response.status_code == 200
    assert "không thuộc danh sách bạn nhận xét" in response.content.decode()
    assert states(team["an"], team["anh"]) == ["submitted", "submitted"]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"thao_tac": "chap_nhan"}, "Chưa chọn phiếu"),
        ({"chon": ["abc"], "thao_tac": "chap_nhan"}, "Lựa chọn không hợp lệ"),
        ({"chon": ["1" * 40], "thao_tac": "chap_nhan"}, "Lựa chọn không hợp lệ"),
        ({"chon": ["1"], "thao_tac": "xoa_het"}, "Hãy chọn một thao tác"),
        ({"chon": ["1"]}, "Hãy chọn một thao tác"),
    ],
)
def test_bad_bulk_input_is_refused_in_vietnamese(client, province, team, data, message):
    client.force_login(province["head_syt"])
    response = client.post(TEAM, data)
    assert response.status_code == 200 and message in response.content.decode()
    assert states(team["an"], team["binh"]) == ["submitted", "submitted"]


def test_a_return_without_comment_keeps_the_choice_and_changes_nothing(client, province, team):
    client.force_login(province["head_syt"])
    response = client.post(TEAM, {"chon": [team["an"].pk], "thao_tac": "tra_lai", "y_kien": ""})
    page = response.content.decode()
    assert "Cần ghi ý kiến khi trả lại" in page
    assert f'value="{team["an"].pk}" id="chon_{team["an"].pk}" checked' in page
    assert states(team["an"]) == ["submitted"]


def test_reminders_through_the_page_and_the_officials_inbox(client, province, team):
    client.force_login(province["head_syt"])
    response = client.post(
        TEAM, {"chon": [team["cuong"].pk], "thao_tac": "nhac", "y_kien": "Hạn 25/11"}, follow=True
    )
    assert "Đã gửi nhắc việc cho 1 người" in response.content.decode()
    client.force_login(team["cuong_user"])
    inbox = client.get(reverse("evaluations:my_list")).content.decode()
    assert "Người quản lý trực tiếp nhắc hoàn thành bản tự đánh giá" in inbox


def test_the_team_page_works_for_a_manager_with_nothing_to_do(client, province, team):
    client.force_login(province["head_stp"])
    page = client.get(TEAM).content.decode()
    assert "Võ Thị Ánh" in page and "Nguyễn Văn An" not in page
    client.force_login(province["outsider"])
    assert "Không có kỳ đánh giá nào" in client.get(TEAM).content.decode()
