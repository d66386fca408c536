"""Writers for accounts, role assignments and API tokens."""

import hashlib
import hmac
import secrets
from datetime import date

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import DatabaseError, transaction
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _

from congvu.accounts.models import ApiToken, Role, RoleAssignment, User
from congvu.core import permissions
from congvu.core.actors import SYSTEM, SystemActor, is_system
from congvu.core.audit import audit_record
from congvu.core.database import is_unavailable
from congvu.core.logging import log_event
from congvu.organisations.models import Staff, Unit


def user_create(
    *,
    actor: User | SystemActor,
    username: str,
    password: str | None,
    staff: Staff | None = None,
    email: str = "",
) -> User:
    with transaction.atomic():
        user = User(username=username, email=email, staff=staff)
        if staff is not None:
            user.first_name, user.last_name = staff.ten, f"{staff.ho} {staff.dem}".strip()
        if password:
            user.set_password(password)
        else:
            user.set_unusable_password()
        user.full_clean(exclude=["password"])
        user.save()
        audit_record(
            actor=actor, action="user.create", obj=user, staff=getattr(staff, "code", None)
        )
    return user


def role_grant_refusal(
    *, actor: User | SystemActor, user: User, role: str, unit: Unit | None, include_subtree: bool
) -> str:
    """Why ``actor`` may not make this grant ("" when they may). a ``SystemActor`` is the system
    (seeds, the demo, the command line): it may grant anything."""
    if is_system(actor):
        return ""
    return permissions.grant_refusal(
        actor,
        role=role,
        grantee_id=user.pk,
        unit_id=getattr(unit, "pk", None),
        subtree=include_subtree,
    )


def role_assign(
    *,
    actor: User | SystemActor,
    user: User,
    role: str,
    unit: Unit | None,
    valid_from: date,
    include_subtree: bool = False,
    valid_to: date | None = None,
) -> RoleAssignment:
    """Grant ``role`` over ``unit``, within the granter's own scope (``role_grant_refusal``).
    A grant of a role that reaches citizens' personal data is audited as sensitive."""
    if role not in Role.values:
        raise ValidationError(_("Vai trò không hợp lệ: %(role)s.") % {"role": role})
    if role != Role.ADMIN and unit is None:
        raise ValidationError(_("Vai trò này cần một phạm vi đơn vị."))
    if valid_to is not None and valid_to <= valid_from:
        raise ValidationError(_("Ngày kết thúc phải sau ngày bắt đầu."))
    refusal = role_grant_refusal(
        actor=actor, user=user, role=role, unit=unit, include_subtree=include_subtree
    )
    if refusal:  # never for actor=SYSTEM, the system
        log_event("access.denied", user=actor.pk, action="role.assign", role=role)
        raise PermissionDenied(refusal)
    sensitive = role in permissions.SENSITIVE_ROLES
    with transaction.atomic():
        assignment = RoleAssignment.objects.create(
            user=user,
            role=role,
            unit=unit,
            include_subtree=include_subtree,
            valid_from=valid_from,
            valid_to=valid_to,
        )
        audit_record(
            actor=actor,
            action="role.assign",
            obj=assignment,
            user=user.username,
            role=role,
            unit=getattr(unit, "code", None),
            subtree=include_subtree,
            sensitive=sensitive,
        )
    if sensitive:
        log_event(
            "role.sensitive_grant",
            user=getattr(actor, "pk", None),
            grantee=user.pk,
            role=role,
            assignment=assignment.pk,
        )
    return assignment


def role_end(*, actor: User | SystemActor, assignment: RoleAssignment, day: date) -> RoleAssignment:
    if day <= assignment.valid_from:
        raise ValidationError(_("Ngày kết thúc phải sau ngày bắt đầu."))
    with transaction.atomic():
        assignment.valid_to = day
        assignment.save(update_fields=["valid_to"])
        audit_record(
            actor=actor,
            action="role.end",
            obj=assignment,
            day=str(day),
            sensitive=assignment.role in permissions.SENSITIVE_ROLES,
        )
    return assignment


def _hash(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


STAMP_SALT = "congvu.accounts.api-token-password"  # repeated in migration 0005: keep in step


def _stamp(password: str, secret: str) -> str:
    return salted_hmac(STAMP_SALT, password, secret=secret).hexdigest()[:16]


def password_stamp(user: User) -> str:
    """A keyed hash of the user's password hash: it changes whenever the password does."""
    return _stamp(user.password, settings.SECRET_KEY)


def _stamp_matches(token: ApiToken, user: User) -> bool:
    """Against SECRET_KEY and its fallbacks, so that rotating the key keeps tokens working."""
    keys = [settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", [])]
    stamp = token.password_stamp
    return bool(stamp) and any(hmac.compare_digest(stamp, _stamp(user.password, k)) for k in keys)


def token_create(*, actor: User | SystemActor, user: User, label: str = "") -> str:
    """Create a token and return it in clear; only its hash is stored."""
    key = "cv_" + secrets.token_urlsafe(32)
    with transaction.atomic():
        token = ApiToken.objects.create(
            user=user,
            key_hash=_hash(key),
            prefix=key[:8],
            label=label,
            password_stamp=password_stamp(user),
        )
        audit_record(actor=actor, action="token.create", obj=token, user=user.username)
    return key


def token_authenticate(key: str) -> User | None:
    token = (
        ApiToken.objects.select_related("user")
        .filter(key_hash=_hash(key), revoked_at__isnull=True, user__is_active=True)
        .first()
    )
    if token is None:
        return None
    if not _stamp_matches(token, token.user):  # the password changed since: revoked for good
        try:
            _revoke([token], actor=SYSTEM, reason="password_changed")
        except DatabaseError as exc:
            if not is_unavailable(exc):
                raise  # refused all the same; revoked on a later use
        return None
    now = timezone.now()
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 300:
        try:
            with transaction.atomic():  # a savepoint inside a transaction: it stays usable
                ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        except DatabaseError as exc:
            if not is_unavailable(exc):
                raise  # a read-only or busy database still answers API reads (R2)
    return token.user


def _revoke(tokens: list[ApiToken], *, actor: User | SystemActor, reason: str) -> int:
    """Revoke the tokens still active, each audited; how many were revoked."""
    now = timezone.now()
    done = 0
    with transaction.atomic():
        for token in tokens:
            active = ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True)
            if not active.update(revoked_at=now):
                continue  # revoked meanwhile
            token.revoked_at = now
            audit_record(
                actor=actor,
                action="token.revoke",
                obj=token,
                user=token.user.username,
                prefix=token.prefix,
                reason=reason,
            )
            done += 1
    return done


def token_revoke(*, actor: User | SystemActor, token: ApiToken, reason: str = "") -> ApiToken:
    """Revoke one token: its owner, a system administrator or ROLE_MANAGE over the owner's
    unit (``permissions.can_revoke_tokens``); a ``SystemActor`` is the command line."""
    if not is_system(actor) and not permissions.can_revoke_tokens(actor, token.user):
        log_event("access.denied", user=actor.pk, action="token.revoke")
        raise PermissionDenied
    reason = reason or ("owner" if getattr(actor, "pk", None) == token.user_id else "revoked")
    _revoke([token], actor=actor, reason=reason)
    return token


def tokens_revoke_all(*, actor: User | SystemActor, user: User, reason: str) -> int:
    """Revoke every active token of ``user`` (all of them, or on a password change)."""
    if not is_system(actor) and not permissions.can_revoke_tokens(actor, user):
        log_event("access.denied", user=actor.pk, action="token.revoke")
        raise PermissionDenied
    tokens = list(ApiToken.objects.filter(user=user, revoked_at__isnull=True).order_by("pk"))
    return _revoke(tokens, actor=actor, reason=reason)
