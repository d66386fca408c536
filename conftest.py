"""Shared test set-up: fast hashing, immediate background jobs, no network."""

import os
from dataclasses import dataclass

os.environ.setdefault("HUEY_IMMEDIATE", "1")
os.environ.setdefault("MANIFEST_STATIC", "0")
from datetime import datetime  # noqa: E402
from zoneinfo import ZoneInfo  # noqa: E402

import pytest  # noqa: E402
import time_machine  # noqa: E402

from congvu.testing import build_province  # noqa: E402

SERIAL = (
    # Subprocesses (a second interpreter, the command line), demo loads and migrations: run in
    # the serial phase with the browser tests (`make test`), not under xdist, where they would
    # hold a worker for tens of seconds (issue 10). Test files keep their text: the pinned
    # `congvu classify` tests are marked here.
    "congvu/core/tests/test_backup.py::test_sqlite_file_backup_and_restore_across_processes",
    "congvu/core/tests/test_security.py::test_check_deploy_is_clean_with_production_settings",
    "congvu/core/tests/test_database_settings.py",
    "congvu/core/tests/test_official_docx_render.py",
    "congvu/evaluations/tests/test_cli.py::test_shell_command_exit_codes",
    "congvu/plans/tests/test_cli.py::test_shell_command_exit_codes",
    "congvu/evaluations/tests/test_demo.py",
    "congvu/feedback/tests/test_demo.py",
    "congvu/organisations/tests/test_demo.py",
    "congvu/plans/tests/test_demo.py",
    "tests/test_architecture.py",
)


def pytest_collection_modifyitems(items):
    for item in items:
        if item.nodeid.startswith(SERIAL):
            item.add_marker(pytest.mark.serial)


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
    with time_machine.travel(FROZEN, tick=True):
        yield


@pytest.fixture(autouse=True)
def _clear_cache():
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _default_language():
    """A request in English leaves English active in the thread (LocaleMiddleware does not
    reset it), and services now translate their messages: each test starts in Vietnamese."""
    from django.utils import translation

    translation.deactivate()
    yield
    translation.deactivate()


FROZEN = datetime(2026, 11, 21, 10, 0, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))


@dataclass
class _Snapshot:
    """The rows the test province adds, table by table, and its objects' keys."""

    tables: list[tuple[str, list[str], list[tuple]]]
    keys: dict[str, dict[str, int]]


def _all_rows(cursor, table: str) -> tuple[list[str], dict[str, tuple]]:
    """The table's columns, and its rows by their text (JSON values are not hashable)."""
    from django.db import connection

    cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")  # noqa: S608 (a table name)
    return [col[0] for col in cursor.description], {repr(row): row for row in cursor.fetchall()}


def _stored(value):
    """A value read back as the driver returned it, made writable again (psycopg reads JSON
    as Python objects and writes them only through its JSON wrapper)."""
    if isinstance(value, dict | list):
        from psycopg.types.json import Jsonb

        return Jsonb(value)
    return value


@pytest.fixture(scope="session")
def _province_snapshot(django_db_setup, django_db_blocker) -> _Snapshot:
    """Build the test province through the services once per worker, inside a transaction
    that is rolled back, and keep the rows it added: each test then inserts them again
    (a few ms) instead of building it (~170 ms on SQLite, more on PostgreSQL). Built at the
    tests' frozen moment with their fast password hasher, so the rows are those a test
    building it would write; primary keys are the same in every test."""
    from django.db import connection, transaction
    from django.test import override_settings

    with (
        django_db_blocker.unblock(),
        override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]),
        time_machine.travel(FROZEN, tick=False),
        transaction.atomic(),
    ):
        with connection.cursor() as cursor:
            names = connection.introspection.table_names(cursor)
            before = {name: _all_rows(cursor, name)[1] for name in names}
            province = build_province()
            tables = []
            for name in names:
                columns, rows = _all_rows(cursor, name)
                added = [row for text, row in sorted(rows.items()) if text not in before[name]]
                if added:
                    tables.append((name, columns, added))
        keys = {
            kind: {key: obj.pk for key, obj in getattr(province, kind).items()}
            for kind in ("units", "staff", "users")
        }
        transaction.set_rollback(True)
    return _Snapshot(tables, keys)


@pytest.fixture
def province(request, _province_snapshot: _Snapshot):
    """The test province: the snapshot's rows inserted in the test's own transaction, fresh
    instances per test. Foreign keys are checked at commit, so the order of tables is free."""
    from django.db import connection

    from congvu.accounts.models import User
    from congvu.organisations.models import Staff, Unit
    from congvu.testing import Province

    transactional = "transactional_db" in request.fixturenames
    request.getfixturevalue("transactional_db" if transactional else "db")
    if not connection.in_atomic_block:  # a transactional test: build it through the services
        return build_province()
    quote = connection.ops.quote_name
    postgres = connection.vendor == "postgresql"
    with connection.cursor() as cursor:
        for table, columns, rows in _province_snapshot.tables:
            marks = ", ".join(["%s"] * len(columns))
            cursor.executemany(
                f"INSERT INTO {quote(table)} ({', '.join(map(quote, columns))}) VALUES ({marks})",  # noqa: S608
                [tuple(map(_stored, row)) for row in rows] if postgres else rows,
            )
    keys = _province_snapshot.keys
    units = Unit.objects.in_bulk(keys["units"].values())
    staff = Staff.objects.in_bulk(keys["staff"].values())
    users = User.objects.in_bulk(keys["users"].values())
    return Province(
        units={key: units[pk] for key, pk in keys["units"].items()},
        staff={key: staff[pk] for key, pk in keys["staff"].items()},
        users={key: users[pk] for key, pk in keys["users"].items()},
    )
