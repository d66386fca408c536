"""Read-only API over reports, scoped like the pages (``feedback.view``): never the reporter."""

from datetime import date

from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, Query, Router, Schema
from ninja.errors import HttpError
from ninja.pagination import paginate

from congvu.core.permissions import Action
from congvu.feedback import categories, rules, selectors
from congvu.feedback.models import Report
from congvu.feedback.selectors import ReportFilter
from congvu.organisations.api import NO_NUL, Pagination
from congvu.organisations.selectors import unit_get_by_code_for_user

router = Router(tags=["Phản ánh, kiến nghị"])


class ReportOut(Schema):
    id: int
    code: str
    unit_code: str = Field(alias="unit.code")
    unit_name: str = Field(alias="unit.name")
    category: str
    category_label: str
    status: str
    status_label: str = Field(alias="status_name")
    happened_on: date
    received_on: date
    due_on: date
    answered_on: date | None
    overdue: bool
    handling_days: int
    official_name: str
    description: str
    public_answer: str
    substantiated: bool | None

    @staticmethod
    def resolve_category_label(obj: Report) -> str:
        return categories.label_of(obj.category, obj.categories_version)

    @staticmethod
    def resolve_official_name(obj: Report) -> str:
        return obj.official.full_name if obj.official_id else obj.official_name

    @staticmethod
    def resolve_overdue(obj: Report) -> bool:
        return rules.is_overdue(obj.status, obj.due_on, timezone.localdate(), obj.answered_on)

    @staticmethod
    def resolve_handling_days(obj: Report) -> int:
        return ((obj.answered_on or timezone.localdate()) - obj.received_on).days


class ReportQuery(Schema):
    status: str = Field(
        "",
        max_length=16,
        pattern=r"^[a-z]*$",
        description="Trạng thái (received, verifying, handled, answered, closed, "
        "rejected) hoặc open (đang chờ xử lý)",
    )
    overdue: bool = Field(False, description="Chỉ phản ánh quá hạn")
    unit: str | None = Field(
        None,
        max_length=32,
        pattern=NO_NUL,
        description="Mã đơn vị (gồm đơn vị trực thuộc và lịch sử)",
    )


# The operation id the schema published before the app was renamed (a client may name it).
@router.get(
    "/reports",
    response=list[ReportOut],
    summary="Phản ánh, kiến nghị trong phạm vi",
    operation_id="congvu_reports_api_reports",
)
@paginate(Pagination, page_size=50, max_page_size=200)
def reports(request: HttpRequest, filters: Query[ReportQuery]):
    unit = None
    if filters.unit:
        unit = unit_get_by_code_for_user(user=request.user, code=filters.unit.strip().upper())
        if unit is None:
            raise HttpError(404, "Không tìm thấy đơn vị trong phạm vi của bạn.")
    qs = selectors.report_list_for_user(user=request.user, action=Action.FEEDBACK_VIEW)
    f = ReportFilter(status=filters.status, overdue=filters.overdue, unit=unit)
    return selectors.report_filter(qs, f, today=timezone.localdate()).order_by(
        "-received_at", "-id"
    )
