"""Invented people for the demo province: names, positions and working histories.

Pure: given the catalogue, a size and a seed, the same people come out every time.
Names follow the usual distribution of Vietnamese family names (Nguyễn about 38%),
with Chăm and Raglai family names in the communes where those peoples live.
"""

import random
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta

from congvu.organisations.demo_data import DATA_UNTIL, Catalogue, DemoUnit
from congvu.organisations.models import Gender, StaffCategory
from congvu.organisations.rules import StaffSpec

CB, CC, VC, LD = (
    StaffCategory.CAN_BO,
    StaffCategory.CONG_CHUC,
    StaffCategory.VIEN_CHUC,
    StaffCategory.NGUOI_LAO_DONG,
)

HO = {
    "Nguyễn": 38,
    "Trần": 11,
    "Lê": 9.5,
    "Phạm": 7,
    "Huỳnh": 4,
    "Phan": 4.5,
    "Võ": 4,
    "Hoàng": 1.5,
    "Vũ": 1,
    "Đặng": 2.1,
    "Bùi": 2,
    "Đỗ": 1.4,
    "Hồ": 1.5,
    "Ngô": 1.3,
    "Dương": 1,
    "Lý": 0.5,
    "Trương": 1,
    "Đinh": 0.8,
    "Đoàn": 0.7,
    "Lâm": 0.5,
    "Mai": 0.5,
    "Cao": 0.5,
    "Châu": 0.4,
    "Lương": 0.4,
    "Hà": 0.4,
    "Tạ": 0.3,
    "Thái": 0.3,
    "Tô": 0.2,
}
HO_ETHNIC = {
    "cham": {"Đàng": 4, "Thông": 2, "Quảng": 2, "Lưu": 1, "Thiên": 1, "Trượng": 1, "Bá": 1},
    "raglai": {"Pi Năng": 3, "Chamaléa": 3, "Katơr": 2, "Mấu": 2, "Bo Bo": 1, "Cao": 1},
}
DEM = {
    Gender.NAM: {
        "Văn": 30,
        "Minh": 9,
        "Hữu": 8,
        "Đức": 8,
        "Quốc": 6,
        "Thanh": 6,
        "Công": 5,
        "Quang": 5,
        "Ngọc": 4,
        "Xuân": 4,
        "Anh": 4,
        "Đình": 4,
        "Tấn": 4,
        "Trọng": 3,
        "Hoàng": 3,
        "Duy": 3,
    },
    Gender.NU: {
        "Thị": 50,
        "Ngọc": 8,
        "Thanh": 6,
        "Thu": 6,
        "Kim": 4,
        "Mỹ": 4,
        "Hồng": 4,
        "Phương": 3,
        "Minh": 3,
        "Thùy": 3,
        "Bảo": 2,
        "Hoài": 2,
        "Khánh": 2,
        "Diễm": 1,
    },
}
TEN = {
    Gender.NAM: {
        "Anh": 4,
        "Hùng": 3,
        "Dũng": 3,
        "Tuấn": 3,
        "Minh": 3,
        "Nam": 2.5,
        "Hải": 2.5,
        "Long": 2,
        "Sơn": 2,
        "Đức": 2,
        "An": 1.5,
        "Bình": 1.5,
        "Quân": 1.5,
        "Tâm": 1,
        "Thắng": 1,
        "Trung": 1,
        "Hiếu": 1,
        "Huy": 1.5,
        "Khánh": 1,
        "Phúc": 1,
        "Quang": 1,
        "Thành": 1.5,
        "Vinh": 1,
        "Cường": 1,
        "Hoàng": 1,
        "Hưng": 1,
        "Lâm": 1,
        "Phong": 1,
        "Tài": 1,
        "Toàn": 1,
        "Việt": 1,
        "Khoa": 1,
        "Bảo": 1,
        "Đạt": 1,
        "Nhân": 1,
        "Tùng": 1,
        "Lộc": 1,
        "Thịnh": 1,
        "Tiến": 1,
    },
    Gender.NU: {
        "Anh": 3,
        "Linh": 3,
        "Trang": 3,
        "Hương": 3,
        "Thảo": 3,
        "Ngọc": 2,
        "Lan": 2,
        "Hà": 2,
        "Mai": 2,
        "Phương": 2,
        "Châu": 1,
        "Hạnh": 1.5,
        "Hoa": 1.5,
        "Nga": 1,
        "Vy": 1.5,
        "Yến": 1.5,
        "Hằng": 1,
        "Nhung": 1,
        "Thủy": 1.5,
        "Vân": 1,
        "Hiền": 1,
        "Loan": 1,
        "Oanh": 1,
        "Quyên": 1,
        "Trinh": 1,
        "Tâm": 1,
        "Uyên": 1,
        "Dung": 1,
        "Thư": 1,
        "Ly": 1,
        "Nhi": 1,
        "Hòa": 1,
    },
}


@dataclass(frozen=True)
class Profile:
    head: str
    deputy: str
    deputies_max: int
    middle: tuple[str, ...]
    ranks: dict[str, float]
    category: str = CC
    head_category: str = ""  # defaults to ``category``
    workers: dict[str, float] = field(
        default_factory=lambda: {"Nhân viên": 3, "Lái xe": 2, "Bảo vệ": 1}
    )
    worker_share: float = 0.05
    female: float = 0.45


_OFFICE = {
    "Chuyên viên": 55,
    "Chuyên viên chính": 25,
    "Chuyên viên cao cấp": 2,
    "Cán sự": 4,
    "Kế toán viên": 4,
    "Văn thư viên": 2,
}
_DEPT_MIDDLE = (
    "Chánh Văn phòng",
    "Trưởng phòng",
    "Trưởng phòng",
    "Phó Trưởng phòng",
    "Phó Trưởng phòng",
    "Phó Chánh Văn phòng",
)
PROFILES = {
    "tinh": Profile(
        "Chủ tịch UBND tỉnh",
        "Phó Chủ tịch UBND tỉnh",
        4,
        (),
        {"Chuyên viên": 1},
        category=CB,
        female=0.3,
    ),
    "so": Profile("Giám đốc", "Phó Giám đốc", 3, _DEPT_MIDDLE, _OFFICE),
    "vp": Profile(
        "Chánh Văn phòng", "Phó Chánh Văn phòng", 4, ("Trưởng phòng", "Phó Trưởng phòng"), _OFFICE
    ),
    "ttr": Profile(
        "Chánh Thanh tra tỉnh",
        "Phó Chánh Thanh tra tỉnh",
        3,
        ("Trưởng phòng", "Phó Trưởng phòng"),
        {
            "Thanh tra viên": 50,
            "Thanh tra viên chính": 30,
            "Thanh tra viên cao cấp": 3,
            "Chuyên viên": 15,
        },
        female=0.35,
    ),
    "bdt": Profile("Giám đốc", "Phó Giám đốc", 2, _DEPT_MIDDLE, _OFFICE),
    "bql": Profile("Trưởng ban", "Phó Trưởng ban", 3, _DEPT_MIDDLE, _OFFICE),
    "huyen": Profile(
        "Chủ tịch UBND",
        "Phó Chủ tịch UBND",
        3,
        ("Chánh Văn phòng HĐND và UBND", "Trưởng phòng"),
        _OFFICE,
    ),
    "xa": Profile(
        "Chủ tịch UBND",
        "Phó Chủ tịch UBND",
        2,
        (),
        {
            "Chuyên viên": 60,
            "Chuyên viên chính": 10,
            "Cán sự": 10,
            "Kế toán viên": 5,
            "Văn thư viên": 3,
        },
        head_category=CB,
        female=0.42,
    ),
    "xa_cu": Profile(
        "Chủ tịch UBND",
        "Phó Chủ tịch UBND",
        2,
        (),
        {
            "Công chức Văn phòng – Thống kê": 2,
            "Công chức Tư pháp – Hộ tịch": 2,
            "Công chức Địa chính – Xây dựng": 2,
            "Công chức Tài chính – Kế toán": 2,
            "Công chức Văn hóa – Xã hội": 2,
        },
        head_category=CB,
    ),
    "hospital": Profile(
        "Giám đốc",
        "Phó Giám đốc",
        4,
        (
            "Trưởng khoa",
            "Phó Trưởng khoa",
            "Điều dưỡng trưởng",
            "Trưởng khoa",
            "Trưởng phòng",
            "Phó Trưởng phòng",
        ),
        {
            "Bác sĩ": 22,
            "Bác sĩ chính": 8,
            "Điều dưỡng": 34,
            "Hộ sinh": 5,
            "Dược sĩ": 5,
            "Kỹ thuật viên": 8,
            "Kế toán viên": 2,
            "Chuyên viên": 3,
        },
        category=VC,
        workers={"Hộ lý": 4, "Nhân viên bảo vệ": 1, "Lái xe": 1},
        worker_share=0.1,
        female=0.65,
    ),
    "cdc": Profile(
        "Giám đốc",
        "Phó Giám đốc",
        3,
        ("Trưởng khoa", "Phó Trưởng khoa", "Trưởng phòng"),
        {
            "Bác sĩ": 25,
            "Y sĩ": 10,
            "Điều dưỡng": 15,
            "Kỹ thuật viên xét nghiệm": 15,
            "Dược sĩ": 5,
            "Chuyên viên": 10,
        },
        category=VC,
        female=0.6,
    ),
    "school": Profile(
        "Hiệu trưởng",
        "Phó Hiệu trưởng",
        3,
        ("Tổ trưởng chuyên môn", "Tổ phó chuyên môn"),
        {"Giáo viên": 85, "Nhân viên thư viện": 3, "Kế toán viên": 3, "Nhân viên thiết bị": 2},
        category=VC,
        workers={"Nhân viên bảo vệ": 2, "Nhân viên phục vụ": 2},
        female=0.68,
    ),
    "college": Profile(
        "Hiệu trưởng",
        "Phó Hiệu trưởng",
        3,
        ("Trưởng khoa", "Phó Trưởng khoa", "Trưởng phòng"),
        {"Giảng viên": 60, "Giảng viên chính": 20, "Chuyên viên": 10, "Kế toán viên": 3},
        category=VC,
        female=0.55,
    ),
    "centre": Profile(
        "Giám đốc",
        "Phó Giám đốc",
        2,
        ("Trưởng phòng", "Phó Trưởng phòng"),
        {"Chuyên viên": 50, "Kỹ sư": 20, "Kỹ thuật viên": 10, "Kế toán viên": 5},
        category=VC,
        female=0.5,
    ),
    "library": Profile(
        "Giám đốc",
        "Phó Giám đốc",
        2,
        ("Trưởng phòng",),
        {"Thư viện viên": 70, "Chuyên viên": 20},
        category=VC,
        female=0.7,
    ),
    "museum": Profile(
        "Giám đốc",
        "Phó Giám đốc",
        2,
        ("Trưởng phòng",),
        {"Di sản viên": 60, "Chuyên viên": 30},
        category=VC,
        female=0.55,
    ),
    "theatre": Profile(
        "Giám đốc",
        "Phó Giám đốc",
        2,
        ("Trưởng đoàn", "Phó Trưởng đoàn"),
        {"Diễn viên": 50, "Nhạc công": 25, "Chuyên viên": 10},
        category=VC,
        female=0.5,
    ),
    "party": Profile(
        "Chánh Văn phòng",
        "Phó Chánh Văn phòng",
        3,
        ("Trưởng phòng",),
        {"Chuyên viên": 60, "Chuyên viên chính": 25, "Kiểm tra viên": 10},
        head_category=CB,
        female=0.4,
    ),
    "mass": Profile(
        "Chủ tịch",
        "Phó Chủ tịch",
        3,
        ("Trưởng ban",),
        {"Chuyên viên": 70, "Chuyên viên chính": 20},
        head_category=CB,
        female=0.5,
    ),
}
# Heads of party and mass organisations, by code suffix: (head, deputy).
HEADS = {
    "TU": ("Bí thư Tỉnh ủy", "Phó Bí thư Tỉnh ủy"),
    "VPTU": ("Chánh Văn phòng Tỉnh ủy", "Phó Chánh Văn phòng Tỉnh ủy"),
    "BTCTU": ("Trưởng Ban Tổ chức Tỉnh ủy", "Phó Trưởng Ban Tổ chức Tỉnh ủy"),
    "UBKTTU": ("Chủ nhiệm Ủy ban Kiểm tra Tỉnh ủy", "Phó Chủ nhiệm Ủy ban Kiểm tra Tỉnh ủy"),
    "MTTQ": ("Chủ tịch Ủy ban MTTQ Việt Nam tỉnh", "Phó Chủ tịch Ủy ban MTTQ Việt Nam tỉnh"),
    "HLHPN": ("Chủ tịch Hội Liên hiệp Phụ nữ tỉnh", "Phó Chủ tịch Hội Liên hiệp Phụ nữ tỉnh"),
    "TDOAN": ("Bí thư Tỉnh đoàn", "Phó Bí thư Tỉnh đoàn"),
    "HND": ("Chủ tịch Hội Nông dân tỉnh", "Phó Chủ tịch Hội Nông dân tỉnh"),
    "HCCB": ("Chủ tịch Hội Cựu chiến binh tỉnh", "Phó Chủ tịch Hội Cựu chiến binh tỉnh"),
}
# Commune cán bộ after the chairman and deputies (elected or heading a mass organisation).
COMMUNE_CAN_BO = (
    "Bí thư Đảng ủy {k}",
    "Chủ tịch HĐND {k}",
    "Phó Chủ tịch HĐND {k}",
    "Chủ tịch Ủy ban MTTQ Việt Nam {k}",
    "Phó Bí thư Đảng ủy {k}",
    "Chủ tịch Hội Liên hiệp Phụ nữ {k}",
    "Bí thư Đoàn Thanh niên {k}",
    "Chủ tịch Hội Nông dân {k}",
    "Chủ tịch Hội Cựu chiến binh {k}",
)
COMMUNE_MIDDLE = (
    "Chánh Văn phòng HĐND và UBND",
    "Trưởng phòng Kinh tế",
    "Trưởng phòng Văn hóa – Xã hội",
    "Phó Chánh Văn phòng HĐND và UBND",
    "Phó Trưởng phòng Văn hóa – Xã hội",
    "Phó Trưởng phòng Kinh tế",
)
# Transfers stay within a family of posts (offices, health, schools, culture, communes).
GROUPS = {
    "so": "office",
    "vp": "office",
    "ttr": "office",
    "bdt": "office",
    "bql": "office",
    "huyen": "office",
    "centre": "office",
    "hospital": "health",
    "cdc": "health",
    "school": "education",
    "college": "education",
    "library": "culture",
    "museum": "culture",
    "theatre": "culture",
    "xa_cu": "commune",
    "xa": "commune",
    "party": "party",
    "mass": "party",
    "tinh": "province",
}
KEY_UNITS = {"KHA-SNV": 4, "KHA-SYT": 3, "KHA-TTR": 3, "KHA-STP": 3}
ROOT_LEADERS = 5


@dataclass(frozen=True)
class Segment:
    unit: str
    valid_from: date
    valid_to: date | None
    position: str
    note: str = ""


@dataclass(frozen=True, kw_only=True)
class Person(StaffSpec):
    """A demo person: the spec, their current unit's code, and their career segments."""

    unit: str
    is_active: bool
    segments: tuple[Segment, ...]


@dataclass
class Lineage:
    """Facts about the catalogue the histories need: lifetimes and who became whom."""

    units: dict[str, DemoUnit]
    ended: dict[str, date]
    edges_into: dict[str, list[tuple[str, date, str, float]]]  # pred, day, note, share
    current: list[str]


def lineage(cat: Catalogue) -> Lineage:
    units = {u.key: u for u in cat.units}
    codes = {u.key: u.key for u in cat.units}
    ended: dict[str, date] = {}
    edges: dict[str, list] = defaultdict(list)
    for op in cat.ops:
        if op.new is not None:
            units[op.new.key] = op.new
            codes[op.new.key] = op.new.key
        if op.kind == "rename":
            codes[op.preds[0]] = op.code
        elif op.kind in ("merge_into", "merge_new"):
            target = op.target or op.new.key
            for pred in op.preds:
                if pred != target:
                    ended[pred] = op.day
                    edges[target].append((pred, op.day, f"Sáp nhập vào {codes[target]}", 1.0))
        elif op.kind == "dissolve":
            district = op.preds[0]
            ended[district] = op.day
            for succ in op.successors:
                share = 1 / len(op.successors)
                edges[succ].append((district, op.day, f"Giải thể {codes[district]}", share))
    current = [key for key in units if key not in ended]
    return Lineage(units, ended, dict(edges), current)


def _pick(rng: random.Random, table: dict[str, float]) -> str:
    return rng.choices(list(table), weights=list(table.values()))[0]


def _day_between(rng: random.Random, lo: date, hi: date) -> date:
    """A day in [lo, hi); ``lo`` when the range is empty."""
    span = (hi - lo).days
    return lo + timedelta(days=rng.randrange(span)) if span > 0 else lo


def allocate(lin: Lineage, total: int) -> dict[str, int]:
    """Staff per current unit: the fixed minimum, the rest by weight (largest remainder)."""
    counts = {}
    for key in lin.current:
        unit = lin.units[key]
        counts[key] = ROOT_LEADERS if unit.profile == "tinh" else KEY_UNITS.get(key, 1)
    floor = sum(counts.values())
    if total < floor:
        raise ValueError(f"Cần ít nhất {floor} cán bộ để mỗi đơn vị có người.")
    weighted = [k for k in lin.current if lin.units[k].profile != "tinh"]
    weight_sum = sum(lin.units[k].weight for k in weighted)
    shares = {k: (total - floor) * lin.units[k].weight / weight_sum for k in weighted}
    for key, share in shares.items():
        counts[key] += int(share)
    rest = total - sum(counts.values())
    for key in sorted(shares, key=lambda k: (-(shares[k] % 1), k))[:rest]:
        counts[key] += 1
    return counts


def _commune_kind(name: str) -> str:
    for kind in ("đặc khu", "thị trấn", "phường", "xã"):
        if name.startswith(f"UBND {kind}"):
            return kind
    return "xã"


def _titles(unit: DemoUnit) -> tuple[str, str]:
    profile = PROFILES[unit.profile]
    suffix = unit.key.rsplit("-", 1)[-1]
    if suffix in HEADS:
        return HEADS[suffix]
    if unit.profile in ("xa", "xa_cu"):
        kind = _commune_kind(unit.name)
        return f"{profile.head} {kind}", f"{profile.deputy} {kind}"
    if unit.profile == "huyen":
        kind = next(
            k for k in ("thành phố", "thị xã", "huyện") if unit.name.startswith(f"UBND {k}")
        )
        return f"{profile.head} {kind}", f"{profile.deputy} {kind}"
    return profile.head, profile.deputy


def positions(rng: random.Random, unit: DemoUnit, count: int) -> list[tuple[str, str, bool]]:
    """(position, category, is_leader) for the ``count`` people of ``unit``, head first."""
    profile = PROFILES[unit.profile]
    head, deputy = _titles(unit)
    lead_cat = profile.head_category or profile.category
    out = [(head, lead_cat, True)]
    deputies = min(profile.deputies_max, max(1 if count >= 3 else 0, round(count / 30)))
    out += [(deputy, lead_cat, True)] * deputies
    if unit.profile == "xa":
        kind = _commune_kind(unit.name)
        out += [(t.format(k=kind), CB, True) for t in COMMUNE_CAN_BO[: max(0, count // 5)]]
        middle = [
            m + (", Hạ tầng và Đô thị" if kind != "xã" and m.endswith("Kinh tế") else "")
            for m in COMMUNE_MIDDLE
        ]
        out += [(m, profile.category, True) for m in middle[: max(0, count // 8)]]
    elif profile.middle:
        n_middle = round(count * 0.1) if count >= 8 else 0
        out += [
            (profile.middle[i % len(profile.middle)], profile.category, True)
            for i in range(n_middle)
        ]
    out = out[:count]
    first_rank = len(out)  # the first rank-and-file post is never a worker's
    while len(out) < count:
        if len(out) > first_rank and rng.random() < profile.worker_share:
            out.append((_pick(rng, profile.workers), LD, False))
        else:
            out.append((_pick(rng, profile.ranks), profile.category, False))
    return out


def _birth_year(rng: random.Random, index: int, is_leader: bool) -> int:
    if index == 0:
        return rng.randint(1966, 1976)
    if is_leader:
        return rng.randint(1968, 1988)
    return int(rng.triangular(1966, 2002, 1985))


def _name(rng: random.Random, unit: DemoUnit, gender: str) -> tuple[str, str, str]:
    if unit.ethnic and rng.random() < 0.3:
        ho = _pick(rng, HO_ETHNIC[unit.ethnic])
    else:
        ho = _pick(rng, HO)
    return ho, _pick(rng, DEM[gender]), _pick(rng, TEN[gender])


def _history(rng, lin: Lineage, key: str, earliest: date) -> list[tuple[str, date, str]]:
    """Walk back from ``key`` through lineage: [(unit, entered on, note)], oldest first."""
    path: list[tuple[str, date, str]] = []
    unit, upper = key, DATA_UNTIL
    while True:
        info = lin.units[unit]
        options: list[tuple[tuple | None, float]] = []
        stay = info.weight * (1.0 if info.founded <= date(2020, 1, 1) else 0.08)
        if earliest < upper and info.founded < upper:
            options.append((None, max(stay, 0.001)))
        for pred, day, edge_note, share in lin.edges_into.get(unit, ()):
            pred_info = lin.units[pred]
            if day <= upper and day > earliest + timedelta(days=180) and pred_info.founded < day:
                options.append(((pred, day, edge_note), pred_info.weight * share))
        choice = (
            rng.choices([o for o, _ in options], weights=[w for _, w in options])[0]
            if (options)
            else None
        )
        if choice is None:
            lo = max(info.founded, earliest)
            join = (
                _day_between(rng, lo, upper)
                if lo < upper
                else max(info.founded, upper - timedelta(days=365))
            )
            path.append((unit, join, ""))
            return path[::-1]
        pred, day, edge_note = choice
        path.append((unit, day, edge_note))  # entered on the merger: the services' note
        unit, upper = pred, day


def _segments(
    rng, lin: Lineage, person_unit: str, birth: int, position: str, is_leader: bool
) -> list[Segment]:
    earliest = date(birth + 22, rng.randint(1, 12), rng.randint(1, 28))
    path = _history(rng, lin, person_unit, earliest)
    segments = []
    for i, (unit, start, note) in enumerate(path):
        end = path[i + 1][1] if i + 1 < len(path) else None
        if unit == person_unit:
            pos = position
        elif is_leader:
            pos = _titles(lin.units[unit])[1]
        elif lin.units[unit].profile == lin.units[person_unit].profile:
            pos = position
        else:
            pos = next(iter(PROFILES[lin.units[unit].profile].ranks))
        # Merges and dissolutions carry the position over, as the services do.
        segments.append(Segment(unit, start, end, pos, note))
    if rng.random() < (0.2 if is_leader else 0.06):
        segments = _with_transfer(rng, lin, segments)
    return segments


def _with_transfer(rng, lin: Lineage, segments: list[Segment]) -> list[Segment]:
    """Add an earlier post elsewhere: the first segment starts later, after a transfer."""
    first = segments[0]
    end = first.valid_to or DATA_UNTIL
    lo, hi = first.valid_from + timedelta(days=365), end - timedelta(days=180)
    if lo >= hi:
        return segments
    moved = _day_between(rng, lo, hi)
    pool = [
        k
        for k, u in lin.units.items()
        if k != first.unit
        and GROUPS.get(u.profile) == GROUPS.get(lin.units[first.unit].profile)
        and u.founded <= first.valid_from
        and lin.ended.get(k, date.max) > moved
        and k.split("-")[0] == first.unit.split("-")[0]
    ]
    if not pool:
        return segments
    other = rng.choices(pool, weights=[lin.units[k].weight for k in pool])[0]
    earlier = Segment(
        other, first.valid_from, moved, next(iter(PROFILES[lin.units[other].profile].ranks))
    )
    later = Segment(first.unit, moved, first.valid_to, first.position, "Điều chuyển")
    return [earlier, later, *segments[1:]]


def _retire(rng, segments: list[Segment]) -> list[Segment] | None:
    """Close the history on a leaving day; None when too short to retire from."""
    lo = segments[0].valid_from + timedelta(days=730)
    hi = DATA_UNTIL - timedelta(days=30)
    if lo >= hi:
        return None
    day = _day_between(rng, lo, hi)
    kept = [s for s in segments if s.valid_from < day]
    last = kept[-1]
    return [*kept[:-1], Segment(last.unit, last.valid_from, day, last.position, last.note)]


def people(cat: Catalogue, total: int, seed: int) -> tuple[list[Person], dict[str, str]]:
    """``total`` people and the codes of the ones who get a demo login, by tag."""
    rng = random.Random(seed)
    lin = lineage(cat)
    counts = allocate(lin, total)
    result: list[Person] = []
    tags: dict[str, str] = {}
    for key in lin.current:
        unit = lin.units[key]
        profile = PROFILES[unit.profile]
        for index, (position, category, is_leader) in enumerate(positions(rng, unit, counts[key])):
            female = profile.female * (0.5 if is_leader else 1.0)
            if key.endswith("HLHPN") or "Phụ nữ" in position:
                female = 0.95
            gender = Gender.NU if rng.random() < female else Gender.NAM
            birth = _birth_year(rng, index, is_leader)
            if key.endswith("TDOAN") or "Đoàn Thanh niên" in position:
                birth = rng.randint(1986, 1996)
            ho, dem, ten = _name(rng, unit, gender)
            segments = _segments(rng, lin, key, birth, position, is_leader)
            code = f"KH{len(result) + 1:06d}"
            tag = _tag(key, index, is_leader, category, tags)
            active = True
            if not tag and not is_leader and rng.random() < 0.012:
                retired = _retire(rng, segments)
                if retired:
                    segments, active = retired, False
            if tag:
                tags[tag] = code
            last = segments[-1]
            result.append(
                Person(
                    code=code,
                    ho=ho,
                    dem=dem,
                    ten=ten,
                    gender=gender,
                    birth_year=birth,
                    category=category,
                    position=last.position,
                    is_leader=is_leader,
                    unit=last.unit,
                    is_active=active,
                    segments=tuple(segments),
                )
            )
    return result, tags


def _tag(key: str, index: int, is_leader: bool, category: str, tags: dict[str, str]) -> str:
    """Which demo login (if any) this person gets."""
    if index == 0:
        tag = {"KHA": "lanhdao", "KHA-SYT": "gd_syt"}.get(key, "")
    elif is_leader:
        tag = "hoidong" if key == "KHA-SNV" else ""
    elif category != LD:
        tag = {
            "KHA-SNV": "sonoivu",
            "KHA-TTR": "kiemtra",
            "KHA-STP": "canbo",
            "KHA-P-NHATRANG": "xuly",
        }.get(key, "")
    else:
        tag = ""
    return tag if tag and tag not in tags else ""
