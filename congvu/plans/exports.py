"""The plans' background jobs (``core.jobs``): the consolidated periodic report (for a
province's hundreds of units the Word file is long work; decision 67) and the Excel file of a
plan's progress entries (tens of thousands of rows over the years), each started by a page that
then shows the job's progress (QUALITY.md B4)."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from congvu.core import jobs, permissions, xlsx
from congvu.core.i18n import vietnamese_labels
from congvu.core.official_docx import DOCX_TYPE
from congvu.core.permissions import Action
from congvu.organisations.models import Unit
from congvu.plans import documents, reporting, selectors
from congvu.plans.models import ProgressEntry

CONSOLIDATED_KIND = "plans.consolidated"
PROGRESS_KIND = "plans.progress"


def consolidated_produce(run: jobs.JobRun) -> int:
    """Sở Nội vụ's consolidated report on a plan for a year, with the creator's rights when
    the job runs: the plan must still be theirs to manage, the units those in their scope."""
    plan = selectors.plan_get_for_user(user=run.user, pk=run.parameters.get("plan"))
    issuer = Unit.objects.filter(pk=run.parameters.get("unit")).first()
    if plan is None or issuer is None or not permissions.can(run.user, Action.PLAN_MANAGE, issuer):
        raise PermissionDenied
    year = int(run.parameters.get("year", 0))
    today = timezone.localdate()
    rows = reporting.cycle_board(user=run.user, plan=plan, year=year, today=today)
    run.begin(total=len(rows))
    content = documents.consolidated_docx(plan=plan, year=year, rows=rows, issuer=issuer, day=today)
    run.path.write_bytes(content)
    run.progress(len(rows))
    return len(rows)


jobs.kind_register(
    jobs.JobKind(
        name=CONSOLIDATED_KIND,
        label=_("Báo cáo tổng hợp kết quả thực hiện kế hoạch"),
        stem="bao-cao-tong-hop",
        produce=consolidated_produce,
        content_type=DOCX_TYPE,
        parameter_labels={"plan": _("Kế hoạch"), "year": _("Năm"), "unit": _("Đơn vị")},
    )
)


# --- A plan's progress entries in Excel --------------------------------------------------------

PROGRESS_HEADERS = [
    "Mã đơn vị",
    "Đơn vị",
    "Mục",
    "Nhiệm vụ",
    "Ngày",
    "Kỳ",
    "Tình trạng",
    "Kết quả thực hiện",
    "Số liệu",
    "Người ghi",
]
PROGRESS_FORMATS = {4: "DD/MM/YYYY"}
PROGRESS_FIELDS = (
    "unit__code",
    "unit__name",
    "task__number",
    "task__content",
    "on",
    "period",
    "state",
    "text",
    "quantities",
    "created_by__last_name",
    "created_by__first_name",
    "created_by__username",
)


def quantities_text(quantities: Mapping[str, Any] | None) -> str:
    """``{"Số lượt tập huấn": 3}`` as "Số lượt tập huấn: 3"; several joined by "; " in the
    order of their names, the same on every engine (PostgreSQL's jsonb keeps no key order)."""
    return "; ".join(f"{name}: {value}" for name, value in sorted((quantities or {}).items()))


def progress_rows(entries: QuerySet[ProgressEntry]) -> Iterator[list[Any]]:
    """One row per entry, streamed: tuples from one joined query (no model instances, no
    query per row), labels computed once."""
    states = vietnamese_labels(ProgressEntry._meta.get_field("state").choices or [])
    ordered = entries.order_by("unit__code", "task__position", "task_id", "on", "pk")
    for (
        code,
        name,
        number,
        content,
        on,
        period,
        state,
        text,
        quantities,
        last_name,
        first_name,
        username,
    ) in ordered.values_list(*PROGRESS_FIELDS).iterator(chunk_size=2000):
        yield [
            code,
            name,
            number,
            content,
            on,
            period,
            states.get(state, state),
            text,
            quantities_text(quantities),
            f"{last_name} {first_name}".strip() or username,
        ]


def progress_produce(run: jobs.JobRun) -> int:
    """The plan's progress entries the creator may read when the job runs: the plan must still
    be visible to them, the entries those of the units in their scope (a unit head's own)."""
    plan = selectors.plan_get_for_user(user=run.user, pk=run.parameters.get("plan"))
    if plan is None:
        raise PermissionDenied
    entries = selectors.progress_list_for_user(user=run.user, plan=plan)
    run.begin(total=entries.count())
    return xlsx.save_rows(
        run.path,
        title="Tiến độ",
        headers=PROGRESS_HEADERS,
        rows=progress_rows(entries),
        formats=PROGRESS_FORMATS,
        progress=run.progress,
        every=run.every,
    )


jobs.kind_register(
    jobs.JobKind(
        name=PROGRESS_KIND,
        label=_("Tiến độ thực hiện kế hoạch"),
        stem="tien-do",
        produce=progress_produce,
        parameter_labels={"plan": _("Kế hoạch")},
    )
)
