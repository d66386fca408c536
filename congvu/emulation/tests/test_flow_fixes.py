"""Small page fixes found while walking issue 13's flow in the browser
(tests/e2e/test_emulation_flow.py): the council's forms offer the province's council first,
a decision line shows how its bonus was counted, a person's page links to their emulation
history, the history tables carry their labels when stacked on a phone."""

from datetime import date
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from congvu.emulation import documents_council, rules, selectors_council, services_council
from congvu.emulation.models import Achievement
from congvu.emulation.tests.council_helpers import nomination
from congvu.emulation.tests.factories import rate

pytestmark = pytest.mark.django_db


def client(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


def test_the_council_forms_offer_the_highest_unit_first(province):
    units = selectors_council.council_units_for_user(user=province.users["snv"])
    assert units[0] == province.units["kh"]  # by name, "Bệnh viện…" came first
    assert units.index(province.units["syt"]) < units.index(province.units["bv"])
    html = client(province.users["snv"]).get(reverse("emulation:decision_create")).content.decode()
    first = html.index('<option value="', html.index('id="id_unit"'))
    assert html.startswith(f'<option value="{province.units["kh"].pk}"', first)


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (Decimal("1.00"), "1,0"),
        (Decimal("0.30"), "0,3"),
        (Decimal("4.50"), "4,5"),
        (Decimal("1.25"), "1,25"),
        (Decimal("8"), "8,0"),
        (None, ""),
    ],
)
def test_a_multiplier_is_written_the_vietnamese_way(value, text):
    assert documents_council.multiplier(value) == text


def test_a_bonus_basis_is_multiplier_times_base_salary():
    line = Achievement(bonus_base=2_340_000, bonus_multiplier=Decimal("1.00"))
    assert documents_council.bonus_basis(line) == "1,0 × 2.340.000"
    assert documents_council.bonus_basis(Achievement()) == ""


def test_the_decision_page_shows_how_each_bonus_was_counted(province):
    nomination(province, award=rules.CSTDCS, state=rules.APPROVED)
    snv = province.users["snv"]
    decision = services_council.decision_draft(
        actor=snv,
        spec=services_council.DecisionSpec(
            unit=province.units["kh"],
            award=rules.CSTDCS,
            year=2025,
            issuer="Ủy ban nhân dân tỉnh Khánh Hòa",
            signer_title="Chủ tịch",
            signer_name="Nguyễn Văn Chủ",
        ),
    )
    services_council.decision_issue(
        actor=snv, decision=decision, number="215/QĐ-UBND", signed_on=date(2026, 11, 20)
    )
    html = client(snv).get(reverse("emulation:decision_detail", args=[decision.pk]))
    text = html.content.decode()
    assert "2.340.000" in text and "1,0 × 2.340.000" in text


def test_a_persons_page_links_to_their_emulation_history(province):
    person = province.staff["syt_cc"]
    link = reverse("emulation:staff_history", args=[person.pk])
    page = reverse("organisations:staff_detail", args=[person.pk])
    assert link in client(province.users["head_syt"]).get(page).content.decode()
    assert link in client(province.users["snv"]).get(page).content.decode()


def test_the_history_table_labels_its_cells_for_a_phone(province):
    person = province.staff["syt_cc"]
    rate(province.units["kh"], person, {2025: "HTT"})
    html = (
        client(province.users["head_syt"])
        .get(reverse("emulation:staff_history", args=[person.pk]))
        .content.decode()
    )
    table = html[html.index('id="history-table"') :]
    assert 'data-label="Xếp loại">Hoàn thành tốt nhiệm vụ</td>' in table
