"""The workflow roles each persona holds on each evaluation (evaluations.access.evaluation_roles)."""

from decimal import Decimal

import pytest

from congvu.accounts.models import User
from congvu.evaluations.models import Evaluation
from congvu.evaluations.services import roles_of
from congvu.evaluations.tests import factories as f

pytestmark = pytest.mark.django_db

PERSONAS = [
    "admin",
    "snv",
    "head_syt",
    "head_stp",
    "staff",
    "leader",
    "mttq",
    "council",
    "inspector",
    "outsider",
]
S, M, C, N = "self", "manager", "council", "noi_vu"
EXPECTED = {
    # An (Sở Y tế); his manager is the head of Sở Y tế.
    "syt_cc": {"admin": {C, N}, "snv": {N}, "head_syt": {M, C}, "staff": {S}, "council": {C}},
    # The head herself: nobody above her has an account, so the council acts as manager.
    "head_syt": {"admin": {M, C, N}, "snv": {N}, "head_syt": {S}, "council": {M, C}},
    # The nurse (hospital under Sở Y tế): managed by the head of Sở Y tế.
    "nurse": {"admin": {C, N}, "snv": {N}, "head_syt": {M, C}, "council": {C}},
    # Justice: nobody of Sở Y tế has a part.
    "stp_cc": {"admin": {C, N}, "snv": {N}, "head_stp": {M, C}},
}
COLLECTIVE = {"admin": {M, C, N}, "snv": {M, C, N}, "head_syt": {S}}


@pytest.fixture
def cycles(province, tmp_path):
    individual = f.load(tmp_path, f.individual_doc())
    collective = f.load(tmp_path, f.collective_doc())
    return (
        f.cycle(province["snv"], individual, province.units["kh"]),
        f.cycle(
            province["snv"],
            collective,
            province.units["syt"],
            subject="collective",
            culture_points=Decimal(100),
        ),
    )


def _wrong(province, evaluation, expected: dict[str, set[str]]) -> list[str]:
    wrong = []
    for persona in PERSONAS:
        user = User.objects.get(pk=province[persona].pk)  # scopes are memoised per object
        got = set(roles_of(user, evaluation))
        if got != expected.get(persona, set()):
            wrong.append(f"{persona}: {sorted(got)}")
    return wrong


@pytest.mark.parametrize("subject", list(EXPECTED))
def test_roles_of_each_persona_on_each_official(province, cycles, subject):
    evaluation = Evaluation.objects.get(cycle=cycles[0], staff=province.staff[subject])
    assert not _wrong(province, evaluation, EXPECTED[subject])


def test_roles_on_the_collective_assessment_of_so_y_te(province, cycles):
    evaluation = Evaluation.objects.get(cycle=cycles[1], unit=province.units["syt"])
    assert not _wrong(province, evaluation, COLLECTIVE)
