"""The public honour board's rules (bảng vàng, gương điển hình tiên tiến): which titles and
awards it shows, and which province's units. Pure: no database (``core.dated`` settings)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date

from congvu.core.dated import Setting, add_settings, setting_value
from congvu.emulation.rules import AWARD_NAMES

add_settings(
    Setting(
        "emulation.board.awards",
        "CSTDCS, CSTD_TINH, CSTD_TQ, TTLDXS, CO_TINH, BK_TINH, BK_TTG, HCLD3",
        "Yêu cầu sản phẩm (issue 13), tỉnh đặt lại được",
        "U",
        date(2017, 10, 1),
    ),
    Setting(
        "emulation.board.province",
        "",
        "Mã đơn vị gốc của tỉnh trên bảng vàng; để trống: đơn vị gốc đầu tiên đang hoạt động "
        "(yêu cầu sản phẩm, issue 13)",
        "U",
        date(2017, 10, 1),
    ),
)

_CODE = re.compile(r"[A-Z0-9_]+")


def board_awards(day: date, *overrides: Mapping[str, object] | None) -> tuple[str, ...]:
    """The award codes the board shows on ``day``, in the setting's order: unknown codes and
    repeats are left out (a province's typo hides nothing else)."""
    text = str(setting_value("emulation.board.awards", day, *overrides))
    found: list[str] = []
    for part in text.replace(";", ",").split(","):
        code = part.strip().upper()
        if _CODE.fullmatch(code) and code in AWARD_NAMES and code not in found:
            found.append(code)
    return tuple(found)


def board_province_code(day: date, *overrides: Mapping[str, object] | None) -> str:
    """The code of the province's root unit set for the board, or "" (the first root)."""
    return str(setting_value("emulation.board.province", day, *overrides) or "").strip()


def parse_year(text: str, today: date) -> int | None:
    """A year filter "2025": a year from 1945 to this year, else None (no filter)."""
    text = (text or "").strip()[:4]
    if not text.isdigit():
        return None
    year = int(text)
    return year if 1945 <= year <= today.year else None
