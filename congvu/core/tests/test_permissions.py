"""The permission module, cell by cell: role × action × {in-scope, out-of-scope} object.

The expected tables are written out by hand, not derived from ROLE_ACTIONS: a change
to the roles must be a change to these tables too.
"""

from datetime import date

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied

from congvu.accounts.models import User
from congvu.accounts.services import role_assign
from congvu.core import permissions
from congvu.core.actors import SYSTEM
from congvu.core.permissions import EVERYTHING, Action
from congvu.feedback.access import report_check_identity
from congvu.feedback.models import Report
from congvu.organisations.models import Staff, Unit, UnitType
from congvu.ratings.access import rating_check_call_back
from congvu.ratings.models import Rating
from congvu.testing import make_staff, make_unit, make_user

pytestmark = pytest.mark.django_db

A = Action
COLUMNS = [
    A.UNIT_VIEW,
    A.UNIT_MANAGE,
    A.UNIT_IMPORT,
    A.STAFF_VIEW,
    A.STAFF_MANAGE,
    A.STAFF_IMPORT,
    A.STAFF_EXPORT,
    A.ROLE_MANAGE,
    A.DISCIPLINE_VIEW,
    A.DISCIPLINE_MANAGE,
    A.ADMIN_SITE,
    A.AUDIT_VIEW,
    A.CATALOGUE_SUPPLEMENT,
    A.EVALUATION_VIEW,
    A.EVALUATION_MANAGE,
    A.EVALUATION_CONCLUDE,
    A.EVALUATION_OVERSEE,
    A.FEEDBACK_VIEW,
    A.DESK_MANAGE,
    A.REPORT_HANDLE,
    A.REPORTER_IDENTITY,
    A.SUPERVISION_FILE,
    A.SUPERVISION_ANSWER,
    A.RATING_FOLLOW_UP,
    A.PLAN_VIEW,
    A.PLAN_MANAGE,
    A.PLAN_PROGRESS,
    A.VIOLATION_STATS,
    A.INSPECTION_VIEW,
    A.INSPECTION_MANAGE,
    A.UNIT_RULES_VIEW,
    A.UNIT_RULES_MANAGE,
    A.EMULATION_VIEW,
    A.EMULATION_PROPOSE,
    A.EMULATION_MANAGE,
    A.EMULATION_VOTE,
]

# For each persona: the unit of its own scope (and a staff member in it who is not the
# persona), and a unit of ANOTHER scope (and a staff member there).
OBJECTS = {
    #            in unit, in staff,     out unit, out staff
    "admin": ("syt", "syt_cc", "ld", "ld_cc"),
    "snv": ("syt", "syt_cc", "ld", "ld_cc"),
    "head_syt": ("bv", "nurse", "stp", "stp_cc"),
    "head_stp": ("stp", "stp_cc", "syt", "syt_cc"),
    "staff": ("syt", "head_syt", "bv", "nurse"),  # a colleague in the same unit
    "leader": ("syt", "syt_cc", "ld", "ld_cc"),
    "mttq": ("bv", "nurse", "ld", "ld_cc"),
    "council": ("bv", "nurse", "stp", "stp_cc"),
    "inspector": ("stp", "stp_cc", "syt", "syt_cc"),
    "outsider": ("syt", "syt_cc", "stp", "stp_cc"),
}

# Y = allowed. Columns: UV UM UI SV SM SI SE RM DV DM AS AV CS EV EM EC EO FV DK RH RI SF SA RF PV PM PP VS IV IM NV NM TV TP TM TB
# (the order of COLUMNS). RI and RF (citizens' personal data) are never implied: not even the
# system administrator holds them without the role that lists them.
IN_SCOPE = {
    "admin":     "Y Y Y Y Y Y Y Y Y Y Y Y Y Y Y Y Y Y Y Y . Y Y . Y Y Y Y Y Y Y Y Y Y Y Y",
    "snv":       "Y Y Y Y Y Y Y Y Y Y Y Y Y Y Y . Y Y Y Y . . . . Y Y Y Y Y Y Y . Y Y Y .",
    "head_syt":  "Y . . Y Y Y Y . Y Y . . Y Y Y Y . Y Y Y . . Y . Y . Y . Y Y Y Y Y Y . .",
    "head_stp":  "Y . . Y Y Y Y . Y Y . . Y Y Y Y . Y Y Y . . Y . Y . Y . Y Y Y Y Y Y . .",
    "staff":     "Y . . . . . . . . . . . . . . . . . . . . . . . . . . . . . . . . . . .",  # a colleague's record: no
    "leader":    "Y . . Y . . Y . Y . . . . Y . . . Y . . . . . . Y . . . Y . Y . Y . . .",
    "mttq":      "Y . . . . . . . . . . . . . . . . Y . . . Y . . . . . . Y . . . . . . .",
    "council":   "Y . . Y . . . . Y . . . . Y . Y . . . . . . . . Y . . . . . . . Y . . Y",
    "inspector": "Y . . Y . . . . Y . . . . . . . . Y . . . . . . Y . . . Y . Y . . . . .",
    "outsider":  ". . . . . . . . . . . . . . . . . . . . . . . . . . . . . . . . . . . .",
}  # fmt: skip
OUT_OF_SCOPE = {
    "admin":     "Y Y Y Y Y Y Y Y Y Y Y Y Y Y Y Y Y Y Y Y . Y Y . Y Y Y Y Y Y Y Y Y Y Y Y",  # system-wide
    "snv":       ". . . . . . . . . . . . . . . . . . . . . . . . . . . . . . . . . . . .",
    "head_syt":  ". . . . . . . . . . . . . . . . . . . . . . . . . . . . . . . . . . . .",
    "head_stp":  ". . . . . . . . . . . . . . . . . . . . . . . . . . . . . . . . . . . .",
    "staff":     ". . . . . . . . . . . . . . . . . . . . . . . . . . . . . . . . . . . .",
    "leader":    ". . . . . . . . . . . . . . . . . . . . . . . . . . . . . . . . . . . .",
    "mttq":      ". . . . . . . . . . . . . . . . . . . . . . . . . . . . . . . . . . . .",
    "council":   ". . . . . . . . . . . . . . . . . . . . . . . . . . . . . . . . . . . .",
    "inspector": ". . . . . . . . . . . . . . . . . . . . . . . . . . . . . . . . . . . .",
    "outsider":  ". . . . . . . . . . . . . . . . . . . . . . . . . . . . . . . . . . . .",
}  # fmt: skip
# may(): the action anywhere at all (menus). Staff members may view their own record.
ANYWHERE = {
    "admin":     "Y Y Y Y Y Y Y Y Y Y Y Y Y Y Y Y Y Y Y Y . Y Y . Y Y Y Y Y Y Y Y Y Y Y Y",
    "snv":       "Y Y Y Y Y Y Y Y Y Y Y Y Y Y Y . Y Y Y Y . . . . Y Y Y Y Y Y Y . Y Y Y .",
    "head_syt":  "Y . . Y Y Y Y . Y Y . . Y Y Y Y . Y Y Y . . Y . Y . Y . Y Y Y Y Y Y . .",
    "head_stp":  "Y . . Y Y Y Y . Y Y . . Y Y Y Y . Y Y Y . . Y . Y . Y . Y Y Y Y Y Y . .",
    "staff":     "Y . . Y . . . . . . . . . . . . . . . . . . . . . . . . . . . . . . . .",
    "leader":    "Y . . Y . . Y . Y . . . . Y . . . Y . . . . . . Y . . . Y . Y . Y . . .",
    "mttq":      "Y . . . . . . . . . . . . . . . . Y . . . Y . . . . . . Y . . . . . . .",
    "council":   "Y . . Y . . . . Y . . . . Y . Y . . . . . . . . Y . . . . . . . Y . . Y",
    "inspector": "Y . . Y . . . . Y . . . . . . . . Y . . . . . . Y . . . Y . Y . . . . .",
    "outsider":  ". . . . . . . . . . . . . . . . . . . . . . . . . . . . . . . . . . . .",
}  # fmt: skip


def test_the_tables_cover_every_action():
    assert set(COLUMNS) == set(Action), "a new Action needs a column in these tables"
    assert len(COLUMNS) == len(set(COLUMNS))


def _row(table: dict[str, str], persona: str) -> dict[Action, bool]:
    cells = table[persona].split()
    assert len(cells) == len(COLUMNS)
    return {action: cell == "Y" for action, cell in zip(COLUMNS, cells, strict=True)}


@pytest.fixture
def world(province):
    ld = make_unit("LDG", "UBND tỉnh Lâm Đồng", UnitType.UBND_TINH)
    objects = {**province.units, **province.staff, "ld": ld, "ld_cc": make_staff(ld)}
    return province, objects


def _fresh(user: User) -> User:
    """A new instance: the module memoises scopes on the user object."""
    return User.objects.get(pk=user.pk)


@pytest.mark.parametrize("persona", list(OBJECTS))
def test_permission_matrix(world, persona):
    province, objects = world
    user = _fresh(province.users[persona])
    in_unit, in_staff, out_unit, out_staff = (objects[k] for k in OBJECTS[persona])
    wrong = []
    for table, unit, staff in (
        (IN_SCOPE, in_unit, in_staff),
        (OUT_OF_SCOPE, out_unit, out_staff),
    ):
        for action, allowed in _row(table, persona).items():
            for obj in (unit, staff):
                if permissions.can(user, action, obj) != allowed:
                    wrong.append(f"{persona} {action} {obj}: expected {allowed}")
    for action, allowed in _row(ANYWHERE, persona).items():
        if permissions.can(user, action) != allowed:
            wrong.append(f"{persona} {action} anywhere: expected {allowed}")
    assert not wrong, "\n".join(wrong)


def test_anonymous_user_may_do_nothing(world):
    _, objects = world
    anonymous = AnonymousUser()
    for action in Action:
        assert not permissions.can(anonymous, action)
        assert not permissions.can(anonymous, action, objects["syt"])
        assert not permissions.can(anonymous, action, objects["syt_cc"])
    assert not permissions.filter_units(anonymous, A.UNIT_VIEW, Unit.objects.all()).exists()


def test_staff_member_sees_own_record_but_not_a_colleagues(world):
    province, objects = world
    user = _fresh(province.users["staff"])  # Nguyễn Văn An, Sở Y tế
    own, colleague = objects["syt_cc"], objects["head_syt"]
    assert permissions.can(user, A.STAFF_VIEW, own)
    assert not permissions.can(user, A.STAFF_VIEW, colleague)
    assert not permissions.can(user, A.STAFF_MANAGE, own)  # viewing only
    assert not permissions.can(user, A.STAFF_EXPORT, own)
    visible = permissions.filter_staff(user, A.STAFF_VIEW, Staff.objects.all())
    assert list(visible) == [own]
    assert not permissions.filter_staff(user, A.STAFF_EXPORT, Staff.objects.all()).exists()


def test_outsider_gets_empty_querysets_and_permission_denied(world):
    province, objects = world
    user = _fresh(province.users["outsider"])
    assert not permissions.filter_units(user, A.UNIT_VIEW, Unit.objects.all()).exists()
    assert not permissions.filter_staff(user, A.STAFF_VIEW, Staff.objects.all()).exists()
    assert permissions.scoped_unit_ids(user, A.UNIT_VIEW, [objects["syt"].pk]) == set()
    with pytest.raises(PermissionDenied):
        permissions.require(user, A.UNIT_VIEW, objects["syt"])


def test_system_admin_scope_is_everything_and_truthy(world):
    province, objects = world
    user = _fresh(province.users["admin"])
    scope = permissions.unit_scope(user, A.ADMIN_SITE)
    assert scope is EVERYTHING
    assert scope  # may() relies on it
    assert permissions.filter_staff(user, A.STAFF_VIEW, Staff.objects.all()).count() == (
        Staff.objects.count()
    )
    superuser = make_user("sieu_quan_tri")
    superuser.is_superuser = True
    superuser.save()
    assert permissions.can(_fresh(superuser), A.ADMIN_SITE)
    assert permissions.can(_fresh(superuser), A.STAFF_MANAGE, objects["ld_cc"])


def _head_of_syt_with(valid_from: date, valid_to: date | None) -> User:
    user = make_user(f"tam_{valid_from:%Y%m%d}")
    role_assign(
        actor=SYSTEM,
        user=user,
        role="unit_head",
        unit=Unit.objects.get(code="KHA-SYT"),
        include_subtree=True,
        valid_from=valid_from,
        valid_to=valid_to,
    )
    return _fresh(user)


def test_role_assignment_that_has_ended_grants_nothing_today(world):
    _, objects = world
    user = _head_of_syt_with(date(2024, 1, 1), date(2026, 1, 1))  # today is 21/11/2026
    assert not permissions.can(user, A.UNIT_VIEW, objects["syt"])
    assert not permissions.can(user, A.STAFF_VIEW, objects["nurse"])
    assert not permissions.can(user, A.STAFF_VIEW)
    assert permissions.roles_of(user) == set()
    # It held while it ran; the end date itself is excluded (half-open interval).
    assert objects["syt"].pk in permissions.unit_scope(user, A.UNIT_VIEW, date(2025, 12, 31))
    assert objects["syt"].pk not in permissions.unit_scope(user, A.UNIT_VIEW, date(2026, 1, 1))


def test_role_assignment_not_yet_started_grants_nothing_today(world):
    _, objects = world
    user = _head_of_syt_with(date(2027, 1, 1), None)
    assert not permissions.can(user, A.UNIT_VIEW, objects["syt"])
    assert not permissions.can(user, A.STAFF_VIEW, objects["nurse"])
    assert permissions.roles_of(user) == set()
    assert objects["syt"].pk in permissions.unit_scope(user, A.UNIT_VIEW, date(2027, 1, 1))


def test_inactive_user_may_do_nothing_not_even_see_own_record(world):
    province, objects = world
    for key in ("head_syt", "admin", "staff"):
        user = _fresh(province.users[key])
        user.is_active = False
        user.save()
        user = _fresh(user)
        for action in Action:
            assert not permissions.can(user, action), (key, action)
            assert not permissions.can(user, action, objects["syt"]), (key, action)
        assert not permissions.can(user, A.STAFF_VIEW, objects["syt_cc"])
        assert permissions.roles_of(user) == set()


def test_noi_vu_officer_covers_the_ended_units_of_ninh_thuan_and_the_district(world):
    province, objects = world
    user = _fresh(province.users["snv"])  # Sở Nội vụ role over Khánh Hòa and its subtree
    for ended in ("nt", "nt_snv", "huyen", "xa_old"):
        assert objects[ended].valid_to is not None
        assert permissions.can(user, A.UNIT_VIEW, objects[ended]), ended
        assert permissions.can(user, A.UNIT_MANAGE, objects[ended]), ended
    assert permissions.can(user, A.STAFF_VIEW, objects["nt_cc"])  # came from Ninh Thuận
    assert not permissions.can(user, A.UNIT_VIEW, objects["ld"])


def test_head_of_justice_does_not_cover_health(world):
    province, objects = world
    user = _fresh(province.users["head_stp"])
    for key in ("syt", "bv", "nt", "nt_snv", "huyen", "xa_old", "kh"):
        assert not permissions.can(user, A.UNIT_VIEW, objects[key]), key
    for key in ("head_syt", "syt_cc", "nurse", "nt_cc"):
        assert not permissions.can(user, A.STAFF_VIEW, objects[key]), key
    assert permissions.unit_scope(user, A.STAFF_VIEW) == {objects["stp"].pk}


def test_unit_head_subtree_covers_the_hospital_but_staff_role_without_subtree_does_not(world):
    province, objects = world
    head = _fresh(province.users["head_syt"])
    staff = _fresh(province.users["staff"])
    assert permissions.unit_scope(head, A.STAFF_VIEW) == {objects["syt"].pk, objects["bv"].pk}
    assert permissions.unit_scope(staff, A.UNIT_VIEW) == {objects["syt"].pk}


# --- Citizens' personal data: never implied by "all permissions" --------------------------


def _superuser(username: str = "sieu_quan_tri_2") -> User:
    user = User.objects.filter(username=username).first() or make_user(username)
    user.is_superuser = True
    user.save()
    return _fresh(user)


@pytest.mark.parametrize("action", sorted(permissions.RESTRICTED_ACTIONS))
def test_neither_the_admin_role_nor_a_superuser_holds_a_restricted_action(world, action):
    province, objects = world
    for user in (_fresh(province.users["admin"]), _superuser()):
        assert permissions.unit_scope(user, action) == frozenset(), user.username
        assert not permissions.can(user, action)
        assert not permissions.can(user, action, objects["syt"])
    assert permissions.unit_scope(_superuser(), A.ADMIN_SITE) is EVERYTHING  # the rest stays


def test_a_superuser_given_the_designated_role_reads_identity_in_its_scope_only(world):
    province, objects = world
    superuser = _superuser()
    role_assign(
        actor=province.users["admin"],
        user=superuser,
        role="reporter_reader",
        unit=objects["syt"],
        valid_from=date(2026, 1, 1),
    )
    superuser = _fresh(superuser)
    assert permissions.can(superuser, A.REPORTER_IDENTITY, objects["syt"])
    assert not permissions.can(superuser, A.REPORTER_IDENTITY, objects["stp"])
    assert permissions.can(superuser, A.STAFF_MANAGE, objects["ld_cc"])  # still superuser


def test_so_noi_vu_reads_identity_only_once_designated(world):
    province, objects = world
    officer = _fresh(province.users["snv"])
    assert not report_check_identity(officer, Report(unit_id=objects["syt"].pk, official_id=None))
    role_assign(
        actor=province.users["admin"],
        user=officer,
        role="reporter_reader",
        unit=objects["kh"],
        include_subtree=True,
        valid_from=date(2026, 1, 1),
    )
    officer = _fresh(officer)
    for key in ("syt", "bv", "stp", "nt_snv"):
        assert report_check_identity(officer, Report(unit_id=objects[key].pk, official_id=None)), (
            key
        )
    about_themself = Report(unit_id=objects["snv"].pk, official_id=objects["snv_cc"].pk)
    assert not report_check_identity(officer, about_themself)  # never about themself
    assert not permissions.can(officer, A.REPORTER_IDENTITY, objects["ld"])


# --- Grants --------------------------------------------------------------------------------


def _refusal(user: User, role: str, grantee: User, unit, subtree: bool = False) -> str:
    return permissions.grant_refusal(
        _fresh(user),
        role=role,
        grantee_id=grantee.pk,
        unit_id=unit.pk if unit else None,
        subtree=subtree,
    )


def test_who_may_grant_which_role(world):
    province, objects = world
    u = province.users
    target = u["outsider"]
    # Sở Nội vụ grants ordinary roles inside the province, not outside, not admin, not the reader.
    assert _refusal(u["snv"], "handler", target, objects["syt"], subtree=True) == ""
    assert _refusal(u["snv"], "handler", target, objects["ld"])
    assert _refusal(u["snv"], "admin", target, None)
    assert _refusal(u["snv"], "reporter_reader", target, objects["syt"])
    assert _refusal(u["snv"], "reporter_reader", u["snv"], objects["syt"])
    # The system administrator grants the reader, but never to themself.
    assert _refusal(u["admin"], "reporter_reader", u["snv"], objects["kh"], subtree=True) == ""
    assert "khác" in _refusal(u["admin"], "reporter_reader", u["admin"], objects["kh"])
    assert "khác" in _refusal(_superuser(), "reporter_reader", _superuser(), objects["kh"])
    # Everyone else grants nothing.
    for key in ("head_syt", "staff", "leader", "mttq", "council", "inspector", "outsider"):
        assert _refusal(u[key], "staff", target, objects["syt"]), key


def test_a_subtree_grant_needs_the_whole_subtree_in_the_granters_scope(world):
    province, objects = world
    narrow = make_user("snv_hep")
    role_assign(
        actor=SYSTEM,
        user=narrow,
        role="so_noi_vu",
        unit=objects["syt"],
        valid_from=date(2024, 1, 1),
    )  # Sở Y tế alone, not its hospital
    target = province.users["outsider"]
    assert _refusal(narrow, "unit_head", target, objects["syt"]) == ""
    assert _refusal(narrow, "unit_head", target, objects["syt"], subtree=True)
    assert _refusal(narrow, "unit_head", target, objects["bv"])


# --- Ratings: who calls back -----------------------------------------------------------------


def test_only_the_units_handler_calls_back_and_never_about_themself(world):
    province, objects = world
    staff = make_staff(objects["syt"], "Phan", "Thị", "Hoa")
    handler = make_user("xuly_syt", staff)
    role_assign(
        actor=SYSTEM, user=handler, role="handler", unit=objects["syt"], valid_from=date(2024, 1, 1)
    )
    handler = _fresh(handler)
    syt = objects["syt"].pk
    assert rating_check_call_back(handler, Rating(unit_id=syt, staff_id=None))
    assert rating_check_call_back(handler, Rating(unit_id=syt, staff_id=objects["syt_cc"].pk))
    assert not rating_check_call_back(handler, Rating(unit_id=syt, staff_id=staff.pk))
    assert not rating_check_call_back(handler, Rating(unit_id=objects["stp"].pk, staff_id=None))
    for key in ("admin", "snv", "head_syt", "leader", "inspector", "staff", "outsider"):
        user = _fresh(province.users[key])
        assert not rating_check_call_back(user, Rating(unit_id=syt, staff_id=None)), key
    assert not rating_check_call_back(_superuser(), Rating(unit_id=syt, staff_id=None))


# --- API tokens: who may revoke ----------------------------------------------------------------


def test_who_may_revoke_a_logins_api_tokens(world):
    province, _ = world
    u = province.users
    owner = u["head_syt"]  # Sở Y tế
    for key, allowed in (
        ("head_syt", True),
        ("admin", True),
        ("snv", True),
        ("head_stp", False),
        ("staff", False),
        ("leader", False),
        ("outsider", False),
    ):
        assert permissions.can_revoke_tokens(_fresh(u[key]), owner) is allowed, key
    system = u["mttq"]  # a system account: no staff record
    assert permissions.can_revoke_tokens(_fresh(u["admin"]), system)
    assert not permissions.can_revoke_tokens(_fresh(u["snv"]), system)
    assert not permissions.can_revoke_tokens(AnonymousUser(), owner)
