"""Keeping the pre-aggregated tallies in step with counted ratings.

One multi-row ``INSERT … ON CONFLICT DO UPDATE SET col = col + excluded.col`` adds a batch
of ratings to every (grain, level, key, period) row they touch: the same SQL on SQLite
(≥ 3.24) and PostgreSQL, one statement per batch, so two workers adding to the same row
never lose an increment (the row lock, or SQLite's single writer, orders them).
"""

from collections import defaultdict
from collections.abc import Iterable
from datetime import date

from django.db import connection
from django.db.models import Sum

from congvu.ratings import rules
from congvu.ratings.models import TALLY_COLUMNS, Grain, Level, Rating, RatingStatus, RatingTally

Key = tuple[str, str, int, date]  # grain, level, key id, period


def _tally_values(tally: rules.Tally) -> tuple[int, ...]:
    return (tally.n, tally.score_sum, *tally.stars, *tally.yes, *tally.no)


def tally_from_row(row: dict) -> rules.Tally:
    """A rules.Tally from a row (or an aggregate) holding the TALLY_COLUMNS."""
    codes = rules.CONDUCT_CODES
    return rules.Tally(
        n=row["n"] or 0,
        score_sum=row["score_sum"] or 0,
        stars=tuple(row[f"n{i}"] or 0 for i in range(1, 6)),  # type: ignore[arg-type]
        yes=tuple(row[f"yes_{c}"] or 0 for c in codes),
        no=tuple(row[f"no_{c}"] or 0 for c in codes),
    )


def sums() -> dict[str, Sum]:
    """Aggregate expressions summing every tally column (for selectors)."""
    return {column: Sum(column) for column in TALLY_COLUMNS}


def keys_of(*, desk_id: int | None, unit_id: int, staff_id: int | None, day: date) -> list[Key]:
    month = rules.month_start(day)
    keys: list[Key] = []
    for grain, period in ((Grain.DAY, day), (Grain.MONTH, month)):
        keys.append((grain, Level.UNIT, unit_id, period))
        if desk_id is not None:
            keys.append((grain, Level.DESK, desk_id, period))
        if staff_id is not None:
            keys.append((grain, Level.STAFF, staff_id, period))
    return keys


def tallies_add(ratings: Iterable[Rating]) -> None:
    """Add counted ratings to the tallies (call inside the transaction that counts them)."""
    batch: dict[Key, rules.Tally] = defaultdict(rules.Tally)
    for rating in ratings:
        one = rules.Tally.of(rating.score, rating.conduct_yes, rating.conduct_no)
        for key in keys_of(
            desk_id=rating.desk_id, unit_id=rating.unit_id, staff_id=rating.staff_id, day=rating.day
        ):
            batch[key] = batch[key] + one
    _upsert(batch)


def _upsert(batch: dict[Key, rules.Tally], chunk: int = 200) -> None:
    if not batch:
        return
    table = connection.ops.quote_name(RatingTally._meta.db_table)
    q = connection.ops.quote_name
    columns = ["grain", "level", "key_id", "period", *TALLY_COLUMNS]
    row_sql = "(" + ", ".join(["%s"] * len(columns)) + ")"
    updates = ", ".join(f"{q(c)} = {table}.{q(c)} + excluded.{q(c)}" for c in TALLY_COLUMNS)
    items = sorted(batch.items())  # a fixed order: concurrent batches lock rows alike
    with connection.cursor() as cursor:
        for start in range(0, len(items), chunk):
            part = items[start : start + chunk]
            params: list[object] = []
            for (grain, level, key_id, period), tally in part:
                params += [str(grain), str(level), key_id, period, *_tally_values(tally)]
            cursor.execute(
                f"INSERT INTO {table} ({', '.join(q(c) for c in columns)}) "  # noqa: S608 (names from the model)
                f"VALUES {', '.join([row_sql] * len(part))} "
                f"ON CONFLICT (grain, level, key_id, period) DO UPDATE SET {updates}",
                params,
            )


def tallies_rebuild() -> int:
    """Recompute every tally from the counted ratings (after a repair or a formula change).
    Returns the number of tally rows. Run inside a transaction."""
    RatingTally.objects.all().delete()
    counted = Rating.objects.filter(status=RatingStatus.COUNTED).only(
        "score", "conduct_yes", "conduct_no", "desk_id", "unit_id", "staff_id", "day"
    )
    batch: dict[Key, rules.Tally] = defaultdict(rules.Tally)
    for rating in counted.iterator(chunk_size=5000):
        one = rules.Tally.of(rating.score, rating.conduct_yes, rating.conduct_no)
        for key in keys_of(
            desk_id=rating.desk_id, unit_id=rating.unit_id, staff_id=rating.staff_id, day=rating.day
        ):
            batch[key] = batch[key] + one
    _upsert(batch)
    return len(batch)
