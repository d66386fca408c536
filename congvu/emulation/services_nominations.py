"""Nominations (hồ sơ đề nghị khen thưởng), initiatives and earlier achievements: the only
writers, each in one transaction with its audit record.

A unit's head proposes a person or a collective of the unit for a title or award; the engine's
report (``rules.eligibility`` over ``history``) is computed and kept with the dossier, again at
every submission and on request; Sở Nội vụ checks it, returns it or refuses it
(``rules.NOMINATION_MACHINE``); the council and the decision follow (``services_council``).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from congvu.core import permissions, uploads
from congvu.core.actors import SystemActor, is_system
from congvu.core.audit import audit_record
from congvu.core.dated_store import setting_overrides
from congvu.core.permissions import Action
from congvu.core.text import clean_text
from congvu.core.transitions import transition_decide, transition_record
from congvu.emulation import access, history, rules
from congvu.emulation.cli import answer_document
from congvu.emulation.models import (
    Achievement,
    Initiative,
    Movement,
    Nomination,
    NominationEvidence,
    NominationStep,
)
from congvu.emulation.services import nomination_step
from congvu.organisations.models import Staff, Unit

if TYPE_CHECKING:
    from congvu.accounts.models import User

SUMMARY_MAX = 6000
COMMENT_MAX = 2000
EVIDENCE_FOLDER = "emulation"
EVIDENCE_MAX_BYTES = 10 * 1024 * 1024
EVIDENCE_PER_NOMINATION = 20
ACTIVE = (
    rules.DRAFT,
    rules.SUBMITTED,
    rules.RETURNED,
    rules.CHECKED,
    rules.IN_SESSION,
    rules.APPROVED,
    rules.DECIDED,
)


def _denied(action: str) -> PermissionDenied:
    return PermissionDenied(action)


def _year_refusal(year: int, today: date) -> str | None:
    if not 2000 <= year <= today.year:
        return _("Năm thành tích phải từ 2000 đến năm nay.")
    return None


def _check_award(award: str, kind: str, year: int, staff: Any, unit: Any, one_subject: str) -> None:
    """One subject (``one_subject``: the refusal otherwise), an award it may receive, a year
    not in the future, a known kind of commendation."""
    if (staff is None) == (unit is None):
        raise ValidationError(one_subject)
    subject = rules.INDIVIDUAL if staff is not None else rules.COLLECTIVE
    refusal = rules.subject_kind_refusal(award, subject) or _year_refusal(
        year, timezone.localdate()
    )
    if refusal:
        raise ValidationError(refusal)
    if kind not in rules.AWARD_KINDS:
        raise ValidationError(_("Loại khen thưởng không hợp lệ."))


@dataclass(frozen=True)
class NominationSpec:
    award: str
    year: int
    summary: str
    staff: Staff | None = None
    subject_unit: Unit | None = None
    kind: str = rules.MERIT
    initiatives: Sequence[int] = ()
    pending: Sequence[str] = ()
    movement: Movement | None = None


def _pending(values: Iterable[str]) -> list[str]:
    chosen = [v for v in values if v]
    if any(v not in rules.PENDING or v == "discipline" for v in chosen):
        raise ValidationError(
            _("Tình tiết đang xem xét chỉ gồm: điều tra, thanh tra; khiếu nại, tố cáo.")
        )
    return sorted(set(chosen))


def _initiatives(
    spec_ids: Sequence[int], *, staff: Staff | None, unit: Unit | None, exclude: int | None
) -> list[Initiative]:
    """The initiatives a dossier relies on: the subject's own, not used, not relied on by
    another live dossier (rules P8: one initiative, one title or award)."""
    ids = sorted({int(i) for i in spec_ids})
    if not ids:
        return []
    owner = Q(staff=staff) if staff is not None else Q(unit=unit)
    found = list(Initiative.objects.filter(owner, pk__in=ids))
    if len(found) != len(ids):
        raise ValidationError(_("Sáng kiến đã chọn không thuộc người (tập thể) được đề nghị."))
    for initiative in found:
        if initiative.used_for:
            raise ValidationError(
                _("Sáng kiến «%(t)s» đã được dùng để xét %(a)s; mỗi sáng kiến chỉ dùng một lần.")
                % {"t": initiative.title, "a": rules.AWARD_NAMES[initiative.used_for]}
            )
        other = (
            initiative.nominations.filter(state__in=ACTIVE)
            .exclude(pk=exclude or 0)
            .exclude(state=rules.DECIDED)
            .first()
        )
        if other is not None:
            raise ValidationError(
                _("Sáng kiến «%(t)s» đang là căn cứ của hồ sơ khác (%(n)s).")
                % {"t": initiative.title, "n": str(other)}
            )
    return found


def _check_spec(actor: Any, spec: NominationSpec) -> Unit:
    _check_award(
        spec.award,
        spec.kind,
        spec.year,
        spec.staff,
        spec.subject_unit,
        _("Chọn một cá nhân hoặc một tập thể được đề nghị."),
    )
    if spec.staff is not None:
        if spec.staff.unit is None or not spec.staff.is_active:
            raise ValidationError(_("Người được đề nghị không còn công tác."))
        if spec.staff.pk == getattr(actor, "staff_id", None):
            raise _denied("emulation.nominate_self")
        unit = spec.staff.unit
    else:
        assert spec.subject_unit is not None
        if not spec.subject_unit.is_current:
            raise ValidationError(_("Tập thể được đề nghị đã kết thúc hoạt động."))
        unit = spec.subject_unit
    if not is_system(actor) and not permissions.can(actor, Action.EMULATION_PROPOSE, unit):
        raise _denied("emulation.nominate")
    if not clean_text(spec.summary, SUMMARY_MAX).strip():
        raise ValidationError(_("Cần tóm tắt thành tích."))
    return unit


def nomination_create(*, actor: User, spec: NominationSpec) -> Nomination:
    """A unit's head proposes a person or a collective of the unit (a draft, with the
    engine's report)."""
    unit = _check_spec(actor, spec)
    pending = _pending(spec.pending)
    with transaction.atomic():
        duplicate = Nomination.objects.filter(
            award=spec.award,
            year=spec.year,
            staff=spec.staff,
            subject_unit=spec.subject_unit,
            state__in=ACTIVE,
        ).first()
        if duplicate is not None:
            raise ValidationError(
                _("Đã có hồ sơ đề nghị %(a)s năm %(y)s cho đối tượng này.")
                % {"a": rules.AWARD_NAMES[spec.award], "y": spec.year}
            )
        initiatives = _initiatives(
            spec.initiatives, staff=spec.staff, unit=spec.subject_unit, exclude=None
        )
        nomination = Nomination.objects.create(
            unit=unit,
            staff=spec.staff,
            subject_unit=spec.subject_unit,
            award=spec.award,
            kind=spec.kind,
            year=spec.year,
            movement=spec.movement,
            summary=clean_text(spec.summary, SUMMARY_MAX),
            pending=pending,
            created_by=actor,
        )
        nomination.initiatives.set(initiatives)
        _evaluate(nomination)
        audit_record(
            actor=actor,
            action="emulation.nominate",
            obj=nomination,
            unit=unit.code,
            award=spec.award,
            year=spec.year,
            result=nomination.result,
        )
    return nomination


def nomination_update(
    *,
    actor: User,
    nomination: Nomination,
    summary: str,
    initiatives: Sequence[int],
    pending: Sequence[str],
) -> Nomination:
    """The proposer edits a draft or a returned dossier; the engine runs again."""
    with transaction.atomic():
        row = Nomination.objects.select_for_update(of=("self",)).get(pk=nomination.pk)
        if rules.PROPOSER not in access.nomination_roles(actor, row):
            raise _denied("emulation.nomination_edit")
        if row.state not in (rules.DRAFT, rules.RETURNED):
            raise ValidationError(_("Chỉ sửa hồ sơ đang lập hoặc bị trả lại."))
        text = clean_text(summary, SUMMARY_MAX)
        if not text.strip():
            raise ValidationError(_("Cần tóm tắt thành tích."))
        chosen = _initiatives(initiatives, staff=row.staff, unit=row.subject_unit, exclude=row.pk)
        row.summary, row.pending = text, _pending(pending)
        row.save(update_fields=["summary", "pending", "updated_at"])
        row.initiatives.set(chosen)
        _evaluate(row)
        audit_record(actor=actor, action="emulation.nomination_edit", obj=row)
    return row


def subject_of(nomination: Nomination) -> rules.Subject:
    if nomination.staff is not None:
        return history.staff_subject(
            nomination.staff, year=nomination.year, pending=nomination.pending
        )
    assert nomination.subject_unit is not None
    return history.unit_subject(
        nomination.subject_unit, year=nomination.year, pending=nomination.pending
    )


def eligibility_report(nomination: Nomination, day: date | None = None) -> dict[str, Any]:
    """The engine's report on the dossier today (docs/eligibility.md's output shape), for
    the year of the achievement, with the province's settings and the transitional rule."""
    day = day or timezone.localdate()
    overrides = setting_overrides(day)
    answer = rules.eligibility(
        nomination.award, subject_of(nomination), day, overrides, nomination.received_on
    )
    document = answer_document(answer, overrides)
    document["year"] = nomination.year
    document["as_of"] = day.isoformat()
    return document


def _evaluate(nomination: Nomination) -> None:
    report = eligibility_report(nomination)
    nomination.report, nomination.result = report, str(report["result"])
    nomination.checked_at = timezone.now()
    nomination.save(update_fields=["report", "result", "checked_at"])


def nomination_evaluate(*, actor: User, nomination: Nomination) -> Nomination:
    """Run the engine again (the history may have moved: a rating published, a decision)."""
    if not access.NOMINATION.allows(actor, Action.EMULATION_VIEW, nomination):
        raise _denied("emulation.nomination_evaluate")
    with transaction.atomic():
        row = Nomination.objects.select_for_update(of=("self",)).get(pk=nomination.pk)
        if row.state in (rules.DECIDED, rules.REFUSED):
            raise ValidationError(_("Hồ sơ đã kết thúc; kết quả kiểm tra được giữ nguyên."))
        _evaluate(row)
        audit_record(
            actor=actor, action="emulation.nomination_evaluate", obj=row, result=row.result
        )
    return row


def step_record(
    nomination: Nomination, move: str, before: str, text: str, actor: Any
) -> NominationStep:
    step = nomination_step(nomination, move, before, nomination.state, text, actor)
    step.save()
    return step


def nomination_move(
    *, actor: User, nomination: Nomination, move: str, comment: str = ""
) -> Nomination:
    """Submit (the proposer: the engine runs again and the day received is kept), return,
    check or refuse (Sở Nội vụ), withdraw (the proposer). Every move is kept."""
    comment = clean_text(comment, COMMENT_MAX)
    with transaction.atomic():
        row = Nomination.objects.select_for_update(of=("self",)).get(pk=nomination.pk)
        roles = access.nomination_roles(actor, row)
        if not roles:
            raise _denied("emulation.nomination_move")
        before = row.state
        decision = transition_decide(
            obj=row,
            machine=rules.NOMINATION_MACHINE,
            move=move,
            roles=roles,
            texts={"comment": comment},
            state_field="state",
        )
        fields: dict[str, Any] = {}
        if move == "submit" and row.received_on is None:
            fields["received_on"] = timezone.localdate()
        if move in ("return", "refuse", "check"):
            fields["comment"] = comment
        transition_record(
            actor=actor,
            obj=row,
            decision=decision,
            action=f"emulation.nomination_{move}",
            fields=fields,
            data={"comment": comment},
            state_field="state",
        )
        if move in ("submit", "check"):
            _evaluate(row)
        step_record(row, move, before, comment, actor)
    return row


def nomination_evidence_add(*, actor: User, nomination: Nomination, upload: Any) -> None:
    """A file of the dossier (the proposer, while it is a draft or returned)."""
    kept: uploads.Kept | None = None
    try:
        with transaction.atomic():
            row = Nomination.objects.select_for_update(of=("self",)).get(pk=nomination.pk)
            if rules.PROPOSER not in access.nomination_roles(actor, row):
                raise _denied("emulation.nomination_evidence")
            if row.state not in (rules.DRAFT, rules.RETURNED):
                raise ValidationError(_("Chỉ thêm tệp khi hồ sơ đang lập hoặc bị trả lại."))
            if row.evidence.count() >= EVIDENCE_PER_NOMINATION:
                raise ValidationError(
                    _("Tối đa %(n)s tệp mỗi hồ sơ.") % {"n": EVIDENCE_PER_NOMINATION}
                )
            kept = uploads.evidence_keep(
                upload, folder=EVIDENCE_FOLDER, limit=EVIDENCE_MAX_BYTES, default_name="ho-so"
            )
            item = NominationEvidence.objects.create(
                nomination=row, uploaded_by=actor, **kept.row()
            )
            audit_record(
                actor=actor, action="emulation.nomination_evidence", obj=row, file=item.sha256
            )
    except BaseException:
        if kept is not None:
            kept.path.unlink(missing_ok=True)
        raise


def evidence_path(evidence: NominationEvidence) -> Path:
    return uploads.evidence_dir(EVIDENCE_FOLDER) / evidence.stored_name


# --- Initiatives and earlier achievements ---------------------------------------------------


@dataclass(frozen=True)
class InitiativeSpec:
    title: str
    level: str
    year: int
    recognised_by: str
    kind: str = "sang_kien"
    staff: Staff | None = None
    unit: Unit | None = None


def initiative_record(*, actor: User | SystemActor, spec: InitiativeSpec) -> Initiative:
    """Record a recognised initiative or accepted research project (Sở Nội vụ, or the head of
    the author's unit)."""
    today = timezone.localdate()
    if (spec.staff is None) == (spec.unit is None):
        raise ValidationError(_("Chọn một tác giả: cá nhân hoặc tập thể."))
    if spec.level not in rules.INITIATIVE_LEVELS:
        raise ValidationError(_("Cấp công nhận không hợp lệ."))
    if spec.kind not in Initiative.KINDS:
        raise ValidationError(_("Loại sáng kiến không hợp lệ."))
    refusal = _year_refusal(spec.year, today)
    if refusal:
        raise ValidationError(refusal)
    title = clean_text(spec.title, 500).strip()
    basis = clean_text(spec.recognised_by, 255).strip()
    if not title or not basis:
        raise ValidationError(_("Cần tên sáng kiến và văn bản công nhận."))
    unit = spec.staff.unit if spec.staff is not None else spec.unit
    if not is_system(actor) and not (
        unit is not None
        and (
            permissions.can(actor, Action.EMULATION_MANAGE, unit)
            or permissions.can(actor, Action.EMULATION_PROPOSE, unit)
        )
    ):
        raise _denied("emulation.initiative_record")
    with transaction.atomic():
        initiative = Initiative.objects.create(
            staff=spec.staff,
            unit=spec.unit,
            kind=spec.kind,
            title=title,
            level=spec.level,
            year=spec.year,
            recognised_by=basis,
        )
        audit_record(actor=actor, action="emulation.initiative_record", obj=initiative)
    return initiative


@dataclass(frozen=True)
class PastAchievementSpec:
    award: str
    year: int
    source_document: str
    kind: str = rules.MERIT
    staff: Staff | None = None
    unit: Unit | None = None


def achievement_record_past(*, actor: User | SystemActor, spec: PastAchievementSpec) -> Achievement:
    """Record a title or award given by an earlier paper decision (Sở Nội vụ), so streaks
    reach back before the system."""
    _check_award(
        spec.award,
        spec.kind,
        spec.year,
        spec.staff,
        spec.unit,
        _("Chọn một cá nhân hoặc một tập thể."),
    )
    source = clean_text(spec.source_document, 255).strip()
    if not source:
        raise ValidationError(_("Cần số, ngày của quyết định khen thưởng."))
    unit = spec.staff.unit if spec.staff is not None else spec.unit
    if not is_system(actor) and not (
        unit is not None and permissions.can(actor, Action.EMULATION_MANAGE, unit)
    ):
        raise _denied("emulation.achievement_record")
    with transaction.atomic():
        if Achievement.objects.filter(
            staff=spec.staff,
            unit=spec.unit,
            award=spec.award,
            year=spec.year,
            revoked_at__isnull=True,
        ).exists():
            raise ValidationError(_("Thành tích này đã được ghi."))
        achievement = Achievement.objects.create(
            staff=spec.staff,
            unit=spec.unit,
            unit_then=unit,
            award=spec.award,
            kind=spec.kind,
            year=spec.year,
            source_document=source,
        )
        audit_record(actor=actor, action="emulation.achievement_record", obj=achievement)
    return achievement
