"""A unit's own (collective) assessment through the pages: the head fills it in on "Đánh giá
của tôi", Sở Nội vụ reviews (nobody above Sở Y tế has an account), concludes, publishes and
reopens on "Đánh giá tập thể"; nobody else acts, and a refusal changes nothing."""

from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from congvu.evaluations.models import Evaluation, Evidence, ScoreChange, Transition
from congvu.evaluations.tests import factories as f
from congvu.standards.models import Criterion

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(province, tmp_path):
    version = f.load(tmp_path, f.collective_doc())
    cycle = f.cycle(
        province["snv"],
        version,
        province.units["syt"],
        subject="collective",
        culture_points=Decimal(100),
    )
    own = Evaluation.objects.get(cycle=cycle, unit=province.units["syt"])
    return province, cycle, own


def login(client, user):
    client.force_login(user)
    return client


def field(evaluation, stable_id: str, prefix: str = "diem") -> str:
    pk = Criterion.objects.get(
        version_id=evaluation.cycle.catalogue_version_id, stable_id=stable_id
    ).pk
    return f"{prefix}_{pk}"


def detail_url(evaluation) -> str:
    return reverse("evaluations:collective_detail", args=[evaluation.cycle_id, evaluation.unit_id])


def submitted(client, province, own):
    """The head of Sở Y tế fills in her unit's assessment, with a file, and submits it."""
    login(client, province["head_syt"])
    upload = SimpleUploadedFile("bien-ban.pdf", f.PDF, content_type="application/pdf")
    client.post(
        reverse("evaluations:evidence_upload", args=[own.pk]),
        {"tieu_chi": "thu-tap-the.a.1", "tep": upload},
    )
    data = {
        field(own, "thu-tap-the.a.1"): "9",
        field(own, "thu-tap-the.a.1", "ghi_chu"): "Đủ",
        field(own, "thu-tap-the.a.2"): "8",
        "nhan_xet": "Cơ quan xanh, sạch",
        "nop": "1",
    }
    response = client.post(reverse("evaluations:my_detail", args=[own.pk]), data)
    assert response.status_code == 302
    own.refresh_from_db()
    assert own.state == "submitted"
    return own


def test_the_head_fills_in_her_units_assessment_on_her_own_page(client, world):
    province, cycle, own = world
    login(client, province["head_syt"])
    listing = client.get(reverse("evaluations:my_list")).content.decode()
    assert reverse("evaluations:my_detail", args=[own.pk]) in listing
    page = client.get(reverse("evaluations:my_detail", args=[own.pk])).content.decode()
    assert "Niêm yết thủ tục" in page and 'id="nhiem_vu"' not in page  # no task points
    submitted(client, province, own)
    assert Evidence.objects.get(evaluation=own).original_name == "bien-ban.pdf"
    # The unit's page sends its head back to her own page.
    response = client.get(detail_url(own))
    assert response["Location"] == reverse("evaluations:my_detail", args=[own.pk])


def test_so_noi_vu_reviews_concludes_publishes_and_reopens(client, world):
    province, _, own = world
    submitted(client, province, own)
    login(client, province["snv"])
    index = client.get(reverse("evaluations:collective_index")).content.decode()
    assert detail_url(own) in index and "Bệnh viện Đa khoa tỉnh" in index
    page = client.get(detail_url(own)).content.decode()
    assert 'id="review-form"' in page and "bien-ban.pdf" in page

    a1 = field(own, "thu-tap-the.a.1")
    response = client.post(detail_url(own), {a1: "7", "nhan_xet": "Đạt", "xem_xet": "1"})
    assert "cần ghi lý do" in response.content.decode()
    own.refresh_from_db()
    assert own.state == "submitted" and not ScoreChange.objects.filter(step="manager").exists()

    reason = field(own, "thu-tap-the.a.1", "ly_do")
    data = {a1: "7", reason: "Còn thủ tục chưa niêm yết", "nhan_xet": "Đạt", "xem_xet": "1"}
    assert client.post(detail_url(own), data).status_code == 302
    own.refresh_from_db()
    assert (own.state, own.period_score, own.proposed_level) == (
        "reviewed",
        Decimal("75.00"),
        "HTT",
    )

    page = client.get(detail_url(own)).content.decode()
    assert 'name="ket_luan"' in page and '<option value="HTXS"' not in page
    response = client.post(detail_url(own), {"muc": "HTXS", "y_kien": "", "ket_luan": "1"})
    assert "không được xếp cao hơn" in response.content.decode()
    own.refresh_from_db()
    assert own.state == "reviewed"
    client.post(detail_url(own), {"muc": "HTNV", "y_kien": "Còn chậm niêm yết", "ket_luan": "1"})
    own.refresh_from_db()
    assert (own.state, own.final_level) == ("concluded", "HTNV")
    assert own.reasons[-1]["code"] == "COUNCIL_LEVEL"

    client.post(detail_url(own), {"cong_bo": "1"})
    own.refresh_from_db()
    assert (own.state, own.locked) == ("published", True)
    login(client, province["head_syt"])
    page = client.get(reverse("evaluations:my_detail", args=[own.pk])).content.decode()
    assert "Hoàn thành nhiệm vụ" in page and "Còn chậm niêm yết" in page

    login(client, province["snv"])
    response = client.post(detail_url(own), {"y_kien": "  ", "mo_lai": "1"})
    assert "Cần ghi lý do mở lại." in response.content.decode()
    client.post(detail_url(own), {"y_kien": "Đơn vị bổ sung minh chứng", "mo_lai": "1"})
    own.refresh_from_db()
    assert (own.state, own.locked, own.final_level) == ("reviewed", False, "")
    moves = list(Transition.objects.filter(evaluation=own).values_list("move", flat=True))
    assert moves == ["submit", "review", "conclude", "publish", "reopen"]


def test_the_reviewer_returns_the_assessment_with_a_comment(client, world):
    province, _, own = world
    submitted(client, province, own)
    login(client, province["snv"])
    response = client.post(detail_url(own), {"nhan_xet": "", "tra_lai": "1"})
    assert "Cần ghi ý kiến khi trả lại." in response.content.decode()
    client.post(detail_url(own), {"nhan_xet": "Thiếu biên bản kiểm tra", "tra_lai": "1"})
    own.refresh_from_db()
    assert own.state == "draft"


def test_a_units_council_reads_its_assessment_but_does_not_judge_it(client, world):
    province, _, own = world
    submitted(client, province, own)
    login(client, province["council"])  # concludes Sở Y tế's officials, not Sở Y tế itself
    page = client.get(detail_url(own)).content.decode()
    assert "Niêm yết thủ tục" in page
    assert 'id="review-form"' not in page and 'name="ket_luan"' not in page
    a1 = field(own, "thu-tap-the.a.1")
    response = client.post(detail_url(own), {a1: "1", "xem_xet": "1"})
    assert response.status_code == 403
    own.refresh_from_db()
    assert own.state == "submitted" and own.manager_comment == ""


@pytest.mark.parametrize("persona", ["head_stp", "staff", "outsider", "mttq", "inspector"])
def test_outsiders_find_neither_the_list_nor_a_units_assessment(client, world, persona):
    province, _, own = world
    login(client, province[persona])
    assert client.get(reverse("evaluations:collective_index")).status_code == 403
    assert client.get(detail_url(own)).status_code == 404
    assert client.post(detail_url(own), {"cong_bo": "1"}).status_code == 404


def test_the_list_filters_by_state_and_shows_who_answers(client, world):
    province, cycle, own = world
    submitted(client, province, own)
    login(client, province["snv"])
    url = reverse("evaluations:collective_index")
    page = client.get(url, {"ky": cycle.pk, "trang_thai": "submitted"}).content.decode()
    assert detail_url(own) in page and "Bệnh viện Đa khoa tỉnh" not in page
    page = client.get(url, {"ky": cycle.pk, "trang_thai": "draft"}).content.decode()
    assert "Bệnh viện Đa khoa tỉnh" in page and "chưa có" in page  # nobody answers for it
    # The cycle page warns that the hospital has nobody to fill its assessment in.
    page = client.get(reverse("evaluations:cycle_detail", args=[cycle.pk])).content.decode()
    assert 'id="no-respondent"' in page and "Bệnh viện Đa khoa tỉnh" in page
    assert reverse("evaluations:collective_index") + f"?ky={cycle.pk}" in page


def test_the_hospitals_assessment_is_reviewed_by_the_head_of_its_department(client, world):
    province, cycle, _ = world
    hospital = Evaluation.objects.get(cycle=cycle, unit=province.units["bv"])
    assert hospital.manager == province["head_syt"] and hospital.respondent is None
    login(client, province["head_syt"])
    page = client.get(detail_url(hospital)).content.decode()
    assert "Đang tự đánh giá" in page and 'id="review-form"' not in page  # nothing to review yet


def test_the_cycles_manager_names_who_answers_for_a_unit_without_a_head_account(client, world):
    from congvu.core.models import AuditLog
    from congvu.testing import make_user

    province, cycle, own = world
    hospital = Evaluation.objects.get(cycle=cycle, unit=province.units["bv"])
    nurse = make_user("dieuduong", province.staff["nurse"])
    login(client, province["snv"])
    page = client.get(detail_url(hospital)).content.decode()
    assert 'id="respondent"' in page and "Lê Văn Đức —" in page and "Nguyễn Văn An —" not in page

    other = province.users["staff"]  # An works at Sở Y tế, not at the hospital
    response = client.post(detail_url(hospital), {"nguoi": str(other.pk), "nguoi_dai_dien": "1"})
    assert "Hãy chọn một cán bộ của đơn vị có tài khoản." in response.content.decode()
    hospital.refresh_from_db()
    assert hospital.respondent is None

    client.post(detail_url(hospital), {"nguoi": str(nurse.pk), "nguoi_dai_dien": "1"})
    hospital.refresh_from_db()
    assert hospital.respondent == nurse
    record = AuditLog.objects.get(action="evaluation.respondent_set")
    assert (record.data["before"], record.data["after"]) == (None, nurse.pk)
    login(client, nurse)
    listing = client.get(reverse("evaluations:my_list")).content.decode()
    assert reverse("evaluations:my_detail", args=[hospital.pk]) in listing

    submitted(client, province, own)  # once submitted, the respondent stays
    login(client, province["snv"])
    response = client.post(detail_url(own), {"nguoi": str(other.pk), "nguoi_dai_dien": "1"})
    assert "không đổi người đại diện" in response.content.decode()
    own.refresh_from_db()
    assert own.respondent == province["head_syt"]


def test_only_the_cycles_managers_see_a_unit_while_the_cycle_is_prepared(
    client, province, tmp_path
):
    version = f.load(tmp_path, f.collective_doc())
    cycle = f.cycle(
        province["snv"],
        version,
        province.units["syt"],
        subject="collective",
        culture_points=Decimal(100),
        open_it=False,
    )
    hospital = Evaluation.objects.get(cycle=cycle, unit=province.units["bv"])
    login(client, province["snv"])
    assert client.get(detail_url(hospital)).status_code == 200
    for persona in ("council", "leader", "head_stp"):  # the head of Sở Y tế manages it
        login(client, province[persona])
        assert client.get(detail_url(hospital)).status_code == 404


def test_the_progress_of_a_collective_cycle_leads_to_each_units_assessment(client, world):
    province, cycle, own = world
    login(client, province["snv"])
    page = client.get(reverse("evaluations:progress_detail", args=[cycle.pk])).content.decode()
    assert detail_url(own) in page
    assert reverse("evaluations:council_detail", args=[cycle.pk, own.unit_id]) not in page
