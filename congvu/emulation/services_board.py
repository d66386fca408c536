"""Writers of the honour board's good models (mô hình hay, cách làm hiệu quả), and the
board's cache version. One transaction each, an audit record each; bad input is a
``ValidationError`` in Vietnamese that changes nothing. A good model is never deleted:
withdrawn, with its reason in the audit record."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from congvu.core import permissions
from congvu.core.audit import audit_record
from congvu.core.logging import log_event
from congvu.core.permissions import Action
from congvu.core.text import clean_text
from congvu.emulation.models import GoodModel

if TYPE_CHECKING:
    from congvu.accounts.models import User
    from congvu.organisations.models import Unit

BOARD_VERSION_KEY = "congvu:emulation-board-version"
TITLE_MAX = 255
TEXT_MAX = 4000


def _bump() -> None:
    try:
        cache.incr(BOARD_VERSION_KEY)
    except ValueError:
        cache.set(BOARD_VERSION_KEY, 2, None)


def board_changed() -> None:
    """The public board's cached pages are stale: call it in the transaction that issues a
    decision, revokes an achievement or publishes or withdraws a good model. The version is
    bumped now and again once that transaction commits: a request served in between may have
    cached the old rows under the first bump. The board's query never relies on it for
    correctness: it excludes drafts and revoked rows itself."""
    _bump()
    transaction.on_commit(_bump)


def board_version() -> int:
    return int(cache.get_or_set(BOARD_VERSION_KEY, 1, None) or 1)


def _denied(actor: Any, action: str) -> PermissionDenied:
    log_event("access.denied", user=getattr(actor, "pk", None), action=action)
    return PermissionDenied()


def goodmodel_record(
    *, actor: User, unit: Unit, year: int, title: str, description: str
) -> GoodModel:
    """A unit head (``emulation.propose`` over the unit) records a good model of the unit;
    it reaches the board only when Sở Nội vụ publishes it."""
    if not permissions.can(actor, Action.EMULATION_PROPOSE, unit):
        raise _denied(actor, "emulation.goodmodel_record")
    today = timezone.localdate()
    if unit.valid_to is not None and unit.valid_to <= today:
        raise ValidationError(_("Đơn vị đã chấm dứt hoạt động."))
    if not isinstance(year, int) or not 1945 <= year <= today.year:
        raise ValidationError(_("Năm phải từ 1945 đến năm nay."))
    title = " ".join(clean_text(title, TITLE_MAX).split())
    if not title:
        raise ValidationError(_("Cần ghi tên mô hình."))
    description = clean_text(description, TEXT_MAX)
    if not description:
        raise ValidationError(_("Cần mô tả mô hình, cách làm."))
    with transaction.atomic():
        model = GoodModel.objects.create(
            unit=unit, year=year, title=title, description=description, created_by=actor
        )
        audit_record(actor=actor, action="emulation.goodmodel_record", obj=model, unit=unit.code)
    return model


def _check_manage(actor: Any, model: GoodModel, action: str) -> None:
    if not permissions.can(actor, Action.EMULATION_MANAGE, model.unit):
        raise _denied(actor, action)


def goodmodel_publish(*, actor: User, model: GoodModel) -> GoodModel:
    """Sở Nội vụ (``emulation.manage`` over the unit) shows the good model on the board (again,
    after a withdrawal)."""
    _check_manage(actor, model, "emulation.goodmodel_publish")
    with transaction.atomic():
        model = GoodModel.objects.select_for_update(of=("self",)).get(pk=model.pk)
        if model.published_at is not None and model.withdrawn_at is None:
            raise ValidationError(_("Mô hình này đang được công bố."))
        model.published_at, model.withdrawn_at = timezone.now(), None
        model.save(update_fields=["published_at", "withdrawn_at"])
        audit_record(actor=actor, action="emulation.goodmodel_publish", obj=model)
        board_changed()
    return model


def goodmodel_withdraw(*, actor: User, model: GoodModel, reason: str) -> GoodModel:
    """Sở Nội vụ takes a published good model off the board, with its reason; kept."""
    _check_manage(actor, model, "emulation.goodmodel_withdraw")
    reason = clean_text(reason, TEXT_MAX)
    if not reason:
        raise ValidationError(_("Cần ghi lý do gỡ mô hình khỏi bảng vàng."))
    with transaction.atomic():
        model = GoodModel.objects.select_for_update(of=("self",)).get(pk=model.pk)
        if model.published_at is None or model.withdrawn_at is not None:
            raise ValidationError(_("Mô hình này không đang được công bố."))
        model.withdrawn_at = timezone.now()
        model.save(update_fields=["withdrawn_at"])
        audit_record(actor=actor, action="emulation.goodmodel_withdraw", obj=model, reason=reason)
        board_changed()
    return model
