"""Writers of movements and their milestones, the units' registration lists, clusters and
their mutual scoring. One transaction and one audit record each; bad input is a
``ValidationError`` in Vietnamese that changes nothing; a caller without the right gets
``PermissionDenied``."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from congvu.core import permissions
from congvu.core.actors import is_system
from congvu.core.audit import audit_record
from congvu.core.logging import log_event
from congvu.core.permissions import Action
from congvu.core.text import clean_text, nfc
from congvu.emulation import access_movements as access
from congvu.emulation import rules
from congvu.emulation.models import (
    Cluster,
    ClusterScore,
    ClusterYear,
    Milestone,
    Movement,
    Registration,
    RegistrationList,
)
from congvu.organisations.models import Staff, Unit

TEXT_MAX = 8000
YEAR_MIN, YEAR_MAX = 2000, 2100
REGISTRABLE = (*rules.TITLES, rules.GIAY_KHEN, rules.BK_TINH, rules.BK_TTG)
"""What a unit registers for at the start of a year: the emulation titles, and the
commendation forms a unit aims for within the year (Giấy khen, Bằng khen). Orders
(Huân chương) are proposed on a record of years, not registered (decision 7x)."""
CRITERIA_MAX = 50


def _denied(actor: Any, action: str) -> PermissionDenied:
    log_event("access.denied", user=getattr(actor, "pk", None), action=action)
    return PermissionDenied()


def _year(value: Any, what: str) -> int:
    if not isinstance(value, int) or not YEAR_MIN <= value <= YEAR_MAX:
        raise ValidationError(
            _("%(what)s phải là năm từ %(low)s đến %(high)s.")
            % {"what": what, "low": YEAR_MIN, "high": YEAR_MAX}
        )
    return value


# --- Movements ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class MilestoneSpec:
    kind: str
    year: int
    due_on: date | None = None
    held_on: date | None = None
    note: str = ""


@dataclass(frozen=True)
class MovementSpec:
    name: str
    launch_document: str
    launched_on: date
    start_year: int
    end_year: int
    owner: Unit
    for_collectives: bool = True
    for_individuals: bool = True
    content: str = ""
    criteria: Sequence[Any] = ()
    predecessor: Movement | None = None
    milestones: Sequence[MilestoneSpec] = field(default_factory=tuple)


def _movement_checked(spec: MovementSpec, movement: Movement | None) -> dict[str, Any]:
    name = nfc(spec.name).strip()[:255]
    document = nfc(spec.launch_document).strip()[:255]
    if not name:
        raise ValidationError(_("Cần ghi tên phong trào."))
    if not document:
        raise ValidationError(_("Cần ghi văn bản phát động."))
    start = _year(spec.start_year, _("Năm bắt đầu"))
    end = _year(spec.end_year, _("Năm kết thúc"))
    if end < start:
        raise ValidationError(_("Năm kết thúc không được trước năm bắt đầu."))
    if spec.launched_on.year > start:
        raise ValidationError(_("Ngày phát động phải trước hoặc trong năm bắt đầu."))
    if not (spec.for_collectives or spec.for_individuals):
        raise ValidationError(_("Cần chọn ít nhất một đối tượng: tập thể hoặc cá nhân."))
    if len(spec.criteria) > CRITERIA_MAX:
        raise ValidationError(_("Chọn tối đa %(n)s tiêu chí.") % {"n": CRITERIA_MAX})
    previous = spec.predecessor
    if previous is not None:
        if movement is not None and previous.pk == movement.pk:
            raise ValidationError(_("Phong trào không thể là giai đoạn trước của chính nó."))
        if previous.end_year >= start:
            raise ValidationError(
                _("Giai đoạn trước phải kết thúc trước năm bắt đầu (%(year)s).") % {"year": start}
            )
    kinds = set()
    for row in spec.milestones:
        if row.kind not in Milestone.KINDS:
            raise ValidationError(_("Mốc phong trào không hợp lệ."))
        if row.kind in kinds:
            raise ValidationError(_("Mỗi loại mốc chỉ ghi một lần."))
        kinds.add(row.kind)
        label = _(Milestone.KINDS[row.kind])
        if not start <= _year(row.year, label) <= end:
            raise ValidationError(
                _("Năm %(kind)s phải trong giai đoạn %(start)s–%(end)s.")
                % {"kind": label.lower(), "start": start, "end": end}
            )
        if row.held_on and row.held_on.year != row.year:
            raise ValidationError(
                _("Ngày tổ chức %(kind)s phải trong năm %(year)s.")
                % {"kind": label.lower(), "year": row.year}
            )
    return {
        "name": name,
        "launch_document": document,
        "launched_on": spec.launched_on,
        "start_year": start,
        "end_year": end,
        "for_collectives": spec.for_collectives,
        "for_individuals": spec.for_individuals,
        "content": clean_text(spec.content, TEXT_MAX),
        "owner": spec.owner,
        "predecessor": previous,
    }


def movement_save(*, actor: Any, spec: MovementSpec, movement: Movement | None = None) -> Movement:
    """Create (``movement`` None) or edit a movement, its criteria and milestones. Sở Nội vụ
    (``emulation.manage`` over the launching unit, and over the current one when editing)."""
    if not is_system(actor):
        if not permissions.can(actor, Action.EMULATION_MANAGE, spec.owner):
            raise _denied(actor, "emulation.movement_save")
        if movement is not None and not access.movement_check_manage(actor, movement):
            raise _denied(actor, "emulation.movement_save")
    values = _movement_checked(spec, movement)
    with transaction.atomic():
        if movement is None:
            movement = Movement.objects.create(**values)
            action = "emulation.movement_create"
        else:
            for name, value in values.items():
                setattr(movement, name, value)
            movement.save()
            action = "emulation.movement_change"
        movement.criteria.set(spec.criteria)
        kept = []
        for row in spec.milestones:
            stone, _created = Milestone.objects.update_or_create(
                movement=movement,
                kind=row.kind,
                defaults={
                    "year": row.year,
                    "due_on": row.due_on,
                    "held_on": row.held_on,
                    "note": clean_text(row.note, 2000),
                },
            )
            kept.append(stone.pk)
        movement.milestones.exclude(pk__in=kept).delete()
        audit_record(
            actor=actor,
            action=action,
            obj=movement,
            name=movement.name,
            years=f"{movement.start_year}-{movement.end_year}",
        )
    return movement


MOVEMENT_733: dict[str, Any] = {
    "name": "Cán bộ, công chức, viên chức thi đua thực hiện văn hóa công sở",
    "launch_document": "Quyết định 733/QĐ-TTg ngày 14/6/2019 của Thủ tướng Chính phủ",
    "launched_on": date(2019, 6, 14),
    "content": (
        "Tập thể: «Thi đua xây dựng cơ quan, đơn vị văn minh, hiện đại, xanh, sạch, đẹp».\n"
        "Cá nhân: «Thi đua thực hiện kỷ cương, trách nhiệm, tận tụy, chuyên nghiệp».\n"
        "Năm 2019 phát động và xây dựng kế hoạch; năm 2022 sơ kết, chọn đề nghị Bằng khen của "
        "Thủ tướng Chính phủ; năm 2025 tổng kết, chọn đề nghị Bằng khen của Thủ tướng Chính phủ "
        "hoặc Huân chương Lao động hạng Ba."
    ),
}


def movement_733_seed(actor: Any, owner: Unit | None = None) -> Movement:
    """The movement of QĐ 733/QĐ-TTg, 2019–2025 (LEGAL.md §2): launched 2019, sơ kết 2022,
    tổng kết 2025, with the collective and individual criteria of the 2019 catalogues when
    they are loaded. Idempotent: a second call returns the movement already there. ``owner``:
    the province (the first current top unit when not given)."""
    from congvu.standards.models import Criterion

    if owner is None:
        owner = (
            Unit.objects.filter(parent__isnull=True, valid_to__isnull=True)
            .order_by("sort_key", "pk")
            .first()
        )
        if owner is None:
            raise ValidationError(_("Chưa có đơn vị nào để phát động phong trào."))
    found = Movement.objects.filter(
        owner=owner, launch_document=MOVEMENT_733["launch_document"], start_year=2019
    ).first()
    if found is not None:
        return found
    criteria = list(
        Criterion.objects.filter(
            version__catalogue__code__in=("tap-the", "ca-nhan"),
            version__version="2019.1",
            parent__isnull=True,
        ).order_by("version__catalogue__code", "order")
    )
    spec = MovementSpec(
        **MOVEMENT_733,
        start_year=2019,
        end_year=2025,
        owner=owner,
        criteria=criteria,
        milestones=(
            MilestoneSpec("phat_dong", 2019, held_on=date(2019, 6, 14)),
            MilestoneSpec("so_ket", 2022, due_on=date(2022, 12, 31)),
            MilestoneSpec("tong_ket", 2025, due_on=date(2025, 12, 31)),
        ),
    )
    return movement_save(actor=actor, spec=spec)


def demo_movements(*, actor: Any, units: dict[str, Unit]) -> None:
    """The demo's movement: QĐ 733's, launched by the province."""
    tops = [u for u in units.values() if u.parent_id is None and u.valid_to is None]
    movement_733_seed(actor, tops[0] if tops else None)


# --- Registrations -----------------------------------------------------------------------------


def registration_list_open(
    *, actor: Any, unit: Unit, year: int, movement: Movement | None = None
) -> RegistrationList:
    """The unit's list for ``year`` (made the first time): its head builds it."""
    if not permissions.can(actor, Action.EMULATION_PROPOSE, unit):
        raise _denied(actor, "emulation.registration_open")
    _year(year, _("Năm đăng ký"))
    if unit.valid_to is not None:
        raise ValidationError(_("Đơn vị đã chấm dứt hoạt động, không đăng ký thi đua."))
    if movement is not None and not movement.start_year <= year <= movement.end_year:
        raise ValidationError(
            _("Năm %(year)s không thuộc giai đoạn của phong trào (%(start)s–%(end)s).")
            % {"year": year, "start": movement.start_year, "end": movement.end_year}
        )
    with transaction.atomic():
        found, created = RegistrationList.objects.get_or_create(
            unit=unit, year=year, defaults={"movement": movement}
        )
        if created:
            audit_record(actor=actor, action="emulation.registration_open", obj=found, year=year)
    return found


def _editable(actor: Any, registration_list: RegistrationList) -> None:
    if not access.registration_check_edit(actor, registration_list):
        raise _denied(actor, "emulation.registration_edit")
    if registration_list.state not in ("draft", "returned"):
        raise ValidationError(_("Bản đăng ký đã gửi; chỉ sửa khi Sở Nội vụ trả lại."))


def registration_add(
    *, actor: Any, registration_list: RegistrationList, award: str, staff: Staff | None = None
) -> Registration:
    """One line: the unit itself (``staff`` None) or one of its current staff aims for
    ``award`` (a title, or Giấy khen/Bằng khen)."""
    _editable(actor, registration_list)
    if award not in REGISTRABLE:
        raise ValidationError(
            _("Chỉ đăng ký danh hiệu thi đua, Giấy khen hoặc Bằng khen; «%(code)s» không đăng ký.")
            % {"code": rules.AWARD_NAMES.get(award, award)}
        )
    kind = rules.COLLECTIVE if staff is None else rules.INDIVIDUAL
    refusal = rules.subject_kind_refusal(award, kind)
    if refusal:
        raise ValidationError(_(refusal))
    if staff is not None and (staff.unit_id != registration_list.unit_id or not staff.is_active):
        raise ValidationError(_("Chỉ đăng ký cho cán bộ đang công tác tại đơn vị."))
    with transaction.atomic():
        if Registration.objects.filter(
            registration_list=registration_list, staff=staff, award=award
        ).exists():
            raise ValidationError(_("Danh hiệu này đã có trong bản đăng ký."))
        line = Registration.objects.create(
            registration_list=registration_list, staff=staff, award=award
        )
        audit_record(
            actor=actor,
            action="emulation.registration_add",
            obj=registration_list,
            award=award,
            staff=staff.code if staff else "",
        )
    return line


def registration_remove(*, actor: Any, line: Registration) -> None:
    registration_list = line.registration_list
    _editable(actor, registration_list)
    with transaction.atomic():
        audit_record(
            actor=actor,
            action="emulation.registration_remove",
            obj=registration_list,
            award=line.award,
            staff=line.staff_id or "",
        )
        line.delete()


def registration_submit(*, actor: Any, registration_list: RegistrationList) -> RegistrationList:
    _editable(actor, registration_list)
    if not registration_list.lines.exists():
        raise ValidationError(_("Bản đăng ký chưa có dòng nào."))
    with transaction.atomic():
        moved = RegistrationList.objects.filter(
            pk=registration_list.pk, state__in=("draft", "returned")
        ).update(state="submitted", submitted_at=timezone.now(), submitted_by=actor)
        if not moved:
            raise ValidationError(_("Bản đăng ký đã được gửi."))
        audit_record(actor=actor, action="emulation.registration_submit", obj=registration_list)
    registration_list.refresh_from_db()
    return registration_list


def registration_review(
    *, actor: Any, registration_list: RegistrationList, accept: bool, comment: str = ""
) -> RegistrationList:
    """Sở Nội vụ acknowledges a sent list, or returns it with what to change."""
    if not access.registration_check_review(actor, registration_list):
        raise _denied(actor, "emulation.registration_review")
    text = clean_text(comment, 2000)
    if not accept and not text:
        raise ValidationError(_("Cần ghi lý do trả lại bản đăng ký."))
    state = "accepted" if accept else "returned"
    with transaction.atomic():
        moved = RegistrationList.objects.filter(pk=registration_list.pk, state="submitted").update(
            state=state, comment=text
        )
        if not moved:
            raise ValidationError(_("Chỉ xử lý bản đăng ký đã gửi, chưa được xử lý."))
        audit_record(actor=actor, action=f"emulation.registration_{state}", obj=registration_list)
    registration_list.refresh_from_db()
    return registration_list


# --- Clusters and blocks -----------------------------------------------------------------------


def _manage_anywhere(actor: Any, what: str) -> None:
    if not permissions.may(actor, Action.EMULATION_MANAGE):
        raise _denied(actor, what)


def cluster_create(*, actor: Any, name: str, kind: str, note: str = "") -> Cluster:
    _manage_anywhere(actor, "emulation.cluster_create")
    name = nfc(name).strip()[:255]
    if not name:
        raise ValidationError(_("Cần ghi tên cụm, khối thi đua."))
    if kind not in rules.CLUSTER_KINDS:
        raise ValidationError(_("Loại phải là cụm hoặc khối thi đua."))
    with transaction.atomic():
        if Cluster.objects.filter(name__iexact=name).exists():
            raise ValidationError(_("Đã có cụm, khối thi đua cùng tên."))
        cluster = Cluster.objects.create(name=name, kind=kind, note=clean_text(note, 2000))
        audit_record(actor=actor, action="emulation.cluster_create", obj=cluster, name=name)
    return cluster


def parse_criteria(text: str) -> list[dict[str, Any]]:
    """``code | text | max`` one a line → [{"code", "text", "max"}]; a bad line is refused
    with its number."""
    found: list[dict[str, Any]] = []
    codes: set[str] = set()
    for number, raw in enumerate(clean_text(text, TEXT_MAX).split("\n"), start=1):
        if not raw.strip():
            continue
        parts = [p.strip() for p in raw.split("|")]
        if len(parts) != 3 or not parts[0] or not parts[1]:
            raise ValidationError(
                _("Dòng %(n)s: cần ghi «mã | nội dung | điểm tối đa».") % {"n": number}
            )
        code, label, top = parts
        try:
            maximum = Decimal(top.replace(",", "."))
        except InvalidOperation:
            maximum = Decimal(-1)
        if not maximum.is_finite() or not 0 < maximum <= 1000:
            raise ValidationError(
                _("Dòng %(n)s: điểm tối đa phải là số lớn hơn 0, không quá 1000.") % {"n": number}
            )
        if len(code) > 32 or code in codes:
            raise ValidationError(
                _("Dòng %(n)s: mã tiêu chí trùng hoặc dài quá 32 ký tự.") % {"n": number}
            )
        codes.add(code)
        found.append({"code": code, "text": label[:500], "max": f"{maximum.normalize():f}"})
    if not found:
        raise ValidationError(_("Cần ít nhất một tiêu chí chấm điểm."))
    return found


def cluster_year_save(
    *,
    actor: Any,
    cluster: Cluster,
    year: int,
    members: Sequence[Unit],
    leader: Unit | None,
    criteria_text: str,
    cluster_year: ClusterYear | None = None,
) -> ClusterYear:
    """Create or change a cluster's year: members (at least two current units in the
    actor's scope), the leading unit (one of them), the scoring criteria. Only before
    scoring opens."""
    _manage_anywhere(actor, "emulation.cluster_year_save")
    _year(year, _("Năm"))
    scope = permissions.unit_scope(actor, Action.EMULATION_MANAGE)
    members = list({u.pk: u for u in members}.values())
    if len(members) < 2:
        raise ValidationError(_("Cụm, khối cần ít nhất hai đơn vị thành viên."))
    if any(u.pk not in scope or u.valid_to is not None for u in members):
        raise ValidationError(_("Thành viên phải là đơn vị đang hoạt động trong phạm vi quản lý."))
    if leader is not None and leader.pk not in {u.pk for u in members}:
        raise ValidationError(_("Đơn vị trưởng cụm, khối phải là một thành viên."))
    criteria = parse_criteria(criteria_text)
    if cluster_year is not None and (cluster_year.scoring_open or cluster_year.ranked_at):
        raise ValidationError(_("Đã mở chấm điểm: không sửa thành viên và tiêu chí nữa."))
    with transaction.atomic():
        if cluster_year is None:
            if ClusterYear.objects.filter(cluster=cluster, year=year).exists():
                raise ValidationError(_("Cụm, khối đã có năm thi đua %(year)s.") % {"year": year})
            cluster_year = ClusterYear.objects.create(
                cluster=cluster, year=year, leader=leader, criteria=criteria
            )
        else:
            cluster_year.leader, cluster_year.criteria = leader, criteria
            cluster_year.save(update_fields=["leader", "criteria"])
        cluster_year.members.set(members)
        audit_record(
            actor=actor,
            action="emulation.cluster_year_save",
            obj=cluster_year,
            members=[u.code for u in members],
            criteria=[c["code"] for c in criteria],
        )
    return cluster_year


def cluster_scoring_open(*, actor: Any, cluster_year: ClusterYear) -> ClusterYear:
    _manage_anywhere(actor, "emulation.cluster_open")
    with transaction.atomic():
        moved = ClusterYear.objects.filter(
            pk=cluster_year.pk, scoring_open=False, ranked_at__isnull=True
        ).update(scoring_open=True)
        if not moved:
            raise ValidationError(_("Chấm điểm đã mở hoặc đã chốt xếp hạng."))
        audit_record(actor=actor, action="emulation.cluster_open", obj=cluster_year)
    cluster_year.refresh_from_db()
    return cluster_year


def cluster_scoring_close(*, actor: Any, cluster_year: ClusterYear) -> ClusterYear:
    """Close the scoring and fix the ranking (``ranked_at``)."""
    _manage_anywhere(actor, "emulation.cluster_close")
    with transaction.atomic():
        moved = ClusterYear.objects.filter(pk=cluster_year.pk, scoring_open=True).update(
            scoring_open=False, ranked_at=timezone.now()
        )
        if not moved:
            raise ValidationError(_("Chỉ chốt xếp hạng khi đang chấm điểm."))
        audit_record(actor=actor, action="emulation.cluster_close", obj=cluster_year)
    cluster_year.refresh_from_db()
    return cluster_year


def cluster_scores_set(
    *,
    actor: Any,
    cluster_year: ClusterYear,
    scorer: Unit,
    points: dict[tuple[int, str], Any],
) -> int:
    """The scorer unit's head gives the other members points on each criterion
    (``points``: (scored unit id, criterion code) → value; an empty value leaves that score
    out). All or nothing: one bad value refuses the whole sheet. Returns the scores kept."""
    member_ids = list(cluster_year.members.values_list("pk", flat=True))
    if scorer.pk not in member_ids or scorer.pk not in access.headed_units(actor, member_ids):
        raise _denied(actor, "emulation.cluster_score")
    if not cluster_year.scoring_open:
        raise ValidationError(_("Cụm, khối chưa mở hoặc đã chốt chấm điểm."))
    maxima = {c["code"]: Decimal(str(c["max"])) for c in cluster_year.criteria}
    clean: dict[tuple[int, str], Decimal | None] = {}
    for (scored, code), raw in points.items():
        if scored not in member_ids or code not in maxima:
            raise ValidationError(_("Đơn vị hoặc tiêu chí không thuộc cụm, khối."))
        text = str(raw if raw is not None else "").strip().replace(",", ".")
        if not text:
            clean[(scored, code)] = None
            continue
        try:
            value = Decimal(text)
        except InvalidOperation:
            raise ValidationError(_("Điểm «%(v)s» không phải là số.") % {"v": text[:20]}) from None
        if not value.is_finite():
            raise ValidationError(_("Điểm «%(v)s» không phải là số.") % {"v": text[:20]})
        refusal = rules.score_refusal(value, maxima[code], scorer.pk, scored)
        if refusal:
            raise ValidationError(_(refusal))
        clean[(scored, code)] = value.quantize(Decimal("0.01"))
    now = timezone.now()
    kept = 0
    with transaction.atomic():
        if not ClusterYear.objects.filter(pk=cluster_year.pk, scoring_open=True).exists():
            raise ValidationError(_("Cụm, khối chưa mở hoặc đã chốt chấm điểm."))
        for (scored, code), given in clean.items():
            rows = ClusterScore.objects.filter(
                cluster_year=cluster_year, scorer=scorer, scored_id=scored, criterion=code
            )
            if given is None:
                rows.delete()
                continue
            ClusterScore.objects.update_or_create(
                cluster_year=cluster_year,
                scorer=scorer,
                scored_id=scored,
                criterion=code,
                defaults={"points": given, "scored_by": actor, "scored_at": now},
            )
            kept += 1
        audit_record(
            actor=actor,
            action="emulation.cluster_score",
            obj=cluster_year,
            scorer=scorer.code,
            scores=kept,
        )
    return kept
