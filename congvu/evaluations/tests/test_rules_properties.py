"""Properties: a lower score, worse facts or an extra discipline never improve a level."""

from datetime import date, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from congvu.discipline.rules import Discipline, valid_forms
from congvu.evaluations import regimes, rules
from congvu.evaluations.rules import Nd90Facts, Person

YEARS = {"nd90": 2025, "nd335": 2026, "nd233": 2026}
CATEGORY = {"nd90": "vien_chuc", "nd335": "cong_chuc", "nd233": "vien_chuc"}
FAST = settings(max_examples=120, deadline=None)

scores = st.decimals(min_value=0, max_value=100, places=2)
pcts = st.decimals(min_value=0, max_value=100, places=1)
levels = st.sampled_from(regimes.LEVELS)
flags = st.frozensets(st.sampled_from(sorted(regimes.FLAG_NAMES)))


def no_better(before: str, after: str) -> bool:
    if before == regimes.KXL:
        return after == regimes.KXL
    return after != regimes.KXL and rules.RANK[after] <= rules.RANK[before]


@st.composite
def nd90_facts(draw) -> Nd90Facts:
    done = draw(pcts)
    on_time = draw(pcts.filter(lambda v: v <= done))
    unit_done = draw(pcts)
    sub_htnv = draw(st.none() | pcts)
    return Nd90Facts(
        general=draw(st.sampled_from(["good", "met", "not_met"])),
        tasks_done_pct=done,
        tasks_on_time_pct=on_time,
        tasks_exceeded_pct=draw(pcts.filter(lambda v: v <= done)),
        unit_done_pct=unit_done,
        unit_on_time_pct=draw(pcts.filter(lambda v: v <= unit_done)),
        unit_exceeded_pct=draw(pcts.filter(lambda v: v <= unit_done)),
        subunits_htnv_pct=sub_htnv,
        subunits_htt_pct=None if sub_htnv is None else draw(pcts.filter(lambda v: v <= sub_htnv)),
    )


@st.composite
def disciplines(draw, category: str, is_leader: bool, year: int) -> Discipline:
    day = date(year - 1, 1, 1) + timedelta(days=draw(st.integers(0, 3 * 365)))
    system = draw(st.sampled_from(["administrative", "party"]))
    forms = valid_forms(category, is_leader, day) if system == "administrative" else None
    form = draw(st.sampled_from(forms or ("khien_trach", "canh_cao", "cach_chuc", "khai_tru")))
    return Discipline(form, day, draw(st.booleans()), system, draw(st.booleans()))


@st.composite
def cases(draw) -> tuple[regimes.Regime, int, Person]:
    code = draw(st.sampled_from(["nd90", "nd335", "nd233"]))
    regime, year, category = regimes.REGIMES[code], YEARS[code], CATEGORY[code]
    is_leader = draw(st.booleans())
    worked = draw(st.integers(0, 12) | st.just(12))
    person = Person(
        id=1,
        category=category,
        is_leader=is_leader,
        is_head=draw(st.booleans()),
        months_worked=worked,
        months_absent=draw(st.integers(0, 12 - worked)),
        period_scores=tuple(draw(st.lists(scores, min_size=1, max_size=12)))
        if regime.method == "points"
        else (),
        discipline=tuple(draw(st.lists(disciplines(category, is_leader, year), max_size=3))),
        flags=draw(flags),
        facts=draw(nd90_facts()) if regime.method != "points" else None,
        unit_level=draw(levels),
    )
    return regime, year, person


def classify(case: tuple[regimes.Regime, int, Person], person: Person | None = None) -> str:
    regime, year, original = case
    return rules.classify(person or original, regime=regime, year=year).level


@FAST
@given(case=cases(), data=st.data())
def test_a_lower_period_score_never_improves_the_level(case, data):
    regime, _, person = case
    if regime.method != "points":
        return
    index = data.draw(st.integers(0, len(person.period_scores) - 1))
    old = person.period_scores[index]
    new = data.draw(st.decimals(min_value=0, max_value=old, places=2))
    lowered = list(person.period_scores)
    lowered[index] = new
    worse = Person(**{**_fields(person), "period_scores": tuple(lowered)})
    assert no_better(classify(case), classify(case, worse))


@FAST
@given(case=cases(), data=st.data())
def test_an_added_discipline_never_improves_the_level(case, data):
    regime, year, person = case
    extra = data.draw(disciplines(person.category, person.is_leader, year))
    worse = Person(**{**_fields(person), "discipline": (*person.discipline, extra)})
    assert no_better(classify(case), classify(case, worse))


@FAST
@given(case=cases(), data=st.data())
def test_worse_nd90_facts_never_improve_the_level(case, data):
    regime, _, person = case
    if person.facts is None:
        return
    f = person.facts
    general = {"good": ["good", "met", "not_met"], "met": ["met", "not_met"]}.get(
        f.general, ["not_met"]
    )
    worse_facts = Nd90Facts(
        general=data.draw(st.sampled_from(general)),
        tasks_done_pct=f.tasks_done_pct,
        tasks_on_time_pct=data.draw(
            st.decimals(min_value=0, max_value=f.tasks_on_time_pct, places=1)
        ),
        tasks_exceeded_pct=data.draw(
            st.decimals(min_value=0, max_value=f.tasks_exceeded_pct, places=1)
        ),
        unit_done_pct=f.unit_done_pct,
        unit_on_time_pct=f.unit_on_time_pct,
        unit_exceeded_pct=f.unit_exceeded_pct,
        subunits_htnv_pct=f.subunits_htnv_pct,
        subunits_htt_pct=f.subunits_htt_pct,
    )
    worse = Person(**{**_fields(person), "facts": worse_facts})
    assert no_better(classify(case), classify(case, worse))


@FAST
@given(case=cases(), flag=st.sampled_from(["degradation", "unit_corruption"]))
def test_an_added_adverse_finding_never_improves_the_level(case, flag):
    _, _, person = case
    worse = Person(**{**_fields(person), "flags": person.flags | {flag}})
    assert no_better(classify(case), classify(case, worse))


def _fields(person: Person) -> dict:
    return {name: getattr(person, name) for name in Person.__slots__}
