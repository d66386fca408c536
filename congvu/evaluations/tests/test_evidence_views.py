"""Evidence download (official, manager, council, Sở Nội vụ in scope) and delete (the official
while the self-assessment is theirs to edit; audited; the file goes after commit)."""

import pytest
from django.urls import reverse

from congvu.core.models import AuditLog
from congvu.evaluations import services
from congvu.evaluations.models import Evidence
from congvu.evaluations.tests import factories as f
from congvu.testing import make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def files(province, tmp_path):
    """An's evidence in Sở Y tế's cycle; Ánh's in Sở Tư pháp's."""
    version = f.load(tmp_path, f.individual_doc())
    an = f.evaluation_of(
        f.cycle(province["head_syt"], version, province.units["syt"]), province.staff["syt_cc"]
    )
    mine = services.evidence_attach(
        actor=province["staff"],
        evaluation=an,
        criterion="thu.a.2",
        upload=f.pdf("Chứng chỉ tin học.pdf"),
    )
    anh_user = make_user("cb_tuphap", province.staff["stp_cc"])
    anh = f.evaluation_of(
        f.cycle(province["head_stp"], version, province.units["stp"]), province.staff["stp_cc"]
    )
    theirs = services.evidence_attach(
        actor=anh_user, evaluation=anh, criterion="thu.a.2", upload=f.pdf("anh.pdf")
    )
    return {"an": an, "mine": mine, "theirs": theirs, "anh_user": anh_user}


def download(client, user, evidence):
    client.force_login(user)
    return client.get(reverse("evaluations:evidence_download", args=[evidence.pk]))


@pytest.mark.parametrize("who", ["staff", "head_syt", "council", "snv", "admin"])
def test_the_official_manager_council_and_so_noi_vu_download(client, province, files, who):
    response = download(client, province[who], files["mine"])
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == f.PDF
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert disposition == 'attachment; filename="chung-chi-tin-hoc.pdf"'  # ASCII, detected type


@pytest.mark.parametrize("who", ["head_stp", "leader", "inspector", "mttq", "outsider"])
def test_nobody_else_downloads_not_even_a_manager_of_another_unit(client, province, files, who):
    assert download(client, province[who], files["mine"]).status_code == 404


def test_a_manager_of_unit_a_cannot_download_unit_bs_evidence(client, province, files):
    assert download(client, province["head_syt"], files["theirs"]).status_code == 404
    assert download(client, province["head_stp"], files["theirs"]).status_code == 200


def test_a_missing_file_is_404_not_500(client, province, files):
    services.evidence_path(files["mine"]).unlink()
    assert download(client, province["staff"], files["mine"]).status_code == 404


def test_the_pages_link_the_files(client, province, files):
    url = reverse("evaluations:evidence_download", args=[files["mine"].pk])
    client.force_login(province["staff"])
    page = client.get(reverse("evaluations:my_detail", args=[files["an"].pk])).content.decode()
    assert url in page
    assert reverse("evaluations:evidence_delete", args=[files["mine"].pk]) in page
    client.force_login(province["head_syt"])
    review = client.get(reverse("evaluations:team_review", args=[files["an"].pk]))
    assert url in review.content.decode()


def test_the_official_deletes_a_file_and_it_is_gone_after_commit(
    client, province, files, django_capture_on_commit_callbacks
):
    path = services.evidence_path(files["mine"])
    client.force_login(province["staff"])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("evaluations:evidence_delete", args=[files["mine"].pk]))
    assert response.status_code == 302
    assert not Evidence.objects.filter(pk=files["mine"].pk).exists()
    assert not path.exists()
    record = AuditLog.objects.get(action="evaluation.evidence_remove")
    assert record.data["file"] == "Chứng chỉ tin học.pdf"


@pytest.mark.parametrize("who", ["head_syt", "council", "snv", "admin", "head_stp", "outsider"])
def test_only_the_owner_deletes(client, province, files, who):
    client.force_login(province[who])
    response = client.post(reverse("evaluations:evidence_delete", args=[files["mine"].pk]))
    assert response.status_code == 404
    assert Evidence.objects.filter(pk=files["mine"].pk).exists()
    assert services.evidence_path(files["mine"]).exists()


def test_a_submitted_self_assessment_keeps_its_files(client, province, files):
    f.self_assess_all(province["staff"], files["an"], evidence=False)
    services.submit(actor=province["staff"], evaluation=files["an"])
    client.force_login(province["staff"])
    response = client.post(
        reverse("evaluations:evidence_delete", args=[files["mine"].pk]), follow=True
    )
    assert "Không sửa được ở trạng thái" in response.content.decode()
    assert Evidence.objects.filter(pk=files["mine"].pk).exists()
    assert services.evidence_path(files["mine"]).exists()


def test_delete_is_post_only(client, province, files):
    client.force_login(province["staff"])
    response = client.get(reverse("evaluations:evidence_delete", args=[files["mine"].pk]))
    assert response.status_code == 405
    assert Evidence.objects.filter(pk=files["mine"].pk).exists()
