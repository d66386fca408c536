"""Importing 50,000 staff from Excel: ``importing.import_workbook(kind="staff")``.

The demo province (3,000 staff) is loaded first so that units and the Sở Nội vụ
officer exist; the officer imports a 50,000-row .xlsx in the import template's
layout (every row valid, all rows written in one transaction with memberships and
history). Baseline: openpyxl reading the same file bare (read_only, iter_rows).
"""

import time
from datetime import date
from pathlib import Path

from bench import harness

ID = "staff_import"
TITLE = "Staff import from Excel"
PREFIX = "NK"


def write_workbook(path: Path, size: int) -> float:
    """The rows of ``size`` invented people, in the staff import layout; returns seconds."""
    from openpyxl import Workbook

    from congvu.accounts.models import User
    from congvu.core import permissions
    from congvu.core.permissions import Action
    from congvu.organisations.demo_data import catalogue
    from congvu.organisations.demo_people import people
    from congvu.organisations.import_rules import STAFF_COLUMNS
    from congvu.organisations.models import Gender, StaffCategory, Unit

    began = time.perf_counter()
    officer = User.objects.get(username="sonoivu")
    scope = permissions.unit_scope(officer, Action.STAFF_IMPORT)
    allowed = set(
        Unit.objects.filter(valid_to__isnull=True, pk__in=scope).values_list("code", flat=True)
    )
    renamed = {op.preds[0]: op.code for op in catalogue().ops if op.kind == "rename"}
    genders, categories = dict(Gender.choices), dict(StaffCategory.choices)
    persons, _ = people(catalogue(), size, 2)
    book = Workbook(write_only=True)
    sheet = book.create_sheet("Cán bộ")
    sheet.append([c.header for c in STAFF_COLUMNS])
    for i, p in enumerate(persons, start=1):
        unit = renamed.get(p.unit, p.unit)
        unit = unit if unit in allowed else "KHA-VP"
        day: date = p.segments[-1].valid_from
        sheet.append(
            [
                f"{PREFIX}{i:06d}",
                p.ho,
                p.dem,
                p.ten,
                genders[p.gender],
                p.birth_year,
                categories[p.category],
                p.position,
                "Có" if p.is_leader else "Không",
                unit,
                day.strftime("%d/%m/%Y"),
            ]
        )
    book.save(path)
    return time.perf_counter() - began


def read_bare(path: Path) -> int:
    from openpyxl import load_workbook

    book = load_workbook(path, read_only=True, data_only=True)
    rows = sum(1 for _ in book.worksheets[0].iter_rows(values_only=True))
    book.close()
    return rows


def remove_imported() -> None:
    from congvu.organisations.models import Membership, Staff

    Membership.objects.filter(staff__code__startswith=PREFIX)._raw_delete("default")
    Staff.objects.filter(code__startswith=PREFIX)._raw_delete("default")


def main(argv: list[str] | None = None) -> None:
    args = harness.parse_args(__doc__, argv)
    size = 3000 if args.quick else 50_000
    runs = 3
    started = time.perf_counter()
    with harness.fresh_database(args.engine, ID) as db:
        harness.setup_django()
        from congvu.accounts.models import User
        from congvu.organisations import demo

        demo.demo_load(staff=3000, seed=1)
        path = db.var_dir / f"nhap-can-bo-{size}.xlsx"
        wrote = write_workbook(path, size)
        label = f"{size:,} rows"
        notes = [
            f"The file: {path.stat().st_size / 1024 / 1024:.1f} MB, written by openpyxl "
            f"(write-only) in {wrote:.1f} s (not timed). Between runs the imported rows are "
            "deleted (not timed)."
        ]
        baseline = harness.time_runs(lambda: read_bare(path), runs=5, warmup=1)
        cases = []
        try:
            from congvu.organisations.importing import import_workbook
        except ImportError:
            import_workbook = None
            notes.append("congvu.organisations.importing is not there yet: import not measured.")
        if import_workbook is not None:
            officer = User.objects.get(username="sonoivu")
            outcomes = []

            def run() -> None:
                outcomes.append(import_workbook(actor=officer, kind="staff", path=path))

            samples = harness.time_runs(run, runs=runs, before=remove_imported)
            last = outcomes[-1]
            if last.imported != size or last.errors:
                notes.append(
                    f"Import did not write every row: imported {last.imported}, "
                    f"bad rows {last.errors}, message: {last.message}"
                )
            per_row = size / min(samples)
            cases.append(
                harness.Case(
                    '`import_workbook(kind="staff")` (check + write)',
                    label,
                    "s",
                    samples,
                    "openpyxl read-only iter_rows of the same file",
                    baseline,
                    notes=f"{last.imported:,} rows imported per run, {per_row:,.0f} rows/s at best",
                )
            )
        harness.record(
            ID,
            args.engine,
            title=TITLE,
            description=__doc__.strip().split("\n\n", 1)[1],
            cases=cases,
            notes=notes,
            started=started,
            quick=args.quick,
        )


if __name__ == "__main__":
    main()
