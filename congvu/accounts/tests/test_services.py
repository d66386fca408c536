"""Role grants within the granter's scope (sensitive ones audited), and API tokens: revoked by
their owner, an administrator, the command line, or any change of the owner's password."""

from datetime import date
from io import StringIO

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse

from congvu.accounts.models import ApiToken, RoleAssignment, User
from congvu.accounts.services import (
    role_assign,
    role_end,
    token_authenticate,
    token_create,
    token_revoke,
)
from congvu.core.actors import SYSTEM
from congvu.core.models import AuditLog
from congvu.testing import PASSWORD

pytestmark = pytest.mark.django_db

UNITS = "/api/v1/units"


def _fresh(user: User) -> User:
    return User.objects.get(pk=user.pk)


def bearer(key: str) -> Client:
    return Client(HTTP_AUTHORIZATION=f"Bearer {key}")


# --- Grants --------------------------------------------------------------------------------


def test_the_service_refuses_a_grant_outside_the_granters_scope(province):
    snv, head = _fresh(province.users["snv"]), _fresh(province.users["head_syt"])
    target = province.users["outsider"]
    for actor, role, unit in (
        (snv, "admin", None),  # only a system administrator grants admin
        (snv, "reporter_reader", province.units["syt"]),  # nor the designated reader
        (head, "staff", province.units["syt"]),  # a unit head manages no roles
    ):
        with pytest.raises(PermissionDenied):
            role_assign(
                actor=actor, user=target, role=role, unit=unit, valid_from=date(2026, 12, 1)
            )
    assert not RoleAssignment.objects.filter(user=target).exists()
    assert not AuditLog.objects.filter(action="role.assign", data__user="nguoingoai").exists()


def test_an_administrator_cannot_designate_themself_but_another_can(province):
    admin = _fresh(province.users["admin"])
    with pytest.raises(PermissionDenied):
        role_assign(
            actor=admin,
            user=admin,
            role="reporter_reader",
            unit=province.units["kh"],
            valid_from=date(2026, 12, 1),
        )
    other = User.objects.create(username="quantri2")
    role_assign(actor=SYSTEM, user=other, role="admin", unit=None, valid_from=date(2026, 1, 1))
    role_assign(
        actor=_fresh(other),
        user=admin,
        role="reporter_reader",
        unit=province.units["kh"],
        include_subtree=True,
        valid_from=date(2026, 11, 1),
    )
    assert RoleAssignment.objects.filter(user=admin, role="reporter_reader").exists()


def test_the_designated_role_is_granted_as_a_sensitive_audited_grant(province, caplog):
    admin, snv = province.users["admin"], province.users["snv"]
    with caplog.at_level("INFO", logger="congvu.audit"):
        grant = role_assign(
            actor=_fresh(admin),
            user=snv,
            role="reporter_reader",
            unit=province.units["kh"],
            include_subtree=True,
            valid_from=date(2026, 11, 1),
        )
    record = AuditLog.objects.get(action="role.assign", object_id=str(grant.pk))
    assert record.actor == admin
    assert record.data == {
        "user": "sonoivu",
        "role": "reporter_reader",
        "unit": "KHA",
        "subtree": True,
        "sensitive": True,
    }
    assert [r.getMessage() for r in caplog.records] == ["role.sensitive_grant"]
    role_end(actor=admin, assignment=grant, day=date(2026, 12, 1))
    assert AuditLog.objects.get(action="role.end").data["sensitive"] is True
    ordinary = role_assign(
        actor=_fresh(snv),
        user=province.users["outsider"],
        role="staff",
        unit=province.units["syt"],
        valid_from=date(2026, 11, 1),
    )
    assert (
        AuditLog.objects.get(object_id=str(ordinary.pk), action="role.assign").data["sensitive"]
        is False
    )


def test_the_admin_form_cannot_grant_the_designated_role_but_an_administrator_can(client, province):
    form = {
        "user": province.users["snv"].pk,
        "role": "reporter_reader",
        "unit": province.units["kh"].pk,
        "include_subtree": "on",
        "valid_from": "01/12/2026",
    }
    client.force_login(province.users["snv"])
    response = client.post("/quan-tri/accounts/roleassignment/add/", form)
    assert response.status_code == 200 and "Chỉ quản trị hệ thống" in response.content.decode()
    client.force_login(province.users["admin"])
    assert client.post("/quan-tri/accounts/roleassignment/add/", form).status_code == 302
    grant = RoleAssignment.objects.get(role="reporter_reader")
    assert AuditLog.objects.get(action="role.assign", object_id=str(grant.pk)).data["sensitive"]


# --- API tokens --------------------------------------------------------------------------------


def test_a_token_revoked_by_its_owner_is_401_and_audited(province):
    owner = province.users["head_syt"]
    key = token_create(actor=SYSTEM, user=owner, label="một cửa")
    assert bearer(key).get(UNITS).status_code == 200
    token = ApiToken.objects.get(user=owner)
    token_revoke(actor=_fresh(owner), token=token)
    assert bearer(key).get(UNITS).status_code == 401
    record = AuditLog.objects.get(action="token.revoke")
    assert (record.actor, record.data["prefix"], record.data["reason"]) == (owner, key[:8], "owner")
    assert key not in str(record.data)  # never the key itself


def test_another_login_cannot_revoke_someone_elses_token(province):
    key = token_create(actor=SYSTEM, user=province.users["head_syt"])
    token = ApiToken.objects.get()
    for persona in ("head_stp", "staff", "leader", "outsider"):
        with pytest.raises(PermissionDenied):
            token_revoke(actor=_fresh(province.users[persona]), token=token)
    assert bearer(key).get(UNITS).status_code == 200
    token_revoke(actor=_fresh(province.users["snv"]), token=token)  # ROLE_MANAGE over Sở Y tế
    assert bearer(key).get(UNITS).status_code == 401


def test_a_password_changed_in_code_stops_the_old_token(province):
    user = province.users["head_syt"]
    key = token_create(actor=SYSTEM, user=user)
    assert token_authenticate(key) == user
    user = _fresh(user)
    user.set_password("Mot-mat-khau-moi-2026")
    user.save()
    assert bearer(key).get(UNITS).status_code == 401
    token = ApiToken.objects.get()
    assert token.revoked_at is not None  # revoked for good, not only refused
    assert AuditLog.objects.get(action="token.revoke").data["reason"] == "password_changed"
    new_key = token_create(actor=SYSTEM, user=user)
    assert bearer(new_key).get(UNITS).status_code == 200


def test_the_changepassword_command_stops_the_old_token(province, monkeypatch):
    key = token_create(actor=SYSTEM, user=province.users["head_syt"])
    monkeypatch.setattr("getpass.getpass", lambda prompt="": "Mot-mat-khau-moi-2026")
    call_command("changepassword", "gd_syt", stdout=StringIO())
    assert bearer(key).get(UNITS).status_code == 401


def test_the_password_change_page_revokes_the_tokens_audited(client, province):
    user = province.users["head_syt"]
    keys = [token_create(actor=SYSTEM, user=user, label=str(n)) for n in range(2)]
    client.force_login(user)
    response = client.post(
        reverse("password_change"),
        {
            "old_password": PASSWORD,
            "new_password1": "Mot-mat-khau-moi-2026",
            "new_password2": "Mot-mat-khau-moi-2026",
        },
    )
    assert response.status_code == 302
    assert not ApiToken.objects.filter(user=user, revoked_at__isnull=True).exists()
    revokes = AuditLog.objects.filter(action="token.revoke")
    assert revokes.count() == 2 and {r.actor for r in revokes} == {user}
    assert {r.data["reason"] for r in revokes} == {"password_change"}
    for key in keys:
        assert bearer(key).get(UNITS).status_code == 401


def test_a_password_set_in_the_admin_revokes_the_tokens(client, province):
    key = token_create(actor=SYSTEM, user=province.users["head_syt"])
    client.force_login(province.users["admin"])
    url = reverse("admin:auth_user_password_change", args=[province.users["head_syt"].pk])
    response = client.post(
        url,
        {
            "password1": "Mot-mat-khau-moi-2026",
            "password2": "Mot-mat-khau-moi-2026",
            "usable_password": "true",
        },
    )
    assert response.status_code == 302
    assert bearer(key).get(UNITS).status_code == 401
    record = AuditLog.objects.get(action="token.revoke")
    assert (record.actor, record.data["reason"]) == (province.users["admin"], "password_set")


def test_the_admin_action_revokes_the_selected_tokens(client, province):
    key = token_create(actor=SYSTEM, user=province.users["head_syt"])
    token = ApiToken.objects.get()
    client.force_login(province.users["admin"])
    response = client.post(
        reverse("admin:accounts_apitoken_changelist"),
        {"action": "revoke", "_selected_action": [token.pk], "index": 0},
    )
    assert response.status_code == 302
    assert bearer(key).get(UNITS).status_code == 401
    record = AuditLog.objects.get(action="token.revoke")
    assert (record.actor, record.data["reason"]) == (province.users["admin"], "admin")


def test_the_token_command_lists_and_revokes(province):
    user = province.users["head_syt"]
    first, second, third = (token_create(actor=SYSTEM, user=user, label=f"k{n}") for n in range(3))
    out = StringIO()
    call_command("token", "gd_syt", "--list", stdout=out)
    assert first[:8] in out.getvalue() and "đang dùng" in out.getvalue()
    assert first not in out.getvalue()  # only the prefix
    call_command("token", "gd_syt", "--revoke", first[:8], stdout=StringIO())
    assert bearer(first).get(UNITS).status_code == 401
    assert bearer(second).get(UNITS).status_code == 200
    with pytest.raises(CommandError):
        call_command("token", "gd_syt", "--revoke", first[:8], stdout=StringIO())
    out = StringIO()
    call_command("token", "gd_syt", "--revoke-all", stdout=out)
    assert "2 khóa" in out.getvalue()
    assert bearer(second).get(UNITS).status_code == 401
    assert bearer(third).get(UNITS).status_code == 401
    reasons = AuditLog.objects.filter(action="token.revoke").values_list("data__reason", flat=True)
    assert list(reasons) == ["command"] * 3


def test_the_owners_page_lists_and_revokes_only_their_own_tokens(client, province):
    mine = token_create(actor=SYSTEM, user=province.users["head_syt"], label="Một cửa Sở Y tế")
    theirs = token_create(actor=SYSTEM, user=province.users["head_stp"], label="Một cửa Tư pháp")
    client.force_login(province.users["head_syt"])
    page = client.get(reverse("api_tokens")).content.decode()
    assert "Một cửa Sở Y tế" in page and mine[:8] in page
    assert "Một cửa Tư pháp" not in page and theirs[:8] not in page and mine not in page
    other = ApiToken.objects.get(user=province.users["head_stp"])
    assert client.post(reverse("api_tokens"), {"khoa": other.pk}).status_code == 404
    assert client.post(reverse("api_tokens"), {"khoa": "x"}).status_code == 404
    assert bearer(theirs).get(UNITS).status_code == 200
    own = ApiToken.objects.get(user=province.users["head_syt"])
    assert client.post(reverse("api_tokens"), {"khoa": own.pk}).status_code == 302
    assert bearer(mine).get(UNITS).status_code == 401
    assert "Đã thu hồi" in client.get(reverse("api_tokens")).content.decode()
    assert AuditLog.objects.get(action="token.revoke").actor == province.users["head_syt"]
