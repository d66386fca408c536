"""A whole cycle's classification in a few set-based queries: the levels per unit and the
HTXS cap per unit and group, for Sở Nội vụ before and while the councils conclude (B3).

The council concludes one unit at a time through ``classification.classify_evaluations``,
which gives every reason of every person from the pure rules. Here the database does the
plain cases in bulk: the points-weighted culture share, the period score and the level by
the regime's thresholds (``Regime.thresholds``, the same data ``rules.classify_points``
reads), grouped and counted in SQL. Everyone the thresholds alone cannot decide goes
through the pure rules instead, row by row: a regime that does not score by points, a
category the regime does not plainly cover, months worked under the regime's minimum,
absences the regime limits, heads, any circumstance flag, any discipline record, earlier
monthly or quarterly results for a yearly cycle. The comparison with a threshold is exact
(integer arithmetic, ``_Scale``). A test checks that both paths agree.
Concluded and published evaluations count with their stored level.
"""

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction
from math import lcm

from django.db import connection

from congvu.discipline.models import DisciplineRecord
from congvu.evaluations import classification, cycles, regimes, rules
from congvu.evaluations.models import CriterionScore, Evaluation, EvaluationCycle, Subject
from congvu.evaluations.workflow import State

PROJECTED = (State.REVIEWED,)
"""The states whose level is projected from the current scores (the council's next step)."""


@dataclass(frozen=True, slots=True)
class GroupCap:
    unit_id: int
    regime: str
    group: str
    htt: int
    htxs: int
    share: Decimal
    allowed: int
    must_change: int
    source: str

    @property
    def exceeded(self) -> bool:
        return self.htxs > self.allowed


@dataclass
class CycleSummary:
    levels: dict[int, Counter] = field(default_factory=dict)  # unit → level → n
    caps: list[GroupCap] = field(default_factory=list)
    by_rules: int = 0  # evaluations decided row by row by the pure rules
    problems: dict[int, str] = field(default_factory=dict)  # evaluation id → why not classified

    def exceeded(self) -> list[GroupCap]:
        return [c for c in self.caps if c.exceeded]

    def caps_of(self, unit_id: int) -> list[GroupCap]:
        return [c for c in self.caps if c.unit_id == unit_id]


def _q(name: str) -> str:
    return connection.ops.quote_name(name)


@dataclass(frozen=True, slots=True)
class _Scale:
    """Integer arithmetic for the exact comparison of a score with a threshold in SQL.

    A leaf's share factor is weight ÷ max; times D (the common denominator of all factors)
    it is an integer G. Scores, task points, culture points and thresholds have at most two
    decimals, so ×100 they are integers. With Σ weight = P ÷ Q over the leaves that apply
    (leaders or not), ``score ≥ t`` is exactly
    ``cp100 · Σ(s100 · G) · Q + task100 · 100 · D · P ≥ t100 · 100 · D · P``.
    """

    factors: tuple[tuple[int, int, int], ...]  # (criterion id, G for leaders, G for others)
    d: int
    leader: tuple[int, int]  # (P, Q)
    other: tuple[int, int]


def _scale(version_id: int) -> _Scale:
    leaves = classification.leaves_of(version_id).values()
    rows, den = [], {True: Fraction(0), False: Fraction(0)}
    for leaf in leaves:
        weight = Fraction(cycles.criterion_weight(leaf.points, leaf.weight))
        factor = weight / Fraction(leaf.maximum)
        applies = {lead: leaf.applies_to(collective=False, is_leader=lead) for lead in den}
        for lead, yes in applies.items():
            den[lead] += weight if yes else 0
        rows.append(
            (leaf.criterion_id, factor if applies[True] else 0, factor if applies[False] else 0)
        )
    d = lcm(*(Fraction(f).denominator for _, fl, fo in rows for f in (fl, fo))) if rows else 1
    factors = tuple((pk, int(fl * d), int(fo * d)) for pk, fl, fo in rows)

    def pq(value: Fraction) -> tuple[int, int]:
        return (value.numerator, value.denominator) if value else (1, 1)

    return _Scale(factors, d, pq(den[True]), pq(den[False]))


def _hundredths(value) -> int:
    scaled = Fraction(value) * 100
    if scaled.denominator != 1:
        raise ValueError(f"{value} has more than two decimals")
    return int(scaled)


def _odd_when(cycle: EvaluationCycle, regime: regimes.Regime) -> tuple[str, list]:
    """SQL: the rows of ``regime`` the thresholds alone cannot decide (see the module doc)."""
    day = regimes.year_end(cycle.year)
    if regime.method != "points" or not regime.thresholds:
        return "TRUE", []
    covered = sorted(c for c in regimes.CATEGORIES if regime.coverage_for(c, day))
    odd = [
        f"e.category NOT IN ({', '.join(['%s'] * len(covered)) or 'NULL'})",
        "COALESCE(e.months_worked, 12) < %s",
    ]
    params: list = [*covered, regimes.setting_value(f"{regime.code}.min_months_worked", day)]
    if regime.absence_limit:
        odd.append("e.months_absent >= %s")
        params.append(regimes.setting_value(f"{regime.code}.absence_limit_months", day))
    return " OR ".join(odd), params


def _earlier_cycles(cycle: EvaluationCycle) -> list[int]:
    """For a yearly cycle: the month and quarter cycles of the year with published scores."""
    if cycle.period_kind != cycles.YEAR:
        return []
    return sorted(
        Evaluation.objects.filter(
            state=State.PUBLISHED,
            period_score__isnull=False,
            cycle__subject=Subject.INDIVIDUAL,
            cycle__year=cycle.year,
            cycle__period_kind__in=(cycles.MONTH, cycles.QUARTER),
        )
        .order_by()
        .values_list("cycle_id", flat=True)
        .distinct()
    )


def _summary_query(cycle: EvaluationCycle, codes: list[str], unit_ids) -> tuple[str, list]:
    """SQL: per (unit, regime, group, level) the count of the rows decided in SQL (stored
    levels and plain rows), and each odd row's id with level ''."""
    ev, cs, dr, cy = (
        _q(m._meta.db_table)
        for m in (Evaluation, CriterionScore, DisciplineRecord, EvaluationCycle)
    )
    vendor_true = "TRUE" if connection.vendor == "postgresql" else "1"
    scale = _scale(cycle.catalogue_version_id)
    (pl, ql), (po, qo), d = scale.leader, scale.other, scale.d
    given = "CAST(ROUND(COALESCE(s.manager_score, s.self_score) * 100) AS BIGINT)"
    task = "CAST(ROUND(COALESCE(e.manager_task_points, e.self_task_points, 0) * 100) AS BIGINT)"
    cp = _hundredths(cycle.culture_points)
    where = "e.cycle_id = %s AND e.staff_id IS NOT NULL"
    where_params: list = [cycle.pk]
    if unit_ids is not None:
        where += f" AND e.unit_id IN ({', '.join(['%s'] * len(unit_ids)) or 'NULL'})"
        where_params += sorted(unit_ids)
    odd, odd_params, levels = [], [], []
    for code in codes:  # a row of an unknown regime gets no level: the rules report it
        regime = regimes.REGIMES[code]
        when, params = _odd_when(cycle, regime)
        odd.append(f"(e.regime = %s AND ({when}))")
        odd_params += [code, *params]
        if regime.method == "points" and regime.thresholds:
            steps = " ".join(
                f"WHEN lhs >= {_hundredths(t)} * base THEN '{name}'"
                for name, t in regime.thresholds
            )
            levels.append(f"WHEN regime = '{code}' THEN CASE {steps} ELSE 'KHT' END")
    # Each only when such rows exist at all (usually none): a list subquery per row costs.
    if DisciplineRecord.objects.exists():
        odd.append(f"e.staff_id IN (SELECT staff_id FROM {dr})")  # any discipline record
    odd.append(f"e.is_head = {vendor_true}")
    odd.append("e.flags <> " + ("'[]'::jsonb" if connection.vendor == "postgresql" else "'[]'"))
    earlier = _earlier_cycles(cycle)
    if earlier:  # a yearly score is the mean of the year's monthly or quarterly results
        odd.append(
            f"e.staff_id IN (SELECT e2.staff_id FROM {ev} e2 WHERE e2.cycle_id IN "
            f"({', '.join(['%s'] * len(earlier))}) AND e2.state = %s "
            "AND e2.period_score IS NOT NULL)"
        )
        odd_params += [*earlier, State.PUBLISHED]
    done = ", ".join(f"'{state}'" for state in classification.DONE)

    def factor(column: int) -> str:
        cases = " ".join(
            f"WHEN {row[0]} THEN {row[column]}" for row in scale.factors if row[column]
        )
        return f"CASE s.criterion_id {cases} ELSE 0 END" if cases else "0"

    sql = f"""
        SELECT unit_id, regime, grp, level, COUNT(*), MIN(id) FROM (
            SELECT id, unit_id, regime, grp,
                CASE WHEN state <> '{State.REVIEWED}' THEN final_level
                     WHEN odd = 1 THEN '' {" ".join(levels)} ELSE '' END AS level
            FROM (
                SELECT e.id, e.unit_id, e.regime, e.{_q("group")} AS grp, e.state, e.final_level,
                    CASE WHEN {" OR ".join(odd)} THEN 1 ELSE 0 END AS odd,
                    CASE WHEN e.is_leader = {vendor_true}
                         THEN {cp} * COALESCE(SUM({given} * {factor(1)}), 0) * {ql}
                              + {task} * {100 * d * pl}
                         ELSE {cp} * COALESCE(SUM({given} * {factor(2)}), 0) * {qo}
                              + {task} * {100 * d * po}
                    END AS lhs,
                    CASE WHEN e.is_leader = {vendor_true} THEN {100 * d * pl}
                         ELSE {100 * d * po} END AS base
                FROM {ev} e LEFT JOIN {cs} s ON s.evaluation_id = e.id
                WHERE {where} AND (e.state = '{State.REVIEWED}'
                                   OR (e.state IN ({done}) AND e.final_level <> ''))
                GROUP BY e.id
            ) scored
        ) levelled
        GROUP BY unit_id, regime, grp, level, CASE WHEN level = '' THEN id ELSE 0 END
    """
    return sql, odd_params + where_params


def cycle_summary(cycle: EvaluationCycle, *, unit_ids: set[int] | None = None) -> CycleSummary:
    """The levels and the HTXS cap of the individual evaluations of ``cycle`` (optionally of
    some units): stored levels for concluded and published ones, the projected level for
    those waiting on the council. One query for the rows SQL decides and a few for the rows
    the pure rules decide: the number of units or officials does not add queries."""
    summary = CycleSummary()
    counts: dict[tuple[int, str, str], Counter] = defaultdict(Counter)
    sql, params = _summary_query(cycle, sorted(regimes.REGIMES), unit_ids)
    odd: list[int] = []
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        for unit_id, code, group, level, n, pk in cursor.fetchall():
            if level:
                counts[(unit_id, code, group)][level] += n
            else:
                odd.append(pk)
    if odd:
        summary.by_rules = len(odd)
        batch = list(Evaluation.objects.filter(pk__in=odd).select_related("cycle").order_by("pk"))
        outcomes = classification.classify_evaluations(batch)
        for evaluation in batch:
            outcome = outcomes[evaluation.pk]
            if outcome.problem:
                summary.problems[evaluation.pk] = outcome.problem
                continue
            key = (evaluation.unit_id, evaluation.regime, evaluation.group)
            counts[key][outcome.level] += 1
    _caps(cycle, counts, summary)
    return summary


def _caps(cycle: EvaluationCycle, counts, summary: CycleSummary) -> None:
    unit_level = classification.unit_levels(cycle, {unit for unit, _, _ in counts})
    shares: dict[tuple[str, str | None], tuple[Decimal, str]] = {}
    for (unit_id, code, group), levels in sorted(counts.items()):
        summary.levels.setdefault(unit_id, Counter()).update(levels)
        regime = regimes.REGIMES.get(code)
        if regime is None:
            continue
        key = (code, unit_level.get(unit_id))
        if key not in shares:
            shares[key] = rules.cap_share(regime, cycle.year, key[1], None)
        share, source = shares[key]
        htt, htxs = levels.get("HTT", 0), levels.get("HTXS", 0)
        summary.caps.append(
            GroupCap(
                unit_id,
                code,
                group,
                htt,
                htxs,
                share,
                rules.cap_allowed(htt, share),
                rules.min_changes(htt, htxs, share),
                source,
            )
        )
