"""The council's sessions and secret ballot through the services: a session is convened with
its members, checked nominations go on the ballot with the threshold of the day, voting moves
them to «đang bỏ phiếu», each member casts once, the close counts over all members (ND 98/2023
Art 30.7) and moves each nomination; and nothing anywhere links a member to a choice."""

import logging
from datetime import date
from decimal import Decimal

import pytest
from django.apps import apps
from django.conf import settings
from django.contrib import admin
from django.core.exceptions import PermissionDenied, ValidationError

from congvu.core.models import AuditLog
from congvu.emulation import rules, services_council
from congvu.emulation.models import (
    BallotReceipt,
    CouncilSession,
    NominationStep,
    SessionItem,
)
from congvu.emulation.tests.council_helpers import council_members, nomination, session, vote

pytestmark = pytest.mark.django_db

YES, NO, ABSTAIN = rules.YES, rules.NO, rules.ABSTAIN


@pytest.fixture
def five(province):
    return council_members(province, 5)


def test_sessions_are_convened_with_their_members_and_the_threshold_of_the_day(province, five):
    ldtt = nomination(province)
    cstdcs = nomination(province, who="nurse", award=rules.CSTDCS)
    made = session(province, five, [ldtt, cstdcs], open_=False)
    assert made.member_count == 5 and set(made.members.all()) == set(five)
    thresholds = dict(made.items.values_list("nomination__award", "threshold"))
    assert thresholds == {rules.LDTT: Decimal("0.500"), rules.CSTDCS: Decimal("0.800")}
    assert made.state == rules.PREPARING
    assert AuditLog.objects.filter(action="emulation.session_create").count() == 1


def test_opening_the_ballot_moves_the_nominations_and_writes_their_steps(province, five):
    ldtt = nomination(province)
    made = session(province, five, [ldtt])
    ldtt.refresh_from_db()
    assert made.state == rules.VOTING and ldtt.state == rules.IN_SESSION
    step = NominationStep.objects.get(nomination=ldtt)
    assert (step.move, step.from_state, step.to_state) == ("session", "checked", "in_session")


def test_the_close_counts_over_all_members_and_moves_each_nomination(province, five):
    ldtt = nomination(province)
    cstdcs = nomination(province, who="nurse", award=rules.CSTDCS)
    made = session(province, five, [ldtt, cstdcs])
    order = list(made.items.order_by("pk").values_list("nomination_id", flat=True))
    for member, (on_ldtt, on_cstdcs) in zip(
        five[:4], [(YES, YES), (YES, YES), (YES, YES), (NO, ABSTAIN)], strict=True
    ):
        picks = {ldtt.pk: on_ldtt, cstdcs.pk: on_cstdcs}
        vote(member, made, [picks[n] for n in order])
    services_council.session_close(actor=province.users["snv"], session=made)
    first, second = made.items.get(nomination=ldtt), made.items.get(nomination=cstdcs)
    # LĐTT: 3 of 5 members ≥ 50%; CSTĐCS: 3 of 5 < 80% (needs 4) — over all members, not the 4
    # who voted.
    assert (first.yes, first.no, first.abstain, first.approved) == (3, 1, 0, True)
    assert (second.yes, second.no, second.abstain, second.approved) == (3, 0, 1, False)
    assert "cần từ 4" in second.detail
    ldtt.refresh_from_db(), cstdcs.refresh_from_db()
    assert (ldtt.state, cstdcs.state) == (rules.APPROVED, rules.REJECTED)
    assert list(
        NominationStep.objects.filter(nomination=cstdcs).values_list("move", flat=True)
    ) == [
        "session",
        "reject",
    ]


def test_a_vote_without_quorum_is_void_and_the_nomination_waits_for_another_session(province, five):
    ldtt = nomination(province)
    made = session(province, five, [ldtt])
    vote(five[0], made, [YES])
    vote(five[1], made, [YES])
    vote(five[2], made, [YES])  # 3 of 5 < 2/3
    services_council.session_close(actor=province.users["snv"], session=made)
    item = made.items.get()
    ldtt.refresh_from_db()
    assert item.approved is None and ldtt.state == rules.CHECKED
    assert "Không đủ số thành viên bỏ phiếu" in item.detail


def test_a_member_casts_once_and_a_second_ballot_changes_nothing(province, five):
    made = session(province, five, [nomination(province)])
    vote(five[0], made, [YES])
    with pytest.raises(ValidationError, match="đã bỏ phiếu"):
        vote(five[0], made, [NO])
    item = made.items.get()
    assert (item.yes, item.no, BallotReceipt.objects.filter(session=made).count()) == (1, 0, 1)


def test_only_members_with_the_vote_may_cast(province, five):
    made = session(province, five, [nomination(province)])
    for outsider in ("snv", "head_syt", "outsider", "admin"):
        with pytest.raises(PermissionDenied):
            vote(province.users[outsider], made, [YES])
    assert not BallotReceipt.objects.exists() and made.items.get().yes == 0


def test_a_ballot_needs_a_valid_choice_for_every_item(province, five):
    made = session(province, five, [nomination(province), nomination(province, who="nurse")])
    item = made.items.order_by("pk").first()
    with pytest.raises(ValidationError, match="mọi đề nghị"):
        services_council.ballot_cast(actor=five[0], session=made, choices={item.pk: YES})
    with pytest.raises(ValidationError, match="không hợp lệ"):
        vote(five[0], made, [YES, "maybe"])
    assert not BallotReceipt.objects.exists()


def test_no_ballot_outside_the_voting_time(province, five):
    made = session(province, five, [nomination(province)], open_=False)
    with pytest.raises(ValidationError, match="thời gian bỏ phiếu"):
        vote(five[0], made, [YES])
    services_council.session_open(actor=province.users["snv"], session=made)
    services_council.session_close(actor=province.users["snv"], session=made)
    with pytest.raises(ValidationError, match="thời gian bỏ phiếu"):
        vote(five[0], made, [YES])


def test_only_checked_nominations_in_scope_go_on_the_ballot(province, five):
    made = session(province, five, [nomination(province)], open_=False)
    draft = nomination(province, state=rules.DRAFT)
    with pytest.raises(ValidationError, match="đã thẩm định"):
        services_council.session_add(actor=province.users["snv"], session=made, nominations=[draft])
    with pytest.raises(PermissionDenied):
        services_council.session_add(
            actor=province.users["head_syt"], session=made, nominations=[nomination(province)]
        )


def test_members_are_chosen_in_the_conveners_scope(province):
    from congvu.testing import make_user

    stranger = make_user("nguoila")
    with pytest.raises(ValidationError, match="Thành viên"):
        services_council.session_create(
            actor=province.users["snv"],
            spec=services_council.SessionSpec(
                title="Phiên",
                unit=province.units["kh"],
                held_on=date(2026, 11, 20),
                members=[stranger],
            ),
        )
    assert not CouncilSession.objects.exists()


# --- Secret by construction --------------------------------------------------------------------


def test_no_model_of_the_app_can_hold_a_members_choice():
    """Every model of the app (history models included): none has a field that takes the
    ballot's choices, the tally and the receipts keep no history and no time, and the receipt
    names the session and the member only."""
    models = list(apps.get_app_config("emulation").get_models())
    for model in models:
        for field in model._meta.get_fields():
            keys = {str(k) for k, _v in (getattr(field, "choices", None) or [])}
            assert not set(rules.CHOICES) & keys, (model, field)
    names = {m.__name__ for m in models}
    assert "HistoricalSessionItem" not in names and "HistoricalBallotReceipt" not in names
    assert {f.name for f in BallotReceipt._meta.concrete_fields} == {"id", "session", "member"}
    user_links = [
        f.name
        for f in SessionItem._meta.concrete_fields
        if f.is_relation and f.related_model._meta.label == settings.AUTH_USER_MODEL
    ]
    assert user_links == []
    assert not [
        f
        for f in SessionItem._meta.concrete_fields
        if f.get_internal_type().endswith("DateTimeField")
    ]


def test_the_tally_and_the_receipts_are_not_in_the_admin():
    assert SessionItem not in admin.site._registry and BallotReceipt not in admin.site._registry


def test_the_audit_and_the_logs_say_only_that_a_member_voted(province, five, caplog):
    made = session(province, five, [nomination(province), nomination(province, who="nurse")])
    before = AuditLog.objects.count()
    with caplog.at_level(logging.DEBUG):
        vote(five[0], made, [NO, ABSTAIN])
    rows = list(AuditLog.objects.order_by("pk")[before:])
    assert [(r.action, r.object_type, r.object_id, r.data) for r in rows] == [
        ("emulation.ballot_cast", "emulation.councilsession", str(made.pk), {})
    ]
    text = caplog.text.lower()
    item_ids = [str(pk) for pk in made.items.values_list("pk", flat=True)]
    for word in (
        "yes",
        "abstain",
        "đồng ý",
        "không biểu quyết",
        "choices",
        *[f"item-{i}" for i in item_ids],
    ):
        assert word not in text, word
