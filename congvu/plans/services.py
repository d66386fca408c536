"""Writers of plans: legal documents and their links, plans with their tasks, assignments to
units, the date of a conditional task's event, and a unit's progress. One transaction each,
an audit record each; bad input is a ``ValidationError`` in Vietnamese that changes nothing.

The actor is a user with the right over the units concerned (``plans.access``), or — for
documents, plans, assignments and events — the system (the demo, a seed loader), which has no
scope to check. Progress is a unit's own statement: only a user records it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from congvu.core import permissions, uploads
from congvu.core.actors import SystemActor, is_system
from congvu.core.audit import audit_record
from congvu.core.json_contract import InputError
from congvu.core.logging import log_event
from congvu.core.permissions import Action
from congvu.core.text import clean_text, fold, nfc
from congvu.organisations.models import Unit
from congvu.organisations.selectors import unit_lineage_ids
from congvu.plans import access, cli, rules
from congvu.plans.models import (
    Assignment,
    DocumentLink,
    DocumentType,
    LegalDocument,
    LinkKind,
    Plan,
    ProgressEntry,
    ProgressEvidence,
    ReportTemplate,
    Task,
)

if TYPE_CHECKING:
    from congvu.accounts.models import User

TEXT_MAX = 4000
LINE_MAX = 500
QUANTITIES_MAX = 20
QUANTITY_KEY_MAX = 64
QUANTITY_MAX = 1_000_000_000
TASKS_MAX = 200


def _refuse(actor: User | SystemActor, allowed: bool, action: str) -> None:
    """PermissionDenied (logged) unless the system acts or ``allowed``."""
    if is_system(actor) or allowed:
        return
    log_event("access.denied", user=actor.pk, action=action)
    raise PermissionDenied


def _line(value: str, label: str, limit: int, *, required: bool = True) -> str:
    text = nfc(value)
    if required and not text:
        raise ValidationError(_("Cần ghi %(label)s.") % {"label": label})
    if len(text) > limit:
        raise ValidationError(
            _("%(label)s dài quá %(limit)s ký tự.")
            % {"label": label[:1].upper() + label[1:], "limit": limit}
        )
    return text


def _not_future(day: date, label: str) -> None:
    if day > timezone.localdate():
        raise ValidationError(_("%(label)s không được sau ngày hôm nay.") % {"label": label})


def _day(day: date) -> str:
    return f"{day:%d/%m/%Y}"


# --- Documents ---------------------------------------------------------------------------------


def document_create(
    *,
    actor: User | SystemActor,
    doc_type: str,
    code: str,
    issued_on: date,
    issuer: str,
    summary: str,
    number: str = "",
    issuer_unit: Unit | None = None,
) -> LegalDocument:
    """Record a legal document (a decision, a plan, an instruction); ``issuer`` as it was
    named on the document's date. Searchable without diacritics (``search``)."""
    _refuse(actor, access.document_check_manage(actor), "plan.document_create")
    if doc_type not in DocumentType.values:
        raise ValidationError(_("Loại văn bản không có trong danh mục."))
    code = _line(code, _("số, ký hiệu văn bản"), 64)
    number = _line(number, _("số văn bản"), 32, required=False)
    issuer = _line(issuer, _("cơ quan ban hành"), 255)
    summary = clean_text(summary, TEXT_MAX)
    if not summary:
        raise ValidationError(_("Cần ghi trích yếu của văn bản."))
    _not_future(issued_on, _("Ngày ban hành"))
    if LegalDocument.objects.filter(code=code, issued_on=issued_on).exists():
        raise ValidationError(
            _("Văn bản %(code)s ngày %(day)s đã có.") % {"code": code, "day": _day(issued_on)}
        )
    with transaction.atomic():
        document = LegalDocument.objects.create(
            doc_type=doc_type,
            number=number,
            code=code,
            issued_on=issued_on,
            issuer=issuer,
            issuer_unit=issuer_unit,
            summary=summary,
            search=fold(f"{code} {issuer} {summary}"),
        )
        audit_record(actor=actor, action="plan.document_create", obj=document, code=code)
    return document


def document_link(
    *, actor: User | SystemActor, source: LegalDocument, target: LegalDocument, kind: str
) -> DocumentLink:
    """``source`` implements or cites ``target`` (the same link twice is the one link)."""
    _refuse(actor, access.document_check_manage(actor), "plan.document_link")
    if kind not in LinkKind.values:
        raise ValidationError(_("Quan hệ giữa hai văn bản không hợp lệ."))
    if source.pk == target.pk:
        raise ValidationError(_("Một văn bản không liên kết với chính nó."))
    with transaction.atomic():
        link, created = DocumentLink.objects.get_or_create(source=source, target=target, kind=kind)
        if created:
            audit_record(
                actor=actor,
                action="plan.document_link",
                obj=link,
                source=source.code,
                target=target.code,
                kind=kind,
            )
    return link


# --- Plans and tasks ---------------------------------------------------------------------------


@dataclass(frozen=True)
class TaskSpec:
    """A task as a plan states it. ``timing`` is in the shape of the ``congvu task-status``
    contract (``{"kind": "ongoing", "report_day": 15, "report_month": 11, "from_year": 2019}``)
    and is checked exactly as the command checks it; ``timing_text`` is the plan's own words."""

    number: str
    content: str
    timing: Mapping[str, Any]
    timing_text: str = ""
    lead_text: str = ""
    coordinating_text: str = ""
    expected_output: str = ""
    event: str = ""  # conditional: the event awaited, in words


def _timing(spec: TaskSpec) -> rules.Timing:
    raw = {k: (v.isoformat() if isinstance(v, date) else v) for k, v in spec.timing.items()}
    try:
        return cli.timing_parse(raw, "timing")
    except InputError as exc:
        raise ValidationError(
            _("Nhiệm vụ %(number)s: thời hạn không hợp lệ (%(problems)s).")
            % {"number": nfc(spec.number), "problems": "; ".join(exc.errors)}
        ) from exc


def _task(plan: Plan, position: int, spec: TaskSpec) -> Task:
    number = _line(spec.number, _("số thứ tự của nhiệm vụ"), 16)
    content = clean_text(spec.content, TEXT_MAX)
    if not content:
        raise ValidationError(_("Nhiệm vụ %(number)s: cần ghi nội dung.") % {"number": number})
    timing = _timing(spec)
    if timing.event_date is not None and timing.event_date > timezone.localdate():
        raise ValidationError(
            _("Nhiệm vụ %(number)s: ngày xảy ra sự kiện không được sau ngày hôm nay.")
            % {"number": number}
        )
    if timing.kind != rules.CONDITIONAL and nfc(spec.event):
        raise ValidationError(
            _("Nhiệm vụ %(number)s: chỉ nhiệm vụ sau một sự kiện mới ghi sự kiện.")
            % {"number": number}
        )
    return Task(
        plan=plan,
        number=number,
        position=position,
        content=content,
        expected_output=clean_text(spec.expected_output, TEXT_MAX),
        timing_text=_line(
            spec.timing_text, _("thời gian như văn bản ghi"), LINE_MAX, required=False
        ),
        lead_text=_line(spec.lead_text, _("đơn vị chủ trì"), LINE_MAX, required=False),
        coordinating_text=_line(
            spec.coordinating_text, _("đơn vị phối hợp"), LINE_MAX, required=False
        ),
        kind=timing.kind,
        due_on=timing.due_on,
        year=timing.year,
        day=timing.day,
        month=timing.month,
        from_year=timing.from_year,
        to_year=timing.to_year,
        event=_line(spec.event, _("sự kiện"), LINE_MAX, required=False),
        event_date=timing.event_date,
        within_days=timing.within_days,
    )


def plan_create(
    *,
    actor: User | SystemActor,
    document: LegalDocument,
    owner: Unit,
    title: str,
    tasks: Sequence[TaskSpec],
    purposes: str = "",
    requirements: str = "",
) -> Plan:
    """A plan issued by ``owner`` as ``document``, with its tasks in the order given."""
    _refuse(actor, access.plan_check_create(actor, owner), "plan.create")
    title = _line(title, _("tên kế hoạch"), 500)
    if not tasks:
        raise ValidationError(_("Kế hoạch cần ít nhất một nhiệm vụ."))
    if len(tasks) > TASKS_MAX:
        raise ValidationError(_("Tối đa %(n)s nhiệm vụ một kế hoạch.") % {"n": TASKS_MAX})
    numbers = [nfc(spec.number) for spec in tasks]
    repeated = sorted({n for n in numbers if numbers.count(n) > 1})
    if repeated:
        raise ValidationError(
            _("Số thứ tự nhiệm vụ bị trùng: %(numbers)s.") % {"numbers": ", ".join(repeated)}
        )
    if Plan.objects.filter(document=document).exists():
        raise ValidationError(_("Văn bản %(code)s đã là một kế hoạch.") % {"code": document.code})
    plan = Plan(
        document=document,
        owner=owner,
        title=title,
        purposes=clean_text(purposes, 20_000),
        requirements=clean_text(requirements, 20_000),
    )
    rows = [_task(plan, position, spec) for position, spec in enumerate(tasks, 1)]
    with transaction.atomic():
        plan.save()
        for row in rows:
            row.plan = plan
        Task.objects.bulk_create(rows)
        audit_record(
            actor=actor, action="plan.create", obj=plan, code=document.code, tasks=len(rows)
        )
    return plan


def _exists_on(unit: Unit, day: date) -> bool:
    return unit.valid_from <= day and (unit.valid_to is None or day < unit.valid_to)


def plan_assign(
    *, actor: User | SystemActor, plan: Plan, units: Sequence[Unit], day: date
) -> list[Assignment]:
    """Assign ``plan`` to ``units`` on ``day``: each unit's obligations. Idempotent per unit
    (a unit already assigned keeps its assignment and its day)."""
    _refuse(actor, access.plan_check_assign(actor, plan, list(units)), "plan.assign")
    if not units:
        raise ValidationError(_("Cần chọn ít nhất một đơn vị."))
    _not_future(day, _("Ngày giao"))
    if day < plan.document.issued_on:
        raise ValidationError(
            _("Không giao kế hoạch trước ngày ban hành %(day)s.")
            % {"day": _day(plan.document.issued_on)}
        )
    missing = sorted(unit.code for unit in units if not _exists_on(unit, day))
    if missing:
        raise ValidationError(
            _("Đơn vị không tồn tại vào ngày %(day)s: %(codes)s.")
            % {"day": _day(day), "codes": ", ".join(missing)}
        )
    with transaction.atomic():
        # One assigner at a time: lock the plan's row alone (no ordering, no join).
        list(Plan.objects.select_for_update().filter(pk=plan.pk).order_by().values_list("pk"))
        have = set(Assignment.objects.filter(plan=plan).values_list("unit_id", flat=True))
        new = [
            Assignment(
                plan=plan,
                unit=unit,
                assigned_on=day,
                assigned_by=None if is_system(actor) else actor,
            )
            for unit in {u.pk: u for u in units}.values()
            if unit.pk not in have
        ]
        Assignment.objects.bulk_create(new)
        if new:
            audit_record(
                actor=actor,
                action="plan.assign",
                obj=plan,
                units=sorted(a.unit.code for a in new),
                day=day.isoformat(),
            )
    return list(
        Assignment.objects.filter(plan=plan, unit__in=units).select_related("unit").order_by("pk")
    )


def event_date_set(*, actor: User | SystemActor, task: Task, day: date | None) -> Task:
    """Record (or correct, or clear) the day a conditional task's event happened."""
    _refuse(actor, access.plan_check_manage(actor, task.plan), "plan.event_date")
    if task.kind != rules.CONDITIONAL:
        raise ValidationError(_("Chỉ nhiệm vụ thực hiện sau một sự kiện mới có ngày sự kiện."))
    if day is not None:
        _not_future(day, _("Ngày xảy ra sự kiện"))
    with transaction.atomic():
        task = Task.objects.select_for_update().get(pk=task.pk)
        before = task.event_date
        task.event_date = day
        task.save(update_fields=["event_date"])
        audit_record(
            actor=actor,
            action="plan.event_date",
            obj=task,
            before=before.isoformat() if before else None,
            after=day.isoformat() if day else None,
        )
    return task


# --- Progress ----------------------------------------------------------------------------------


def _quantities(raw: Mapping[str, Any] | None) -> dict[str, int]:
    """A few counts (staff trained, inspections held): Vietnamese names, whole numbers ≥ 0."""
    if raw is None:
        return {}
    if not isinstance(raw, Mapping):
        raise ValidationError(_("Số liệu phải là các cặp tên – số."))
    if len(raw) > QUANTITIES_MAX:
        raise ValidationError(_("Tối đa %(n)s số liệu mỗi lần.") % {"n": QUANTITIES_MAX})
    clean: dict[str, int] = {}
    for key, value in raw.items():
        name = nfc(key) if isinstance(key, str) else ""
        if not name or len(name) > QUANTITY_KEY_MAX or not any(ch.isalpha() for ch in name):
            raise ValidationError(
                _("Tên số liệu cần có chữ, tối đa %(n)s ký tự.") % {"n": QUANTITY_KEY_MAX}
            )
        if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value <= QUANTITY_MAX:
            raise ValidationError(
                _("Số liệu «%(name)s» phải là số nguyên từ 0 đến %(max)s.")
                % {"name": name, "max": f"{QUANTITY_MAX:,}".replace(",", ".")}
            )
        if name in clean:
            raise ValidationError(_("Số liệu «%(name)s» bị trùng.") % {"name": name})
        clean[name] = value
    return clean


def _period(task: Task, period: int | None, on: date) -> int | None:
    """The year an entry reports on: one the task has (a single deadline has none)."""
    timing = task.timing()
    if timing.kind not in (rules.YEARLY, rules.ONGOING):
        if period is not None:
            raise ValidationError(
                _("Nhiệm vụ %(number)s có một thời hạn, không chia theo kỳ.")
                % {"number": task.number}
            )
        return None
    year = on.year if period is None else period
    assert timing.from_year is not None
    last = on.year if timing.to_year is None else min(timing.to_year, on.year)
    if not timing.from_year <= year <= last:
        raise ValidationError(
            _("Nhiệm vụ %(number)s không có kỳ năm %(year)s (từ %(first)s đến %(last)s).")
            % {"number": task.number, "year": year, "first": timing.from_year, "last": last}
        )
    return year


def unit_owes_plan(*, plan_id: int, unit: Unit) -> bool:
    """Whether ``unit`` owes the plan: it is assigned to the unit or to a unit that lives on in
    it (merged into it, or dissolved into it)."""
    lineage = unit_lineage_ids(unit=unit)
    return Assignment.objects.filter(plan_id=plan_id, unit_id__in=sorted(lineage)).exists()


def unit_is_obliged(*, task: Task, unit: Unit) -> bool:
    """Whether ``unit`` owes ``task`` (``unit_owes_plan`` for the task's plan)."""
    return unit_owes_plan(plan_id=task.plan_id, unit=unit)


def progress_record(
    *,
    actor: User,
    task: Task,
    unit: Unit,
    on: date,
    state: str,
    text: str,
    period: int | None = None,
    quantities: Mapping[str, Any] | None = None,
    evidence: Sequence[Any] = (),
) -> ProgressEntry:
    """What ``unit`` did on ``task`` for ``period`` (a year, for a recurring task), as of
    ``on``, with its evidence files (``evidence``: uploads, kept with the entry or not at
    all). Never edited: a correction is a new entry."""
    if is_system(actor) or not access.progress_check_record(actor, unit):
        log_event("access.denied", user=getattr(actor, "pk", None), action="plan.progress")
        raise PermissionDenied
    if state not in rules.ENTRY_STATES:
        raise ValidationError(_("Tình trạng không hợp lệ."))
    _not_future(on, _("Ngày ghi tiến độ"))
    if not _exists_on(unit, on):
        raise ValidationError(
            _("Đơn vị %(code)s không hoạt động vào ngày %(day)s.")
            % {"code": unit.code, "day": _day(on)}
        )
    if not unit_is_obliged(task=task, unit=unit):
        raise ValidationError(
            _("Kế hoạch của nhiệm vụ này chưa được giao cho đơn vị %(code)s.") % {"code": unit.code}
        )
    year = _period(task, period, on)
    body = clean_text(text, TEXT_MAX)
    if not body:
        raise ValidationError(_("Cần ghi kết quả thực hiện."))
    counts = _quantities(quantities)
    with transaction.atomic():
        entry = ProgressEntry.objects.create(
            task=task,
            unit=unit,
            on=on,
            period=year,
            state=state,
            text=body,
            quantities=counts,
            created_by=actor,
        )
        audit_record(
            actor=actor,
            action="plan.progress",
            obj=entry,
            task=task.number,
            unit=unit.code,
            state=state,
            period=year,
        )
        kept: list[ProgressEvidence] = []
        try:
            for upload in evidence:
                kept.append(progress_evidence_attach(actor=actor, entry=entry, upload=upload))
        except BaseException:
            for row in kept:  # the entry and its rows roll back: so do the files
                progress_evidence_path(row).unlink(missing_ok=True)
            raise
    return entry


# --- Evidence of progress -------------------------------------------------------------------

EVIDENCE_MAX_BYTES = 10 * 1024 * 1024
EVIDENCE_PER_ENTRY = 10
EVIDENCE_FOLDER = "plans"


def progress_evidence_attach(*, actor: User, entry: ProgressEntry, upload: Any) -> ProgressEvidence:
    """Attach a file to a progress entry of the actor's unit (PLAN_PROGRESS over it); the
    stored file is removed when its row is not written."""
    if not permissions.can(actor, Action.PLAN_PROGRESS, entry.unit):
        log_event("access.denied", user=actor.pk, action="plans.evidence")
        raise PermissionDenied
    if entry.evidence.count() >= EVIDENCE_PER_ENTRY:
        raise ValidationError(
            _("Mỗi lần báo cáo tiến độ có tối đa %(limit)s tệp minh chứng.")
            % {"limit": EVIDENCE_PER_ENTRY}
        )
    kept = uploads.evidence_keep(
        upload, folder=EVIDENCE_FOLDER, limit=EVIDENCE_MAX_BYTES, default_name="minh-chung"
    )
    try:
        with transaction.atomic():
            evidence = ProgressEvidence.objects.create(
                entry=entry,
                **kept.row(),
                uploaded_by=actor,
                uploaded_at=timezone.now(),
            )
            audit_record(
                actor=actor,
                action="plans.evidence_attach",
                obj=evidence,
                entry=entry.pk,
                sha256=kept.sha256,
            )
    except BaseException:
        kept.path.unlink(missing_ok=True)
        raise
    return evidence


def progress_evidence_get_for_user(*, user: Any, pk: Any) -> ProgressEvidence | None:
    """A file, if the user may see its entry's unit (the check inside the query)."""
    qs = ProgressEvidence.objects.select_related("entry")
    qs = permissions.filter_by_unit_field(user, Action.PLAN_VIEW, qs, "entry__unit_id")
    return permissions.first_by_pk(qs, pk)


def progress_evidence_path(evidence: ProgressEvidence) -> Path:
    return uploads.evidence_dir(EVIDENCE_FOLDER) / evidence.stored_name


# --- Report templates ------------------------------------------------------------------------


def template_save(
    *,
    actor: User,
    owner: Unit,
    name: str,
    text: str,
    template: ReportTemplate | None = None,
) -> ReportTemplate:
    """Create a report template in the name of ``owner`` (``plan.manage`` over it), or change
    ``template``'s name and parts; the parts are read from ``text`` (``rules.template_parse``).
    Reports already started keep the parts they started with."""
    if template is not None:
        allowed = access.template_check_manage(actor, template)
    else:
        allowed = permissions.can(actor, Action.PLAN_MANAGE, owner)
    _refuse(actor, allowed and not is_system(actor), "plans.template")
    name = _line(name, _("Tên mẫu"), 200)
    try:
        sections = rules.template_parse(clean_text(text, TEXT_MAX), fold)
    except ValueError as error:
        raise ValidationError(str(error).splitlines()) from None
    same = ReportTemplate.objects.filter(name=name)
    if template is not None:
        same = same.exclude(pk=template.pk)
    if same.exists():
        raise ValidationError(_("Đã có mẫu báo cáo tên «%(name)s».") % {"name": name})
    with transaction.atomic():
        if template is None:
            template = ReportTemplate(owner=owner, created_by=actor)
        template.name = name
        template.sections = [s.as_json() for s in sections]
        template.save()
        audit_record(actor=actor, action="plans.template_save", obj=template, parts=len(sections))
    return template


def plan_template_set(
    *, actor: User | SystemActor, plan: Plan, template: ReportTemplate | None
) -> Plan:
    """The template the units' reports on ``plan`` start from (None: the default)."""
    _refuse(actor, access.plan_check_manage(actor, plan), "plans.plan_template")
    with transaction.atomic():
        plan.report_template = template
        plan.save(update_fields=["report_template"])
        audit_record(
            actor=actor,
            action="plans.plan_template",
            obj=plan,
            template=template.name if template else "",
        )
    return plan
