"""The reliability tests' served app: a database of its own and gunicorn on top of it.

Shared by the R1 crash test and the R3 rolling-restart test. A test gets a database of its
own (``AppDatabase.fresh``): a SQLite file in a temporary directory or, when DATABASE_URL
points to PostgreSQL, a database created on that server for the test (not pytest-django's
test database), dropped afterwards. ``seed`` migrates it and builds the test province in a
child process (r1_seed.py); ``Server`` runs the real app on it under gunicorn with 2 sync
workers, with the settings module the test names (r1_settings.py, r3_settings.py).
"""

from __future__ import annotations

import contextlib
import json
import os
import random
import re
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import requests

ROOT = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent


# --- The app's own database -------------------------------------------------------------


@dataclass
class AppDatabase:
    engine: str  # "sqlite" | "postgres"
    var_dir: Path
    url: str = ""  # "" for SQLite: the settings use var_dir/congvu.sqlite3
    name: str = ""
    admin_url: str = ""
    settings: str = "r1_settings"  # the settings module of the app's processes

    @classmethod
    @contextlib.contextmanager
    def fresh(cls, label: str = "r1", settings: str = "r1_settings"):
        """A new, empty database named after the test (``label``), dropped afterwards."""
        var_dir = Path(tempfile.mkdtemp(prefix=f"congvu-{label}-"))
        given = os.environ.get("DATABASE_URL", "")
        if given.startswith(("postgres://", "postgresql://")):
            parts = urlsplit(given)
            base = re.sub(r"\W", "_", parts.path.lstrip("/"))[:30] or "pg"
            name = f"{label}_{base}_{os.getpid()}"
            db = cls(
                "postgres",
                var_dir,
                urlunsplit(parts._replace(path=f"/{name}")),
                name,
                urlunsplit(parts._replace(path="/postgres")),
                settings,
            )
            db.admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            db.admin(f'CREATE DATABASE "{name}"')
        else:
            db = cls("sqlite", var_dir, name=str(var_dir / "congvu.sqlite3"), settings=settings)
        try:
            yield db
        finally:
            if db.engine == "postgres":
                db.wait_until_up()
                db.admin(f'DROP DATABASE IF EXISTS "{db.name}" WITH (FORCE)')
            shutil.rmtree(var_dir, ignore_errors=True)

    def env(self) -> dict[str, str]:
        env = dict(os.environ)
        env.update(
            CONGVU_VAR_DIR=str(self.var_dir),
            DATABASE_URL=self.url,
            DJANGO_SETTINGS_MODULE=self.settings,
            MANIFEST_STATIC="0",
            LOG_LEVEL="WARNING",
            SECRET_KEY="reliability-test-" + "k" * 40,
            PYTHONPATH=os.pathsep.join([str(ROOT), str(HERE), env.get("PYTHONPATH", "")]),
        )
        return env

    def admin(self, sql: str, params: tuple = ()) -> list[tuple]:
        import psycopg

        with psycopg.connect(self.admin_url, autocommit=True, connect_timeout=5) as conn:
            cursor = conn.execute(sql, params)
            return cursor.fetchall() if cursor.description else []

    def wait_until_up(self, timeout: float = 60) -> None:
        """Until the PostgreSQL server accepts connections again (after crash recovery)."""
        deadline = time.monotonic() + timeout
        while True:
            try:
                self.admin("SELECT 1")
                return
            except Exception:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.2)

    def query(self, sql: str) -> list[tuple]:
        """Rows read straight from the database file or server, not through Django."""
        if self.engine == "sqlite":
            conn = sqlite3.connect(self.name)
            try:
                return conn.execute(sql).fetchall()
            finally:
                conn.close()
        import psycopg

        with psycopg.connect(self.url, connect_timeout=5) as conn:
            return conn.execute(sql).fetchall()


def seed(db: AppDatabase) -> dict:
    done = subprocess.run(  # noqa: S603 (this interpreter, a fixed script)
        [sys.executable, str(HERE / "r1_seed.py")],
        cwd=ROOT,
        env=db.env(),
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


# --- The served app -----------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def alive(pid: int) -> bool:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] != "Z"


def _children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if fields[1] == str(pid) and fields[0] != "Z":
            found.append(int(entry.name))
    return found


class Server:
    """gunicorn with 2 sync workers on a free loopback port; its log in the var directory."""

    def __init__(self, db: AppDatabase, graceful_timeout: int = 5):
        self.db = db
        self.graceful_timeout = graceful_timeout
        self.proc: subprocess.Popen | None = None
        self.port = 0
        self.log = open(db.var_dir / "gunicorn.log", "ab")  # noqa: SIM115 (closed in stop)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        from gunicorn.config import KNOWN_SETTINGS

        self.port = _free_port()
        cmd = [
            sys.executable,
            "-m",
            "gunicorn",
            "congvu.config.wsgi",
            "--workers",
            "2",
            "--bind",
            f"127.0.0.1:{self.port}",
            "--log-level",
            "warning",
            "--graceful-timeout",
            str(self.graceful_timeout),
            "--timeout",
            "30",
        ]
        if any(s.name == "control_socket_disable" for s in KNOWN_SETTINGS):
            cmd.append("--no-control-socket")
        self.proc = subprocess.Popen(  # noqa: S603 (this interpreter, fixed arguments)
            cmd, cwd=ROOT, env=self.db.env(), stdout=self.log, stderr=self.log
        )
        deadline = time.monotonic() + 60
        while True:
            with contextlib.suppress(OSError):
                socket.create_connection(("127.0.0.1", self.port), timeout=1).close()
                return
            if self.proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("gunicorn did not start:\n" + self.log_tail())
            time.sleep(0.1)

    def wait_ready(self, timeout: float = 60) -> None:
        """Until a worker answers with the database reachable (a fresh worker takes a few
        seconds to load the app on a busy machine: killing it while it boots tests nothing)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with contextlib.suppress(requests.RequestException):
                if requests.get(self.url + "/api/v1/health", timeout=10).status_code == 200:
                    return
            time.sleep(0.1)
        raise RuntimeError("the app did not come back:\n" + self.log_tail())

    def workers(self) -> list[int]:
        return _children(self.proc.pid) if self.proc else []

    def kill_workers(self, count: int) -> int:
        """SIGKILL ``count`` of the running workers; the master starts new ones."""
        workers = self.workers()
        victims = random.sample(workers, min(count, len(workers)))
        for pid in victims:
            os.kill(pid, signal.SIGKILL)
        return len(victims)

    def crash_and_restart(self) -> None:
        """SIGKILL the master and its workers together, then start a new server."""
        workers = self.workers()
        os.kill(self.proc.pid, signal.SIGKILL)
        for pid in workers:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        self.proc.wait(timeout=10)
        deadline = time.monotonic() + 10
        while any(alive(pid) for pid in workers) and time.monotonic() < deadline:
            time.sleep(0.05)
        self.start()

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            workers = self.workers()
            self.proc.terminate()
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=10)
            for pid in workers:
                if alive(pid):
                    with contextlib.suppress(ProcessLookupError):
                        os.kill(pid, signal.SIGKILL)
        self.log.close()

    def log_tail(self) -> str:
        self.log.flush()
        return (self.db.var_dir / "gunicorn.log").read_text(errors="replace")[-3000:]
