"""Excel export of the handling list of citizens' reports, as a background job (``core.jobs``):
per unit for a handler, but a whole province's reports (≈30,000 a year) for Sở Nội vụ, too
many to write inside a request (decision 61). Never the reporter, whoever exports: no column
reads ``ReporterContact``, and the rows are the handling list's (``feedback.access.REPORT``:
never a report about the creator themself)."""

from collections.abc import Iterator
from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from congvu.core import jobs, permissions, xlsx
from congvu.core.permissions import Action
from congvu.feedback import rules, selectors
from congvu.feedback.models import Report

HANDLING_KIND = "feedback.handling"
EXPORT_HEADERS = [
    "Mã theo dõi",
    "Đơn vị",
    "Nhóm hành vi",
    "Ngày xảy ra",
    "Ngày tiếp nhận",
    "Hạn trả lời",
    "Trạng thái",
    "Quá hạn",
    "Ngày trả lời",
    "Số ngày xử lý",
    "Người bị phản ánh",
    "Nơi xảy ra",
    "Nội dung",
    "Trả lời công khai",
]


def handling_export_queryset(
    *, user: Any, raw: dict[str, str], today: date
) -> QuerySet[Report] | None:
    """The reports ``user`` handles, filtered as the handling list is; None when the filtered
    unit is not (or no longer) in the user's scope."""
    units = selectors.report_units_for_user(user=user, action=Action.REPORT_HANDLE)
    where = selectors.report_filter_parse(raw=raw, units=units)
    if where is None:
        return None
    reports = selectors.report_list_for_user(user=user, action=Action.REPORT_HANDLE)
    return selectors.report_filter(reports, where, today=today).order_by("received_at", "id")


def handling_rows(reports: QuerySet[Report], *, today: date) -> Iterator[list[Any]]:
    for r in reports.iterator(chunk_size=1000):
        (row,) = selectors.report_rows([r], today=today)
        yield [  # citizens' text: "=HYPERLINK(…)" stays text (save_rows writes through append)
            rules.tracking_code_display(r.code),
            r.unit.name,
            row.category,
            r.happened_on.strftime("%d/%m/%Y"),
            r.received_on.strftime("%d/%m/%Y"),
            r.due_on.strftime("%d/%m/%Y"),
            r.status_name,
            "Có" if row.overdue else "Không",
            r.answered_on.strftime("%d/%m/%Y") if r.answered_on else "",
            row.handling_days,
            r.official.full_name if r.official else r.official_name,
            r.place,
            r.description,
            r.public_answer,
        ]


def handling_export_produce(run: jobs.JobRun) -> int:
    """The creator's scope at run time: a lost right or unit refuses the job."""
    permissions.require(run.user, Action.REPORT_HANDLE)
    raw = {name: str(run.parameters.get(name, "")) for name in selectors.FILTER_FIELDS}
    today = timezone.localdate()
    reports = handling_export_queryset(user=run.user, raw=raw, today=today)
    if reports is None:
        raise PermissionDenied
    run.begin(total=reports.count())
    return xlsx.save_rows(
        run.path,
        title="Phản ánh",
        headers=EXPORT_HEADERS,
        rows=handling_rows(reports, today=today),
        progress=run.progress,
        every=run.every,
    )


jobs.kind_register(
    jobs.JobKind(
        name=HANDLING_KIND,
        label=_("Danh sách phản ánh, kiến nghị"),
        stem="phan-anh",
        produce=handling_export_produce,
        back="feedback:handling_list",
        parameter_labels={
            "q": _("Tìm"),
            "trang_thai": _("Trạng thái"),
            "don_vi": _("Đơn vị"),
            "qua_han": _("Quá hạn"),
        },
    )
)
