"""The upgrade from the release where this app was labelled ``reports`` (issue 10): a database at
that schema, holding the demo's data, migrated by today's code, keeps every row.

The old database is built by the released migrations with today's code under the old label
(``legacy_reports``): ``migrate``, ``load_catalogues``, ``demo --no-serve``, and a report with
an attachment and a note (``upgrade_probe seed``). Then today's ``migrate`` runs on it. Per
table, row counts and checksums (``congvu.core.backup``'s digests, column for column) are taken
before and after: the app's six tables are the same under their new names; every other table
is the same, except the three that name the label — content types (same ids, new label),
audit records (same rows, new object type) and migration rows (the old app's replaced by
one). The app then reads the old rows and writes new ones (``upgrade_probe check``), and
its tables are described as on a database created new (``upgrade_probe schema``). A database
behind the old app's last migration is refused, and keeps its tables.

Its own databases (a SQLite file, or databases on the DATABASE_URL server dropped afterwards,
as the reliability tests make them) and child processes: it runs in the serial phase.
"""

import json
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

pytestmark = pytest.mark.e2e

ROOT = Path(__file__).resolve().parents[3]
LEGACY = "congvu.feedback.tests.legacy_reports.settings"
LATER_TABLES = ("violations_",)  # the legacy settings leave out the apps added since
REAL = "congvu.config.settings"
TABLES = [
    "report",
    "reportattachment",
    "reportevent",
    "reportnote",
    "reportercontact",
    "supervisionfinding",
]
RELABELLED = {"django_content_type", "core_auditlog", "django_migrations"}
AUDIT_COLUMNS = "id, at, actor_id, action, object_type, object_id, object_repr, data"


def _app_database():
    """The reliability tests' database maker (tests/reliability/served_app.py)."""
    if (folder := str(ROOT / "tests" / "reliability")) not in sys.path:
        sys.path.insert(0, folder)
    from served_app import AppDatabase

    return AppDatabase


def _run(db, settings: str, *args: str, ok: bool = True) -> subprocess.CompletedProcess:
    env = {**db.env(), "DJANGO_SETTINGS_MODULE": settings}
    done = subprocess.run(  # noqa: S603 (this interpreter, fixed arguments)
        [sys.executable, *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=900
    )
    assert (done.returncode == 0) is ok, f"{args}: {done.stderr[-4000:]}"
    return done


def _congvu(db, settings: str, *args: str, ok: bool = True) -> subprocess.CompletedProcess:
    return _run(db, settings, "-m", "congvu", *args, ok=ok)


def _probe(db, settings: str, step: str) -> dict:
    out = _run(db, settings, "-m", "congvu.feedback.tests.upgrade_probe", step).stdout
    return json.loads(out.strip().splitlines()[-1])


def _digests(db) -> dict:
    from congvu.core.backup import postgres_digests, sqlite_digests

    if db.engine == "sqlite":
        conn = sqlite3.connect(db.name)
        try:
            return sqlite_digests(conn)
        finally:
            conn.close()
    import psycopg

    with psycopg.connect(db.url) as conn, conn.cursor() as cursor:
        return postgres_digests(cursor)


def _labelled_rows(db) -> dict[str, list]:
    return {
        "content_types": db.query(
            "SELECT id, app_label, model FROM django_content_type ORDER BY id"
        ),
        "audit": db.query(f"SELECT {AUDIT_COLUMNS} FROM core_auditlog ORDER BY id"),  # noqa: S608
        "migrations": db.query("SELECT app, name FROM django_migrations ORDER BY id"),
    }


def _relabel(label: str) -> str:
    return "feedback" + label[len("reports") :] if label.startswith("reports.") else label


def test_an_upgrade_from_the_reports_label_keeps_every_row_of_the_demo_under_feedback():
    app_database, began = _app_database(), time.monotonic()
    with app_database.fresh("upgrade", settings=LEGACY) as db:
        _congvu(db, LEGACY, "migrate", "--noinput")
        _congvu(db, LEGACY, "load_catalogues")
        _congvu(db, LEGACY, "demo", "--no-serve")
        _probe(db, LEGACY, "seed")
        before, rows_before = _digests(db), _labelled_rows(db)
        built = time.monotonic()

        _congvu(db, REAL, "migrate", "--noinput")
        after, rows_after = _digests(db), _labelled_rows(db)
        upgraded = time.monotonic()

        old = {t: before[f"reports_{t}"] for t in TABLES}
        assert all(old[t]["rows"] > 0 for t in TABLES), old  # the demo and the seed fill each
        assert {t: after[f"feedback_{t}"] for t in TABLES} == old
        others = set(before) - {f"reports_{t}" for t in TABLES} - RELABELLED
        later = {t for t in after if t.startswith(LATER_TABLES)}  # apps added since, empty
        assert all(after[t]["rows"] == 0 for t in later), later
        assert set(after) == others | RELABELLED | {f"feedback_{t}" for t in TABLES} | later
        grown = {"auth_permission", "django_content_type"} if later else set()  # their rows
        assert {t: after[t] for t in others - grown} == {t: before[t] for t in others - grown}

        types = rows_before["content_types"]
        assert {m for _id, app, m in types if app == "reports"} == set(TABLES)
        assert not [row for row in types if row[1] == "feedback"]
        later_apps = {t.removesuffix("_") for t in LATER_TABLES}
        assert [row for row in rows_after["content_types"] if row[1] not in later_apps] == [
            (pk, "feedback" if app == "reports" else app, model) for pk, app, model in types
        ]
        audit = rows_before["audit"]
        assert {row[4] for row in audit} >= {"reports.report", "reports.supervisionfinding"}
        assert rows_after["audit"] == [(*row[:4], _relabel(row[4]), *row[5:]) for row in audit]
        assert [row for row in rows_after["migrations"] if row[0] not in later_apps] == [
            *(row for row in rows_before["migrations"] if row[0] != "reports"),
            ("feedback", "0001_feedback_adopts_reports"),
        ]

        checked = _probe(db, REAL, "check")
        counts = {name: after[f"feedback_{name.lower()}"]["rows"] for name in checked["counts"]}
        assert checked["counts"] == counts and checked["read"] == sum(counts.values())
        assert checked["new_report_after_old"] and checked["new_finding_after_old"]
        assert checked["old_report_listed"] and checked["detail_status"] == 200
        assert checked["new_audit_types"] == ["feedback.report", "feedback.supervisionfinding"]
        assert checked["content_types"] == [["feedback", t] for t in sorted(TABLES)]
        assert checked["permissions"] == 4 * len(TABLES)  # add, change, delete, view: kept
        adopted = _probe(db, REAL, "schema")
        checked_at = time.monotonic()

    with app_database.fresh("upgrade_fresh", settings=REAL) as fresh:
        _congvu(fresh, REAL, "migrate", "--noinput")
        assert _probe(fresh, REAL, "schema") == adopted
    print(
        f"upgrade test ({db.engine}): old database built {built - began:.1f} s, upgraded "
        f"{upgraded - built:.1f} s, checked {checked_at - upgraded:.1f} s, "
        f"schema compared {time.monotonic() - checked_at:.1f} s"
    )


def test_a_database_behind_the_last_reports_migration_is_refused_and_left_as_it_was():
    with _app_database().fresh("upgrade_behind", settings=LEGACY) as db:
        _congvu(db, LEGACY, "migrate", "reports", "0001_reports_findings_and_trail")
        before = _digests(db)
        refused = _congvu(db, REAL, "migrate", "--noinput", ok=False)
        assert "0002_report_desk" in refused.stderr and "phiên bản trước" in refused.stderr
        after = _digests(db)
        assert {t: after[t] for t in before if t != "django_migrations"} == {
            t: before[t] for t in before if t != "django_migrations"
        }
        assert not [t for t in after if t.startswith("feedback_")]
        assert not db.query("SELECT name FROM django_migrations WHERE app = 'feedback'")
