"""The demo province comes with reports in every state and a handler login that sees them."""

import pytest
from django.test import Client, override_settings
from django.urls import reverse

from congvu.accounts.models import User
from congvu.feedback.models import Report, ReporterContact, SupervisionFinding
from congvu.organisations import demo

pytestmark = pytest.mark.django_db


@override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"])
def test_the_demo_files_reports_in_several_states_for_the_handler_login(
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True):
        demo.demo_load(staff=300, seed=1)
    states = set(Report.objects.values_list("status", flat=True))
    assert states == {"received", "verifying", "handled", "answered", "closed", "rejected"}
    assert ReporterContact.objects.exists() and Report.objects.filter(anonymous=True).exists()
    assert SupervisionFinding.objects.filter(status="answered").exists()
    handler = User.objects.get(username="xuly")
    assert handler.staff.unit.code == "KHA-P-NHATRANG"
    client = Client()
    client.force_login(handler)
    page = client.get(reverse("feedback:handling_list")).content.decode()
    assert ">7 phản ánh<" in page and "quá hạn" in page
    assert "Trần Văn Hùng" not in page
    assert handler.notifications.filter(kind="report").count() == 7
