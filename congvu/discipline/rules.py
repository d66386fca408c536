"""Discipline forms by regime, category and date, and when a discipline weighs on a rating.

docs/legal/discipline.md#d-1, #d-2: ND 112/2020 (as amended by ND 71/2023) for everyone until
30/06/2025; ND 172/2025 for cán bộ and công chức from 01/07/2025 (hạ bậc lương and giáng chức
abolished); ND 112 still for viên chức until ND 234/2026 takes over on 01/07/2026 (the gap is
[U]). Pure data and functions, no database; the register model (issue 3) will store records in
the same shape.
"""

from dataclasses import dataclass
from datetime import date

from congvu.core.dated import Setting, add_settings, setting_value
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
