"""Classification rules for every regime: levels, boundaries, forced cases, ceilings."""

from datetime import date
from decimal import Decimal
from fractions import Fraction

import pytest

from congvu.discipline.rules import Discipline
from congvu.evaluations import regimes, rules
from congvu.evaluations.rules import Nd90Facts, Person

D = Decimal
ND90, ND335, ND233 = (regimes.REGIMES[c] for c in ("nd90", "nd335", "nd233"))
CATEGORY = {"nd90": "cong_chuc", "nd335": "cong_chuc", "nd233": "vien_chuc"}
YEAR = {"nd90": 2025, "nd335": 2026, "nd233": 2026}
GOOD_FACTS = Nd90Facts("good", D(100), D(100), D(60))


def person(regime: regimes.Regime = ND335, **kw) -> Person:
    kw.setdefault("id", 1)
    kw.setdefault("category", CATEGORY[regime.code])
    if regime.method == "points":
        kw.setdefault("period_scores", (D(95),))
    else:
        kw.setdefault("facts", GOOD_FACTS)
    if "flags" in kw:
        kw["flags"] = frozenset(kw["flags"])
    return Person(**kw)


def run(p: Person, regime: regimes.Regime = ND335, year: int | None = None, **overrides):
    return rules.classify(p, regime=regime, year=year or YEAR[regime.code], overrides=overrides)


def codes(result: rules.Result) -> list[str]:
    return [r.code for r in result.reasons]


def discipline(day: str, form: str = "khien_trach", duty: bool = True, **kw) -> Discipline:
    return Discipline(form, date.fromisoformat(day), duty, **kw)


# --- points: boundaries and the mean ------------------------------------------------------


@pytest.mark.parametrize("regime", [ND335, ND233], ids=["nd335", "nd233"])
@pytest.mark.parametrize(
    ("scores", "level", "code"),
    [
        (["0"], "KHT", "SCORE_KHT"),
        (["49.99"], "KHT", "SCORE_KHT"),
        (["50"], "HTNV", "SCORE_HTNV"),
        (["69.99"], "HTNV", "SCORE_HTNV"),
        (["70"], "HTT", "SCORE_HTT"),
        (["89.99"], "HTT", "SCORE_HTT"),
        (["90"], "HTXS", "SCORE_HTXS"),
        (["100"], "HTXS", "SCORE_HTXS"),
        (["89.99", "90.01"], "HTXS", "SCORE_HTXS"),  # mean exactly 90
        (["89.99", "90", "90"], "HTT", "SCORE_HTT"),  # mean 89.9966…, not rounded up
        (["49.99", "50", "50"], "KHT", "SCORE_KHT"),
        (["100"] * 11 + ["0"], "HTXS", "SCORE_HTXS"),  # 91.66…
        (["60", "80", "80", "80"], "HTT", "SCORE_HTT"),  # quarterly, 75
    ],
)
def test_points_level_is_decided_on_the_exact_annual_mean(regime, scores, level, code):
    result = run(person(regime, period_scores=tuple(D(s) for s in scores)), regime)
    assert result.level == level
    assert codes(result) == [code]
    assert result.score == sum(Fraction(D(s)) for s in scores) / len(scores)


@pytest.mark.parametrize(
    ("score", "places", "shown"),
    [
        (Fraction(2699, 30), 2, D("89.96")),
        (Fraction(26999, 300), 2, D("89.99")),  # 89.9966… is cut, never shown as 90
        (Fraction(90), 2, D("90.00")),
        (Fraction(1, 3), 0, D("0")),
    ],
)
def test_displayed_score_is_cut_not_rounded_so_it_never_contradicts_the_level(score, places, shown):
    assert rules.display_score(score, places) == shown


def test_reason_text_shows_the_cut_mean_with_a_decimal_comma():
    result = run(person(period_scores=(D("89.99"), D(90), D(90))))
    assert "89,99" in result.reasons[0].text
    assert "từ 70 đến dưới 90" in result.reasons[0].text


def test_points_regime_without_scores_is_an_input_problem():
    with pytest.raises(rules.InputProblem, match="period_scores"):
        run(person(period_scores=()))


# --- forced KHT cases (ND 335/2025; ND 233/2026 Art 12) -----------------------------------


@pytest.mark.parametrize("regime", [ND335, ND233], ids=["nd335", "nd233"])
@pytest.mark.parametrize(
    ("kw", "level", "expected_codes"),
    [
        ({"flags": {"degradation"}}, "KHT", ["SCORE_HTXS", "DEGRADATION"]),
        (
            {"discipline": (discipline("2026-07-15"),)},
            "KHT",
            ["SCORE_HTXS", "DISCIPLINE"],
        ),
        (
            {"discipline": (discipline("2026-07-15", "canh_cao"),)},
            "KHT",
            ["SCORE_HTXS", "DISCIPLINE"],
        ),
        (
            {"is_leader": True, "flags": {"unit_corruption"}},
            "KHT",
            ["SCORE_HTXS", "UNIT_CORRUPTION"],
        ),
        # not a leader: the leaders' case does not apply
        ({"flags": {"unit_corruption"}}, "HTXS", ["SCORE_HTXS", "FLAG_LEADERS_ONLY"]),
        # discipline for a violation unrelated to duties does not force KHT
        (
            {"discipline": (discipline("2026-07-15", duty=False),)},
            "HTXS",
            ["SCORE_HTXS", "DISCIPLINE_NOT_DUTY_RELATED"],
        ),
        # effective in another year: weighs on that year only
        (
            {"discipline": (discipline("2025-12-31"), discipline("2027-01-01"))},
            "HTXS",
            ["SCORE_HTXS", "DISCIPLINE_OTHER_YEAR", "DISCIPLINE_OTHER_YEAR"],
        ),
        # already used to rate KHT (earlier year, same act, former organisation)
        (
            {"discipline": (discipline("2026-08-01", already_counted=True),)},
            "HTXS",
            ["SCORE_HTXS", "DISCIPLINE_ALREADY_COUNTED"],
        ),
        # every forced case is listed, the level is KHT once
        (
            {
                "is_leader": True,
                "flags": {"degradation", "unit_corruption"},
                "discipline": (
                    discipline("2026-09-01"),
                    discipline("2026-10-01", "canh_cao", system="party"),
                ),
            },
            "KHT",
            ["SCORE_HTXS", "DEGRADATION", "UNIT_CORRUPTION", "DISCIPLINE", "DISCIPLINE"],
        ),
    ],
)
def test_forced_cases_of_the_point_regimes(regime, kw, level, expected_codes):
    result = run(person(regime, **kw), regime)
    assert result.level == level
    assert codes(result) == expected_codes
    forced = [r for r in result.reasons if r.kind == "force"]
    assert all(r.source for r in result.reasons)
    assert bool(forced) == (level == "KHT")


def test_nd233_mitigates_corruption_the_manager_detected_himself():
    p = person(ND233, is_leader=True, flags={"unit_corruption", "unit_corruption_self_detected"})
    result = run(p, ND233)
    assert result.level == "HTXS"
    assert codes(result) == ["SCORE_HTXS", "UNIT_CORRUPTION_MITIGATED"]


def test_nd335_mitigation_is_a_setting_off_by_default():
    p = person(is_leader=True, flags={"unit_corruption", "unit_corruption_self_detected"})
    assert run(p).level == "KHT"
    assert run(p, **{"nd335.unit_corruption_mitigation": True}).level == "HTXS"


# --- head of unit ---------------------------------------------------------------------------


def test_nd233_head_is_not_rated_above_the_unit():
    result = run(person(ND233, is_head=True, is_leader=True, unit_level="HTT"), ND233)
    assert result.level == "HTT"
    assert codes(result) == ["SCORE_HTXS", "HEAD_NOT_ABOVE_UNIT"]
    assert "Điều 12 khoản 7" in result.reasons[-1].source


def test_head_rule_lists_its_reason_even_when_it_does_not_bind():
    p = person(ND233, period_scores=(D(60),), is_head=True, unit_level="HTT")
    result = run(p, ND233)
    assert result.level == "HTNV"
    assert codes(result) == ["SCORE_HTNV", "HEAD_NOT_ABOVE_UNIT"]


def test_nd335_head_rule_is_unconfirmed_and_off_unless_switched_on():
    p = person(is_head=True, unit_level="HTNV")
    assert run(p).level == "HTXS"
    assert run(p, **{"nd335.head_not_above_unit": True}).level == "HTNV"


def test_head_without_the_unit_level_is_an_input_problem_where_the_rule_applies():
    with pytest.raises(rules.InputProblem, match="unit_level"):
        run(person(ND233, is_head=True), ND233)


# --- short service and absence -------------------------------------------------------------


@pytest.mark.parametrize(
    ("regime", "months", "flags", "level", "expected_codes"),
    [
        (ND335, 5, set(), "KXL", ["SHORT_SERVICE"]),
        (ND335, 6, set(), "HTXS", ["SCORE_HTXS"]),
        (ND233, 0, set(), "KXL", ["SHORT_SERVICE"]),
        (ND233, 5, {"maternity_leave"}, "HTXS", ["SHORT_SERVICE_EXEMPT", "SCORE_HTXS"]),
        (ND233, 5, {"sick_leave"}, "HTXS", ["SHORT_SERVICE_EXEMPT", "SCORE_HTXS"]),
        (ND233, 5, {"approved_leave"}, "HTXS", ["SHORT_SERVICE_EXEMPT", "SCORE_HTXS"]),
        (ND90, 5, set(), "KXL", ["SHORT_SERVICE"]),
        (ND90, 5, {"maternity_leave"}, "HTXS", ["SHORT_SERVICE_EXEMPT", "ND90_HTXS"]),
        # ND 48/2023 exempts maternity leave only
        (ND90, 5, {"sick_leave"}, "KXL", ["SHORT_SERVICE"]),
        (ND90, 6, set(), "HTXS", ["ND90_HTXS"]),
    ],
)
def test_under_six_months_worked_is_not_classified(regime, months, flags, level, expected_codes):
    result = run(person(regime, months_worked=months, flags=flags), regime)
    assert result.level == level
    assert codes(result) == expected_codes


def test_not_classified_ignores_discipline_and_keeps_the_mean_for_information():
    p = person(
        months_worked=3, period_scores=(D(40), D(50)), discipline=(discipline("2026-02-01"),)
    )
    result = run(p)
    assert (result.level, result.score, codes(result)) == ("KXL", Fraction(45), ["SHORT_SERVICE"])


@pytest.mark.parametrize(
    ("absent", "flags", "level", "extra"),
    [
        (2, set(), "HTXS", []),
        (3, set(), "HTNV", ["ABSENCE_LIMIT"]),
        (5, set(), "HTNV", ["ABSENCE_LIMIT"]),
        (6, set(), "HTNV", ["ABSENCE_LIMIT"]),  # worked 6, absent 6: still limited
        (4, {"maternity_leave"}, "HTXS", ["ABSENCE_LIMIT_EXEMPT"]),
    ],
)
def test_nd48_absence_of_three_months_or_more_limits_to_htnv(absent, flags, level, extra):
    p = person(ND90, months_worked=12 - absent, months_absent=absent, flags=flags)
    result = run(p, ND90)
    assert result.level == level
    assert codes(result) == ["ND90_HTXS", *extra]


def test_absence_limit_belongs_to_nd90_only():
    assert run(person(months_worked=8, months_absent=4)).level == "HTXS"


# --- ND 90/2020 criteria (years up to 2025) -----------------------------------------------

LEADER = {
    "unit_done_pct": D(100),
    "unit_on_time_pct": D(90),
    "unit_exceeded_pct": D(60),
    "subunits_htnv_pct": D(100),
    "subunits_htt_pct": D(80),
}


def facts(general="good", done=100, on_time=100, exceeded=60, **kw) -> Nd90Facts:
    return Nd90Facts(general, D(done), D(on_time), D(exceeded), **kw)


@pytest.mark.parametrize(
    ("f", "is_leader", "level"),
    [
        (facts(), False, "HTXS"),
        (facts(exceeded=50), False, "HTXS"),
        (facts(exceeded=49), False, "HTT"),
        (facts(general="met"), False, "HTT"),
        (facts(on_time="99.9"), False, "HTNV"),
        (facts(on_time=80, exceeded=0), False, "HTNV"),  # 20% short of standard: still HTNV
        (facts(on_time="79.9", exceeded=0), False, "KHT"),
        (facts(done=90, on_time=90, exceeded=0), False, "KHT"),  # not everything completed
        (facts(general="not_met"), False, "KHT"),
        (facts(**LEADER), True, "HTXS"),
        (facts(**{**LEADER, "unit_exceeded_pct": D(40)}), True, "HTT"),
        (facts(**{**LEADER, "unit_on_time_pct": D(79)}), True, "HTNV"),
        (facts(**{**LEADER, "subunits_htnv_pct": D(90)}), True, "HTNV"),
        (facts(**{**LEADER, "subunits_htt_pct": D(69)}), True, "HTNV"),
        (facts(**{**LEADER, "unit_done_pct": D(70), "unit_on_time_pct": D(70)}), True, "KHT"),
        (facts(**{**LEADER, "subunits_htnv_pct": D(69), "subunits_htt_pct": D(0)}), True, "KHT"),
        # no directly managed units: the subunit conditions do not apply
        (
            facts(**{**LEADER, "subunits_htnv_pct": None, "subunits_htt_pct": None}),
            True,
            "HTXS",
        ),
    ],
)
def test_nd90_level_from_the_criteria(f, is_leader, level):
    result = run(person(ND90, facts=f, is_leader=is_leader), ND90)
    assert result.level == level
    assert codes(result) == [f"ND90_{level}"]
    assert result.score is None


def test_nd90_reason_says_why_the_next_level_was_not_reached():
    result = run(person(ND90, facts=facts(exceeded=30)), ND90)
    assert "Chưa đạt mức Hoàn thành xuất sắc nhiệm vụ" in result.reasons[0].text
    assert "50% nhiệm vụ vượt mức" in result.reasons[0].text


def test_nd90_manager_needs_the_unit_facts():
    with pytest.raises(rules.InputProblem, match="unit_done_pct"):
        run(person(ND90, is_leader=True), ND90)


def test_nd90_without_facts_is_an_input_problem():
    with pytest.raises(rules.InputProblem, match="facts"):
        run(person(ND90, facts=None), ND90)


@pytest.mark.parametrize(
    ("kw", "expected_codes"),
    [
        # ND 48/2023: any Party or administrative discipline in the year, duty-related or not
        ({"discipline": (discipline("2025-03-01", duty=False),)}, ["ND90_HTXS", "DISCIPLINE"]),
        (
            {"discipline": (discipline("2025-03-01", system="party"),)},
            ["ND90_HTXS", "DISCIPLINE"],
        ),
        ({"flags": {"degradation"}}, ["ND90_HTXS", "DEGRADATION"]),
        ({"is_leader": True, "flags": {"unit_corruption"}}, ["ND90_HTXS", "UNIT_CORRUPTION"]),
    ],
)
def test_nd90_forced_cases(kw, expected_codes):
    if kw.get("is_leader"):
        kw["facts"] = facts(**LEADER)
    result = run(person(ND90, **kw), ND90)
    assert result.level == "KHT"
    assert codes(result) == expected_codes


def test_nd90_a_discipline_counted_in_an_earlier_rating_is_not_counted_again():
    p = person(ND90, discipline=(discipline("2025-02-01", already_counted=True),))
    result = run(p, ND90)
    assert result.level == "HTXS"
    assert codes(result) == ["ND90_HTXS", "DISCIPLINE_ALREADY_COUNTED"]


# --- regime coverage ---------------------------------------------------------------------------


def test_vien_chuc_2026_under_nd90_is_the_transitional_case():
    result = run(person(ND90, category="vien_chuc"), ND90, 2026)
    assert codes(result) == ["REGIME_TRANSITIONAL", "ND90_HTXS"]
    assert "Điều 20 khoản 1" in result.reasons[0].source


def test_can_bo_from_2026_is_rated_on_an_assumed_basis():
    result = run(person(category="can_bo"), ND335, 2026)
    assert codes(result) == ["REGIME_ASSUMED", "SCORE_HTXS"]


@pytest.mark.parametrize(
    ("regime", "category", "year"),
    [
        (ND90, "cong_chuc", 2026),
        (ND335, "cong_chuc", 2025),
        (ND335, "vien_chuc", 2026),
        (ND233, "vien_chuc", 2025),
        (ND90, "can_bo", 2026),
        (ND90, "cong_chuc", 2022),
    ],
)
def test_a_regime_that_does_not_cover_the_category_and_year_is_refused(regime, category, year):
    with pytest.raises(rules.InputProblem, match="không áp dụng"):
        run(person(regime, category=category), regime, year)
