"""Explained results (core.explain): the published shape of a reason and its language."""

import pytest

from congvu.core.explain import Explained, Reason

REASON = Reason(
    "limit.cap",
    "limit",
    "Vượt tỷ lệ 20% HTXS",
    "Nghị định 335/2025/NĐ-CP, Điều 20",
    text_en="Above the 20% cap",
    link="docs/legal/evaluation.md#e-14",
)


def test_a_reason_publishes_exactly_code_kind_text_and_source():
    assert REASON.as_json() == {
        "code": "limit.cap",
        "kind": "limit",
        "text": "Vượt tỷ lệ 20% HTXS",
        "source": "Nghị định 335/2025/NĐ-CP, Điều 20",
    }


@pytest.mark.parametrize(
    ("reason", "language", "shown"),
    [
        (REASON, "vi", "Vượt tỷ lệ 20% HTXS"),
        (REASON, "en", "Above the 20% cap"),
        (Reason("x", "info", "Chỉ tiếng Việt", "—"), "en", "Chỉ tiếng Việt"),
    ],
)
def test_a_reason_is_shown_in_the_pages_language_when_it_has_one(reason, language, shown):
    assert reason.shown(language) == shown


def test_an_explained_answer_lists_its_codes_in_order():
    answer = Explained("HTT", (REASON, Reason("info.months", "info", "Đủ 12 tháng", "—")))
    assert answer.codes() == ("limit.cap", "info.months")
