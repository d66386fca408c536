"""Shared test set-up: fast hashing, immediate background jobs, no network."""

import os

os.environ.setdefault("HUEY_IMMEDIATE", "1")
os.environ.setdefault("MANIFEST_STATIC", "0")
from datetime import datetime  # noqa: E402
from zoneinfo import ZoneInfo  # noqa: E402

import pytest  # noqa: E402
import time_machine  # noqa: E402

from congvu.testing import build_province  # noqa: E402


@pytest.fixture(autouse=True, scope="session")
def _huey_immediate():
    """Background tasks run in-process on an in-memory queue (settings load before this file)."""
    from huey.contrib.djhuey import HUEY

    HUEY.immediate = True
    yield


@pytest.fixture(autouse=True)
def _settings(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture(autouse=True)
def _frozen_today():
    """Tests never read the wall clock: it is 21/11/2026 10:00 in Vietnam."""
    with time_machine.travel(
        datetime(2026, 11, 21, 10, 0, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh")), tick=True
    ):
        yield


@pytest.fixture(autouse=True)
def _clear_cache():
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def province(db):
    return build_province()
