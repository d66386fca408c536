"""Backup and restore of the whole database and the stored files, verified by a manifest
(QUALITY.md R4).

A backup is the database file, ``<file>.files.tar`` (every file under MEDIA_ROOT:
report attachments, evidence, imports) and ``<file>.manifest.json`` holding both
files' SHA-256, per table the row count and a checksum of the rows, and per stored
file its size and SHA-256. Restore checks everything against the manifest and
unpacks the files beside MEDIA_ROOT before touching the database or MEDIA_ROOT;
then it restores the database, swaps the unpacked directory in for MEDIA_ROOT and
compares the restored tables with the manifest. Backups of manifest format 1
(database only) still restore, leaving MEDIA_ROOT as it is.

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
import secrets
import shutil
import sqlite3
import stat
import subprocess  # noqa: S404 (pg_dump / pg_restore with fixed arguments, no shell)
import tarfile
import tempfile
from collections.abc import Iterable, Iterator
from contextlib import closing, contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, BinaryIO

from django.conf import settings
from django.db import connections

MANIFEST_FORMAT = 2  # 2: with the stored files; 1: the database only, still restorable
_READABLE_FORMATS = (1, 2)
_BATCH = 2000
_CHUNK = 1024 * 1024
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


def files_path(backup: Path) -> Path:
    """The archive of the stored files that goes with a backup."""
    return backup.with_name(backup.name + ".files.tar")


def _write_manifest(
    backup: Path, engine: str, tables: dict[str, dict[str, Any]], entries: dict[str, Any]
) -> Path:
    archive = files_path(backup)
    manifest = {
        "format": MANIFEST_FORMAT,
        "engine": engine,
        "created_at": datetime.now(UTC).isoformat(),
        "file": backup.name,
        "size": backup.stat().st_size,
        "sha256": file_sha256(backup),
        "tables": tables,
        "files": {
            "archive": archive.name,
            "size": archive.stat().st_size,
            "sha256": file_sha256(archive),
            "entries": entries,
        },
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
    fmt = manifest.get("format")
    files = manifest.get("files")
    if (
        fmt not in _READABLE_FORMATS
        or not isinstance(manifest.get("tables"), dict)
        or (fmt >= 2 and not (isinstance(files, dict) and isinstance(files.get("entries"), dict)))
    ):
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
    while path.exists() or manifest_path(path).exists() or files_path(path).exists():
        path = directory / f"congvu-{stamp}-{n}{suffix}"
        n += 1
    return path


def backup(output: Path | None = None, alias: str = "default") -> tuple[Path, dict[str, Any]]:
    """Write a backup, the archive of the stored files and the manifest; return the
    backup path and the manifest."""
    connection = connections[alias]
    engine = connection.vendor
    if engine not in ("sqlite", "postgresql"):
        raise BackupError(f"Chưa hỗ trợ sao lưu cơ sở dữ liệu {engine}.")
    path = Path(output) if output else default_backup_path(engine)
    for existing in (path, files_path(path)):
        if existing.exists():
            raise BackupError(f"Tệp {existing} đã tồn tại; hãy chọn tên khác.")
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(path.name + ".part")
    partial_files = files_path(path).with_name(files_path(path).name + ".part")
    try:
        if engine == "sqlite":
            tables = _sqlite_backup(connection, partial)
        else:
            tables = _postgres_backup(connection, partial)
        # The files after the database: a file is stored before its row is committed, so
        # every row of the copy finds its file (unless deleted while the backup runs).
        entries = _archive_files(Path(settings.MEDIA_ROOT), partial_files)
        for done, final in ((partial, path), (partial_files, files_path(path))):
            done.chmod(0o600)
            done.replace(final)
    finally:
        partial.unlink(missing_ok=True)
        partial_files.unlink(missing_ok=True)
    _write_manifest(path, engine, tables, entries)
    return path, read_manifest(path)


class _HashingReader:
    """Hands a file to tarfile while hashing exactly the bytes it archives."""

    def __init__(self, handle: BinaryIO) -> None:
        self.handle = handle
        self.digest = hashlib.sha256()

    def read(self, size: int = -1) -> bytes:
        data = self.handle.read(size)
        self.digest.update(data)
        return data


def _archive_files(root: Path, target: Path) -> dict[str, dict[str, Any]]:
    """Every regular file under ``root`` into an uncompressed tar (attachments are mostly
    JPEG and PDF already); name → size and SHA-256. Links are refused, not followed."""
    entries: dict[str, dict[str, Any]] = {}
    fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with (
        open(fd, "wb") as out,
        tarfile.open(fileobj=out, mode="w", format=tarfile.PAX_FORMAT) as tar,
    ):
        for path in sorted(root.rglob("*")) if root.is_dir() else []:
            name = path.relative_to(root).as_posix()
            try:
                info = path.lstat()
            except FileNotFoundError:
                continue  # deleted while the backup runs, as its row was
            if stat.S_ISDIR(info.st_mode):
                continue
            if not stat.S_ISREG(info.st_mode):
                raise BackupError(f"{path} không phải tệp thường (liên kết?); không sao lưu được.")
            member = tarfile.TarInfo(name)
            member.size, member.mtime, member.mode = info.st_size, int(info.st_mtime), 0o600
            try:
                with path.open("rb") as handle:
                    reader = _HashingReader(handle)
                    tar.addfile(member, reader)
            except FileNotFoundError:
                continue
            except OSError as exc:  # shrank while being read
                raise BackupError(
                    f"Tệp {path} thay đổi trong lúc sao lưu: {exc}. Hãy chạy lại."
                ) from exc
            entries[name] = {"size": member.size, "sha256": reader.digest.hexdigest()}
    return entries


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
    """The manifest of ``path`` once the file and the archive of stored files are whole
    and unaltered."""
    if not path.is_file():
        raise BackupError(f"Không tìm thấy tệp sao lưu {path}.")
    manifest = read_manifest(path)
    if file_sha256(path) != manifest.get("sha256"):
        raise BackupError(f"Tệp {path.name} không khớp tổng kiểm tra trong tệp kê khai.")
    if "files" in manifest:
        archive = files_path(path)
        if not archive.is_file():
            raise BackupError(f"Thiếu tệp lưu trữ {archive.name} đi kèm bản sao lưu.")
        if file_sha256(archive) != manifest["files"].get("sha256"):
            raise BackupError(f"Tệp {archive.name} không khớp tổng kiểm tra trong tệp kê khai.")
    return manifest


def _member_name(member: tarfile.TarInfo) -> str:
    """The member's name once it is a plain relative path to a regular file."""
    name = member.name
    if (
        not member.isreg()
        or name.startswith("/")
        or "\\" in name
        or "\x00" in name
        or any(part in ("", ".", "..") for part in name.split("/"))
    ):
        raise BackupError(f"Tệp lưu trữ có mục không an toàn: {name!r}; không khôi phục.")
    return name


def _unpack_files(archive: Path, entries: dict[str, Any], root: Path) -> Path:
    """Unpack the archive into a new directory beside ``root``, checking every member's
    name, size and SHA-256 against the manifest; return that directory."""
    root.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{root.name}-restore-", dir=root.parent))
    try:
        seen: set[str] = set()
        with tarfile.open(archive, mode="r:") as tar:
            for member in tar:
                name = _member_name(member)
                want = entries.get(name)
                if want is None or name in seen:
                    raise BackupError(f"Tệp lưu trữ có mục {name!r} không có trong tệp kê khai.")
                seen.add(name)
                _unpack_one(tar, member, staging, want)
        if missing := sorted(set(entries) - seen):
            raise BackupError(f"Tệp lưu trữ thiếu {len(missing)} tệp, ví dụ {missing[0]!r}.")
    except (OSError, tarfile.TarError) as exc:
        shutil.rmtree(staging, ignore_errors=True)
        raise BackupError(f"Không giải nén được {archive.name}: {exc}.") from exc
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return staging


def _unpack_one(tar: tarfile.TarFile, member: tarfile.TarInfo, staging: Path, want: dict) -> None:
    *folders, filename = member.name.split("/")
    target = staging
    for folder in folders:
        target = target / folder
        target.mkdir(mode=0o700, exist_ok=True)
    target = target / filename
    source = tar.extractfile(member)
    assert source is not None  # a regular file (checked by _member_name)
    digest, size = hashlib.sha256(), 0
    with open(os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600), "wb") as out:
        while chunk := source.read(_CHUNK):
            digest.update(chunk)
            size += len(chunk)
            out.write(chunk)
    if size != want.get("size") or digest.hexdigest() != want.get("sha256"):
        raise BackupError(f"Tệp {member.name!r} không khớp tổng kiểm tra trong tệp kê khai.")


def _swap_in(staging: Path, root: Path) -> None:
    """Put the unpacked directory in place of ``root`` (two renames in one directory),
    then delete the old files."""
    old = None
    if root.exists():
        staging.chmod(stat.S_IMODE(root.stat().st_mode))
        old = root.with_name(f".{root.name}-old-{secrets.token_hex(4)}")
        root.rename(old)
    try:
        staging.rename(root)
    except OSError:
        if old is not None:
            old.rename(root)
        raise
    if old is not None:
        try:
            shutil.rmtree(old)
        except OSError as exc:
            raise BackupError(f"Đã khôi phục; chưa xóa được các tệp cũ ở {old}: {exc}.") from exc


def restore(path: Path, alias: str = "default") -> dict[str, Any]:
    """Replace the database's contents and the stored files with the backup at ``path``,
    then verify them. Nothing is touched until the backup has passed every check."""
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
    # MEDIA_ROOT may be a link to another disk: unpack beside its target, so the swap is
    # two renames within one file system.
    root = Path(settings.MEDIA_ROOT).resolve()
    staging = None
    if "files" in manifest:
        staging = _unpack_files(files_path(path), manifest["files"]["entries"], root)
    try:
        if connection.vendor == "sqlite":
            _sqlite_restore(connection, path)
        else:
            _postgres_restore(connection, path)
    except BaseException:
        if staging is not None:
            shutil.rmtree(staging, ignore_errors=True)
        raise
    if staging is not None:
        try:
            _swap_in(staging, root)
        except OSError as exc:
            raise BackupError(
                f"Đã khôi phục cơ sở dữ liệu nhưng chưa thay được thư mục tệp {root}: {exc}. "
                f"Các tệp đã kiểm tra nằm ở {staging}."
            ) from exc
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
