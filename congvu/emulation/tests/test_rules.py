"""The eligibility engine, table-driven: for every title and award an eligible case and a
failing case per condition; both sides of 01/07/2025 and 01/10/2026 and the transitional
rule; streaks on the person; an initiative used twice; a pending complaint; achievements
before the end of a discipline period. Pure: no database."""

from datetime import date

import pytest

from congvu.emulation import rules as r

D = date
ONE_INITIATIVE = (r.Initiative("SK-1", r.CO_SO, 2026),)


def person(*years: r.Year) -> r.Subject:
    return r.Subject(r.INDIVIDUAL, "cong_chuc", years)


def unit(*years: r.Year) -> r.Subject:
    return r.Subject(r.COLLECTIVE, "tap_the", years)


def y(year: int, rating: str | None = "HTT", *titles: str, **more) -> r.Year:
    return r.Year(year=year, rating=rating, titles=titles, **more)


TODAY = D(2026, 12, 15)


def result(award: str, subject: r.Subject, day: date = TODAY, **kw) -> str:
    return r.eligibility(award, subject, day, **kw).result


def failed(award: str, subject: r.Subject, day: date = TODAY) -> list[str]:
    answer = r.eligibility(award, subject, day)
    return [c.condition for c in answer.checks if c.passed is False]


# --- Lao động tiên tiến, Chiến sĩ thi đua cơ sở ----------------------------------------------


@pytest.mark.parametrize(
    ("subject", "expected", "failing"),
    [
        (person(y(2026, "HTT")), r.ELIGIBLE, ""),
        (person(y(2026, "HTXS")), r.ELIGIBLE, ""),
        (person(y(2026, "HTNV")), r.NOT_ELIGIBLE, "hoàn thành tốt"),
        (person(y(2026, None)), r.UNDECIDABLE, ""),
        (person(y(2026, "HTT", months=5)), r.NOT_ELIGIBLE, "6 tháng"),
        (person(y(2026, "HTT", pending=("complaint",))), r.NOT_ELIGIBLE, "khiếu nại"),
        (
            person(
                y(
                    2026,
                    "HTT",
                    discipline=(r.DisciplineRow("khien_trach", D(2026, 3, 1), D(2027, 3, 1)),),
                )
            ),
            r.NOT_ELIGIBLE,
            "hết thời hạn kỷ luật",
        ),
    ],
)
def test_ldtt(subject, expected, failing):
    assert result(r.LDTT, subject) == expected
    if failing:
        assert any(failing in c for c in failed(r.LDTT, subject))


@pytest.mark.parametrize(
    ("subject", "expected"),
    [
        (person(y(2026, "HTXS")), r.ELIGIBLE),  # HTXS alone
        (person(y(2026, "HTT", initiatives=ONE_INITIATIVE)), r.ELIGIBLE),  # or an initiative
        (person(y(2026, "HTT")), r.NOT_ELIGIBLE),
        (  # the initiative was already used for another award: not again (P8)
            person(y(2026, "HTT", initiatives=(r.Initiative("SK-1", r.CO_SO, 2026, r.GIAY_KHEN),))),
            r.NOT_ELIGIBLE,
        ),
        (  # the same initiative listed twice, used once: used
            person(
                y(2025, "HTT", initiatives=(r.Initiative("SK-1", r.CO_SO, 2026, r.LDTT),)),
                y(2026, "HTT", initiatives=(r.Initiative("SK-1", r.CO_SO, 2026),)),
            ),
            r.NOT_ELIGIBLE,
        ),
        (person(y(2026, "HTNV", initiatives=ONE_INITIATIVE)), r.NOT_ELIGIBLE),  # not LĐTT
    ],
)
def test_cstdcs(subject, expected):
    assert result(r.CSTDCS, subject) == expected


@pytest.mark.parametrize(
    ("needs_both", "subject", "expected"),
    [
        (False, person(y(2026, "HTT", initiatives=ONE_INITIATIVE)), r.ELIGIBLE),
        (True, person(y(2026, "HTT", initiatives=ONE_INITIATIVE)), r.NOT_ELIGIBLE),
        (True, person(y(2026, "HTXS")), r.NOT_ELIGIBLE),
        (True, person(y(2026, "HTXS", initiatives=ONE_INITIATIVE)), r.ELIGIBLE),
    ],
)
def test_the_drafts_both_conditions_are_a_switch_from_01_10_2026(needs_both, subject, expected):
    overrides = {"emulation.cstdcs.needs_both": needs_both}
    assert result(r.CSTDCS, subject, overrides=overrides) == expected


@pytest.mark.parametrize(
    ("day", "regime"),
    [
        (D(2023, 12, 31), "nd91"),
        (D(2024, 1, 1), "nd98"),
        (D(2025, 6, 30), "nd98"),
        (D(2025, 7, 1), "nd152"),
        (D(2026, 9, 30), "nd152"),
        (D(2026, 10, 1), "luat06_2026"),
    ],
)
def test_the_regime_by_date(day, regime):
    answer = r.eligibility(r.LDTT, person(y(day.year, "HTT")), day)
    assert answer.regime == regime


def test_the_transitional_rule_keeps_the_old_rules_unless_the_new_favour():
    subject = person(y(2026, "HTT", initiatives=ONE_INITIATIVE))
    strict = {"emulation.cstdcs.needs_both": True}  # suppose the new law asks for both
    day, received = D(2026, 12, 15), D(2026, 9, 20)
    assert result(r.CSTDCS, subject, day, overrides=strict) == r.NOT_ELIGIBLE
    kept = r.eligibility(r.CSTDCS, subject, day, strict, received_on=received)
    assert (kept.result, kept.regime) == (r.ELIGIBLE, "nd152")  # received before: the old rule
    assert "quy định cũ" in kept.checks[-1].detail
    later = r.eligibility(r.CSTDCS, subject, day, strict, received_on=D(2026, 10, 2))
    assert later.result == r.NOT_ELIGIBLE  # received after: the new rule


# --- Chiến sĩ thi đua cấp tỉnh, toàn quốc: streaks on the person ------------------------------


def cstdcs_years(*years: int, **more) -> tuple[r.Year, ...]:
    return tuple(y(n, "HTXS", r.CSTDCS, **(more if n == years[-1] else {})) for n in years)


PROVINCE_INITIATIVE = (r.Initiative("SK-T", r.TINH, 2026),)


@pytest.mark.parametrize(
    ("history", "expected"),
    [
        (cstdcs_years(2024, 2025, 2026, initiatives=PROVINCE_INITIATIVE), r.ELIGIBLE),
        (cstdcs_years(2024, 2025, 2026), r.NOT_ELIGIBLE),  # no provincial initiative
        (  # a grassroots initiative is not enough
            cstdcs_years(2024, 2025, 2026, initiatives=(r.Initiative("SK-C", r.CO_SO, 2026),)),
            r.NOT_ELIGIBLE,
        ),
        (  # a gap in the streak
            (
                y(2023, "HTXS", r.CSTDCS),
                y(2024, "HTT"),
                y(2025, "HTXS", r.CSTDCS),
                y(2026, "HTXS", r.CSTDCS, initiatives=PROVINCE_INITIATIVE),
            ),
            r.NOT_ELIGIBLE,
        ),
    ],
)
def test_cstd_tinh(history, expected):
    assert result(r.CSTD_TINH, person(*history)) == expected


def test_a_streak_follows_the_person_not_the_unit():
    """The history is the person's: years at the old unit (before a transfer, or at a commune
    merged in 2025) count like the others; the engine never sees units."""
    before_merger = y(2024, "HTXS", r.CSTDCS)  # at the commune merged on 01/07/2025
    after = (y(2025, "HTXS", r.CSTDCS), y(2026, "HTXS", r.CSTDCS, initiatives=PROVINCE_INITIATIVE))
    assert result(r.CSTD_TINH, person(before_merger, *after)) == r.ELIGIBLE


def test_achievements_before_the_end_of_a_discipline_period_are_ignored():
    warned = (r.DisciplineRow("khien_trach", D(2024, 6, 1), D(2025, 6, 1)),)
    history = (
        y(2024, "HTXS", r.CSTDCS, discipline=warned),
        y(2025, "HTXS", r.CSTDCS),
        y(2026, "HTXS", r.CSTDCS, initiatives=PROVINCE_INITIATIVE),
    )
    assert result(r.CSTD_TINH, person(*history)) == r.NOT_ELIGIBLE
    assert result(r.CSTD_TINH, person(*history), D(2028, 12, 15)) == r.NOT_ELIGIBLE


@pytest.mark.parametrize(
    ("years", "initiative", "expected"),
    [
        ((2023, 2026), r.TOAN_QUOC, r.ELIGIBLE),
        ((2020, 2026), r.TOAN_QUOC, r.NOT_ELIGIBLE),  # not consecutive
        ((2023, 2026), r.TINH, r.NOT_ELIGIBLE),  # no nationwide initiative
        ((2026,), r.TOAN_QUOC, r.NOT_ELIGIBLE),  # once only
    ],
)
def test_cstd_tq(years, initiative, expected):
    history = [y(n, "HTXS", r.CSTD_TINH) for n in years]
    history[-1] = y(
        years[-1], "HTXS", r.CSTD_TINH, initiatives=(r.Initiative("SK-Q", initiative, 2025),)
    )
    assert result(r.CSTD_TQ, person(*history)) == expected


# --- Collective titles ----------------------------------------------------------------------------


def members(count=10, ldtt=8, cstdcs=1, kht=0, warned=0) -> r.Members:
    return r.Members(count, ldtt, cstdcs, kht, warned)


@pytest.mark.parametrize(
    ("entry", "day", "expected"),
    [
        (y(2026, "HTT", members=members()), D(2026, 12, 15), r.ELIGIBLE),
        (y(2026, "HTT", members=members(ldtt=7)), D(2026, 12, 15), r.ELIGIBLE),  # 70 % exactly
        (y(2026, "HTT", members=members(ldtt=6)), D(2026, 12, 15), r.NOT_ELIGIBLE),
        (y(2023, "HTT", members=members(ldtt=6)), D(2023, 12, 15), r.ELIGIBLE),  # > 50 %, 2003 law
        (y(2023, "HTT", members=members(ldtt=5)), D(2023, 12, 15), r.NOT_ELIGIBLE),  # not above
        (y(2026, "HTT", members=members(warned=1)), D(2026, 12, 15), r.NOT_ELIGIBLE),
        (y(2026, "HTNV", members=members()), D(2026, 12, 15), r.NOT_ELIGIBLE),
        (y(2026, "HTT"), D(2026, 12, 15), r.UNDECIDABLE),  # members unknown
        (
            y(2026, "HTT", members=members(), pending=("investigation",)),
            D(2026, 12, 15),
            r.NOT_ELIGIBLE,
        ),
    ],
)
def test_ttldtt(entry, day, expected):
    assert result(r.TTLDTT, unit(entry), day) == expected


@pytest.mark.parametrize(
    ("entry", "overrides", "expected"),
    [
        (y(2026, "HTXS", members=members()), {}, r.ELIGIBLE),
        (y(2026, "HTT", members=members()), {}, r.NOT_ELIGIBLE),
        (y(2026, "HTXS", members=members(kht=1)), {}, r.NOT_ELIGIBLE),
        (y(2026, "HTXS", members=members(ldtt=6)), {}, r.NOT_ELIGIBLE),
        (y(2026, "HTXS", members=members(cstdcs=0)), {}, r.NOT_ELIGIBLE),
        (y(2026, "HTXS", members=members(warned=1)), {}, r.NOT_ELIGIBLE),
        (
            y(2026, "HTXS", members=members(warned=1)),
            {"emulation.ttldxs.warning_guard": False},
            r.ELIGIBLE,
        ),
    ],
)
def test_ttldxs(entry, overrides, expected):
    assert result(r.TTLDXS, unit(entry), overrides=overrides) == expected


@pytest.mark.parametrize(
    ("entry", "expected"),
    [
        (y(2026, "HTXS", r.TTLDXS, cluster_leader=True), r.ELIGIBLE),
        (y(2026, "HTXS", r.TTLDXS, cluster_leader=False), r.NOT_ELIGIBLE),
        (y(2026, "HTXS", cluster_leader=True), r.NOT_ELIGIBLE),  # not TTLĐXS
        (y(2026, "HTXS", r.TTLDXS), r.UNDECIDABLE),  # the cluster has not ranked yet
    ],
)
def test_co_tinh(entry, expected):
    assert result(r.CO_TINH, unit(entry)) == expected


# --- Commendations ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("subject", "expected"),
    [
        (person(y(2026, "HTT")), r.ELIGIBLE),
        (person(y(2026, "HTNV")), r.NOT_ELIGIBLE),
        (unit(y(2026, "HTT")), r.ELIGIBLE),
        (person(y(2026, "HTT", pending=("discipline",))), r.NOT_ELIGIBLE),
    ],
)
def test_giay_khen(subject, expected):
    assert result(r.GIAY_KHEN, subject) == expected


TWO = (r.Initiative("SK-A", r.CO_SO, 2025), r.Initiative("SK-B", r.CO_SO, 2026))


@pytest.mark.parametrize(
    ("history", "expected"),
    [
        ((y(2025, "HTXS", r.CSTDCS), y(2026, "HTXS", r.CSTDCS, initiatives=TWO)), r.ELIGIBLE),
        ((y(2025, "HTXS"), y(2026, "HTXS", initiatives=TWO)), r.ELIGIBLE),  # two HTXS years
        ((y(2025, "HTT"), y(2026, "HTXS", initiatives=TWO)), r.NOT_ELIGIBLE),
        ((y(2025, "HTXS"), y(2026, "HTXS", initiatives=TWO[:1])), r.NOT_ELIGIBLE),  # one initiative
        (  # the initiatives already served the CSTĐCS titles: not again (P8)
            (
                y(2025, "HTXS"),
                y(
                    2026,
                    "HTXS",
                    initiatives=tuple(r.Initiative(i.id, i.level, i.year, r.CSTDCS) for i in TWO),
                ),
            ),
            r.NOT_ELIGIBLE,
        ),
    ],
)
def test_bk_tinh(history, expected):
    assert result(r.BK_TINH, person(*history)) == expected


def merit_history(code: str, given: int, ratings: dict[int, str], cstdcs: set[int], kind=r.MERIT):
    years = [y(given, "HTXS", awards=(r.AwardRow(code, given, kind),))]
    for n in range(given + 1, 2027):
        titles = (r.CSTDCS,) if n in cstdcs else ()
        years.append(y(n, ratings.get(n, "HTT"), *titles))
    return person(*years)


@pytest.mark.parametrize(
    ("subject", "expected"),
    [
        (merit_history(r.BK_TINH, 2021, {}, {2022, 2024, 2026}), r.ELIGIBLE),
        (merit_history(r.BK_TINH, 2022, {}, {2023, 2024, 2026}), r.NOT_ELIGIBLE),  # 4 years
        (merit_history(r.BK_TINH, 2021, {2024: "HTNV"}, {2022, 2023, 2026}), r.NOT_ELIGIBLE),
        (merit_history(r.BK_TINH, 2021, {}, {2022, 2026}), r.NOT_ELIGIBLE),  # 2 CSTĐCS
        (merit_history(r.BK_TINH, 2021, {}, {2022, 2024, 2026}, r.THEMATIC), r.NOT_ELIGIBLE),  # P2
    ],
)
def test_bk_ttg(subject, expected):
    assert result(r.BK_TTG, subject) == expected


@pytest.mark.parametrize(
    ("subject", "expected"),
    [
        (merit_history(r.BK_TTG, 2021, {2025: "HTXS"}, {2022, 2024, 2026}), r.ELIGIBLE),
        (merit_history(r.BK_TTG, 2021, {}, {2022, 2024, 2026}), r.NOT_ELIGIBLE),  # no HTXS
        (merit_history(r.BK_TINH, 2021, {2025: "HTXS"}, {2022, 2024, 2026}), r.NOT_ELIGIBLE),
    ],
)
def test_hcld3(subject, expected):
    assert result(r.HCLD3, subject) == expected


def test_every_award_has_a_rule_and_a_name():
    assert set(r.RULES) == set(r.AWARDS) == set(r.AWARD_NAMES) == set(r.KINDS_OF)
