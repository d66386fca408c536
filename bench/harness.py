"""What every benchmark shares: a fresh database, timing, statistics, records, the report.

A benchmark module is run as ``python -m bench.bench_<id> --engine sqlite|postgres
[--quick]``. It opens ``fresh_database()`` *before* Django is set up (the settings
read CONGVU_VAR_DIR and DATABASE_URL once), calls ``setup_django()``, measures, and
ends with ``record()``. ``render_markdown()`` turns every record into BENCHMARKS.md.

Each case is measured against a baseline in the same run on the same engine, and
the ratio is ``case median / baseline median``: for times, how many times slower
than the baseline; for throughputs, the share of the baseline's throughput.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import platform
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
REPORT = ROOT / "BENCHMARKS.md"
ENGINES = ("sqlite", "postgres")
_LOAD_BEFORE: list[float] = []
PG_ADMIN_URL = os.environ.get("BENCH_PG_URL", "postgres://postgres@127.0.0.1:5432/postgres")
"""A PostgreSQL server where the harness may create and drop its own databases."""


# --- Arguments ----------------------------------------------------------------


def parse_args(description: str, argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--engine", choices=ENGINES, default="sqlite")
    parser.add_argument("--quick", action="store_true", help="small sizes, few runs")
    return parser.parse_args(argv)


# --- A fresh database ---------------------------------------------------------


@dataclass
class Database:
    engine: str
    url: str  # "" for SQLite (the settings then use VAR_DIR/congvu.sqlite3)
    var_dir: Path
    name: str

    def env(self, **extra: str) -> dict[str, str]:
        """Environment for a child process (gunicorn, `congvu`) on this database."""
        env = dict(os.environ)
        env.update(
            CONGVU_VAR_DIR=str(self.var_dir),
            DATABASE_URL=self.url,
            PYTHONPATH=str(ROOT) + os.pathsep + env.get("PYTHONPATH", ""),
            **extra,
        )
        return env


def pg_available() -> bool:
    try:
        import psycopg

        psycopg.connect(PG_ADMIN_URL, connect_timeout=3).close()
    except Exception:
        return False
    return True


def _pg_admin(sql: str) -> None:
    import psycopg

    with psycopg.connect(PG_ADMIN_URL, autocommit=True) as conn:
        conn.execute(sql)


@contextlib.contextmanager
def fresh_database(engine: str, bench_id: str) -> Iterator[Database]:
    """A new empty database and var/ directory, dropped afterwards.

    Sets CONGVU_VAR_DIR and DATABASE_URL in this process: call before Django is set up.
    """
    if "django" in sys.modules and _django_ready():
        raise RuntimeError("fresh_database() must run before django.setup()")
    var_dir = Path(tempfile.mkdtemp(prefix=f"congvu-bench-{bench_id}-"))
    name = f"congvu_bench_{bench_id}_{os.getpid()}"
    if engine == "sqlite":
        url = ""
        name = str(var_dir / "congvu.sqlite3")
    else:
        _pg_admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        _pg_admin(f'CREATE DATABASE "{name}"')
        url = PG_ADMIN_URL.rsplit("/", 1)[0] + "/" + name
    db = Database(engine=engine, url=url, var_dir=var_dir, name=name)
    _LOAD_BEFORE[:] = list(os.getloadavg())
    os.environ.update(
        CONGVU_VAR_DIR=str(var_dir),
        DATABASE_URL=url,
        DJANGO_SETTINGS_MODULE=os.environ.get("DJANGO_SETTINGS_MODULE", "bench.settings"),
        LOG_LEVEL="WARNING",
        SECRET_KEY="bench-" + "x" * 50,
    )
    try:
        yield db
    finally:
        if _django_ready():
            from django.db import connections

            connections.close_all()
        if os.environ.get("BENCH_KEEP"):  # to look into it afterwards
            print(f"kept: {var_dir} {url or name}", flush=True)
        else:
            if engine == "postgres":
                _pg_admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            shutil.rmtree(var_dir, ignore_errors=True)


def _django_ready() -> bool:
    if "django.apps" not in sys.modules:
        return False
    from django.apps import apps

    return apps.ready


def setup_django(*, migrate: bool = True, static: bool = False) -> None:
    """django.setup() on the fresh database; migrate it (and collect static files)."""
    import django

    django.setup()
    from django.core.management import call_command

    if migrate:
        call_command("migrate", interactive=False, verbosity=0)
    if static:
        call_command("collectstatic", interactive=False, verbosity=0)


def wait_for_quiet(*, threshold: float | None = None, max_wait: float = 300.0) -> float:
    """Wait (up to ``max_wait`` s) until the 1-minute load average falls below
    ``threshold`` (default: half the cores): other work on the machine skews timings.
    Returns the load average when it stops waiting."""
    limit = threshold if threshold is not None else (os.cpu_count() or 2) / 2
    deadline = time.monotonic() + max_wait
    while (load := os.getloadavg()[0]) >= limit and time.monotonic() < deadline:
        time.sleep(10)
    return load


# --- Environment --------------------------------------------------------------


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def _memory_gib() -> float | None:
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                return round(int(line.split()[1]) / 1024 / 1024, 1)
    except OSError:
        pass
    return None


def _git() -> dict[str, object]:
    def run(*args: str) -> str:
        try:
            return subprocess.run(
                ["git", *args], cwd=ROOT, capture_output=True, text=True, timeout=10
            ).stdout.strip()
        except (OSError, subprocess.TimeoutExpired):
            return ""

    return {
        "commit": run("rev-parse", "--short=12", "HEAD"),
        "dirty": bool(run("status", "--porcelain")),
    }


def environment() -> dict[str, object]:
    """Python, Django, CPU, engine and server version, git commit (after setup_django)."""
    import django
    from django.db import connection

    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("select sqlite_version()")
            server = "SQLite " + cursor.fetchone()[0]
        else:
            cursor.execute("show server_version")
            server = "PostgreSQL " + cursor.fetchone()[0].split()[0]
    return {
        "python": platform.python_version(),
        "django": django.get_version(),
        "platform": platform.platform(terse=True),
        "cpu": _cpu_model(),
        "cores": os.cpu_count(),
        "memory_gib": _memory_gib(),
        "engine": connection.vendor,
        "server": server,
        "git": _git(),
        "when": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        # Other work on the machine skews timings; 1/5/15-minute load before the run.
        "load_before": [round(x, 2) for x in _LOAD_BEFORE],
    }


# --- Timing and statistics ----------------------------------------------------


def time_runs(
    fn: Callable[[], object],
    *,
    runs: int,
    warmup: int = 0,
    before: Callable[[], object] | None = None,
) -> list[float]:
    """Wall seconds of ``runs`` calls of ``fn``; ``before`` runs untimed before each."""
    samples = []
    for i in range(warmup + runs):
        if before is not None:
            before()
        started = time.perf_counter()
        fn()
        elapsed = time.perf_counter() - started
        if i >= warmup:
            samples.append(elapsed)
    return samples


def percentile(samples: list[float], q: float) -> float:
    """Linear interpolation between closest ranks (numpy's default)."""
    ordered = sorted(samples)
    if not ordered:
        return float("nan")
    pos = (len(ordered) - 1) * q / 100
    low = int(pos)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (pos - low)


def summary(samples: list[float]) -> dict[str, float]:
    return {
        "n": len(samples),
        "median": statistics.median(samples) if samples else float("nan"),
        "p50": percentile(samples, 50),
        "p95": percentile(samples, 95),
        "p99": percentile(samples, 99),
        "min": min(samples) if samples else float("nan"),
        "max": max(samples) if samples else float("nan"),
    }


@contextlib.contextmanager
def sql_timer() -> Iterator[dict]:
    """Count the default connection's queries and sum their wall time (perf_counter; the
    test utilities' per-query times are rounded to the millisecond). Yields
    ``{"queries": n, "seconds": s, "statements": [(seconds, sql), ...]}``."""
    from django.db import connection

    stats: dict = {"queries": 0, "seconds": 0.0, "statements": []}

    def wrapper(execute, sql, params, many, context):
        began = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            elapsed = time.perf_counter() - began
            stats["queries"] += 1
            stats["seconds"] += elapsed
            stats["statements"].append((elapsed, sql))

    with connection.execute_wrapper(wrapper):
        yield stats


# --- Records ------------------------------------------------------------------


@dataclass
class Case:
    """One measured thing and its baseline, in the same unit."""

    name: str
    size: str
    unit: str  # "s", "ms", "req/s"
    samples: list[float]
    baseline: str
    baseline_samples: list[float]
    notes: str = ""
    extra: dict[str, object] = field(default_factory=dict)

    def as_record(self) -> dict[str, object]:
        stats, base = summary(self.samples), summary(self.baseline_samples)
        ratio = stats["median"] / base["median"] if base["median"] else float("nan")
        keep = self.samples if len(self.samples) <= 50 else []
        keep_base = self.baseline_samples if len(self.baseline_samples) <= 50 else []
        return {
            **asdict(self),
            "samples": keep,
            "baseline_samples": keep_base,
            "stats": stats,
            "baseline_stats": base,
            "ratio": ratio,
        }


def record(
    bench_id: str,
    engine: str,
    *,
    title: str,
    description: str,
    cases: list[Case],
    notes: list[str] | None = None,
    started: float | None = None,
    quick: bool = False,
) -> Path:
    """Write bench/out/<id>-<engine>.json (environment included) and return its path."""
    OUT.mkdir(parents=True, exist_ok=True)
    path = OUT / f"{bench_id}-{engine}{'-quick' if quick else ''}.json"
    data = {
        "id": bench_id,
        "engine": engine,
        "quick": quick,
        "title": title,
        "description": description,
        "environment": environment(),
        "cases": [c.as_record() for c in cases],
        "notes": notes or [],
        "seconds": round(time.perf_counter() - started, 1) if started else None,
    }
    path.write_text(json.dumps(data, ensure_ascii=False, indent=2, default=str) + "\n")
    print(f"recorded {path.relative_to(ROOT)}")
    return path


# --- The report ---------------------------------------------------------------


def _fmt(value: float, unit: str) -> str:
    if value != value:  # NaN
        return "—"
    if unit == "s":
        return f"{value:.2f} s" if value >= 1 else f"{value * 1000:.1f} ms"
    if unit == "ms":
        return f"{value:.1f} ms"
    if unit == "req/s":
        return f"{value:,.0f}/s"
    return f"{value:.3g} {unit}"


def _kept_sections(fresh: set[str]) -> dict[str, str]:
    """The current report's sections of benchmarks with no record in bench/out (the
    records are not in git: a run of some benchmarks keeps the others' figures), each
    marked once with the environment line of the report it came from."""
    if not REPORT.exists():
        return {}
    text = REPORT.read_text()
    head, *parts = re.split(r"(?m)^(?=## )", text)
    env = next((line for line in head.splitlines() if line.startswith("Environment:")), "")
    kept = {}
    for part in parts:
        found = re.match(r"## .*\(`([^`]+)`\)\s*$", part.splitlines()[0])
        if found is None or found.group(1) in fresh:
            continue
        section = part.strip()
        if env and "_Kept from an earlier report" not in section:
            section += f"\n\n_Kept from an earlier report ({env.removeprefix('Environment: ')})_"
        kept[found.group(1)] = section
    return kept


def render_markdown(*, include_quick: bool = False) -> Path:
    """BENCHMARKS.md: per benchmark, a table over engines and cases, then notes."""
    files = sorted(OUT.glob("*.json"))
    records = [json.loads(f.read_text()) for f in files]
    records = [r for r in records if include_quick or not r.get("quick")]
    by_id: dict[str, list[dict]] = {}
    for rec in records:
        by_id.setdefault(rec["id"], []).append(rec)
    lines = [
        "# Benchmarks",
        "",
        "Generated by `python -m bench.run_all` (`make bench`) from `bench/out/*.json`; do not "
        "edit by hand. Each case is measured against a baseline **in the same run on the same "
        "engine**. *Ratio* = case median ÷ baseline median: for times, how many times slower "
        "than the baseline; for throughput, the share of the baseline's throughput. Times are "
        "wall-clock; p50/p95/p99 are over runs (loads) or over every request (HTTP).",
        "",
    ]
    envs = [r["environment"] for recs in by_id.values() for r in recs]
    if envs:
        env = envs[0]
        servers = sorted({e["server"] for e in envs})
        commits = sorted(
            {
                e["git"]["commit"] + (" (uncommitted changes)" if e["git"]["dirty"] else "")
                for e in envs
            }
        )
        lines += [
            f"Environment: {env['cpu']}, {env['cores']} cores, {env['memory_gib']} GiB; "
            f"{env['platform']}; Python {env['python']}, Django {env['django']}; "
            f"{', '.join(servers)}; commit {', '.join(commits)}; "
            f"measured {min(e['when'] for e in envs)} – {max(e['when'] for e in envs)}.",
            "",
        ]
    kept = _kept_sections(set(by_id))
    for bench_id in sorted(set(by_id) | set(kept)):
        if bench_id not in by_id:
            lines += [kept[bench_id], ""]
            continue
        recs = by_id[bench_id]
        recs.sort(key=lambda r: ENGINES.index(r["engine"]) if r["engine"] in ENGINES else 9)
        first = recs[0]
        lines += [f"## {first['title']} (`{bench_id}`)", "", first["description"], ""]
        lines += [
            "| case | engine | size | runs / n | median | p50 | p95 | p99 | baseline | baseline median | ratio |",
            "|---|---|---|---:|---:|---:|---:|---:|---|---:|---:|",
        ]
        for rec in recs:
            for case in rec["cases"]:
                s, b, unit = case["stats"], case["baseline_stats"], case["unit"]
                lines.append(
                    f"| {case['name']} | {rec['environment']['server']} | {case['size']} | "
                    f"{s['n']} | {_fmt(s['median'], unit)} | {_fmt(s['p50'], unit)} | "
                    f"{_fmt(s['p95'], unit)} | {_fmt(s['p99'], unit)} | {case['baseline']} | "
                    f"{_fmt(b['median'], unit)} | {case['ratio']:.2f}× |"
                )
        notes = [
            f"{rec['environment']['server']}: {n}" for rec in recs for n in rec.get("notes", [])
        ]
        notes += [
            f"{rec['environment']['server']}: {case['name']}: {case['notes']}"
            for rec in recs
            for case in rec["cases"]
            if case.get("notes")
        ]
        if notes:
            lines += ["", "Notes:", ""]
            lines += [f"- {note}" for note in dict.fromkeys(notes)]
        analysis = ROOT / "bench" / "notes" / f"{bench_id}.md"
        if analysis.exists():  # hand-written findings, kept next to the generated tables
            lines += ["", analysis.read_text().strip()]
        took = "; ".join(
            f"{r['environment']['server']} {r['seconds']:.0f} s (load average before: "
            f"{'/'.join(str(x) for x in r['environment'].get('load_before', []))})"
            for r in recs
            if r.get("seconds")
        )
        if took:
            lines += ["", f"Benchmark wall time: {took}."]
        lines.append("")
    REPORT.write_text("\n".join(lines))
    print(f"wrote {REPORT.relative_to(ROOT)}")
    return REPORT


# --- Serving ------------------------------------------------------------------


def wait_for_workers(port: int, workers: int = 2, timeout: float = 60.0) -> None:
    """Until ``workers`` distinct processes have answered /bench/worker/ (bench/urls.py):
    gunicorn binds its port before the workers have loaded Django."""
    import concurrent.futures
    import http.client

    def ask(_: int) -> str:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        try:
            conn.request("GET", "/bench/worker/")
            response = conn.getresponse()
            return response.read().decode() if response.status == 200 else ""
        finally:
            conn.close()

    seen: set[str] = set()
    deadline = time.monotonic() + timeout
    with concurrent.futures.ThreadPoolExecutor(workers * 2) as pool:
        while len(seen) < workers:
            if time.monotonic() > deadline:
                raise RuntimeError(f"only {len(seen)} of {workers} gunicorn workers answered")
            seen |= set(pool.map(ask, range(workers * 4))) - {""}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextlib.contextmanager
def gunicorn(
    db: Database,
    *,
    workers: int = 2,
    settings: str = "bench.settings",
    log: Path | None = None,
    env: dict[str, str] | None = None,
) -> Iterator[int]:
    """gunicorn on a free loopback port with this database; yields the port.

    ``log``: a file that receives the server's stderr (appended), to grep afterwards.
    ``env``: more environment for the server (settings read from it)."""
    from gunicorn.config import KNOWN_SETTINGS

    port = free_port()
    cmd = [
        sys.executable,
        "-m",
        "gunicorn",
        "congvu.config.wsgi",
        "--workers",
        str(workers),
        "--bind",
        f"127.0.0.1:{port}",
        "--log-level",
        "warning",
        "--graceful-timeout",
        "5",
    ]
    if any(s.name == "control_socket_disable" for s in KNOWN_SETTINGS):
        cmd.append("--no-control-socket")  # one per user by default: parallel runs clash
    stderr = log.open("ab") if log is not None else None
    proc = subprocess.Popen(
        cmd, cwd=ROOT, env=db.env(DJANGO_SETTINGS_MODULE=settings, **(env or {})), stderr=stderr
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            with contextlib.suppress(OSError):
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            if proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("gunicorn did not start")
            time.sleep(0.2)
        yield port
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        if stderr is not None:
            stderr.close()
