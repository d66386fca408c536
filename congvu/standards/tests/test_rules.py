"""Catalogue documents without a database: validation, checksum, diff, rules typed as lines."""

import copy
from datetime import date
from decimal import Decimal

import pytest

from congvu.standards import rules
from congvu.standards.rules import CatalogueError, Row


def doc(**changes) -> dict:
    base = {
        "code": "mau",
        "title": "Danh mục mẫu",
        "kind": "individual",
        "version": "1",
        "effective_from": "2026-01-01",
        "source": {"document": "Văn bản mẫu"},
        "items": [
            {
                "id": "mau.a",
                "text": "Nhóm A",
                "source": "mục A",
                "items": [
                    {"id": "mau.a.1", "text": "Tiêu chí A1", "source": "mục A, ý 1"},
                    {"id": "mau.a.2", "text": "Tiêu chí A2", "source": "mục A, ý 2"},
                ],
            },
            {"id": "mau.b", "text": "Nhóm B", "source": "mục B"},
        ],
    }
    base.update(changes)
    return base


def with_item(path: tuple[int, ...], **changes) -> dict:
    data = copy.deepcopy(doc())
    node = {"items": data["items"]}
    for index in path:
        node = node["items"][index]
    node.update(changes)
    return data


def problems_of(data) -> list[str]:
    with pytest.raises(CatalogueError) as caught:
        rules.parse_catalogue(data)
    return caught.value.problems


def test_a_valid_document_parses_with_documented_defaults():
    parsed = rules.parse_catalogue(doc())
    assert parsed.effective_from == date(2026, 1, 1)
    leaf = parsed.items[0].children[0]
    assert (leaf.weight, leaf.points, leaf.evidence_required, leaf.subjects, leaf.wording) == (
        Decimal(1),
        None,
        False,
        ("individual",),
        "verbatim",
    )


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        ([], "tài liệu"),
        (doc(code="Mẫu"), "code"),
        (doc(title=""), "title"),
        (doc(kind="other"), "kind"),
        (doc(version=1.0), "đặt trong dấu nháy"),
        (doc(version="1 0"), "version"),
        (doc(effective_from="01/01/2026"), "effective_from"),
        (doc(source="Văn bản"), "source"),
        (doc(items=[]), "items"),
        (doc(extra=1), "khóa không hợp lệ «extra»"),
        (doc(kind="unit_supplement"), "owner_unit"),
        (doc(owner_unit="KHA-SYT"), "owner_unit"),
        (doc(defaults={"weight": 0}), "defaults.weight"),
        (doc(defaults={"subjects": ["everyone"]}), "đối tượng áp dụng không hợp lệ"),
        (with_item((0,), id="khac.a"), "mã phải có dạng «mau.<đoạn>»"),
        (with_item((0, 0), id="mau.b.1"), "mã phải có dạng «mau.a.<đoạn>»"),
        (with_item((0, 1), id="mau.a.1"), "mã bị trùng"),
        (with_item((0, 0), id="mau.a.Một"), "mã phải có dạng"),
        (with_item((0, 0), text="  "), "thiếu nội dung"),
        (with_item((0, 0), source=""), "thiếu nguồn"),
        (with_item((0, 0), points=-1), "điểm phải là số không âm"),
        (with_item((0, 0), points=True), "điểm phải là số không âm"),
        (with_item((0, 0), weight=0), "trọng số phải là số dương"),
        (with_item((0, 0), evidence_required="có"), "evidence_required"),
        (with_item((0, 0), wording="loose"), "wording"),
        (with_item((0, 0), confidence="X"), "độ tin cậy"),
        (with_item((0, 0), trace="none"), "cần ghi chú"),
        (with_item((0, 0), trace=[{"seed": "004", "text": "Tiêu chí"}]), "ghép lại"),
        (with_item((0, 0), trace=[{"seed": "004"}]), "đúng hai khóa"),
        (
            with_item(
                (0, 0),
                items=[
                    {
                        "id": "mau.a.1.x",
                        "text": "Con",
                        "source": "s",
                        "items": [{"id": "mau.a.1.x.y", "text": "Cháu", "source": "s"}],
                    }
                ],
            ),
            "sâu quá 3 cấp",
        ),
    ],
)
def test_invalid_documents_are_refused_with_the_reason(data, expected):
    assert any(expected in problem for problem in problems_of(data))


def test_every_problem_is_reported_at_once_with_the_item_id():
    data = with_item((0, 0), text="", source="")
    data["title"] = ""
    found = problems_of(data)
    assert "title: thiếu tên danh mục" in found
    assert "mau.a.1: thiếu nội dung (text)" in found
    assert "mau.a.1: thiếu nguồn (source)" in found


@pytest.mark.parametrize(
    ("group_points", "child_points", "total", "error"),
    [
        (10, (4, 6), None, None),
        (10, (4, 5), None, "tổng điểm các mục con là 9, khác 10"),
        (10, (4, None), None, "hoặc mọi mục con đều có điểm"),
        (None, (4, 6), None, None),
        (12, (6, 6), 12, "có tổng điểm thì mọi nhóm phải có điểm"),  # group B has none
        (2.5, ("1.25", 1.25), None, None),
    ],
)
def test_points_add_up_where_the_source_gives_them(group_points, child_points, total, error):
    data = with_item((0,), points=group_points)
    for n, points in enumerate(child_points):
        data["items"][0]["items"][n]["points"] = points
    if total is not None:
        data["total_points"] = total
    if error is None:
        rules.parse_catalogue(data)
    else:
        assert any(error in p for p in problems_of(data))


def test_total_points_checked_against_the_groups():
    data = doc(total_points=30)
    data["items"][0]["points"] = 20
    data["items"][1]["points"] = 10
    data["items"][0]["items"][0]["points"] = 15
    data["items"][0]["items"][1]["points"] = 5
    assert rules.parse_catalogue(data).total_points == 30
    data["total_points"] = 25
    assert "total_points: tổng điểm các nhóm là 30, khác 25" in problems_of(data)


def test_children_inherit_evidence_and_subjects_from_their_parent():
    parsed = rules.parse_catalogue(
        with_item((0,), evidence_required=True, subjects=["leader", "individual"])
    )
    child = parsed.items[0].children[0]
    assert child.evidence_required is True
    assert child.subjects == ("individual", "leader")  # canonical order
    assert parsed.items[1].evidence_required is False


def test_flatten_gives_pre_order_rows_with_parents_and_depths():
    rows = rules.flatten(rules.parse_catalogue(doc()))
    assert [(r.stable_id, r.parent_id, r.depth, r.order) for r in rows] == [
        ("mau.a", None, 0, 0),
        ("mau.a.1", "mau.a", 1, 1),
        ("mau.a.2", "mau.a", 1, 2),
        ("mau.b", None, 0, 3),
    ]


def test_text_is_stored_nfc_with_single_spaces():
    decomposed = "Tie\u0302u chi\u0301   A1\n"
    parsed = rules.parse_catalogue(with_item((0, 0), text=decomposed))
    assert parsed.items[0].children[0].text == "Tiêu chí A1"


def test_checksum_ignores_layout_and_defaults_but_not_content():
    plain = rules.checksum(rules.parse_catalogue(doc()))
    spelled_out = with_item((0, 0), weight=1, evidence_required=False, subjects=["individual"])
    spelled_out["effective_from"] = date(2026, 1, 1)
    assert rules.checksum(rules.parse_catalogue(spelled_out)) == plain
    assert rules.checksum(rules.parse_catalogue(with_item((0, 0), text="Khác"))) != plain
    assert rules.checksum(rules.parse_catalogue(doc(version="2"))) != plain


def r(
    stable_id,
    text="t",
    parent=None,
    points=None,
    weight=1,
    evidence=False,
    subjects=("individual",),
):
    return Row(
        stable_id=stable_id,
        parent_id=parent,
        depth=0 if parent is None else 1,
        order=0,
        text=text,
        points=None if points is None else Decimal(points),
        weight=Decimal(weight),
        evidence_required=evidence,
        subjects=subjects,
    )


@pytest.mark.parametrize(
    ("old", "new", "added", "removed", "changes"),
    [
        ([r("x")], [r("x")], [], [], []),
        ([r("x")], [r("x"), r("y")], ["y"], [], []),
        ([r("x"), r("y")], [r("y")], [], ["x"], []),
        ([r("x", "cũ")], [r("x", "mới")], [], [], [("x", "text", "cũ", "mới")]),
        (
            [r("x", points=5)],
            [r("x", points=10)],
            [],
            [],
            [("x", "points", Decimal(5), Decimal(10))],
        ),
        ([r("x")], [r("x", points=3)], [], [], [("x", "points", None, Decimal(3))]),
        ([r("x")], [r("x", weight=2)], [], [], [("x", "weight", Decimal(1), Decimal(2))]),
        ([r("x")], [r("x", evidence=True)], [], [], [("x", "evidence_required", False, True)]),
        (
            [r("x")],
            [r("x", subjects=("leader",))],
            [],
            [],
            [("x", "subjects", ("individual",), ("leader",))],
        ),
        (
            [r("g"), r("h"), r("x", parent="g")],
            [r("g"), r("h"), r("x", parent="h")],
            [],
            [],
            [("x", "parent", "g", "h")],
        ),
        ([r("x", "a"), r("y")], [r("x", "b"), r("z")], ["z"], ["y"], [("x", "text", "a", "b")]),
    ],
)
def test_diff_matches_items_by_stable_id(old, new, added, removed, changes):
    diff = rules.diff_rows(old, new)
    assert [row.stable_id for row in diff.added] == added
    assert [row.stable_id for row in diff.removed] == removed
    assert [(c.stable_id, c.field, c.before, c.after) for c in diff.changes] == changes
    assert diff.is_empty == (not added and not removed and not changes)


def test_diff_groups_changes_by_kind():
    diff = rules.diff_rows(
        [r("x", "a", points=1), r("y")], [r("x", "b", points=2), r("y", evidence=True)]
    )
    assert [c.field for c in diff.text_changed] == ["text"]
    assert [c.field for c in diff.points_changed] == ["points"]
    assert [c.field for c in diff.other_changed] == ["evidence_required"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Đi làm đúng giờ\n\nTắt điện khi ra về",
            [("nq.1", "Đi làm đúng giờ", None), ("nq.2", "Tắt điện khi ra về", None)],
        ),
        (
            "# Giờ làm việc\n- Đến trước 7 giờ 30\n+ Không về sớm\n# Tài sản\nTắt điện",
            [("nq.1", "Giờ làm việc", ["nq.1.1", "nq.1.2"]), ("nq.2", "Tài sản", ["nq.2.1"])],
        ),
        (
            "Quy định chung\n# Nhóm\nQuy định trong nhóm",
            [("nq.1", "Quy định chung", None), ("nq.2", "Nhóm", ["nq.2.1"])],
        ),
    ],
)
def test_a_units_rules_typed_as_lines_become_items(text, expected):
    items = rules.items_from_lines(code="nq", text=text, source="Nội quy")
    assert [
        (i["id"], i["text"], [c["id"] for c in i["items"]] if "items" in i else None) for i in items
    ] == expected


def test_rules_typed_as_lines_round_trip_through_rows():
    text = "# Giờ làm việc\nĐến trước 7 giờ 30\nKhông về sớm\n# Tài sản\nTắt điện"
    items = rules.items_from_lines(code="nq", text=text, source="Nội quy")
    parsed = rules.parse_catalogue(
        doc(code="nq", kind="unit_supplement", owner_unit="X", items=items)
    )
    assert rules.lines_from_rows(rules.flatten(parsed)) == text
    assert parsed.items[0].children[0].source == "Nội quy, dòng 2"
