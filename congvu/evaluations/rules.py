"""Classification of one person's year, and the HTXS cap check of a group: pure functions.

No ORM, no request: plain dataclasses in, a level and every reason out. The level is the base
level of the regime's method (points or ND 90 criteria) lowered by every ceiling that applies
(absence, head of unit, forced cases, discipline); "không xếp loại" (KXL) short-circuits.
Every rule only ever lowers a level, so removing points or adding a discipline can never
improve a result (tested with hypothesis). Sources: docs/legal/evaluation.md and
docs/legal/discipline.md.
"""

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from fractions import Fraction
from math import floor

from congvu.core.explain import Reason
from congvu.discipline.rules import FORMS, SYSTEMS, Discipline, rating_year
from congvu.evaluations import regimes
from congvu.evaluations.regimes import FLAG_NAMES, KXL, LEVEL_NAMES, LEVELS, Regime

RANK: dict[str, int] = {level: len(LEVELS) - i for i, level in enumerate(LEVELS)}


class InputProblem(ValueError):
    """A fact the rules need is missing or contradictory (the caller reports it)."""


@dataclass(frozen=True, slots=True)
class Nd90Facts:
    """The facts ND 90/2020 rates on (percentages 0–100); unit facts for managers only.

    ``general``: the general criteria (Art 3.1–3.4): "good" (đáp ứng tốt), "met", "not_met".
    ``subunits_*`` None: the manager has no directly managed units.
    """

    general: str
    tasks_done_pct: Decimal
    tasks_on_time_pct: Decimal
    tasks_exceeded_pct: Decimal = Decimal(0)
    unit_done_pct: Decimal | None = None
    unit_on_time_pct: Decimal | None = None
    unit_exceeded_pct: Decimal | None = None
    subunits_htnv_pct: Decimal | None = None
    subunits_htt_pct: Decimal | None = None


@dataclass(frozen=True, slots=True)
class Person:
    id: object
    category: str
    group: object = None
    is_leader: bool = False
    is_head: bool = False
    months_worked: int = 12
    months_absent: int = 0
    period_scores: tuple[Decimal, ...] = ()
    discipline: tuple[Discipline, ...] = ()
    flags: frozenset[str] = frozenset()
    facts: Nd90Facts | None = None
    unit_level: str | None = None  # the unit's own rating, for the head-of-unit rule


@dataclass(frozen=True, slots=True)
class Result:
    id: object
    group: object
    level: str
    score: Fraction | None  # the exact annual mean; None under ND 90 or without scores
    reasons: tuple[Reason, ...]


@dataclass(frozen=True, slots=True)
class Context:
    regime: Regime
    year: int
    overrides: Mapping[str, object] | None = None

    @property
    def day(self) -> date:
        return regimes.year_end(self.year)

    def setting(self, name: str) -> object:
        return regimes.setting_value(name, self.day, self.overrides)

    def own(self, suffix: str) -> object:
        return self.setting(f"{self.regime.code}.{suffix}")

    def pct(self, suffix: str) -> Decimal:
        return Decimal(str(self.own(suffix)))

    def count(self, name: str) -> int:
        return int(str(self.setting(name)))

    def own_count(self, suffix: str) -> int:
        return self.count(f"{self.regime.code}.{suffix}")

    def source(self, key: str) -> str:
        return self.regime.sources.get(key, self.regime.title)


def lower(a: str, b: str) -> str:
    return a if RANK[a] <= RANK[b] else b


def annual_score(period_scores: Iterable[Decimal | int]) -> Fraction:
    """The yearly score: the plain mean of the monthly or quarterly scores, kept exact.

    ND 335/2025 and ND 233/2026 ("average of the monthly or quarterly scores",
    docs/legal/evaluation.md#e-5). The decrees give no rounding rule, so the level is decided
    on the exact mean.
    """
    scores = [Fraction(s) for s in period_scores]
    if not scores:
        raise InputProblem("thiếu điểm các tháng hoặc quý (period_scores)")
    return sum(scores, Fraction(0)) / len(scores)


def display_score(score: Fraction, places: int) -> Decimal:
    """The mean cut (not rounded) to ``places`` decimals, so 89.996 shows as 89.99, never 90."""
    return Decimal(floor(score * 10**places)).scaleb(-places)


def vn_number(value: Decimal | int) -> str:
    """85.50 → "85,5"; 90 → "90" (Vietnamese decimal comma)."""
    text = format(Decimal(value), "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text.replace(".", ",")


# --- Base level: points (ND 335/2025, ND 233/2026) ----------------------------------------


def classify_points(person: Person, ctx: Context, score: Fraction | None) -> tuple[str, Reason]:
    """HTXS ≥ 90; HTT 70 to < 90; HTNV 50 to < 70; KHT < 50 (ND 335/2025; ND 233/2026 Art 12)."""
    if score is None:
        raise InputProblem("thiếu điểm các tháng hoặc quý (period_scores)")
    shown = vn_number(display_score(score, ctx.count("score.display_places")))
    periods = len(person.period_scores)
    thresholds = ctx.regime.thresholds
    upper: Decimal | None = None
    for level, minimum in thresholds:
        if score >= Fraction(minimum):
            band = f"từ {vn_number(minimum)} điểm trở lên"
            if upper is not None:
                band = f"từ {vn_number(minimum)} đến dưới {vn_number(upper)} điểm"
            text = f"Điểm bình quân năm {shown} ({periods} kỳ đánh giá): {band}, mức {LEVEL_NAMES[level]}."
            return level, Reason(f"SCORE_{level}", "level", text, ctx.source("levels"))
        upper = minimum
    text = (
        f"Điểm bình quân năm {shown} ({periods} kỳ đánh giá): dưới {vn_number(thresholds[-1][1])} "
        f"điểm, mức {LEVEL_NAMES['KHT']}."
    )
    return "KHT", Reason("SCORE_KHT", "level", text, ctx.source("levels"))


# --- Base level: ND 90/2020 criteria ------------------------------------------------------

GENERAL = {"good": "đáp ứng tốt", "met": "đáp ứng", "not_met": "không đáp ứng"}


def _nd90_conditions(person: Person, ctx: Context) -> dict[str, list[tuple[bool, str]]]:
    """Conditions of each level, each level adding to the one below (ND 90/2020 Art 12–14).

    Viên chức articles as docs/legal/evaluation.md#e-8 gives them; công chức wording is
    analogous [U].
    """
    f = person.facts
    if f is None:
        raise InputProblem("thiếu dữ kiện đánh giá theo Nghị định 90/2020/NĐ-CP (facts)")
    shortfall = 100 - f.tasks_on_time_pct
    htnv_max = ctx.pct("htnv_shortfall_max_pct")
    conds: dict[str, list[tuple[bool, str]]] = {
        "HTNV": [
            (f.general in ("good", "met"), "đáp ứng các tiêu chí chung (Điều 3 khoản 1–4)"),
            (f.tasks_done_pct >= 100, "hoàn thành tất cả nhiệm vụ được giao"),
            (
                shortfall <= htnv_max,
                f"không quá {vn_number(htnv_max)}% nhiệm vụ chưa bảo đảm chất lượng, tiến độ, hiệu quả",
            ),
        ],
        "HTT": [
            (f.tasks_on_time_pct >= 100, "100% nhiệm vụ đúng tiến độ, bảo đảm chất lượng, hiệu quả")
        ],
        "HTXS": [
            (f.general == "good", "đáp ứng tốt các tiêu chí chung"),
            (
                f.tasks_exceeded_pct >= ctx.pct("htxs_exceeded_pct"),
                f"ít nhất {vn_number(ctx.pct('htxs_exceeded_pct'))}% nhiệm vụ vượt mức",
            ),
        ],
    }
    if person.is_leader:
        _add_leader_conditions(conds, f, ctx)
    return conds


def _add_leader_conditions(
    conds: dict[str, list[tuple[bool, str]]], f: Nd90Facts, ctx: Context
) -> None:
    if f.unit_done_pct is None or f.unit_on_time_pct is None or f.unit_exceeded_pct is None:
        raise InputProblem(
            "người quản lý cần unit_done_pct, unit_on_time_pct, unit_exceeded_pct trong facts"
        )
    done_above = ctx.pct("leader_htnv_unit_done_above_pct")
    sub_htnv = ctx.pct("leader_htnv_subunits_htnv_pct")
    on_time = ctx.pct("leader_htt_unit_on_time_pct")
    sub_htt = ctx.pct("leader_htt_subunits_htt_pct")
    exceeded = ctx.pct("leader_htxs_unit_exceeded_pct")
    conds["HTNV"].append(
        (f.unit_done_pct > done_above, f"đơn vị hoàn thành trên {vn_number(done_above)}% chỉ tiêu")
    )
    conds["HTT"] += [
        (f.unit_done_pct >= 100, "đơn vị hoàn thành tất cả chỉ tiêu, nhiệm vụ"),
        (
            f.unit_on_time_pct >= on_time,
            f"ít nhất {vn_number(on_time)}% chỉ tiêu đúng tiến độ, bảo đảm chất lượng",
        ),
    ]
    conds["HTXS"].append(
        (f.unit_exceeded_pct >= exceeded, f"ít nhất {vn_number(exceeded)}% chỉ tiêu vượt mức")
    )
    # None: no directly managed units, so these conditions do not apply.
    if f.subunits_htnv_pct is not None:
        conds["HTNV"].append(
            (
                f.subunits_htnv_pct >= sub_htnv,
                f"ít nhất {vn_number(sub_htnv)}% đơn vị trực thuộc hoàn thành nhiệm vụ trở lên",
            )
        )
        conds["HTT"].append(
            (f.subunits_htnv_pct >= 100, "100% đơn vị trực thuộc hoàn thành nhiệm vụ trở lên")
        )
    if f.subunits_htt_pct is not None:
        conds["HTT"].append(
            (
                f.subunits_htt_pct >= sub_htt,
                f"ít nhất {vn_number(sub_htt)}% đơn vị trực thuộc hoàn thành tốt trở lên",
            )
        )


def classify_nd90(person: Person, ctx: Context, score: Fraction | None) -> tuple[str, Reason]:
    """The highest level whose conditions, and those of every lower level, all hold.

    Below HTNV the person is KHT (ND 90/2020: "> 50% of targets unmet" is one such case [U]).
    """
    conds = _nd90_conditions(person, ctx)
    level = "KHT"
    for candidate in ("HTNV", "HTT", "HTXS"):
        if not all(ok for ok, _ in conds[candidate]):
            break
        level = candidate
    text = f"Mức {LEVEL_NAMES[level]}"
    if level == "HTNV":
        text += f": {'; '.join(t for _, t in conds[level])}."
    elif level != "KHT":
        own = "; ".join(t for _, t in conds[level])
        text += f": {own}; và các điều kiện của mức thấp hơn."
    else:
        text += "."
    if level != "HTXS":
        above = LEVELS[LEVELS.index(level) - 1]
        missing = [t for ok, t in conds[above] if not ok]
        text += f" Chưa đạt mức {LEVEL_NAMES[above]} vì chưa: {'; '.join(missing)}."
    return level, Reason(f"ND90_{level}", "level", text, ctx.source("levels"))


Classifier = Callable[[Person, Context, Fraction | None], tuple[str, Reason]]
CLASSIFIERS: dict[str, Classifier] = {"points": classify_points, "nd90_criteria": classify_nd90}


# --- Exclusion and ceilings ----------------------------------------------------------------

Outcome = tuple[Reason, str | None]  # a reason and the level it caps at (None: information)


def coverage_reasons(person: Person, ctx: Context) -> list[Reason]:
    """Check the regime covers the category for the year; note a transitional or assumed basis."""
    covers = ctx.regime.coverage_for(person.category, ctx.day)
    if not covers:
        raise InputProblem(
            f"{ctx.regime.title} không áp dụng cho {regimes.CATEGORIES[person.category]} "
            f"năm {ctx.year}"
        )
    plain = [c for c in covers if c.condition is None]
    cover = plain[0] if plain else covers[0]
    if cover.condition == "unit_without_regulation":
        return [
            Reason(
                "REGIME_TRANSITIONAL",
                "info",
                cover.note + ".",
                "Nghị định 233/2026/NĐ-CP, Điều 20 khoản 1",
            )
        ]
    if cover.confidence == "U":
        return [Reason("REGIME_ASSUMED", "info", cover.note + ".", "LEGAL.md §5.1 [U]")]
    return []


def short_service(person: Person, ctx: Context) -> tuple[bool, list[Reason]]:
    """Worked under 6 months in the year: not classified, unless on a leave the regime exempts.

    ND 48/2023 (maternity leave only); ND 233/2026 Art 14 (unpaid, sick, maternity leave);
    ND 335/2025 [U]: rated on the time actually worked.
    """
    minimum = ctx.own_count("min_months_worked")
    if person.months_worked >= minimum:
        return False, []
    exempt = sorted(person.flags & ctx.regime.short_service_exempt)
    if exempt:
        leave = ", ".join(FLAG_NAMES[f] for f in exempt)
        text = (
            f"Thời gian công tác {person.months_worked} tháng, dưới {minimum} tháng, nhưng do "
            f"{leave}: xếp loại theo thời gian làm việc thực tế."
        )
        return False, [Reason("SHORT_SERVICE_EXEMPT", "info", text, ctx.source("short_service"))]
    text = (
        f"Thời gian công tác trong năm {person.months_worked} tháng, dưới {minimum} tháng: "
        "không xếp loại chất lượng (vẫn kiểm điểm, đánh giá)."
    )
    return True, [Reason("SHORT_SERVICE", "exclude", text, ctx.source("short_service"))]


def absence_limit(person: Person, ctx: Context) -> list[Outcome]:
    """Absent 3 months or more: not above HTNV, except maternity leave (ND 48/2023)."""
    if not ctx.regime.absence_limit:
        return []
    minimum = ctx.own_count("absence_limit_months")
    if person.months_absent < minimum:
        return []
    if "maternity_leave" in person.flags:
        text = (
            f"Nghỉ {person.months_absent} tháng do nghỉ chế độ thai sản: kết quả là kết quả "
            "của thời gian làm việc thực tế, không áp dụng giới hạn mức xếp loại."
        )
        return [(Reason("ABSENCE_LIMIT_EXEMPT", "info", text, ctx.source("absence")), None)]
    text = (
        f"Nghỉ {person.months_absent} tháng trong năm (từ {minimum} tháng): không xếp loại "
        f"cao hơn mức {LEVEL_NAMES['HTNV']}."
    )
    return [(Reason("ABSENCE_LIMIT", "limit", text, ctx.source("absence")), "HTNV")]


def head_not_above_unit(person: Person, ctx: Context) -> list[Outcome]:
    """The head's level may not exceed the unit's (ND 233/2026 Art 12.7; ND 335 [U], off)."""
    if not person.is_head or not regimes.setting_exists(f"{ctx.regime.code}.head_not_above_unit"):
        return []
    if not ctx.own("head_not_above_unit"):
        return []
    if person.unit_level is None:
        raise InputProblem("người đứng đầu cần mức xếp loại của đơn vị (unit_level)")
    text = (
        "Mức xếp loại của người đứng đầu không cao hơn mức xếp loại của đơn vị "
        f"({LEVEL_NAMES[person.unit_level]})."
    )
    return [(Reason("HEAD_NOT_ABOVE_UNIT", "limit", text, ctx.source("head")), person.unit_level)]


def forced_cases(person: Person, ctx: Context) -> list[Outcome]:
    """Degradation findings; for managers, corruption in a unit in their charge (→ KHT)."""
    outcomes: list[Outcome] = []
    for case in ctx.regime.forced:
        if case.flag not in person.flags:
            continue
        fact = FLAG_NAMES[case.flag]
        if case.leaders_only and not person.is_leader:
            text = f"Dữ kiện “{fact}” chỉ xét đối với người lãnh đạo, quản lý: không áp dụng."
            outcomes.append((Reason("FLAG_LEADERS_ONLY", "info", text, case.source), None))
        elif (
            case.waived_by in person.flags
            and case.waiver_setting is not None
            and ctx.setting(case.waiver_setting)
        ):
            text = (
                f"Có dữ kiện “{fact}” nhưng {FLAG_NAMES[case.waived_by]}: được xem xét giảm nhẹ, "
                "không buộc xếp loại không hoàn thành nhiệm vụ."
            )
            outcomes.append((Reason(f"{case.code}_MITIGATED", "info", text, case.source), None))
        else:
            text = f"{_sentence(fact)}: xếp loại {LEVEL_NAMES['KHT']}."
            outcomes.append((Reason(case.code, "force", text, case.source), "KHT"))
    return outcomes


def discipline_outcomes(person: Person, ctx: Context) -> list[Outcome]:
    """Discipline taking effect in the year → KHT; each act counts in one year only.

    ND 48/2023: Party or administrative discipline in the evaluation year. ND 335/2025 and
    ND 233/2026 Art 12: khiển trách or above, for a violation related to duties (every form
    is khiển trách or above). Records already counted elsewhere are reported, not applied.
    """
    outcomes: list[Outcome] = []
    source = ctx.source("discipline")
    for record in sorted(person.discipline, key=lambda r: r.effective):
        what = (
            f"{SYSTEMS[record.system]} hình thức {FORMS[record.form]} "
            f"có hiệu lực {record.effective:%d/%m/%Y}"
        )
        if rating_year(record) != ctx.year:
            code, cap = "DISCIPLINE_OTHER_YEAR", None
            text = f"{_sentence(what)}: không thuộc năm đánh giá {ctx.year}, không tính."
        elif record.already_counted:
            code, cap = "DISCIPLINE_ALREADY_COUNTED", None
            text = (
                f"{_sentence(what)}: vi phạm đã được tính khi xếp loại "
                "(năm khác hoặc nơi công tác cũ), không tính lại."
            )
        elif ctx.regime.discipline_needs_duty_link and not record.duty_related:
            code, cap = "DISCIPLINE_NOT_DUTY_RELATED", None
            text = (
                f"{_sentence(what)}: vi phạm không liên quan đến thực thi nhiệm vụ, "
                "không buộc xếp loại không hoàn thành nhiệm vụ."
            )
        else:
            code, cap = "DISCIPLINE", "KHT"
            text = f"Bị {what} trong năm đánh giá: xếp loại {LEVEL_NAMES['KHT']}."
        outcomes.append((Reason(code, "force" if cap else "info", text, source), cap))
    return outcomes


def _sentence(text: str) -> str:
    return text[:1].upper() + text[1:]


Ceiling = Callable[[Person, Context], list[Outcome]]
CEILINGS: list[Ceiling] = [absence_limit, head_not_above_unit, forced_cases, discipline_outcomes]


def classify(
    person: Person, *, regime: Regime, year: int, overrides: Mapping[str, object] | None = None
) -> Result:
    """The level of one person for the year under ``regime``, with every reason."""
    ctx = Context(regime, year, overrides)
    reasons = coverage_reasons(person, ctx)
    score = None
    if regime.method == "points" and person.period_scores:
        score = annual_score(person.period_scores)
    excluded, service_reasons = short_service(person, ctx)
    reasons += service_reasons
    if excluded:
        return Result(person.id, person.group, KXL, score, tuple(reasons))
    level, base_reason = CLASSIFIERS[regime.method](person, ctx, score)
    reasons.append(base_reason)
    for ceiling in CEILINGS:
        for reason, cap in ceiling(person, ctx):
            reasons.append(reason)
            if cap is not None:
                level = lower(level, cap)
    return Result(person.id, person.group, level, score, tuple(reasons))


# --- The HTXS cap ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class CapCheck:
    group: object
    htt: int
    htxs: int
    share: Decimal
    allowed: int
    exceeded: bool
    must_change: int  # the fewest HTXS to move to HTT to comply (each joins the base)
    candidates: tuple[object, ...]  # HTXS ids, best score first, then input order
    beyond: tuple[object, ...]  # the last ``must_change`` candidates: a hint, the council decides
    source: str


def cap_share(
    regime: Regime, year: int, unit_level: str | None, overrides: Mapping[str, object] | None
) -> tuple[Decimal, str]:
    """20% of HTT; 25% when the unit itself is rated HTXS where the decree allows it.

    ND 335/2025 Art 20.5 (article number [U]); ND 233/2026 Art 12.6; ND 90 as amended [U].
    """
    ctx = Context(regime, year, overrides)
    outstanding = f"{regime.code}.cap_share_outstanding"
    if unit_level == "HTXS" and regimes.setting_exists(outstanding):
        return Decimal(str(ctx.setting(outstanding))), ctx.source("cap_outstanding")
    return Decimal(str(ctx.own("cap_share"))), ctx.source("cap")


def cap_allowed(htt: int, share: Decimal) -> int:
    """The most HTXS a group may have: floor(share × number rated HTT).

    "không vượt quá 20% tổng số ... được xếp loại Hoàn thành tốt nhiệm vụ" (ND 335/2025
    Art 20.5.a, verbatim in docs/legal/evaluation.md#e-14): "not exceed" on a head count is
    the floor.
    """
    return floor(Fraction(share) * htt)


def min_changes(htt: int, htxs: int, share: Decimal) -> int:
    """The fewest HTXS to move to HTT so that the group complies (moving one grows the base)."""
    low, high = 0, htxs  # moving every HTXS always complies; compliance only grows with k
    while low < high:
        k = (low + high) // 2
        if htxs - k <= cap_allowed(htt + k, share):
            high = k
        else:
            low = k + 1
    return low


def cap_check(results: Iterable[Result], *, share: Decimal, source: str) -> list[CapCheck]:
    """The cap per group of similar tasks, groups in order of first appearance.

    Never demotes anyone: it says whether a group exceeds and who the candidates are; the
    council chooses (issue 3). KXL results are not counted. Within one agency, every group
    complying implies the agency complies (a sum of floors never exceeds the floor of the sum).
    """
    groups: dict[object, list[Result]] = {}
    for result in results:
        if result.level != KXL:
            groups.setdefault(_group_key(result.group), []).append(result)
    checks = []
    for members in groups.values():
        htt = sum(1 for r in members if r.level == "HTT")
        top = [r for r in members if r.level == "HTXS"]
        ranked = sorted(top, key=lambda r: -(r.score if r.score is not None else 0))
        allowed = cap_allowed(htt, share)
        change = min_changes(htt, len(top), share)
        checks.append(
            CapCheck(
                group=members[0].group,
                htt=htt,
                htxs=len(top),
                share=share,
                allowed=allowed,
                exceeded=len(top) > allowed,
                must_change=change,
                candidates=tuple(r.id for r in ranked),
                beyond=tuple(r.id for r in ranked[len(ranked) - change :]) if change else (),
                source=source,
            )
        )
    return checks


def _group_key(group: object) -> object:
    # 1 and "1" are different groups, True and 1 too: key on the type as well.
    return (type(group).__name__, group)
