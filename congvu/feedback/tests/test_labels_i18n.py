"""A report's status and moves, labels of the pure ``feedback.rules``, follow the page's
language; Vietnamese stays the default (decision 62 in docs/decisions.md)."""

import pytest
from django.urls import reverse

from congvu.core.tests.test_i18n import english
from congvu.feedback import services
from congvu.feedback.tests.conftest import file_report

pytestmark = pytest.mark.django_db
TRACK = reverse("feedback:public_track")


def test_the_citizen_reads_the_status_in_english_after_choosing_english(province, client):
    report = file_report()
    body = client.get(TRACK, {"ma": report.code}).content.decode()
    assert 'id="status">Đã tiếp nhận<' in body and "Received" not in body
    english(client)
    body = client.get(TRACK, {"ma": report.code}).content.decode()
    assert 'id="status">Received<' in body and "Đã tiếp nhận" not in body


def test_a_handler_sees_the_status_moves_and_trail_in_english(province, client):
    report = file_report()
    head = province.users["head_syt"]
    services.report_move(actor=head, report=report, move="verify")
    client.force_login(head)
    url = reverse("feedback:handling_detail", args=[report.pk])
    html = client.get(url).content.decode()
    assert 'id="report-status">Đang xác minh<' in html and "Kết luận xác minh" in html
    english(client)
    html = client.get(url).content.decode()
    assert 'id="report-status">Being verified<' in html
    assert "Conclude the verification" in html and "Start the verification" in html
    assert "Đang xác minh" not in html and "Kết luận xác minh" not in html
    listing = client.get(reverse("feedback:handling_list")).content.decode()
    assert ">Handled, awaiting the answer</option>" in listing and "Being verified" in listing
