"""Vietnamese text: NFC, folding for search, collation for sorting."""

import unicodedata

import pytest

from congvu.core.text import clean_text, fold, full_name, nfc, person_sort_key, sort_key


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Nguyễn Văn An", "nguyen van an"),
        ("ĐẶNG THỊ ĐÀO", "dang thi dao"),
        ("Huỳnh  Ngọc   Ánh", "huynh ngoc anh"),
        ("Phạm Thị Thủy", "pham thi thuy"),
        ("", ""),
        (None, ""),
    ],
)
def test_fold_strips_diacritics_case_and_extra_spaces(raw, expected):
    assert fold(raw) == expected


def test_nfc_composes_decomposed_input():
    decomposed = unicodedata.normalize("NFD", "Nguyễn")
    assert decomposed != "Nguyễn"
    assert nfc(decomposed) == "Nguyễn"
    assert unicodedata.is_normalized("NFC", nfc(decomposed))


def test_fold_is_the_same_for_nfc_and_nfd():
    assert fold(unicodedata.normalize("NFD", "Lê Thị Hường")) == fold("Lê Thị Hường")


@pytest.mark.parametrize(
    "ordered",
    [
        ["a", "ă", "â", "b"],
        ["d", "đ", "e"],
        ["e", "ê", "g"],
        ["o", "ô", "ơ", "p"],
        ["u", "ư", "v"],
        ["An", "Anh", "Ân", "Bình"],
        ["Dũng", "Dương", "Đức"],
    ],
)
def test_vietnamese_collation(ordered):
    shuffled = list(reversed(ordered))
    assert sorted(shuffled, key=sort_key) == ordered


def test_people_sort_by_ten_then_ho_then_dem():
    people = [
        ("Trần", "Văn", "Bình"),
        ("Nguyễn", "Văn", "Bình"),
        ("Lê", "Thị", "An"),
        ("Nguyễn", "Thị", "Bình"),
        ("Đỗ", "Minh", "Ánh"),
    ]
    got = sorted(people, key=lambda p: person_sort_key(*p))
    assert [full_name(*p) for p in got] == [
        "Lê Thị An",
        "Đỗ Minh Ánh",
        "Nguyễn Thị Bình",
        "Nguyễn Văn Bình",
        "Trần Văn Bình",
    ]


def test_sort_key_is_hex_so_both_databases_order_it_bytewise():
    key = person_sort_key("Nguyễn", "Văn", "An")
    assert key == key.lower()
    int(key, 16)


def test_full_name_skips_empty_middle_name():
    assert full_name("Lý", "", "Mai") == "Lý Mai"


@pytest.mark.parametrize(
    ("raw", "limit", "expected"),
    [
        (None, None, ""),
        ("  Cán bộ  ", None, "Cán bộ"),
        ("Dòng 1\r\nDòng 2\rDòng 3", None, "Dòng 1\nDòng 2\nDòng 3"),  # line breaks as \n
        ("Cột\tgiá trị", None, "Cột\tgiá trị"),  # tabs kept
        ("A\x00B\x07C\x1bD\x7f", None, "ABCD"),  # NUL (PostgreSQL refuses it) and controls
        ("Tên\u202egnàh\u202c", None, "Têngnàh"),  # bidi overrides that disguise text
        ("Ca\u0301n bo\u0302\u0323", None, "Cán bộ"),  # NFD → NFC
        ("  nhiều   khoảng  trắng ", None, "nhiều   khoảng  trắng"),  # inner spaces as written
        ("Phản ánh dài", 6, "Phản á"),
        (12, None, "12"),
    ],
)
def test_clean_text_keeps_free_text_as_written_without_control_characters(raw, limit, expected):
    assert clean_text(raw, limit) == expected
