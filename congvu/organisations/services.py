"""The only writers of units, lineage, staff and memberships.

Each function is one transaction with an audit record. Dated changes close the
current version and open the next: history is never rewritten.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from congvu.core.actors import SystemActor
from congvu.core.audit import audit_record
from congvu.core.text import fold, full_name, nfc, person_sort_key, sort_key
from congvu.organisations.graph import graph_load, org_revision_bump
from congvu.organisations.models import (
    LineageEvent,
    LineageKind,
    Membership,
    Staff,
    StaffCategory,
    Unit,
    UnitType,
    UnitVersion,
)
from congvu.organisations.rules import StaffSpec as StaffSpec  # the one person spec

if TYPE_CHECKING:
    # Type only: at run time accounts imports organisations, not the other way round.
    from congvu.accounts.models import User


def _bump_after_commit() -> None:
    # Bump now (this connection sees its own writes) and again after commit, so that a
    # graph another request cached from pre-commit data is dropped too.
    org_revision_bump()
    transaction.on_commit(org_revision_bump)


def _check_open(unit: Unit, day: date) -> UnitVersion:
    version = unit.versions.filter(valid_to__isnull=True).first()
    if version is None or unit.valid_to is not None:
        raise ValidationError(
            _("Đơn vị %(code)s đã chấm dứt hoạt động, không thể thay đổi.") % {"code": unit.code}
        )
    if day <= version.valid_from:
        raise ValidationError(
            _("Ngày hiệu lực phải sau %(valid_from)s (ngày của thông tin hiện tại).")
            % {"valid_from": f"{version.valid_from:%d/%m/%Y}"}
        )
    return version


def _check_code_free(code: str, *, except_unit: Unit | None = None) -> None:
    clash = Unit.objects.filter(code=code, valid_to__isnull=True)
    if except_unit is not None:
        clash = clash.exclude(pk=except_unit.pk)
    if clash.exists():
        raise ValidationError(
            _("Mã đơn vị %(code)s đang được dùng cho đơn vị khác.") % {"code": code}
        )


def _check_parent(parent: Unit | None, day: date) -> None:
    if parent is not None and (
        parent.valid_from > day or (parent.valid_to and parent.valid_to <= day)
    ):
        raise ValidationError(
            _("Đơn vị cấp trên %(code)s không tồn tại vào ngày %(day)s.")
            % {"code": parent.code, "day": f"{day:%d/%m/%Y}"}
        )


def _sync_unit(unit: Unit, version: UnitVersion) -> None:
    unit.code, unit.name, unit.unit_type, unit.parent_id = (
        version.code,
        version.name,
        version.unit_type,
        version.parent_id,
    )
    unit.sort_key = sort_key(version.name)


@dataclass(frozen=True)
class UnitSpec:
    code: str
    name: str
    unit_type: str
    parent: Unit | None = None


def _new_unit(spec: UnitSpec, day: date, basis: str) -> Unit:
    code, name = nfc(spec.code).upper(), nfc(spec.name)
    if not code or not name:
        raise ValidationError(_("Mã và tên đơn vị là bắt buộc."))
    if spec.unit_type not in UnitType.values:
        raise ValidationError(
            _("Loại đơn vị không hợp lệ: %(unit_type)s.") % {"unit_type": spec.unit_type}
        )
    _check_code_free(code)
    _check_parent(spec.parent, day)
    unit = Unit(code=code, name=name, unit_type=spec.unit_type, parent=spec.parent, valid_from=day)
    unit.sort_key = sort_key(name)
    unit.save()
    UnitVersion.objects.create(
        unit=unit,
        code=code,
        name=name,
        unit_type=spec.unit_type,
        parent=spec.parent,
        valid_from=day,
        basis=basis,
    )
    return unit


def unit_create(
    *, actor: User | SystemActor, spec: UnitSpec, valid_from: date, basis: str = ""
) -> Unit:
    with transaction.atomic():
        unit = _new_unit(spec, valid_from, basis)
        audit_record(actor=actor, action="unit.create", obj=unit, valid_from=str(valid_from))
        _bump_after_commit()
    return unit


def unit_change(
    *,
    actor: User | SystemActor,
    unit: Unit,
    day: date,
    name: str | None = None,
    code: str | None = None,
    unit_type: str | None = None,
    parent: Unit | None | bool = False,
    basis: str = "",
) -> LineageEvent:
    """Rename, re-code, re-type or move a unit from ``day``; records a rename/move event.

    ``parent=False`` leaves the parent unchanged; ``None`` makes the unit a root.
    """
    with transaction.atomic():
        unit = Unit.objects.select_for_update().get(pk=unit.pk)
        current = _check_open(unit, day)
        new_parent_id = current.parent_id if parent is False else getattr(parent, "pk", None)
        if parent not in (False, None):  # so a Unit, which mypy cannot tell from ``not in``
            _check_parent(parent, day)  # type: ignore[arg-type]
            if parent.pk == unit.pk or _is_below(parent.pk, unit.pk, day):  # type: ignore[union-attr]
                raise ValidationError(
                    _("Không thể chuyển đơn vị vào chính nó hoặc đơn vị trực thuộc nó.")
                )
        new = UnitVersion(
            unit=unit,
            code=nfc(code).upper() if code else current.code,
            name=nfc(name) if name else current.name,
            unit_type=unit_type or current.unit_type,
            parent_id=new_parent_id,
            valid_from=day,
            basis=basis,
        )
        if new.code != current.code:
            _check_code_free(new.code, except_unit=unit)
        if (new.code, new.name, new.unit_type, new.parent_id) == (
            current.code,
            current.name,
            current.unit_type,
            current.parent_id,
        ):
            raise ValidationError(_("Không có thông tin nào thay đổi."))
        current.valid_to = day
        current.save(update_fields=["valid_to"])
        new.save()
        _sync_unit(unit, new)
        unit.save()
        kind = LineageKind.MOVE if new.parent_id != current.parent_id else LineageKind.RENAME
        event = LineageEvent.objects.create(kind=kind, effective_date=day, basis=basis)
        event.predecessors.add(unit)
        event.successors.add(unit)
        audit_record(
            actor=actor,
            action=f"unit.{kind}",
            obj=unit,
            day=str(day),
            before={"code": current.code, "name": current.name, "parent": current.parent_id},
            after={"code": new.code, "name": new.name, "parent": new.parent_id},
        )
        _bump_after_commit()
    return event


def _is_below(candidate_id: int, ancestor_id: int, day: date) -> bool:
    from congvu.organisations import rules

    current = rules.versions_as_of(graph_load().versions, day - timedelta(days=1))
    return candidate_id in rules.descendants(rules.children_map(current), [ancestor_id])


def _end_unit(unit: Unit, day: date) -> None:
    if unit.children.filter(valid_to__isnull=True).exists():
        raise ValidationError(
            _(
                "Đơn vị %(code)s còn đơn vị trực thuộc đang hoạt động; hãy chuyển hoặc kết thúc chúng trước."
            )
            % {"code": unit.code}
        )
    opened_today = unit.versions.filter(valid_to__isnull=True, valid_from=day).first()
    if opened_today is not None:
        # Re-parented earlier on the same day (e.g. its parent merged first): that
        # version never held, so the unit ends as it was the day before.
        opened_today.delete()
        previous = unit.versions.order_by("-valid_from").first()
        if previous is None or previous.valid_to != day:
            raise ValidationError(
                _("Đơn vị %(code)s không có thông tin trước ngày %(day)s.")
                % {"code": unit.code, "day": f"{day:%d/%m/%Y}"}
            )
        _sync_unit(unit, previous)
        unit.valid_to = day
        unit.save()
        return
    _check_open(unit, day)
    UnitVersion.objects.filter(unit=unit, valid_to__isnull=True).update(valid_to=day)
    unit.valid_to = day
    unit.save(update_fields=["valid_to"])


def _move_staff(from_units: Iterable[Unit], to_unit: Unit, day: date, note: str) -> int:
    moved = 0
    for staff in Staff.objects.filter(unit__in=list(from_units), is_active=True):
        _transfer(staff, to_unit, day, staff.position, note)
        moved += 1
    return moved


def units_merge(
    *,
    actor: User | SystemActor,
    predecessors: Sequence[Unit],
    day: date,
    into: Unit | None = None,
    new: UnitSpec | None = None,
    basis: str = "",
    decided_on: date | None = None,
    reparent_children: bool = True,
) -> LineageEvent:
    """Merge ``predecessors`` into an existing unit (``into``) or a new one (``new``).

    Children and staff of the ended units pass to the successor on ``day``.
    """
    if (into is None) == (new is None):
        raise ValidationError(_("Chọn một đơn vị tiếp nhận hoặc khai báo một đơn vị mới."))
    with transaction.atomic():
        # ``new`` is set when ``into`` is not (checked above).
        successor = into if into is not None else _new_unit(new, day, basis)  # type: ignore[arg-type]
        ending = [u for u in predecessors if u.pk != successor.pk]
        if not ending:
            raise ValidationError(_("Cần ít nhất một đơn vị bị sáp nhập."))
        for unit in ending:
            if reparent_children:
                for child in unit.children.filter(valid_to__isnull=True):
                    _reparent(child, successor, day, basis)
            _move_staff([unit], successor, day, f"Sáp nhập vào {successor.code}")
            _end_unit(unit, day)
        event = LineageEvent.objects.create(
            kind=LineageKind.MERGE, effective_date=day, basis=basis, decided_on=decided_on
        )
        event.predecessors.add(*predecessors)
        event.successors.add(successor)
        audit_record(
            actor=actor,
            action="unit.merge",
            obj=successor,
            day=str(day),
            predecessors=[u.code for u in predecessors],
        )
        _bump_after_commit()
    return event


def _reparent(child: Unit, parent: Unit, day: date, basis: str) -> None:
    current = _check_open(child, day)
    current.valid_to = day
    current.save(update_fields=["valid_to"])
    version = UnitVersion.objects.create(
        unit=child,
        code=current.code,
        name=current.name,
        unit_type=current.unit_type,
        parent=parent,
        valid_from=day,
        basis=basis,
    )
    _sync_unit(child, version)
    child.save()


def unit_split(
    *,
    actor: User | SystemActor,
    unit: Unit,
    day: date,
    parts: Sequence[UnitSpec],
    keep: bool = False,
    staff_to: dict[int, Unit] | None = None,
    basis: str = "",
) -> LineageEvent:
    """Split ``unit`` into new ``parts`` (``keep``: the unit continues beside them).

    When the unit ends, every active staff member must be placed by ``staff_to``.
    """
    if not parts:
        raise ValidationError(_("Cần ít nhất một đơn vị mới khi chia tách."))
    with transaction.atomic():
        new_units = [_new_unit(spec, day, basis) for spec in parts]
        by_code = {u.pk: u for u in new_units}
        for staff_id, target in (staff_to or {}).items():
            staff = Staff.objects.get(pk=staff_id, unit=unit)
            _transfer(
                staff, by_code.get(target.pk, target), day, staff.position, f"Chia tách {unit.code}"
            )
        if not keep:
            if Staff.objects.filter(unit=unit, is_active=True).exists():
                raise ValidationError(_("Còn cán bộ chưa được phân về đơn vị mới."))
            _end_unit(unit, day)
        event = LineageEvent.objects.create(kind=LineageKind.SPLIT, effective_date=day, basis=basis)
        event.predecessors.add(unit)
        event.successors.add(*new_units, *([unit] if keep else []))
        audit_record(
            actor=actor,
            action="unit.split",
            obj=unit,
            day=str(day),
            parts=[u.code for u in new_units],
        )
        _bump_after_commit()
    return event


def unit_dissolve(
    *,
    actor: User | SystemActor,
    unit: Unit,
    day: date,
    successors: Sequence[Unit] = (),
    basis: str = "",
    decided_on: date | None = None,
) -> LineageEvent:
    """End ``unit`` on ``day``; ``successors`` take over its functions (may be empty)."""
    with transaction.atomic():
        if Staff.objects.filter(unit=unit, is_active=True).exists():
            if len(successors) != 1:
                raise ValidationError(
                    _(
                        "Đơn vị còn cán bộ: hãy điều chuyển cán bộ trước hoặc chỉ định đúng một đơn vị kế thừa."
                    )
                )
            _move_staff([unit], successors[0], day, f"Giải thể {unit.code}")
        _end_unit(unit, day)
        event = LineageEvent.objects.create(
            kind=LineageKind.DISSOLVE, effective_date=day, basis=basis, decided_on=decided_on
        )
        event.predecessors.add(unit)
        if successors:
            event.successors.add(*successors)
        audit_record(
            actor=actor,
            action="unit.dissolve",
            obj=unit,
            day=str(day),
            successors=[u.code for u in successors],
        )
        _bump_after_commit()
    return event


# --- Staff ---------------------------------------------------------------------


def staff_build(spec: StaffSpec, unit: Unit | None) -> Staff:
    """An unsaved Staff with normalised text, sort key and search column."""
    ho, dem, ten = nfc(spec.ho), nfc(spec.dem), nfc(spec.ten)
    code = nfc(spec.code).upper()
    if spec.category not in StaffCategory.values:
        raise ValidationError(
            _("Phân loại không hợp lệ: %(category)s.") % {"category": spec.category}
        )
    return Staff(
        code=code,
        ho=ho,
        dem=dem,
        ten=ten,
        gender=spec.gender,
        birth_year=spec.birth_year,
        category=spec.category,
        position=nfc(spec.position),
        is_leader=spec.is_leader,
        unit=unit,
        sort_key=person_sort_key(ho, dem, ten),
        search_text=fold(f"{full_name(ho, dem, ten)} {code}"),
    )


def staff_create(
    *, actor: User | SystemActor, spec: StaffSpec, unit: Unit, valid_from: date
) -> Staff:
    if Staff.objects.filter(code=nfc(spec.code).upper()).exists():
        raise ValidationError(_("Mã cán bộ %(code)s đã tồn tại.") % {"code": spec.code})
    _check_parent(unit, valid_from)
    with transaction.atomic():
        staff = staff_build(spec, unit)
        staff.full_clean(exclude=["unit"])
        staff.save()
        Membership.objects.create(
            staff=staff, unit=unit, position=staff.position, valid_from=valid_from
        )
        audit_record(actor=actor, action="staff.create", obj=staff, unit=unit.code)
    return staff


def staff_update(*, actor: User | SystemActor, staff: Staff, spec: StaffSpec) -> Staff:
    """Correct a staff member's personal facts (not a transfer)."""
    with transaction.atomic():
        fresh = staff_build(spec, staff.unit)
        before = {f: getattr(staff, f) for f in ("ho", "dem", "ten", "position", "category")}
        for field in (
            "ho",
            "dem",
            "ten",
            "gender",
            "birth_year",
            "category",
            "position",
            "is_leader",
            "sort_key",
            "search_text",
        ):
            setattr(staff, field, getattr(fresh, field))
        staff.full_clean(exclude=["unit"])
        staff.save()
        after = {f: getattr(staff, f) for f in before}
        audit_record(actor=actor, action="staff.update", obj=staff, before=before, after=after)
    return staff


def _transfer(staff: Staff, unit: Unit, day: date, position: str, note: str) -> None:
    current = staff.memberships.filter(valid_to__isnull=True).first()
    if current is not None:
        if day <= current.valid_from:
            raise ValidationError(
                _("Ngày điều chuyển phải sau %(valid_from)s (ngày vào đơn vị hiện tại).")
                % {"valid_from": f"{current.valid_from:%d/%m/%Y}"}
            )
        current.valid_to = day
        current.save(update_fields=["valid_to"])
    Membership.objects.create(staff=staff, unit=unit, position=position, valid_from=day, note=note)
    staff.unit = unit
    staff.position = position
    staff.save(update_fields=["unit", "position"])


def staff_transfer(
    *, actor: User | SystemActor, staff: Staff, unit: Unit, day: date, position: str = ""
) -> Staff:
    """Move a staff member to ``unit`` from ``day``; the old membership is closed."""
    _check_parent(unit, day)
    with transaction.atomic():
        before = staff.unit.code if staff.unit else None
        _transfer(staff, unit, day, nfc(position) or staff.position, "Điều chuyển")
        audit_record(
            actor=actor,
            action="staff.transfer",
            obj=staff,
            day=str(day),
            before=before,
            after=unit.code,
        )
    return staff


def staff_leave(*, actor: User | SystemActor, staff: Staff, day: date, reason: str = "") -> Staff:
    """Close the membership: retirement, resignation, end of contract."""
    with transaction.atomic():
        staff.memberships.filter(valid_to__isnull=True).update(valid_to=day)
        staff.is_active = False
        staff.save(update_fields=["is_active"])
        audit_record(actor=actor, action="staff.leave", obj=staff, day=str(day), reason=reason)
    return staff
