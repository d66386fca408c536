"""Writers of inspections: plans, inspections with their checklist, the team, the start, the
answers sent from phones (idempotent by the device's key), photos, and the close. One
transaction each, an audit record each; bad input is a ``ValidationError`` in Vietnamese that
changes nothing; notifications go after commit."""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from PIL import Image

from congvu.core import permissions, uploads
from congvu.core.audit import audit_record
from congvu.core.logging import log_event
from congvu.core.notifications import notifications_send
from congvu.core.permissions import Action
from congvu.core.text import clean_text, nfc
from congvu.core.transitions import Step, transition_apply
from congvu.inspections import access, catalogue, rules
from congvu.inspections.models import (
    Answer,
    AnswerPhoto,
    ChecklistItem,
    Inspection,
    InspectionPlan,
    TeamMember,
)
from congvu.organisations.models import Staff, Unit

if TYPE_CHECKING:
    from congvu.accounts.models import User

TEXT_MAX = 4000
LINE_MAX = 300
FREE_ITEMS_MAX = 30
PHOTO_FOLDER = "inspections"
PHOTO_MAX_BYTES = 10 * 2**20
PHOTOS_PER_ITEM = 10
THUMB_SIDE = 320


def _refuse(actor: Any, allowed: bool, action: str) -> None:
    if not allowed:
        log_event("access.denied", user=getattr(actor, "pk", None), action=action)
        raise PermissionDenied


def _line(value: str, label: str, limit: int = LINE_MAX) -> str:
    text = nfc(value or "").strip()
    if not text:
        raise ValidationError(_("Cần ghi %(label)s.") % {"label": label})
    if len(text) > limit:
        raise ValidationError(
            _("%(label)s dài quá %(limit)s ký tự.") % {"label": label.capitalize(), "limit": limit}
        )
    return text


def _announce(inspection: Inspection) -> None:
    """Tell the inspected unit's heads, after commit."""
    notifications_send(
        recipient_ids=permissions.unit_heads(inspection.unit_id, Action.INSPECTION_VIEW),
        kind="inspection",
        message=_("Đơn vị được kiểm tra văn hóa công vụ ngày %(day)s: %(title)s.")
        % {"day": f"{inspection.scheduled_on:%d/%m/%Y}", "title": inspection.title},
        key=f"inspection:{inspection.pk}",
        subject=inspection,
    )


# --- Plans and inspections ---------------------------------------------------------------


def plan_create(
    *,
    actor: User,
    owner: Unit,
    year: int,
    title: str,
    decision_code: str,
    decision_date: date,
) -> InspectionPlan:
    """A yearly inspection plan issued by ``owner`` (``inspection.manage`` over it)."""
    _refuse(actor, permissions.can(actor, Action.INSPECTION_MANAGE, owner), "inspections.plan")
    title = _line(title, _("tên kế hoạch kiểm tra"))
    code = _line(decision_code, _("số, ký hiệu quyết định"), 64)
    if not 2000 <= year <= 2100:
        raise ValidationError(_("Năm không hợp lệ."))
    with transaction.atomic():
        plan = InspectionPlan.objects.create(
            year=year,
            owner=owner,
            title=title,
            decision_code=code,
            decision_date=decision_date,
            created_by=actor,
        )
        audit_record(actor=actor, action="inspections.plan_create", obj=plan, year=year)
    return plan


@dataclass(frozen=True)
class InspectionSpec:
    owner: Unit
    unit: Unit
    kind: str
    title: str
    scheduled_on: date
    decision_code: str
    decision_date: date
    areas: Sequence[str] = ()
    free_items: Sequence[str] = ()
    plan: InspectionPlan | None = None


def _items(spec: InspectionSpec) -> list[tuple[str, str, str, str, bool]]:
    """(code, area, text, basis, person level) of the chosen areas, then the free items."""
    unknown = sorted(set(spec.areas) - set(catalogue.AREA_NAMES))
    if unknown:
        raise ValidationError(
            _("Không có nhóm nội dung %(areas)s.") % {"areas": ", ".join(unknown)}
        )
    rows = [
        (item.code, item.area, item.text, item.basis, item.person_level)
        for item in catalogue.items_for_areas(list(spec.areas))
    ]
    free = [nfc(text).strip() for text in spec.free_items if text and text.strip()]
    if len(free) > FREE_ITEMS_MAX:
        raise ValidationError(_("Tối đa %(limit)s nội dung tự nhập.") % {"limit": FREE_ITEMS_MAX})
    for n, text in enumerate(free, start=1):
        rows.append((f"{catalogue.FREE_AREA}{n}", catalogue.FREE_AREA, text[:TEXT_MAX], "", False))
    if not rows:
        raise ValidationError(_("Cần chọn ít nhất một nhóm nội dung hoặc nhập một nội dung."))
    return rows


def inspection_create(*, actor: User, spec: InspectionSpec) -> Inspection:
    """An inspection of ``spec.unit`` organised by ``spec.owner`` (manage rights over both),
    with its checklist. The inspected unit's heads are told after commit, unless it is
    unannounced (they learn of it when it starts)."""
    _refuse(
        actor,
        access.inspection_check_create(actor, spec.owner, spec.unit),
        "inspections.create",
    )
    if spec.kind not in rules.KIND_NAMES:
        raise ValidationError(_("Hình thức kiểm tra không hợp lệ."))
    if spec.plan is not None and spec.plan.owner_id != spec.owner.pk:
        raise ValidationError(_("Kế hoạch kiểm tra thuộc đơn vị khác."))
    title = _line(spec.title, _("nội dung kiểm tra"))
    code = _line(spec.decision_code, _("số, ký hiệu quyết định"), 64)
    rows = _items(spec)
    with transaction.atomic():
        inspection = Inspection.objects.create(
            plan=spec.plan,
            owner=spec.owner,
            unit=spec.unit,
            kind=spec.kind,
            title=title,
            decision_code=code,
            decision_date=spec.decision_date,
            scheduled_on=spec.scheduled_on,
            created_by=actor,
        )
        ChecklistItem.objects.bulk_create(
            ChecklistItem(
                inspection=inspection,
                position=n,
                code=code_,
                area=area,
                text=text,
                basis=basis,
                standard=f"QĐ129-2007:{code_}" if area != catalogue.FREE_AREA else "",
                person_level=person,
            )
            for n, (code_, area, text, basis, person) in enumerate(rows, start=1)
        )
        audit_record(
            actor=actor,
            action="inspections.create",
            obj=inspection,
            unit=spec.unit.pk,
            kind=spec.kind,
            items=len(rows),
        )
        if rules.visible_to_inspected(spec.kind, started=False):
            _announce(inspection)
    return inspection


def team_set(
    *, actor: User, inspection: Inspection, lead: User, members: Sequence[User] = ()
) -> list[TeamMember]:
    """The team as the decision names it: one lead and the members. Refused, naming the
    person, when anyone's unit is the inspected unit or under it (conflict of interest)."""
    _refuse(actor, access.inspection_check_manage(actor, inspection), "inspections.team")
    if inspection.status == rules.CLOSED:
        raise ValidationError(_("Cuộc kiểm tra đã kết thúc, không đổi được đoàn."))
    everyone = [lead, *[m for m in members if m.pk != lead.pk]]
    refusal = rules.team_refusal(1, [u.pk for u in everyone])
    if refusal:
        raise ValidationError(_(refusal))
    for user in everyone:
        if access.conflicts(access.own_unit_id(user), inspection):
            raise ValidationError(
                _(
                    "%(name)s không được tham gia đoàn: đơn vị công tác của người này là "
                    "đơn vị được kiểm tra hoặc trực thuộc đơn vị được kiểm tra."
                )
                % {"name": _person(user)}
            )
    with transaction.atomic():
        Inspection.objects.select_for_update().filter(pk=inspection.pk).first()
        inspection.team.all().delete()
        team = TeamMember.objects.bulk_create(
            TeamMember(
                inspection=inspection, user=user, role=rules.LEAD if n == 0 else rules.MEMBER
            )
            for n, user in enumerate(everyone)
        )
        audit_record(
            actor=actor,
            action="inspections.team_set",
            obj=inspection,
            lead=lead.pk,
            members=[u.pk for u in everyone[1:]],
        )
        notifications_send(
            recipient_ids=[u.pk for u in everyone],
            kind="inspection_team",
            message=_("Bạn được cử vào đoàn kiểm tra: %(title)s (%(day)s).")
            % {"title": inspection.title, "day": f"{inspection.scheduled_on:%d/%m/%Y}"},
            subject=inspection,
        )
    return team


def _person(user: User) -> str:
    staff = getattr(user, "staff", None)
    return str(staff) if staff is not None else user.get_username()


def _locked(inspection: Inspection) -> Inspection:
    return Inspection.objects.select_for_update().get(pk=inspection.pk)


def inspection_start(*, actor: User, inspection: Inspection) -> Inspection:
    """The lead starts the inspection on site; an unannounced one becomes visible to the
    inspected unit from now, and its heads are told."""
    roles = access.team_roles(actor, inspection)
    _refuse(actor, bool(roles), "inspections.start")
    with transaction.atomic():
        locked = _locked(inspection)
        transition_apply(
            actor=actor,
            obj=locked,
            machine=rules.MACHINE,
            move=rules.START,
            action="inspections.start",
            roles=roles,
            step=lambda: Step(fields={"started_at": timezone.now()}),
        )
        if locked.kind == rules.UNANNOUNCED:
            _announce(locked)
    return locked


def inspection_close(*, actor: User, inspection: Inspection, conclusion: str = "") -> Inspection:
    """The lead closes the inspection once every item is answered; the biên bản follows."""
    roles = access.team_roles(actor, inspection)
    _refuse(actor, bool(roles), "inspections.close")
    conclusion = clean_text(conclusion or "", TEXT_MAX)

    def step() -> Step:
        items = inspection.items.count()
        answered = Answer.objects.filter(item__inspection=inspection, current=True).count()
        refusal = rules.close_refusal(items, answered)
        if refusal:
            raise ValidationError(refusal)
        return Step(
            fields={"closed_at": timezone.now(), "conclusion": conclusion},
            data={"items": items},
        )

    with transaction.atomic():
        locked = _locked(inspection)
        transition_apply(
            actor=actor,
            obj=locked,
            machine=rules.MACHINE,
            move=rules.CLOSE,
            action="inspections.close",
            roles=roles,
            step=step,
        )
        # The findings that name a standard become violations of it (congvu/violations).
        from congvu.violations.services import violations_from_inspection

        violations_from_inspection(actor=actor, inspection=locked)
    return locked


# --- Answers from the phone --------------------------------------------------------------


def _may_record(actor: User, inspection: Inspection) -> None:
    _refuse(actor, access.answer_check_record(actor, inspection), "inspections.answer")
    if inspection.status != rules.IN_PROGRESS:
        raise ValidationError(_("Chỉ ghi kết quả khi cuộc kiểm tra đang diễn ra."))


def answer_record(
    *,
    actor: User,
    item: ChecklistItem,
    result: str,
    note: str = "",
    staff: Staff | None = None,
    key: str,
) -> tuple[Answer, bool]:
    """Record what the team saw on ``item``, sent with the device's idempotency ``key``.

    The same key with the same content (a phone sending again after a lost answer) returns
    the stored answer and stores nothing (``False``); the same key with other content is
    refused. A new key makes a new current answer; the earlier one is kept, not current.
    The person named must work in the inspected unit (or below it), and is never oneself."""
    inspection = Inspection.objects.get(pk=item.inspection_id)  # its status now
    _may_record(actor, inspection)
    if not rules.key_valid(key or ""):
        raise ValidationError(_("Mã gửi (idempotency key) không hợp lệ."))
    note = clean_text(note or "", TEXT_MAX)
    digest = rules.payload_digest(
        {"item": item.pk, "result": result, "note": note, "staff": staff.pk if staff else None}
    )
    stored = Answer.objects.filter(key=key).first()
    outcome = rules.answer_replay(stored.digest if stored else None, digest)
    if stored is not None and outcome == rules.REPLAY:
        return stored, False
    if outcome == rules.KEY_REUSED:
        raise ValidationError(_("Mã gửi này đã dùng cho một kết quả khác."))
    refusal = rules.answer_refusal(result, item.person_level, staff.pk if staff else None, note)
    if refusal:
        raise ValidationError(_(refusal))
    if staff is not None:
        if permissions.is_own(actor, staff.pk):
            raise ValidationError(_("Không ghi kết quả kiểm tra về chính mình."))
        if staff.unit_id not in access.inspected_scope(inspection):
            raise ValidationError(_("Người được ghi không công tác tại đơn vị được kiểm tra."))
    try:
        with transaction.atomic():
            ChecklistItem.objects.select_for_update().filter(pk=item.pk).first()
            Answer.objects.filter(item=item, current=True).update(current=False)
            answer = Answer.objects.create(
                item=item,
                result=result,
                note=note,
                staff=staff,
                answered_by=actor,
                answered_at=timezone.now(),
                key=key,
                digest=digest,
            )
            audit_record(
                actor=actor,
                action="inspections.answer",
                obj=answer,
                item=item.code,
                result=result,
                staff=staff.pk if staff else None,
            )
    except IntegrityError:
        # The same key sent twice at once: the other request stored it first.
        again = Answer.objects.filter(key=key).first()
        if again is not None and again.digest == digest:
            return again, False
        raise ValidationError(_("Mã gửi này đã dùng cho một kết quả khác.")) from None
    return answer, True


def _thumbnail(path: Path) -> Path:
    """A small JPEG next to the cleaned photo (the photo has no metadata left to copy)."""
    thumb = path.with_name(f"{path.name}-nho")
    with Image.open(path) as image:
        small = image.convert("RGB")
    small.thumbnail((THUMB_SIDE, THUMB_SIDE))
    out = io.BytesIO()
    small.save(out, "JPEG", quality=80)
    thumb.write_bytes(out.getvalue())
    return thumb


def photo_attach(*, actor: User, item: ChecklistItem, upload: Any) -> AnswerPhoto:
    """A photo of ``item`` from the phone's camera: type by its bytes (JPEG or PNG only),
    size limited, EXIF location and device data removed (``core.uploads``), a thumbnail."""
    _may_record(actor, Inspection.objects.get(pk=item.inspection_id))
    if item.photos.count() >= PHOTOS_PER_ITEM:
        raise ValidationError(
            _("Mỗi nội dung có tối đa %(limit)s ảnh.") % {"limit": PHOTOS_PER_ITEM}
        )
    kept = uploads.evidence_keep(
        upload, folder=PHOTO_FOLDER, limit=PHOTO_MAX_BYTES, default_name="anh-kiem-tra"
    )
    thumb: Path | None = None
    try:
        if kept.kind not in uploads.IMAGES:
            raise ValidationError(_("Chỉ nhận ảnh JPEG hoặc PNG."))
        thumb = _thumbnail(kept.path)
        with transaction.atomic():
            photo = AnswerPhoto.objects.create(
                item=item,
                thumb_name=thumb.name,
                **kept.row(),
                uploaded_by=actor,
                uploaded_at=timezone.now(),
            )
            audit_record(
                actor=actor,
                action="inspections.photo_attach",
                obj=photo,
                item=item.code,
                sha256=kept.sha256,
            )
    except BaseException:
        kept.path.unlink(missing_ok=True)
        if thumb is not None:
            thumb.unlink(missing_ok=True)
        raise
    return photo


def photo_path(photo: AnswerPhoto, *, thumb: bool = False) -> Path:
    name = photo.thumb_name if thumb and photo.thumb_name else photo.stored_name
    return uploads.evidence_dir(PHOTO_FOLDER) / name
