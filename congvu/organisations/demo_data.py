"""The demo province as data: Khánh Hòa, which absorbed Ninh Thuận on 01/07/2025.

Units, the dated operations that shaped them (docs/legal/organisation.md#o-1, #o-2,
#o-4) and the staff weight of each unit. ``demo.py`` replays the operations through the
services and derives the staff's membership histories from the same list, so both always
agree.

Department names are the real ones; the commune list follows the 2025 arrangement
as far as it is known and is a demo, not a legal reference.
"""

from dataclasses import dataclass, field
from datetime import date

from congvu.core.text import fold
from congvu.organisations.models import UnitType

FOUNDED = date(2008, 1, 1)
REFORM = date(2025, 3, 1)  # department mergers, Nghị định 45/2025/NĐ-CP
MERGER = date(2025, 7, 1)  # Nghị quyết 202/2025/QH15, two-level local government
MERGER_DECIDED = date(2025, 6, 12)
DATA_UNTIL = date(2026, 10, 31)  # the last day the generated histories reach

BASIS_REFORM = "Nghị định 45/2025/NĐ-CP; sắp xếp cơ quan chuyên môn thuộc UBND tỉnh"
BASIS_PROVINCE = "Nghị quyết 202/2025/QH15 về sắp xếp đơn vị hành chính cấp tỉnh"
BASIS_COMMUNE = "Nghị quyết của UBTVQH về sắp xếp đơn vị hành chính cấp xã tỉnh Khánh Hòa năm 2025"
BASIS_DISTRICT = "Luật Tổ chức chính quyền địa phương 2025: kết thúc hoạt động cấp huyện"
BASIS_MERGE_DEPT = "Sắp xếp cơ quan chuyên môn khi hợp nhất tỉnh Khánh Hòa và tỉnh Ninh Thuận"
BASIS_PARTY = "Hợp nhất tổ chức Đảng, Mặt trận khi hợp nhất tỉnh"
BASIS_MASS = "Sắp xếp các tổ chức chính trị – xã hội trực thuộc Ủy ban MTTQ Việt Nam tỉnh"

NTH_SCALE = 0.55  # Ninh Thuận had about half the population of Khánh Hòa


@dataclass(frozen=True)
class DemoUnit:
    key: str  # also the unit code
    name: str
    unit_type: str
    parent: str | None
    weight: float  # share of staff while the unit is current (or was, for origins)
    profile: str  # which positions its staff hold (demo_people.PROFILES)
    founded: date = FOUNDED
    ethnic: str = ""  # "cham" or "raglai": some staff bear those family names


@dataclass(frozen=True)
class Op:
    """One dated change, replayed through the services in list order."""

    kind: str  # create | merge_into | merge_new | move | rename | dissolve
    day: date
    preds: tuple[str, ...] = ()
    target: str = ""  # merge_into: the receiving unit; move: the new parent
    new: DemoUnit | None = None  # create, merge_new: the new unit
    successors: tuple[str, ...] = ()  # dissolve
    name: str = ""  # rename
    code: str = ""  # rename
    basis: str = ""
    decided_on: date | None = None


@dataclass
class Catalogue:
    units: list[DemoUnit] = field(default_factory=list)
    ops: list[Op] = field(default_factory=list)

    def add(self, unit: DemoUnit) -> DemoUnit:
        self.units.append(unit)
        return unit


def slug(name: str) -> str:
    return "".join(ch for ch in fold(name).upper() if ch.isalnum())[:14]


# (code suffix, name, weight, profile). Both provinces had these before 2025.
_DEPARTMENTS = [
    ("VP", "Văn phòng UBND tỉnh", 6, "vp"),
    ("SNV", "Sở Nội vụ", 6, "so"),
    ("STP", "Sở Tư pháp", 4, "so"),
    ("STC", "Sở Tài chính", 5, "so"),
    ("SKHDT", "Sở Kế hoạch và Đầu tư", 4, "so"),
    ("SCT", "Sở Công Thương", 4, "so"),
    ("SNNPTNT", "Sở Nông nghiệp và Phát triển nông thôn", 6, "so"),
    ("STNMT", "Sở Tài nguyên và Môi trường", 5, "so"),
    ("SXD", "Sở Xây dựng", 4, "so"),
    ("SGTVT", "Sở Giao thông vận tải", 4, "so"),
    ("SKHCN", "Sở Khoa học và Công nghệ", 3, "so"),
    ("STTTT", "Sở Thông tin và Truyền thông", 3, "so"),
    ("SLDTBXH", "Sở Lao động – Thương binh và Xã hội", 5, "so"),
    ("SGDDT", "Sở Giáo dục và Đào tạo", 5, "so"),
    ("SYT", "Sở Y tế", 5, "so"),
    ("TTR", "Thanh tra tỉnh", 4, "ttr"),
    ("BDT", "Ban Dân tộc", 2, "bdt"),
    ("SNGV", "Sở Ngoại vụ", 2, "so"),
]
_KHA_ONLY = [
    ("SVHTT", "Sở Văn hóa và Thể thao", 4, "so"),
    ("SDL", "Sở Du lịch", 3, "so"),
    ("BQLKKT", "Ban Quản lý Khu kinh tế Vân Phong", 3, "bql"),
]
_NTH_ONLY = [
    ("SVHTTDL", "Sở Văn hóa, Thể thao và Du lịch", 4, "so"),
    ("BQLKCN", "Ban Quản lý các khu công nghiệp tỉnh Ninh Thuận", 2, "bql"),
]
# 01/03/2025, in each province: (absorbed, receiving).
_REFORM_ABSORB = [
    ("SKHDT", "STC"),
    ("SLDTBXH", "SNV"),
    ("STTTT", "SKHCN"),
    ("SGTVT", "SXD"),
    ("SNGV", "VP"),
]

# (province, parent department, code suffix, name, weight, profile, founded)
_PUBLIC_SERVICE = [
    ("KHA", "SYT", "BVDK", "Bệnh viện Đa khoa tỉnh Khánh Hòa", 30, "hospital", FOUNDED),
    ("KHA", "SYT", "BVLBP", "Bệnh viện Lao và Bệnh phổi Khánh Hòa", 4, "hospital", FOUNDED),
    (
        "KHA",
        "SYT",
        "BVYHCT",
        "Bệnh viện Y học cổ truyền và Phục hồi chức năng Khánh Hòa",
        5,
        "hospital",
        FOUNDED,
    ),
    (
        "KHA",
        "SYT",
        "CDC",
        "Trung tâm Kiểm soát bệnh tật tỉnh Khánh Hòa",
        6,
        "cdc",
        date(2018, 1, 1),
    ),
    ("KHA", "SYT", "CDYT", "Trường Cao đẳng Y tế Khánh Hòa", 4, "college", FOUNDED),
    ("KHA", "SGDDT", "LQD", "Trường THPT chuyên Lê Quý Đôn", 3.5, "school", FOUNDED),
    ("KHA", "SGDDT", "NVT", "Trường THPT Nguyễn Văn Trỗi", 3.5, "school", FOUNDED),
    ("KHA", "SGDDT", "HHT", "Trường THPT Hoàng Hoa Thám", 3.5, "school", FOUNDED),
    (
        "KHA",
        "SLDTBXH",
        "CDKTCN",
        "Trường Cao đẳng Kỹ thuật Công nghệ Nha Trang",
        5,
        "college",
        FOUNDED,
    ),
    ("KHA", "SLDTBXH", "DVVL", "Trung tâm Dịch vụ việc làm Khánh Hòa", 2, "centre", FOUNDED),
    ("KHA", "SNNPTNT", "TTKN", "Trung tâm Khuyến nông Khánh Hòa", 2, "centre", FOUNDED),
    (
        "KHA",
        "STNMT",
        "VPDKDD",
        "Văn phòng Đăng ký đất đai tỉnh Khánh Hòa",
        4,
        "centre",
        date(2016, 1, 1),
    ),
    (
        "KHA",
        "STTTT",
        "TTCNTT",
        "Trung tâm Công nghệ thông tin và Truyền thông Khánh Hòa",
        1.5,
        "centre",
        FOUNDED,
    ),
    ("KHA", "SVHTT", "THUVIEN", "Thư viện tỉnh Khánh Hòa", 1.5, "library", FOUNDED),
    ("KHA", "SVHTT", "BAOTANG", "Bảo tàng tỉnh Khánh Hòa", 1.5, "museum", FOUNDED),
    ("KHA", "SVHTT", "NHAHAT", "Nhà hát Nghệ thuật truyền thống Khánh Hòa", 2, "theatre", FOUNDED),
    (
        "KHA",
        "STP",
        "TGPL",
        "Trung tâm Trợ giúp pháp lý nhà nước tỉnh Khánh Hòa",
        1.5,
        "centre",
        FOUNDED,
    ),
    (
        "KHA",
        "VP",
        "PVHCC",
        "Trung tâm Phục vụ hành chính công tỉnh Khánh Hòa",
        1.5,
        "centre",
        date(2019, 7, 1),
    ),
    ("NTH", "SYT", "BVDK", "Bệnh viện Đa khoa tỉnh Ninh Thuận", 16, "hospital", FOUNDED),
    (
        "NTH",
        "SYT",
        "CDC",
        "Trung tâm Kiểm soát bệnh tật tỉnh Ninh Thuận",
        4,
        "cdc",
        date(2018, 1, 1),
    ),
    ("NTH", "SGDDT", "LQD", "Trường THPT chuyên Lê Quý Đôn Ninh Thuận", 3, "school", FOUNDED),
    ("NTH", "SGDDT", "THAPCHAM", "Trường THPT Tháp Chàm", 3, "school", FOUNDED),
    ("NTH", "SVHTTDL", "BAOTANG", "Bảo tàng tỉnh Ninh Thuận", 1, "museum", FOUNDED),
]

# District (pre-2025) → its new communes of 01/07/2025 (kind, name, ethnic) and some of
# its old communes (kind, name, the new commune it went into).
_DISTRICTS = {
    "KHA": [
        (
            "NT",
            "UBND thành phố Nha Trang",
            8,
            [
                ("phường", "Nha Trang"),
                ("phường", "Bắc Nha Trang"),
                ("phường", "Tây Nha Trang"),
                ("phường", "Nam Nha Trang"),
            ],
            [
                ("phường", "Lộc Thọ", "Nha Trang"),
                ("phường", "Vạn Thạnh", "Nha Trang"),
                ("phường", "Vĩnh Hải", "Bắc Nha Trang"),
                ("xã", "Vĩnh Lương", "Bắc Nha Trang"),
                ("xã", "Vĩnh Ngọc", "Tây Nha Trang"),
                ("phường", "Phước Long", "Nam Nha Trang"),
                ("xã", "Phước Đồng", "Nam Nha Trang"),
            ],
        ),
        (
            "CR",
            "UBND thành phố Cam Ranh",
            6,
            [
                ("phường", "Bắc Cam Ranh"),
                ("phường", "Cam Ranh"),
                ("phường", "Cam Linh"),
                ("phường", "Ba Ngòi"),
                ("xã", "Nam Cam Ranh"),
            ],
            [
                ("phường", "Cam Nghĩa", "Bắc Cam Ranh"),
                ("phường", "Cam Lộc", "Cam Ranh"),
                ("phường", "Ba Ngòi", "Ba Ngòi"),
                ("xã", "Cam Thịnh Đông", "Nam Cam Ranh"),
            ],
        ),
        (
            "NH",
            "UBND thị xã Ninh Hòa",
            6,
            [
                ("phường", "Ninh Hòa"),
                ("phường", "Đông Ninh Hòa"),
                ("phường", "Hòa Thắng"),
                ("xã", "Bắc Ninh Hòa"),
                ("xã", "Tân Định"),
                ("xã", "Nam Ninh Hòa"),
                ("xã", "Tây Ninh Hòa"),
                ("xã", "Hòa Trí"),
            ],
            [
                ("phường", "Ninh Hiệp", "Ninh Hòa"),
                ("phường", "Ninh Diêm", "Đông Ninh Hòa"),
                ("xã", "Ninh Xuân", "Hòa Trí"),
            ],
        ),
        (
            "CL",
            "UBND huyện Cam Lâm",
            4,
            [("xã", "Cam Lâm"), ("xã", "Suối Dầu"), ("xã", "Cam Hiệp"), ("xã", "Cam An")],
            [
                ("thị trấn", "Cam Đức", "Cam Lâm"),
                ("xã", "Cam Hải Đông", "Cam Lâm"),
                ("xã", "Suối Tân", "Suối Dầu"),
            ],
        ),
        (
            "DK",
            "UBND huyện Diên Khánh",
            5,
            [
                ("xã", "Diên Khánh"),
                ("xã", "Diên Lạc"),
                ("xã", "Diên Điền"),
                ("xã", "Diên Lâm"),
                ("xã", "Diên Thọ"),
                ("xã", "Suối Hiệp"),
            ],
            [
                ("thị trấn", "Diên Khánh", "Diên Khánh"),
                ("xã", "Diên An", "Diên Khánh"),
                ("xã", "Diên Phú", "Diên Điền"),
            ],
        ),
        (
            "VN",
            "UBND huyện Vạn Ninh",
            4,
            [
                ("xã", "Vạn Ninh"),
                ("xã", "Vạn Thắng"),
                ("xã", "Vạn Hưng"),
                ("xã", "Đại Lãnh"),
                ("xã", "Tu Bông"),
            ],
            [("thị trấn", "Vạn Giã", "Vạn Ninh"), ("xã", "Vạn Phú", "Vạn Ninh")],
        ),
        (
            "KV",
            "UBND huyện Khánh Vĩnh",
            3,
            [
                ("xã", "Khánh Vĩnh"),
                ("xã", "Bắc Khánh Vĩnh"),
                ("xã", "Nam Khánh Vĩnh"),
                ("xã", "Tây Khánh Vĩnh"),
                ("xã", "Trung Khánh Vĩnh"),
            ],
            [("thị trấn", "Khánh Vĩnh", "Khánh Vĩnh")],
        ),
        (
            "KS",
            "UBND huyện Khánh Sơn",
            2.5,
            [("xã", "Khánh Sơn"), ("xã", "Tây Khánh Sơn"), ("xã", "Đông Khánh Sơn")],
            [("thị trấn", "Tô Hạp", "Khánh Sơn")],
        ),
        (
            "TS",
            "UBND huyện Trường Sa",
            1.5,
            [("đặc khu", "Trường Sa")],
            [
                ("thị trấn", "Trường Sa", "Trường Sa"),
                ("xã", "Song Tử Tây", "Trường Sa"),
                ("xã", "Sinh Tồn", "Trường Sa"),
            ],
        ),
    ],
    "NTH": [
        (
            "PRTC",
            "UBND thành phố Phan Rang – Tháp Chàm",
            6,
            [
                ("phường", "Phan Rang"),
                ("phường", "Đông Hải"),
                ("phường", "Đô Vinh"),
                ("phường", "Bảo An"),
            ],
            [
                ("phường", "Kinh Dinh", "Phan Rang"),
                ("phường", "Phủ Hà", "Phan Rang"),
                ("phường", "Đông Hải", "Đông Hải"),
                ("phường", "Đô Vinh", "Đô Vinh"),
                ("phường", "Bảo An", "Bảo An"),
            ],
        ),
        (
            "NHAI",
            "UBND huyện Ninh Hải",
            3,
            [("phường", "Ninh Chữ"), ("xã", "Xuân Hải"), ("xã", "Vĩnh Hải")],
            [("thị trấn", "Khánh Hải", "Ninh Chữ")],
        ),
        (
            "NP",
            "UBND huyện Ninh Phước",
            3,
            [("xã", "Ninh Phước"), ("xã", "Phước Hữu"), ("xã", "Phước Hậu")],
            [("thị trấn", "Phước Dân", "Ninh Phước")],
        ),
        (
            "NS",
            "UBND huyện Ninh Sơn",
            3,
            [("xã", "Ninh Sơn"), ("xã", "Lâm Sơn"), ("xã", "Anh Dũng"), ("xã", "Mỹ Sơn")],
            [("thị trấn", "Tân Sơn", "Ninh Sơn")],
        ),
        (
            "BA",
            "UBND huyện Bác Ái",
            2,
            [("xã", "Bác Ái"), ("xã", "Bác Ái Đông"), ("xã", "Bác Ái Tây")],
            [("xã", "Phước Đại", "Bác Ái")],
        ),
        (
            "TB",
            "UBND huyện Thuận Bắc",
            2,
            [("xã", "Thuận Bắc"), ("xã", "Công Hải")],
            [("xã", "Lợi Hải", "Thuận Bắc")],
        ),
        (
            "TN",
            "UBND huyện Thuận Nam",
            2,
            [("xã", "Thuận Nam"), ("xã", "Cà Ná"), ("xã", "Phước Hà")],
            [("xã", "Phước Nam", "Thuận Nam")],
        ),
    ],
}
_ETHNIC = {
    "KS": "raglai",
    "KV": "raglai",
    "BA": "raglai",
    "NS": "raglai",
    "TB": "raglai",
    "NP": "cham",
    "TN": "cham",
    "PRTC": "cham",
}
_COMMUNE_PREFIX = {"xã": "X", "phường": "P", "đặc khu": "DK", "thị trấn": "TT"}


def _provincial(cat: Catalogue, prov: str, scale: float) -> None:
    label = "Khánh Hòa" if prov == "KHA" else "Ninh Thuận"
    cat.add(DemoUnit(prov, f"UBND tỉnh {label}", UnitType.UBND_TINH, None, 0.4 * scale, "tinh"))
    suffix = "" if prov == "KHA" else " tỉnh Ninh Thuận"
    extra = _KHA_ONLY if prov == "KHA" else _NTH_ONLY
    for code, name, weight, profile in _DEPARTMENTS + extra:
        if prov == "KHA" or name.endswith("Ninh Thuận"):
            suffix_name = name
        elif name.endswith(" tỉnh"):
            suffix_name = f"{name} Ninh Thuận"
        else:
            suffix_name = name + suffix
        cat.add(
            DemoUnit(
                f"{prov}-{code}", suffix_name, UnitType.SO_BAN_NGANH, prov, weight * scale, profile
            )
        )
    for p, dept, code, name, weight, profile, founded in _PUBLIC_SERVICE:
        if p == prov:
            cat.add(
                DemoUnit(
                    f"{prov}-{code}",
                    name,
                    UnitType.DON_VI_SU_NGHIEP,
                    f"{prov}-{dept}",
                    weight,
                    profile,
                    founded,
                )
            )
    party = [
        ("TU", f"Tỉnh ủy {label}", None, 0.3, "party"),
        ("VPTU", f"Văn phòng Tỉnh ủy {label}", "TU", 2, "party"),
        ("BTCTU", f"Ban Tổ chức Tỉnh ủy {label}", "TU", 1.5, "party"),
        ("MTTQ", f"Ủy ban MTTQ Việt Nam tỉnh {label}", None, 1.5, "mass"),
    ]
    if prov == "KHA":
        party += [
            ("UBKTTU", "Ủy ban Kiểm tra Tỉnh ủy Khánh Hòa", "TU", 1.5, "party"),
            ("HLHPN", "Hội Liên hiệp Phụ nữ tỉnh Khánh Hòa", None, 1, "mass"),
            ("TDOAN", "Tỉnh đoàn Khánh Hòa", None, 1, "mass"),
            ("HND", "Hội Nông dân tỉnh Khánh Hòa", None, 1, "mass"),
            ("HCCB", "Hội Cựu chiến binh tỉnh Khánh Hòa", None, 0.8, "mass"),
        ]
    for code, name, parent, weight, profile in party:
        cat.add(
            DemoUnit(
                f"{prov}-{code}",
                name,
                UnitType.DANG_DOAN_THE,
                f"{prov}-{parent}" if parent else None,
                weight * scale,
                profile,
            )
        )


def _reform(cat: Catalogue, prov: str) -> None:
    """01/03/2025: departments merged under Nghị định 45/2025/NĐ-CP."""
    p = prov
    if prov == "KHA":  # vocational colleges went to education with the reform
        cat.ops.append(
            Op("move", REFORM, preds=("KHA-CDKTCN",), target="KHA-SGDDT", basis=BASIS_REFORM)
        )
    for absorbed, receiving in _REFORM_ABSORB:
        cat.ops.append(
            Op(
                "merge_into",
                REFORM,
                preds=(f"{p}-{receiving}", f"{p}-{absorbed}"),
                target=f"{p}-{receiving}",
                basis=BASIS_REFORM,
            )
        )
    scale = 1.0 if prov == "KHA" else NTH_SCALE
    suffix = "" if prov == "KHA" else " tỉnh Ninh Thuận"
    snnmt = DemoUnit(
        f"{p}-SNNMT",
        "Sở Nông nghiệp và Môi trường" + suffix,
        UnitType.SO_BAN_NGANH,
        p,
        9 * scale,
        "so",
        REFORM,
    )
    cat.ops.append(
        Op("merge_new", REFORM, preds=(f"{p}-STNMT", f"{p}-SNNPTNT"), new=snnmt, basis=BASIS_REFORM)
    )
    if prov == "KHA":
        vhttdl = DemoUnit(
            "KHA-SVHTTDL",
            "Sở Văn hóa, Thể thao và Du lịch",
            UnitType.SO_BAN_NGANH,
            "KHA",
            5,
            "so",
            REFORM,
        )
        cat.ops.append(
            Op("merge_new", REFORM, preds=("KHA-SVHTT", "KHA-SDL"), new=vhttdl, basis=BASIS_REFORM)
        )
    cat.ops.append(
        Op(
            "rename",
            REFORM,
            preds=(f"{p}-BDT",),
            code=f"{p}-SDTTG",
            name="Sở Dân tộc và Tôn giáo" + suffix,
            basis=BASIS_REFORM,
        )
    )


def _communes(cat: Catalogue, prov: str) -> None:
    """Districts and old communes before 2025; the new communes of 01/07/2025."""
    scale = 1.0 if prov == "KHA" else NTH_SCALE
    for dcode, dname, dweight, new_communes, old_communes in _DISTRICTS[prov]:
        district = cat.add(
            DemoUnit(
                f"{prov}-H-{dcode}", dname, UnitType.UBND_HUYEN, prov, dweight * scale, "huyen"
            )
        )
        ethnic = _ETHNIC.get(dcode, "")
        new_keys = {}
        for kind, name in new_communes:
            key = f"KHA-{_COMMUNE_PREFIX[kind]}-{slug(name)}"
            weight = (1.5 if kind == "đặc khu" else 3.0) * scale
            new_keys[name] = DemoUnit(
                key, f"UBND {kind} {name}", UnitType.UBND_XA, "KHA", weight, "xa", MERGER, ethnic
            )
        olds: dict[str, list[str]] = {}
        for kind, name, into in old_communes:
            old = cat.add(
                DemoUnit(
                    f"{district.key}-{slug(name)}",
                    f"UBND {kind} {name}",
                    UnitType.UBND_XA,
                    district.key,
                    1.2 * scale,
                    "xa_cu",
                    FOUNDED,
                    ethnic,
                )
            )
            olds.setdefault(into, []).append(old.key)
        for name, unit in new_keys.items():
            if name in olds:
                cat.ops.append(
                    Op(
                        "merge_new",
                        MERGER,
                        preds=tuple(olds[name]),
                        new=unit,
                        basis=BASIS_COMMUNE,
                        decided_on=MERGER_DECIDED,
                    )
                )
            else:
                cat.ops.append(Op("create", MERGER, new=unit, basis=BASIS_COMMUNE))
        cat.ops.append(
            Op(
                "dissolve",
                MERGER,
                preds=(district.key,),
                successors=tuple(u.key for u in new_keys.values()),
                basis=BASIS_DISTRICT,
            )
        )


def catalogue() -> Catalogue:
    """Every unit that exists from 2008 and every operation up to today, in order."""
    cat = Catalogue()
    _provincial(cat, "KHA", 1.0)
    _provincial(cat, "NTH", NTH_SCALE)
    _communes(cat, "KHA")
    _communes(cat, "NTH")
    _reform(cat, "KHA")
    _reform(cat, "NTH")
    cat.ops.sort(key=lambda op: op.day)  # stable: reform before merger, list order kept
    receiving = [code for code, *_ in _DEPARTMENTS if code not in dict(_REFORM_ABSORB)]
    receiving += ["SNNMT", "SVHTTDL"]  # the renamed Ban Dân tộc keeps its key BDT
    for code in receiving:
        if code in ("SNNPTNT", "STNMT"):
            continue
        cat.ops.append(
            Op(
                "merge_into",
                MERGER,
                preds=(f"KHA-{code}", f"NTH-{code}"),
                target=f"KHA-{code}",
                basis=BASIS_MERGE_DEPT,
            )
        )
    cat.ops.append(
        Op(
            "merge_into",
            MERGER,
            preds=("KHA-BQLKKT", "NTH-BQLKCN"),
            target="KHA-BQLKKT",
            basis=BASIS_MERGE_DEPT,
        )
    )
    for code in ("VPTU", "BTCTU", "TU", "MTTQ"):
        cat.ops.append(
            Op(
                "merge_into",
                MERGER,
                preds=(f"KHA-{code}", f"NTH-{code}"),
                target=f"KHA-{code}",
                basis=BASIS_PARTY,
            )
        )
    cat.ops.append(
        Op(
            "merge_into",
            MERGER,
            preds=("KHA", "NTH"),
            target="KHA",
            basis=BASIS_PROVINCE,
            decided_on=MERGER_DECIDED,
        )
    )
    for code in ("HLHPN", "TDOAN", "HND", "HCCB"):
        cat.ops.append(
            Op("move", MERGER, preds=(f"KHA-{code}",), target="KHA-MTTQ", basis=BASIS_MASS)
        )
    return cat
