"""``POST /api/v1/ratings``: a one-stop system (hệ thống một cửa) pushes citizens' ratings.

Up to 1,000 ratings per request, idempotent by the system's own id: sending the same id
again with the same content answers "existing" and stores nothing; with other content it
is rejected. Each item is checked on its own and answered in ``results``, in order. The
token's account must hold ``desk.manage`` (a Sở Nội vụ or unit-head role): it may push
ratings only for the units of its roles. A malformed request (wrong types, a bad length,
more than 1,000 items) is refused whole with 422.
"""

import re
from datetime import datetime
from typing import Annotated, Literal

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest
from ninja import Field, Router, Schema
from ninja.errors import HttpError
from pydantic import (
    AwareDatetime,
    BeforeValidator,
    ConfigDict,
    StrictBool,
    StrictInt,
    StrictStr,
    create_model,
)

from congvu.organisations.api import NO_NUL
from congvu.ratings import rules, services
from congvu.ratings.services import IngestItem

router = Router(tags=["Đánh giá sự hài lòng"])

_ISO = re.compile(
    r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?(Z|[+-]\d{2}:?\d{2})", re.IGNORECASE
)


def _iso_moment(value: object) -> object:
    # pydantic would also take a number as a Unix time: only ISO 8601 text with an offset.
    if not isinstance(value, str) or not _ISO.fullmatch(value):
        raise ValueError(
            "Thời điểm phải theo ISO 8601 có múi giờ, ví dụ 2026-11-21T09:30:00+07:00."
        )
    return value


Moment = Annotated[AwareDatetime, BeforeValidator(_iso_moment)]


class _ConductBase(Schema):
    """Bộ quy tắc «4 xin, 4 luôn, 3 không»: true = cán bộ làm đúng, false = không đúng,
    bỏ trống = người dân không trả lời."""

    model_config = ConfigDict(extra="forbid")


Conduct = create_model(
    "Conduct",
    __base__=_ConductBase,
    **{
        item.code: (StrictBool | None, Field(None, description=item.label))
        for item in rules.CONDUCT_ITEMS
    },
)  # the item codes of rules.CONDUCT_ITEMS, so the API and the form never drift apart


class RatingIn(Schema):
    model_config = ConfigDict(extra="forbid")

    id: StrictStr = Field(
        min_length=1,
        max_length=64,
        pattern=r"^[^\x00-\x1f\x7f]+$",
        description="Mã của đánh giá trong hệ thống một cửa: gửi lại cùng mã không tạo bản ghi mới.",
    )
    unit: StrictStr = Field(
        "", max_length=32, pattern=NO_NUL, description="Mã đơn vị (khi không nêu điểm đánh giá)."
    )
    desk: StrictInt | None = Field(
        None, ge=1, le=2**53, description="Số điểm đánh giá trong CôngVụ (thay cho mã đơn vị)."
    )
    staff: StrictStr = Field(
        "", max_length=32, pattern=NO_NUL, description="Mã cán bộ tiếp nhận hồ sơ (nếu có)."
    )
    score: StrictInt = Field(ge=1, le=5, description="Mức hài lòng, 1 (rất không hài lòng) đến 5.")
    conduct: Conduct | None = Field(None, description="Giao tiếp, ứng xử của cán bộ.")  # type: ignore[valid-type]
    reason: StrictStr = Field(
        "",
        max_length=rules.REASON_MAX,
        pattern=NO_NUL,
        description="Lý do, góp ý: bắt buộc khi chọn từ 3 sao trở xuống.",
    )
    dossier: StrictStr = Field(
        "",
        max_length=40,
        pattern=NO_NUL,
        description="Mã hồ sơ một cửa: mỗi hồ sơ chỉ được đánh giá một lần.",
    )
    rated_at: Moment | None = Field(
        None, description="Thời điểm người dân đánh giá (ISO 8601 có múi giờ); mặc định lúc nhận."
    )


class RatingsIn(Schema):
    model_config = ConfigDict(extra="forbid")

    ratings: list[RatingIn] = Field(min_length=1, max_length=services.MAX_BATCH)


class ItemOut(Schema):
    id: str
    status: Literal["created", "existing", "rejected"]
    rating_id: int | None = Field(None, description="Số bản ghi trong CôngVụ.")
    errors: list[str] = Field(default_factory=list, description="Lý do từ chối, bằng tiếng Việt.")


class RatingsOut(Schema):
    created: int
    existing: int
    rejected: int
    results: list[ItemOut]


class Error(Schema):
    detail: str


def _item(row: RatingIn) -> IngestItem:
    conduct = row.conduct.model_dump(exclude_none=True) if row.conduct else {}
    rated_at: datetime | None = row.rated_at
    return IngestItem(
        id=row.id,
        score=row.score,
        unit=row.unit,
        desk=row.desk,
        staff=row.staff,
        conduct=conduct,
        reason=row.reason,
        dossier=row.dossier,
        rated_at=rated_at,
    )


@router.post(
    "/ratings",
    response={200: RatingsOut, 403: Error},
    summary="Nhận đánh giá từ hệ thống một cửa (tối đa 1.000 mỗi lần)",
    url_name="ratings_push",
)
def ratings_push(request: HttpRequest, payload: RatingsIn):
    try:
        results = services.ratings_ingest(
            actor=request.user, items=[_item(row) for row in payload.ratings]
        )
    except PermissionDenied:
        raise HttpError(403, "Khóa API này không có quyền gửi đánh giá.") from None
    except ValidationError as exc:
        raise HttpError(422, " ".join(exc.messages)) from None
    out = [
        ItemOut(id=r.id, status=r.status, rating_id=r.rating_id, errors=list(r.errors))
        for r in results
    ]  # type: ignore[arg-type]
    return RatingsOut(
        created=sum(r.status == "created" for r in results),
        existing=sum(r.status == "existing" for r in results),
        rejected=sum(r.status == "rejected" for r in results),
        results=out,
    )
