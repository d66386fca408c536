"""The province's overrides of dated settings (``core.dated``): the one reader and the one
writer of ``SettingOverride``, and the rows the admin page "Tham số theo ngày" lists."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from congvu.core import dated, permissions
from congvu.core.audit import audit_record
from congvu.core.logging import log_event
from congvu.core.models import SettingOverride

if TYPE_CHECKING:
    from congvu.core.permissions import Actor


def _in_force(day: date) -> QuerySet[SettingOverride]:
    """The province's overrides holding on ``day``, the later start last (it wins)."""
    return (
        SettingOverride.objects.filter(valid_from__lte=day)
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gt=day))
        .order_by("valid_from", "id")
    )


def setting_overrides(day: date) -> dict[str, object]:
    """The province's values in force on ``day``, by name (the later start wins)."""
    return dict(_in_force(day).values_list("name", "value"))


@dataclass(frozen=True)
class Row:
    """One line of the admin page: the national row in force and the province's value."""

    setting: dated.Setting
    override: SettingOverride | None

    @property
    def value(self) -> object:
        return self.override.value if self.override else self.setting.default

    @property
    def value_text(self) -> str:
        return _text(self.value)

    @property
    def default_text(self) -> str:
        return _text(self.setting.default)

    @property
    def confidence_text(self) -> str:
        return dated.CONFIDENCE[self.setting.confidence]


def _text(value: object) -> str:
    if isinstance(value, bool):
        return _("có") if value else _("không")
    return str(value)


def settings_rows(day: date) -> list[Row]:
    """Every registered setting in force on ``day`` with the province's override, if any."""
    overrides = {o.name: o for o in _in_force(day)}
    return [Row(s, overrides.get(s.name)) for s in dated.settings_in_force(day)]


def _coerce(text: str, default: object) -> object:
    """The typed value of ``text`` for a setting whose national value is ``default``."""
    text = text.strip()
    if isinstance(default, bool):
        if text.lower() in ("1", "true", "có", "co"):
            return True
        if text.lower() in ("0", "false", "không", "khong"):
            return False
        raise ValidationError(_("Giá trị phải là có/không."))
    if isinstance(default, int):
        try:
            return int(text)
        except ValueError:
            raise ValidationError(_("Giá trị phải là một số nguyên.")) from None
    if isinstance(default, Decimal) or (isinstance(default, str) and _is_decimal(default)):
        if not _is_decimal(text):
            raise ValidationError(_("Giá trị phải là một số (dấu chấm thập phân)."))
        return text
    if isinstance(default, str) and dated.DAY_MONTH.fullmatch(default):
        if dated.day_month(text) is None:
            raise ValidationError(_("Giá trị phải là một ngày trong năm dạng dd/mm, ví dụ 15/11."))
        return text
    if isinstance(default, str) and dated.DAY_LIST.fullmatch(default):
        if not dated.DAY_LIST.fullmatch(text):
            raise ValidationError(
                _("Giá trị phải là các số ngày cách nhau bằng dấu phẩy, ví dụ 7, 1.")
            )
        return text
    if isinstance(default, str):
        if not text:
            raise ValidationError(_("Giá trị không được để trống."))
        return text
    raise ValidationError(_("Tham số này không nhận giá trị riêng của tỉnh."))


def _is_decimal(text: str) -> bool:
    try:
        Decimal(text)
    except (InvalidOperation, ValueError):
        return False
    return True


def setting_override_set(
    *,
    actor: Actor,
    name: str,
    value: str,
    valid_from: date,
    source: str,
    valid_to: date | None = None,
) -> SettingOverride:
    """Record the province's own value of ``name`` from ``valid_from``; system administrators
    only (a value that changes results province-wide), audited."""
    if "admin" not in permissions.roles_of(actor):
        log_event("access.denied", user=getattr(actor, "pk", None), action="setting.override")
        raise PermissionDenied(_("Chỉ quản trị hệ thống được đặt tham số riêng của tỉnh."))
    if not dated.setting_exists(name):
        raise ValidationError(_("Không có tham số «%(name)s».") % {"name": name})
    try:
        national = dated.setting_in_force(name, valid_from)
    except KeyError:
        raise ValidationError(
            _("Tham số «%(name)s» chưa có hiệu lực vào ngày %(valid_from)s.")
            % {"name": name, "valid_from": f"{valid_from:%d/%m/%Y}"}
        ) from None
    typed = _coerce(value, national.default)
    source = source.strip()
    if not source:
        raise ValidationError(_("Cần ghi căn cứ (văn bản của tỉnh)."))
    if valid_to is not None and valid_to <= valid_from:
        raise ValidationError(_("Ngày kết thúc phải sau ngày bắt đầu."))
    with transaction.atomic():
        if SettingOverride.objects.filter(name=name, valid_from=valid_from).exists():
            raise ValidationError(_("Tham số này đã có giá trị riêng từ ngày đó."))
        # Only a signed-in administrator passed roles_of above: created_by gets a User.
        override = SettingOverride.objects.create(  # type: ignore[misc]
            name=name,
            value=typed,
            valid_from=valid_from,
            valid_to=valid_to,
            source=source[:500],
            created_by=actor,
        )
        audit_record(
            actor=actor,
            action="setting.override",
            obj=override,
            name=name,
            value=typed,
            national=str(national.default),
            valid_from=valid_from.isoformat(),
        )
    return override


def setting_overrides_on(days: Iterable[date]) -> dict[date, dict[str, object]]:
    """``setting_overrides`` for each of ``days``, from one query (a list of rows, each with
    its own day, needs no query per row)."""
    wanted = sorted(set(days))
    if not wanted:
        return {}
    rows = list(
        SettingOverride.objects.filter(valid_from__lte=wanted[-1])
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gt=wanted[0]))
        .order_by("valid_from", "id")
        .values_list("name", "value", "valid_from", "valid_to")
    )
    return {
        day: {
            name: value
            for name, value, start, end in rows
            if start <= day and (end is None or end > day)
        }
        for day in wanted
    }
