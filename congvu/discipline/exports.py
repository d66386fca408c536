"""Excel export of the scoped, filtered discipline register, as a background job
(``core.jobs``): a province's register over the years outgrows a request (decision 61)."""

from collections.abc import Iterator
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from congvu.core import jobs, permissions, xlsx
from congvu.core.i18n import vietnamese_labels
from congvu.core.permissions import Action
from congvu.discipline import selectors
from congvu.discipline.models import DisciplineRecord
from congvu.discipline.rules import FORMS, SYSTEMS
from congvu.organisations.models import StaffCategory

REGISTER_KIND = "discipline.register"
HEADERS = [
    "Mã CB",
    "Họ và tên",
    "Đơn vị khi bị kỷ luật",
    "Phân loại",
    "Lãnh đạo",
    "Loại kỷ luật",
    "Hình thức",
    "Số quyết định",
    "Ngày quyết định",
    "Cơ quan quyết định",
    "Có hiệu lực từ",
    "Hết hiệu lực từ",
    "Hành vi vi phạm",
    "Liên quan công vụ",
    "Hủy bỏ ngày",
    "Lý do hủy bỏ",
]
DATE_FORMATS = dict.fromkeys((8, 10, 11, 14), "DD/MM/YYYY")


def register_rows(records: QuerySet[DisciplineRecord]) -> Iterator[list[Any]]:
    categories = vietnamese_labels(StaffCategory.choices)
    for r in records.select_related("staff", "unit").iterator(chunk_size=2000):
        yield [
            r.staff.code,
            r.staff.full_name,
            r.unit.name,
            categories.get(r.category, r.category),
            "Có" if r.is_leader else "Không",
            SYSTEMS.get(r.system, r.system),
            FORMS.get(r.form, r.form),
            r.decision_number,
            r.decision_date,
            r.issuer,
            r.effective_from,
            r.effective_to,
            r.violation,
            "Có" if r.duty_related else "Không",
            timezone.localtime(r.revoked_at).date() if r.revoked_at else None,
            r.revoke_reason,
        ]


def register_export_produce(run: jobs.JobRun) -> int:
    """The creator's scope at run time: a lost right, unit or person refuses the job."""
    permissions.require(run.user, Action.DISCIPLINE_VIEW)
    raw = {name: str(run.parameters.get(name, "")) for name in selectors.FILTER_FIELDS}
    where, errors = selectors.register_filter_parse(user=run.user, raw=raw)
    if errors:
        raise PermissionDenied
    records = selectors.discipline_register(user=run.user, where=where)
    run.begin(total=records.count())
    return xlsx.save_rows(
        run.path,
        title="Kỷ luật",
        headers=HEADERS,
        rows=register_rows(records),
        formats=DATE_FORMATS,
        progress=run.progress,
        every=run.every,
    )


jobs.kind_register(
    jobs.JobKind(
        name=REGISTER_KIND,
        label=_("Sổ theo dõi kỷ luật"),
        stem="so-ky-luat",
        produce=register_export_produce,
        back="discipline:record_list",
        parameter_labels={
            "q": _("Tìm"),
            "don_vi": _("Đơn vị"),
            "nam": _("Năm"),
            "hinh_thuc": _("Hình thức"),
            "trang_thai": _("Trạng thái"),
            "can_bo": _("Mã hồ sơ cán bộ"),
        },
    )
)
