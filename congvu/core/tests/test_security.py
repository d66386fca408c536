"""S3 (authentication) and S6 (headers, deployment checks, CSP-safe templates)."""

import os
import re
import runpy
import secrets
import subprocess
import sys
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.conf import settings
from django.test import Client, override_settings
from django.urls import reverse

from congvu.accounts.models import User
from congvu.testing import PASSWORD

pytestmark = pytest.mark.django_db

LOCKED_TEXT = "Tạm khóa đăng nhập"
VN = ZoneInfo("Asia/Ho_Chi_Minh")


def _https_settings(monkeypatch) -> dict:
    """The security settings that settings.py computes with HTTPS=1 (production)."""
    monkeypatch.setenv("HTTPS", "1")
    monkeypatch.setenv("SECRET_KEY", secrets.token_urlsafe(50))
    computed = runpy.run_path(str(Path(settings.BASE_DIR) / "config" / "settings.py"))
    names = [
        "SESSION_COOKIE_SECURE",
        "CSRF_COOKIE_SECURE",
        "SECURE_SSL_REDIRECT",
        "SECURE_PROXY_SSL_HEADER",
        "SECURE_HSTS_SECONDS",
        "SECURE_HSTS_INCLUDE_SUBDOMAINS",
        "SECURE_HSTS_PRELOAD",
    ]
    return {name: computed[name] for name in names}


def _login(client: Client, username: str, password: str):
    return client.post(reverse("login"), {"username": username, "password": password})


# --- S3: lock-out (django-axes) ---------------------------------------------------


def test_login_locks_out_after_the_failure_limit_and_refuses_the_right_password(province):
    client = Client()
    limit = settings.AXES_FAILURE_LIMIT
    assert limit == 5
    for attempt in range(1, limit):
        response = _login(client, "gd_syt", f"sai-mat-khau-{attempt}")
        assert response.status_code == 200, attempt
        assert LOCKED_TEXT not in response.content.decode()
    response = _login(client, "gd_syt", "sai-mat-khau-cuoi")
    assert response.status_code == 429
    assert LOCKED_TEXT in response.content.decode()

    response = _login(client, "gd_syt", PASSWORD)
    assert response.status_code == 429
    assert LOCKED_TEXT in response.content.decode()
    assert "_auth_user_id" not in client.session
    assert client.get(reverse("home")).status_code == 302  # still not signed in


def test_lock_out_is_per_user_and_ends_after_the_cool_off(province):
    client = Client()
    for attempt in range(settings.AXES_FAILURE_LIMIT):
        _login(client, "gd_syt", f"sai-{attempt}")
    assert _login(Client(), "gd_stp", PASSWORD).status_code == 302  # another account
    assert _login(Client(), "gd_syt", PASSWORD).status_code == 429
    later = datetime.now(VN) + settings.AXES_COOLOFF_TIME + timedelta(minutes=1)
    with time_machine.travel(later, tick=False):
        assert _login(Client(), "gd_syt", PASSWORD).status_code == 302


def test_a_successful_login_resets_the_failure_count(province):
    client = Client()
    for attempt in range(settings.AXES_FAILURE_LIMIT - 1):
        _login(client, "gd_syt", f"sai-{attempt}")
    assert _login(client, "gd_syt", PASSWORD).status_code == 302
    client.post(reverse("logout"))
    for attempt in range(settings.AXES_FAILURE_LIMIT - 1):
        assert _login(client, "gd_syt", f"lai-sai-{attempt}").status_code == 200


# --- S3: password validators ------------------------------------------------------


@pytest.mark.parametrize(
    "weak",
    [
        "Ngan-1",  # shorter than 10
        "1234567890123",  # only digits
        "password123",  # a common password
        "gd_syt_2026",  # too close to the username
    ],
)
def test_password_change_rejects_weak_passwords(province, weak):
    user = province.users["head_syt"]
    client = Client()
    client.force_login(user)
    response = client.post(
        reverse("password_change"),
        {"old_password": PASSWORD, "new_password1": weak, "new_password2": weak},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["new_password2"]
    assert User.objects.get(pk=user.pk).check_password(PASSWORD)


def test_password_change_accepts_a_strong_password(province):
    user = province.users["head_syt"]
    client = Client()
    client.force_login(user)
    strong = "Hoa-sen-no-trong-dam-2026"
    response = client.post(
        reverse("password_change"),
        {"old_password": PASSWORD, "new_password1": strong, "new_password2": strong},
    )
    assert response.status_code == 302
    assert User.objects.get(pk=user.pk).check_password(strong)


def test_validator_messages_are_in_vietnamese(province):
    client = Client()
    client.force_login(province.users["head_syt"])
    response = client.post(
        reverse("password_change"),
        {"old_password": PASSWORD, "new_password1": "123", "new_password2": "123"},
    )
    errors = " ".join(response.context["form"].errors["new_password2"])
    assert "Mật khẩu này quá ngắn. Mật khẩu phải có ít nhất 10 ký tự." in errors, errors
    assert "This password" not in errors
    page = client.get(reverse("password_change")).content.decode()
    assert "Mật khẩu của bạn phải chứa ít nhất 10 ký tự." in page


# --- S3: session idle timeout and cookies -----------------------------------------


def test_session_ends_after_idle_time_and_activity_renews_it(province):
    client = Client()
    client.force_login(province.users["head_syt"])
    age = settings.SESSION_COOKIE_AGE
    assert age == 30 * 60
    start = datetime.now(VN)
    with time_machine.travel(start + timedelta(seconds=age - 60), tick=False):
        assert client.get(reverse("home")).status_code == 200  # renews the session
    with time_machine.travel(start + timedelta(seconds=2 * age - 120), tick=False):
        assert client.get(reverse("home")).status_code == 200
    with time_machine.travel(start + timedelta(seconds=3 * age), tick=False):
        response = client.get(reverse("home"))
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))


def test_session_and_csrf_cookies_are_httponly_and_samesite(province):
    client = Client()
    client.get(reverse("login"))
    response = _login(client, "gd_syt", PASSWORD)
    assert response.status_code == 302
    session = response.cookies[settings.SESSION_COOKIE_NAME]
    assert session["httponly"]
    assert session["samesite"] == "Lax"
    assert not session["max-age"]  # ends with the browser as well as after idle time
    csrf = client.get(reverse("password_change")).cookies.get(settings.CSRF_COOKIE_NAME)
    csrf = csrf or client.cookies[settings.CSRF_COOKIE_NAME]
    assert csrf["httponly"]
    assert csrf["samesite"] == "Lax"
    assert not session["secure"]  # plain HTTP in development


def test_cookies_are_secure_under_https_settings(province, monkeypatch):
    https = _https_settings(monkeypatch)
    assert https["SESSION_COOKIE_SECURE"] and https["CSRF_COOKIE_SECURE"]
    with override_settings(**https):
        client = Client()
        client.get(reverse("login"), secure=True)
        response = client.post(
            reverse("login"), {"username": "gd_syt", "password": PASSWORD}, secure=True
        )
        assert response.status_code == 302
        assert response.cookies[settings.SESSION_COOKIE_NAME]["secure"]
        assert client.cookies[settings.CSRF_COOKIE_NAME]["secure"]


# --- S6: headers --------------------------------------------------------------------


def _csp(response) -> dict[str, list[str]]:
    header = response["Content-Security-Policy"]
    directives = {}
    for part in header.split(";"):
        words = part.split()
        if words:
            directives[words[0]] = words[1:]
    return directives


@pytest.mark.parametrize(
    ("persona", "url"),
    [
        (None, "/tai-khoan/dang-nhap/"),
        ("head_syt", "/"),
        ("head_syt", "/to-chuc/can-bo/"),
        ("snv", "/quan-tri/"),
        (None, "/khong-co-trang-nay/"),
    ],
)
def test_html_responses_carry_the_security_headers(province, persona, url):
    client = Client()
    if persona:
        client.force_login(province.users[persona])
    response = client.get(url)
    assert response["Content-Type"].startswith("text/html")
    csp = _csp(response)
    assert csp["default-src"] == ["'self'"]
    assert "'unsafe-inline'" not in response["Content-Security-Policy"]
    assert "'unsafe-eval'" not in response["Content-Security-Policy"]
    assert csp["frame-ancestors"] == ["'none'"]
    assert csp["object-src"] == ["'none'"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert "Strict-Transport-Security" not in response  # only over HTTPS


def test_hsts_and_https_redirect_under_https_settings(province, monkeypatch):
    https = _https_settings(monkeypatch)
    with override_settings(**https):
        client = Client()
        response = client.get(reverse("login"), secure=True)
        assert response.status_code == 200
        assert response["Strict-Transport-Security"] == (
            "max-age=31536000; includeSubDomains; preload"
        )
        plain = client.get(reverse("login"))
        assert plain.status_code == 301
        assert plain["Location"].startswith("https://")
        # Behind the reverse proxy, X-Forwarded-Proto says the request came over HTTPS.
        proxied = client.get(reverse("login"), headers={"X-Forwarded-Proto": "https"})
        assert proxied.status_code == 200


# --- S6: check --deploy ------------------------------------------------------------


def test_check_deploy_is_clean_with_production_settings(tmp_path):
    env = {
        **os.environ,
        "DEBUG": "0",
        "HTTPS": "1",
        "SECRET_KEY": secrets.token_urlsafe(64),
        "ALLOWED_HOSTS": "congvu.example.gov.vn",
        "CONGVU_VAR_DIR": str(tmp_path),
        "DATABASE_URL": "",
        "HUEY_IMMEDIATE": "",
    }
    result = subprocess.run(  # noqa: S603
        [sys.executable, "-m", "congvu", "check", "--deploy", "--fail-level", "WARNING"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


# --- S6: templates a strict CSP can serve -------------------------------------------

TEMPLATE_DIRS = [Path(settings.BASE_DIR) / "templates"] + sorted(
    Path(settings.BASE_DIR).glob("*/templates")
)
INLINE = [
    (
        re.compile(
            r"<script\b(?![^>]*\bsrc\s*=)(?![^>]*\btype\s*=\s*[\"']application/(ld\+)?json)[^>]*>",
            re.I,
        ),
        "inline <script> without src",
    ),
    (re.compile(r"<style\b", re.I), "<style> element"),
    (re.compile(r"\sstyle\s*=", re.I), "style= attribute"),
    (re.compile(r"\son[a-z]+\s*=\s*[\"']", re.I), "inline event handler (on...=)"),
    (re.compile(r"javascript:", re.I), "javascript: URL"),
]


def test_templates_have_no_inline_script_or_style():
    templates = [path for d in TEMPLATE_DIRS for path in d.rglob("*.html")]
    assert len(templates) >= 10
    found = []
    for path in templates:
        text = path.read_text()
        for pattern, what in INLINE:
            for match in pattern.finditer(text):
                line = text.count("\n", 0, match.start()) + 1
                found.append(f"{path.relative_to(settings.BASE_DIR)}:{line}: {what}")
    assert not found, "CSP forbids:\n" + "\n".join(found)


@pytest.mark.django_db
def test_a_refused_form_is_explained_in_vietnamese_and_changes_nothing(province):
    """A POST without the CSRF token (expired page, cookies off): a Vietnamese page, 403."""
    client = Client(enforce_csrf_checks=True)
    client.force_login(province["snv"])
    before = province["snv"].password
    response = client.post(
        reverse("password_change"),
        {
            "old_password": "x",
            "new_password1": "Mot-mat-khau-moi-2026",
            "new_password2": "Mot-mat-khau-moi-2026",
        },
    )
    assert response.status_code == 403
    page = response.content.decode()
    assert "Trang đã hết hạn" in page and "Không có dữ liệu nào bị thay đổi" in page
    assert "CSRF verification failed" not in page
    province["snv"].refresh_from_db()
    assert province["snv"].password == before
