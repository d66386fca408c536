"""Writers for accounts, role assignments and API tokens."""

import hashlib
import secrets
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from congvu.accounts.models import ApiToken, Role, RoleAssignment, User
from congvu.core.audit import audit_record
from congvu.organisations.models import Staff, Unit


def user_create(
    *, actor, username: str, password: str | None, staff: Staff | None = None, email: str = ""
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


def role_assign(
    *,
    actor,
    user: User,
    role: str,
    unit: Unit | None,
    valid_from: date,
    include_subtree: bool = False,
    valid_to: date | None = None,
) -> RoleAssignment:
    if role not in Role.values:
        raise ValidationError(f"Vai trò không hợp lệ: {role}.")
    if role != Role.ADMIN and unit is None:
        raise ValidationError("Vai trò này cần một phạm vi đơn vị.")
    if valid_to is not None and valid_to <= valid_from:
        raise ValidationError("Ngày kết thúc phải sau ngày bắt đầu.")
    with transaction.atomic():
        assignment = RoleAssignment.objects.create(
            user=user, role=role, unit=unit, include_subtree=include_subtree,
            valid_from=valid_from, valid_to=valid_to,
        )  # fmt: skip
        audit_record(
            actor=actor, action="role.assign", obj=assignment, user=user.username, role=role,
            unit=getattr(unit, "code", None), subtree=include_subtree,
        )  # fmt: skip
    return assignment


def role_end(*, actor, assignment: RoleAssignment, day: date) -> RoleAssignment:
    if day <= assignment.valid_from:
        raise ValidationError("Ngày kết thúc phải sau ngày bắt đầu.")
    with transaction.atomic():
        assignment.valid_to = day
        assignment.save(update_fields=["valid_to"])
        audit_record(actor=actor, action="role.end", obj=assignment, day=str(day))
    return assignment


def _hash(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def token_create(*, actor, user: User, label: str = "") -> str:
    """Create a token and return it in clear; only its hash is stored."""
    key = "cv_" + secrets.token_urlsafe(32)
    with transaction.atomic():
        token = ApiToken.objects.create(user=user, key_hash=_hash(key), prefix=key[:8], label=label)
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
    now = timezone.now()
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 300:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user
