"""``rules.screen``: a province screened for a title gives each person exactly the result of
``rules.eligibility``, for table-driven edge cases (pending facts, a discipline period running
or over, used and unused initiatives, a missing rating or year, months of service, the
transitional rule, both sides of 01/07/2025 and 01/10/2026, an override) and for a few
hundred random histories. Pure: no database."""

import random
from datetime import date

import pytest

from congvu.emulation import rules as r

D = date
SCREENED = sorted(r.SCREENED_ON_THE_YEAR)


def person(*years: r.Year, category: str = "cong_chuc") -> r.Subject:
    return r.Subject(r.INDIVIDUAL, category, years)


def y(year: int, rating: str | None = "HTT", *titles: str, **more) -> r.Year:
    return r.Year(year=year, rating=rating, titles=titles, **more)


def period(start: date, end: date | None, form: str = "khien_trach") -> r.DisciplineRow:
    return r.DisciplineRow(form, start, end)


def sk(ident: str, year: int, used: str | None = None, level: str = r.CO_SO) -> r.Initiative:
    return r.Initiative(ident, level, year, used)


SUBJECTS = {
    "htt": person(y(2025, "HTT")),
    "htxs": person(y(2024, "HTT"), y(2025, "HTXS")),
    "htnv": person(y(2025, "HTNV")),
    "kht": person(y(2025, "KHT")),
    "no rating": person(y(2025, None)),
    "no year": person(y(2023, "HTXS")),
    "empty": person(),
    "after the day": person(y(2025, "HTT"), y(2027, "HTXS")),
    "short": person(y(2025, "HTXS", months=5)),
    "six months": person(y(2025, "HTXS", months=6)),
    "pending case": person(y(2025, "HTXS", pending=("discipline",))),
    "pending twice": person(y(2025, "HTXS", pending=("complaint", "complaint"))),
    "pending last year": person(y(2024, "HTT", pending=("investigation",)), y(2025, "HTXS")),
    "period running": person(
        y(2024, "HTT", discipline=(period(D(2024, 6, 1), D(2025, 6, 1)),)), y(2025, "HTXS")
    ),
    "period over": person(
        y(2024, "HTT", discipline=(period(D(2024, 1, 1), D(2025, 1, 1)),)), y(2025, "HTXS")
    ),
    "period open-ended": person(
        y(2022, "HTT", discipline=(period(D(2022, 1, 1), None, "canh_cao"),)), y(2025, "HTXS")
    ),
    "period begun later": person(
        y(2025, "HTXS"), y(2026, "HTT", discipline=(period(D(2026, 2, 1), D(2027, 2, 1)),))
    ),
    "initiative": person(y(2025, "HTT", initiatives=(sk("9", 2025),))),
    "initiative used": person(y(2025, "HTT", initiatives=(sk("9", 2025, r.CSTDCS),))),
    "initiative used elsewhere": person(
        y(2024, "HTT", initiatives=(sk("9", 2025, r.LDTT),)),
        y(2025, "HTT", initiatives=(sk("9", 2025),)),
    ),
    "initiative of last year": person(y(2024, "HTT", initiatives=(sk("8", 2024),)), y(2025, "HTT")),
    "initiative filed a year late": person(
        y(2024, "HTT", initiatives=(sk("7", 2025, level=r.TINH),)), y(2025, "HTT")
    ),
    "initiative, no rating": person(y(2025, None, initiatives=(sk("6", 2025),))),
    "initiative in a period": person(
        y(2025, "HTT", initiatives=(sk("5", 2025),), discipline=(period(D(2025, 3, 1), None),))
    ),
    "two entries of a year": person(y(2025, "HTNV"), y(2025, "HTXS")),
    "titles": person(y(2023, "HTXS", r.CSTDCS), y(2024, "HTXS", r.CSTDCS), y(2025, "HTT")),
}
DAYS = (D(2025, 6, 30), D(2025, 7, 1), D(2026, 1, 20), D(2026, 9, 30), D(2026, 10, 1))


@pytest.mark.parametrize("award", SCREENED)
@pytest.mark.parametrize("day", DAYS)
@pytest.mark.parametrize(
    ("overrides", "received_on"),
    [
        (None, None),
        ({"emulation.ldtt.min_months": 10}, None),
        ({"emulation.cstdcs.needs_both": True}, None),
        ({"emulation.cstdcs.needs_both": True}, D(2026, 9, 15)),
        (None, D(2026, 9, 15)),
    ],
)
def test_screen_gives_each_the_result_of_eligibility(award, day, overrides, received_on):
    verdicts = r.screen(award, SUBJECTS, day, overrides, received_on)
    for name, subject in SUBJECTS.items():
        answer = r.eligibility(award, subject, day, overrides, received_on)
        assert verdicts[name] == answer.result, name


def random_history(rng: random.Random, n: int) -> r.Subject:
    years = []
    for year in range(2021, 2027):
        if rng.random() < 0.15:
            continue
        initiatives = tuple(
            sk(str(rng.randrange(8)), year + rng.choice((0, 0, 0, 1)), rng.choice((None, r.LDTT)))
            for _ in range(rng.choice((0, 0, 0, 1, 2)))
        )
        discipline = tuple(
            period(start, rng.choice((None, start.replace(year=start.year + 1))))
            for start in (D(year, rng.randint(1, 12), 1),)
            if rng.random() < 0.15
        )
        pending = tuple(rng.sample(r.PENDING, rng.choice((0, 0, 0, 1, 2))))
        years.append(
            y(
                year,
                rng.choice((*r.RATINGS, None)),
                months=rng.choice((None, None, 3, 6, 11)),
                initiatives=initiatives,
                discipline=discipline,
                pending=pending,
            )
        )
    return person(*years, category=rng.choice(("cong_chuc", "vien_chuc")))


def test_screen_on_random_histories():
    rng = random.Random(13)
    subjects = {n: random_history(rng, n) for n in range(400)}
    for award in SCREENED:
        for day in DAYS:
            verdicts = r.screen(award, subjects, day)
            for n, subject in subjects.items():
                assert verdicts[n] == r.eligibility(award, subject, day).result, (award, day, n)


def test_a_view_is_its_own_view_and_people_alike_share_one():
    day = D(2026, 1, 20)
    for subject in SUBJECTS.values():
        view = r.screening_view(r.CSTDCS, subject, day)
        assert r.screening_view(r.CSTDCS, view, day) == view
    one = r.screening_view(r.CSTDCS, person(y(2024, "KHT"), y(2025, "HTT")), day)
    other = r.screening_view(r.CSTDCS, person(y(2023, "HTXS", r.LDTT), y(2025, "HTT")), day)
    assert one == other == person(y(2025, "HTT"), category="")
    a = r.screening_view(r.CSTDCS, SUBJECTS["initiative"], day)
    b = r.screening_view(r.CSTDCS, person(y(2025, "HTT", initiatives=(sk("42", 2025),))), day)
    assert a == b  # initiative ids renumbered
    assert r.screening_view(r.CSTDCS, SUBJECTS["period over"], day) == r.screening_view(
        r.CSTDCS, SUBJECTS["htxs"], day
    )


def test_other_awards_are_screened_on_the_whole_history():
    subject = SUBJECTS["titles"]
    assert r.screening_view(r.CSTD_TINH, subject, D(2026, 1, 20)) is subject
    got = r.screen(r.CSTD_TINH, {"a": subject}, D(2026, 1, 20))
    assert got == {"a": r.eligibility(r.CSTD_TINH, subject, D(2026, 1, 20)).result}
