"""The shipped catalogue files: valid, complete, and every item traceable to its source text."""

import re
from collections import Counter
from functools import cache
from pathlib import Path

import pytest

from congvu.core.text import nfc
from congvu.standards import rules, services

SOURCES = services.SHIPPED_DIR / "sources"
SHARED_SEEDS = Path(__file__).resolve().parents[4] / "shared" / "seeds"
SEED_FILES = {"001": "001_3490de15b909354e.txt", "004": "004_34e52edc54c0cea1.txt"}


@cache
def seed_text(seed: str) -> str:
    return nfc((SOURCES / f"seed-{seed}.txt").read_text(encoding="utf-8"))


@cache
def shipped() -> dict[str, rules.CatalogueDoc]:
    return {doc.code: doc for doc in map(services.read_document, services.shipped_paths())}


def items(doc: rules.CatalogueDoc) -> list[rules.Item]:
    return [item for item, _ in rules.walk(doc.items)]


def test_every_shipped_file_is_valid_and_named_code_slash_version():
    for path in services.shipped_paths():
        doc = services.read_document(path)
        assert (path.parent.name, path.stem) == (doc.code, doc.version)


@pytest.mark.parametrize("seed", sorted(SEED_FILES))
def test_the_seed_copies_are_the_shared_seeds_byte_for_byte(seed):
    original = SHARED_SEEDS / SEED_FILES[seed]
    if not original.exists():
        pytest.skip("../shared/seeds is not present on this machine")
    assert (SOURCES / f"seed-{seed}.txt").read_bytes() == original.read_bytes()


@pytest.mark.parametrize("code", ["ca-nhan", "tap-the", "vhcv"])
def test_every_item_of_a_seed_catalogue_is_verbatim_in_its_seed(code):
    doc = shipped()[code]
    assert doc.source_seed
    missing = []
    for item in items(doc):
        fragments = (
            item.trace if item.trace is not None else (rules.Trace(doc.source_seed, item.text),)
        )
        missing += [
            (item.stable_id, fragment.seed, fragment.text)
            for fragment in fragments
            if nfc(fragment.text) not in seed_text(fragment.seed)
        ]
    assert missing == []


def test_only_the_listed_items_come_from_outside_their_catalogues_seed():
    """Seed 001 stops in the middle of §II.3.b: what follows is taken from seed 004 or from the
    legal notes (docs/legal/standards.md#s-1)."""
    borrowed = {
        (code, item.stable_id): tuple(f.seed for f in item.trace)
        for code, doc in shipped().items()
        if doc.source_seed
        for item in items(doc)
        if item.trace is not None
    }
    assert borrowed == {
        ("vhcv", "vhcv.dao-duc.b"): ("001", "004"),
        ("vhcv", "vhcv.dao-duc.phat-ngon"): ("004",),
        ("vhcv", "vhcv.dao-duc.gia-dinh"): ("004",),
        ("vhcv", "vhcv.trang-phuc"): (),
        ("vhcv", "vhcv.trang-phuc.gon-gang"): ("004",),
        ("vhcv", "vhcv.trang-phuc.phu-hop"): ("004",),
        ("vhcv", "vhcv.trang-phuc.nganh-rieng"): ("004",),
    }


def _plus_items(section: str) -> list[str]:
    return [nfc(line[1:]).rstrip(";:.") for line in section.splitlines() if line.startswith("+")]


def _section(text: str, start: str, end: str) -> str:
    return text[text.index(start) : text.index(end)]


@pytest.mark.parametrize(
    ("code", "start", "end"),
    [
        (
            "ca-nhan",
            "b) Đối với cán bộ, công chức, viên chức:\n\n- Thực hiện chấp hành",
            "2. Hình thức khen thưởng",
        ),
        (
            "tap-the",
            "1. Tiêu chuẩn thi đua:",
            "b) Đối với cán bộ, công chức, viên chức:\n\n- Thực hiện chấp hành",
        ),
    ],
)
def test_every_plus_item_of_seed_004_is_a_criterion_in_order(code, start, end):
    raw = (SOURCES / "seed-004.txt").read_text(encoding="utf-8")
    expected = _plus_items(_section(raw, start, end))
    criteria = [
        item.text.rstrip(";:.")
        for item in items(shipped()[code])
        if re.search(r", ý thứ \d+$", item.source)
    ]
    assert criteria == expected


def test_every_lettered_item_of_seed_001_section_ii_is_a_criterion():
    raw = (SOURCES / "seed-001.txt").read_text(encoding="utf-8")
    section = raw[raw.index("II. NỘI DUNG CỦA VĂN HÓA CÔNG VỤ") :]
    lettered = [nfc(line[3:]) for line in section.splitlines() if re.match(r"[a-d]\) ", line)]
    texts = {item.text for item in items(shipped()["vhcv"])}
    assert len(lettered) == 10  # 1.a–d, 2.a–d, 3.a and the truncated 3.b
    assert [t for t in lettered if t not in texts and not t.endswith("; hút")] == []
    assert any(t.startswith(lettered[-1]) for t in texts)


def test_groups_and_counts_per_catalogue():
    counts = {
        code: Counter(item.stable_id.count(".") for item in items(doc))
        for code, doc in shipped().items()
    }
    assert counts == {
        "ca-nhan": {1: 7, 2: 27, 3: 12},
        "tap-the": {1: 5, 2: 18},
        "vhcv": {1: 4, 2: 16, 3: 9},
        "vhcs": {1: 5, 2: 20},
    }


def test_the_seven_individual_and_five_collective_groups_follow_the_seed():
    docs = shipped()
    assert [g.stable_id for g in docs["ca-nhan"].items] == [
        "ca-nhan.ky-cuong",
        "ca-nhan.chuyen-nghiep",
        "ca-nhan.tan-tuy",
        "ca-nhan.giao-tiep",
        "ca-nhan.dao-duc",
        "ca-nhan.trang-phuc",
        "ca-nhan.thi-dua",
    ]
    assert [g.stable_id for g in docs["tap-the"].items] == [
        "tap-the.van-ban",
        "tap-the.cai-cach",
        "tap-the.cong-nghe",
        "tap-the.van-minh",
        "tap-the.thi-dua",
    ]


@pytest.mark.parametrize(
    ("code", "parent", "expected"),
    [
        (
            "vhcv",
            "vhcv.giao-tiep.a",
            [
                "Xin chào",
                "xin lỗi",
                "xin cảm ơn",
                "xin phép",
                "luôn mỉm cười",
                "luôn nhẹ nhàng",
                "luôn lắng nghe",
                "luôn giúp đỡ",
            ],
        ),
        (
            "ca-nhan",
            "ca-nhan.giao-tiep.1",
            [
                "Xin chào",
                "xin lỗi",
                "xin cảm ơn",
                "xin phép",
                "luôn mỉm cười",
                "luôn nhẹ nhàng",
                "luôn lắng nghe",
                "luôn giúp đỡ",
                "không hách dịch",
                "không những nhieu",
                "không cáu gắt",
            ],
        ),
    ],
)
def test_4_xin_4_luon_are_separate_sub_criteria(code, parent, expected):
    node = next(item for item in items(shipped()[code]) if item.stable_id == parent)
    assert [c.text for c in node.children][1:] == expected


def test_leader_only_items_are_marked_for_leaders():
    leaders = {
        item.stable_id
        for doc in shipped().values()
        for item in items(doc)
        if item.subjects == ("leader",)
    }
    assert leaders == {
        "ca-nhan.tan-tuy.5",
        "ca-nhan.giao-tiep.4",
        "vhcv.tinh-than.d",
        "vhcv.giao-tiep.d",
    }


def test_office_rules_cite_qd_129_articles_with_confidence_tags():
    doc = shipped()["vhcs"]
    for item in items(doc):
        assert item.confidence in rules.CONFIDENCE_TAGS, item.stable_id
        assert re.search(r"\[(C|U|S|C\*)\]", item.source), item.stable_id
    sources = {item.stable_id: item.source for item in items(doc)}
    assert "Điều 7 khoản 1 [C]" in sources["vhcs.the.1"]
    assert "Điều 16 [C]" in sources["vhcs.bai-tri.5"]
    assert "Điều 12 (số điều suy ra [U])" in sources["vhcs.bai-tri.1"]
    assert {g.stable_id for g in doc.items} == {
        "vhcs.trang-phuc",
        "vhcs.the",
        "vhcs.giao-tiep",
        "vhcs.viec-cam",
        "vhcs.bai-tri",
    }


def test_no_shipped_catalogue_invents_points():
    """The seeds give no points: every item carries the documented default weight."""
    for doc in shipped().values():
        assert doc.total_points is None
        for item in items(doc):
            assert (item.points, item.weight) == (None, rules.DEFAULT_WEIGHT)
