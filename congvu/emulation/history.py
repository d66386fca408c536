"""A person's and a unit's emulation history, assembled from the modules that own the facts, in
the shape the eligibility engine reads (``rules.Subject``):

- the yearly rating and the regime it was given under: published evaluations of yearly cycles
  (``evaluations``);
- titles and awards: ``Achievement`` rows not revoked (a revoked one no longer counts);
- initiatives with what each was used for (``Initiative``);
- discipline: decisions of the register not revoked, their period (``discipline``); an open
  discipline case is a pending fact of the year (rules P3), as are the facts a nomination
  declares (an investigation, a complaint being verified).

A person's history is keyed on the person (``Staff``), whatever unit they were in: transfers
keep it. A unit's history gathers its predecessors' (mergers: ``unit_lineage_ids``), and its
members' figures per year are counted on the evaluations and decisions recorded under the unit
or a predecessor that year. Set-based: ``staff_subjects`` reads any number of people in a fixed
number of queries (bench/bench_eligibility.py).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date

from django.db.models import Q
from django.utils import timezone

from congvu.discipline.models import DisciplineCase, DisciplineRecord
from congvu.discipline.rules import CASE_ACTIVE
from congvu.emulation import rules
from congvu.emulation.models import Achievement, ClusterYear, Initiative
from congvu.evaluations.cycles import YEAR
from congvu.evaluations.models import Evaluation
from congvu.organisations.models import Staff, Unit
from congvu.organisations.selectors import unit_lineage_ids


@dataclass
class _Year:
    rating: str | None = None
    months: int | None = None
    titles: list[str] = field(default_factory=list)
    awards: list[rules.AwardRow] = field(default_factory=list)
    initiatives: list[rules.Initiative] = field(default_factory=list)
    discipline: list[rules.DisciplineRow] = field(default_factory=list)
    pending: list[str] = field(default_factory=list)
    members: rules.Members | None = None
    cluster_leader: bool | None = None


def _frozen(y: int, e: _Year) -> rules.Year:
    return rules.Year(
        year=y,
        rating=e.rating,
        titles=tuple(dict.fromkeys(e.titles)),
        awards=tuple(e.awards),
        initiatives=tuple(e.initiatives),
        discipline=tuple(e.discipline),
        pending=tuple(dict.fromkeys(e.pending)),
        months=e.months,
        members=e.members,
        cluster_leader=e.cluster_leader,
    )


def _freeze(years: dict[int, _Year]) -> tuple[rules.Year, ...]:
    return tuple(_frozen(y, e) for y, e in sorted(years.items()))


def _achievement(entry: _Year, award: str, year: int, kind: str) -> None:
    if award in rules.TITLES:
        entry.titles.append(award)
    else:
        entry.awards.append(rules.AwardRow(award, year, kind))


def _people(ids: list[int], field: str = "staff_id") -> Q:
    """The filter on ``staff_id`` for ``ids``: a range when they are dense (a province read in
    chunks of consecutive ids), which spares the database and Django an IN list of thousands of
    values; the rows of people in the range but not asked for are skipped by the caller."""
    if len(ids) >= DENSE_FROM and max(ids) - min(ids) < 2 * len(ids):
        return Q(**{f"{field}__gte": min(ids), f"{field}__lte": max(ids)})
    return Q(**{f"{field}__in": ids})


DENSE_FROM = 200


def staff_subjects(
    staff_ids: Sequence[int],
    *,
    year: int,
    pending: dict[int, Iterable[str]] | None = None,
    categories: dict[int, str] | None = None,
) -> dict[int, rules.Subject]:
    """The subjects of ``staff_ids`` for an award considered for ``year``: five queries
    whatever their number. ``pending``: facts declared per person (a nomination's), added to
    the open discipline cases read here; they are facts of ``year``."""
    ids = list(dict.fromkeys(staff_ids))
    # Most person-years hold a rating only: those become a Year directly; the few with other
    # facts gather them in ``extra`` first (a province's 250,000 person-years, bench).
    rated: dict[int, dict[int, tuple[str | None, int | None]]] = {sid: {} for sid in ids}
    extra: dict[tuple[int, int], _Year] = {}

    def more(sid: int, y: int) -> _Year:
        entry = extra.get((sid, y))
        if entry is None:
            entry = extra[(sid, y)] = _Year()
        return entry

    people = _people(ids)
    for sid, y, level, months in Evaluation.objects.filter(
        people,
        cycle__period_kind=YEAR,
        cycle__year__lte=year,
        state="published",
    ).values_list("staff_id", "cycle__year", "final_level", "months_worked"):
        per = rated.get(sid)
        if per is not None:
            per[y] = (level or None, months)
    for sid, y, award, kind in Achievement.objects.filter(
        people, revoked_at__isnull=True, year__lte=year
    ).values_list("staff_id", "year", "award", "kind"):
        if sid in rated:
            _achievement(more(sid, y), award, y, kind)
    for pk, sid, level, y, used, title in Initiative.objects.filter(
        people, year__lte=year
    ).values_list("pk", "staff_id", "level", "year", "used_for", "title"):
        if sid in rated:
            more(sid, y).initiatives.append(
                rules.Initiative(initiative_label(pk, title), level, y, used or None)
            )
    for sid, form, start, end in DisciplineRecord.objects.filter(
        people, revoked_at__isnull=True, effective_from__year__lte=year
    ).values_list("staff_id", "form", "effective_from", "effective_to"):
        if sid in rated:
            more(sid, start.year).discipline.append(rules.DisciplineRow(form, start, end))
    for sid in DisciplineCase.objects.filter(people, status__in=CASE_ACTIVE).values_list(
        "staff_id", flat=True
    ):
        if sid in rated:
            more(sid, year).pending.append("discipline")
    for sid, facts in (pending or {}).items():
        if sid in rated:
            more(sid, year).pending.extend(facts)
    if categories is None:
        categories = dict(Staff.objects.filter(_people(ids, "pk")).values_list("pk", "category"))
    extra_years: dict[int, list[int]] = defaultdict(list)
    for sid, y in extra:
        extra_years[sid].append(y)
    subjects = {}
    no_fact = (None, None)
    individual, year_of, subject_of = rules.INDIVIDUAL, rules.Year, rules.Subject
    for sid in ids:
        per = rated[sid]
        if sid not in extra_years:  # ratings only: most people
            span = sorted(per) if year in per else sorted({*per, year})
            history = tuple(
                year_of(year=y, rating=rating, months=months)
                for y in span
                for rating, months in (per.get(y, no_fact),)
            )
        else:
            found = []
            for y in sorted({*per, year, *extra_years[sid]}):
                rating, months = per.get(y, no_fact)
                entry = extra.get((sid, y))
                if entry is None:
                    found.append(year_of(year=y, rating=rating, months=months))
                else:
                    entry.rating, entry.months = rating, months
                    found.append(_frozen(y, entry))
            history = tuple(found)
        subjects[sid] = subject_of(individual, categories.get(sid, ""), history)
    return subjects


def screening_subjects(
    staff_ids: Sequence[int],
    *,
    award: str,
    year: int,
    day: date,
    pending: dict[int, Iterable[str]] | None = None,
) -> dict[int, rules.Subject]:
    """``rules.screening_view`` of each person's subject for ``award`` in ``year`` considered on
    ``day``, read directly: for LĐTT and CSTĐCS four queries (the year's published ratings, its
    initiatives, the discipline decisions begun by its end, the open cases) whatever the number
    of people, and no earlier year, title or category. People with a rating only share one
    subject per (rating, months). Equal to the views of ``staff_subjects`` (tests)."""
    if award not in rules.SCREENED_ON_THE_YEAR or year > day.year:
        full = staff_subjects(staff_ids, year=year, pending=pending)
        return {sid: rules.screening_view(award, s, day) for sid, s in full.items()}
    ids = list(dict.fromkeys(staff_ids))
    no_fact: tuple[str | None, int | None] = (None, None)
    rated = dict.fromkeys(ids, no_fact)
    people = _people(ids)
    for sid, level, months in Evaluation.objects.filter(
        people, cycle__period_kind=YEAR, cycle__year=year, state="published"
    ).values_list("staff_id", "final_level", "months_worked"):
        if sid in rated:
            rated[sid] = (level or None, months)
    initiatives: dict[int, list[rules.Initiative]] = defaultdict(list)
    for pk, sid, level, used in Initiative.objects.filter(people, year=year).values_list(
        "pk", "staff_id", "level", "used_for"
    ):
        if sid in rated and not used:
            initiatives[sid].append(rules.Initiative(str(pk), level, year))
    discipline: dict[int, list[rules.DisciplineRow]] = defaultdict(list)
    first = date(year, 1, 1)
    for sid, form, start, end in DisciplineRecord.objects.filter(
        people, revoked_at__isnull=True, effective_from__year__lte=year
    ).values_list("staff_id", "form", "effective_from", "effective_to"):
        if sid in rated and (end is None or end > first):
            discipline[sid].append(rules.DisciplineRow(form, start, end))
    facts: dict[int, set[str]] = defaultdict(set)
    for sid in DisciplineCase.objects.filter(people, status__in=CASE_ACTIVE).values_list(
        "staff_id", flat=True
    ):
        if sid in rated:
            facts[sid].add("discipline")
    for sid, declared in (pending or {}).items():
        if sid in rated:
            facts[sid].update(declared)
    kind, year_of, subject_of = rules.INDIVIDUAL, rules.Year, rules.Subject
    shared = {
        fact: subject_of(kind, "", (year_of(year=year, rating=fact[0], months=fact[1]),))
        for fact in set(rated.values())
    }
    subjects = {sid: shared[fact] for sid, fact in rated.items()}
    for sid in initiatives.keys() | discipline.keys() | facts.keys():  # the few with facts
        rating, months = rated[sid]
        entry = year_of(
            year=year,
            rating=rating,
            months=months,
            pending=tuple(sorted(facts.get(sid, ()))),
            initiatives=rules.renumbered(sorted(initiatives.get(sid, ()), key=lambda i: i.id)),
            discipline=rules.in_effect(discipline.get(sid, ()), year),
        )
        subjects[sid] = subject_of(kind, "", (entry,))
    return subjects


def staff_subject(staff: Staff, *, year: int, pending: Iterable[str] = ()) -> rules.Subject:
    return staff_subjects(
        [staff.pk], year=year, pending={staff.pk: pending}, categories={staff.pk: staff.category}
    )[staff.pk]


def unit_subject(unit: Unit, *, year: int, pending: Iterable[str] = ()) -> rules.Subject:
    """A collective's history: its own and its predecessors' ratings and titles, and per year
    its members' figures (count, LĐTT, CSTĐCS, KHT, warned) from the evaluations and decisions
    recorded under it or a predecessor."""
    lineage = unit_lineage_ids(unit=unit)
    years: dict[int, _Year] = defaultdict(_Year)
    for y, level in Evaluation.objects.filter(
        staff__isnull=True,
        unit_id__in=lineage,
        cycle__period_kind=YEAR,
        cycle__year__lte=year,
        state="published",
    ).values_list("cycle__year", "final_level"):
        years[y].rating = level or years[y].rating
    for y, award, kind in Achievement.objects.filter(
        unit_id__in=lineage, revoked_at__isnull=True, year__lte=year
    ).values_list("year", "award", "kind"):
        _achievement(years[y], award, y, kind)
    members: dict[int, dict[int, str]] = defaultdict(dict)  # year → staff → rating
    for y, sid, level in Evaluation.objects.filter(
        staff__isnull=False,
        unit_id__in=lineage,
        cycle__period_kind=YEAR,
        cycle__year__lte=year,
        state="published",
    ).values_list("cycle__year", "staff_id", "final_level"):
        members[y][sid] = level
    titles: dict[tuple[int, str], set[int]] = defaultdict(set)
    for y, sid, award in Achievement.objects.filter(
        staff_id__in={s for per in members.values() for s in per},
        award__in=(rules.LDTT, rules.CSTDCS),
        revoked_at__isnull=True,
        year__lte=year,
    ).values_list("year", "staff_id", "award"):
        titles[(y, award)].add(sid)
    warned: dict[int, set[int]] = defaultdict(set)
    for sid, start in DisciplineRecord.objects.filter(
        unit_id__in=lineage,
        revoked_at__isnull=True,
        form__in=rules.WARNING_OR_ABOVE,
        effective_from__year__lte=year,
    ).values_list("staff_id", "effective_from"):
        warned[start.year].add(sid)
    for y, per in members.items():
        people = set(per)
        years[y].members = rules.Members(
            count=len(people),
            ldtt=len(titles[(y, rules.LDTT)] & people),
            cstdcs=len(titles[(y, rules.CSTDCS)] & people),
            kht=sum(1 for level in per.values() if level == "KHT"),
            warned=len(warned[y]),
        )
    for y, first in cluster_first_places(lineage, year).items():
        years[y].cluster_leader = first
    years[year].pending.extend(pending)
    return rules.Subject(rules.COLLECTIVE, "tap_the", _freeze(years))


def cluster_first_places(lineage: set[int], year: int) -> dict[int, bool]:
    """Per year whose cluster scoring is closed: does the unit (or a predecessor) rank among
    the places that may be proposed for Cờ thi đua (``selectors_movements.cluster_ranking``,
    on the day the scoring closed)?"""
    from congvu.emulation.selectors_movements import cluster_ranking

    found: dict[int, bool] = {}
    for cluster_year in ClusterYear.objects.filter(
        members__in=lineage, year__lte=year, ranked_at__isnull=False
    ).distinct():
        day = timezone.localtime(cluster_year.ranked_at).date()
        first = any(
            row.rank.may_propose_flag and row.unit.pk in lineage
            for row in cluster_ranking(cluster_year, day)
        )
        found[cluster_year.year] = found.get(cluster_year.year, False) or first
    return found


def initiative_label(pk: int, title: str) -> str:
    """An initiative as the engine's report names it: its number and title (the report is
    read by people; the number keeps two initiatives of one title apart)."""
    short = title if len(title) <= 80 else title[:79] + "…"
    return f"số {pk} «{short}»"
