"""Discipline forms by regime, category, position and date (docs/legal/discipline.md)."""

from datetime import date

import pytest

from congvu.discipline.rules import (
    Discipline,
    add_months,
    duration_end,
    form_problem,
    rating_year,
    valid_forms,
)

D = date
BEFORE, AFTER = D(2025, 6, 30), D(2025, 7, 1)  # ND 112 → ND 172 for cán bộ, công chức
VC_BEFORE, VC_AFTER = D(2026, 6, 30), D(2026, 7, 1)  # ND 112 → ND 234 for viên chức


@pytest.mark.parametrize(
    ("form", "category", "leader", "day", "problem"),
    [
        ("ha_bac_luong", "cong_chuc", False, BEFORE, None),
        ("ha_bac_luong", "cong_chuc", False, AFTER, "172/2025"),  # abolished
        ("ha_bac_luong", "cong_chuc", True, BEFORE, "112/2020"),  # non-leaders only
        ("giang_chuc", "cong_chuc", True, BEFORE, None),
        ("giang_chuc", "cong_chuc", True, AFTER, "172/2025"),  # abolished
        ("cach_chuc", "cong_chuc", False, AFTER, "không giữ chức vụ"),
        ("cach_chuc", "cong_chuc", True, AFTER, None),
        ("khien_trach", "cong_chuc", False, AFTER, None),
        ("buoc_thoi_viec", "cong_chuc", False, AFTER, None),
        ("bai_nhiem", "can_bo", False, AFTER, None),
        ("bai_nhiem", "cong_chuc", True, AFTER, "172/2025"),
        ("cach_chuc", "can_bo", False, BEFORE, None),
        ("ha_bac_luong", "can_bo", False, BEFORE, "112/2020"),
        ("cach_chuc", "vien_chuc", False, VC_BEFORE, "112/2020"),  # managers only
        ("cach_chuc", "vien_chuc", True, VC_BEFORE, None),
        ("cach_chuc", "vien_chuc", True, VC_AFTER, None),
        ("ha_bac_luong", "vien_chuc", False, VC_AFTER, "234/2026"),
        ("canh_cao", "vien_chuc", False, VC_AFTER, None),
        ("khai_tru", "cong_chuc", False, AFTER, "khai trừ"),  # a Party form only
        ("phat_tien", "cong_chuc", False, AFTER, "không có trong danh mục"),
        ("ha_bac_luong", "cong_chuc", True, D(2019, 1, 1), None),  # before ND 112: not checked
    ],
)
def test_form_is_valid_only_for_its_category_position_and_date(
    form, category, leader, day, problem
):
    found = form_problem(form, category, leader, day)
    if problem is None:
        assert found is None
    else:
        assert problem in found


@pytest.mark.parametrize(
    ("form", "problem"),
    [("khai_tru", None), ("cach_chuc", None), ("ha_bac_luong", "kỷ luật đảng")],
)
def test_party_forms(form, problem):
    found = form_problem(form, "cong_chuc", False, AFTER, system="party")
    assert found is None if problem is None else problem in found


def test_forms_of_a_non_leader_civil_servant_after_nd172():
    assert valid_forms("cong_chuc", False, AFTER) == ("khien_trach", "canh_cao", "buoc_thoi_viec")


def test_problem_is_written_in_vietnamese_with_the_date_and_decree():
    found = form_problem("ha_bac_luong", "cong_chuc", False, D(2025, 8, 1))
    assert found == (
        'hình thức "hạ bậc lương" không áp dụng cho công chức (người không giữ chức vụ) '
        "vào ngày 01/08/2025 theo Nghị định 172/2025/NĐ-CP"
    )


def test_a_discipline_weighs_on_the_year_it_takes_effect_only():
    assert rating_year(Discipline("khien_trach", D(2025, 12, 31), True)) == 2025


@pytest.mark.parametrize(
    ("form", "category", "effective", "end"),
    [
        ("khien_trach", "vien_chuc", D(2026, 7, 1), D(2027, 7, 1)),  # ND 234/2026 Art 2.9
        ("canh_cao", "cong_chuc", D(2025, 8, 31), D(2026, 8, 31)),  # [U] default
        ("buoc_thoi_viec", "cong_chuc", D(2025, 8, 31), None),
    ],
)
def test_duration_of_a_discipline_decision(form, category, effective, end):
    assert duration_end(Discipline(form, effective, True), category) == end


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (D(2024, 1, 31), 1, D(2024, 2, 29)),
        (D(2025, 1, 31), 1, D(2025, 2, 28)),
        (D(2025, 11, 15), 12, D(2026, 11, 15)),
        (D(2025, 12, 1), 1, D(2026, 1, 1)),
    ],
)
def test_add_months_keeps_the_day_or_the_last_day_of_the_month(day, months, expected):
    assert add_months(day, months) == expected
