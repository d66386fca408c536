"""Read-only API over plans (docs/plans.md), scoped like the pages: the plans the caller sees
with ``plan.view`` (over the issuing unit or an assigned unit), a plan's tasks with their
timing and, with ``as_of``, the derived status of each task for each unit in the caller's
scope. A plan outside the scope answers 404, as an unknown one does."""

from datetime import date
from typing import Any

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema
from ninja.errors import HttpError
from ninja.pagination import paginate

from congvu.organisations.api import IsoDay, Pagination
from congvu.plans import cli, rules, selectors
from congvu.plans.models import Plan, Task

router = Router(tags=["Kế hoạch"])


class PlanOut(Schema):
    id: int
    code: str = Field(alias="document.code")
    doc_type: str = Field(alias="document.doc_type")
    issued_on: date = Field(alias="document.issued_on")
    issuer: str = Field(alias="document.issuer")
    summary: str = Field(alias="document.summary")
    title: str
    owner_code: str = Field(alias="owner.code")


class TaskOut(Schema):
    id: int
    number: str
    content: str
    expected_output: str
    lead_text: str
    coordinating_text: str
    timing: dict[str, Any]
    timing_text: str
    kind_label: str
    event: str

    @staticmethod
    def resolve_timing(obj: Task) -> dict[str, Any]:
        return cli.timing_as_json(obj.timing())

    @staticmethod
    def resolve_kind_label(obj: Task) -> str:
        return rules.KIND_NAMES[obj.kind]


class PeriodOut(Schema):
    period: int
    due: date
    status: str


class StatusOut(Schema):
    task_id: int
    status: str
    status_label: str
    due: date | None
    days_late: int | None
    periods: list[PeriodOut]
    reasons: list[dict[str, str]]


class UnitStatusOut(Schema):
    unit_id: int
    code: str
    name: str
    tasks: list[StatusOut]


class PlanDetailOut(PlanOut):
    purposes: str
    requirements: str
    tasks: list[TaskOut]
    as_of: date | None = None
    units: list[UnitStatusOut] | None = None
    counts: dict[str, int] | None = None


class PlanQuery(Schema):
    as_of: IsoDay | None = Field(
        None, description="Ngày tính tình trạng (YYYY-MM-DD); bỏ trống: không tính tình trạng"
    )


@router.get("/plans", response=list[PlanOut], summary="Kế hoạch trong phạm vi")
@paginate(Pagination, page_size=50, max_page_size=200)
def plans(request: HttpRequest):
    """Các kế hoạch người gọi được xem: do đơn vị trong phạm vi ban hành, hoặc được giao cho
    đơn vị trong phạm vi (kể cả đơn vị đã sáp nhập vào đơn vị đó), mới nhất trước."""
    return selectors.plan_list_for_user(user=request.user)


def _status(task_id: int, found: rules.Status) -> StatusOut:
    return StatusOut(
        task_id=task_id,
        status=found.status,
        status_label=rules.STATUS_NAMES[found.status],
        due=found.due,
        days_late=found.days_late,
        periods=[PeriodOut(period=p.period, due=p.due, status=p.status) for p in found.periods],
        reasons=[r.as_json() for r in found.reasons],
    )


@router.get(
    "/plans/{plan_id}",
    response=PlanDetailOut,
    summary="Một kế hoạch: nhiệm vụ, thời hạn và tình trạng theo đơn vị",
)
def plan_detail(request: HttpRequest, plan_id: int, query: Query[PlanQuery]) -> Any:
    """Nhiệm vụ của kế hoạch với thời hạn (như lệnh `congvu task-status`); với `as_of`,
    tình trạng từng nhiệm vụ của từng đơn vị trong phạm vi người gọi vào ngày đó (đơn vị đã
    sáp nhập hiện dưới đơn vị kế thừa). Kế hoạch ngoài phạm vi: 404."""
    plan: Plan | None = selectors.plan_get_for_user(user=request.user, pk=plan_id)
    if plan is None:
        raise HttpError(404, "Không tìm thấy kế hoạch trong phạm vi của bạn.")
    out = PlanDetailOut.from_orm(plan)  # the tasks in their order (Task.Meta.ordering)
    if query.as_of is not None:
        matrix = selectors.progress_matrix(plan=plan, as_of=query.as_of, user=request.user)
        out.as_of = query.as_of
        out.counts = dict(sorted(matrix.counts.items()))
        out.units = [
            UnitStatusOut(
                unit_id=row.unit_id,
                code=row.code,
                name=row.name,
                tasks=[_status(t.pk, matrix.status(row.unit_id, t.pk)) for t in matrix.tasks],
            )
            for row in matrix.rows
        ]
    return out
