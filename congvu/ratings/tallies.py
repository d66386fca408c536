"""Keeping the pre-aggregated tallies in step with counted ratings.

Every counted rating adds to six rows at most: its unit, desk and official, each per month
and per year (the two grains the indexes read: a month or a quarter from the months, a
year from its one row). The upsert ``INSERT … ON CONFLICT DO UPDATE SET col = col +
excluded.col`` is the same SQL on SQLite (≥ 3.24) and PostgreSQL, sent as one
``executemany`` of a one-row statement (psycopg pipelines it; a many-row statement would
be re-parsed for every batch), in a fixed key order so that two workers adding to the same
rows lock them alike and never lose an increment.
"""

import functools
from collections import defaultdict
from collections.abc import Iterable
from datetime import date

from django.db import connection
from django.db.models import Count, DateField, F, Q, Sum
from django.db.models.functions import TruncMonth, TruncYear

from congvu.core.bulk import insert_many
from congvu.ratings import rules
from congvu.ratings.models import TALLY_COLUMNS, Grain, Level, Rating, RatingStatus, RatingTally

Key = tuple[str, str, int, date]  # grain, level, key id, period

LEVEL_FIELDS = ((Level.UNIT, "unit_id"), (Level.DESK, "desk_id"), (Level.STAFF, "staff_id"))
GRAIN_TRUNC = ((Grain.MONTH, TruncMonth), (Grain.YEAR, TruncYear))


def _tally_values(tally: rules.Tally) -> tuple[int, ...]:
    return (tally.n, tally.score_sum, *tally.stars, *tally.yes, *tally.no)


def tally_from_row(row: dict) -> rules.Tally:
    """A rules.Tally from a row (or an aggregate) holding the TALLY_COLUMNS."""
    return tally_from_values([row[column] for column in TALLY_COLUMNS])


def tally_from_values(values) -> rules.Tally:
    """A rules.Tally from the TALLY_COLUMNS' values in their order (None counts as 0)."""
    v = [value or 0 for value in values]
    k = len(rules.CONDUCT_CODES)
    return rules.Tally(v[0], v[1], tuple(v[2:7]), tuple(v[7 : 7 + k]), tuple(v[7 + k :]))  # type: ignore[arg-type]


def sums() -> dict[str, Sum]:
    """Aggregate expressions summing every tally column (for selectors)."""
    return {column: Sum(column) for column in TALLY_COLUMNS}


def period_of(grain: str, day: date) -> date:
    return rules.month_start(day) if grain == Grain.MONTH else date(day.year, 1, 1)


def keys_of(*, desk_id: int | None, unit_id: int, staff_id: int | None, day: date) -> list[Key]:
    ids = {"unit_id": unit_id, "desk_id": desk_id, "staff_id": staff_id}
    return [
        (grain, level, ids[field], period_of(grain, day))
        for grain, _trunc in GRAIN_TRUNC
        for level, field in LEVEL_FIELDS
        if ids[field] is not None
    ]


@functools.cache
def upsert_sql(rows: int = 1) -> str:
    """``INSERT … VALUES`` of ``rows`` tally rows ``ON CONFLICT`` adding to the stored ones."""
    q = connection.ops.quote_name
    table = q(RatingTally._meta.db_table)
    columns = ["grain", "level", "key_id", "period", *TALLY_COLUMNS]
    updates = ", ".join(f"{q(c)} = {table}.{q(c)} + excluded.{q(c)}" for c in TALLY_COLUMNS)
    row = f"({', '.join(['%s'] * len(columns))})"
    return (
        f"INSERT INTO {table} ({', '.join(q(c) for c in columns)}) "  # noqa: S608 (names from the model)
        f"VALUES {', '.join([row] * rows)} "
        f"ON CONFLICT (grain, level, key_id, period) DO UPDATE SET {updates}"
    )


def tally_rows(ratings: Iterable[Rating]) -> list[tuple]:
    """The tally rows that counted ``ratings`` add, in a fixed key order (concurrent
    writers lock rows alike), ready as parameters of ``upsert_sql``."""
    batch: dict[Key, rules.Tally] = defaultdict(rules.Tally)
    for rating in ratings:
        one = rules.Tally.of(rating.score, rating.conduct_yes, rating.conduct_no)
        for key in keys_of(
            desk_id=rating.desk_id, unit_id=rating.unit_id, staff_id=rating.staff_id, day=rating.day
        ):
            batch[key] = batch[key] + one
    adapt = connection.ops.adapt_datefield_value
    return [
        (str(grain), str(level), key_id, adapt(period), *_tally_values(tally))
        for (grain, level, key_id, period), tally in sorted(batch.items())
    ]


def tallies_add(ratings: Iterable[Rating]) -> None:
    """Add counted ratings to the tallies (call inside the transaction that counts them)."""
    rows = tally_rows(ratings)
    if rows:
        with connection.cursor() as cursor:
            cursor.executemany(upsert_sql(), rows)


def _aggregates() -> dict:
    """Every tally column as an aggregate over ratings (conduct items from their bits)."""
    found: dict = {"n": Count("id"), "score_sum": Sum("score")}
    for star in range(1, 6):
        found[f"n{star}"] = Count("id", filter=Q(score=star))
    for code in rules.CONDUCT_CODES:
        bit = rules.BIT[code]
        found[f"yes_{code}"] = Sum(F("conduct_yes").bitand(bit))
        found[f"no_{code}"] = Sum(F("conduct_no").bitand(bit))
    return found


def tallies_rebuild() -> int:
    """Recompute every tally from the counted ratings (after a repair or a formula change),
    one GROUP BY per grain and level. Returns the number of tally rows. Run inside a
    transaction."""
    RatingTally.objects.all().delete()
    counted = Rating.objects.filter(status=RatingStatus.COUNTED)
    aggregates = _aggregates()
    bits = {
        f"{side}_{code}": rules.BIT[code] for code in rules.CONDUCT_CODES for side in ("yes", "no")
    }
    total = 0
    for grain, trunc in GRAIN_TRUNC:
        for level, field in LEVEL_FIELDS:
            rows = (
                counted.exclude(**{f"{field}__isnull": True})
                .annotate(tally_period=trunc("day", output_field=DateField()))
                .values(field, "tally_period")
                .annotate(**aggregates)
                .order_by()
            )
            found = [
                {
                    "grain": str(grain),
                    "level": str(level),
                    "key_id": row[field],
                    "period": row["tally_period"],
                    **{c: (row[c] or 0) // bits.get(c, 1) for c in TALLY_COLUMNS},
                }
                for row in rows.iterator(chunk_size=10000)
            ]
            insert_many(RatingTally, found)
            total += len(found)
    return total
