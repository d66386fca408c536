"""The demo's evaluations: made through the services, something real for every demo login
with an evaluation role, the same for the same seed."""

import pytest
from django.db import transaction

from congvu.accounts.models import User
from congvu.evaluations import selectors, selectors_cycles
from congvu.evaluations.models import CouncilDecision, Evaluation, EvaluationCycle
from congvu.organisations import demo

pytestmark = pytest.mark.django_db
ONLY_EVALUATIONS = ("congvu.evaluations.demo.demo_evaluations",)


def snapshot() -> list[tuple]:
    """Who is where in which cycle, independent of ids."""
    return sorted(
        Evaluation.objects.values_list(
            "cycle__title",
            "unit__code",
            "staff__code",
            "state",
            "proposed_level",
            "final_level",
            "period_score",
        )
    )


def states(title_part: str) -> set[str]:
    cycle = EvaluationCycle.objects.get(title__contains=title_part)
    return set(cycle.evaluations.values_list("state", flat=True))


def test_every_demo_login_finds_real_evaluations_in_every_state():
    demo.demo_load(staff=300, seed=1, apps=ONLY_EVALUATIONS)
    users = {u.username: u for u in User.objects.all()}
    assert EvaluationCycle.objects.filter(status="open").count() == 5
    assert states("Sở Y tế") == {"draft", "submitted", "reviewed", "concluded", "published"}
    over = CouncilDecision.objects.get(unit__code="KHA-SYT")
    assert over.over_cap_confirmed and over.actor == users["gd_soyte"]
    assert any(check["exceeded"] for check in over.caps)

    def mine(name: str) -> set[str]:
        return set(selectors.my_evaluations(user=users[name]).values_list("state", flat=True))

    def team(name: str) -> set[str]:
        return set(Evaluation.objects.filter(manager=users[name]).values_list("state", flat=True))

    assert (
        mine("canbo") == {"draft"}
        and Evaluation.objects.get(staff_id=users["canbo"].staff_id).scores.exists()
    )  # half way through
    assert mine("kiemtra") == {"draft"}
    assert mine("sonoivu") == {"published"}
    assert mine("gd_soyte") == {"submitted", "draft"}  # her own, her unit's
    assert mine("lanhdao") == {"published"}  # the province's own assessment
    assert "submitted" in team("gd_soyte") and "submitted" in team("lanhdao")
    assert "submitted" in team("hoidong")
    collectives = selectors_cycles.collective_evaluations(user=users["sonoivu"])
    assert set(collectives.values_list("state", flat=True)) == {"draft", "reviewed", "published"}
    reviewed = Evaluation.objects.filter(cycle__title__contains="Sở Y tế", state="reviewed")
    assert {e.unit.code for e in reviewed} == {"KHA-BVDK"}  # waiting for the council


def test_the_same_seed_gives_the_same_evaluations():
    with transaction.atomic():
        demo.demo_load(staff=300, seed=4, apps=ONLY_EVALUATIONS)
        first = snapshot()
        transaction.set_rollback(True)
    demo.demo_load(staff=300, seed=4, apps=ONLY_EVALUATIONS)
    assert snapshot() == first and len(first) > 100
