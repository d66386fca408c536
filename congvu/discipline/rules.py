"""Discipline forms by regime, category and date, and when a discipline weighs on a rating.

docs/legal/discipline.md#d-1, #d-2: ND 112/2020 (as amended by ND 71/2023) for everyone until
30/06/2025; ND 172/2025 for cán bộ and công chức from 01/07/2025 (hạ bậc lương and giáng chức
abolished); ND 112 still for viên chức until ND 234/2026 takes over on 01/07/2026 (the gap is
[U]). Pure data and functions, no database; the register model (issue 3) will store records in
the same shape.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta

from congvu.core.dated import Setting, add_settings, setting_in_force, setting_value
from congvu.core.explain import Reason
from congvu.core.workflow import Machine, Transition
from congvu.organisations.rules import CIVIL_SERVICE_CATEGORIES as CATEGORIES

FORMS: dict[str, str] = {
    "khien_trach": "khiển trách",
    "canh_cao": "cảnh cáo",
    "ha_bac_luong": "hạ bậc lương",
    "giang_chuc": "giáng chức",
    "cach_chuc": "cách chức",
    "buoc_thoi_viec": "buộc thôi việc",
    "bai_nhiem": "bãi nhiệm",
    "khai_tru": "khai trừ",
}
SYSTEMS: dict[str, str] = {"administrative": "kỷ luật hành chính", "party": "kỷ luật đảng"}
# Forms that end the service: no "thời hạn kỷ luật" runs after them.
TERMINAL_FORMS = frozenset({"buoc_thoi_viec", "bai_nhiem", "khai_tru"})

ANY, LEADER, NON_LEADER = "any", "leader", "non_leader"


@dataclass(frozen=True, slots=True)
class DisciplineRegime:
    code: str
    title: str
    categories: tuple[str, ...]
    valid_from: date
    valid_to: date | None
    forms: dict[str, tuple[tuple[str, str], ...]]  # category → ((form, who), ...)
    confidence: str = "C"

    def holds_on(self, day: date) -> bool:
        return self.valid_from <= day and (self.valid_to is None or day < self.valid_to)


@dataclass(frozen=True, slots=True)
class Discipline:
    """One discipline decision as classification needs it.

    ``already_counted``: the violation was already used to rate KHT in an earlier year, the same
    act was counted in another year (Party and administrative decisions), or it counts at the
    former organisation (ND 48/2023; ND 233/2026 Art 14).
    """

    form: str
    effective: date
    duty_related: bool
    system: str = "administrative"
    already_counted: bool = False


_VC_FORMS = (
    ("khien_trach", ANY),
    ("canh_cao", ANY),
    ("cach_chuc", LEADER),
    ("buoc_thoi_viec", ANY),
)
_CB_FORMS = (("khien_trach", ANY), ("canh_cao", ANY), ("cach_chuc", ANY), ("bai_nhiem", ANY))
ND112_IN_FORCE = date(2020, 9, 20)
ND172_IN_FORCE = date(2025, 7, 1)
ND234_IN_FORCE = date(2026, 7, 1)

DISCIPLINE_REGIMES: list[DisciplineRegime] = [
    DisciplineRegime(
        code="nd112",
        title="Nghị định 112/2020/NĐ-CP (sửa đổi bởi Nghị định 71/2023/NĐ-CP)",
        categories=("can_bo", "cong_chuc"),
        valid_from=ND112_IN_FORCE,
        valid_to=ND172_IN_FORCE,
        forms={
            "can_bo": _CB_FORMS,
            "cong_chuc": (
                ("khien_trach", ANY),
                ("canh_cao", ANY),
                ("ha_bac_luong", NON_LEADER),
                ("giang_chuc", LEADER),
                ("cach_chuc", LEADER),
                ("buoc_thoi_viec", ANY),
            ),
        },
    ),
    DisciplineRegime(
        code="nd112",
        title="Nghị định 112/2020/NĐ-CP (sửa đổi bởi Nghị định 71/2023/NĐ-CP)",
        categories=("vien_chuc",),
        valid_from=ND112_IN_FORCE,
        valid_to=ND234_IN_FORCE,
        forms={"vien_chuc": _VC_FORMS},
        confidence="U",  # from 01/07/2025 to 30/06/2026 presumed (docs/legal/discipline.md#d-1)
    ),
    DisciplineRegime(
        code="nd172",
        title="Nghị định 172/2025/NĐ-CP",
        categories=("can_bo", "cong_chuc"),
        valid_from=ND172_IN_FORCE,
        valid_to=None,
        forms={
            "can_bo": _CB_FORMS,
            "cong_chuc": (
                ("khien_trach", ANY),
                ("canh_cao", ANY),
                ("cach_chuc", LEADER),
                ("buoc_thoi_viec", ANY),
            ),
        },
    ),
    DisciplineRegime(
        code="nd234",
        title="Nghị định 234/2026/NĐ-CP, Điều 7",
        categories=("vien_chuc",),
        valid_from=ND234_IN_FORCE,
        valid_to=None,
        forms={"vien_chuc": _VC_FORMS},
    ),
]
PARTY_FORMS = ("khien_trach", "canh_cao", "cach_chuc", "khai_tru")
PARTY_SOURCE = "Điều lệ Đảng Cộng sản Việt Nam, hình thức kỷ luật đảng viên (theo nội dung) [U]"

add_settings(
    Setting(
        "discipline.duration_months",
        12,
        'LEGAL.md §6.3: "thời hạn kỷ luật" thường là 12 tháng [U]',
        "U",
        ND112_IN_FORCE,
    ),
    Setting(
        "discipline.duration_months.vien_chuc",
        12,
        'LEGAL.md §6.3: "thời hạn kỷ luật" thường là 12 tháng [U]',
        "U",
        ND112_IN_FORCE,
    ),
    Setting(
        "discipline.duration_months.vien_chuc",
        12,
        "Nghị định 234/2026/NĐ-CP, Điều 2 khoản 9: quyết định kỷ luật có hiệu lực 12 tháng",
        "C",
        ND234_IN_FORCE,
    ),
)


def discipline_regime_for(category: str, day: date) -> DisciplineRegime | None:
    """The administrative discipline regime for a category on a day (None before ND 112)."""
    for regime in DISCIPLINE_REGIMES:
        if category in regime.categories and regime.holds_on(day):
            return regime
    return None


def valid_forms(category: str, is_leader: bool, day: date) -> tuple[str, ...]:
    """Administrative forms lawful for this category and position on this day."""
    regime = discipline_regime_for(category, day)
    if regime is None:
        return ()
    wanted = (ANY, LEADER if is_leader else NON_LEADER)
    return tuple(form for form, who in regime.forms[category] if who in wanted)


def form_problem(
    form: str, category: str, is_leader: bool, day: date, system: str = "administrative"
) -> str | None:
    """Why this form is not valid for this person on this day, in Vietnamese; None if valid.

    docs/legal/discipline.md#d-2. Before ND 112/2020 (20/09/2020) there is no data: the form is
    not checked.
    """
    if form not in FORMS:
        return f'hình thức kỷ luật "{form}" không có trong danh mục ({", ".join(FORMS)})'
    if system == "party":
        if form in PARTY_FORMS:
            return None
        return f'"{FORMS[form]}" không phải hình thức kỷ luật đảng ({PARTY_SOURCE})'
    regime = discipline_regime_for(category, day)
    if regime is None:
        return None
    if form in valid_forms(category, is_leader, day):
        return None
    who = "người giữ chức vụ lãnh đạo, quản lý" if is_leader else "người không giữ chức vụ"
    return (
        f'hình thức "{FORMS[form]}" không áp dụng cho {CATEGORIES[category]} ({who}) '
        f"vào ngày {day:%d/%m/%Y} theo {regime.title}"
    )


def rating_year(record: Discipline) -> int:
    """The one evaluation year a discipline weighs on: the year it takes effect.

    ND 48/2023 and ND 233/2026 Art 14: discipline "in the evaluation year" rates KHT, and the
    same act decided in different years counts in one year only. The bar on a higher rating
    therefore runs from 01/01 to 31/12 of the effective year, not for the whole duration.
    """
    return record.effective.year


def add_months(day: date, months: int) -> date:
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    for last in (31, 30, 29, 28):
        try:
            return date(year, month, min(day.day, last))
        except ValueError:
            continue
    raise ValueError(day)  # unreachable


def duration_end(record: Discipline, category: str) -> date | None:
    """The first day the decision no longer has effect (None for forms that end the service).

    Viên chức from 01/07/2026: 12 months (ND 234/2026 Art 2.9, [C]); others [U]
    (docs/legal/discipline.md#d-6).
    """
    if record.form in TERMINAL_FORMS:
        return None
    name = "discipline.duration_months.vien_chuc" if category == "vien_chuc" else None
    months = setting_value(name or "discipline.duration_months", record.effective)
    return add_months(record.effective, int(str(months)))


# --- A discipline case's timeline and a decision's effects (issue 12) -------------------------
#
# docs/legal/discipline.md#d-7 … #d-10; LEGAL.md §6.3 and its update of 2026-12-04 (item 5, 7).
# Every figure below is a dated setting: confirmed [C] where a source gives it (viên chức from
# 01/07/2026, ND 234/2026 Art 5; công chức before 01/07/2025, ND 112 as amended by ND 71/2023),
# unconfirmed [U] where it is only presumed (công chức under ND 172/2025, the 2025 CBCC law).

KHIEN_TRACH_LEVEL, HIGHER_LEVEL = "khien_trach", "higher"
LEVELS = (KHIEN_TRACH_LEVEL, HIGHER_LEVEL)
NO_LIMITATION = {
    "diploma": "sử dụng văn bằng, chứng chỉ, giấy chứng nhận không hợp pháp",
    "party_expulsion": "đảng viên vi phạm đến mức phải xử lý kỷ luật bằng hình thức khai trừ",
    "political_protection": "vi phạm quy định về công tác bảo vệ chính trị nội bộ",
    "national_interest": "xâm hại lợi ích quốc gia trong quốc phòng, an ninh, đối ngoại",
}
EVALUATION_KHT, EMULATION_BLOCKED, NO_APPOINTMENT, SALARY_RAISE_DELAY = (
    "evaluation_kht",
    "emulation_blocked",
    "no_appointment",
    "salary_raise_delay",
)
EFFECTS = (EVALUATION_KHT, EMULATION_BLOCKED, NO_APPOINTMENT, SALARY_RAISE_DELAY)
EFFECT_NAMES = {
    EVALUATION_KHT: "Xếp loại không hoàn thành nhiệm vụ trong năm có hiệu lực",
    EMULATION_BLOCKED: "Không xét thi đua, khen thưởng",
    NO_APPOINTMENT: "Không bổ nhiệm, nâng ngạch, quy hoạch, đào tạo",
    SALARY_RAISE_DELAY: "Kéo dài thời hạn nâng bậc lương thường xuyên",
}

_LIMIT_SOURCE_112 = "Nghị định 112/2020/NĐ-CP Điều 5 (sửa đổi bởi Nghị định 71/2023/NĐ-CP)"
_LIMIT_SOURCE_172 = "Nghị định 172/2025/NĐ-CP (giữ mức của Nghị định 112) [U]"
_LIMIT_SOURCE_VC = "Luật Viên chức 2025 Điều 36; Nghị định 234/2026/NĐ-CP Điều 5"
_APPOINT_SOURCE = "Luật Cán bộ, công chức 2008 (sửa đổi 2019) Điều 82"
_APPOINT_SOURCE_2025 = "Luật Cán bộ, công chức 80/2025/QH15: giữ mức của Điều 82 luật cũ [U]"
_SALARY_SOURCE = "Thông tư 08/2013/TT-BNV (sửa đổi bởi Thông tư 03/2021/TT-BNV) Điều 2"
_SALARY_SOURCE_2025 = "Thông tư 08/2013/TT-BNV: chưa rõ còn áp dụng sau 01/07/2025 [U]"


def _dated(name: str, rows: list[tuple[date, object, str, str]]) -> list[Setting]:
    return [Setting(name, value, source, conf, day) for day, value, source, conf in rows]


add_settings(
    *_dated(
        "discipline.limitation_years.khien_trach",
        [(ND112_IN_FORCE, 5, _LIMIT_SOURCE_112, "C"), (ND172_IN_FORCE, 5, _LIMIT_SOURCE_172, "U")],
    ),
    *_dated(
        "discipline.limitation_years.higher",
        [
            (ND112_IN_FORCE, 10, _LIMIT_SOURCE_112, "C"),
            (ND172_IN_FORCE, 10, _LIMIT_SOURCE_172, "U"),
        ],
    ),
    *_dated(
        "discipline.limitation_years.khien_trach.vien_chuc",
        [(ND112_IN_FORCE, 5, _LIMIT_SOURCE_112, "C"), (ND234_IN_FORCE, 5, _LIMIT_SOURCE_VC, "C")],
    ),
    *_dated(
        "discipline.limitation_years.higher.vien_chuc",
        [(ND112_IN_FORCE, 10, _LIMIT_SOURCE_112, "C"), (ND234_IN_FORCE, 10, _LIMIT_SOURCE_VC, "C")],
    ),
    *_dated(
        "discipline.processing_days",
        [
            (ND112_IN_FORCE, 90, "Nghị định 112/2020/NĐ-CP Điều 6", "C"),
            (ND172_IN_FORCE, 90, "Nghị định 172/2025/NĐ-CP (thời hạn xử lý)", "C"),
        ],
    ),
    *_dated(
        "discipline.processing_days.complex",
        [
            (ND112_IN_FORCE, 150, "Nghị định 112/2020/NĐ-CP Điều 6", "C"),
            (ND172_IN_FORCE, 150, "Nghị định 172/2025/NĐ-CP (thời hạn xử lý)", "C"),
        ],
    ),
    *_dated(
        "discipline.no_appointment_months",
        [
            (ND112_IN_FORCE, 12, _APPOINT_SOURCE, "C"),
            (ND172_IN_FORCE, 12, _APPOINT_SOURCE_2025, "U"),
        ],
    ),
    *_dated(
        "discipline.no_appointment_months.demotion",
        [
            (ND112_IN_FORCE, 24, _APPOINT_SOURCE, "C"),
            (ND172_IN_FORCE, 24, _APPOINT_SOURCE_2025, "U"),
        ],
    ),
    *_dated(
        "discipline.salary_delay_months.long",
        [(ND112_IN_FORCE, 12, _SALARY_SOURCE, "C"), (ND172_IN_FORCE, 12, _SALARY_SOURCE_2025, "U")],
    ),
    *_dated(
        "discipline.salary_delay_months.medium",
        [(ND112_IN_FORCE, 6, _SALARY_SOURCE, "C"), (ND172_IN_FORCE, 6, _SALARY_SOURCE_2025, "U")],
    ),
    *_dated(
        "discipline.salary_delay_months.short",
        [(ND112_IN_FORCE, 3, _SALARY_SOURCE, "C"), (ND172_IN_FORCE, 3, _SALARY_SOURCE_2025, "U")],
    ),
)
CASE_SETTINGS = (
    "discipline.limitation_years.khien_trach",
    "discipline.limitation_years.higher",
    "discipline.limitation_years.khien_trach.vien_chuc",
    "discipline.limitation_years.higher.vien_chuc",
    "discipline.processing_days",
    "discipline.processing_days.complex",
    "discipline.no_appointment_months",
    "discipline.no_appointment_months.demotion",
    "discipline.salary_delay_months.long",
    "discipline.salary_delay_months.medium",
    "discipline.salary_delay_months.short",
    "discipline.duration_months",
    "discipline.duration_months.vien_chuc",
)


@dataclass(frozen=True, slots=True)
class Violation:
    committed_on: date
    detected_on: date
    level: str  # KHIEN_TRACH_LEVEL or HIGHER_LEVEL
    no_limitation: str | None = None  # a key of NO_LIMITATION
    complex: bool = False
    paused_days: int = 0  # days that do not count: "chưa xem xét", criminal proceedings, …


@dataclass(frozen=True, slots=True)
class Effect:
    effect: str
    start: date
    until: date | None  # the first day without the effect (None: open-ended)
    months: int | None
    source: str


@dataclass(frozen=True, slots=True)
class CaseCheck:
    limitation_ends: date | None
    time_barred: bool
    processing_deadline: date
    overdue: bool
    form_valid: bool | None
    regime: str | None
    effects: tuple[Effect, ...]
    reasons: tuple[Reason, ...]
    settings: tuple[tuple[str, date], ...]  # the settings the answer used, each on its day


def add_years(day: date, years: int) -> date:
    return add_months(day, 12 * years)


def _value(name: str, day: date, overrides: Mapping[str, object] | None) -> int:
    return int(str(setting_value(name, day, overrides)))


def limitation_end(
    violation: Violation, category: str, overrides: Mapping[str, object] | None = None
) -> tuple[date | None, str]:
    """The last day a decision may still be taken (None: no limitation), and the setting used.

    Counted from the day of the violation: 5 years at khiển trách level, 10 otherwise, plus
    the days that do not count (ND 234/2026: "chưa xem xét" cases, criminal proceedings,
    complaints and lawsuits); it ends with the corresponding day of the last year (Bộ luật
    Dân sự 2015 Art 147–148). The figures are those in force on the day the violation is
    detected (the case is handled under that regime). The four listed cases have no
    limitation. A new violation within the period starts it again: the caller passes that
    later violation.
    """
    if violation.no_limitation is not None:
        return None, ""
    suffix = ".vien_chuc" if category == "vien_chuc" else ""
    name = f"discipline.limitation_years.{violation.level}{suffix}"
    years = _value(name, violation.detected_on, overrides)
    return add_years(violation.committed_on, years) + timedelta(days=violation.paused_days), name


def processing_deadline(
    violation: Violation, overrides: Mapping[str, object] | None = None
) -> tuple[date, str]:
    """The last day of the processing limit: 90 days from detection, 150 for a complex case,
    plus the paused days. Missing it does not end the case (ND 234/2026; LEGAL.md update of
    2026-12-04 item 5): the case is flagged overdue, never closed."""
    name = (
        "discipline.processing_days.complex" if violation.complex else "discipline.processing_days"
    )
    days = _value(name, violation.detected_on, overrides)
    return violation.detected_on + timedelta(days=days + violation.paused_days), name


def _salary_delay(form: str, category: str) -> str | None:
    """Which salary-raise delay a form carries for a category (TT 08/2013 as amended by
    TT 03/2021 Art 2): the setting's suffix, or None (no delay: the form ends the service, or
    lowers the salary step itself)."""
    if form in TERMINAL_FORMS or form == "ha_bac_luong":
        return None
    if form in ("cach_chuc", "giang_chuc"):
        return "long"
    if category == "vien_chuc":
        return "short" if form == "khien_trach" else "medium"
    return "medium"  # khiển trách or cảnh cáo, cán bộ and công chức


def effects(
    discipline: Discipline,
    category: str,
    detected_on: date | None = None,
    overrides: Mapping[str, object] | None = None,
) -> tuple[tuple[Effect, ...], tuple[str, ...]]:
    """What a valid decision does, each effect with its window and source, and the settings
    used. ``detected_on`` starts the emulation bar while the case is pending (ND 152/2025
    Art 4.4); the bar lasts until the discipline period ends (achievements count from then)."""
    day = discipline.effective
    used: list[str] = []
    found: list[Effect] = []
    year_end = date(day.year + 1, 1, 1)
    found.append(
        Effect(
            EVALUATION_KHT,
            date(day.year, 1, 1),
            year_end,
            None,
            "Nghị định 335/2025/NĐ-CP Điều 20.4.c; Nghị định 48/2023/NĐ-CP; "
            "Nghị định 233/2026/NĐ-CP Điều 14",
        )
    )
    end = duration_end(discipline, category)
    used.append(
        "discipline.duration_months.vien_chuc"
        if category == "vien_chuc"
        else "discipline.duration_months"
    )
    found.append(
        Effect(
            EMULATION_BLOCKED,
            min(detected_on or day, day),
            end,
            None,
            "Nghị định 152/2025/NĐ-CP Điều 4 khoản 4 (đang xem xét kỷ luật); "
            "thành tích tính từ khi hết thời hạn kỷ luật",
        )
    )
    if category in ("can_bo", "cong_chuc") and discipline.form not in TERMINAL_FORMS:
        name = (
            "discipline.no_appointment_months.demotion"
            if discipline.form in ("giang_chuc", "cach_chuc")
            else "discipline.no_appointment_months"
        )
        months = _value(name, day, overrides)
        used.append(name)
        found.append(
            Effect(
                NO_APPOINTMENT,
                day,
                add_months(day, months),
                months,
                str(setting_in_force(name, day).source),
            )
        )
    delay = _salary_delay(discipline.form, category)
    if delay is not None:
        name = f"discipline.salary_delay_months.{delay}"
        months = _value(name, day, overrides)
        used.append(name)
        found.append(
            Effect(
                SALARY_RAISE_DELAY,
                day,
                add_months(day, months),
                months,
                str(setting_in_force(name, day).source),
            )
        )
    return tuple(found), tuple(used)


def case_check(
    *,
    as_of: date,
    category: str,
    is_leader: bool,
    violation: Violation,
    decision: Discipline | None,
    overrides: Mapping[str, object] | None = None,
) -> CaseCheck:
    """The whole check of ``congvu discipline-check`` (docs/discipline-check.md)."""
    reasons: list[Reason] = []
    used: list[tuple[str, date]] = []
    limit, name = limitation_end(violation, category, overrides)
    if name:
        used.append((name, violation.detected_on))
    decided_on = decision.effective if decision is not None else as_of
    barred = limit is not None and decided_on > limit
    if limit is None:
        reasons.append(
            Reason(
                "limitation.none",
                "limitation",
                "Không áp dụng thời hiệu: "
                + NO_LIMITATION.get(violation.no_limitation or "", "trường hợp loại trừ"),
                _LIMIT_SOURCE_VC,
            )
        )
    elif barred:
        reasons.append(
            Reason(
                "limitation.expired",
                "limitation",
                f"Hết thời hiệu xử lý kỷ luật ngày {limit:%d/%m/%Y}.",
                str(setting_in_force(name, violation.detected_on).source),
            )
        )
    else:
        reasons.append(
            Reason(
                "limitation.running",
                "limitation",
                f"Còn thời hiệu xử lý kỷ luật đến hết ngày {limit:%d/%m/%Y}.",
                str(setting_in_force(name, violation.detected_on).source),
            )
        )
    deadline, name = processing_deadline(violation, overrides)
    used.append((name, violation.detected_on))
    overdue = decision is None and as_of > deadline
    if overdue:
        reasons.append(
            Reason(
                "processing.overdue",
                "processing",
                f"Quá thời hạn xử lý (hết ngày {deadline:%d/%m/%Y}); vụ việc vẫn tiếp tục, "
                "không tự chấm dứt.",
                str(setting_in_force(name, violation.detected_on).source),
            )
        )
    form_valid: bool | None = None
    regime_code: str | None = None
    found: tuple[Effect, ...] = ()
    regime = discipline_regime_for(category, decided_on)
    regime_code = regime.code if regime else None
    if decision is not None:
        problem = form_problem(decision.form, category, is_leader, decision.effective)
        form_valid = problem is None
        if problem is not None:
            reasons.append(
                Reason(
                    "form.invalid",
                    "form",
                    problem[0].upper() + problem[1:] + ".",
                    regime.title if regime else "",
                )
            )
        elif barred:
            reasons.append(
                Reason(
                    "effects.none_time_barred",
                    "effects",
                    "Quyết định sau khi hết thời hiệu: không tính hệ quả.",
                    _LIMIT_SOURCE_VC,
                )
            )
        else:
            found, more = effects(decision, category, violation.detected_on, overrides)
            used.extend((n, decision.effective) for n in more)
            reasons.extend(
                Reason(
                    f"effect.{e.effect}",
                    "effect",
                    f"{EFFECT_NAMES[e.effect]}: từ {e.start:%d/%m/%Y}"
                    + (f" đến hết {e.until - timedelta(days=1):%d/%m/%Y}" if e.until else "")
                    + (f" ({e.months} tháng)" if e.months else "")
                    + ".",
                    e.source,
                )
                for e in found
            )
    return CaseCheck(
        limit,
        barred,
        deadline,
        overdue,
        form_valid,
        regime_code,
        found,
        tuple(reasons),
        tuple(used),
    )


# --- A discipline case as it is handled: its pauses and its workflow (issue 12) -------------
#
# docs/discipline-cases.md. The case's timeline is ``case_check`` above; here are what the
# pages and services of a case add: the days a case is not considered, and its states.

PAUSE_ILLNESS, PAUSE_MATERNITY, PAUSE_PROSECUTION, PAUSE_COMPLAINT = (
    "illness",
    "maternity",
    "prosecution",
    "complaint",
)
PAUSE_REASONS = {
    PAUSE_ILLNESS: "đang điều trị bệnh hiểm nghèo, ốm nặng hoặc nằm viện",
    PAUSE_MATERNITY: "đang mang thai, nghỉ thai sản hoặc nuôi con dưới 12 tháng tuổi",
    PAUSE_PROSECUTION: "đang bị khởi tố, tạm giữ, tạm giam chờ kết luận",
    PAUSE_COMPLAINT: "đang khiếu nại, khởi kiện",
}
"""Why a case is not considered for a time ("chưa xem xét xử lý kỷ luật", ND 172/2025 and
ND 234/2026: the three cases, plus complaints and lawsuits, which ND 234 also leaves out of
both limits; LEGAL.md update of 2026-12-04 item 5). Annual leave no longer pauses a case."""
LEVEL_NAMES = {
    KHIEN_TRACH_LEVEL: "vi phạm ở mức khiển trách",
    HIGHER_LEVEL: "vi phạm ở mức cao hơn khiển trách",
}


def paused_days(intervals: Iterable[tuple[date, date | None]], day: date) -> int:
    """The days of ``intervals`` (from, to; both included; ``to`` None: still running) up to
    and including ``day``, each day counted once however many pauses cover it. These days do
    not count toward the limitation period nor the processing limit (``Violation.paused_days``;
    ND 234/2026, LEGAL.md update of 2026-12-04 item 5)."""
    spans = sorted(
        (start, min(end or day, day)) for start, end in intervals if start <= min(end or day, day)
    )
    total, reached = 0, None  # reached: the last day already counted
    for start, end in spans:
        if reached is not None and start <= reached:
            start = reached + timedelta(days=1)
        if start <= end:
            total += (end - start).days + 1
            reached = end
    return total


CASE_OPEN, CASE_PAUSED, CASE_COUNCIL = "open", "paused", "council"
CASE_DECIDED, CASE_TIME_BARRED, CASE_DROPPED = "decided", "closed_time_barred", "dropped"
CASE_STATUS_NAMES = {
    CASE_OPEN: "Đang xem xét",
    CASE_PAUSED: "Tạm chưa xem xét",
    CASE_COUNCIL: "Hội đồng kỷ luật",
    CASE_DECIDED: "Đã có quyết định kỷ luật",
    CASE_TIME_BARRED: "Đã đóng: hết thời hiệu",
    CASE_DROPPED: "Đã dừng xem xét",
}
CASE_ACTIVE = (CASE_OPEN, CASE_PAUSED, CASE_COUNCIL)
MOVE_PAUSE, MOVE_RESUME, MOVE_COUNCIL = "pause", "resume", "council"
MOVE_DECIDE, MOVE_TIME_BAR, MOVE_DROP = "decide", "time_bar", "drop"
CASE_MOVE_NAMES = {
    MOVE_PAUSE: "tạm chưa xem xét vụ việc",
    MOVE_RESUME: "tiếp tục xem xét vụ việc",
    MOVE_COUNCIL: "chuyển vụ việc ra hội đồng kỷ luật",
    MOVE_DECIDE: "ghi nhận quyết định kỷ luật",
    MOVE_TIME_BAR: "đóng vụ việc vì hết thời hiệu",
    MOVE_DROP: "dừng xem xét vụ việc",
}
_ACTIVE = frozenset(CASE_ACTIVE)
CASE_MACHINE = Machine(
    transitions=(
        Transition(MOVE_PAUSE, frozenset({CASE_OPEN}), CASE_PAUSED),
        Transition(MOVE_RESUME, frozenset({CASE_PAUSED}), CASE_OPEN),
        Transition(MOVE_COUNCIL, frozenset({CASE_OPEN}), CASE_COUNCIL),
        Transition(MOVE_DECIDE, frozenset({CASE_OPEN, CASE_COUNCIL}), CASE_DECIDED),
        Transition(MOVE_TIME_BAR, _ACTIVE, CASE_TIME_BARRED),
        Transition(
            MOVE_DROP,
            _ACTIVE,
            CASE_DROPPED,
            needs=(("reason", "Cần ghi lý do dừng xem xét vụ việc."),),
        ),
    ),
    unknown_move=lambda move: f"Không có thao tác «{move}».",
    wrong_state=lambda move, state: (
        f"Không thể {CASE_MOVE_NAMES.get(move, move)} khi vụ việc ở trạng thái "
        f"«{CASE_STATUS_NAMES.get(state, state)}»."
    ),
)
"""A case is open, paused while a "chưa xem xét" reason holds (and open again after), goes
to the discipline council when one is convened (optional), and ends decided, closed as
time-barred, or dropped (with the reason). Missing the processing limit moves nothing: the
case is flagged overdue, never closed (``case_check``)."""
