"""The documented example of every award for ``congvu eligibility`` (docs/eligibility.md is
written from these, and a test checks that the command still answers what it says)."""

from __future__ import annotations

from typing import Any


def _year(year: int, rating: str | None, titles: list[str] | None = None, **more: Any) -> dict:
    return {"year": year, "rating": rating, "titles": titles or [], **more}


def _individual(*years: dict) -> dict:
    return {"kind": "individual", "category": "cong_chuc", "history": list(years)}


def _collective(*years: dict) -> dict:
    return {"kind": "collective", "category": "tap_the", "history": list(years)}


MEMBERS = {"count": 20, "ldtt": 16, "cstdcs": 2, "kht": 0, "warned": 0}

EXAMPLES: list[tuple[str, dict]] = [
    (
        "Lao động tiên tiến: rated HTT in 2026, nothing pending.",
        {"award": "LDTT", "as_of": "2026-12-15", "subject": _individual(_year(2026, "HTT"))},
    ),
    (
        "Chiến sĩ thi đua cơ sở: HTT with a grassroots initiative not used before.",
        {
            "award": "CSTDCS",
            "as_of": "2026-12-15",
            "subject": _individual(
                _year(
                    2026,
                    "HTT",
                    initiatives=[
                        {"id": "SK-2026-12", "level": "co_so", "year": 2026, "used_for": None}
                    ],
                )
            ),
        },
    ),
    (
        "Chiến sĩ thi đua cấp tỉnh: three CSTĐCS in a row, but the initiative is grassroots "
        "only: not eligible.",
        {
            "award": "CSTD_TINH",
            "as_of": "2026-12-15",
            "subject": _individual(
                _year(2024, "HTXS", ["LDTT", "CSTDCS"]),
                _year(2025, "HTXS", ["LDTT", "CSTDCS"]),
                _year(
                    2026,
                    "HTXS",
                    ["LDTT", "CSTDCS"],
                    initiatives=[{"id": "SK-7", "level": "co_so", "year": 2026, "used_for": None}],
                ),
            ),
        },
    ),
    (
        "Chiến sĩ thi đua toàn quốc: two provincial CSTĐ in a row and a nationwide initiative.",
        {
            "award": "CSTD_TQ",
            "as_of": "2026-12-15",
            "subject": _individual(
                _year(2023, "HTXS", ["CSTD_TINH"]),
                _year(
                    2026,
                    "HTXS",
                    ["CSTD_TINH"],
                    initiatives=[
                        {"id": "SK-QG-1", "level": "toan_quoc", "year": 2025, "used_for": None}
                    ],
                ),
            ),
        },
    ),
    (
        "Tập thể lao động tiên tiến: 16 of 20 members LĐTT (80 %), nobody warned.",
        {
            "award": "TTLDTT",
            "as_of": "2026-12-15",
            "subject": _collective(_year(2026, "HTT", members=MEMBERS)),
        },
    ),
    (
        "Tập thể lao động xuất sắc from a member list: one member was warned (cảnh cáo): not "
        "eligible while the guard is on.",
        {
            "award": "TTLDXS",
            "as_of": "2026-12-15",
            "subject": _collective(
                _year(
                    2026,
                    "HTXS",
                    members=[
                        {"rating": "HTXS", "titles": ["LDTT", "CSTDCS"], "discipline": []},
                        {"rating": "HTT", "titles": ["LDTT"], "discipline": []},
                        {
                            "rating": "HTT",
                            "titles": ["LDTT"],
                            "discipline": [
                                {"form": "canh_cao", "from": "2026-03-01", "to": "2027-03-01"}
                            ],
                        },
                    ],
                )
            ),
        },
    ),
    (
        "Cờ thi đua cấp tỉnh: TTLĐXS, but the cluster has not ranked its members yet: cannot "
        "decide.",
        {
            "award": "CO_TINH",
            "as_of": "2026-12-15",
            "subject": _collective(_year(2026, "HTXS", ["TTLDXS"], cluster_leader=None)),
        },
    ),
    (
        "Giấy khen with a pending complaint: blocked.",
        {
            "award": "GIAY_KHEN",
            "as_of": "2026-12-15",
            "subject": _individual(_year(2026, "HTT", pending=["complaint"])),
        },
    ),
    (
        "Bằng khen cấp tỉnh (Art 74.1.d): two HTXS years and two unused initiatives.",
        {
            "award": "BK_TINH",
            "as_of": "2026-12-15",
            "subject": _individual(
                _year(
                    2025,
                    "HTXS",
                    initiatives=[{"id": "SK-A", "level": "co_so", "year": 2025, "used_for": None}],
                ),
                _year(
                    2026,
                    "HTXS",
                    initiatives=[{"id": "SK-B", "level": "co_so", "year": 2026, "used_for": None}],
                ),
            ),
        },
    ),
    (
        "Bằng khen của Thủ tướng: a provincial Bằng khen in 2021, then five years rated HTT or "
        "above with three CSTĐCS.",
        {
            "award": "BK_TTG",
            "as_of": "2026-12-15",
            "subject": _individual(
                _year(
                    2021, "HTXS", awards=[{"code": "BK_TINH", "year": 2021, "kind": "cong_trang"}]
                ),
                _year(2022, "HTXS", ["LDTT", "CSTDCS"]),
                _year(2023, "HTT", ["LDTT"]),
                _year(2024, "HTXS", ["LDTT", "CSTDCS"]),
                _year(2025, "HTT", ["LDTT"]),
                _year(2026, "HTXS", ["LDTT", "CSTDCS"]),
            ),
        },
    ),
    (
        "Huân chương Lao động hạng Ba: the Prime Minister's Bằng khen in 2021, but its five "
        "years include one rated HTNV: not eligible.",
        {
            "award": "HCLD3",
            "as_of": "2026-12-15",
            "subject": _individual(
                _year(2021, "HTXS", awards=[{"code": "BK_TTG", "year": 2021}]),
                _year(2022, "HTXS", ["LDTT", "CSTDCS"]),
                _year(2023, "HTNV"),
                _year(2024, "HTXS", ["LDTT", "CSTDCS"]),
                _year(2025, "HTXS", ["LDTT"]),
                _year(2026, "HTXS", ["LDTT", "CSTDCS"]),
            ),
        },
    ),
]
