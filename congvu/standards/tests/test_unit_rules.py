"""The pure rules of a unit's internal rules: the required contents file, splitting typed
rules into items, suggesting mappings, coverage. No database."""

from datetime import date
from pathlib import Path

import pytest
import yaml

from congvu.standards import unit_rules as ur
from congvu.standards.unit_rules import ParsedItem, Required, RulesError

SHIPPED = Path(ur.__file__).resolve().parent / "required" / "noi-quy.yaml"


def _req(code: str, *keywords: str) -> Required:
    return Required(code, code.upper(), "QĐ 129/2007", "U", keywords)


DRESS = _req("trang-phuc", "trang phục", "quai hậu")
CARD = _req("the", "đeo thẻ")
BAN = _req("viec-cam", "hút thuốc", "rượu", "bia")
REQUIRED = (DRESS, CARD, BAN)


# --- The shipped file -------------------------------------------------------------------------


def test_the_shipped_required_contents_load_with_their_sources():
    required = ur.required_parse(yaml.safe_load(SHIPPED.read_text(encoding="utf-8")))
    codes = [r.code for r in required.items]
    assert codes[:8] == [
        "qd129.trang-phuc",
        "qd129.the",
        "qd129.giao-tiep",
        "qd129.viec-cam",
        "qd129.quoc-huy-quoc-ky",
        "qd129.bien-ten",
        "qd129.phong-lam-viec",
        "qd129.cho-de-xe",
    ]
    assert [c for c in codes if c.startswith("qd1847.")] == [
        "qd1847.tinh-than-thai-do",
        "qd1847.giao-tiep-ung-xu",
        "qd1847.dao-duc-loi-song",
        "qd1847.trang-phuc",
    ]
    by_code = required.by_code()
    # LEGAL.md §3: only the card (Art 7) and parking (Art 16) articles are confirmed.
    assert by_code["qd129.the"].confidence == "C" and "Điều 7" in by_code["qd129.the"].basis
    assert by_code["qd129.cho-de-xe"].confidence == "C" and "Điều 16" in (
        by_code["qd129.cho-de-xe"].basis
    )
    assert {r.confidence for r in required.items if r.code.startswith("qd129.")} == {"C", "U"}
    assert {r.confidence for r in required.items if r.code.startswith("qd1847.")} == {"C"}
    assert required.effective_from == date(2021, 11, 1)


GOOD = {
    "version": "1",
    "effective_from": date(2021, 11, 1),
    "source": "seed 003",
    "items": [
        {"code": "a", "title": "A", "basis": "QĐ", "confidence": "C", "keywords": ["x"]},
    ],
}


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        ({"version": ""}, "Thiếu phiên bản"),
        ({"effective_from": "hôm qua"}, "effective_from phải là một ngày"),
        ({"source": None}, "Thiếu nguồn"),
        ({"items": []}, "items phải là một danh sách không rỗng"),
        ({"extra": 1}, "Khóa không dùng được: extra"),
        ({"items": [{**GOOD["items"][0], "code": "A B"}]}, "mã (code)"),
        ({"items": [{**GOOD["items"][0], "confidence": "X"}]}, "mức tin cậy"),
        ({"items": [{**GOOD["items"][0], "keywords": []}]}, "keywords"),
        ({"items": [{**GOOD["items"][0], "title": ""}]}, "thiếu title"),
        ({"items": [GOOD["items"][0], GOOD["items"][0]]}, "Mã a xuất hiện hai lần"),
        ({"items": ["chuỗi"]}, "Mục 1: phải là một bảng"),
    ],
)
def test_a_bad_required_contents_file_is_refused_with_the_reason(change, problem):
    with pytest.raises(RulesError) as refused:
        ur.required_parse({**GOOD, **change})
    assert any(problem in p for p in refused.value.problems), refused.value.problems


# --- Splitting typed rules --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "items"),
    [
        (
            "NỘI QUY CƠ QUAN\nChương I\nĐiều 1. Trang phục gọn gàng\nĐi giày có quai hậu\n"
            "Điều 2: Đeo thẻ khi làm việc",
            [
                ParsedItem("Điều 1", "Điều 1. Trang phục gọn gàng\nĐi giày có quai hậu"),
                ParsedItem("Điều 2", "Điều 2: Đeo thẻ khi làm việc"),
            ],
        ),
        (  # typed without diacritics, in capitals, a heading between articles
            "DIEU 3 - Gio lam viec\nMục 2\ndieu 4 Khong hut thuoc",
            [
                ParsedItem("Điều 3", "DIEU 3 - Gio lam viec"),
                ParsedItem("Điều 4", "dieu 4 Khong hut thuoc"),
            ],
        ),
        (
            "Quy định:\n1. Đeo thẻ\n2) Không hút thuốc\n   trong phòng họp",
            [
                ParsedItem("1", "1. Đeo thẻ"),
                ParsedItem("2", "2) Không hút thuốc\ntrong phòng họp"),
            ],
        ),
        (
            "Đeo thẻ\n\n  Không hút thuốc  \n",
            [ParsedItem("1", "Đeo thẻ"), ParsedItem("2", "Không hút thuốc")],
        ),
        (  # "Mục đích" is a sentence, not a heading
            "Mục đích: văn minh\nChương II",
            [ParsedItem("1", "Mục đích: văn minh")],
        ),
    ],
)
def test_typed_rules_are_split_into_items(text, items):
    assert ur.items_parse(text) == items


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("", "chưa có điều, khoản nào"),
        ("Chương I\nMục 1", "chưa có điều, khoản nào"),
        ("Điều 1. A\nĐiều 1. B", "Điều 1 xuất hiện hai lần"),
        ("\n".join(f"dòng {n}" for n in range(ur.MAX_ITEMS + 1)), "tối đa 500"),
        ("Điều 1. " + "x" * ur.MAX_ITEM_TEXT, "dài quá"),
    ],
)
def test_rules_that_cannot_be_split_are_refused(text, problem):
    with pytest.raises(RulesError) as refused:
        ur.items_parse(text)
    assert any(problem in p for p in refused.value.problems), refused.value.problems


# --- Suggestions ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("items", "existing", "expected"),
    [
        ([(1, "Trang phục gọn gàng")], [], [(1, "trang-phuc", "trang phục")]),
        ([(1, "TRANG PHUC GON GANG")], [], [(1, "trang-phuc", "trang phục")]),  # no diacritics
        (
            [(1, "Đi dép có quai hậu, đeo thẻ")],
            [],
            [(1, "trang-phuc", "quai hậu"), (1, "the", "đeo thẻ")],
        ),
        ([(1, "Trang phục gọn gàng")], [(1, "trang-phuc")], []),  # already mapped
        ([(1, "Không uống bia")], [], [(1, "viec-cam", "bia")]),
        ([(1, "Sổ sách để ngăn nắp, đi biathlon")], [], []),  # whole words only
        ([(1, "Giờ làm việc từ 7 giờ")], [], []),
        (
            [(1, "Đeo thẻ"), (2, "Không hút thuốc")],
            [],
            [(1, "the", "đeo thẻ"), (2, "viec-cam", "hút thuốc")],
        ),
    ],
)
def test_suggestions_match_keywords_whatever_the_diacritics(items, existing, expected):
    found = ur.suggest(items, REQUIRED, existing)
    assert [(s.item, s.code, s.keyword) for s in found] == expected


# --- Coverage -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("mappings", "covered", "missing", "unknown", "percent"),
    [
        ([], [], ["trang-phuc", "the", "viec-cam"], [], 0),
        ([("Điều 1", "the")], [("the", ("Điều 1",))], ["trang-phuc", "viec-cam"], [], 33),
        (
            [("Điều 2", "the"), ("Điều 1", "the"), ("Điều 1", "the")],
            [("the", ("Điều 2", "Điều 1"))],
            ["trang-phuc", "viec-cam"],
            [],
            33,
        ),
        (
            [("1", "trang-phuc"), ("2", "the"), ("3", "viec-cam")],
            [("trang-phuc", ("1",)), ("the", ("2",)), ("viec-cam", ("3",))],
            [],
            [],
            100,
        ),
        ([("1", "cu.da-bo")], [], ["trang-phuc", "the", "viec-cam"], [("1", "cu.da-bo")], 0),
    ],
)
def test_coverage_names_what_is_covered_by_which_items_and_what_is_missing(
    mappings, covered, missing, unknown, percent
):
    result = ur.coverage(REQUIRED, mappings)
    assert [(c.required.code, c.items) for c in result.covered] == covered
    assert [m.required.code for m in result.missing] == missing
    assert all(m.reason == ur.MISSING_REASON for m in result.missing)
    assert list(result.unknown) == unknown
    assert result.percent == percent


def test_a_unit_without_rules_misses_everything_for_that_reason():
    result = ur.coverage(REQUIRED, [], has_rules=False)
    assert {m.reason for m in result.missing} == {ur.NO_RULES_REASON}
    assert result.percent == 0


def test_an_empty_required_list_is_fully_covered():
    assert ur.coverage((), []).percent == 100


@pytest.mark.parametrize(
    ("old", "new", "kept"),
    [
        ([("Đeo thẻ", "the")], [(10, "Đeo thẻ")], [(10, "the")]),
        ([("Đeo thẻ", "the")], [(10, "DEO  THE")], [(10, "the")]),  # case, diacritics, spaces
        ([("Đeo thẻ", "the"), ("Đeo thẻ", "x")], [(10, "Đeo thẻ")], [(10, "the"), (10, "x")]),
        ([("Đeo thẻ", "the")], [(10, "Đeo thẻ ngành")], []),  # changed text: map again
    ],
)
def test_a_new_version_keeps_the_mappings_of_unchanged_items(old, new, kept):
    assert ur.carried_mappings(old, new) == kept
