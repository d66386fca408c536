"""The overview page: one card per page the user may open, grouped as the menus are."""

import re

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def cards(client, user) -> set[str]:
    client.force_login(user)
    html = client.get(reverse("home")).content.decode()
    return set(re.findall(r'<a class="card h-100 text-decoration-none" href="([^"]+)"', html))


def test_the_overview_links_every_page_of_the_role_and_nothing_else(client, province):
    officer = cards(client, province["snv"])
    assert {
        reverse("organisations:staff_list"),
        reverse("evaluations:progress_index"),
        reverse("ratings:dashboard"),
        reverse("discipline:record_list"),
        reverse("profile"),
    } <= officer
    official = cards(client, province["staff"])
    for name in ("evaluations:progress_index", "discipline:record_list", "ratings:dashboard"):
        assert reverse(name) not in official, name
    assert reverse("profile") in official
