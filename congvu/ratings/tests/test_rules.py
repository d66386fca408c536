"""Pure rules of ratings, table-driven: input checks, abuse decisions, the index, periods."""

from datetime import date
from decimal import Decimal
from fractions import Fraction

import pytest

from congvu.ratings import rules
from congvu.ratings.rules import Limits, Period, Recent, Tally

# --- The conduct items (seed 001 item III.2.a; seed 004 §III.1) -------------------------


def test_the_eleven_items_of_4_xin_4_luon_3_khong_in_their_groups():
    groups = [item.group for item in rules.CONDUCT_ITEMS]
    assert groups == ["4_xin"] * 4 + ["4_luon"] * 4 + ["3_khong"] * 3
    assert len(set(rules.CONDUCT_CODES)) == 11


def test_conduct_masks_round_trip_and_keep_unanswered_apart():
    answers = {"chao": True, "cam_on": False, "khong_cau_gat": True}
    yes, no = rules.conduct_masks(answers)
    assert yes & no == 0
    assert rules.conduct_answers(yes, no) == answers


# --- Input checks ---------------------------------------------------------------------

PHONES = [
    ("0912345678", "0912345678"),
    ("0912 345 678", "0912345678"),
    ("091.234.5678", "0912345678"),
    ("+84 912 345 678", "0912345678"),
    ("84912345678", "0912345678"),
    ("0358-123-456", "0358123456"),
    ("0258 3822 123", "02583822123"),  # Nha Trang fixed line, area code 258
    ("(0258) 3822123", "02583822123"),
    ("0123456789", None),  # old 11-digit mobile prefixes are gone; 01x is not a network
    ("091234567", None),
    ("09123456789", None),
    ("0612345678", None),
    ("abc", None),
    ("", None),
    ("+1 202 555 0100", None),
]


@pytest.mark.parametrize(("raw", "expected"), PHONES)
def test_vietnamese_phone_numbers(raw, expected):
    assert rules.normalise_phone(raw) == expected


SCORES = [
    ("1", 1),
    ("5", 5),
    (3, 3),
    ("0", None),
    ("6", None),
    ("", None),
    (None, None),
    ("4.5", None),
    ("05", None),
    ("٣", None),
    (True, None),
    ("-1", None),
    ("5 ", 5),
]


@pytest.mark.parametrize(("raw", "expected"), SCORES)
def test_score_is_one_to_five(raw, expected):
    assert rules.parse_score(raw) == expected


def _check(**fields):
    base = {"score": "5", "answers": {}, "reason": "", "phone": "", "dossier": ""}
    return rules.check_rating(**{**base, **fields})


CASES = [
    # (fields, field with an error or None)
    ({}, None),
    ({"score": ""}, "score"),
    ({"score": "9"}, "score"),
    ({"score": "3"}, "reason"),  # 3 stars or below needs a reason
    ({"score": "3", "reason": "   \n\t "}, "reason"),
    ({"score": "3", "reason": "Phải chờ lâu"}, None),
    ({"score": "4", "reason": ""}, None),
    ({"reason": "x" * 1001}, "reason"),
    ({"reason": "x" * 100_000}, "reason"),
    ({"reason": "đ" * 1000}, None),
    ({"phone": "12345"}, "phone"),
    ({"phone": "0912345678"}, None),
    ({"phone": "0" * 1000}, "phone"),
    ({"dossier": "000.00.21.H32-261121-0001"}, None),
    ({"dossier": "<script>"}, "dossier"),
    ({"dossier": "a" * 41}, "dossier"),
    ({"answers": {"chao": "1", "cam_on": "0", "xin_phep": ""}}, None),
    ({"answers": {"chao": "có lẽ"}}, "conduct"),
    ({"answers": {"hack": "1"}}, "conduct"),
]


@pytest.mark.parametrize(("fields", "error"), CASES)
def test_rating_input_is_checked_field_by_field(fields, error):
    clean, errors = _check(**fields)
    if error is None:
        assert errors == {} and clean is not None
    else:
        assert clean is None and list(errors) == [error]
        assert all(isinstance(m, str) and m for m in errors[error])


def test_clean_rating_keeps_text_as_written_but_normalised():
    clean, _ = _check(
        score="2",
        reason="  Cán bộ\u0300 <b>cáu</b>\x00 gắt\r\n dòng hai ",
        answers={"chao": "0"},
        dossier="abc-123",
    )
    assert clean.score == 2
    assert clean.reason == "Cán bộ̀ <b>cáu</b> gắt\n dòng hai"  # NUL and \r dropped, NFC
    assert clean.answers == {"chao": False}
    assert clean.dossier == "ABC-123"


@pytest.mark.parametrize(
    ("key", "ok"),
    [
        ("a" * 16, True),
        ("A1_-" * 16, True),
        ("a" * 15, False),
        ("a" * 65, False),
        ("abc def ghi jkl mn", False),
        (None, False),
        ("ä" * 20, False),
    ],
)
def test_form_key_shape(key, ok):
    assert rules.valid_key(key) is ok


# --- Abuse decisions (QUALITY.md S4) ---------------------------------------------------

DECISIONS = [
    # (recent counts, refused?, flags)
    (Recent(), False, ()),
    (Recent(client_desk_30min=1), False, ("lap_lai",)),
    (Recent(client_day=4), False, ()),
    (Recent(client_day=5), False, ("nhieu_trong_ngay",)),
    (Recent(client_hour=19, client_day=19), False, ("nhieu_trong_ngay",)),
    (Recent(client_hour=20), True, ()),
    (Recent(desk_minute=9), False, ()),
    (Recent(desk_minute=10), False, ("dot_bien_quay",)),
    (Recent(desk_minute=60), True, ()),
    (Recent(identical_day=1), False, ("trung_noi_dung",)),
    (Recent(phone_desk_day=1), False, ("trung_so_dt",)),
    (
        Recent(client_desk_30min=2, client_day=7, identical_day=2),
        False,
        ("lap_lai", "nhieu_trong_ngay", "trung_noi_dung"),
    ),
]


@pytest.mark.parametrize(("recent", "refused", "flags"), DECISIONS)
def test_abuse_decision_from_counts(recent, refused, flags):
    decision = rules.abuse_decision(recent)
    assert (decision.refusal is not None) is refused
    assert decision.stored is not refused
    assert decision.flags == (() if refused else flags)
    if refused:
        assert "thử lại" in decision.refusal


def test_limits_can_be_tuned_from_settings_but_not_misnamed():
    limits = rules.limits_from({"flag_client_day": 50})
    assert limits.flag_client_day == 50 and limits.refuse_client_hour == 20
    assert rules.abuse_decision(Recent(client_day=10), limits).flags == ()
    assert rules.limits_from(None) is rules.LIMITS
    for misnamed in ("flag_everything", "flag_network_day"):  # network_* became client_*
        with pytest.raises(ValueError, match="unknown"):
            rules.limits_from({misnamed: 1})


def test_every_flag_has_a_vietnamese_label():
    for _recent, _, flags in DECISIONS:
        for flag in flags:
            assert rules.FLAGS[flag]
    assert Limits().flag_client_day == 5


# --- The satisfaction index (docs/feedback.md; docs/legal/feedback.md#f-2) -------------


def _tally(*ratings: tuple[int, dict[str, bool]]) -> Tally:
    return rules.tally_sum(
        Tally.of(score, *rules.conduct_masks(answers)) for score, answers in ratings
    )


def test_index_on_a_hand_computed_example():
    # Five ratings: 5, 4, 4, 2, 1 stars.
    #   mean = 16 / 5 = 3.20; satisfied = 3 of 5 = 60.0 %.
    #   chao: yes, yes, no → 2/3 = 66.7 %; cam_on: yes → 100 %; xin_loi, xin_phep: unanswered.
    #   4 xin = mean(66.67, 100) = 83.3 %.
    #   mim_cuoi: no, no → 0 %; 4 luôn = 0.0 %.
    #   khong_hach_dich: yes, yes, yes, no → 75 %; khong_cau_gat: yes → 100 %; 3 không = 87.5 %.
    #   conduct = mean(83.33, 0, 87.5) = 56.9 %.
    tally = _tally(
        (5, {"chao": True, "cam_on": True, "khong_hach_dich": True}),
        (4, {"chao": True, "khong_hach_dich": True, "khong_cau_gat": True}),
        (4, {"khong_hach_dich": True}),
        (2, {"chao": False, "mim_cuoi": False, "khong_hach_dich": False}),
        (1, {"mim_cuoi": False}),
    )
    index = rules.satisfaction_index(tally)
    assert index.count == 5
    assert index.mean == Decimal("3.20")
    assert index.satisfied == Decimal("60.0")
    assert index.items["chao"] == Decimal("66.7")
    assert index.items["cam_on"] == Decimal("100.0")
    assert index.items["xin_loi"] is None
    assert index.items["mim_cuoi"] == Decimal("0.0")
    assert index.items["khong_hach_dich"] == Decimal("75.0")
    assert index.groups == {
        "4_xin": Decimal("83.3"),
        "4_luon": Decimal("0.0"),
        "3_khong": Decimal("87.5"),
    }
    assert index.conduct == Decimal("56.9")


def test_index_rounds_half_up_only_at_the_end():
    # 2 of 3 satisfied = 66.666… → 66.7; mean 11/3 = 3.666… → 3.67.
    index = rules.satisfaction_index(_tally((5, {}), (4, {}), (2, {})))
    assert index.satisfied == Decimal("66.7") and index.mean == Decimal("3.67")
    # 1 of 8 = 12.5 exactly → 12.5; mean 9/8 = 1.125 → 1.13 (half up, not to even).
    index = rules.satisfaction_index(_tally((2, {}), *[(1, {})] * 7))
    assert index.satisfied == Decimal("0.0") and index.mean == Decimal("1.13")
    index = rules.satisfaction_index(_tally((4, {}), *[(1, {})] * 7))
    assert index.satisfied == Decimal("12.5")


def test_an_empty_tally_has_no_index_rather_than_zero():
    index = rules.satisfaction_index(Tally())
    assert index.empty and index.mean is None and index.satisfied is None
    assert index.conduct is None and set(index.items.values()) == {None}


def test_tallies_add_up_like_the_ratings_they_sum():
    a = _tally((5, {"chao": True}), (3, {"chao": False}))
    b = _tally((1, {"giup_do": False}))
    assert a + b == _tally((5, {"chao": True}), (3, {"chao": False}), (1, {"giup_do": False}))
    assert (a + b).stars == (1, 0, 1, 0, 1)


TRENDS = [
    (Decimal("62.5"), Decimal("60.0"), Decimal("2.5")),
    (Decimal("60.0"), Decimal("62.5"), Decimal("-2.5")),
    (Decimal("60.0"), None, None),
    (None, Decimal("60.0"), None),
]


@pytest.mark.parametrize(("now", "before", "expected"), TRENDS)
def test_trend_is_the_change_in_points(now, before, expected):
    assert rules.trend(now, before) == expected


def test_abuse_budget_bounds_how_far_one_client_moves_an_index():
    assert rules.abuse_budget(95, 5) == Fraction(1, 20)
    # 5 one-star ratings among 95 five-star ones: satisfied 100 → 95 %, the budget's bound.
    index = rules.satisfaction_index(_tally(*[(5, {})] * 95, *[(1, {})] * 5))
    assert index.satisfied == Decimal("95.0")
    assert 100 - index.satisfied <= 100 * rules.abuse_budget(95, 5)
    assert Decimal(5) - index.mean <= 4 * rules.abuse_budget(95, 5)


# --- Periods --------------------------------------------------------------------------

TODAY = date(2026, 11, 21)
PERIODS = [
    ("", Period("year", 2026), date(2026, 1, 1), date(2027, 1, 1), "Năm 2026"),
    ("2025", Period("year", 2025), date(2025, 1, 1), date(2026, 1, 1), "Năm 2025"),
    ("2026-q3", Period("quarter", 2026, 3), date(2026, 7, 1), date(2026, 10, 1), "Quý III/2026"),
    ("2026-Q4", Period("quarter", 2026, 4), date(2026, 10, 1), date(2027, 1, 1), "Quý IV/2026"),
    ("2026-02", Period("month", 2026, 2), date(2026, 2, 1), date(2026, 3, 1), "Tháng 02/2026"),
    ("2026-12", Period("month", 2026, 12), date(2026, 12, 1), date(2027, 1, 1), "Tháng 12/2026"),
]


@pytest.mark.parametrize(("text", "period", "start", "end", "label"), PERIODS)
def test_periods_parse_with_half_open_bounds(text, period, start, end, label):
    parsed = rules.parse_period(text, TODAY)
    assert parsed == period
    assert (parsed.start, parsed.end, parsed.label) == (start, end, label)
    assert rules.parse_period(parsed.slug, TODAY) == parsed


@pytest.mark.parametrize("text", ["2026-13", "2026-q5", "26", "1999", "2030", "abc", "2026-00"])
def test_bad_periods_are_refused(text):
    assert rules.parse_period(text, TODAY) is None


@pytest.mark.parametrize(
    ("period", "previous"),
    [
        (Period("year", 2026), Period("year", 2025)),
        (Period("quarter", 2026, 1), Period("quarter", 2025, 4)),
        (Period("quarter", 2026, 3), Period("quarter", 2026, 2)),
        (Period("month", 2026, 1), Period("month", 2025, 12)),
        (Period("month", 2026, 11), Period("month", 2026, 10)),
    ],
)
def test_previous_period_is_adjacent(period, previous):
    assert period.previous() == previous
    assert previous.end == period.start


def test_a_year_has_twelve_months_and_the_picker_stops_at_today():
    assert len(Period("year", 2026).months()) == 12
    assert Period("quarter", 2026, 2).months() == [
        date(2026, 4, 1),
        date(2026, 5, 1),
        date(2026, 6, 1),
    ]
    choices = rules.period_choices(TODAY)
    assert choices[0] == Period("year", 2026)
    assert Period("month", 2026, 12) not in choices and Period("month", 2026, 11) in choices
    assert Period("month", 2025, 12) in choices


# --- A phone number for whoever does not call back ------------------------------------------


@pytest.mark.parametrize(
    ("phone", "shown"),
    [
        ("0912345678", "09•••••678"),  # mobile, 10 digits
        ("02583822123", "02••••••123"),  # fixed line, 11 digits
        ("09123456", "09•••456"),  # the shortest still partly shown
        ("0912345", "•••••••"),  # shorter: masked whole
        ("", ""),
    ],
)
def test_a_phone_number_is_masked_but_for_two_leading_and_three_trailing_digits(phone, shown):
    masked = rules.mask_phone(phone)
    assert masked == shown and len(masked) == len(phone)
    assert phone[2:-3] not in masked or len(phone) < 8
