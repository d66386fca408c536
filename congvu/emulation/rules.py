"""Eligibility for emulation titles and commendations: one pure rule per title and award,
dated by regime, that reads a subject's history and answers eligible / not eligible / cannot
decide, with one line per condition (its source, the facts used, passed or not). No database.

The law moved three times (LEGAL.md §0, §4; docs/legal/emulation.md):
- ``nd98``: Law 06/2022/QH15 + ND 98/2023, 01/01/2024 – 30/06/2025;
- ``nd152``: the same law + ND 152/2025, from 01/07/2025;
- ``luat06_2026``: Law 06/2022 as amended by Luật 06/2026/QH16, from 01/10/2026, still
  detailed by ND 152/2025 as far as is known. What the amendment changed for each title is
  not confirmed: it starts as the ND 152 rules with each reported change a switchable dated
  setting (the draft's "HTXS and an initiative" for Chiến sĩ thi đua cơ sở,
  ``emulation.cstdcs.needs_both``, off by default). Its transitional rule: a dossier received
  before 01/10/2026 follows the old rules unless the new ones favour the subject.
- Before 2024 (``nd91``: the 2003 law and ND 91/2017) only the figures that changed are kept
  (TTLĐTT's share > 50 %, the 15 % cap of CSTĐCS), for histories that reach back.

Guards of ND 98/2023 Art 4, kept in ND 152/2025 Art 4 (LEGAL.md §4.2): a pending discipline
case, investigation or complaint blocks (P3); after a discipline period, achievements count
only from its end (P4); an initiative is used once (P8); thematic and ad hoc awards are no
basis for merit awards (P2). Streaks ("3 lần liên tục") are counted on the person's history,
whatever units the person worked in.

Conditions the council judges (solidarity, a model movement, exceeding targets) are listed with
``passed = None`` and do not decide the answer: "eligible" means every condition the engine can
check holds; the council judges the rest. "Cannot decide" means a fact a condition needs is
missing from the history (a year's rating, the members of a collective).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import TypeVar

from congvu.core.dated import Setting, add_settings, setting_in_force, setting_value
from congvu.core.workflow import Machine, Transition

# --- Codes ---------------------------------------------------------------------------------------

LDTT, CSTDCS, CSTD_TINH, CSTD_TQ = "LDTT", "CSTDCS", "CSTD_TINH", "CSTD_TQ"
TTLDTT, TTLDXS, CO_TINH = "TTLDTT", "TTLDXS", "CO_TINH"
GIAY_KHEN, BK_TINH, BK_TTG, HCLD3 = "GIAY_KHEN", "BK_TINH", "BK_TTG", "HCLD3"
AWARDS = (
    LDTT,
    CSTDCS,
    CSTD_TINH,
    CSTD_TQ,
    TTLDTT,
    TTLDXS,
    CO_TINH,
    GIAY_KHEN,
    BK_TINH,
    BK_TTG,
    HCLD3,
)
AWARD_NAMES = {
    LDTT: "Lao động tiên tiến",
    CSTDCS: "Chiến sĩ thi đua cơ sở",
    CSTD_TINH: "Chiến sĩ thi đua cấp tỉnh",
    CSTD_TQ: "Chiến sĩ thi đua toàn quốc",
    TTLDTT: "Tập thể lao động tiên tiến",
    TTLDXS: "Tập thể lao động xuất sắc",
    CO_TINH: "Cờ thi đua cấp tỉnh",
    GIAY_KHEN: "Giấy khen",
    BK_TINH: "Bằng khen của Chủ tịch UBND tỉnh",
    BK_TTG: "Bằng khen của Thủ tướng Chính phủ",
    HCLD3: "Huân chương Lao động hạng Ba",
}
INDIVIDUAL, COLLECTIVE = "individual", "collective"
KINDS_OF = {
    LDTT: (INDIVIDUAL,),
    CSTDCS: (INDIVIDUAL,),
    CSTD_TINH: (INDIVIDUAL,),
    CSTD_TQ: (INDIVIDUAL,),
    TTLDTT: (COLLECTIVE,),
    TTLDXS: (COLLECTIVE,),
    CO_TINH: (COLLECTIVE,),
    GIAY_KHEN: (INDIVIDUAL, COLLECTIVE),
    BK_TINH: (INDIVIDUAL,),
    BK_TTG: (INDIVIDUAL,),
    HCLD3: (INDIVIDUAL,),
}
RATINGS = ("KHT", "HTNV", "HTT", "HTXS")  # lowest first
CO_SO, TINH, TOAN_QUOC = "co_so", "tinh", "toan_quoc"
INITIATIVE_LEVELS = (CO_SO, TINH, TOAN_QUOC)  # lowest first
PENDING = ("discipline", "investigation", "complaint")
MERIT, AD_HOC, THEMATIC = "cong_trang", "dot_xuat", "chuyen_de"
AWARD_KINDS = (MERIT, AD_HOC, THEMATIC)
WARNING_OR_ABOVE = frozenset(
    {
        "canh_cao",
        "ha_bac_luong",
        "giang_chuc",
        "cach_chuc",
        "buoc_thoi_viec",
        "bai_nhiem",
        "khai_tru",
    }
)

# --- Regimes -------------------------------------------------------------------------------------

ND98_FROM, ND152_FROM, LUAT06_2026_FROM = date(2024, 1, 1), date(2025, 7, 1), date(2026, 10, 1)


@dataclass(frozen=True, slots=True)
class Regime:
    code: str
    title: str
    valid_from: date


REGIMES = (
    Regime(
        "nd91",
        "Luật Thi đua, khen thưởng 2003 (sửa đổi) và Nghị định 91/2017/NĐ-CP",
        date(2017, 10, 1),
    ),
    Regime("nd98", "Luật Thi đua, khen thưởng 06/2022/QH15 và Nghị định 98/2023/NĐ-CP", ND98_FROM),
    Regime(
        "nd152", "Luật Thi đua, khen thưởng 06/2022/QH15 và Nghị định 152/2025/NĐ-CP", ND152_FROM
    ),
    Regime(
        "luat06_2026",
        "Luật Thi đua, khen thưởng 06/2022/QH15 sửa đổi bởi Luật 06/2026/QH16; "
        "Nghị định 152/2025/NĐ-CP [U]",
        LUAT06_2026_FROM,
    ),
)


def regime_for(day: date) -> Regime:
    found = REGIMES[0]
    for regime in REGIMES:
        if regime.valid_from <= day:
            found = regime
    return found


LAW_2022 = "Luật Thi đua, khen thưởng 06/2022/QH15"
add_settings(
    Setting(
        "emulation.ldtt.min_months",
        10,
        "Quy định trước Luật 2022 (LEGAL.md §4.3: 10 tháng) [U]",
        "U",
        date(2017, 10, 1),
    ),
    Setting(
        "emulation.ldtt.min_months",
        6,
        "TT 01/2024/TT-BNV (thay bởi TT 15/2025/TT-BNV, quy định mới chưa thấy) [U]",
        "U",
        ND98_FROM,
    ),
    Setting(
        "emulation.ttldtt.share",
        0.5,
        "Luật Thi đua, khen thưởng 2003 Điều 28: trên 50%",
        "C",
        date(2017, 10, 1),
    ),
    Setting(
        "emulation.ttldtt.share",
        0.7,
        f"{LAW_2022} Điều 28.1 (theo TT 01/2024 VPCP; QĐ 86/2025/QĐ-UBND Bắc Ninh)",
        "C",
        ND98_FROM,
    ),
    Setting(
        "emulation.ttldxs.share",
        0.7,
        f"{LAW_2022} Điều 27 (theo TT 01/2024/TT-BXD)",
        "C",
        date(2017, 10, 1),
    ),
    Setting(
        "emulation.ttldxs.warning_guard",
        True,
        f"{LAW_2022} Điều 27: không có cá nhân bị kỷ luật từ cảnh cáo (chưa đọc văn bản gốc) [U]",
        "U",
        date(2017, 10, 1),
    ),
    Setting(
        "emulation.cstdcs.cap",
        0.15,
        "Nghị định 91/2017/NĐ-CP Điều 9.3: không quá 15% số LĐTT",
        "C",
        date(2017, 10, 1),
    ),
    Setting(
        "emulation.cstdcs.cap",
        0.0,
        f"{LAW_2022}, Nghị định 98/2023: bỏ tỷ lệ khống chế (0: không áp dụng)",
        "C",
        ND98_FROM,
    ),
    Setting(
        "emulation.cstdcs.needs_both",
        False,
        f"{LAW_2022} Điều 23: HTXS hoặc sáng kiến",
        "C",
        date(2017, 10, 1),
    ),
    Setting(
        "emulation.cstdcs.needs_both",
        False,
        "Luật 06/2026/QH16: dự thảo đòi cả HTXS và sáng kiến; luật đã thông qua chưa xác nhận [U]",
        "U",
        LUAT06_2026_FROM,
    ),
)
SETTINGS = (
    "emulation.ldtt.min_months",
    "emulation.ttldtt.share",
    "emulation.ttldxs.share",
    "emulation.ttldxs.warning_guard",
    "emulation.cstdcs.cap",
    "emulation.cstdcs.needs_both",
)

# --- The history ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Initiative:
    id: str
    level: str
    year: int
    used_for: str | None = None


@dataclass(frozen=True, slots=True)
class AwardRow:
    code: str
    year: int
    kind: str = MERIT


@dataclass(frozen=True, slots=True)
class DisciplineRow:
    form: str
    start: date
    end: date | None


@dataclass(frozen=True, slots=True)
class Members:
    """A collective's members in a year: counts, or computed from a member list."""

    count: int
    ldtt: int
    cstdcs: int
    kht: int
    warned: int  # disciplined at cảnh cáo or above in the year


@dataclass(frozen=True, slots=True)
class Year:
    year: int
    rating: str | None = None
    titles: tuple[str, ...] = ()
    awards: tuple[AwardRow, ...] = ()
    initiatives: tuple[Initiative, ...] = ()
    discipline: tuple[DisciplineRow, ...] = ()
    pending: tuple[str, ...] = ()
    months: int | None = None  # months of service in the year (None: the whole year)
    members: Members | None = None
    cluster_leader: bool | None = None


@dataclass(frozen=True, slots=True)
class Subject:
    kind: str
    category: str
    history: tuple[Year, ...]


@dataclass(frozen=True, slots=True)
class Check:
    condition: str
    source: str
    passed: bool | None
    detail: str


@dataclass(frozen=True, slots=True)
class Answer:
    award: str
    regime: str
    result: str
    checks: tuple[Check, ...]
    settings: tuple[tuple[str, date], ...] = ()


ELIGIBLE, NOT_ELIGIBLE, UNDECIDABLE = "eligible", "not_eligible", "undecidable"


@dataclass
class Context:
    """One evaluation: the subject, the award year, the day, the overrides; collects checks."""

    subject: Subject
    year: int
    day: date
    overrides: Mapping[str, object]
    checks: list[Check] = field(default_factory=list)
    used: list[str] = field(default_factory=list)
    judged: set[int] = field(default_factory=set)  # indexes of council-judged checks

    memo: dict[tuple[str, str, date], object] | None = None  # shared by eligibility_many

    def setting(self, name: str) -> object:
        self.used.append(name)
        if self.memo is None:
            return setting_value(name, self.day, self.overrides)
        key = ("value", name, self.day)
        if key not in self.memo:
            self.memo[key] = setting_value(name, self.day, self.overrides)
        return self.memo[key]

    def source(self, name: str) -> str:
        """The legal source of the setting in force (not an override's: the default's)."""
        if self.memo is None:
            return str(setting_in_force(name, self.day).source)
        key = ("source", name, self.day)
        if key not in self.memo:
            self.memo[key] = str(setting_in_force(name, self.day).source)
        return str(self.memo[key])

    def add(
        self, condition: str, source: str, passed: bool | None, detail: str = ""
    ) -> bool | None:
        self.checks.append(Check(condition, source, passed, detail))
        return passed

    def judge(self, condition: str, source: str) -> None:
        """A condition the council judges: listed, never deciding the answer."""
        self.judged.add(len(self.checks))
        self.add(condition, source, None, "Hội đồng thi đua, khen thưởng đánh giá.")

    # -- facts ---------------------------------------------------------------------------------

    def __post_init__(self) -> None:
        self._entries: dict[int, Year] = {}
        for y in self.subject.history:
            self._entries.setdefault(y.year, y)  # the first of a year, as a scan finds it

    def entry(self, year: int) -> Year | None:
        return self._entries.get(year)

    def discipline_end(self) -> date | None:
        """The last end of a discipline period that began by the award year (P4)."""
        ends = [
            d.end or date.max
            for y in self.subject.history
            for d in y.discipline
            if d.start <= date(self.year, 12, 31)
        ]
        return max(ends) if ends else None

    def counts(self, year: int) -> bool:
        """Does an achievement of ``year`` count: the year starts on or after the end of every
        discipline period begun before it ended (P4)?"""
        end = self.discipline_end()
        return end is None or date(year, 1, 1) >= end

    def rating(self, year: int) -> str | None:
        entry = self.entry(year)
        return entry.rating if entry else None

    def has_title(self, code: str, year: int) -> bool:
        entry = self.entry(year)
        return bool(entry and code in entry.titles and self.counts(year))

    def initiatives(self, years: Sequence[int], level: str) -> list[Initiative]:
        """Initiatives of those years at ``level`` or above, not yet used (P8), once each."""
        seen: dict[str, Initiative] = {}
        used = {i.id for y in self.subject.history for i in y.initiatives if i.used_for is not None}
        for y in self.subject.history:
            for i in y.initiatives:
                if (
                    i.year in years
                    and INITIATIVE_LEVELS.index(i.level) >= INITIATIVE_LEVELS.index(level)
                    and i.id not in used
                    and self.counts(i.year)
                ):
                    seen.setdefault(i.id, i)
        return list(seen.values())


def _at_least(rating: str | None, floor: str) -> bool:
    return rating is not None and RATINGS.index(rating) >= RATINGS.index(floor)


def _rating_check(ctx: Context, condition: str, source: str, floor: str) -> bool | None:
    """The year's rating at ``floor`` or above (None when the history lacks it)."""
    rating = ctx.rating(ctx.year)
    return ctx.add(
        condition,
        source,
        None if rating is None else _at_least(rating, floor),
        f"năm {ctx.year}: {rating or 'chưa có xếp loại'}",
    )


def _no_warned(ctx: Context, members: Members, source: str) -> None:
    ctx.add(
        "Không có cá nhân bị kỷ luật từ hình thức cảnh cáo trở lên",
        source,
        members.warned == 0,
        f"{members.warned} người",
    )


def _pending_guard(ctx: Context) -> bool | None:
    entry = ctx.entry(ctx.year)
    pending = sorted(set(entry.pending if entry else ()))
    names = {
        "discipline": "xem xét kỷ luật",
        "investigation": "điều tra, thanh tra",
        "complaint": "khiếu nại, tố cáo đang xác minh",
    }
    return ctx.add(
        "Không đang bị xem xét kỷ luật, điều tra, thanh tra, khiếu nại, tố cáo",
        "Nghị định 98/2023/NĐ-CP Điều 4 khoản 4; Nghị định 152/2025/NĐ-CP Điều 4 khoản 4",
        not pending,
        ", ".join(names[p] for p in pending) if pending else "không có",
    )


def _period_guard(ctx: Context) -> bool | None:
    end = ctx.discipline_end()
    ok = ctx.counts(ctx.year)
    return ctx.add(
        "Thành tích tính từ khi hết thời hạn kỷ luật",
        "Nghị định 98/2023/NĐ-CP Điều 4; Nghị định 152/2025/NĐ-CP Điều 4",
        ok,
        "không bị kỷ luật"
        if end is None
        else f"thời hạn kỷ luật hết {('—' if end == date.max else f'{end:%d/%m/%Y}')}",
    )


# --- Individual titles ------------------------------------------------------------------------


def _ldtt(ctx: Context, *, guards: bool = True) -> bool | None:
    if guards:
        _pending_guard(ctx)
        _period_guard(ctx)
    passed = _rating_check(
        ctx, "Xếp loại hoàn thành tốt nhiệm vụ trở lên", f"{LAW_2022} Điều 24 khoản 1", "HTT"
    )
    entry = ctx.entry(ctx.year)
    months = entry.months if entry and entry.months is not None else 12
    minimum = int(str(ctx.setting("emulation.ldtt.min_months")))
    ctx.add(
        f"Công tác đủ {minimum} tháng trong năm (người mới tuyển dụng)",
        ctx.source("emulation.ldtt.min_months"),
        months >= minimum,
        f"{months} tháng",
    )
    ctx.judge(
        "Tinh thần tự lực, tự cường, đoàn kết, tương trợ, tích cực tham gia phong trào thi đua",
        f"{LAW_2022} Điều 24 khoản 1",
    )
    return passed


def _cstdcs(ctx: Context, *, guards: bool = True) -> None:
    _ldtt(ctx, guards=guards)
    rating = ctx.rating(ctx.year)
    initiatives = ctx.initiatives([ctx.year], CO_SO)
    htxs = rating == "HTXS"
    both = bool(ctx.setting("emulation.cstdcs.needs_both"))
    ids = ", ".join(i.id for i in initiatives) or "không có sáng kiến chưa sử dụng"
    if both:
        passed = None if rating is None else htxs and bool(initiatives)
        ctx.add(
            "Hoàn thành xuất sắc nhiệm vụ và có sáng kiến được công nhận cấp cơ sở",
            ctx.source("emulation.cstdcs.needs_both"),
            passed,
            f"xếp loại {rating or '—'}; sáng kiến: {ids}",
        )
    else:
        passed = True if htxs or initiatives else (None if rating is None else False)
        ctx.add(
            "Hoàn thành xuất sắc nhiệm vụ, hoặc có sáng kiến được công nhận cấp cơ sở (chưa dùng "
            "cho danh hiệu, hình thức khen thưởng khác)",
            f"{LAW_2022} Điều 23; Nghị định 98/2023 Điều 4 (sáng kiến chỉ dùng một lần)",
            passed,
            f"xếp loại {rating or '—'}; sáng kiến: {ids}",
        )
    cap = float(str(ctx.setting("emulation.cstdcs.cap")))
    if cap:
        ctx.judge(
            f"Tỷ lệ Chiến sĩ thi đua cơ sở không quá {cap:.0%} số Lao động tiên tiến của đơn vị",
            ctx.source("emulation.cstdcs.cap"),
        )


def _streak(ctx: Context, code: str, years: int) -> tuple[bool, list[int]]:
    span = list(range(ctx.year - years + 1, ctx.year + 1))
    return all(ctx.has_title(code, y) for y in span), span


def _cstd_tinh(ctx: Context) -> None:
    _pending_guard(ctx)
    _period_guard(ctx)
    ok, span = _streak(ctx, CSTDCS, 3)
    ctx.add(
        "Ba lần liên tục đạt Chiến sĩ thi đua cơ sở",
        f"{LAW_2022} Điều 22",
        ok,
        ", ".join(f"{y}: {'có' if ctx.has_title(CSTDCS, y) else 'không'}" for y in span),
    )
    found = ctx.initiatives(span, TINH)
    ctx.add(
        "Có sáng kiến được áp dụng hiệu quả, có phạm vi ảnh hưởng trong tỉnh (chưa sử dụng)",
        f"{LAW_2022} Điều 22",
        bool(found),
        ", ".join(i.id for i in found) or "không có",
    )


def _cstd_tq(ctx: Context) -> None:
    _pending_guard(ctx)
    _period_guard(ctx)
    years = sorted(
        y.year
        for y in ctx.subject.history
        if CSTD_TINH in y.titles and ctx.counts(y.year) and y.year <= ctx.year
    )
    consecutive = len(years) >= 2 and years[-1] - years[-2] <= 3
    ctx.add(
        "Hai lần liên tục đạt Chiến sĩ thi đua cấp tỉnh",
        f"{LAW_2022} Điều 21 (liên tục: hai lần kế tiếp nhau, mỗi lần sau ba năm [U])",
        consecutive,
        ", ".join(map(str, years)) or "chưa có",
    )
    found = ctx.initiatives(list(range(ctx.year - 6, ctx.year + 1)), TOAN_QUOC)
    ctx.add(
        "Có sáng kiến có phạm vi ảnh hưởng toàn quốc (chưa sử dụng)",
        f"{LAW_2022} Điều 21",
        bool(found),
        ", ".join(i.id for i in found) or "không có",
    )


# --- Collective titles --------------------------------------------------------------------------


def _members(ctx: Context) -> Members | None:
    entry = ctx.entry(ctx.year)
    members = entry.members if entry else None
    if members is None:
        ctx.add(
            "Danh sách thành viên của tập thể trong năm", LAW_2022, None, "thiếu dữ liệu thành viên"
        )
    return members


def _ttldtt(ctx: Context) -> None:
    _pending_guard(ctx)
    _rating_check(ctx, "Tập thể hoàn thành tốt nhiệm vụ", f"{LAW_2022} Điều 28 khoản 1", "HTT")
    members = _members(ctx)
    share = float(str(ctx.setting("emulation.ttldtt.share")))
    source = ctx.source("emulation.ttldtt.share")
    if members is not None:
        actual = members.ldtt / members.count if members.count else 0.0
        strict = ctx.day < ND98_FROM  # the 2003 law: "trên 50%"
        ok = actual > share if strict else actual >= share
        ctx.add(
            f"{'Trên' if strict else 'Ít nhất'} {share:.0%} cá nhân đạt Lao động tiên tiến",
            source,
            ok,
            f"{members.ldtt}/{members.count} ({actual:.0%})",
        )
        _no_warned(ctx, members, f"{LAW_2022} Điều 28 khoản 1")
    ctx.judge(
        "Phong trào thi đua thường xuyên, thiết thực, có hiệu quả; nội bộ đoàn kết",
        f"{LAW_2022} Điều 28 khoản 1",
    )


def _ttldxs(ctx: Context) -> None:
    _pending_guard(ctx)
    _rating_check(ctx, "Tập thể hoàn thành xuất sắc nhiệm vụ", f"{LAW_2022} Điều 27", "HTXS")
    members = _members(ctx)
    if members is not None:
        ctx.add(
            "100% cá nhân hoàn thành nhiệm vụ được giao",
            f"{LAW_2022} Điều 27",
            members.kht == 0,
            f"{members.kht} người không hoàn thành",
        )
        share = float(str(ctx.setting("emulation.ttldxs.share")))
        actual = members.ldtt / members.count if members.count else 0.0
        ctx.add(
            f"Ít nhất {share:.0%} cá nhân đạt Lao động tiên tiến",
            f"{LAW_2022} Điều 27",
            actual >= share,
            f"{members.ldtt}/{members.count} ({actual:.0%})",
        )
        ctx.add(
            "Có cá nhân đạt Chiến sĩ thi đua cơ sở",
            f"{LAW_2022} Điều 27",
            members.cstdcs >= 1,
            f"{members.cstdcs} người",
        )
        if bool(ctx.setting("emulation.ttldxs.warning_guard")):
            _no_warned(
                ctx,
                members,
                ctx.source("emulation.ttldxs.warning_guard"),
            )
    ctx.judge(
        "Sáng tạo, vượt khó; phong trào thi đua thường xuyên, hiệu quả; nội bộ đoàn kết",
        f"{LAW_2022} Điều 27",
    )


def _co_tinh(ctx: Context) -> None:
    _pending_guard(ctx)
    entry = ctx.entry(ctx.year)
    ok = entry is not None and TTLDXS in entry.titles
    ctx.add(
        "Đạt Tập thể lao động xuất sắc trong năm",
        f"{LAW_2022} Điều 26 (theo Điều 25) [U]",
        ok,
        f"năm {ctx.year}",
    )
    leader = entry.cluster_leader if entry else None
    ctx.add(
        "Dẫn đầu cụm, khối thi đua của tỉnh",
        f"{LAW_2022} Điều 26 (theo Điều 25) [U]",
        leader,
        "chưa có kết quả bình xét của cụm, khối"
        if leader is None
        else ("dẫn đầu" if leader else "không dẫn đầu"),
    )
    ctx.judge(
        "Hoàn thành vượt mức chỉ tiêu; đi đầu thực hành tiết kiệm, phòng, chống tham nhũng",
        f"{LAW_2022} Điều 26",
    )


# --- Commendations ------------------------------------------------------------------------------


def _giay_khen(ctx: Context) -> None:
    _pending_guard(ctx)
    if ctx.subject.kind == INDIVIDUAL:
        _period_guard(ctx)
    _rating_check(ctx, "Hoàn thành tốt nhiệm vụ", f"{LAW_2022} Điều 75", "HTT")
    ctx.judge(
        "Có thành tích được bình xét trong phong trào thi đua, hoặc thành tích có phạm vi ảnh hưởng",
        f"{LAW_2022} Điều 75",
    )


def _bk_tinh(ctx: Context) -> None:
    _pending_guard(ctx)
    _period_guard(ctx)
    years = [ctx.year - 1, ctx.year]
    titles = all(ctx.has_title(CSTDCS, y) for y in years)
    htxs = all(ctx.rating(y) == "HTXS" and ctx.counts(y) for y in years)
    ctx.add(
        "Hai lần liên tục Chiến sĩ thi đua cơ sở, hoặc hai năm liên tục hoàn thành xuất sắc nhiệm vụ",
        f"{LAW_2022} Điều 74 khoản 1 điểm d",
        titles or htxs,
        "; ".join(
            f"{y}: {ctx.rating(y) or '—'}{', CSTĐCS' if ctx.has_title(CSTDCS, y) else ''}"
            for y in years
        ),
    )
    found = ctx.initiatives(years, CO_SO)
    ctx.add(
        "Hai sáng kiến được công nhận, áp dụng hiệu quả trong thời gian đó (chưa sử dụng)",
        f"{LAW_2022} Điều 74 khoản 1 điểm d; Nghị định 98/2023 Điều 4 (sáng kiến chỉ dùng một lần)",
        len(found) >= 2,
        ", ".join(i.id for i in found) or "không có",
    )


def _merit_after(ctx: Context, code: str, years: int, htxs: int, source: str) -> None:
    """A merit award ``code`` (not thematic or ad hoc, P2), then ``years`` consecutive years up
    to the award year rated HTT or above, with 3 CSTĐCS (and ``htxs`` years rated HTXS)."""
    _pending_guard(ctx)
    _period_guard(ctx)
    given = sorted(
        a.year
        for y in ctx.subject.history
        for a in y.awards
        if a.code == code and a.kind == MERIT and a.year <= ctx.year - years
    )
    thematic = [
        a.year for y in ctx.subject.history for a in y.awards if a.code == code and a.kind != MERIT
    ]
    detail = ", ".join(map(str, given)) or "chưa có"
    if thematic:
        detail += (
            f" (không tính khen theo đợt, chuyên đề, đột xuất: {', '.join(map(str, thematic))})"
        )
    ctx.add(
        f"Đã được tặng {AWARD_NAMES[code]} (khen công trạng)",
        f"{source}; Nghị định 98/2023 Điều 4",
        bool(given),
        detail,
    )
    if not given:
        return
    span = list(range(given[-1] + 1, ctx.year + 1))[-years:]
    ratings = [ctx.rating(y) for y in span]
    missing = [y for y, r in zip(span, ratings, strict=True) if r is None]
    good = all(
        _at_least(r, "HTT") and ctx.counts(y) for y, r in zip(span, ratings, strict=True) if r
    )
    ctx.add(
        f"{years} năm liên tục hoàn thành tốt nhiệm vụ trở lên",
        source,
        None if missing and good else good and not missing,
        "; ".join(f"{y}: {r or '—'}" for y, r in zip(span, ratings, strict=True)),
    )
    count = sum(1 for y in span if ctx.has_title(CSTDCS, y))
    ctx.add("Trong đó có 3 lần Chiến sĩ thi đua cơ sở", source, count >= 3, f"{count} lần")
    if htxs:
        n = sum(1 for y, r in zip(span, ratings, strict=True) if r == "HTXS" and ctx.counts(y))
        ctx.add(
            f"Trong đó có ít nhất {htxs} năm hoàn thành xuất sắc nhiệm vụ",
            source,
            n >= htxs,
            f"{n} năm",
        )


def _bk_ttg(ctx: Context) -> None:
    _merit_after(ctx, BK_TINH, 5, 0, f"{LAW_2022} Điều 73 khoản 1 điểm b")


def _hcld3(ctx: Context) -> None:
    _merit_after(
        ctx, BK_TTG, 5, 1, f"{LAW_2022} Điều 44 khoản 1 điểm e (theo Bộ Nội vụ; cần đối chiếu) [U]"
    )


RULES: dict[str, Callable[[Context], object]] = {
    LDTT: _ldtt,
    CSTDCS: _cstdcs,
    CSTD_TINH: _cstd_tinh,
    CSTD_TQ: _cstd_tq,
    TTLDTT: _ttldtt,
    TTLDXS: _ttldxs,
    CO_TINH: _co_tinh,
    GIAY_KHEN: _giay_khen,
    BK_TINH: _bk_tinh,
    BK_TTG: _bk_ttg,
    HCLD3: _hcld3,
}


def award_year(subject: Subject, day: date) -> int:
    """The year considered: the latest year of the history not after ``day``'s year."""
    years = [y.year for y in subject.history if y.year <= day.year]
    return max(years) if years else day.year


def _verdict(ctx: Context) -> str:
    decided = [c.passed for n, c in enumerate(ctx.checks) if n not in ctx.judged]
    if any(p is False for p in decided):
        return NOT_ELIGIBLE
    if any(p is None for p in decided):
        return UNDECIDABLE
    return ELIGIBLE


def _one(
    award: str,
    subject: Subject,
    day: date,
    overrides: Mapping[str, object],
    rules_day: date | None = None,
    memo: dict | None = None,
) -> Answer:
    """The answer for the year considered on ``day``, under the rules in force on
    ``rules_day`` (``day`` unless the transitional provision says otherwise)."""
    rules_day = rules_day or day
    ctx = Context(subject, award_year(subject, day), rules_day, overrides, memo=memo)
    RULES[award](ctx)
    return Answer(
        award,
        regime_for(rules_day).code,
        _verdict(ctx),
        tuple(ctx.checks),
        tuple(dict.fromkeys((n, rules_day) for n in ctx.used)),
    )


FAVOUR = {ELIGIBLE: 2, UNDECIDABLE: 1, NOT_ELIGIBLE: 0}


def eligibility(
    award: str,
    subject: Subject,
    day: date,
    overrides: Mapping[str, object] | None = None,
    received_on: date | None = None,
    *,
    memo: dict | None = None,
) -> Answer:
    """The answer for ``award`` on ``day``. A dossier received before the amending law's day
    (01/10/2026) and considered after it follows the old rules unless the new ones give a
    better answer (Luật 06/2026/QH16, transitional provision). ``overrides`` apply to the
    rules in force on ``day``. ``memo``: the settings looked up, shared by calls with the same
    day, overrides and received_on (``eligibility_many``)."""
    overrides = dict(overrides or {})
    answer = _one(award, subject, day, overrides, memo=memo)
    if received_on is not None and received_on < LUAT06_2026_FROM <= day:
        # The old rules as they were: a province's overrides speak for the rules in force now.
        old = _one(award, subject, day, {}, rules_day=received_on, memo=memo)
        chosen = answer if FAVOUR[answer.result] > FAVOUR[old.result] else old
        note = Check(
            "Chuyển tiếp: hồ sơ tiếp nhận trước 01/10/2026 theo quy định cũ, trừ khi quy định mới có lợi hơn",
            "Luật 06/2026/QH16, điều khoản chuyển tiếp",
            None,
            f"tiếp nhận {received_on:%d/%m/%Y}; áp dụng {'quy định mới' if chosen is answer else 'quy định cũ'}",
        )
        return Answer(
            chosen.award, chosen.regime, chosen.result, (*chosen.checks, note), chosen.settings
        )
    return answer


K = TypeVar("K")


def eligibility_many(
    award: str,
    subjects: Mapping[K, Subject],
    day: date,
    overrides: Mapping[str, object] | None = None,
    received_on: date | None = None,
) -> dict[K, Answer]:
    """``eligibility`` for many subjects (a province screened for a title): the rules are pure,
    so people with the same history get the same answer, computed once for them all."""
    known: dict[Subject, Answer] = {}
    found: dict[K, Answer] = {}
    memo: dict = {}
    for key, subject in subjects.items():
        answer = known.get(subject)
        if answer is None:
            answer = known[subject] = eligibility(
                award, subject, day, overrides, received_on, memo=memo
            )
        found[key] = answer
    return found


SCREENED_ON_THE_YEAR = frozenset({LDTT, CSTDCS})
"""Awards whose rules read only the award year's rating, months of service, pending facts and
unused initiatives of that year, and the discipline periods begun by its end (P3, P4, P8):
never the earlier ratings, the titles or the category (``screening_view``)."""


def screening_view(award: str, subject: Subject, day: date) -> Subject:
    """What the rules of ``award`` read of ``subject`` on ``day``, as a subject of its own whose
    answer has the same result (tests/test_rules.py checks it case by case): for
    ``SCREENED_ON_THE_YEAR`` one Year, the award year's, holding its rating, months and pending
    facts (sorted, once each), the initiatives of that year not used (``renumbered``) and the
    discipline periods begun by its end and still running at its start (``in_effect``); the
    category left out. Any other award: ``subject``.
    People whose views are equal get one answer (``screen``)."""
    if award not in SCREENED_ON_THE_YEAR:
        return subject
    year = award_year(subject, day)
    last = date(year, 12, 31)
    entry: Year | None = None
    used: set[str] = set()
    initiatives: dict[str, Initiative] = {}
    discipline: list[DisciplineRow] = []
    for y in subject.history:
        if entry is None and y.year == year:
            entry = y
        used.update(i.id for i in y.initiatives if i.used_for is not None)
        for i in y.initiatives:
            if i.year == year:
                initiatives.setdefault(i.id, i)
        discipline.extend(d for d in y.discipline if d.start <= last)
    return Subject(
        subject.kind,
        "",
        (
            Year(
                year=year,
                rating=entry.rating if entry else None,
                months=entry.months if entry else None,
                pending=tuple(sorted(set(entry.pending))) if entry else (),
                initiatives=renumbered(i for k, i in sorted(initiatives.items()) if k not in used),
                discipline=in_effect(discipline, year),
            ),
        ),
    )


def renumbered(initiatives: Iterable[Initiative]) -> tuple[Initiative, ...]:
    """Unused initiatives under ids 0, 1, …: the rules compare ids only to one another (P8), so
    two people with one unused initiative each of the same level and year read alike."""
    return tuple(Initiative(str(n), i.level, i.year) for n, i in enumerate(initiatives))


def in_effect(periods: Iterable[DisciplineRow], year: int) -> tuple[DisciplineRow, ...]:
    """The discipline periods still running on 1 January of ``year``, sorted: one that ended
    by then does not hold the year's achievements back (P4, ``Context.counts``)."""
    first = date(year, 1, 1)
    running = (d for d in periods if d.end is None or d.end > first)
    return tuple(sorted(running, key=lambda d: (d.start, d.end or date.max, d.form)))


def screen(
    award: str,
    subjects: Mapping[K, Subject],
    day: date,
    overrides: Mapping[str, object] | None = None,
    received_on: date | None = None,
) -> dict[K, str]:
    """The result of ``eligibility`` (eligible / not_eligible / undecidable) for many subjects,
    without their reports: a province screened for a title. Each distinct ``screening_view`` is
    decided once; the report of one person is ``eligibility`` (a nomination's page)."""
    by_object: dict[int, str] = {}  # id() of a subject seen: people often share one object
    by_subject: dict[Subject, str] = {}
    by_view: dict[Subject, str] = {}
    memo: dict = {}
    found: dict[K, str] = {}
    for key, subject in subjects.items():
        result = by_object.get(id(subject))
        if result is None:
            result = by_subject.get(subject)
            if result is None:
                view = screening_view(award, subject, day)
                result = by_view.get(view)
                if result is None:
                    answer = eligibility(award, view, day, overrides, received_on, memo=memo)
                    result = by_view[view] = answer.result
                by_subject[subject] = result
            by_object[id(subject)] = result
        found[key] = result
    return found


# =================================================================================================
# The procedure: registrations, nominations, the council's ballot, decisions and bonuses,
# clusters' mutual scoring. Pure, like the eligibility rules above (LEGAL.md §4.4–4.6).
# =================================================================================================

TITLES = (LDTT, CSTDCS, CSTD_TINH, CSTD_TQ, TTLDTT, TTLDXS, CO_TINH)
"""Emulation titles (danh hiệu thi đua), registered for at the start of a year (đăng ký thi
đua); the others are commendation forms (hình thức khen thưởng)."""


def subject_kind_refusal(code: str, kind: str) -> str | None:
    """Why ``code`` cannot be given to a subject of ``kind`` (None: it can)."""
    if code not in KINDS_OF:
        return f"Không có danh hiệu, hình thức khen thưởng «{code}»."
    if kind not in KINDS_OF[code]:
        who = "cá nhân" if kind == INDIVIDUAL else "tập thể"
        return f"«{AWARD_NAMES[code]}» không xét cho {who}."
    return None


# --- Bonuses (ND 152/2025 Art 50–54; ND 98/2023 before; LEGAL.md §4.3–4.5) ------------------------

BONUS_SOURCE = "Nghị định 152/2025/NĐ-CP Điều 50–54 (ND 98/2023 Điều 52–56 trước 01/07/2025)"
add_settings(
    Setting(
        "emulation.bonus.base",
        1_800_000,
        "Nghị định 24/2023/NĐ-CP: lương cơ sở 1.800.000 đồng/tháng từ 01/07/2023 (nguồn chưa "
        "đối chiếu) [U]",
        "U",
        date(2023, 7, 1),
    ),
    Setting(
        "emulation.bonus.base",
        2_340_000,
        "Nghị định 73/2024/NĐ-CP: lương cơ sở 2.340.000 đồng/tháng từ 01/07/2024",
        "C",
        date(2024, 7, 1),
    ),
)
BONUS_MULTIPLIERS: dict[str, tuple[float, float]] = {
    # code: (individual, collective) × lương cơ sở, ND 152/2025 (LEGAL.md §4.3–4.5)
    LDTT: (0.3, 0.0),
    CSTDCS: (1.0, 0.0),
    CSTD_TINH: (3.0, 0.0),
    CSTD_TQ: (4.5, 0.0),
    TTLDTT: (0.0, 0.8),
    TTLDXS: (0.0, 1.5),
    CO_TINH: (0.0, 8.0),
    GIAY_KHEN: (0.3, 0.6),
    BK_TINH: (1.5, 3.0),
    BK_TTG: (3.0, 6.0),
    HCLD3: (4.5, 9.0),
}
add_settings(
    *(
        Setting(
            f"emulation.bonus.{code.lower()}.{kind}",
            value,
            f"{BONUS_SOURCE}: {value} lần lương cơ sở"
            + (
                " (tập thể gấp hai cá nhân) [U]"
                if kind == COLLECTIVE and code in (GIAY_KHEN, BK_TINH, BK_TTG)
                else ""
            ),
            "U" if kind == COLLECTIVE and code in (GIAY_KHEN, BK_TINH, BK_TTG) else "C",
            ND98_FROM,
        )
        for code, pair in BONUS_MULTIPLIERS.items()
        for kind, value in zip((INDIVIDUAL, COLLECTIVE), pair, strict=True)
        if value
    )
)


@dataclass(frozen=True, slots=True)
class Bonus:
    base: int
    multiplier: Decimal
    amount: int
    source: str


def bonus(code: str, kind: str, day: date, *overrides: Mapping[str, object] | None) -> Bonus:
    """The bonus of ``code`` for a subject of ``kind`` decided on ``day``: the base salary in
    force that day × the multiplier, rounded to the đồng (a collective's is counted on the
    collective's own multiplier)."""
    base = int(str(setting_value("emulation.bonus.base", day, *overrides)))
    name = f"emulation.bonus.{code.lower()}.{kind}"
    multiplier = Decimal(str(setting_value(name, day, *overrides))) if _known(name) else Decimal(0)
    amount = int((multiplier * base).quantize(Decimal(1), rounding=ROUND_HALF_UP))
    return Bonus(base, multiplier, amount, BONUS_SOURCE)


def _known(name: str) -> bool:
    from congvu.core.dated import setting_exists

    return setting_exists(name)


# --- The council's secret ballot (ND 98/2023 Art 30.7; ND 152: U; LEGAL.md §4.6) ----------------

VOTE_SOURCE_98 = "Nghị định 98/2023/NĐ-CP Điều 30.7 (tỷ lệ trên tổng số thành viên Hội đồng)"
VOTE_THRESHOLDS = {CSTD_TQ: 0.9, CSTD_TINH: 0.9, CSTDCS: 0.8, CO_TINH: 0.8}
add_settings(
    *(
        Setting(
            f"emulation.vote.{code.lower()}",
            VOTE_THRESHOLDS.get(code, 0.5),
            VOTE_SOURCE_98
            if code in VOTE_THRESHOLDS
            else "Nguyên tắc đa số (QĐ 86/2025/QĐ-UBND Bắc Ninh); ND 152/2025 chưa xác nhận [U]",
            "C" if code in VOTE_THRESHOLDS else "U",
            ND98_FROM,
        )
        for code in AWARDS
    ),
    Setting(
        "emulation.council.quorum",
        2 / 3,
        "Nghị định 98/2023/NĐ-CP Điều 47 (Hội đồng Trung ương: từ 2/3 thành viên); QĐ 86/2025 "
        "Bắc Ninh: 80% khi xét khen thưởng — tỉnh đặt lại được [U]",
        "U",
        ND98_FROM,
    ),
)


def vote_threshold(code: str, day: date, *overrides: Mapping[str, object] | None) -> Decimal:
    """The share of all members who must approve ``code`` (a dated setting per title)."""
    return Decimal(str(setting_value(f"emulation.vote.{code.lower()}", day, *overrides)))


def quorum(day: date, *overrides: Mapping[str, object] | None) -> Decimal:
    return Decimal(str(setting_value("emulation.council.quorum", day, *overrides)))


@dataclass(frozen=True, slots=True)
class Tally:
    """A ballot's outcome for one nomination. ``approved`` is None when the vote is void (no
    quorum): the nomination goes to a later session."""

    members: int
    cast: int
    yes: int
    no: int
    abstain: int
    threshold: Decimal
    needed: int
    quorum_met: bool
    approved: bool | None
    detail: str


def needed_votes(members: int, share: Decimal) -> int:
    """The least number of approvals that is at least ``share`` of ``members``."""
    exact = share * members
    whole = int(exact)
    return whole if whole == exact else whole + 1


def tally(
    members: int, cast: int, yes: int, no: int, threshold: Decimal, quorum_share: Decimal
) -> Tally:
    """Count a closed ballot: the denominator is every member of the council, not those who
    voted (ND 98 Art 30.7); the vote is void below the quorum of ballots cast."""
    abstain = cast - yes - no
    quorum_met = members > 0 and cast >= needed_votes(members, quorum_share)
    needed = needed_votes(members, threshold)
    approved = (yes >= needed) if quorum_met else None
    pct = (
        f"{(Decimal(yes) * 100 / members).quantize(Decimal('0.1'))}%".replace(".", ",")
        if members
        else "—"
    )
    detail = (
        f"{yes}/{members} thành viên tán thành ({pct}); cần từ {needed} "
        f"({(threshold * 100).normalize():f}% tổng số thành viên)"
        if quorum_met
        else f"Không đủ số thành viên bỏ phiếu: {cast}/{members}, cần từ "
        f"{needed_votes(members, quorum_share)}"
    )
    return Tally(members, cast, yes, no, abstain, threshold, needed, quorum_met, approved, detail)


YES, NO, ABSTAIN = "yes", "no", "abstain"
CHOICES = {YES: "Đồng ý", NO: "Không đồng ý", ABSTAIN: "Không biểu quyết"}


def ballot_refusal(choices: Mapping[str, str], items: Sequence[str]) -> str | None:
    """Why a ballot cannot be cast (None: it can): one choice per item of the session, each
    one of ``CHOICES``; a ballot is cast whole, once."""
    missing = [i for i in items if i not in choices]
    if missing:
        return "Phiếu bầu phải có lựa chọn cho mọi đề nghị trong phiên họp."
    if set(choices) - set(items):
        return "Phiếu bầu có đề nghị không thuộc phiên họp."
    if any(c not in CHOICES for c in choices.values()):
        return "Lựa chọn không hợp lệ: chỉ «Đồng ý», «Không đồng ý» hoặc «Không biểu quyết»."
    return None


# --- Nominations: their path from the unit to the decision ------------------------------------

DRAFT, SUBMITTED, RETURNED, CHECKED, REFUSED = (
    "draft",
    "submitted",
    "returned",
    "checked",
    "refused",
)
IN_SESSION, APPROVED, REJECTED, DECIDED = "in_session", "approved", "rejected", "decided"
NOMINATION_STATES = (
    DRAFT,
    SUBMITTED,
    RETURNED,
    CHECKED,
    REFUSED,
    IN_SESSION,
    APPROVED,
    REJECTED,
    DECIDED,
)
NOMINATION_STATE_NAMES = {
    DRAFT: "Đang lập hồ sơ",
    SUBMITTED: "Đã gửi, chờ Sở Nội vụ thẩm định",
    RETURNED: "Trả lại để bổ sung",
    CHECKED: "Đã thẩm định, chờ Hội đồng",
    REFUSED: "Không đủ điều kiện",
    IN_SESSION: "Đang bỏ phiếu",
    APPROVED: "Hội đồng đề nghị khen thưởng",
    REJECTED: "Hội đồng không đề nghị",
    DECIDED: "Đã có quyết định khen thưởng",
}
PROPOSER, CHECKER = "proposer", "checker"
NOMINATION_MOVE_NAMES = {
    "submit": "gửi hồ sơ đề nghị",
    "return": "trả lại hồ sơ",
    "check": "xác nhận thẩm định",
    "refuse": "kết luận không đủ điều kiện",
    "withdraw": "rút hồ sơ",
}
NOMINATION_MACHINE = Machine(
    transitions=(
        Transition("submit", frozenset({DRAFT, RETURNED}), SUBMITTED, frozenset({PROPOSER})),
        Transition(
            "return",
            frozenset({SUBMITTED, CHECKED}),
            RETURNED,
            frozenset({CHECKER}),
            needs=(("comment", "Cần ghi nội dung cần bổ sung."),),
        ),
        Transition("check", frozenset({SUBMITTED}), CHECKED, frozenset({CHECKER})),
        Transition(
            "refuse",
            frozenset({SUBMITTED, CHECKED}),
            REFUSED,
            frozenset({CHECKER}),
            needs=(("comment", "Cần ghi lý do không đủ điều kiện."),),
        ),
        Transition(
            "withdraw", frozenset({DRAFT, RETURNED, SUBMITTED}), REFUSED, frozenset({PROPOSER})
        ),
    ),
    unknown_move=lambda move: f"Không có thao tác «{move}».",
    wrong_state=lambda move, state: (
        f"Không thể {NOMINATION_MOVE_NAMES.get(move, move)} khi hồ sơ ở trạng thái "
        f"«{NOMINATION_STATE_NAMES.get(state, state)}»."
    ),
    wrong_role=lambda move, ts: f"Bạn không có quyền {NOMINATION_MOVE_NAMES.get(move, move)}.",
)
"""The unit proposes and submits; Sở Nội vụ (the council's standing body) checks, returns or
refuses. The council's session then moves checked nominations (services: in_session →
approved / rejected by the tally, or back to checked when the vote is void) and a decision
moves approved ones to decided."""

# --- Council sessions ------------------------------------------------------------------------------

PREPARING, VOTING, CLOSED = "preparing", "voting", "closed"
SESSION_STATE_NAMES = {PREPARING: "Chuẩn bị", VOTING: "Đang bỏ phiếu", CLOSED: "Đã kết thúc"}

# --- Decisions ---------------------------------------------------------------------------------

REVOCATION_GROUNDS = {
    "gian_doi": "Gian dối trong kê khai thành tích",
    "gia_mao": "Cung cấp thông tin sai sự thật, giả mạo hồ sơ",
    "trai_phap_luat": "Xét, đề nghị khen thưởng trái pháp luật",
    "vi_pham_sau": "Kết luận sau đó có vi phạm trong thời gian lập thành tích, không đủ tiêu chuẩn",
}
REVOCATION_SOURCE = "Luật Thi đua, khen thưởng 06/2022/QH15, Chương VII"

# --- Clusters and blocks: mutual scoring and ranking (LEGAL.md §4.4, Cờ thi đua) -------------------

CUM, KHOI = "cum", "khoi"
CLUSTER_KINDS = {CUM: "Cụm thi đua", KHOI: "Khối thi đua"}
add_settings(
    Setting(
        "emulation.cluster.flag_places",
        1,
        "Cờ thi đua cấp tỉnh: tập thể dẫn đầu cụm, khối (Luật 06/2022 Điều 25, 26 — theo "
        "tương tự) [U]",
        "U",
        ND98_FROM,
    ),
)


@dataclass(frozen=True, slots=True)
class Rank:
    unit: int
    place: int
    average: Decimal
    scorers: int
    may_propose_flag: bool


def cluster_ranking(
    members: Sequence[int],
    totals: Mapping[tuple[int, int], Decimal],
    flag_places: int,
) -> list[Rank]:
    """Rank a cluster's members by the average of the totals the *other* members gave them
    (a member's score of itself is ignored: mutual scoring). ``totals``: (scorer, scored) →
    total points. Equal averages share a place; the first ``flag_places`` places may be
    proposed for Cờ thi đua. A member nobody scored ranks last with average 0."""
    averages: dict[int, tuple[Decimal, int]] = {}
    for unit in members:
        given = [v for (scorer, scored), v in totals.items() if scored == unit and scorer != unit]
        avg = (
            (sum(given, Decimal(0)) / len(given)).quantize(Decimal("0.01")) if given else Decimal(0)
        )
        averages[unit] = (avg, len(given))
    order = sorted(members, key=lambda u: (-averages[u][0], u))
    ranks: list[Rank] = []
    place = 0
    previous: Decimal | None = None
    for index, unit in enumerate(order, start=1):
        avg, count = averages[unit]
        if avg != previous:
            place, previous = index, avg
        ranks.append(Rank(unit, place, avg, count, count > 0 and place <= flag_places))
    return ranks


def score_refusal(points: Decimal, maximum: Decimal, scorer: int, scored: int) -> str | None:
    if scorer == scored:
        return "Đơn vị không tự chấm điểm cho mình trong cụm, khối thi đua."
    if points < 0 or points > maximum:
        return f"Điểm phải từ 0 đến {maximum.normalize():f}."
    return None
