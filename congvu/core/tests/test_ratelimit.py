"""Fixed-window counters in the database: shared by every worker, per client and action."""

from datetime import timedelta

import pytest
import time_machine
from django.test import RequestFactory
from django.utils import timezone

from congvu.core import ratelimit
from congvu.core.models import RateCounter

pytestmark = pytest.mark.django_db


def test_hits_count_per_client_action_and_window():
    for _ in range(3):
        ratelimit.count("reports.lookup", "a", 600)
    ratelimit.count("reports.lookup", "b", 600)
    ratelimit.count("reports.submit", "a", 600)
    assert ratelimit.hits("reports.lookup", "a", 600) == 3
    assert ratelimit.hits("reports.lookup", "b", 600) == 1
    assert ratelimit.hits("reports.submit", "a", 600) == 1
    assert ratelimit.hits("reports.submit", "c", 600) == 0
    with time_machine.travel(timezone.now() + timedelta(seconds=601), tick=False):
        assert ratelimit.hits("reports.lookup", "a", 600) == 0  # a new window
        ratelimit.count("reports.lookup", "a", 600)
        assert ratelimit.hits("reports.lookup", "a", 600) == 1
        assert ratelimit.purge() == 3  # the ended windows of a, b and submit
    assert RateCounter.objects.count() == 1


@pytest.mark.parametrize(
    ("header", "meta", "expected"),
    [
        ("", {"REMOTE_ADDR": "203.0.113.5"}, "203.0.113.5"),
        ("HTTP_X_REAL_IP", {"REMOTE_ADDR": "10.0.0.1", "HTTP_X_REAL_IP": "198.51.100.7"},
         "198.51.100.7"),
        ("HTTP_X_FORWARDED_FOR",
         {"REMOTE_ADDR": "10.0.0.1", "HTTP_X_FORWARDED_FOR": "198.51.100.7, 10.0.0.2"},
         "198.51.100.7"),
        ("HTTP_X_REAL_IP", {"REMOTE_ADDR": "10.0.0.1"}, "10.0.0.1"),  # header missing
    ],
)  # fmt: skip
def test_the_client_address_comes_from_the_proxy_header_when_set(settings, header, meta, expected):
    settings.CLIENT_IP_HEADER = header
    request = RequestFactory().get("/", **meta)
    assert ratelimit.client_ip(request) == expected
    other = RequestFactory().get("/", REMOTE_ADDR="10.0.0.1")
    assert (ratelimit.client_hash(request) == ratelimit.client_hash(other)) == (
        expected == "10.0.0.1"
    )
    assert expected not in ratelimit.client_hash(request)
