"""API over units and staff, scoped by the caller's roles."""

from datetime import date

from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, Query, Router, Schema
from ninja.errors import HttpError
from ninja.pagination import PageNumberPagination, paginate

from congvu.core import permissions
from congvu.core.permissions import Action
from congvu.organisations import selectors

router = Router(tags=["Tổ chức"])


class UnitOut(Schema):
    id: int
    code: str
    name: str
    unit_type: str
    parent_id: int | None
    valid_from: date
    valid_to: date | None


class StaffOut(Schema):
    id: int
    code: str
    ho: str
    dem: str
    ten: str
    full_name: str
    gender: str
    birth_year: int
    category: str
    position: str
    is_leader: bool
    unit_code: str | None = Field(None, alias="unit.code")


class StaffFilter(Schema):
    unit: str | None = Field(None, max_length=32, description="Mã đơn vị (gồm đơn vị trực thuộc)")
    q: str = Field("", max_length=100, description="Tìm theo tên hoặc mã, không phân biệt dấu")


@router.get("/units", response=list[UnitOut], summary="Cơ cấu tổ chức vào một ngày")
def units(request: HttpRequest, as_of: date | None = None) -> list[UnitOut]:
    day = as_of or timezone.localdate()
    current, _ = selectors.unit_tree_as_of(day=day)
    allowed = permissions.scoped_unit_ids(request.user, Action.UNIT_VIEW, current)
    rows = [current[unit_id] for unit_id in allowed]
    rows.sort(key=lambda v: v.code)
    return [
        UnitOut(
            id=v.unit_id,
            code=v.code,
            name=v.name,
            unit_type=v.unit_type,
            parent_id=v.parent_id,
            valid_from=v.valid_from,
            valid_to=v.valid_to,
        )  # fmt: skip
        for v in rows
    ]


@router.get("/staff", response=list[StaffOut], summary="Danh sách cán bộ trong phạm vi")
@paginate(PageNumberPagination, page_size=50)
def staff(request: HttpRequest, filters: Query[StaffFilter]):
    unit = None
    if filters.unit:
        unit = selectors.unit_get_by_code_for_user(
            user=request.user, code=filters.unit.strip().upper()
        )
        if unit is None:
            raise HttpError(404, "Không tìm thấy đơn vị trong phạm vi của bạn.")
    return selectors.staff_list_for_user(user=request.user, q=filters.q, unit=unit)
