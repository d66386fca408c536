"""The pages "Đánh giá của tôi" and "Đánh giá cán bộ" through the test client."""

from decimal import Decimal

import pytest
from django.urls import reverse

from congvu.evaluations import services
from congvu.evaluations.models import CriterionScore, Evidence, ScoreChange, Transition
from congvu.evaluations.tests import factories as f
from congvu.standards.models import Criterion

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(province, tmp_path):
    version = f.load(tmp_path, f.individual_doc())
    cycle = f.cycle(province["head_syt"], version, province.units["syt"])
    return province, cycle, f.evaluation_of(cycle, province.staff["syt_cc"])


def pk_of(evaluation, stable_id: str) -> int:
    return Criterion.objects.get(
        version_id=evaluation.cycle.catalogue_version_id, stable_id=stable_id
    ).pk


def login(client, user):
    client.force_login(user)
    return client


def self_form(an, a1="4", a2="6", task="65", **extra):
    data = {
        f"diem_{pk_of(an, 'thu.a.1')}": a1,
        f"ghi_chu_{pk_of(an, 'thu.a.1')}": "Luôn đeo thẻ",
        f"diem_{pk_of(an, 'thu.a.2')}": a2,
        f"ghi_chu_{pk_of(an, 'thu.a.2')}": "Có chứng chỉ",
        "nhiem_vu": task,
        "nhan_xet": "Hoàn thành tốt",
    }
    data.update(extra)
    return data


def test_the_official_fills_uploads_evidence_and_submits(client, world):
    province, _, an = world
    login(client, province["staff"])
    listing = client.get(reverse("evaluations:my_list")).content.decode()
    assert reverse("evaluations:my_detail", args=[an.pk]) in listing
    assert "Đánh giá của tôi" in client.get("/").content.decode()  # the menu entry
    url = reverse("evaluations:my_detail", args=[an.pk])
    page = client.get(url).content.decode()
    assert "Đeo thẻ khi làm nhiệm vụ" in page and "Công tâm trong đánh giá" not in page
    assert 'max="4.00"' in page or 'max="4"' in page

    response = client.post(url, self_form(an, a1="5"))  # over the criterion's 4 points
    assert response.status_code == 200
    assert "từ 0 đến 4" in response.content.decode()
    assert not CriterionScore.objects.filter(evaluation=an).exists()

    response = client.post(url, self_form(an, luu="1"))
    assert response.status_code == 302
    an.refresh_from_db()
    assert an.state == "draft" and an.self_task_points == Decimal(65)
    assert (
        CriterionScore.objects.get(evaluation=an, criterion_id=pk_of(an, "thu.a.1")).self_score == 4
    )

    response = client.post(url, self_form(an, nop="1"))  # the required evidence is missing
    assert response.status_code == 200
    assert "minh chứng" in response.content.decode()
    an.refresh_from_db()
    assert an.state == "draft"

    upload = reverse("evaluations:evidence_upload", args=[an.pk])
    client.post(upload, {"tieu_chi": "thu.a.2", "tep": f.pdf()})
    assert Evidence.objects.filter(evaluation=an).count() == 1
    client.post(upload, {"tieu_chi": "thu.a.2", "tep": f.pdf("x.pdf", b"not a pdf")})
    assert Evidence.objects.filter(evaluation=an).count() == 1

    response = client.post(url, self_form(an, nop="1"))
    assert response.status_code == 302
    an.refresh_from_db()
    assert an.state == "submitted"
    page = client.get(url).content.decode()
    assert 'name="diem_' not in page and "chung-chi.pdf" in page  # read-only after submission


def test_nobody_else_opens_my_evaluation(client, world):
    province, _, an = world
    login(client, province["head_syt"])
    assert client.get(reverse("evaluations:my_detail", args=[an.pk])).status_code == 404
    response = client.post(
        reverse("evaluations:evidence_upload", args=[an.pk]),
        {"tieu_chi": "thu.a.2", "tep": f.pdf()},
    )
    assert response.status_code == 404 and not Evidence.objects.exists()


def test_a_manager_cannot_open_the_review_of_someone_outside_the_team(client, world):
    province, cycle, an = world
    f.self_assess_all(province["staff"], an)
    services.submit(actor=province["staff"], evaluation=an)
    login(client, province["head_stp"])
    assert client.get(reverse("evaluations:team_review", args=[an.pk])).status_code == 404
    assert client.post(reverse("evaluations:team_review", args=[an.pk]), {}).status_code == 404
    own = f.evaluation_of(cycle, province.staff["head_syt"])  # nobody reviews themself
    login(client, province["head_syt"])
    assert client.get(reverse("evaluations:team_review", args=[own.pk])).status_code == 404
    an.refresh_from_db()
    assert an.state == "submitted"


def test_a_score_change_without_a_reason_is_refused_and_changes_nothing(client, world):
    province, _, an = world
    f.self_assess_all(province["staff"], an)
    services.submit(actor=province["staff"], evaluation=an)
    login(client, province["head_syt"])
    listing = client.get(reverse("evaluations:team_list")).content.decode()
    assert (
        "Nguyễn Văn An" in listing and reverse("evaluations:team_review", args=[an.pk]) in listing
    )
    url = reverse("evaluations:team_review", args=[an.pk])
    page = client.get(url).content.decode()
    assert 'name="diem_' in page
    a1, a2 = pk_of(an, "thu.a.1"), pk_of(an, "thu.a.2")
    before = ScoreChange.objects.count()
    form = {f"diem_{a1}": "3", f"diem_{a2}": "6", "nhiem_vu": "65", "nhan_xet": "Tốt"}
    response = client.post(url, {**form, "xem_xet": "1"})
    assert response.status_code == 200
    assert "cần ghi lý do khi thay đổi điểm" in response.content.decode()
    an.refresh_from_db()
    assert an.state == "submitted" and ScoreChange.objects.count() == before
    assert CriterionScore.objects.get(evaluation=an, criterion_id=a1).manager_score is None

    response = client.post(url, {**form, f"ly_do_{a1}": "Có lần quên thẻ", "xem_xet": "1"})
    assert response.status_code == 302
    an.refresh_from_db()
    row = CriterionScore.objects.get(evaluation=an, criterion_id=a1)
    assert an.state == "reviewed" and row.manager_score == 3 and row.self_score == 4
    assert row.manager_reason == "Có lần quên thẻ"


def test_the_manager_returns_with_a_comment(client, world):
    province, _, an = world
    f.self_assess_all(province["staff"], an)
    services.submit(actor=province["staff"], evaluation=an)
    login(client, province["head_syt"])
    url = reverse("evaluations:team_review", args=[an.pk])
    response = client.post(url, {"nhan_xet": "", "tra_lai": "1"})
    assert response.status_code == 200
    an.refresh_from_db()
    assert an.state == "submitted"
    response = client.post(url, {"nhan_xet": "Bổ sung minh chứng", "tra_lai": "1"})
    assert response.status_code == 302
    an.refresh_from_db()
    assert an.state == "draft"
    assert Transition.objects.filter(evaluation=an, move="return").get().comment == (
        "Bổ sung minh chứng"
    )


def test_a_published_evaluation_is_read_only_with_its_result_and_history(client, world):
    province, _, an = world
    f.to_reviewed(province["staff"], province["head_syt"], an)
    services.council_conclude(
        actor=province["council"],
        evaluations=[an],
        confirm_over_cap=True,
        comment="Hội đồng thống nhất",
    )
    services.publish(actor=province["council"], evaluations=[an])
    an.refresh_from_db()
    login(client, province["staff"])
    url = reverse("evaluations:my_detail", args=[an.pk])
    page = client.get(url).content.decode()
    assert 'name="diem_' not in page and 'name="nop"' not in page
    assert an.get_final_level_display() in page
    assert 'id="result"' in page and 'id="history"' in page
    assert an.reasons and an.reasons[0]["text"].split(":")[0][:20] in page
    response = client.post(url, self_form(an, a1="1", nop="1"))
    assert response.status_code == 200
    assert (
        CriterionScore.objects.get(evaluation=an, criterion_id=pk_of(an, "thu.a.1")).self_score == 4
    )
    an.refresh_from_db()
    assert an.state == "published"
