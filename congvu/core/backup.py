"""Backup and restore of the whole database, verified by a manifest (QUALITY.md R4).

A backup is one file plus a sidecar ``<file>.manifest.json`` holding the file's
SHA-256 and, per table, the row count and a checksum of the rows. Restore checks
the file against the manifest before touching the database and the restored
tables against it afterwards.

SQLite: the online backup API gives a consistent copy while the site runs, and
restores by copying the pages back into the live file under SQLite's own lock
(WAL and other open connections stay coherent, unlike renaming files).
PostgreSQL: ``pg_dump -Fc`` from a snapshot exported by the transaction that
computes the manifest, so both see the same data; ``pg_restore --clean`` in one
transaction.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sqlite3
import subprocess  # noqa: S404 (pg_dump / pg_restore with fixed arguments, no shell)
from collections.abc import Iterable, Iterator
from contextlib import closing, contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connections

MANIFEST_FORMAT = 1
_BATCH = 2000
_PG_SSL_ENV = {
    "sslmode": "PGSSLMODE",
    "sslrootcert": "PGSSLROOTCERT",
    "sslcert": "PGSSLCERT",
    "sslkey": "PGSSLKEY",
}


class BackupError(Exception):
    """A backup or restore that cannot go on; the message is for the operator."""


# --- Table digests -------------------------------------------------------------


def _digest_rows(rows: Iterable[Iterable[Any]]) -> dict[str, Any]:
    digest = hashlib.sha256()
    count = 0
    for row in rows:
        digest.update("\x1f".join("\\N" if v is None else str(v) for v in row).encode())
        digest.update(b"\n")
        count += 1
    return {"rows": count, "checksum": digest.hexdigest()}


def _fetch(cursor: Any) -> Iterator[tuple]:
    while batch := cursor.fetchmany(_BATCH):
        yield from batch


def _sqlite_q(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def sqlite_digests(db: sqlite3.Connection) -> dict[str, dict[str, Any]]:
    """Row count and checksum per table. ``quote()`` gives each value's SQL literal,
    so the text is the stored value itself whatever converters the connection has."""
    tables = [
        name
        for (name,) in db.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' "
            "AND name NOT LIKE 'sqlite_%' ORDER BY name"
        )
    ]
    result = {}
    for table in tables:
        info = db.execute(f"PRAGMA table_info({_sqlite_q(table)})").fetchall()
        columns = [row[1] for row in info]
        pk = [row[1] for row in sorted(info, key=lambda r: r[5]) if row[5]]
        order = ", ".join(_sqlite_q(c) for c in (pk or columns))
        select = ", ".join(f"quote({_sqlite_q(c)})" for c in columns)
        cursor = db.execute(f"SELECT {select} FROM {_sqlite_q(table)} ORDER BY {order}")  # noqa: S608
        result[table] = _digest_rows(_fetch(cursor))
    return result


def postgres_digests(cursor: Any) -> dict[str, dict[str, Any]]:
    """Row count and checksum per table of the current schema, from each row's text form.

    ``cursor`` is a psycopg cursor: rows are streamed, not loaded all at once.
    """
    cursor.execute(
        "SELECT tablename FROM pg_tables WHERE schemaname = current_schema() ORDER BY tablename"
    )
    tables = [name for (name,) in cursor.fetchall()]
    result = {}
    for table in tables:
        quoted = '"' + table.replace('"', '""') + '"'
        cursor.execute(
            "SELECT a.attname FROM pg_index i JOIN pg_attribute a "
            "ON a.attrelid = i.indrelid AND a.attnum = ANY(i.indkey) "
            "WHERE i.indrelid = %s::regclass AND i.indisprimary "
            "ORDER BY array_position(i.indkey, a.attnum)",
            [quoted],
        )
        pk = ['"' + c.replace('"', '""') + '"' for (c,) in cursor.fetchall()]
        order = ", ".join(pk) if pk else "t::text"
        rows = cursor.stream(f"SELECT t::text FROM {quoted} AS t ORDER BY {order}")  # noqa: S608
        result[table] = _digest_rows(rows)
    return result


def live_digests(alias: str = "default") -> dict[str, dict[str, Any]]:
    """The digests of the configured database as it is now."""
    connection = connections[alias]
    connection.ensure_connection()
    if connection.vendor == "sqlite":
        return sqlite_digests(connection.connection)
    if connection.vendor == "postgresql":
        with connection.connection.cursor() as cursor:
            return postgres_digests(cursor)
    raise BackupError(f"Chưa hỗ trợ sao lưu cơ sở dữ liệu {connection.vendor}.")


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(1024 * 1024):
            digest.update(chunk)
    return digest.hexdigest()


def manifest_path(backup: Path) -> Path:
    return backup.with_name(backup.name + ".manifest.json")


def _write_manifest(backup: Path, engine: str, tables: dict[str, dict[str, Any]]) -> Path:
    manifest = {
        "format": MANIFEST_FORMAT,
        "engine": engine,
        "created_at": datetime.now(UTC).isoformat(),
        "file": backup.name,
        "size": backup.stat().st_size,
        "sha256": file_sha256(backup),
        "tables": tables,
    }
    path = manifest_path(backup)
    path.write_text(json.dumps(manifest, ensure_ascii=False, indent=2, sort_keys=True))
    path.chmod(0o600)
    return path


def read_manifest(backup: Path) -> dict[str, Any]:
    path = manifest_path(backup)
    if not path.exists():
        raise BackupError(f"Thiếu tệp kê khai {path.name} đi kèm bản sao lưu.")
    try:
        manifest = json.loads(path.read_text())
    except (OSError, ValueError) as exc:
        raise BackupError(f"Tệp kê khai {path.name} không đọc được: {exc}.") from exc
    if manifest.get("format") != MANIFEST_FORMAT or not isinstance(manifest.get("tables"), dict):
        raise BackupError(f"Tệp kê khai {path.name} không đúng định dạng.")
    return manifest


def compare_digests(
    expected: dict[str, dict[str, Any]], actual: dict[str, dict[str, Any]]
) -> list[str]:
    """Tables of the manifest whose rows differ from (or are missing in) the database."""
    problems = []
    for table, want in sorted(expected.items()):
        got = actual.get(table)
        if got is None:
            problems.append(f"{table}: không có trong cơ sở dữ liệu")
        elif got != want:
            problems.append(
                f"{table}: {got['rows']} dòng (cần {want['rows']}), tổng kiểm tra "
                f"{'khớp' if got['checksum'] == want['checksum'] else 'khác'}"
            )
    return problems


# --- Backup --------------------------------------------------------------------


def default_backup_path(engine: str) -> Path:
    directory = Path(settings.BACKUP_DIR)
    directory.mkdir(parents=True, exist_ok=True)
    directory.chmod(0o700)
    stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%SZ")
    suffix = ".sqlite3" if engine == "sqlite" else ".dump"
    path = directory / f"congvu-{stamp}{suffix}"
    n = 1
    while path.exists() or manifest_path(path).exists():
        path = directory / f"congvu-{stamp}-{n}{suffix}"
        n += 1
    return path


def backup(output: Path | None = None, alias: str = "default") -> tuple[Path, dict[str, Any]]:
    """Write a backup and its manifest; return the backup path and the manifest."""
    connection = connections[alias]
    engine = connection.vendor
    if engine not in ("sqlite", "postgresql"):
        raise BackupError(f"Chưa hỗ trợ sao lưu cơ sở dữ liệu {engine}.")
    path = Path(output) if output else default_backup_path(engine)
    if path.exists():
        raise BackupError(f"Tệp {path} đã tồn tại; hãy chọn tên khác.")
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(path.name + ".part")
    partial.unlink(missing_ok=True)
    try:
        if engine == "sqlite":
            tables = _sqlite_backup(connection, partial)
        else:
            tables = _postgres_backup(connection, partial)
        partial.chmod(0o600)
        partial.replace(path)
    finally:
        partial.unlink(missing_ok=True)
    _write_manifest(path, engine, tables)
    return path, read_manifest(path)


def _sqlite_backup(connection: Any, target: Path) -> dict[str, dict[str, Any]]:
    connection.ensure_connection()
    # pages=-1 copies in one step inside one read transaction: a consistent snapshot
    # while writers continue in WAL mode.
    with closing(sqlite3.connect(target)) as dest:
        connection.connection.backup(dest, pages=-1)
        dest.execute("PRAGMA journal_mode=DELETE")  # one self-contained file
        check = dest.execute("PRAGMA integrity_check").fetchone()[0]
        if check != "ok":
            raise BackupError(f"Bản sao lưu không toàn vẹn: {check}.")
        return sqlite_digests(dest)


def _pg_command(settings_dict: dict[str, Any], program: str) -> tuple[list[str], dict[str, str]]:
    """Program, connection arguments and environment; the password only in PGPASSWORD."""
    binary = shutil.which(program)
    if binary is None:
        raise BackupError(f"Không tìm thấy {program}; hãy cài gói postgresql-client.")
    args = [binary]
    if settings_dict.get("HOST"):
        args += ["-h", str(settings_dict["HOST"])]
    if settings_dict.get("PORT"):
        args += ["-p", str(settings_dict["PORT"])]
    if settings_dict.get("USER"):
        args += ["-U", str(settings_dict["USER"])]
    args += ["-d", str(settings_dict["NAME"]), "--no-password"]
    env = dict(os.environ)
    env.pop("PGPASSWORD", None)
    if settings_dict.get("PASSWORD"):
        env["PGPASSWORD"] = str(settings_dict["PASSWORD"])
    for option, variable in _PG_SSL_ENV.items():
        value = (settings_dict.get("OPTIONS") or {}).get(option)
        if value:
            env[variable] = str(value)
    return args, env


def _run(args: list[str], env: dict[str, str]) -> None:
    result = subprocess.run(args, env=env, capture_output=True, text=True, check=False)  # noqa: S603
    if result.returncode != 0:
        program = Path(args[0]).name
        raise BackupError(f"{program} thất bại (mã {result.returncode}): {result.stderr.strip()}")


@contextmanager
def _snapshot_cursor(connection: Any) -> Iterator[Any]:
    """A cursor in its own REPEATABLE READ transaction on a separate connection."""
    other = connection.copy()
    other.ensure_connection()
    raw = other.connection
    try:
        raw.autocommit = True
        with raw.cursor() as cursor:
            cursor.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
            try:
                yield cursor
            finally:
                cursor.execute("ROLLBACK")
    finally:
        other.close()


def _postgres_backup(connection: Any, target: Path) -> dict[str, dict[str, Any]]:
    args, env = _pg_command(connection.settings_dict, "pg_dump")
    with _snapshot_cursor(connection) as cursor:
        cursor.execute("SELECT pg_export_snapshot()")
        (snapshot,) = cursor.fetchone()
        _run([*args, "-Fc", "--snapshot", snapshot, "-f", str(target)], env)
        return postgres_digests(cursor)


# --- Restore -------------------------------------------------------------------


def verify_file(path: Path) -> dict[str, Any]:
    """The manifest of ``path`` once the file is whole and unaltered."""
    if not path.is_file():
        raise BackupError(f"Không tìm thấy tệp sao lưu {path}.")
    manifest = read_manifest(path)
    if file_sha256(path) != manifest.get("sha256"):
        raise BackupError(f"Tệp {path.name} không khớp tổng kiểm tra trong tệp kê khai.")
    return manifest


def restore(path: Path, alias: str = "default") -> dict[str, Any]:
    """Replace the database's contents with the backup at ``path``, then verify them."""
    path = Path(path)
    manifest = verify_file(path)
    connection = connections[alias]
    if manifest["engine"] != connection.vendor:
        raise BackupError(
            f"Bản sao lưu dành cho {manifest['engine']}, "
            f"cơ sở dữ liệu đang dùng là {connection.vendor}."
        )
    if connection.in_atomic_block:
        raise BackupError("Không thể khôi phục bên trong một giao dịch đang mở.")
    if connection.vendor == "sqlite":
        _sqlite_restore(connection, path)
    else:
        _postgres_restore(connection, path)
    problems = compare_digests(manifest["tables"], live_digests(alias))
    if problems:
        raise BackupError(
            "Dữ liệu sau khi khôi phục không khớp tệp kê khai: " + "; ".join(problems)
        )
    return manifest


def _sqlite_restore(connection: Any, path: Path) -> None:
    with closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True)) as source:
        check = source.execute("PRAGMA integrity_check").fetchone()[0]
        if check != "ok":
            raise BackupError(f"Bản sao lưu không toàn vẹn: {check}.")
        if connection.is_in_memory_db():
            # Tests: the in-memory database lives only in this connection.
            connection.ensure_connection()
            source.backup(connection.connection, pages=-1)
            return
        connection.close()
        # The backup API writes every page into the live file under an exclusive lock,
        # in one transaction: other processes' connections and the WAL stay coherent.
        timeout = (connection.settings_dict.get("OPTIONS") or {}).get("timeout", 20)
        with closing(sqlite3.connect(connection.settings_dict["NAME"], timeout=timeout)) as live:
            source.backup(live, pages=-1)
            check = live.execute("PRAGMA integrity_check").fetchone()[0]
            if check != "ok":
                raise BackupError(f"Cơ sở dữ liệu sau khi khôi phục không toàn vẹn: {check}.")


def _postgres_restore(connection: Any, path: Path) -> None:
    connection.close()
    args, env = _pg_command(connection.settings_dict, "pg_restore")
    _run(
        [*args, "--clean", "--if-exists", "--no-owner", "--single-transaction", str(path)],
        env,
    )
