"""The categories of misconduct are versioned data tied to the standards and the seeds."""

import unicodedata
from datetime import date
from pathlib import Path

import pytest
import yaml

from congvu.feedback import categories
from congvu.feedback.categories import CategoryError, _parse
from congvu.standards import services as standards

SEEDS = {
    "000": categories.DIRECTORY / "sources" / "seed-000.txt",
    "001": standards.SHIPPED_DIR / "sources" / "seed-001.txt",
    "004": standards.SHIPPED_DIR / "sources" / "seed-004.txt",
}


def _criterion_ids() -> set[str]:
    ids: set[str] = set()

    def walk(items):
        for item in items or ():
            ids.add(item["id"])
            walk(item.get("items"))

    for path in Path(standards.SHIPPED_DIR).glob("*/*.yaml"):
        walk(yaml.safe_load(path.read_text(encoding="utf-8"))["items"])
    return ids


def test_the_shipped_list_has_the_categories_the_issue_names_and_other():
    current = categories.in_force(date(2026, 11, 21))
    labels = " | ".join(c.label.lower() for c in current.items)
    for words in ("gây khó khăn", "phiền hà", "vòi vĩnh", "thờ ơ", "rượu, bia", "hành vi khác"):
        assert words in labels
    assert current.items[-1].id == categories.OTHER


def test_every_category_points_at_criteria_that_exist_in_the_standards():
    known = _criterion_ids()
    for version in categories.all_versions():
        for category in version.items:
            assert set(category.criteria) <= known, (category.id, set(category.criteria) - known)
            if category.id != categories.OTHER:
                assert category.criteria, category.id


def test_every_quoted_standard_is_verbatim_in_its_seed():
    for version in categories.all_versions():
        for category in version.items:
            assert category.source
            if category.trace:
                seed = unicodedata.normalize("NFC", SEEDS[category.trace].read_text("utf-8"))
                assert category.text in " ".join(seed.split()), category.id


def test_the_copied_seed_is_the_shared_seed_when_it_is_at_hand():
    shared = Path(__file__).resolve().parents[4] / "shared" / "seeds" / "000_7631707d0cf3301f.txt"
    if not shared.exists():
        pytest.skip("../shared is not beside the work tree")
    assert SEEDS["000"].read_bytes() == shared.read_bytes()


def test_a_report_keeps_the_label_of_the_version_it_was_filed_under():
    version = categories.all_versions()[0]
    assert categories.label_of("ruou-bia", version.version).startswith("Sử dụng rượu, bia")
    assert categories.label_of("khong-co", version.version) == "khong-co"
    assert categories.by_version("1999.1") is None


def _doc(**changes):
    doc = {
        "version": "9.1",
        "effective_from": date(2030, 1, 1),
        "title": "t",
        "source": "s",
        "items": [
            {"id": "a", "label": "A", "source": "s"},
            {"id": "khac", "label": "K", "source": "s"},
        ],
    }
    doc.update(changes)
    return doc


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"items": [{"id": "a", "label": "A", "source": "s"}]}, "thiếu nhóm «khac»"),
        ({"items": [{"id": "khac", "label": "A", "source": "s"}] * 2}, "bị lặp"),
        ({"effective_from": "mai"}, "effective_from"),
        ({"items": "a"}, "cần các khóa"),
        ({"items": [{"id": "khac", "label": "K", "source": "s", "trace": "001"}]}, "không có text"),
    ],
)
def test_a_broken_category_file_is_refused_with_a_reason(changes, message):
    with pytest.raises(CategoryError, match=message):
        _parse(_doc(**changes), "x.yaml")
