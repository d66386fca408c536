"""The violations pages: record one (refused input changes nothing), its page with the
recommendation and the remedy cycle, the list in scope, Sở Nội vụ's statistics."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from congvu.violations import rules
from congvu.violations.models import Recommendation, Violation
from congvu.violations.tests.test_services import PDF, criterion

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("vhcs")]

from congvu.violations.tests.test_services import vhcs  # noqa: E402,F401 (the fixture)


def _as(client, province, persona):
    client.force_login(province.users[persona])
    return client


def test_record_a_violation_and_carry_its_remedy_through_the_pages(
    client, province, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    s = _as(client, province, "snv")
    url = reverse("violations:violation_create")
    assert s.get(url).status_code == 200
    data = {
        "unit": province.units["syt"].pk,
        "staff_code": province.staff["syt_cc"].code,
        "criterion": criterion().pk,
        "source": rules.INSPECTION,
        "occurred_on": "02/03/2026",
        "found_on": "02/03/2026",
        "description": "Không đeo thẻ",
    }
    bad = s.post(url, {**data, "staff_code": "KHONG-CO"})
    assert bad.status_code == 400 and "Không có cán bộ mã này" in bad.content.decode()
    assert not Violation.objects.exists()
    done = s.post(url, data)
    violation = Violation.objects.get()
    assert done.status_code == 302 and done.url == reverse(
        "violations:violation_detail", args=[violation.pk]
    )
    s.post(
        reverse("violations:recommendation_create", args=[violation.pk]),
        {
            "responsible_unit": province.units["syt"].pk,
            "content": "Cấp thẻ",
            "due_on": "15/12/2026",
        },
    )
    row = Recommendation.objects.get()
    h = _as(client, province, "head_syt")
    page = h.get(reverse("violations:violation_detail", args=[violation.pk])).content.decode()
    assert "Cấp thẻ" in page and 'value="report"' in page and 'value="verify"' not in page
    upload = SimpleUploadedFile("the.pdf", PDF, "application/pdf")
    h.post(
        reverse("violations:remedy_move", args=[row.pk]),
        {"move": "report", "text": "Đã cấp thẻ", "evidence": upload},
    )
    row.refresh_from_db()
    assert row.state == rules.REPORTED
    evidence = row.steps.get().evidence.get()
    assert h.get(reverse("violations:evidence_download", args=[evidence.pk])).status_code == 200
    s = _as(client, province, "snv")
    s.post(reverse("violations:remedy_move", args=[row.pk]), {"move": "verify"})
    row.refresh_from_db()
    assert row.state == rules.VERIFIED
    other = _as(client, province, "head_stp")
    assert other.get(reverse("violations:violation_detail", args=[violation.pk])).status_code == 404
    assert other.get(reverse("violations:evidence_download", args=[evidence.pk])).status_code == 404
    assert (
        other.post(reverse("violations:remedy_move", args=[row.pk]), {"move": "report"}).status_code
        == 404
    )


def test_statistics_page_for_sở_nội_vụ_with_a_drill_down(client, province):
    from congvu.core.actors import SYSTEM
    from congvu.violations import services
    from congvu.violations.tests.test_services import spec

    services.violation_record(actor=SYSTEM, spec=spec(province, unit="bv"))
    s = _as(client, province, "snv")
    page = s.get(reverse("violations:statistics"), {"nam": 2026}).content.decode()
    assert "Sở Y tế" in page and 'id="stats-standard"' in page
    drill = s.get(
        reverse("violations:statistics"), {"nam": 2026, "don_vi": province.units["syt"].pk}
    ).content.decode()
    assert "Bệnh viện Đa khoa tỉnh" in drill
    for persona in ("head_syt", "leader", "inspector"):
        assert _as(client, province, persona).get(reverse("violations:statistics")).status_code in (
            403,
            404,
        )
