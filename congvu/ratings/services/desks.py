"""Service points and their QR tokens: create, edit or pause, re-issue the token."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from congvu.core import permissions
from congvu.core.audit import audit_record
from congvu.core.permissions import Action
from congvu.core.text import nfc
from congvu.organisations.models import Staff, Unit
from congvu.ratings.models import (
    DeskKind,
    DeskToken,
    ServicePoint,
)
from congvu.ratings.services.common import (
    in_scope,
    require_desk_manage,
    user_or_none,
)

if TYPE_CHECKING:
    from congvu.accounts.models import User


def _new_token() -> str:
    return secrets.token_urlsafe(16)  # 128 bits: a poster cannot be guessed from another


def _issue_token(actor: User, desk: ServicePoint, now: datetime) -> DeskToken:
    return DeskToken.objects.create(
        desk=desk, token=_new_token(), issued_at=now, issued_by=user_or_none(actor)
    )


@dataclass(frozen=True)
class DeskSpec:
    unit: Unit
    kind: str
    name: str
    staff: Staff | None = None
    location: str = ""


def _check_desk(actor: User, spec: DeskSpec, *, exclude_pk: int | None = None) -> tuple[str, str]:
    problems = []
    name, location = nfc(spec.name), nfc(spec.location)
    if spec.kind not in DeskKind.values:
        problems.append(_("Loại điểm đánh giá không hợp lệ."))
    if not name:
        problems.append(_("Cần đặt tên điểm đánh giá (ví dụ «Quầy số 3 – Lĩnh vực đất đai»)."))
    elif len(name) > 120:
        problems.append(_("Tên điểm đánh giá dài tối đa 120 ký tự."))
    if len(location) > 200:
        problems.append(_("Vị trí dài tối đa 200 ký tự."))
    if spec.unit.valid_to is not None:
        problems.append(_("Đơn vị %(name)s đã chấm dứt hoạt động.") % {"name": spec.unit.name})
    if spec.kind == DeskKind.OFFICIAL:
        if spec.staff is None:
            problems.append(_("Điểm đánh giá cán bộ cần chọn cán bộ."))
        elif not spec.staff.is_active:
            problems.append(
                _("%(full_name)s không còn công tác.") % {"full_name": spec.staff.full_name}
            )
        elif spec.staff.unit_id is None or not in_scope(
            permissions.unit_scope(actor, Action.DESK_MANAGE), spec.staff.unit_id
        ):
            problems.append(_("Không tìm thấy cán bộ này trong phạm vi quản lý của bạn."))
    elif spec.staff is not None:
        problems.append(_("Chỉ điểm đánh giá loại «Cán bộ tại quầy» mới gắn với một cán bộ."))
    if name:
        clash = ServicePoint.objects.filter(unit=spec.unit, name__iexact=name, is_active=True)
        if exclude_pk is not None:
            clash = clash.exclude(pk=exclude_pk)
        if clash.exists():
            problems.append(_("Đơn vị đã có điểm đánh giá «%(name)s».") % {"name": name})
    if problems:
        raise ValidationError(problems)
    return name, location


def desk_create(*, actor: User, spec: DeskSpec) -> ServicePoint:
    """A new service point with its first QR token."""
    require_desk_manage(actor, spec.unit.pk)
    name, location = _check_desk(actor, spec)
    now = timezone.now()
    with transaction.atomic():
        desk = ServicePoint.objects.create(
            unit=spec.unit,
            kind=spec.kind,
            name=name,
            staff=spec.staff,
            location=location,
            created_at=now,
            created_by=user_or_none(actor),
        )
        token = _issue_token(actor, desk, now)
        audit_record(
            actor=actor,
            action="desk.create",
            obj=desk,
            unit=spec.unit.code,
            kind=spec.kind,
            staff=spec.staff.code if spec.staff else "",
            token=token.token[:6],
        )
    return desk


def desk_update(
    *, actor: User, desk: ServicePoint, name: str, location: str, is_active: bool
) -> ServicePoint:
    """Rename, move or pause a desk. Its unit and official stay: a different official is a
    different desk, so that past ratings keep pointing at whom they rated."""
    require_desk_manage(actor, desk.unit_id)
    if is_active:
        spec = DeskSpec(desk.unit, desk.kind, name, desk.staff, location)
        name, location = _check_desk(actor, spec, exclude_pk=desk.pk)
    else:  # pausing a desk needs no more than sound text
        name, location = _check_desk_text(name, location)
    before = {"name": desk.name, "location": desk.location, "is_active": desk.is_active}
    with transaction.atomic():
        desk.name, desk.location, desk.is_active = name, location, is_active
        desk.save(update_fields=["name", "location", "is_active"])
        after = {"name": name, "location": location, "is_active": is_active}
        audit_record(actor=actor, action="desk.update", obj=desk, before=before, after=after)
    return desk


def _check_desk_text(name: str, location: str) -> tuple[str, str]:
    name, location = nfc(name), nfc(location)
    if not name or len(name) > 120 or len(location) > 200:
        raise ValidationError(
            _("Tên (tối đa 120 ký tự) và vị trí (tối đa 200 ký tự) không hợp lệ.")
        )
    return name, location


def desk_token_rotate(*, actor: User, desk: ServicePoint) -> DeskToken:
    """Revoke the desk's current token and issue a new one: old posters stop working."""
    require_desk_manage(actor, desk.unit_id)
    if not desk.is_active:
        raise ValidationError(
            _("Điểm đánh giá đang tạm dừng: hãy mở lại trước khi in áp phích mới.")
        )
    now = timezone.now()
    with transaction.atomic():
        old = DeskToken.objects.select_for_update().filter(desk=desk, revoked_at__isnull=True)
        revoked = [t.token[:6] for t in old]
        old.update(revoked_at=now, revoked_by=user_or_none(actor))
        token = _issue_token(actor, desk, now)
        audit_record(
            actor=actor,
            action="desk.token_rotate",
            obj=desk,
            revoked=revoked,
            issued=token.token[:6],
        )
    return token
