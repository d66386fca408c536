"""Dated settings (core.dated): the row in force on a day, overrides by layer, the listing."""

from datetime import date

import pytest

from congvu.core.dated import Registry, Setting

ROWS = (
    Setting("cap.share", "0.20", "Nghị định 90/2020, Điều 3", "C", date(2020, 11, 15)),
    Setting("cap.share", "0.20", "Nghị định 48/2023, Điều 1", "C", date(2023, 9, 15)),
    Setting("cap.share", "0.25", "dự thảo [U]", "U", date(2026, 1, 1)),
    Setting("sla.days", 15, "mặc định của CôngVụ", "U", date(2019, 1, 1)),
    Setting("sla.days.ruou-bia", 7, "mặc định của CôngVụ", "U", date(2019, 1, 1)),
)


@pytest.fixture
def registry() -> Registry:
    r = Registry()
    r.add(*reversed(ROWS))  # order of registration does not matter
    return r


@pytest.mark.parametrize(
    ("day", "value", "source"),
    [
        (date(2020, 11, 15), "0.20", "Nghị định 90/2020, Điều 3"),
        (date(2023, 9, 14), "0.20", "Nghị định 90/2020, Điều 3"),
        (date(2023, 9, 15), "0.20", "Nghị định 48/2023, Điều 1"),
        (date(2025, 12, 31), "0.20", "Nghị định 48/2023, Điều 1"),
        (date(2026, 1, 1), "0.25", "dự thảo [U]"),
    ],
)
def test_the_row_in_force_is_the_latest_not_after_the_day(registry, day, value, source):
    row = registry.in_force("cap.share", day)
    assert (row.default, row.source) == (value, source)
    assert registry.value("cap.share", day) == value


def test_before_the_first_row_or_for_an_unknown_name_nothing_holds(registry):
    with pytest.raises(KeyError):
        registry.in_force("cap.share", date(2020, 11, 14))
    with pytest.raises(KeyError):
        registry.in_force("no.such", date(2026, 1, 1))
    assert not registry.exists("no.such") and registry.exists("cap.share")


@pytest.mark.parametrize(
    ("layers", "expected"),
    [
        ((), "0.25"),
        ((None,), "0.25"),
        (({"cap.share": "0.15"},), "0.15"),  # the province's override
        (({"cap.share": "0.15"}, {"cap.share": "0.10"}), "0.10"),  # a unit's own, more specific
        (({"cap.share": "0.15"}, {"other": 1}), "0.15"),
        (({}, None, {"cap.share": "0.30"}), "0.30"),
    ],
)
def test_the_most_specific_override_wins(registry, layers, expected):
    assert registry.value("cap.share", date(2026, 6, 1), *layers) == expected


def test_two_rows_of_a_name_from_the_same_day_are_refused(registry):
    with pytest.raises(ValueError, match="already has a row"):
        registry.add(Setting("sla.days", 10, "x", "U", date(2019, 1, 1)))


def test_an_unknown_confidence_tag_is_refused():
    with pytest.raises(ValueError, match="confidence"):
        Setting("x", 1, "x", "maybe", date(2020, 1, 1))


def test_every_setting_in_force_on_a_day_is_listed_by_name(registry):
    listed = registry.all_in_force(date(2024, 1, 1))
    assert [(s.name, s.default) for s in listed] == [
        ("cap.share", "0.20"),
        ("sla.days", 15),
        ("sla.days.ruou-bia", 7),
    ]
    assert [s.name for s in registry.all_in_force(date(2019, 6, 1))] == [
        "sla.days",
        "sla.days.ruou-bia",
    ]
    assert [s.name for s in registry.all_in_force(date(2024, 1, 1), prefix="sla.")] == [
        "sla.days",
        "sla.days.ruou-bia",
    ]


def test_the_process_registry_holds_the_capabilities_settings():
    from congvu.core import dated
    from congvu.discipline import rules  # noqa: F401 (registers its rows)

    assert dated.setting_exists("discipline.duration_months")
    listed = {s.name: s for s in dated.settings_in_force(date(2026, 11, 21))}
    assert listed["discipline.duration_months.vien_chuc"].confidence == "C"
    assert all(s.source for s in listed.values())
