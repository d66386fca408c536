"""API over units and staff, scoped by the caller's roles."""

import re
from datetime import date
from typing import Annotated

from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, Query, Router, Schema
from ninja.errors import HttpError
from ninja.pagination import PageNumberPagination, paginate
from pydantic import BeforeValidator

from congvu.core import permissions
from congvu.core.permissions import Action
from congvu.organisations import selectors

router = Router(tags=["Tổ chức"])


def _iso_day(value: object) -> object:
    # pydantic would also take "0" or "1.5e9" as a Unix time: only YYYY-MM-DD is a day here.
    if isinstance(value, str) and not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        raise ValueError("Ngày phải theo dạng YYYY-MM-DD.")
    return value


IsoDay = Annotated[date, BeforeValidator(_iso_day)]


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


NO_NUL = r"^[^\x00]*$"  # PostgreSQL text cannot hold NUL: refuse it as bad input (422)


class StaffFilter(Schema):
    unit: str | None = Field(
        None, max_length=32, pattern=NO_NUL, description="Mã đơn vị (gồm đơn vị trực thuộc)"
    )
    q: str = Field(
        "", max_length=100, pattern=NO_NUL, description="Tìm theo tên hoặc mã, không phân biệt dấu"
    )


@router.get("/units", response=list[UnitOut], summary="Cơ cấu tổ chức vào một ngày")
def units(request: HttpRequest, as_of: IsoDay | None = None) -> list[UnitOut]:
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
        )
        for v in rows
    ]


class Pagination(PageNumberPagination):
    """Bounded page numbers: an enormous page overflowed the database's OFFSET (500)."""

    class Input(Schema):
        page: int = Field(1, ge=1, le=1_000_000, description="Trang, từ 1")
        page_size: int | None = Field(
            None, ge=1, le=200, description="Số dòng mỗi trang (mặc định 50)"
        )


@router.get("/staff", response=list[StaffOut], summary="Danh sách cán bộ trong phạm vi")
@paginate(Pagination, page_size=50, max_page_size=200)
def staff(request: HttpRequest, filters: Query[StaffFilter]):
    unit = None
    if filters.unit:
        unit = selectors.unit_get_by_code_for_user(
            user=request.user, code=filters.unit.strip().upper()
        )
        if unit is None:
            raise HttpError(404, "Không tìm thấy đơn vị trong phạm vi của bạn.")
    return selectors.staff_list_for_user(user=request.user, q=filters.q, unit=unit)
