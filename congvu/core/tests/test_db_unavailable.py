"""R2: while the database is unreachable every request gets a plain 503, then recovers."""

from contextlib import contextmanager
from unittest import mock

import pytest
from django.db import OperationalError
from django.db.backends.base.base import BaseDatabaseWrapper
from django.test import Client
from django.urls import reverse

from congvu.core.actors import SYSTEM
from congvu.testing import PASSWORD

pytestmark = pytest.mark.django_db

DOWN_TEXT = "Hệ thống tạm thời gián đoạn"


@contextmanager
def database_down():
    """Every new cursor fails the way a lost server connection does."""
    error = OperationalError('connection to server at "db" failed: Connection refused')
    with mock.patch.object(BaseDatabaseWrapper, "_cursor", side_effect=error):
        yield


def _assert_plain_503(response) -> None:
    body = response.content.decode()
    assert response.status_code == 503, body[:500]
    assert DOWN_TEXT in body
    assert response["Retry-After"] == "5"
    for leak in ("Traceback", "OperationalError", "Connection refused", "connection to server"):
        assert leak not in body


@pytest.mark.parametrize(
    ("persona", "url"),
    [
        ("head_syt", "/"),
        ("head_syt", "/to-chuc/can-bo/"),
        ("snv", "/to-chuc/don-vi/"),
        ("snv", "/quan-tri/"),
        (None, "/api/v1/health"),
    ],
)
def test_every_page_answers_503_while_the_database_is_down(province, persona, url):
    # Errors raised in middleware are also signalled to the test client: look at the answer.
    client = Client(raise_request_exception=False)
    if persona:
        client.force_login(province.users[persona])
    with database_down():
        _assert_plain_503(client.get(url))
    assert client.get(url).status_code in (200, 302)  # recovers by itself


def test_login_post_answers_503_while_the_database_is_down(province):
    client = Client(raise_request_exception=False)
    with database_down():
        response = client.post(reverse("login"), {"username": "gd_syt", "password": PASSWORD})
    _assert_plain_503(response)
    response = client.post(reverse("login"), {"username": "gd_syt", "password": PASSWORD})
    assert response.status_code == 302


def test_api_with_token_answers_503_while_the_database_is_down(province):
    from congvu.accounts.services import token_create

    token = token_create(actor=SYSTEM, user=province.users["head_syt"])
    client = Client(HTTP_AUTHORIZATION=f"Bearer {token}", raise_request_exception=False)
    with database_down():
        _assert_plain_503(client.get("/api/v1/staff"))
    assert client.get("/api/v1/staff").status_code == 200


def test_a_view_raising_operational_error_gives_the_plain_page(province, monkeypatch):
    client = Client()
    client.force_login(province.users["head_syt"])

    def broken(*args, **kwargs):
        raise OperationalError("database is locked")

    monkeypatch.setattr("congvu.organisations.selectors.staff_list_for_user", broken)
    _assert_plain_503(client.get(reverse("organisations:staff_list")))


def test_other_errors_still_give_the_500_page_without_traceback(province, monkeypatch):
    client = Client(raise_request_exception=False)
    client.force_login(province.users["head_syt"])

    def broken(*args, **kwargs):
        raise RuntimeError("secret detail")

    monkeypatch.setattr("congvu.organisations.selectors.staff_list_for_user", broken)
    response = client.get(reverse("organisations:staff_list"))
    body = response.content.decode()
    assert response.status_code == 500
    assert "Lỗi hệ thống" in body
    assert "Traceback" not in body and "secret detail" not in body


def test_the_log_says_why_the_database_was_unavailable(province, caplog):
    client = Client(raise_request_exception=False)
    client.force_login(province.users["head_syt"])
    with database_down(), caplog.at_level("ERROR", logger="congvu.db"):
        _assert_plain_503(client.get("/"))
    record = next(r for r in caplog.records if r.getMessage() == "database.unavailable")
    assert record.data == {
        "error": "OperationalError",
        "message": 'connection to server at "db" failed: Connection refused',
    }
