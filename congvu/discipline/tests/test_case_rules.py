"""A discipline case's timeline and a decision's effects (issue 12; docs/discipline-check.md):
limitation periods and their exceptions, the processing limit with pauses, form validity by
category and post across 01/07/2025 and 01/07/2026, each effect and its end, and cases that
straddle a regime change. Pure: no database."""

from datetime import date

import pytest

from congvu.discipline import rules

D = date


def violation(committed, detected, level="khien_trach", **more):
    return rules.Violation(committed, detected, level, **more)


@pytest.mark.parametrize(
    ("category", "v", "ends"),
    [
        ("cong_chuc", violation(D(2021, 3, 10), D(2021, 4, 1)), D(2026, 3, 10)),  # 5 years
        ("cong_chuc", violation(D(2021, 3, 10), D(2021, 4, 1), "higher"), D(2031, 3, 10)),  # 10
        ("vien_chuc", violation(D(2026, 7, 2), D(2026, 8, 1)), D(2031, 7, 2)),  # ND 234 Art 5
        ("vien_chuc", violation(D(2024, 2, 29), D(2024, 3, 1)), D(2029, 2, 28)),  # 29/02
        ("can_bo", violation(D(2022, 1, 5), D(2025, 8, 1), paused_days=30), D(2027, 2, 4)),
        ("cong_chuc", violation(D(2020, 1, 1), D(2025, 1, 1), no_limitation="diploma"), None),
        (
            "cong_chuc",
            violation(D(2010, 1, 1), D(2026, 1, 1), "higher", no_limitation="national_interest"),
            None,
        ),
    ],
)
def test_the_limitation_period(category, v, ends):
    assert rules.limitation_end(v, category)[0] == ends


@pytest.mark.parametrize(
    ("decided", "barred"),
    [(D(2026, 3, 10), False), (D(2026, 3, 11), True)],  # the last day itself, the day after
)
def test_a_decision_after_the_limitation_is_time_barred(decided, barred):
    v = violation(D(2021, 3, 10), D(2021, 4, 1))
    check = rules.case_check(
        as_of=decided,
        category="cong_chuc",
        is_leader=False,
        violation=v,
        decision=rules.Discipline("khien_trach", decided, True),
    )
    assert check.time_barred is barred
    assert (check.effects == ()) is barred
    codes = [r.code for r in check.reasons]
    assert ("limitation.expired" in codes) is barred


@pytest.mark.parametrize(
    ("v", "deadline"),
    [
        (violation(D(2026, 1, 1), D(2026, 2, 1)), D(2026, 5, 2)),  # 90 days
        (violation(D(2026, 1, 1), D(2026, 2, 1), complex=True), D(2026, 7, 1)),  # 150
        (violation(D(2026, 1, 1), D(2026, 2, 1), paused_days=20), D(2026, 5, 22)),  # paused
    ],
)
def test_the_processing_deadline(v, deadline):
    assert rules.processing_deadline(v)[0] == deadline


@pytest.mark.parametrize(("as_of", "overdue"), [(D(2026, 5, 2), False), (D(2026, 5, 3), True)])
def test_a_case_past_its_processing_limit_is_flagged_never_closed(as_of, overdue):
    check = rules.case_check(
        as_of=as_of,
        category="cong_chuc",
        is_leader=False,
        violation=violation(D(2026, 1, 1), D(2026, 2, 1)),
        decision=None,
    )
    assert check.overdue is overdue and not check.time_barred
    assert ("processing.overdue" in [r.code for r in check.reasons]) is overdue


@pytest.mark.parametrize(
    ("category", "leader", "form", "day", "valid", "regime"),
    [
        ("cong_chuc", False, "ha_bac_luong", D(2025, 6, 30), True, "nd112"),
        ("cong_chuc", False, "ha_bac_luong", D(2025, 7, 1), False, "nd172"),  # abolished
        ("cong_chuc", True, "giang_chuc", D(2025, 6, 30), True, "nd112"),
        ("cong_chuc", True, "giang_chuc", D(2025, 7, 1), False, "nd172"),
        ("cong_chuc", False, "cach_chuc", D(2025, 7, 1), False, "nd172"),  # leaders only
        ("can_bo", False, "bai_nhiem", D(2025, 7, 1), True, "nd172"),
        ("vien_chuc", False, "ha_bac_luong", D(2026, 6, 30), False, "nd112"),
        ("vien_chuc", True, "cach_chuc", D(2026, 7, 1), True, "nd234"),
        ("vien_chuc", False, "cach_chuc", D(2026, 7, 1), False, "nd234"),
        ("vien_chuc", False, "buoc_thoi_viec", D(2026, 7, 1), True, "nd234"),
    ],
)
def test_form_validity_by_category_post_and_day(category, leader, form, day, valid, regime):
    check = rules.case_check(
        as_of=day,
        category=category,
        is_leader=leader,
        violation=violation(D(2025, 1, 5), D(2025, 2, 1), "higher"),
        decision=rules.Discipline(form, day, True),
    )
    assert (check.form_valid, check.regime) == (valid, regime)
    assert (check.effects != ()) is valid


def _effects(category, form, day, detected=None):
    found, _ = rules.effects(rules.Discipline(form, day, True), category, detected)
    return {e.effect: e for e in found}


@pytest.mark.parametrize(
    ("category", "form", "appointment", "salary"),
    [
        ("cong_chuc", "khien_trach", 12, 6),
        ("cong_chuc", "canh_cao", 12, 6),
        ("can_bo", "cach_chuc", 24, 12),
        ("cong_chuc", "buoc_thoi_viec", None, None),  # the service ends: no window
        ("vien_chuc", "khien_trach", None, 3),
        ("vien_chuc", "canh_cao", None, 6),
        ("vien_chuc", "cach_chuc", None, 12),
    ],
)
def test_each_effect_and_its_end(category, form, appointment, salary):
    day = D(2026, 8, 15)
    found = _effects(category, form, day, detected=D(2026, 3, 1))
    kht = found[rules.EVALUATION_KHT]
    assert (kht.start, kht.until) == (D(2026, 1, 1), D(2027, 1, 1))  # the effective year
    blocked = found[rules.EMULATION_BLOCKED]
    assert blocked.start == D(2026, 3, 1)  # from the case, while it is pending
    end = rules.duration_end(rules.Discipline(form, day, True), category)
    assert blocked.until == end  # achievements count again when the period ends
    if appointment is None:
        assert rules.NO_APPOINTMENT not in found
    else:
        bar = found[rules.NO_APPOINTMENT]
        assert (bar.months, bar.until) == (appointment, rules.add_months(day, appointment))
    if salary is None:
        assert rules.SALARY_RAISE_DELAY not in found
    else:
        delay = found[rules.SALARY_RAISE_DELAY]
        assert (delay.months, delay.until) == (salary, rules.add_months(day, salary))


def test_the_salary_step_down_carries_no_raise_delay():
    found = _effects("cong_chuc", "ha_bac_luong", D(2024, 5, 1))
    assert rules.SALARY_RAISE_DELAY not in found and found[rules.NO_APPOINTMENT].months == 12


def test_a_case_straddling_the_regime_change():
    """Committed and detected under ND 112, decided under ND 172: the form is checked on the
    decision's day (hạ bậc lương, valid when the case began, is no longer), the effects come
    from the settings in force on that day (the unconfirmed rows)."""
    v = violation(D(2025, 3, 1), D(2025, 6, 1))
    old = rules.case_check(
        as_of=D(2025, 8, 1),
        category="cong_chuc",
        is_leader=False,
        violation=v,
        decision=rules.Discipline("ha_bac_luong", D(2025, 8, 1), True),
    )
    assert (old.form_valid, old.regime) == (False, "nd172")
    new = rules.case_check(
        as_of=D(2025, 8, 1),
        category="cong_chuc",
        is_leader=False,
        violation=v,
        decision=rules.Discipline("canh_cao", D(2025, 8, 1), True),
    )
    assert (
        new.form_valid and ("discipline.salary_delay_months.medium", D(2025, 8, 1)) in new.settings
    )
    row = rules.setting_in_force("discipline.salary_delay_months.medium", D(2025, 8, 1))
    assert row.confidence == "U"
    assert (
        rules.setting_in_force("discipline.salary_delay_months.medium", D(2025, 6, 30)).confidence
        == "C"
    )


def test_an_override_changes_a_figure():
    v = violation(D(2021, 3, 10), D(2021, 4, 1))
    assert rules.limitation_end(v, "cong_chuc", {"discipline.limitation_years.khien_trach": 3})[
        0
    ] == D(2024, 3, 10)
