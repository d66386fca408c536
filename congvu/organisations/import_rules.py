"""Pure rules for importing units and staff from .xlsx: column layouts and row checks.

No database and no files: the checkers receive plain values (the known units, the
existing staff codes, today's date) and return parsed records or Vietnamese error
messages, one list per row. ``importing.py`` does the reading and the writing.
"""

import re
from collections.abc import Container, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from functools import lru_cache

from congvu.core.i18n import vietnamese_labels
from congvu.core.text import fold, nfc
from congvu.organisations.models import Gender, StaffCategory, UnitType
from congvu.organisations.rules import StaffSpec

ERROR_HEADER = "Lỗi"
MIN_DAY = date(1945, 9, 2)
"""Earlier dates are typing mistakes (e.g. 01/01/0202)."""
TWO_LEVEL_FROM = date(2025, 7, 1)
"""Two-level local government from this day: no district level (docs/legal/organisation.md#o-2)."""
MIN_AGE, MAX_AGE = 15, 80
"""Bộ luật Lao động 2019, Điều 3: working age starts at 15; older than 80 is a typo."""


@dataclass(frozen=True)
class Column:
    key: str
    header: str
    required: bool
    guide: str
    example: str
    max_length: int = 0
    aliases: tuple[str, ...] = ()
    number_format: str = "@"


_DATE_GUIDE = "Ngày dạng dd/mm/yyyy (ví dụ 01/07/2025) hoặc ô kiểu ngày của Excel."

UNIT_COLUMNS: tuple[Column, ...] = (
    Column(
        "code",
        "Mã đơn vị",
        True,
        "Mã duy nhất của đơn vị, chữ cái không dấu, chữ số và - _ . /; tối đa 32 ký tự.",
        "KHA-SYT-P1",
        32,
    ),
    Column(
        "name", "Tên đơn vị", True, "Tên đầy đủ; tối đa 255 ký tự.", "Phòng Tổ chức cán bộ", 255
    ),
    Column(
        "unit_type",
        "Loại đơn vị",
        True,
        "Một trong các loại ở bảng dưới (không phân biệt hoa thường, có dấu hay không dấu).",
        "Phòng, ban trực thuộc",
        0,
        ("Loại",),
    ),
    Column(
        "parent_code",
        "Mã đơn vị cấp trên",
        False,
        "Mã của đơn vị đã có trong hệ thống hoặc khai báo ở một dòng phía trên trong tệp. Để trống nếu là đơn vị cấp cao nhất (chỉ quản trị hệ thống).",
        "KHA-SYT",
        32,
        ("Mã cấp trên",),
    ),
    Column(
        "valid_from",
        "Ngày hiệu lực",
        True,
        _DATE_GUIDE + " Không sau ngày nhập.",
        "01/07/2025",
        0,
        ("Ngày thành lập",),
        "DD/MM/YYYY",
    ),
    Column(
        "basis",
        "Căn cứ",
        False,
        "Số, ký hiệu văn bản thành lập; tối đa 255 ký tự.",
        "Quyết định 123/QĐ-UBND",
        255,
        ("Căn cứ pháp lý",),
    ),
)

STAFF_COLUMNS: tuple[Column, ...] = (
    Column(
        "code",
        "Mã CB",
        True,
        "Mã cán bộ duy nhất, chữ cái không dấu, chữ số và - _ . /; tối đa 32 ký tự.",
        "SYT-0001",
        32,
        ("Mã cán bộ",),
    ),
    Column("ho", "Họ", True, "Họ; tối đa 64 ký tự.", "Nguyễn", 64),
    Column(
        "dem",
        "Đệm",
        False,
        "Tên đệm (có thể để trống); tối đa 64 ký tự.",
        "Thị Minh",
        64,
        ("Tên đệm", "Chữ đệm"),
    ),
    Column("ten", "Tên", True, "Tên; tối đa 64 ký tự.", "Anh", 64),
    Column("gender", "Giới tính", True, "Nam, Nữ hoặc Khác.", "Nữ"),
    Column(
        "birth_year",
        "Năm sinh",
        True,
        "Năm sinh 4 chữ số (hoặc ngày sinh đầy đủ).",
        "1988",
        0,
        (),
        "0",
    ),
    Column(
        "category",
        "Phân loại",
        True,
        "Cán bộ, Công chức, Viên chức hoặc Người lao động.",
        "Công chức",
    ),
    Column(
        "position",
        "Chức vụ",
        False,
        "Chức vụ, chức danh; tối đa 128 ký tự.",
        "Chuyên viên",
        128,
        ("Chức danh",),
    ),
    Column(
        "is_leader",
        "Lãnh đạo",
        False,
        "Có hoặc Không (để trống là Không).",
        "Không",
        0,
        ("Lãnh đạo, quản lý",),
    ),
    Column(
        "unit_code",
        "Mã đơn vị",
        True,
        "Mã đơn vị đang hoạt động, trong phạm vi bạn được nhập dữ liệu.",
        "KHA-SYT",
        32,
    ),
    Column(
        "valid_from",
        "Từ ngày",
        True,
        _DATE_GUIDE + " Ngày bắt đầu công tác tại đơn vị; không sau ngày nhập.",
        "01/07/2025",
        0,
        ("Ngày vào đơn vị",),
        "DD/MM/YYYY",
    ),
)

LAYOUTS: dict[str, tuple[Column, ...]] = {"units": UNIT_COLUMNS, "staff": STAFF_COLUMNS}
HEADER_HINTS: dict[str, str] = {
    "valid_from": " (dd/mm/yyyy)",
    "is_leader": " (Có/Không)",
}
"""Written after the header in the template; ignored when matching headers."""


# --- Headers ------------------------------------------------------------------


_PARENTHESES = re.compile(r"\(.*?\)")
_PUNCTUATION = re.compile(r"[^a-z0-9]+")


def header_key(value: object) -> str:
    """Compare headers without case, diacritics, parentheses or punctuation."""
    return _key(_text(value))


@lru_cache(maxsize=4096)
def _key(text: str) -> str:
    # Cached: the same few labels (Nam, Công chức, Không…) come back on every row.
    return " ".join(_PUNCTUATION.sub(" ", _PARENTHESES.sub(" ", fold(text))).split())


def match_header(
    cells: Sequence[object], columns: Sequence[Column]
) -> tuple[dict[str, int], list[str]]:
    """Positions (0-based) of the layout's columns, and the headers that are missing.

    Columns may come in any order; unknown columns (STT, Ghi chú…) are ignored. A
    "Lỗi" column (an error sheet sent back after fixing) is noted as ``_error``.
    """
    wanted: dict[str, str] = {}
    for column in columns:
        for name in (column.header, *column.aliases):
            wanted.setdefault(header_key(name), column.key)
    positions: dict[str, int] = {}
    for index, cell in enumerate(cells):
        key = header_key(cell)
        if key == header_key(ERROR_HEADER):
            positions.setdefault("_error", index)
        elif key in wanted:
            positions.setdefault(wanted[key], index)
    missing = [c.header for c in columns if c.key not in positions]
    return positions, missing


# --- Cell values --------------------------------------------------------------


def _text(value: object) -> str:
    """The text of a cell as typed: numbers without ".0", dates as dd/mm/yyyy."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "Có" if value else "Không"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime | date):
        return f"{value:%d/%m/%Y}"
    text = str(value)
    return " ".join(text.split()) if text.isascii() else nfc(text)  # ASCII is already NFC


def is_blank(values: Sequence[object]) -> bool:
    return all(v is None or (isinstance(v, str) and not v.strip()) for v in values)


_DMY = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$")
_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")


def parse_date(value: object) -> date | None:
    """A real Excel date or dd/mm/yyyy text (also d/m/yyyy, dd-mm-yyyy, yyyy-mm-dd).

    None when empty; ValueError when not a date. Bare numbers are refused: "2020"
    in a date column is a mistake, not day 2020 of Excel's calendar.
    """
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, bool | int | float):
        raise ValueError(value)
    text = _text(value)
    if not text:
        return None
    if match := _DMY.match(text):
        day, month, year = (int(g) for g in match.groups())
    elif match := _ISO.match(text):
        year, month, day = (int(g) for g in match.groups())
    else:
        raise ValueError(text)
    return date(year, month, day)


def choice_key(value: object) -> str:
    """ "Sở, ban, ngành", "so_ban_nganh" and "SỞ BAN NGÀNH" give the same key."""
    key = header_key(value).replace("uy ban nhan dan", "ubnd")
    return key


def _choices(
    pairs: Sequence[tuple[str, str]], synonyms: Mapping[str, str] | None = None
) -> dict[str, str]:
    table = {}
    for value, label in vietnamese_labels(pairs).items():
        table[choice_key(label)] = value
        table[choice_key(value)] = value
    table.update({choice_key(k): v for k, v in (synonyms or {}).items()})
    return table


UNIT_TYPES = _choices(
    UnitType.choices,
    {
        "UBND xã": UnitType.UBND_XA,
        "UBND phường": UnitType.UBND_XA,
        "UBND đặc khu": UnitType.UBND_XA,
        "Sở": UnitType.SO_BAN_NGANH,
        "Đơn vị sự nghiệp": UnitType.DON_VI_SU_NGHIEP,
        "Phòng": UnitType.PHONG_BAN,
    },
)
CATEGORIES = _choices(StaffCategory.choices)
GENDERS = _choices(Gender.choices)
YES_NO = {"co": True, "x": True, "1": True, "khong": False, "0": False}


def _allowed(pairs: Sequence[tuple[str, str]]) -> str:
    return ", ".join(vietnamese_labels(pairs).values())


ALLOWED_GENDERS = _allowed(Gender.choices)
ALLOWED_CATEGORIES = _allowed(StaffCategory.choices)
IMPORTABLE_UNIT_TYPES = [
    (v, label)
    for v, label in vietnamese_labels(UnitType.choices).items()
    if v != UnitType.UBND_HUYEN
]
ALLOWED_UNIT_TYPES = _allowed(IMPORTABLE_UNIT_TYPES)


# --- Row checks ---------------------------------------------------------------


@dataclass(frozen=True)
class KnownUnit:
    """A unit a row may refer to: existing (current) or defined earlier in the file."""

    valid_from: date | None
    in_scope: bool
    row: int = 0  # > 0 when defined in the file


@dataclass(frozen=True)
class UnitRecord:
    code: str
    name: str
    unit_type: str
    parent_code: str
    valid_from: date
    basis: str


@dataclass(frozen=True, kw_only=True)
class StaffRecord(StaffSpec):
    """One checked staff row: the person, and where and from when."""

    unit_code: str
    valid_from: date


_CODE = re.compile(r"^[A-Z0-9][A-Z0-9._/-]*$")


class _Row:
    """Reads one row's cells by column key and collects its problems."""

    def __init__(self, columns: Mapping[str, Column], values: Mapping[str, object]) -> None:
        self.columns = columns
        self.values = values
        self.errors: list[str] = []

    def text(self, key: str) -> str:
        column = self.columns[key]
        value = _text(self.values.get(key))
        if not value and column.required:
            self.errors.append(f"Thiếu {column.header}.")
        elif column.max_length and len(value) > column.max_length:
            self.errors.append(f"{column.header} dài quá {column.max_length} ký tự.")
        return value

    def code(self, key: str, *, new: bool = False) -> str:
        """A code, upper-cased; a ``new`` code must also have the agreed shape."""
        value = self.text(key).upper()
        if new and value and len(value) <= self.columns[key].max_length and not _CODE.match(value):
            self.errors.append(
                f"{self.columns[key].header} «{value}» chỉ được gồm chữ cái không dấu, "
                "chữ số và các dấu - _ . /"
            )
            return ""
        return value

    def choice(self, key: str, table: Mapping[str, str], allowed: str) -> str:
        raw = self.text(key)
        if raw and choice_key(raw) not in table:
            self.errors.append(
                f"{self.columns[key].header} không hợp lệ: «{raw}». Giá trị cho phép: {allowed}."
            )
        return table.get(choice_key(raw), "")

    def day(self, key: str, today: date) -> date | None:
        header = self.columns[key].header
        try:
            value = parse_date(self.values.get(key))
        except ValueError:
            raw = _text(self.values.get(key))
            self.errors.append(f"{header} không hợp lệ: «{raw}» (nhập theo dạng dd/mm/yyyy).")
            return None
        if value is None:
            self.text(key)  # reports it as missing
        elif not MIN_DAY <= value <= today:
            self.errors.append(
                f"{header} {value:%d/%m/%Y} phải từ {MIN_DAY:%d/%m/%Y} đến hôm nay ({today:%d/%m/%Y})."
            )
            return None
        return value

    def year(self, key: str, today: date) -> int | None:
        raw = self.values.get(key)
        header = self.columns[key].header
        year: int | None
        if isinstance(raw, datetime | date):
            year = raw.year
        elif isinstance(raw, int | float) and not isinstance(raw, bool) and float(raw).is_integer():
            year = int(raw)
        else:
            text = _text(raw)
            if not text:
                self.text(key)
                return None
            try:
                year = int(text) if text.isdigit() else (parse_date(text) or today).year
            except ValueError:
                year = None
            if year is None:
                self.errors.append(f"{header} không hợp lệ: «{text}» (nhập 4 chữ số, ví dụ 1988).")
                return None
        low, high = today.year - MAX_AGE, today.year - MIN_AGE
        if not low <= year <= high:
            self.errors.append(f"{header} {year} phải từ {low} đến {high}.")
            return None
        return year

    def yes_no(self, key: str) -> bool:
        raw = self.text(key)
        if raw and choice_key(raw) not in YES_NO:
            self.errors.append(f"{self.columns[key].header} chỉ nhận Có hoặc Không (nhận «{raw}»).")
        return YES_NO.get(choice_key(raw), False)


def _unit_ref_problem(
    code: str, known: KnownUnit | None, ended: Mapping[str, date], day: date | None, what: str
) -> str:
    """Why a row may not refer to unit ``code`` on ``day`` ('' when it may)."""
    if known is None:
        if code in ended:
            return f"{what} {code} đã chấm dứt hoạt động từ {ended[code]:%d/%m/%Y}."
        return f"Không có {what.lower()} mã {code} trong hệ thống."
    if not known.in_scope:
        return f"{what} {code} nằm ngoài phạm vi bạn được nhập dữ liệu."
    if day is not None and known.valid_from is not None and day < known.valid_from:
        return f"{what} {code} chỉ tồn tại từ {known.valid_from:%d/%m/%Y}, sau ngày của dòng này."
    return ""


class StaffChecker:
    """Checks staff rows one at a time, remembering the codes seen earlier in the file."""

    def __init__(
        self,
        *,
        units: Mapping[str, KnownUnit],
        existing_codes: Container[str],
        today: date,
        ended_units: Mapping[str, date] | None = None,
    ) -> None:
        self.units = units
        self.existing_codes = existing_codes
        self.ended_units = ended_units or {}
        self.today = today
        self.seen: dict[str, int] = {}
        self.columns = {c.key: c for c in STAFF_COLUMNS}

    def check(self, row: int, values: Mapping[str, object]) -> tuple[StaffRecord | None, list[str]]:
        r = _Row(self.columns, values)
        code = r.code("code", new=True)
        ho, dem, ten = r.text("ho"), r.text("dem"), r.text("ten")
        gender = r.choice("gender", GENDERS, ALLOWED_GENDERS)
        birth_year = r.year("birth_year", self.today)
        category = r.choice("category", CATEGORIES, ALLOWED_CATEGORIES)
        position = r.text("position")
        is_leader = r.yes_no("is_leader")
        unit_code = r.code("unit_code")
        valid_from = r.day("valid_from", self.today)
        if code:
            if code in self.seen:
                r.errors.append(f"Mã CB {code} trùng với dòng {self.seen[code]}.")
            elif code in self.existing_codes:
                r.errors.append(f"Mã CB {code} đã có trong hệ thống.")
            self.seen.setdefault(code, row)
        if unit_code and (
            problem := _unit_ref_problem(
                unit_code, self.units.get(unit_code), self.ended_units, valid_from, "Đơn vị"
            )
        ):
            r.errors.append(problem)
        if valid_from and birth_year and valid_from.year - birth_year < MIN_AGE:
            r.errors.append(
                f"Từ ngày {valid_from:%d/%m/%Y} khi chưa đủ {MIN_AGE} tuổi (năm sinh {birth_year})."
            )
        if r.errors:
            return None, r.errors
        record = StaffRecord(
            code=code,
            ho=ho,
            dem=dem,
            ten=ten,
            gender=gender,
            birth_year=birth_year or 0,
            category=category,
            position=position,
            is_leader=is_leader,
            unit_code=unit_code,
            valid_from=valid_from or self.today,
        )
        return record, []


class UnitChecker:
    """Checks unit rows in file order; a row may name a parent defined on an earlier row."""

    def __init__(
        self,
        *,
        units: Mapping[str, KnownUnit],
        may_create_roots: bool,
        today: date,
        ended_units: Mapping[str, date] | None = None,
    ) -> None:
        self.units = dict(units)
        self.may_create_roots = may_create_roots
        self.ended_units = ended_units or {}
        self.today = today
        self.columns = {c.key: c for c in UNIT_COLUMNS}

    def check(self, row: int, values: Mapping[str, object]) -> tuple[UnitRecord | None, list[str]]:
        r = _Row(self.columns, values)
        code = r.code("code", new=True)
        name = r.text("name")
        unit_type = r.choice("unit_type", UNIT_TYPES, ALLOWED_UNIT_TYPES)
        parent_code = r.code("parent_code")
        valid_from = r.day("valid_from", self.today)
        basis = r.text("basis")
        if unit_type == UnitType.UBND_HUYEN:
            r.errors.append(
                f"Từ {TWO_LEVEL_FROM:%d/%m/%Y} không còn cấp huyện: không thể nhập đơn vị "
                "loại UBND huyện đang hoạt động."
            )
        parent = self.units.get(parent_code) if parent_code else None
        if parent_code:
            if parent_code == code:
                r.errors.append("Đơn vị không thể là cấp trên của chính nó.")
            elif problem := _unit_ref_problem(
                parent_code, parent, self.ended_units, valid_from, "Đơn vị cấp trên"
            ):
                if parent is None and parent_code not in self.ended_units:
                    problem = (
                        f"Không có đơn vị cấp trên mã {parent_code} trong hệ thống "
                        "hoặc ở các dòng phía trên."
                    )
                r.errors.append(problem)
        elif not self.may_create_roots:
            r.errors.append(
                "Thiếu Mã đơn vị cấp trên (chỉ quản trị hệ thống được nhập đơn vị cấp cao nhất)."
            )
        if code:
            known = self.units.get(code)
            if known is not None and known.row:
                r.errors.append(f"Mã đơn vị {code} trùng với dòng {known.row}.")
            elif known is not None:
                r.errors.append(f"Mã đơn vị {code} đã có trong hệ thống.")
            else:
                # Later rows may hang under this unit even if this row has other
                # problems: they are reported here, not again on every child.
                in_scope = parent.in_scope if parent is not None else self.may_create_roots
                self.units[code] = KnownUnit(valid_from=valid_from, in_scope=in_scope, row=row)
        if r.errors:
            return None, r.errors
        record = UnitRecord(
            code=code,
            name=name,
            unit_type=unit_type,
            parent_code=parent_code,
            valid_from=valid_from or self.today,
            basis=basis,
        )
        return record, []
