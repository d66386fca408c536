"""R2, read-only: a database that takes no writes still serves reads; writes get the 503 page.

The test's connection is made read-only the way production meets it: on SQLite
``PRAGMA query_only`` (the error a read-only file gives, SQLITE_READONLY); on PostgreSQL
``default_transaction_read_only`` for the session (the error a hot standby gives, SQLSTATE
25006). The tests run without pytest-django's wrapping transaction, in autocommit as in
production: a refused write inside it would break the rest of the test.
"""

import json
from contextlib import contextmanager

import pytest
from django.contrib.sessions.backends.base import UpdateError
from django.contrib.sessions.models import Session
from django.db import DatabaseError, connection
from django.test import Client
from django.urls import reverse

from congvu.accounts.models import ApiToken
from congvu.accounts.services import token_create
from congvu.core.actors import SYSTEM
from congvu.core.database import is_unavailable
from congvu.core.sessions import SessionStore
from congvu.ratings.models import Rating, ServicePoint
from congvu.ratings.tests.conftest import make_desk, token_of

pytestmark = pytest.mark.django_db(transaction=True)

DOWN_TEXT = "Hệ thống tạm thời gián đoạn"
NOT_RECORDED = "chưa được ghi nhận. Vui lòng gửi lại sau ít giây; gửi lại không tạo bản trùng."


@contextmanager
def read_only_database():
    on, off = (
        ("PRAGMA query_only = ON", "PRAGMA query_only = OFF")
        if connection.vendor == "sqlite"
        else ("SET default_transaction_read_only = on", "SET default_transaction_read_only = off")
    )
    with connection.cursor() as cursor:
        cursor.execute(on)
        try:
            yield
        finally:
            cursor.execute(off)


def _assert_plain_503(response) -> None:
    body = response.content.decode()
    assert response.status_code == 503, body[:500]
    assert DOWN_TEXT in body and NOT_RECORDED in body and '<html lang="vi">' in body
    for leak in ("Traceback", "Error", "read-only", "readonly", "Bad Request"):
        assert leak not in body


def _expiry(client) -> object:
    return Session.objects.get(session_key=client.session.session_key).expire_date


def test_pages_and_api_reads_answer_while_the_database_is_read_only(province):
    client = Client(raise_request_exception=False)
    client.force_login(province.users["head_syt"])
    token = token_create(actor=SYSTEM, user=province.users["head_syt"])
    api = Client(HTTP_AUTHORIZATION=f"Bearer {token}", raise_request_exception=False)
    expiry = _expiry(client)
    with read_only_database():
        for url in ("/", reverse("organisations:staff_list"), reverse("ratings:desk_list")):
            response = client.get(url)
            assert response.status_code == 200, (url, response.content[:300])
        staff = api.get("/api/v1/staff")  # the token's first use would note last_used_at
        assert staff.status_code == 200 and staff.json()["count"] > 0
        assert _expiry(client) == expiry  # the session simply was not renewed
        assert ApiToken.objects.get().last_used_at is None


def test_writes_get_the_vietnamese_503_page_while_the_database_is_read_only(province):
    desk = make_desk(province)
    citizen = Client(raise_request_exception=False)
    staff = Client(raise_request_exception=False)
    staff.force_login(province.users["head_syt"])
    token = token_create(actor=SYSTEM, user=province.users["head_syt"])
    api = Client(HTTP_AUTHORIZATION=f"Bearer {token}", raise_request_exception=False)
    with read_only_database():
        page = citizen.get(reverse("ratings_public:rate", args=[token_of(desk)]))
        assert page.status_code == 200
        key = page.content.decode().split('name="khoa" value="')[1].split('"')[0]
        _assert_plain_503(
            citizen.post(
                reverse("ratings_public:rate", args=[token_of(desk)]), {"khoa": key, "diem": "5"}
            )
        )
        _assert_plain_503(
            staff.post(
                reverse("ratings:desk_create"),
                {"unit": province.units["syt"].pk, "kind": "quay", "name": "Quầy 7"},
            )
        )
        pushed = api.post(
            "/api/v1/ratings",
            json.dumps({"ratings": [{"id": "MC-1", "unit": "KHA-SYT", "score": 5}]}),
            content_type="application/json",
        )
        _assert_plain_503(pushed)
        _assert_plain_503(staff.post(reverse("logout")))
        assert Rating.objects.count() == 0 and ServicePoint.objects.count() == 1


def test_health_says_whether_the_database_takes_writes(transactional_db):
    assert Client().get("/api/v1/health").json() == {
        "status": "ok",
        "database": connection.vendor,
        "writable": True,
    }
    with read_only_database():
        response = Client().get("/api/v1/health")
        assert response.status_code == 200
        assert response.json() == {
            "status": "read_only",
            "database": connection.vendor,
            "writable": False,
        }


def test_the_session_is_renewed_again_once_the_database_takes_writes(province):
    client = Client()
    client.force_login(province.users["head_syt"])
    expiry = _expiry(client)
    with read_only_database():
        assert client.get("/").status_code == 200
    assert _expiry(client) == expiry
    assert client.get("/").status_code == 200
    assert _expiry(client) > expiry
    assert client.post(reverse("logout")).status_code == 302


def test_only_a_renewal_is_skipped_a_changed_or_deleted_session_still_fails(transactional_db):
    store = SessionStore()
    store["step"] = 1
    store.save(must_create=True)
    loaded = SessionStore(session_key=store.session_key)
    assert loaded["step"] == 1
    with read_only_database():
        loaded.save()  # a renewal: skipped
        loaded["step"] = 2
        with pytest.raises(DatabaseError) as refused:
            loaded.save()
        assert is_unavailable(refused.value)  # the 503 page, not Django's 400
    assert SessionStore(session_key=store.session_key)["step"] == 1
    Session.objects.all().delete()  # deleted meanwhile (a logout elsewhere): Django's answer
    with pytest.raises(UpdateError):
        loaded.save()


class ChangeSession:
    """Changes the session after the view, as a login or a language choice does."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        request.session["changed"] = True
        return response


def test_a_changed_session_that_cannot_be_stored_gets_the_503_page_not_400(province, settings):
    settings.MIDDLEWARE = [*settings.MIDDLEWARE, f"{__name__}.ChangeSession"]
    client = Client(raise_request_exception=False)
    client.force_login(province.users["head_syt"])
    with read_only_database():
        _assert_plain_503(client.get("/"))
