"""Excel export of a scoped staff list, as a background job (``core.jobs``): up to a whole
province's 50,000 rows, too many to write inside a request (decision 61)."""

from collections.abc import Iterator
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from congvu.core import jobs, permissions, xlsx
from congvu.core.i18n import vietnamese_labels
from congvu.core.permissions import Action
from congvu.organisations import selectors
from congvu.organisations.models import Staff, StaffCategory

STAFF_KIND = "organisations.staff"
EXPORT_HEADERS = [
    "Mã CB",
    "Họ",
    "Đệm",
    "Tên",
    "Giới tính",
    "Năm sinh",
    "Phân loại",
    "Chức vụ",
    "Lãnh đạo",
    "Mã đơn vị",
    "Tên đơn vị",
]
GENDERS = {"nam": "Nam", "nu": "Nữ"}


def staff_export_queryset(*, user: Any, q: str, unit_code: str) -> QuerySet[Staff] | None:
    """The staff ``user`` may export, filtered as the list page does; None when the unit is
    not in the user's scope."""
    unit = selectors.unit_get_by_code_for_user(user=user, code=unit_code) if unit_code else None
    if unit_code and unit is None:
        return None
    return selectors.staff_list_for_user(user=user, q=q, unit=unit, action=Action.STAFF_EXPORT)


def staff_rows(staff: QuerySet[Staff]) -> Iterator[list[Any]]:
    categories = vietnamese_labels(StaffCategory.choices)
    for s in staff.values_list(
        "code",
        "ho",
        "dem",
        "ten",
        "gender",
        "birth_year",
        "category",
        "position",
        "is_leader",
        "unit__code",
        "unit__name",
    ).iterator(chunk_size=2000):
        code, ho, dem, ten, gender, year, category, position, leader, unit_code, unit_name = s
        yield [
            code,
            ho,
            dem,
            ten,
            GENDERS.get(gender, "Khác"),
            year,
            categories.get(category, category),
            position,
            "Có" if leader else "Không",
            unit_code,
            unit_name,
        ]


def staff_export_produce(run: jobs.JobRun) -> int:
    """The creator's scope at run time: a lost right or unit refuses the job."""
    permissions.require(run.user, Action.STAFF_EXPORT)
    staff = staff_export_queryset(
        user=run.user, q=run.parameters.get("q", ""), unit_code=run.parameters.get("don_vi", "")
    )
    if staff is None:
        raise PermissionDenied
    run.begin(total=staff.count())
    return xlsx.save_rows(
        run.path,
        title="Cán bộ",
        headers=EXPORT_HEADERS,
        rows=staff_rows(staff),
        progress=run.progress,
        every=run.every,
    )


jobs.kind_register(
    jobs.JobKind(
        name=STAFF_KIND,
        label=_("Danh sách cán bộ, công chức, viên chức"),
        stem="can-bo",
        produce=staff_export_produce,
        back="organisations:staff_list",
        parameter_labels={"q": _("Tìm"), "don_vi": _("Đơn vị")},
    )
)
