"""Benchmarks (QUALITY.md): each one runs in its own process per engine.

    python -m bench.run_all [--quick] [--engine sqlite|postgres|both]
    python -m bench.bench_demo --engine sqlite --quick

Results go to bench/out/<id>-<engine>.json and are rendered into BENCHMARKS.md.
"""
