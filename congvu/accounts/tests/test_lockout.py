"""S3 lock-out (congvu.accounts.lockout): per username and address, and per username across
addresses; behind a proxy, the address the proxy saw."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.conf import settings
from django.test import Client
from django.urls import reverse

from congvu.core.models import Notification
from congvu.testing import PASSWORD

pytestmark = pytest.mark.django_db

LOCKED_TEXT = "Tạm khóa đăng nhập"
VN = ZoneInfo("Asia/Ho_Chi_Minh")


def _login(address: str, password: str, username: str = "gd_syt", **headers):
    client = Client(REMOTE_ADDR=address, **headers)
    response = client.post(reverse("login"), {"username": username, "password": password})
    return response, client


def _guess(addresses: int, each: int) -> list[int]:
    """Wrong passwords for gd_syt: ``each`` from each of ``addresses`` addresses."""
    return [
        _login(f"198.51.100.{a}", f"doan-sai-{a}-{i}")[0].status_code
        for a in range(1, addresses + 1)
        for i in range(each)
    ]


def test_guessing_spread_over_addresses_locks_the_username_everywhere(
    province, django_capture_on_commit_callbacks, caplog
):
    per_address, username_wide = settings.AXES_FAILURE_LIMIT, settings.AXES_USERNAME_FAILURE_LIMIT
    assert (per_address, username_wide) == (5, 20)
    with django_capture_on_commit_callbacks(execute=True):
        statuses = _guess(addresses=5, each=4)  # under the limit at every address
    assert statuses == [200] * 19 + [429]

    response, client = _login("203.0.113.77", PASSWORD)  # the owner, from a fresh address
    assert response.status_code == 429 and LOCKED_TEXT in response.content.decode()
    assert "_auth_user_id" not in client.session
    assert _login("203.0.113.78", PASSWORD, username="gd_stp")[0].status_code == 302  # others

    notices = Notification.objects.filter(kind="login_lock")
    assert [n.recipient for n in notices] == [province.users["head_syt"]]  # once, the owner
    assert "20 lần nhập sai mật khẩu từ 5 địa chỉ mạng" in notices[0].message
    events = [r for r in caplog.records if r.getMessage() == "login.username_locked"]
    assert len(events) == 1 and events[0].data["user"] == province.users["head_syt"].pk
    assert events[0].data["addresses"] == 5 and PASSWORD not in str(events[0].data)


def test_the_username_lock_ends_after_the_cool_off(province):
    _guess(addresses=5, each=4)
    later = datetime.now(VN) + settings.AXES_COOLOFF_TIME + timedelta(minutes=1)
    with time_machine.travel(later, tick=False):
        assert _login("203.0.113.77", PASSWORD)[0].status_code == 302


def test_fewer_failures_spread_over_addresses_do_not_lock(province):
    assert set(_guess(addresses=4, each=4)) == {200}  # 16 < 20
    assert _login("203.0.113.77", PASSWORD)[0].status_code == 302
    assert not Notification.objects.filter(kind="login_lock").exists()


def test_the_per_address_lock_still_holds_at_that_address_only(province):
    statuses = [_login("198.51.100.1", f"sai-{i}")[0].status_code for i in range(5)]
    assert statuses == [200] * 4 + [429]
    assert _login("198.51.100.1", PASSWORD)[0].status_code == 429
    assert _login("198.51.100.2", PASSWORD)[0].status_code == 302
    assert not Notification.objects.filter(kind="login_lock").exists()


def test_behind_a_proxy_the_lock_counts_the_address_the_proxy_saw(province, settings):
    settings.CLIENT_IP_HEADER = "HTTP_X_FORWARDED_FOR"
    proxy = "10.0.0.1"  # every request reaches the app from the proxy
    statuses = [
        _login(proxy, f"sai-{i}", HTTP_X_FORWARDED_FOR=f"192.0.2.{i}, 198.51.100.9")[0].status_code
        for i in range(5)
    ]  # a new spoofed left-most address each time: ignored
    assert statuses == [200] * 4 + [429]
    assert _login(proxy, PASSWORD, HTTP_X_FORWARDED_FOR="203.0.113.4")[0].status_code == 302
