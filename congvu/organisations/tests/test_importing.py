"""Import rules without a database: values, headers, rows, and the file checks."""

import io
import zipfile
from datetime import date, datetime

import pytest
from openpyxl import Workbook

from congvu.organisations import import_rules as rules
from congvu.organisations.importing import ImportFileError, check_file

TODAY = date(2026, 11, 21)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("01/07/2025", date(2025, 7, 1)),
        ("1/7/2025", date(2025, 7, 1)),
        (" 01-07-2025 ", date(2025, 7, 1)),
        ("01.07.2025", date(2025, 7, 1)),
        ("2025-07-01", date(2025, 7, 1)),
        (datetime(2025, 7, 1, 0, 0), date(2025, 7, 1)),
        (date(2025, 7, 1), date(2025, 7, 1)),
        (None, None),
        ("", None),
    ],
)
def test_dates_are_real_excel_dates_or_day_month_year_text(value, expected):
    assert rules.parse_date(value) == expected


@pytest.mark.parametrize("value", ["31/02/2024", "07/2025", "hôm nay", 2025, 45000.0, "2025/07/01"])
def test_anything_else_in_a_date_column_is_not_a_date(value):
    with pytest.raises(ValueError):
        rules.parse_date(value)


@pytest.mark.parametrize(
    ("table", "typed", "expected"),
    [
        (rules.CATEGORIES, "Công chức", "cong_chuc"),
        (rules.CATEGORIES, "CÔNG CHỨC", "cong_chuc"),
        (rules.CATEGORIES, "cong chuc", "cong_chuc"),
        (rules.CATEGORIES, "cong_chuc", "cong_chuc"),
        (rules.CATEGORIES, "Viên Chức", "vien_chuc"),
        (rules.CATEGORIES, "nguoi lao dong", "nguoi_lao_dong"),
        (rules.CATEGORIES, "Cán bộ", "can_bo"),
        (rules.GENDERS, "Nữ", "nu"),
        (rules.GENDERS, "NU", "nu"),
        (rules.GENDERS, "nam", "nam"),
        (rules.UNIT_TYPES, "Sở, ban, ngành", "so_ban_nganh"),
        (rules.UNIT_TYPES, "so ban nganh", "so_ban_nganh"),
        (rules.UNIT_TYPES, "Ủy ban nhân dân tỉnh", "ubnd_tinh"),
        (rules.UNIT_TYPES, "UBND xã", "ubnd_xa"),
        (rules.UNIT_TYPES, "UBND xã, phường, đặc khu", "ubnd_xa"),
        (rules.UNIT_TYPES, "Phòng, ban trực thuộc", "phong_ban"),
        (rules.UNIT_TYPES, "UBND huyện", "ubnd_huyen"),
    ],
)
def test_labels_match_without_case_or_diacritics(table, typed, expected):
    assert table[rules.choice_key(typed)] == expected


def test_headers_match_in_any_order_with_hints_and_without_diacritics():
    cells = [
        "STT",
        "Ma CB",
        "ho",
        "Đệm",
        "TÊN",
        "Giới tính",
        "Năm sinh",
        "Phân loại",
        "Chức vụ",
        "Lãnh đạo (Có/Không)",
        "Mã đơn vị",
        "Từ ngày (dd/mm/yyyy)",
        "Lỗi",
    ]
    positions, missing = rules.match_header(cells, rules.STAFF_COLUMNS)
    assert missing == []
    assert positions["code"] == 1 and positions["valid_from"] == 11
    assert positions["_error"] == 12


def test_missing_headers_are_named():
    positions, missing = rules.match_header(["Mã CB", "Họ", "Tên"], rules.STAFF_COLUMNS)
    assert missing == [
        "Đệm",
        "Giới tính",
        "Năm sinh",
        "Phân loại",
        "Chức vụ",
        "Lãnh đạo",
        "Mã đơn vị",
        "Từ ngày",
    ]


def test_unit_code_and_parent_code_headers_are_not_confused():
    cells = [c.header for c in rules.UNIT_COLUMNS]
    positions, missing = rules.match_header(cells, rules.UNIT_COLUMNS)
    assert missing == [] and positions["code"] == 0 and positions["parent_code"] == 3


# --- Staff rows ---------------------------------------------------------------

UNITS = {
    "KHA-SYT": rules.KnownUnit(valid_from=date(2008, 1, 1), in_scope=True),
    "KHA-STP": rules.KnownUnit(valid_from=date(2008, 1, 1), in_scope=False),
    "KHA-X-CL": rules.KnownUnit(valid_from=date(2025, 7, 1), in_scope=True),
}
ENDED = {"KHA-H-CL": date(2025, 7, 1)}
GOOD_STAFF = {
    "code": "syt-0001",
    "ho": "Nguyễn",
    "dem": "Thị",
    "ten": "Mai",
    "gender": "Nữ",
    "birth_year": 1990,
    "category": "Viên chức",
    "position": "Điều dưỡng",
    "is_leader": "Không",
    "unit_code": "kha-syt",
    "valid_from": "01/03/2020",
}


def staff_checker() -> rules.StaffChecker:
    return rules.StaffChecker(
        units=UNITS, existing_codes={"T00001"}, today=TODAY, ended_units=ENDED
    )


def test_a_good_staff_row_becomes_a_record_with_normalised_values():
    record, errors = staff_checker().check(2, GOOD_STAFF)
    assert errors == []
    assert record == rules.StaffRecord(
        code="SYT-0001",
        ho="Nguyễn",
        dem="Thị",
        ten="Mai",
        gender="nu",
        birth_year=1990,
        category="vien_chuc",
        position="Điều dưỡng",
        is_leader=False,
        unit_code="KHA-SYT",
        valid_from=date(2020, 3, 1),
    )


def test_decomposed_vietnamese_is_stored_composed():
    record, _ = staff_checker().check(2, {**GOOD_STAFF, "ho": "Nguye\u0302\u0303n"})
    assert record.ho == "Nguyễn"


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"ho": ""}, "Thiếu Họ."),
        ({"ten": None}, "Thiếu Tên."),
        ({"code": "  "}, "Thiếu Mã CB."),
        ({"code": "SYT 01"}, "Mã CB «SYT 01» chỉ được gồm chữ cái không dấu"),
        ({"code": "X" * 33}, "Mã CB dài quá 32 ký tự."),
        ({"ho": "N" * 65}, "Họ dài quá 64 ký tự."),
        (
            {"gender": "Không rõ"},
            "Giới tính không hợp lệ: «Không rõ». Giá trị cho phép: Nam, Nữ, Khác.",
        ),
        ({"category": "Hợp đồng"}, "Phân loại không hợp lệ: «Hợp đồng»."),
        ({"birth_year": "199x"}, "Năm sinh không hợp lệ: «199x»"),
        ({"birth_year": 1920}, "Năm sinh 1920 phải từ 1946 đến 2011."),
        ({"birth_year": 2015}, "Năm sinh 2015 phải từ 1946 đến 2011."),
        ({"birth_year": None}, "Thiếu Năm sinh."),
        ({"is_leader": "có lẽ"}, "Lãnh đạo chỉ nhận Có hoặc Không"),
        (
            {"valid_from": "31/02/2024"},
            "Từ ngày không hợp lệ: «31/02/2024» (nhập theo dạng dd/mm/yyyy).",
        ),
        ({"valid_from": ""}, "Thiếu Từ ngày."),
        (
            {"valid_from": "01/01/2027"},
            "Từ ngày 01/01/2027 phải từ 02/09/1945 đến hôm nay (21/11/2026).",
        ),
        ({"valid_from": "01/01/0202"}, "phải từ 02/09/1945"),
        ({"valid_from": "01/01/2000"}, "Từ ngày 01/01/2000 khi chưa đủ 15 tuổi (năm sinh 1990)."),
        ({"unit_code": ""}, "Thiếu Mã đơn vị."),
        ({"unit_code": "KHA-XYZ"}, "Không có đơn vị mã KHA-XYZ trong hệ thống."),
        ({"unit_code": "KHA-H-CL"}, "Đơn vị KHA-H-CL đã chấm dứt hoạt động từ 01/07/2025."),
        ({"unit_code": "KHA-STP"}, "Đơn vị KHA-STP nằm ngoài phạm vi bạn được nhập dữ liệu."),
        (
            {"unit_code": "KHA-X-CL", "valid_from": "01/01/2024"},
            "Đơn vị KHA-X-CL chỉ tồn tại từ 01/07/2025",
        ),
        ({"code": "t00001"}, "Mã CB T00001 đã có trong hệ thống."),
    ],
)
def test_each_bad_staff_value_gets_its_own_message(changes, message):
    record, errors = staff_checker().check(2, {**GOOD_STAFF, **changes})
    assert record is None
    assert any(message in error for error in errors), errors


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({"birth_year": 1990.0}, 1990),
        ({"birth_year": "1990"}, 1990),
        ({"birth_year": "12/05/1990"}, 1990),
        ({"birth_year": datetime(1990, 5, 12)}, 1990),
    ],
)
def test_birth_year_may_be_a_number_text_or_full_birth_date(changes, expected):
    record, errors = staff_checker().check(2, {**GOOD_STAFF, **changes})
    assert errors == [] and record.birth_year == expected


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("Có", True),
        ("co", True),
        ("x", True),
        (True, True),
        ("", False),
        (None, False),
        ("KHÔNG", False),
    ],
)
def test_leader_column_accepts_yes_no_marks(typed, expected):
    record, _ = staff_checker().check(2, {**GOOD_STAFF, "is_leader": typed})
    assert record.is_leader is expected


def test_every_problem_of_a_row_is_listed():
    _, errors = staff_checker().check(
        2, {**GOOD_STAFF, "ho": "", "category": "?", "unit_code": "KHA-XYZ"}
    )
    assert len(errors) == 3


def test_a_code_repeated_in_the_file_points_to_its_first_row():
    checker = staff_checker()
    assert checker.check(2, GOOD_STAFF)[1] == []
    _, errors = checker.check(7, {**GOOD_STAFF, "code": "SYT-0001"})
    assert errors == ["Mã CB SYT-0001 trùng với dòng 2."]


# --- Unit rows ----------------------------------------------------------------

GOOD_UNIT = {
    "code": "KHA-SYT-TCCB",
    "name": "Phòng Tổ chức cán bộ",
    "unit_type": "Phòng, ban trực thuộc",
    "parent_code": "KHA-SYT",
    "valid_from": "01/07/2025",
    "basis": "QĐ 12/QĐ-SYT",
}


def unit_checker(roots: bool = False) -> rules.UnitChecker:
    return rules.UnitChecker(units=UNITS, may_create_roots=roots, today=TODAY, ended_units=ENDED)


def test_a_unit_may_hang_under_a_unit_defined_earlier_in_the_file():
    checker = unit_checker()
    first, errors = checker.check(2, GOOD_UNIT)
    assert errors == [] and first.unit_type == "phong_ban" and first.parent_code == "KHA-SYT"
    child = {**GOOD_UNIT, "code": "KHA-SYT-TCCB-1", "name": "Tổ 1", "parent_code": "kha-syt-tccb"}
    second, errors = checker.check(3, child)
    assert errors == [] and second.parent_code == "KHA-SYT-TCCB"


def test_a_parent_defined_later_in_the_file_is_not_known_yet():
    checker = unit_checker()
    child = {**GOOD_UNIT, "code": "KHA-SYT-TCCB-1", "parent_code": "KHA-SYT-TCCB"}
    _, errors = checker.check(2, child)
    assert errors == [
        "Không có đơn vị cấp trên mã KHA-SYT-TCCB trong hệ thống hoặc ở các dòng phía trên."
    ]


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"name": ""}, "Thiếu Tên đơn vị."),
        ({"unit_type": "Hợp tác xã"}, "Loại đơn vị không hợp lệ: «Hợp tác xã»."),
        ({"unit_type": "UBND huyện"}, "không còn cấp huyện"),
        ({"code": "KHA-SYT"}, "Mã đơn vị KHA-SYT đã có trong hệ thống."),
        (
            {"parent_code": "KHA-STP"},
            "Đơn vị cấp trên KHA-STP nằm ngoài phạm vi bạn được nhập dữ liệu.",
        ),
        (
            {"parent_code": "KHA-H-CL"},
            "Đơn vị cấp trên KHA-H-CL đã chấm dứt hoạt động từ 01/07/2025.",
        ),
        (
            {"parent_code": "KHA-X-CL", "valid_from": "01/01/2024"},
            "Đơn vị cấp trên KHA-X-CL chỉ tồn tại từ 01/07/2025",
        ),
        ({"parent_code": "KHA-SYT-TCCB"}, "Đơn vị không thể là cấp trên của chính nó."),
        ({"parent_code": ""}, "chỉ quản trị hệ thống được nhập đơn vị cấp cao nhất"),
        ({"valid_from": "1/13/2025"}, "Ngày hiệu lực không hợp lệ"),
    ],
)
def test_each_bad_unit_value_gets_its_own_message(changes, message):
    record, errors = unit_checker().check(2, {**GOOD_UNIT, **changes})
    assert record is None
    assert any(message in error for error in errors), errors


def test_an_administrator_may_import_a_top_level_unit():
    record, errors = unit_checker(roots=True).check(
        2, {**GOOD_UNIT, "parent_code": None, "unit_type": "UBND tỉnh"}
    )
    assert errors == [] and record.parent_code == ""


def test_a_unit_code_repeated_in_the_file_points_to_its_first_row():
    checker = unit_checker()
    checker.check(2, GOOD_UNIT)
    _, errors = checker.check(5, GOOD_UNIT)
    assert errors == ["Mã đơn vị KHA-SYT-TCCB trùng với dòng 2."]


def test_children_of_a_bad_unit_row_are_not_blamed_again():
    checker = unit_checker()
    _, errors = checker.check(2, {**GOOD_UNIT, "valid_from": "sai"})
    assert errors
    _, errors = checker.check(
        3, {**GOOD_UNIT, "code": "KHA-SYT-TCCB-1", "parent_code": "KHA-SYT-TCCB"}
    )
    assert errors == []


# --- The file -----------------------------------------------------------------


def _xlsx() -> bytes:
    book = Workbook()
    book.active.append(["Mã CB"])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _zip(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "Tệp rỗng"),
        (b"\x89PNG\r\n\x1a\n" + b"\0" * 100, "không phải là bảng tính Excel .xlsx"),
        ("Mã CB;Họ;Tên\nA1;Nguyễn;An\n".encode(), "không phải là bảng tính Excel .xlsx"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100, "tệp Excel cũ (.xls)"),
        (b"PK\x03\x04 but not really a zip", "không phải là bảng tính Excel .xlsx"),
        (
            _zip({"word/document.xml": b"<w/>", "[Content_Types].xml": b"<x/>"}),
            "không phải bảng tính Excel",
        ),
    ],
)
def test_files_that_are_not_xlsx_are_refused_by_their_bytes(tmp_path, content, message):
    path = tmp_path / "danh-sach.xlsx"
    path.write_bytes(content)
    with pytest.raises(ImportFileError, match=message.replace("(", r"\(").replace(")", r"\)")):
        check_file(path)


def test_a_real_xlsx_passes_the_file_checks(tmp_path):
    path = tmp_path / "tep.bin"  # the name does not matter, the bytes do
    path.write_bytes(_xlsx())
    check_file(path)


def test_a_file_over_the_size_limit_is_refused(tmp_path, settings):
    settings.IMPORT_MAX_BYTES = 1000
    path = tmp_path / "lon.xlsx"
    path.write_bytes(_xlsx())
    with pytest.raises(ImportFileError, match="vượt giới hạn 1 KB"):
        check_file(path)


def test_a_zip_bomb_is_refused_before_it_is_unpacked(tmp_path, settings):
    settings.IMPORT_MAX_UNZIPPED_BYTES = 1024 * 1024
    path = tmp_path / "bom.xlsx"
    path.write_bytes(
        _zip({"[Content_Types].xml": b"<x/>", "xl/worksheets/sheet1.xml": b"\0" * 5 * 1024 * 1024})
    )
    assert path.stat().st_size < 20_000
    with pytest.raises(ImportFileError, match="giải nén"):
        check_file(path)


def test_the_district_type_is_not_offered_after_the_2025_reform():
    _, errors = unit_checker().check(2, {**GOOD_UNIT, "unit_type": "Hợp tác xã"})
    assert "UBND tỉnh" in errors[0] and "huyện" not in errors[0]
