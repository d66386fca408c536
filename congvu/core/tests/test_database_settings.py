"""SQLite gets the same options however it is named: no DATABASE_URL or sqlite:///path.

Each case loads the settings in a new process with its own environment, as a deployment
does, and asks the connection itself rather than reading the settings back.
"""

import json
import os
import subprocess
import sys

import pytest

PROBE = """
import json, sqlite3
import django
django.setup()
from django.db import connection, transaction
config = connection.settings_dict
result = {"engine": connection.vendor, "name": str(config["NAME"]),
          "conn_max_age": config["CONN_MAX_AGE"],
          "health_checks": config["CONN_HEALTH_CHECKS"]}
if connection.vendor == "sqlite":
    cursor = connection.cursor()
    for pragma in ("journal_mode", "busy_timeout", "synchronous", "foreign_keys"):
        cursor.execute(f"PRAGMA {pragma}")
        result[pragma] = cursor.fetchone()[0]
    result["transaction_mode"] = connection.transaction_mode
    with transaction.atomic():  # IMMEDIATE: the write lock is taken at BEGIN, before any write
        cursor.execute("SELECT 1")
        other = sqlite3.connect(config["NAME"], timeout=0)
        try:
            other.execute("BEGIN IMMEDIATE")
            result["locked_at_begin"] = False
        except sqlite3.OperationalError:
            result["locked_at_begin"] = True
        other.close()
print(json.dumps(result))
"""


def _settings_seen(tmp_path, database_url: str) -> dict:
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "CONGVU_VAR_DIR": str(tmp_path),
        "SECRET_KEY": "x" * 60,
        "DJANGO_SETTINGS_MODULE": "congvu.config.settings",
    }
    result = subprocess.run(  # noqa: S603
        [sys.executable, "-c", PROBE],
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


@pytest.mark.parametrize("named_by", ["default", "url"])
def test_sqlite_gets_wal_busy_timeout_and_immediate_transactions_however_named(tmp_path, named_by):
    path = tmp_path / ("congvu.sqlite3" if named_by == "default" else "khac.sqlite3")
    seen = _settings_seen(tmp_path, "" if named_by == "default" else f"sqlite:///{path}")
    assert seen == {
        "engine": "sqlite",
        "name": str(path),
        "conn_max_age": 0,
        "health_checks": False,
        "journal_mode": "wal",
        "busy_timeout": 20000,
        "synchronous": 1,
        "foreign_keys": 1,
        "transaction_mode": "IMMEDIATE",
        "locked_at_begin": True,
    }


def test_postgresql_keeps_its_connections_with_health_checks(tmp_path):
    seen = _settings_seen(tmp_path, "postgres://congvu@db.invalid:5432/congvu")
    assert seen == {
        "engine": "postgresql",
        "name": "congvu",
        "conn_max_age": 60,
        "health_checks": True,
    }
