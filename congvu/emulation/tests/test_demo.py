"""The demo's emulation: made through the services (dossiers at every stage, a closed council
session, an issued decision on the honour board), loaded once."""

import pytest

from congvu.emulation import rules
from congvu.emulation.demo import demo_emulation
from congvu.emulation.models import Achievement, CouncilSession, Nomination
from congvu.organisations import demo
from congvu.organisations.models import Unit

pytestmark = pytest.mark.django_db
ONLY = ("congvu.evaluations.demo.demo_evaluations", "congvu.emulation.demo.demo_emulation")


def test_the_demo_has_dossiers_at_every_stage_and_an_issued_decision():
    demo.demo_load(staff=300, seed=1, apps=ONLY)
    states = set(Nomination.objects.values_list("state", flat=True))
    assert states == {rules.DRAFT, rules.SUBMITTED, rules.CHECKED, rules.DECIDED}
    decided = Nomination.objects.get(state=rules.DECIDED)
    assert decided.result == rules.ELIGIBLE
    assert CouncilSession.objects.get().state == rules.CLOSED
    line = Achievement.objects.get(decision__isnull=False)
    assert (line.bonus_amount, line.staff_id) == (2_340_000, decided.staff_id)
    assert line.staff.initiatives.get().used_for == rules.CSTDCS
    units = {u.code: u for u in Unit.objects.all()}
    demo_emulation(actor=line.decision.created_by, units=units)  # once
    assert Nomination.objects.count() == 4
