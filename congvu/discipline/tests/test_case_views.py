"""The case pages: list (scoped, overdue flagged), opening from a person's page, the case
page with its timeline, pauses, council, decision and drop; refusals show the reason and
change nothing."""

from datetime import date

import pytest
from django.urls import reverse

from congvu.discipline import cases
from congvu.discipline.cases import CaseSpec
from congvu.discipline.models import DisciplineCase, DisciplineRecord

pytestmark = pytest.mark.django_db
LIST = reverse("discipline:case_list")


def spec(**overrides) -> CaseSpec:
    values = {
        "committed_on": date(2026, 5, 1),
        "detected_on": date(2026, 6, 1),
        "level": "khien_trach",
        "description": "Gây phiền hà khi tiếp công dân",
    }
    values.update(overrides)
    return CaseSpec(**values)


@pytest.fixture
def late(province):
    """Đức's case (hospital), past its processing limit of 30/08/2026."""
    return cases.case_open(actor=province["head_syt"], staff=province.staff["nurse"], spec=spec())


@pytest.fixture
def stp(province):
    return cases.case_open(
        actor=province["head_stp"],
        staff=province.staff["stp_cc"],
        spec=spec(detected_on=date(2026, 11, 1)),
    )


def test_the_list_is_scoped_and_flags_the_overdue(client, province, late, stp):
    client.force_login(province["head_syt"])
    page = client.get(LIST).content.decode()
    assert "Lê Văn Đức" in page and "Võ Thị Ánh" not in page
    assert 'data-overdue="1"' in page and "30/08/2026" in page
    overdue = client.get(LIST + "?trang_thai=qua_han").content.decode()
    assert "Lê Văn Đức" in overdue
    client.force_login(province["head_stp"])
    assert "data-overdue" not in client.get(LIST).content.decode()
    client.force_login(province["staff"])
    assert client.get(LIST).status_code == 403


def test_a_case_is_opened_from_the_persons_page(client, province):
    client.force_login(province["head_syt"])
    staff = province.staff["syt_cc"]
    person = client.get(reverse("organisations:staff_detail", args=[staff.pk])).content.decode()
    assert reverse("discipline:case_open", args=[staff.pk]) in person
    response = client.post(
        reverse("discipline:case_open", args=[staff.pk]),
        {
            "committed_on": "01/09/2026",
            "detected_on": "15/09/2026",
            "level": "khien_trach",
            "description": "Đi muộn nhiều lần",
            "source": "Phản ánh của người dân",
        },
    )
    case = DisciplineCase.objects.get()
    assert response.status_code == 302 and response["Location"].endswith(f"/vu-viec/{case.pk}/")
    page = client.get(response["Location"]).content.decode()
    assert "14/12/2026" in page and "01/09/2031" in page  # deadline and limitation
    assert 'data-code="limitation.running"' in page
    person = client.get(reverse("organisations:staff_detail", args=[staff.pk])).content.decode()
    assert "1 vụ việc kỷ luật đang xem xét" in person


def test_an_opening_refused_by_the_service_changes_nothing(client, province):
    client.force_login(province["head_syt"])
    response = client.post(
        reverse("discipline:case_open", args=[province.staff["syt_cc"].pk]),
        {
            "committed_on": "20/09/2026",
            "detected_on": "15/09/2026",
            "level": "khien_trach",
            "description": "x",
        },
    )
    assert response.status_code == 400
    assert "Ngày vi phạm không được sau ngày phát hiện." in response.content.decode()
    assert not DisciplineCase.objects.exists()


def test_nobody_opens_a_case_about_themself(client, province):
    client.force_login(province["head_syt"])
    own = province.staff["head_syt"]
    assert client.get(reverse("discipline:case_open", args=[own.pk])).status_code == 404
    assert client.post(reverse("discipline:case_open", args=[own.pk]), {}).status_code == 404


def test_pause_resume_council_and_decision_through_the_pages(client, province, late):
    client.force_login(province["head_syt"])
    url = reverse("discipline:case_detail", args=[late.pk])
    response = client.post(
        reverse("discipline:case_pause", args=[late.pk]),
        {"reason": "maternity", "start": "12/11/2026"},
    )
    assert response.status_code == 302
    page = client.get(url).content.decode()
    assert "Tạm chưa xem xét" in page and "10 ngày chưa xem xét" in page
    assert "09/09/2026" in page  # 30/08 + 10 days
    response = client.post(reverse("discipline:case_resume", args=[late.pk]), {"end": "20/11/2026"})
    assert response.status_code == 302
    response = client.post(
        reverse("discipline:case_council", args=[late.pk]),
        {
            "meeting_on": "20/11/2026",
            "members": "Giám đốc, Trưởng phòng",
            "conclusion": "Khiển trách",
        },
    )
    assert response.status_code == 302
    decide = reverse("discipline:case_decide", args=[late.pk])
    assert "Gây phiền hà khi tiếp công dân" in client.get(decide).content.decode()
    response = client.post(
        decide,
        {
            "kind": "administrative:khien_trach",
            "decision_number": "9/QĐ-BV",
            "decision_date": "21/11/2026",
            "issuer": "Bệnh viện Đa khoa tỉnh",
            "effective_from": "21/11/2026",
            "violation": "Gây phiền hà khi tiếp công dân",
            "duty_related": "on",
        },
    )
    record = DisciplineRecord.objects.get()
    assert response["Location"] == reverse("discipline:record_detail", args=[record.pk])
    late.refresh_from_db()
    assert (late.status, late.decision) == ("decided", record)
    assert "case-overdue" not in client.get(url).content.decode()


def test_a_refused_move_shows_the_reason_and_changes_nothing(client, province, late):
    client.force_login(province["head_syt"])
    response = client.post(reverse("discipline:case_drop", args=[late.pk]), {"reason": ""})
    assert response.status_code == 400
    response = client.post(reverse("discipline:case_time_bar", args=[late.pk]))
    assert response.status_code == 400
    assert "còn thời hiệu xử lý kỷ luật đến hết ngày 01/05/2031" in response.content.decode()
    response = client.post(
        reverse("discipline:case_decide", args=[late.pk]),
        {
            "kind": "administrative:ha_bac_luong",
            "decision_number": "9/QĐ-BV",
            "decision_date": "21/11/2026",
            "issuer": "Bệnh viện",
            "effective_from": "21/11/2026",
            "violation": "x",
        },
    )
    assert response.status_code == 400
    late.refresh_from_db()
    assert late.status == "open" and not DisciplineRecord.objects.exists()


def test_another_unit_cannot_see_or_handle_the_case(client, province, late):
    client.force_login(province["head_stp"])
    assert client.get(reverse("discipline:case_detail", args=[late.pk])).status_code == 404
    response = client.post(reverse("discipline:case_drop", args=[late.pk]), {"reason": "x"})
    assert response.status_code == 404
    client.force_login(province["leader"])  # reads, does not handle
    assert client.get(reverse("discipline:case_detail", args=[late.pk])).status_code == 200
    response = client.post(reverse("discipline:case_drop", args=[late.pk]), {"reason": "x"})
    assert response.status_code == 404
    assert DisciplineCase.objects.get(pk=late.pk).status == "open"


def test_the_pages_fit_a_phone(client, province, late):
    """No fixed widths: the tables stack (table-responsive-stack) and long text breaks."""
    client.force_login(province["head_syt"])
    for url in (LIST, reverse("discipline:case_detail", args=[late.pk])):
        page = client.get(url).content.decode()
        assert 'name="viewport"' in page and 'style="width' not in page
    assert "table-responsive-stack" in client.get(LIST).content.decode()
