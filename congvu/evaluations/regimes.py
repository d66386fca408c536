"""Legal regimes of the annual evaluation of CBCCVC, as data with effective dates.

The basis changed on 15/09/2023 (ND 48/2023 amends ND 90/2020), on 01/01/2026 (ND 335/2025
for công chức) and on 01/07/2026 (ND 233/2026 for viên chức; it repeals ND 90 as a whole):
docs/legal/README.md#timeline and docs/legal/evaluation.md#e-1. Every rule is therefore applied
by the regime in force for the period evaluated. A new decree is a new ``Regime`` passed to
``register`` plus, if its method is new, a classifier registered in ``rules.CLASSIFIERS``;
existing entries are never edited.

Parameters the legal sources do not confirm are dated ``Setting`` rows with the documented
default and their confidence tag (C, C*, U: docs/legal/README.md#tags), never literals in the
rules. Intervals are half-open ``[valid_from, valid_to)`` as everywhere in the project
(docs/decisions.md, 1).
"""

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

# The kernel's one mechanism of dated settings, named here for the evaluation modules.
from congvu.core.dated import SETTINGS as SETTINGS
from congvu.core.dated import Setting as Setting
from congvu.core.dated import add_settings as add_settings
from congvu.core.dated import setting_exists as setting_exists
from congvu.core.dated import setting_in_force as setting_in_force
from congvu.core.dated import setting_value as setting_value
from congvu.organisations.rules import CIVIL_SERVICE_CATEGORIES

CATEGORIES = CIVIL_SERVICE_CATEGORIES

# Best first. KXL ("không xếp loại") is not a level on this scale: it means "not classified".
LEVELS: tuple[str, ...] = ("HTXS", "HTT", "HTNV", "KHT")
KXL = "KXL"
LEVEL_NAMES: dict[str, str] = {
    "HTXS": "Hoàn thành xuất sắc nhiệm vụ",
    "HTT": "Hoàn thành tốt nhiệm vụ",
    "HTNV": "Hoàn thành nhiệm vụ",
    "KHT": "Không hoàn thành nhiệm vụ",
    "KXL": "Không xếp loại",
}

# Leave that lets a person with under 6 months of work be rated on the time actually worked.
FLAG_NAMES: dict[str, str] = {
    "maternity_leave": "nghỉ chế độ thai sản",
    "sick_leave": "nghỉ ốm đau, điều trị bệnh theo chế độ",
    "approved_leave": "nghỉ không lương hoặc nghỉ khác được cấp có thẩm quyền cho phép",
    "degradation": (
        "được cấp có thẩm quyền kết luận suy thoái về tư tưởng chính trị, đạo đức, lối sống, "
        '"tự diễn biến", "tự chuyển hóa", vi phạm những điều đảng viên không được làm '
        "hoặc trách nhiệm nêu gương"
    ),
    "unit_corruption": (
        "cơ quan, đơn vị hoặc lĩnh vực do mình trực tiếp phụ trách xảy ra tham ô, "
        "tham nhũng, lãng phí và bị xử lý theo quy định"
    ),
    "unit_corruption_self_detected": (
        "người quản lý đã chủ động phát hiện và xử lý vụ việc tham ô, tham nhũng, lãng phí"
    ),
}


class NoRegime(LookupError):
    """No regime in the registry covers this category on this date."""


@dataclass(frozen=True, slots=True)
class Coverage:
    """A regime applies to a category over ``[valid_from, valid_to)``.

    ``condition`` names a case the caller must assert (``unit_without_regulation``: the
    transitional rule of ND 233/2026 Art 20.1). ``confidence`` "U" marks an assumed basis.
    """

    category: str
    valid_from: date
    valid_to: date | None
    confidence: str = "C"
    condition: str | None = None
    note: str = ""

    def holds_on(self, day: date) -> bool:
        return self.valid_from <= day and (self.valid_to is None or day < self.valid_to)


@dataclass(frozen=True, slots=True)
class ForcedCase:
    """A fact (a flag) that forces "không hoàn thành nhiệm vụ" whatever the score."""

    flag: str
    code: str
    source: str
    leaders_only: bool = False
    waived_by: str | None = None  # a flag that lifts the case when a setting allows it
    waiver_setting: str | None = None


@dataclass(frozen=True, slots=True)
class Regime:
    code: str
    title: str
    method: str  # the classifier in rules.CLASSIFIERS: "points" or "nd90_criteria"
    coverage: tuple[Coverage, ...]
    sources: Mapping[str, str]
    thresholds: tuple[tuple[str, Decimal], ...] = ()  # (level, minimum score), best first
    forced: tuple[ForcedCase, ...] = ()
    discipline_needs_duty_link: bool = True
    short_service_exempt: frozenset[str] = field(default_factory=frozenset)
    absence_limit: bool = False  # ND 48: absent 3 to < 6 months → not above HTNV

    def coverage_for(self, category: str, day: date) -> tuple[Coverage, ...]:
        return tuple(c for c in self.coverage if c.category == category and c.holds_on(day))


REGIMES: dict[str, Regime] = {}


def register(regime: Regime) -> Regime:
    if regime.code in REGIMES:
        raise ValueError(f"Regime {regime.code!r} is already registered")
    REGIMES[regime.code] = regime
    return regime


def year_end(year: int) -> date:
    """The reference day of a yearly evaluation: the last day of the period evaluated."""
    return date(year, 12, 31)


def regime_for(category: str, day: date, *, unit_has_regulation: bool = True) -> Regime:
    """The regime for a category on the reference day (normally the period's last day).

    docs/legal/evaluation.md#e-1 to #e-3: công chức ND 90 + ND 48 up to 2025, ND 335/2025 from
    01/01/2026; viên chức ND 90 + ND 48 until 30/06/2026, ND 233/2026 from 01/07/2026, except
    that a unit without its own evaluation regulation rates the end-2026 year on ND 90
    (ND 233/2026 Art 20.1, pass ``unit_has_regulation=False``); cán bộ after 01/07/2026 on an
    assumed basis [U].
    """
    candidates = [(r, c) for r in REGIMES.values() for c in r.coverage_for(category, day)]
    if not unit_has_regulation:
        transitional = [m for m in candidates if m[1].condition == "unit_without_regulation"]
        if transitional:
            return transitional[0][0]
    plain = [m for m in candidates if m[1].condition is None]
    if not plain:
        raise NoRegime(
            f"Chưa có căn cứ đánh giá, xếp loại cho {CATEGORIES.get(category, category)} "
            f"vào ngày {day:%d/%m/%Y}"
        )
    return max(plain, key=lambda m: m[1].valid_from)[0]


# --- ND 90/2020 as amended by ND 48/2023 -------------------------------------------------

ND48_IN_FORCE = date(2023, 9, 15)
ND335_IN_FORCE = date(2026, 1, 1)
ND233_IN_FORCE = date(2026, 7, 1)

_ND90 = "Nghị định 90/2020/NĐ-CP (sửa đổi bởi Nghị định 48/2023/NĐ-CP)"
_ND48_PRINCIPLES = (
    "Nghị định 90/2020/NĐ-CP, Điều 2 (nguyên tắc đánh giá, bổ sung bởi Nghị định 48/2023/NĐ-CP)"
)
_ND335 = "Nghị định 335/2025/NĐ-CP"
_ND233 = "Nghị định 233/2026/NĐ-CP"

register(
    Regime(
        code="nd90",
        title=_ND90,
        method="nd90_criteria",
        coverage=(
            Coverage("cong_chuc", ND48_IN_FORCE, ND335_IN_FORCE),
            Coverage("vien_chuc", ND48_IN_FORCE, ND233_IN_FORCE),
            Coverage(
                "vien_chuc",
                ND233_IN_FORCE,
                date(2027, 1, 1),
                condition="unit_without_regulation",
                note=(
                    "Chuyển tiếp: đơn vị chưa ban hành quy chế đánh giá được xếp loại năm 2026 "
                    f"theo Nghị định 90/2020/NĐ-CP ({_ND233}, Điều 20 khoản 1)"
                ),
            ),
            # ND 233/2026 Art 19.2 repeals ND 90 as a whole from 01/07/2026.
            Coverage("can_bo", ND48_IN_FORCE, ND233_IN_FORCE),
        ),
        sources={
            "levels": (
                f"{_ND90}, Điều 12–15 (viên chức); Điều 8–11 (công chức, tương tự theo nội dung [U])"
            ),
            "forced": f"{_ND90}, tiêu chí mức không hoàn thành nhiệm vụ (theo nội dung [U])",
            "short_service": _ND48_PRINCIPLES,
            "absence": _ND48_PRINCIPLES,
            "discipline": _ND48_PRINCIPLES,
            "cap": (
                f"{_ND90}: tỷ lệ HTXS không vượt quá tỷ lệ đảng viên được xếp loại HTXS "
                "theo quy định của Đảng (20% số HTT) [U]"
            ),
            "head": "[U] không có quy định tương ứng",
        },
        forced=(
            ForcedCase("degradation", "DEGRADATION", f"{_ND90}, mức không hoàn thành nhiệm vụ [U]"),
            ForcedCase(
                "unit_corruption",
                "UNIT_CORRUPTION",
                f"{_ND90}, mức không hoàn thành nhiệm vụ đối với người quản lý [U]",
                leaders_only=True,
            ),
        ),
        discipline_needs_duty_link=False,
        short_service_exempt=frozenset({"maternity_leave"}),
        absence_limit=True,
    )
)

# --- ND 335/2025 (công chức from 01/01/2026) ------------------------------------------

_ND335_LEVELS = (
    f"{_ND335}, quy định về mức xếp loại chất lượng công chức "
    "(theo nội dung; số điều chưa thống nhất, LEGAL.md §5.2)"
)
_POINT_THRESHOLDS = (("HTXS", Decimal(90)), ("HTT", Decimal(70)), ("HTNV", Decimal(50)))

register(
    Regime(
        code="nd335",
        title=_ND335,
        method="points",
        coverage=(
            Coverage("cong_chuc", ND335_IN_FORCE, None),
            Coverage(
                "can_bo",
                ND233_IN_FORCE,
                None,
                confidence="U",
                note=(
                    "Chưa xác định được căn cứ đánh giá cán bộ sau khi Nghị định 90/2020/NĐ-CP "
                    "hết hiệu lực (01/07/2026); tạm áp dụng thang điểm của Nghị định "
                    "335/2025/NĐ-CP [U]"
                ),
            ),
        ),
        sources={
            "levels": _ND335_LEVELS,
            "mean": f"{_ND335}, xếp loại năm theo bình quân điểm các tháng hoặc quý (theo nội dung)",
            "forced": _ND335_LEVELS,
            "discipline": f"{_ND335_LEVELS}; nguyên tắc tính một lần như {_ND233}, Điều 14",
            "short_service": (
                f"[U] LEGAL.md không ghi quy tắc này cho {_ND335}; áp dụng như {_ND233}, Điều 14 "
                "và Nghị định 48/2023/NĐ-CP"
            ),
            "cap": (
                f"{_ND335}, Điều 20 khoản 5 điểm a (số điều [U]): không vượt quá 20% tổng số "
                'công chức được xếp loại "Hoàn thành tốt nhiệm vụ" trong cùng cơ quan và từng '
                "nhóm có nhiệm vụ tương đồng"
            ),
            "cap_outstanding": (
                f"{_ND335}, Điều 20 khoản 5 điểm b (số điều [U]); mức 25% theo {_ND233}, "
                "Điều 12 khoản 6 điểm b [U]"
            ),
            "head": f"[U] chưa thấy trong {_ND335}; tương tự {_ND233}, Điều 12 khoản 7",
        },
        thresholds=_POINT_THRESHOLDS,
        forced=(
            ForcedCase("degradation", "DEGRADATION", f"{_ND335_LEVELS}, trường hợp (b)"),
            ForcedCase(
                "unit_corruption",
                "UNIT_CORRUPTION",
                f"{_ND335_LEVELS}, trường hợp (d)",
                leaders_only=True,
                waived_by="unit_corruption_self_detected",
                waiver_setting="nd335.unit_corruption_mitigation",
            ),
        ),
        short_service_exempt=frozenset({"maternity_leave", "sick_leave", "approved_leave"}),
    )
)

# --- ND 233/2026 (viên chức from 01/07/2026) ------------------------------------------

register(
    Regime(
        code="nd233",
        title=_ND233,
        method="points",
        coverage=(Coverage("vien_chuc", ND233_IN_FORCE, None),),
        sources={
            "levels": f"{_ND233}, Điều 12",
            "mean": f"{_ND233}, Điều 12 (xếp loại năm theo bình quân điểm các tháng hoặc quý)",
            "forced": f"{_ND233}, Điều 12",
            "discipline": f"{_ND233}, Điều 12; Điều 14 (tính một lần)",
            "short_service": f"{_ND233}, Điều 14",
            "cap": f"{_ND233}, Điều 12 khoản 6 điểm a",
            "cap_outstanding": f"{_ND233}, Điều 12 khoản 6 điểm b",
            "head": f"{_ND233}, Điều 12 khoản 7",
        },
        thresholds=_POINT_THRESHOLDS,
        forced=(
            ForcedCase("degradation", "DEGRADATION", f"{_ND233}, Điều 12"),
            ForcedCase(
                "unit_corruption",
                "UNIT_CORRUPTION",
                f"{_ND233}, Điều 12",
                leaders_only=True,
                waived_by="unit_corruption_self_detected",
                waiver_setting="nd233.unit_corruption_mitigation",
            ),
        ),
        short_service_exempt=frozenset({"maternity_leave", "sick_leave", "approved_leave"}),
    )
)

# --- Settings (docs/legal/README.md#tags in ``confidence``) ----------------------------

_VC_ND90 = "Nghị định 90/2020/NĐ-CP"
add_settings(
    # ND 90 + ND 48
    Setting("nd90.min_months_worked", 6, _ND48_PRINCIPLES, "C", ND48_IN_FORCE),
    Setting("nd90.absence_limit_months", 3, _ND48_PRINCIPLES, "C", ND48_IN_FORCE),
    Setting(
        "nd90.cap_share",
        Decimal("0.20"),
        "Tỷ lệ đảng viên HTXS theo quy định của Đảng, 20% số HTT (LEGAL.md §5.3) [U]",
        "U",
        ND48_IN_FORCE,
    ),
    Setting(
        "nd90.htxs_exceeded_pct",
        Decimal(50),
        f"{_VC_ND90}, Điều 12 khoản 1 (viên chức); công chức tương tự [U]",
        "C",
        ND48_IN_FORCE,
    ),
    Setting(
        "nd90.htnv_shortfall_max_pct",
        Decimal(20),
        f"{_VC_ND90}, Điều 14 (viên chức); công chức tương tự [U]",
        "C",
        ND48_IN_FORCE,
    ),
    Setting(
        "nd90.leader_htt_unit_on_time_pct",
        Decimal(80),
        f"{_VC_ND90}, Điều 13 (người quản lý)",
        "C",
        ND48_IN_FORCE,
    ),
    Setting(
        "nd90.leader_htt_subunits_htt_pct",
        Decimal(70),
        f"{_VC_ND90}, Điều 12–13 (người quản lý)",
        "C",
        ND48_IN_FORCE,
    ),
    Setting(
        "nd90.leader_htxs_unit_exceeded_pct",
        Decimal(50),
        f"{_VC_ND90}, Điều 4, Điều 12 (người quản lý)",
        "C",
        ND48_IN_FORCE,
    ),
    Setting(
        "nd90.leader_htnv_unit_done_above_pct",
        Decimal(70),
        f"{_VC_ND90}, Điều 14 (người quản lý)",
        "C",
        ND48_IN_FORCE,
    ),
    Setting(
        "nd90.leader_htnv_subunits_htnv_pct",
        Decimal(70),
        f"{_VC_ND90}, Điều 14 (người quản lý)",
        "C",
        ND48_IN_FORCE,
    ),
    # ND 335/2025
    Setting(
        "nd335.min_months_worked",
        6,
        "LEGAL.md §5.2 không ghi; như ND 233/2026 Điều 14 và ND 48/2023 [U]",
        "U",
        ND335_IN_FORCE,
    ),
    Setting(
        "nd335.cap_share",
        Decimal("0.20"),
        f"{_ND335}, Điều 20.5.a (số điều [U])",
        "C",
        ND335_IN_FORCE,
    ),
    Setting(
        "nd335.cap_share_outstanding",
        Decimal("0.25"),
        f"{_ND335}, Điều 20.5.b bị cắt; 25% theo {_ND233} Điều 12.6.b [U]",
        "U",
        ND335_IN_FORCE,
    ),
    Setting(
        "nd335.head_not_above_unit",
        False,
        f"Chưa thấy trong {_ND335} (LEGAL.md §5.2) [U]; bật được như {_ND233} Điều 12.7",
        "U",
        ND335_IN_FORCE,
    ),
    Setting(
        "nd335.unit_corruption_mitigation",
        False,
        f"LEGAL.md chỉ ghi tình tiết giảm nhẹ cho {_ND233} [U]",
        "U",
        ND335_IN_FORCE,
    ),
    Setting(
        "nd335.task_formula",
        "mean_abc",
        f"{_ND335}: Phần II = (a+b+c)/3 × 70 (LEGAL.md §5.2, công thức in dạng ảnh) [U]",
        "U",
        ND335_IN_FORCE,
    ),
    Setting(
        "nd335.task_deduction_pct",
        Decimal(25),
        f"{_ND335}: trừ 25% cho mỗi lần không đạt chất lượng hoặc chậm tiến độ",
        "C",
        ND335_IN_FORCE,
    ),
    # ND 233/2026
    Setting("nd233.min_months_worked", 6, f"{_ND233}, Điều 14", "C", ND233_IN_FORCE),
    Setting("nd233.cap_share", Decimal("0.20"), f"{_ND233}, Điều 12.6.a", "C", ND233_IN_FORCE),
    Setting(
        "nd233.cap_share_outstanding",
        Decimal("0.25"),
        f"{_ND233}, Điều 12.6.b",
        "C",
        ND233_IN_FORCE,
    ),
    Setting("nd233.head_not_above_unit", True, f"{_ND233}, Điều 12.7", "C", ND233_IN_FORCE),
    Setting("nd233.unit_corruption_mitigation", True, f"{_ND233}, Điều 12", "C", ND233_IN_FORCE),
    Setting(
        "nd233.task_formula",
        "mean_abc",
        f"{_ND233}, Điều 12.5: đơn vị tự quy định; mặc định như {_ND335} [U]",
        "U",
        ND233_IN_FORCE,
    ),
    Setting(
        "nd233.task_deduction_pct",
        Decimal(25),
        f"{_ND233}, Điều 12.5: đơn vị tự quy định; mặc định như {_ND335} [U]",
        "U",
        ND233_IN_FORCE,
    ),
    # Common
    Setting(
        "score.display_places",
        2,
        "LEGAL.md không quy định làm tròn; xếp loại theo điểm bình quân chính xác [U]",
        "U",
        ND48_IN_FORCE,
    ),
)
