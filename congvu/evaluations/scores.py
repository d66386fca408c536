"""Task-result points (max 70) of a monthly or quarterly evaluation: pure helpers.

ND 335/2025 (docs/legal/evaluation.md#e-6): quantity % = completed ÷ assigned; quality % and
progress % per item, minus 25% of the item's score for each failed check or delay (unless the
cause is objective and confirmed); non-leaders (a+b+c)/3 × 70 — the exact combination is
printed as an image in the decree and is [U], hence the dated setting
``<regime>.task_formula``. ND 233/2026 leaves the formula to each unit's regulation
(Art 12.5); the same default is used there [U].
"""

from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from decimal import Decimal

from congvu.evaluations import regimes

TASK_POINTS = Decimal(70)
HUNDRED = Decimal(100)


def item_pct(failures: int, deduction_pct: Decimal) -> Decimal:
    """One completed item's quality or progress %: 100 minus the deduction per failure, ≥ 0."""
    return max(Decimal(0), HUNDRED - deduction_pct * failures)


def quantity_pct(assigned: int, completed: int) -> Decimal:
    """Completed ÷ assigned, capped at 100% (ND 335/2025, by content)."""
    if assigned <= 0:
        raise ValueError("assigned must be positive")
    return min(HUNDRED, HUNDRED * completed / assigned)


def per_item_pct(
    assigned: int, failures_per_item: Iterable[int], deduction_pct: Decimal
) -> Decimal:
    """Quality (or progress) %: the completed items' own % summed over all items assigned.

    ``failures_per_item`` has one entry per item completed to standard (or on time): the
    number of failed checks (or delays) not excused as objective.
    """
    if assigned <= 0:
        raise ValueError("assigned must be positive")
    total = sum((item_pct(n, deduction_pct) for n in failures_per_item), Decimal(0))
    return min(HUNDRED, total / assigned)


def task_points(
    components: Sequence[Decimal],
    *,
    regime_code: str,
    day: date,
    overrides: Mapping[str, object] | None = None,
) -> Decimal:
    """Part II points from the component percentages (a, b, c; leaders add d, đ, e [U]).

    Formula "mean_abc": mean of the components × 70 / 100.
    """
    formula = regimes.setting_value(f"{regime_code}.task_formula", day, overrides)
    if formula != "mean_abc":
        raise ValueError(f"Unknown task formula {formula!r}")
    if not components:
        raise ValueError("no components")
    capped = [min(HUNDRED, max(Decimal(0), c)) for c in components]
    return sum(capped, Decimal(0)) / len(capped) * TASK_POINTS / HUNDRED


def leader_unit_result_pct(subordinate_levels: Iterable[str]) -> Decimal:
    """A leader's "unit operating results": 100% if every subordinate is HTNV or above,
    50% if any is KHT (ND 335/2025, leaders' components; docs/legal/evaluation.md#e-6 [C])."""
    return Decimal(50) if "KHT" in set(subordinate_levels) else HUNDRED
