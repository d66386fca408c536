"""Run every benchmark on each engine, each in its own process, then write BENCHMARKS.md.

    python -m bench.run_all [--quick] [--engine sqlite|postgres|both] [--only demo_load,...]

A process per (benchmark, engine) keeps the settings fresh: they read the database
from the environment once. PostgreSQL runs are skipped (and said so) when no server
answers at $BENCH_PG_URL.
"""

import argparse
import subprocess
import sys
import time

from bench import harness

BENCHMARKS = {
    "demo_load": "bench.bench_demo",
    "staff_list": "bench.bench_staff_list",
    "staff_import": "bench.bench_import",
    "close_cycle": "bench.bench_close_cycle",
    "ratings": "bench.bench_ratings",
    "dashboard": "bench.bench_dashboard",
    "exports": "bench.bench_export",
    "plan_report": "bench.bench_plan_report",
    "plan_export": "bench.bench_plan_export",
    "violation_stats": "bench.bench_violation_stats",
    "eligibility": "bench.bench_eligibility",
}
LIMIT_SECONDS = 10 * 60  # QUALITY.md: each benchmark ≤ 10 min


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="small sizes, few runs")
    parser.add_argument("--engine", choices=[*harness.ENGINES, "both"], default="both")
    parser.add_argument("--only", default="", help="comma-separated benchmark ids")
    parser.add_argument(
        "--wait-quiet",
        type=float,
        default=300,
        metavar="SECONDS",
        help="before each benchmark, wait up to this long for a quiet machine (0: never)",
    )
    args = parser.parse_args(argv)
    engines = list(harness.ENGINES) if args.engine == "both" else [args.engine]
    if "postgres" in engines and not harness.pg_available():
        print(f"PostgreSQL not reachable at {harness.PG_ADMIN_URL}: skipped")
        engines.remove("postgres")
    wanted = [b for b in args.only.split(",") if b] or list(BENCHMARKS)
    failures = []
    for bench_id in wanted:
        for engine in engines:
            cmd = [sys.executable, "-m", BENCHMARKS[bench_id], "--engine", engine]
            cmd += ["--quick"] if args.quick else []
            if args.wait_quiet:
                load = harness.wait_for_quiet(max_wait=args.wait_quiet)
                print(f"   1-minute load average {load:.2f}", flush=True)
            print(f"== {bench_id} on {engine}", flush=True)
            began = time.perf_counter()
            try:
                done = subprocess.run(cmd, cwd=harness.ROOT, timeout=LIMIT_SECONDS + 60)
                ok = done.returncode == 0
            except subprocess.TimeoutExpired:
                ok = False
            took = time.perf_counter() - began
            print(f"   {'ok' if ok else 'FAILED'} in {took:.0f} s", flush=True)
            if not ok or took > LIMIT_SECONDS:
                failures.append(f"{bench_id}/{engine}")
    harness.render_markdown(include_quick=args.quick)
    if failures:
        print("failed or over 10 min: " + ", ".join(failures))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
