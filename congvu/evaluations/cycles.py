"""Pure helpers of evaluation cycles: period bounds, the culture score and the period score.

The period score (ND 335/2025, ND 233/2026: 100 points = 30 general, of which public service
culture is part, + 70 task results, "with formulas a unit may set") is computed here as

    period score = culture % × culture points ÷ 100 + task points

where the culture % is the weighted share of the catalogue's maximum the official reached and
``culture points`` (default 30, the whole general part [U]) is a setting of the cycle; the task
points (0 to 100 − culture points) are entered with the self-assessment and reviewed like any
score. Scores are kept to two decimals, cut and not rounded (as ``rules.display_score``), so
that no score crosses a threshold by rounding. See docs/evaluations.md.
"""

import calendar
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from fractions import Fraction
from math import floor

from congvu.evaluations.regimes import LEVEL_NAMES

YEAR, QUARTER, MONTH = "year", "quarter", "month"
PERIOD_KINDS: dict[str, str] = {YEAR: "Năm", QUARTER: "Quý", MONTH: "Tháng"}
UNPOINTED_MAX = Decimal(10)
"""The scale of a criterion without points (no shipped catalogue gives points): 0 to 10."""
DEFAULT_CULTURE_POINTS = Decimal(30)
HUNDRED = Decimal(100)
COLLECTIVE_THRESHOLDS: tuple[tuple[str, Decimal], ...] = (
    ("HTXS", Decimal(90)),
    ("HTT", Decimal(70)),
    ("HTNV", Decimal(50)),
)
COLLECTIVE_SOURCE = (
    "[U] Xếp loại tập thể theo thang điểm như cá nhân (Nghị định 335/2025/NĐ-CP: từ 90, 70, "
    "50 điểm); kết quả do Sở Nội vụ kết luận"
)


def period_bounds(kind: str, year: int, number: int | None) -> tuple[date, date]:
    """First and last day of the period (both inclusive)."""
    if kind == YEAR:
        if number is not None:
            raise ValueError("a yearly period has no number")
        return date(year, 1, 1), date(year, 12, 31)
    if kind == QUARTER:
        if number is None or not 1 <= number <= 4:
            raise ValueError("quarter must be 1 to 4")
        first = 3 * (number - 1) + 1
        return date(year, first, 1), date(year, first + 2, calendar.monthrange(year, first + 2)[1])
    if kind == MONTH:
        if number is None or not 1 <= number <= 12:
            raise ValueError("month must be 1 to 12")
        return date(year, number, 1), date(year, number, calendar.monthrange(year, number)[1])
    raise ValueError(f"unknown period kind {kind!r}")


def period_label(kind: str, year: int, number: int | None) -> str:
    """ "Năm 2026", "Quý III/2026", "Tháng 11/2026"."""
    if kind == YEAR:
        return f"Năm {year}"
    if kind == QUARTER:
        return f"Quý {('I', 'II', 'III', 'IV')[(number or 1) - 1]}/{year}"
    return f"Tháng {number}/{year}"


def months_worked(started: date | None, year: int, period_end: date) -> int:
    """Whole months of service in ``year`` up to ``period_end``, for the 6-month rule.

    Service counts from ``started`` (the first day in any unit: transfers do not interrupt
    it); a month begun on its first day counts. None (unknown) counts the whole period.
    """
    first = date(year, 1, 1) if started is None else max(started, date(year, 1, 1))
    if first > period_end:
        return 0
    months = (period_end.year - first.year) * 12 + period_end.month - first.month
    if first.day == 1:
        months += 1
    return max(0, min(12, months))


def cut(value: Fraction | Decimal, places: int = 2) -> Decimal:
    """``value`` cut (towards zero for scores, which are never negative) to ``places`` decimals."""
    return Decimal(floor(Fraction(value) * 10**places)).scaleb(-places)


def criterion_max(points: Decimal | None) -> Decimal:
    """The highest score of a leaf: its points, or the 0–10 scale when it has none."""
    return points if points is not None else UNPOINTED_MAX


def criterion_weight(points: Decimal | None, weight: Decimal) -> Decimal:
    """What a leaf weighs in the culture %: its points when it has them (so that a scored
    catalogue adds up as written), else its weight."""
    return points if points is not None else weight


@dataclass(frozen=True, slots=True)
class Leaf:
    """An assessable criterion as the score needs it."""

    criterion_id: int
    points: Decimal | None
    weight: Decimal


def culture_fraction(scored: Iterable[tuple[Leaf, Decimal]]) -> Fraction:
    """The exact culture share 0–1: Σ weight × score ÷ max over Σ weight of the leaves given."""
    total, reached = Fraction(0), Fraction(0)
    for leaf, score in scored:
        weight = Fraction(criterion_weight(leaf.points, leaf.weight))
        total += weight
        reached += weight * Fraction(score) / Fraction(criterion_max(leaf.points))
    if total == 0:
        return Fraction(0)
    return reached / total


def culture_score(share: Fraction) -> Decimal:
    """The culture % shown and stored (0–100, two decimals, cut)."""
    return cut(share * 100)


def task_max(culture_points: Decimal) -> Decimal:
    return HUNDRED - culture_points


def period_score(share: Fraction, culture_points: Decimal, task_points: Decimal | None) -> Decimal:
    """The period's points out of 100 (two decimals, cut)."""
    value = share * Fraction(culture_points) + Fraction(task_points or 0)
    return cut(value)


def collective_level(score: Decimal) -> tuple[str, str]:
    """The level of a unit's own assessment from its score, and the reason text [U]."""
    for level, minimum in COLLECTIVE_THRESHOLDS:
        if score >= minimum:
            return level, f"Điểm tự đánh giá của tập thể {score}: mức {LEVEL_NAMES[level]}."
    return "KHT", f"Điểm tự đánh giá của tập thể {score}: mức {LEVEL_NAMES['KHT']}."
