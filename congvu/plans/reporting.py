"""The periodic reports on a plan (báo cáo định kỳ): a unit's yearly report, due 15/11, and
Sở Nội vụ's consolidated report, due 01/12 (seed 000; dated settings a province may change).

A report is started pre-filled from the unit's progress entries of the year, edited while a
draft or returned, sent; Sở Nội vụ returns it with a comment or accepts it. Every move keeps
a version of the content (``ReportVersion``), so nothing a unit sent is lost. Moves go through
the kernel's workflow (``rules.REPORT_MACHINE``, ``core.transitions``) with an audit record.
Reminders go 7 and 1 days before the due day to the unit's heads (``reminders_send``)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from congvu.core import permissions
from congvu.core.audit import audit_record
from congvu.core.dated_store import setting_overrides
from congvu.core.logging import log_event
from congvu.core.notifications import notifications_send
from congvu.core.permissions import Action
from congvu.core.text import clean_text
from congvu.core.transitions import transition_decide, transition_record
from congvu.organisations.models import Unit
from congvu.organisations.selectors import unit_lineage_ids
from congvu.plans import rules
from congvu.plans.access import REPORT
from congvu.plans.models import (
    ExplanationRequest,
    PeriodicReport,
    Plan,
    ProgressEntry,
    ReportVersion,
    Task,
    UnitTask,
)
from congvu.plans.selectors import units_owing
from congvu.plans.services import unit_owes_plan

if TYPE_CHECKING:
    from congvu.accounts.models import User

SECTION_MAX = 20_000


def report_list_for_user(*, user: Any) -> QuerySet[PeriodicReport]:
    qs = PeriodicReport.objects.select_related("plan__document", "unit")
    return REPORT.filter(user, Action.PLAN_VIEW, qs)


def report_get_for_user(*, user: Any, pk: Any) -> PeriodicReport | None:
    return permissions.first_by_pk(report_list_for_user(user=user), pk)


def report_roles(user: Any, report: PeriodicReport) -> frozenset[str]:
    """``unit`` (writes and sends: PLAN_PROGRESS over the report's unit; for the consolidated
    report, Sở Nội vụ's PLAN_MANAGE) and ``reviewer`` (returns, accepts: PLAN_MANAGE over a
    unit's report). Nobody reviews what they sent themself."""
    roles = set()
    writes = Action.PLAN_MANAGE if report.consolidated else Action.PLAN_PROGRESS
    if REPORT.allows(user, writes, report):
        roles.add(rules.UNIT)
    if not report.consolidated and REPORT.allows(user, Action.PLAN_MANAGE, report):
        sent = report.versions.filter(move=rules.SUBMIT).order_by("-number").first()
        if sent is None or sent.actor_id != user.pk:
            roles.add(rules.REVIEWER)
    return frozenset(roles)


@dataclass(frozen=True)
class TaskLine:
    """One task's line of the pre-filled report, with the rows it was built from:
    ``prefilled`` is the text the data gave, ``text`` what the unit made of it."""

    number: str
    content: str
    status: str
    entry_ids: tuple[int, ...]
    text: str
    prefilled: str


def template_of(plan: Plan) -> tuple[rules.Section, ...]:
    template = plan.report_template
    return template.parts() if template is not None else rules.DEFAULT_TEMPLATE


def report_sections(report: PeriodicReport) -> tuple[rules.Section, ...]:
    """The parts a report was started with (its own copy), the default for older ones."""
    return rules.template_load(report.content.get("template"))


def prefill(plan: Plan, unit: Unit, year: int, as_of: date) -> dict[str, Any]:
    """The report's content from the data, in the parts of the plan's template: per task,
    the year's progress entries of the unit and the units that live on in it, and the task's
    derived status on ``as_of``; the figures of the other capabilities; an empty text for
    each part the unit writes. Each line keeps the ids of the entries it counts, so a page
    can link to them and a test recount."""
    sections = template_of(plan)
    content = _data(plan, unit, year, as_of)
    content["template"] = [s.as_json() for s in sections]
    for section in sections:
        if section.kind == rules.TEXT:
            content[section.key] = ""
    return content


def _data(plan: Plan, unit: Unit, year: int, as_of: date) -> dict[str, Any]:
    lineage = sorted(unit_lineage_ids(unit=unit))
    entries = list(
        ProgressEntry.objects.filter(task__plan=plan, unit_id__in=lineage)
        .filter(on__lte=as_of)
        .order_by("task_id", "on", "pk")
    )
    by_task: dict[int, list[ProgressEntry]] = {}
    for entry in entries:
        by_task.setdefault(entry.task_id, []).append(entry)
    lines = []
    for task in plan.tasks.order_by("position", "pk"):
        mine = by_task.get(task.pk, [])
        of_year = [e for e in mine if e.entry().year() == year]
        status = rules.task_status(task.timing(), [e.entry() for e in mine], as_of)
        text = "\n".join(e.text for e in of_year)
        lines.append(
            TaskLine(
                task.number,
                task.content,
                status.status,
                tuple(e.pk for e in of_year),
                text,
                text,
            ).__dict__
        )
    return {
        "tasks": lines,
        "figures": [f.as_json() for f in figures(unit, year, as_of)],
        "counts": {s: sum(1 for line in lines if line["status"] == s) for s in rules.STATUSES},
    }


def refreshed(report: PeriodicReport, as_of: date) -> dict[str, Any]:
    """The report's content with its data read again on ``as_of`` (tasks' status and entries,
    figures, counts): the unit's texts stay; a task's text the unit did not change follows
    the data."""
    data = _data(report.plan, report.unit, report.year, as_of)
    old = {line["number"]: line for line in report.content.get("tasks", [])}
    for line in data["tasks"]:
        before = old.get(line["number"])
        if before is not None and before.get("text", "") != before.get("prefilled", ""):
            line["text"] = before["text"]
    return {**report.content, **data}


@dataclass(frozen=True)
class Figure:
    """One pre-filled number and the rows it counts: ``model`` and ``filter`` (JSON) recount
    it (``recount``), and a page links to the list of those rows."""

    key: str
    label: str
    model: str
    filter: dict[str, Any]
    value: int

    def as_json(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "label": self.label,
            "model": self.model,
            "filter": self.filter,
            "value": self.value,
        }


def recount(figure: dict[str, Any]) -> int:
    """The count of the rows a stored figure names (what the test checks it against)."""
    from django.apps import apps

    model = apps.get_model(figure["model"])
    return model._default_manager.filter(**figure["filter"]).count()


def figures(unit: Unit, year: int, as_of: date) -> list[Figure]:
    """The numbers a unit's report carries from the other capabilities for ``year``, up to
    ``as_of``, over the unit and the units that merged into it."""
    ids = sorted(unit_lineage_ids(unit=unit))
    start, end = f"{year}-01-01", f"{min(as_of, date(year, 12, 31)).isoformat()}"
    specs: list[tuple[str, str, str, dict[str, Any]]] = [
        (
            "evaluations",
            "Hồ sơ đánh giá, xếp loại đã công bố",
            "evaluations.evaluation",
            {"unit_id__in": ids, "cycle__year": year, "state": "published", "staff__isnull": False},
        ),
        (
            "evaluations_htxs",
            "Trong đó: Hoàn thành xuất sắc nhiệm vụ",
            "evaluations.evaluation",
            {
                "unit_id__in": ids,
                "cycle__year": year,
                "state": "published",
                "staff__isnull": False,
                "final_level": "HTXS",
            },
        ),
        (
            "evaluations_khtnv",
            "Trong đó: Không hoàn thành nhiệm vụ",
            "evaluations.evaluation",
            {
                "unit_id__in": ids,
                "cycle__year": year,
                "state": "published",
                "staff__isnull": False,
                "final_level": "KHT",
            },
        ),
        (
            "discipline",
            "Quyết định kỷ luật (còn hiệu lực pháp lý)",
            "discipline.disciplinerecord",
            {"unit_id__in": ids, "decision_date__range": [start, end], "revoked_at__isnull": True},
        ),
        (
            "ratings",
            "Lượt đánh giá sự hài lòng được tính",
            "ratings.rating",
            {"unit_id__in": ids, "day__range": [start, end], "status": "counted"},
        ),
        (
            "ratings_satisfied",
            "Trong đó: hài lòng (4–5 sao)",
            "ratings.rating",
            {"unit_id__in": ids, "day__range": [start, end], "status": "counted", "score__gte": 4},
        ),
        (
            "feedback",
            "Phản ánh, kiến nghị của người dân đã tiếp nhận",
            "feedback.report",
            {"unit_id__in": ids, "received_at__date__range": [start, end]},
        ),
        (
            "feedback_answered",
            "Trong đó: đã trả lời",
            "feedback.report",
            {
                "unit_id__in": ids,
                "received_at__date__range": [start, end],
                "status__in": ["answered", "closed", "rejected"],
            },
        ),
        (
            "supervision",
            "Kiến nghị giám sát của Mặt trận",
            "feedback.supervisionfinding",
            {"unit_id__in": ids, "filed_at__date__range": [start, end]},
        ),
    ]
    found = []
    for key, label, model, where in specs:
        value = recount({"model": model, "filter": where})
        found.append(Figure(key, label, model, where, value))
    return found


def unit_report_due(year: int) -> date:
    """The day a unit's yearly report is due (15/11 unless the province set another)."""
    return _due(year, False)


def _due(year: int, consolidated: bool) -> date:
    name = "plans.consolidated_report_due" if consolidated else "plans.unit_report_due"
    return rules.yearly_due(name, year, setting_overrides(date(year, 1, 1)))


def report_start(
    *, actor: User, plan: Plan, unit: Unit, year: int, consolidated: bool = False
) -> PeriodicReport:
    """The unit's report on ``plan`` for ``year``, pre-filled (the existing one if started)."""
    action = Action.PLAN_MANAGE if consolidated else Action.PLAN_PROGRESS
    if not permissions.can(actor, action, unit):
        log_event("access.denied", user=actor.pk, action="plans.report_start")
        raise PermissionDenied
    if not consolidated and not unit_owes_plan(plan_id=plan.pk, unit=unit):
        raise ValidationError(_("Kế hoạch này không giao cho đơn vị %(unit)s.") % {"unit": unit})
    today = timezone.localdate()
    if not 2000 <= year <= today.year:
        raise ValidationError(_("Năm báo cáo không hợp lệ: %(year)s.") % {"year": year})
    with transaction.atomic():
        report, created = PeriodicReport.objects.get_or_create(
            plan=plan,
            unit=unit,
            year=year,
            consolidated=consolidated,
            defaults={"due": _due(year, consolidated), "content": prefill(plan, unit, year, today)},
        )
        if created:
            audit_record(actor=actor, action="plans.report_start", obj=report, year=year)
    return report


def _editable(actor: User, report: PeriodicReport) -> PeriodicReport:
    """The report locked for writing, if the actor writes it and it is a draft or returned."""
    report = PeriodicReport.objects.select_for_update(of=("self",)).get(pk=report.pk)
    if rules.UNIT not in report_roles(actor, report):
        raise PermissionDenied
    if report.status not in (rules.DRAFT, rules.RETURNED):
        raise ValidationError(_("Báo cáo đã gửi: chỉ sửa được khi còn đang soạn hoặc bị trả lại."))
    return report


def report_save(*, actor: User, report: PeriodicReport, sections: dict[str, str]) -> PeriodicReport:
    """Save the unit's texts (the template's text parts, each task's text; ``task:<number>``)
    while the report is a draft or was returned; the figures stay those of the data."""
    with transaction.atomic():
        report = _editable(actor, report)
        content = dict(report.content)
        for part in report_sections(report):
            if part.kind == rules.TEXT and part.key in sections:
                content[part.key] = clean_text(sections[part.key], SECTION_MAX)
        texts = {k.removeprefix("task:"): v for k, v in sections.items() if k.startswith("task:")}
        content["tasks"] = [
            {**line, "text": clean_text(texts[line["number"]], SECTION_MAX)}
            if line["number"] in texts
            else line
            for line in content.get("tasks", [])
        ]
        report.content = content
        report.save(update_fields=["content", "updated_at"])
        audit_record(actor=actor, action="plans.report_save", obj=report)
    return report


def report_move(
    *, actor: User, report: PeriodicReport, move: str, comment: str = ""
) -> PeriodicReport:
    """Send, return (with a comment) or accept; a version of the content is kept each time.
    Sending reads the data again (``refreshed``), so the figures sent equal a recount."""
    comment = clean_text(comment, SECTION_MAX)
    with transaction.atomic():
        report = PeriodicReport.objects.select_for_update(of=("self",)).get(pk=report.pk)
        roles = report_roles(actor, report)
        if not roles:
            raise PermissionDenied
        decision = transition_decide(
            obj=report,
            machine=rules.REPORT_MACHINE,
            move=move,
            roles=roles,
            texts={"comment": comment},
        )
        fields: dict[str, Any] = {}
        if move == rules.SUBMIT:  # what is sent carries the data as it is when sent
            fields["content"] = refreshed(report, timezone.localdate())
            if report.submitted_on is None:
                fields["submitted_on"] = timezone.localdate()
        transition_record(
            actor=actor,
            obj=report,
            decision=decision,
            action=f"plans.report_{move}",
            fields=fields,
            data={"comment": comment},
        )
        number = report.versions.count() + 1
        ReportVersion.objects.create(
            report=report,
            number=number,
            move=move,
            status=report.status,
            content=report.content,
            comment=comment,
            actor=actor,
            at=timezone.now(),
        )
    return report


def report_refresh(*, actor: User, report: PeriodicReport) -> PeriodicReport:
    """Read the data again into a draft or returned report (the unit's texts stay)."""
    with transaction.atomic():
        report = _editable(actor, report)
        report.content = refreshed(report, timezone.localdate())
        report.save(update_fields=["content", "updated_at"])
        audit_record(actor=actor, action="plans.report_refresh", obj=report)
    return report


@dataclass(frozen=True)
class LateRow:
    unit: Unit
    report: PeriodicReport | None
    due: date
    days_late: int | None

    @property
    def groups(self) -> tuple[str, ...]:
        return rules.board_groups(self.report.status if self.report else None, self.days_late)


def cycle_board(*, user: Any, plan: Plan, year: int, today: date) -> list[LateRow]:
    """Sở Nội vụ's board: every unit the plan is assigned to (a merged unit under its
    successor), its report's status and how late it is; only units in the user's scope."""
    if not permissions.may(user, Action.PLAN_VIEW):
        return []
    return board(
        plan=plan, year=year, today=today, scope=permissions.unit_scope(user, Action.PLAN_VIEW)
    )


def board(
    *, plan: Plan, year: int, today: date, scope: frozenset[int] = permissions.EVERYTHING
) -> list[LateRow]:
    """The board over the units in ``scope`` (everything: the consolidated report, the
    command line), the latest first, then by name."""
    ids = sorted(u for u in units_owing(plan=plan, day=today) if u in scope)
    unit_rows = Unit.objects.in_bulk(ids)
    reports = {
        r.unit_id: r
        for r in PeriodicReport.objects.filter(
            plan=plan, year=year, consolidated=False, unit_id__in=ids
        )
    }
    due = _due(year, False)
    rows = [
        LateRow(
            unit_rows[u],
            reports.get(u),
            due,
            rules.report_late(
                due,
                today,
                reports[u].status if u in reports else rules.DRAFT,
                reports[u].submitted_on if u in reports else None,
            ),
        )
        for u in ids
        if u in unit_rows
    ]
    return sorted(rows, key=lambda r: (r.days_late is None, -(r.days_late or 0), r.unit.sort_key))


def board_counts(rows: list[LateRow]) -> dict[str, int]:
    """How many units are in each of the board's groups (``rules.BOARD_GROUPS``)."""
    counts = dict.fromkeys(rules.BOARD_GROUPS, 0)
    for row in rows:
        for group in row.groups:
            counts[group] += 1
    return counts


def reminders_send(*, today: date) -> int:
    """Remind the heads of every unit owing an assigned plan (a unit merged since: the unit
    that carries it on, ``units_owing``) whose yearly report is due in 7 or 1 days and not
    sent (once a day per report and offset); the count sent."""
    overrides = setting_overrides(today)
    due = rules.yearly_due("plans.unit_report_due", today.year, overrides)
    left = rules.reminder_due(due, today, rules.reminder_days(today, overrides))
    if left is None:
        return 0
    sent = {
        (r.plan_id, r.unit_id)
        for r in PeriodicReport.objects.filter(year=today.year, consolidated=False).exclude(
            status__in=(rules.DRAFT, rules.RETURNED)
        )
    }
    count = 0
    plans = Plan.objects.filter(assignments__isnull=False).distinct().select_related("document")
    for plan in plans:
        for unit_id in sorted(units_owing(plan=plan, day=today)):  # a merged unit: its successor
            if (plan.pk, unit_id) in sent:
                continue
            notifications_send(
                recipient_ids=permissions.unit_heads(unit_id, Action.PLAN_PROGRESS, today),
                kind="plan_reminder",
                message=_(
                    "Còn %(days)s ngày đến hạn gửi báo cáo năm %(year)s về %(plan)s (hạn %(due)s)."
                )
                % {
                    "days": left,
                    "year": today.year,
                    "plan": plan.document.code,
                    "due": f"{due:%d/%m/%Y}",
                },
                key=f"plans.reminder:{plan.pk}:{unit_id}:{today.year}:{left}",
            )
            count += 1
    return count


# --- Requests to explain a late task (yêu cầu giải trình) ----------------------------------


def explanation_ask(
    *, actor: User, task: Task, unit: Unit, question: str, as_of: date | None = None
) -> ExplanationRequest:
    """A plan's manager asks ``unit`` to explain ``task``, which must be late for the unit on
    ``as_of`` (today); the unit's heads are told in their inbox."""
    if not permissions.can(actor, Action.PLAN_MANAGE, unit):
        log_event("access.denied", user=actor.pk, action="plans.explanation_ask")
        raise PermissionDenied
    question = clean_text(question, SECTION_MAX)
    if not question:
        raise ValidationError(_("Cần ghi nội dung yêu cầu giải trình."))
    day = as_of or timezone.localdate()
    if not unit_owes_plan(plan_id=task.plan_id, unit=unit):
        raise ValidationError(_("Kế hoạch này không giao cho đơn vị %(unit)s.") % {"unit": unit})
    entries = ProgressEntry.objects.filter(
        task=task, unit_id__in=sorted(unit_lineage_ids(unit=unit))
    )
    status = rules.task_status(task.timing(), [e.entry() for e in entries], day)
    if status.status != rules.LATE:
        raise ValidationError(
            _("Chỉ yêu cầu giải trình nhiệm vụ đang quá hạn (nhiệm vụ %(number)s: %(status)s).")
            % {"number": task.number, "status": rules.STATUS_NAMES[status.status].lower()}
        )
    with transaction.atomic():
        request = ExplanationRequest.objects.create(
            task=task, unit=unit, question=question, asked_by=actor, asked_at=timezone.now()
        )
        audit_record(actor=actor, action="plans.explanation_ask", obj=request, task=task.number)
        notifications_send(
            recipient_ids=permissions.unit_heads(unit.pk, Action.PLAN_PROGRESS, day),
            kind="plan_explain",
            message=_("Yêu cầu giải trình nhiệm vụ %(number)s quá hạn.") % {"number": task.number},
            subject=request,
        )
    return request


def explanation_answer(
    *, actor: User, request: ExplanationRequest, answer: str
) -> ExplanationRequest:
    """The unit answers once; the answer is kept as given."""
    if not permissions.can(actor, Action.PLAN_PROGRESS, request.unit):
        log_event("access.denied", user=actor.pk, action="plans.explanation_answer")
        raise PermissionDenied
    answer = clean_text(answer, SECTION_MAX)
    if not answer:
        raise ValidationError(_("Cần ghi nội dung giải trình."))
    with transaction.atomic():
        request = ExplanationRequest.objects.select_for_update(of=("self",)).get(pk=request.pk)
        if request.answered_at is not None:
            raise ValidationError(_("Yêu cầu này đã được giải trình."))
        request.answer, request.answered_by, request.answered_at = answer, actor, timezone.now()
        request.save(update_fields=["answer", "answered_by", "answered_at"])
        audit_record(actor=actor, action="plans.explanation_answer", obj=request)
    return request


# --- A unit's own implementation of the plan -----------------------------------------------


def unit_task_add(
    *,
    actor: User,
    task: Task,
    unit: Unit,
    content: str,
    owner: Any = None,
    due_on: date | None = None,
) -> UnitTask:
    """The unit writes how it will carry out ``task``: its own content, the staff member in
    charge (of the unit, in the actor's scope) and its own due day (not after the plan's)."""
    if not permissions.can(actor, Action.PLAN_PROGRESS, unit):
        log_event("access.denied", user=actor.pk, action="plans.unit_task")
        raise PermissionDenied
    content = clean_text(content, SECTION_MAX)
    if not content:
        raise ValidationError(_("Cần ghi nội dung cụ thể của đơn vị."))
    if not unit_owes_plan(plan_id=task.plan_id, unit=unit):
        raise ValidationError(_("Kế hoạch này không giao cho đơn vị %(unit)s.") % {"unit": unit})
    if owner is not None and owner.unit_id != unit.pk:
        raise ValidationError(_("Người phụ trách phải là cán bộ của đơn vị."))
    plan_due = task.due_on if task.kind == rules.BY_DATE else None
    if due_on is not None and plan_due is not None and due_on > plan_due:
        raise ValidationError(
            _("Hạn của đơn vị không được sau hạn của kế hoạch (%(due)s).")
            % {"due": f"{plan_due:%d/%m/%Y}"}
        )
    with transaction.atomic():
        row = UnitTask.objects.create(
            task=task, unit=unit, content=content, owner=owner, due_on=due_on, created_by=actor
        )
        audit_record(actor=actor, action="plans.unit_task", obj=row, task=task.number)
    return row
