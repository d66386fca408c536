"""Fixed-window counters in the database: shared by every worker, per client and action."""

import runpy
from datetime import timedelta
from pathlib import Path

import pytest
import time_machine
from django.core.exceptions import ImproperlyConfigured
from django.test import RequestFactory
from django.utils import timezone

from congvu.core import ratelimit
from congvu.core.models import RateCounter

pytestmark = pytest.mark.django_db


def test_hits_count_per_client_action_and_window(monkeypatch):
    # A counted hit purges ended windows now and then at random (1 in PURGE_ONE_IN): not here,
    # where the test counts what the explicit purge deletes.
    monkeypatch.setattr(ratelimit.random, "randrange", lambda n: 1)
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
        (
            "HTTP_X_REAL_IP",
            {"REMOTE_ADDR": "10.0.0.1", "HTTP_X_REAL_IP": "198.51.100.7"},
            "198.51.100.7",
        ),
        (
            "HTTP_X_FORWARDED_FOR",  # the left-most value is the client's own writing
            {"REMOTE_ADDR": "10.0.0.1", "HTTP_X_FORWARDED_FOR": "198.51.100.7, 203.0.113.2"},
            "203.0.113.2",
        ),
        (
            "HTTP_X_FORWARDED_FOR",
            {"REMOTE_ADDR": "10.0.0.1", "HTTP_X_FORWARDED_FOR": "198.51.100.7"},
            "198.51.100.7",
        ),  # one proxy, one value: the client (the R1 test's phones)
        ("HTTP_X_REAL_IP", {"REMOTE_ADDR": "10.0.0.1"}, "10.0.0.1"),  # header missing
        ("HTTP_X_REAL_IP", {"REMOTE_ADDR": "10.0.0.1", "HTTP_X_REAL_IP": "nonsense"}, "10.0.0.1"),
        (
            "HTTP_X_REAL_IP",
            {"REMOTE_ADDR": "10.0.0.1", "HTTP_X_REAL_IP": "1.2.3.4, 5.6.7.8"},
            "10.0.0.1",
        ),  # a single-valued header holding a list: not from the proxy
        ("", {"REMOTE_ADDR": "::ffff:203.0.113.5"}, "203.0.113.5"),  # a dual-stack socket
    ],
)
def test_the_client_address_comes_from_the_proxy_header_when_set(settings, header, meta, expected):
    settings.CLIENT_IP_HEADER = header
    settings.TRUSTED_PROXIES = 1
    request = RequestFactory().get("/", **meta)
    assert ratelimit.client_ip(request) == expected
    other = RequestFactory().get("/", REMOTE_ADDR="10.0.0.1")
    assert (ratelimit.client_hash(request) == ratelimit.client_hash(other)) == (
        expected == "10.0.0.1"
    )
    assert expected not in ratelimit.client_hash(request)


FORWARDED = [
    # (X-Forwarded-For, trusted proxies, the client's address or None)
    ("203.0.113.9", 1, "203.0.113.9"),
    ("6.6.6.6, 203.0.113.9", 1, "203.0.113.9"),  # a spoofed left-most value
    ("6.6.6.6, 7.7.7.7,203.0.113.9", 1, "203.0.113.9"),
    ("6.6.6.6, 203.0.113.9, 10.0.0.5", 2, "203.0.113.9"),  # CDN, then nginx
    ("203.0.113.9, 10.0.0.5", 2, "203.0.113.9"),
    ("10.0.0.5", 2, None),  # fewer hops than proxies: did not come through them
    ("", 1, None),
    ("6.6.6.6, 2001:DB8::1", 1, "2001:db8::1"),  # canonical
    ("::ffff:198.51.100.3", 1, "198.51.100.3"),
    ("6.6.6.6, not-an-address", 1, None),
    ("203.0.113.9, ", 1, None),  # an empty right-most value
    ("203.0.113.9:4431", 1, None),  # with a port
    ("256.1.1.1", 1, None),
    ("01.2.3.4", 1, None),
    ("<script>", 1, None),
]


@pytest.mark.parametrize(("value", "proxies", "expected"), FORWARDED)
def test_forwarded_for_is_read_from_the_right(value, proxies, expected):
    assert ratelimit.address_from_header(value, listed=True, proxies=proxies) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("198.51.100.7", "198.51.100.7"),
        (" 2001:db8::7 ", "2001:db8::7"),
        ("1.2.3.4, 5.6.7.8", None),
        ("", None),
        ("garbage", None),
    ],
)
def test_a_single_valued_header_is_taken_whole(value, expected):
    assert ratelimit.address_from_header(value, listed=False) == expected


@pytest.mark.parametrize(
    ("address", "network"),
    [
        ("203.0.113.5", "203.0.113.5"),
        ("2001:db8:1:2::1", "2001:db8:1:2::/64"),
        ("2001:DB8:1:2:ffff:ffff:ffff:ffff", "2001:db8:1:2::/64"),
        ("fe80::1%eth0", "fe80::/64"),
        ("::ffff:203.0.113.5", "203.0.113.5"),
        ("", ""),
    ],
)
def test_limits_count_an_ipv6_client_by_its_64(address, network):
    assert ratelimit.client_network(address) == network


def test_a_spoofed_or_unusable_header_falls_back_and_is_logged(settings, caplog):
    settings.CLIENT_IP_HEADER, settings.TRUSTED_PROXIES = "HTTP_X_FORWARDED_FOR", 2
    request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="6.6.6.6")
    assert ratelimit.client_ip(request) == "10.0.0.1"
    [record] = [r for r in caplog.records if r.getMessage() == "client_ip.header_unusable"]
    assert record.data == {"header": "HTTP_X_FORWARDED_FOR", "hops": 1}  # no address logged


def test_one_ipv6_64_is_one_client_for_the_report_limits(settings):
    settings.CLIENT_IP_HEADER = ""
    a = RequestFactory().get("/", REMOTE_ADDR="2001:db8:5:5::1")
    b = RequestFactory().get("/", REMOTE_ADDR="2001:db8:5:5:ffff::2")
    c = RequestFactory().get("/", REMOTE_ADDR="2001:db8:5:6::1")
    assert ratelimit.client_hash(a) == ratelimit.client_hash(b) != ratelimit.client_hash(c)


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"CLIENT_IP_HEADER": "X-Forwarded-For"}, "HTTP_X_REAL_IP"),
        ({"TRUSTED_PROXIES": "0"}, "1 or more"),
        ({"TRUSTED_PROXIES": "two"}, "integer"),
    ],
)
def test_proxy_settings_fail_loudly(monkeypatch, env, message):
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    with pytest.raises(ImproperlyConfigured, match=message):
        runpy.run_path(str(Path(ratelimit.__file__).parents[1] / "config" / "settings.py"))
