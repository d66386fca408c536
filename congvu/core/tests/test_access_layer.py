"""The access layer's kernel: the explicit system actor and ``permissions.Entity`` (the unit
scope, object-level scopes and "never about oneself" of one kind of row), whose filter (the
check inside the query) and per-row check give the same answer for every persona."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied

from congvu.accounts.models import User
from congvu.core import permissions
from congvu.core.actors import COMMAND, SYSTEM, SystemActor, is_system, login_of
from congvu.core.audit import audit_record
from congvu.core.models import AuditLog
from congvu.core.permissions import Action, Entity, Members
from congvu.discipline.access import DISCIPLINE
from congvu.discipline.models import DisciplineRecord
from congvu.discipline.services import DecisionSpec, discipline_record
from congvu.organisations.models import Unit, UnitType
from congvu.organisations.services import UnitSpec, unit_create

pytestmark = pytest.mark.django_db

PERSONAS = (
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
)


def _fresh(user: User) -> User:
    return User.objects.get(pk=user.pk)


# --- The system actor: explicit, never None ---------------------------------------------------


def test_none_is_no_longer_an_actor():
    with pytest.raises(TypeError):
        is_system(None)
    with pytest.raises(TypeError):
        audit_record(actor=None, action="x")


def test_a_service_called_with_none_refuses_and_writes_nothing():
    before = Unit.objects.count()
    with pytest.raises(TypeError):
        unit_create(
            actor=None,  # type: ignore[arg-type]
            spec=UnitSpec(code="NONE1", name="Không ai", unit_type=UnitType.SO_BAN_NGANH),
            valid_from=date(2026, 1, 1),
        )
    assert Unit.objects.count() == before


def test_the_system_is_named_in_the_audit_trail_and_holds_no_scope():
    unit = unit_create(
        actor=COMMAND,
        spec=UnitSpec(code="CMD1", name="Đơn vị lệnh", unit_type=UnitType.SO_BAN_NGANH),
        valid_from=date(2026, 1, 1),
    )
    entry = AuditLog.objects.get(action="unit.create", object_id=str(unit.pk))
    assert entry.actor is None and entry.data["system"] == "command"
    assert login_of(SYSTEM) is None
    for action in Action:
        assert not permissions.may(SYSTEM, action)
        assert permissions.unit_scope(SYSTEM, action) == frozenset()
    assert str(SystemActor("job:export")) == "system:job:export"


def test_a_user_is_stored_as_the_login(province):
    user = province.users["snv"]
    assert login_of(user) == user


# --- Entity: one rule for the query and for the loaded row ------------------------------------


@pytest.fixture
def decisions(province):
    """Decisions about four people: in Sở Y tế, in Sở Tư pháp, and about two personas."""
    people = ("syt_cc", "head_syt", "head_stp", "snv_cc")
    return [
        discipline_record(
            actor=SYSTEM,
            staff=province.staff[key],
            spec=DecisionSpec(
                form="khien_trach",
                decision_number=f"{n}/QĐ",
                decision_date=date(2026, 3, 1),
                issuer="Giám đốc",
                effective_from=date(2026, 3, 1),
                violation="Đi muộn",
            ),
        )
        for n, key in enumerate(people, 1)
    ]


@pytest.mark.parametrize("action", [Action.DISCIPLINE_VIEW, Action.DISCIPLINE_MANAGE])
def test_the_filter_and_the_row_check_agree_for_every_persona(province, decisions, action):
    for persona in PERSONAS:
        user = _fresh(province.users[persona])
        listed = set(
            DISCIPLINE.filter(user, action, DisciplineRecord.objects.all()).values_list(
                "pk", flat=True
            )
        )
        for record in decisions:
            assert (record.pk in listed) == DISCIPLINE.allows(user, action, record), (
                persona,
                action,
                record.staff.code,
            )


def test_nobody_manages_a_decision_about_themself_but_reads_it(province, decisions):
    head = _fresh(province.users["head_syt"])
    own = next(r for r in decisions if r.staff_id == head.staff_id)
    colleague = next(r for r in decisions if r.staff_id == province.staff["syt_cc"].pk)
    assert DISCIPLINE.allows(head, Action.DISCIPLINE_VIEW, own)
    assert not DISCIPLINE.allows(head, Action.DISCIPLINE_MANAGE, own)
    assert DISCIPLINE.allows(head, Action.DISCIPLINE_MANAGE, colleague)
    with pytest.raises(PermissionDenied):
        DISCIPLINE.require(head, Action.DISCIPLINE_MANAGE, own)


def test_get_checks_inside_the_query(province, decisions, django_assert_num_queries):
    head = _fresh(province.users["head_stp"])
    syt_record = decisions[0]
    qs = DisciplineRecord.objects.all()
    permissions.unit_scope(head, Action.DISCIPLINE_VIEW)  # the scope memoised first
    with django_assert_num_queries(1):  # one query: the row is never loaded to be refused
        assert DISCIPLINE.get(head, Action.DISCIPLINE_VIEW, qs, syt_record.pk) is None
    for bad in ("abc", None, 0, -1, 2**63, "1; DROP"):
        assert DISCIPLINE.get(head, Action.DISCIPLINE_VIEW, qs, bad) is None


def test_object_level_scope_reaches_a_row_outside_the_unit_scope(province, decisions):
    """Members: the person a decision is about reads it through the object-level scope,
    directly (their staff record) or through a join (the login linked to the staff record)."""
    outsider_staff = province.staff["head_stp"]
    record = next(r for r in decisions if r.staff_id == outsider_staff.pk)
    user = _fresh(province.users["head_syt"])  # no scope over Sở Tư pháp
    direct = Entity(units=("unit_id",), members=(Members("staff_id", kind="staff"),))
    joined = Entity(units=("unit_id",), members=(Members("staff__user", kind="user"),))
    head_stp = _fresh(province.users["head_stp"])
    for entity in (direct, joined):
        assert not entity.allows(user, Action.DISCIPLINE_VIEW, record)
        assert entity.allows(head_stp, Action.DISCIPLINE_VIEW, record)
        mine = entity.filter(head_stp, Action.DISCIPLINE_VIEW, DisciplineRecord.objects.all())
        assert record in mine
        assert list(mine) == list(dict.fromkeys(mine)), "a join must not repeat a row"
    only_view = Entity(
        units=(),
        members=(Members("staff_id", kind="staff", actions=frozenset({Action.DISCIPLINE_VIEW})),),
    )
    assert only_view.allows(head_stp, Action.DISCIPLINE_VIEW, record)
    assert not only_view.allows(head_stp, Action.DISCIPLINE_MANAGE, record)


def test_the_anonymous_visitor_and_the_system_reach_nothing(province, decisions):
    from django.contrib.auth.models import AnonymousUser

    for who in (AnonymousUser(), SYSTEM):
        assert not DISCIPLINE.filter(who, Action.DISCIPLINE_VIEW, DisciplineRecord.objects.all())
        assert not DISCIPLINE.allows(who, Action.DISCIPLINE_VIEW, decisions[0])


def test_any_of_several_actions_keeps_everything_for_an_administrator(province, decisions):
    admin = _fresh(province.users["admin"])
    actions = (Action.DISCIPLINE_VIEW, Action.DISCIPLINE_MANAGE)
    everything = DisciplineRecord.objects.all()
    assert DISCIPLINE.filter_any(admin, actions, everything).count() == len(decisions)
    head = _fresh(province.users["head_syt"])
    mine = set(DISCIPLINE.filter_any(head, actions, everything))
    assert mine == {r for r in decisions if DISCIPLINE.allows(head, Action.DISCIPLINE_VIEW, r)}


# --- A unit path through a to-many relation (``distinct``) ------------------------------------


@pytest.fixture
def plans(province):
    """Three plans of UBND tỉnh: one assigned to Sở Y tế and its hospital (two rows of the join
    for the head of Sở Y tế), one to Sở Tư pháp, one to the old commune merged in 2025."""
    from congvu.plans import services
    from congvu.plans.tests.factories import make_plan

    u = province.units
    made = []
    for n, units in enumerate(([u["syt"], u["bv"]], [u["stp"]], [u["xa_old"]]), 1):
        plan = make_plan(province, code=f"{n}/KH-UBND")
        services.plan_assign(actor=SYSTEM, plan=plan, units=units, day=date(2020, 1, 2))
        made.append(plan)
    return made


def test_a_to_many_unit_path_lists_each_row_once_and_agrees_with_the_row_check(province, plans):
    from congvu.plans.access import PLAN
    from congvu.plans.models import Plan

    for persona in PERSONAS:
        user = _fresh(province.users[persona])
        listed = list(
            PLAN.filter(user, Action.PLAN_VIEW, Plan.objects.all()).values_list("pk", flat=True)
        )
        assert len(listed) == len(set(listed)), persona  # DISTINCT: the join repeats no row
        for plan in plans:
            assert (plan.pk in listed) == PLAN.allows(user, Action.PLAN_VIEW, plan), persona
    head_syt = _fresh(province.users["head_syt"])
    assert PLAN.allows(head_syt, Action.PLAN_VIEW, plans[0])
    assert not PLAN.allows(head_syt, Action.PLAN_VIEW, plans[1])
    without = Entity(units=("owner_id", "assignments__unit_id"))  # the flag is what de-duplicates
    rows = list(without.filter(head_syt, Action.PLAN_VIEW, Plan.objects.all()))
    assert rows.count(plans[0]) == 2


def test_a_to_many_unit_path_is_checked_by_a_query_on_a_loaded_row(
    province, plans, django_assert_num_queries
):
    from congvu.plans.access import PLAN

    head_stp = _fresh(province.users["head_stp"])
    permissions.unit_scope(head_stp, Action.PLAN_VIEW)  # the scope memoised first
    with django_assert_num_queries(1):
        assert PLAN.allows(head_stp, Action.PLAN_VIEW, plans[1])
