"""Regime selection by category and date; dated settings; the registry."""

from datetime import date
from decimal import Decimal

import pytest

from congvu.core.dated import CONFIDENCE
from congvu.evaluations import regimes, rules
from congvu.evaluations.regimes import Coverage, Regime, Setting

D = date


@pytest.mark.parametrize(
    ("category", "day", "unit_has_regulation", "code"),
    [
        ("cong_chuc", D(2023, 12, 31), True, "nd90"),
        ("cong_chuc", D(2025, 12, 31), True, "nd90"),
        ("cong_chuc", D(2026, 1, 1), True, "nd335"),
        ("cong_chuc", D(2026, 12, 31), False, "nd335"),  # the transition is for viên chức only
        ("vien_chuc", D(2025, 12, 31), True, "nd90"),
        ("vien_chuc", D(2026, 6, 30), True, "nd90"),  # first half of 2026
        ("vien_chuc", D(2026, 7, 1), True, "nd233"),  # second half of 2026
        ("vien_chuc", D(2026, 12, 31), True, "nd233"),
        ("vien_chuc", D(2026, 12, 31), False, "nd90"),  # ND 233/2026 Art 20.1
        ("vien_chuc", D(2027, 12, 31), False, "nd233"),  # the transition is over
        ("can_bo", D(2025, 12, 31), True, "nd90"),
        ("can_bo", D(2026, 6, 30), True, "nd90"),
        ("can_bo", D(2026, 12, 31), True, "nd335"),  # assumed basis [U]
    ],
)
def test_regime_is_chosen_by_category_and_date(category, day, unit_has_regulation, code):
    regime = regimes.regime_for(category, day, unit_has_regulation=unit_has_regulation)
    assert regime.code == code


def test_no_regime_before_nd48_amendments():
    with pytest.raises(regimes.NoRegime, match="công chức"):
        regimes.regime_for("cong_chuc", D(2022, 12, 31))


def test_the_assumed_cong_chuc_basis_for_can_bo_is_marked_unconfirmed():
    (cover,) = regimes.REGIMES["nd335"].coverage_for("can_bo", D(2026, 12, 31))
    assert cover.confidence == "U"


def test_dated_setting_takes_the_row_in_force_on_the_day():
    before = regimes.setting_in_force("discipline.duration_months.vien_chuc", D(2026, 6, 30))
    after = regimes.setting_in_force("discipline.duration_months.vien_chuc", D(2026, 7, 1))
    assert (before.confidence, after.confidence) == ("U", "C")
    assert "234/2026" in after.source


def test_setting_before_its_first_row_is_an_error():
    with pytest.raises(KeyError):
        regimes.setting_in_force("nd233.cap_share", D(2026, 6, 30))


def test_override_wins_over_the_default():
    day = D(2026, 12, 31)
    assert regimes.setting_value("nd335.cap_share", day) == Decimal("0.20")
    assert regimes.setting_value("nd335.cap_share", day, {"nd335.cap_share": 1}) == 1


def test_every_unconfirmed_parameter_says_so_in_its_source():
    """Every dated setting (the regimes' and the other capabilities' in the one registry)
    carries a known confidence tag and its source; the regimes' are confirmed or unconfirmed
    (C, C*, U), while a province's own deadlines may come from its documents (S)."""
    for rows in regimes.SETTINGS.values():
        for row in rows:
            assert row.confidence in CONFIDENCE
            assert row.source
            if not row.name.startswith(("plans.", "documents.", "feedback.")):
                assert row.confidence in ("C", "C*", "U"), row.name


def test_a_regime_code_is_registered_once():
    with pytest.raises(ValueError, match="already registered"):
        regimes.register(regimes.REGIMES["nd335"])


def test_a_setting_row_is_added_once_per_date():
    row = regimes.setting_in_force("nd335.cap_share", D(2026, 1, 1))
    with pytest.raises(ValueError, match="already has a row"):
        regimes.add_settings(row)


def test_a_new_decree_is_data_and_settings_without_editing_the_old_ones(monkeypatch):
    later = D(2030, 1, 1)
    new = Regime(
        code="nd999",
        title="Nghị định 999/2029/NĐ-CP",
        method="points",
        coverage=(Coverage("cong_chuc", later, None),),
        sources={"levels": "Nghị định 999/2029/NĐ-CP, Điều 1"},
        thresholds=(("HTXS", Decimal(95)), ("HTT", Decimal(75)), ("HTNV", Decimal(50))),
    )
    monkeypatch.setitem(regimes.REGIMES, "nd999", new)
    monkeypatch.setitem(
        regimes.SETTINGS,
        "nd999.min_months_worked",
        (Setting("nd999.min_months_worked", 6, "Điều 2", "C", later),),
    )
    assert regimes.regime_for("cong_chuc", D(2029, 12, 31)).code == "nd335"
    assert regimes.regime_for("cong_chuc", D(2030, 12, 31)).code == "nd999"
    person = rules.Person(id=1, category="cong_chuc", period_scores=(Decimal(92),))
    result = rules.classify(person, regime=new, year=2030)
    assert (result.level, result.reasons[0].source) == ("HTT", "Nghị định 999/2029/NĐ-CP, Điều 1")
