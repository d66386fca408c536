"""The JSON API at /api/v1/ (django-ninja). Each app contributes a router."""

from django.db import connection
from django.http import HttpRequest
from ninja import NinjaAPI
from ninja.security import HttpBearer

from congvu.accounts.services import token_authenticate
from congvu.core.database import database_writable


class TokenAuth(HttpBearer):
    """``Authorization: Bearer <token>``; tokens come from ``congvu token USERNAME``."""

    def authenticate(self, request: HttpRequest, token: str):
        user = token_authenticate(token)
        if user is not None:
            request.user = user
        return user


api = NinjaAPI(
    title="CôngVụ API",
    version="1",
    description="API của CôngVụ. Xác thực bằng khóa Bearer (lệnh `congvu token USERNAME`).",
    auth=TokenAuth(),
    urls_namespace="api",
)


@api.get("/health", auth=None, summary="Tình trạng hệ thống")
def health(request: HttpRequest) -> dict:
    """`status`: "ok", hoặc "read_only" khi cơ sở dữ liệu chỉ cho đọc (trang và API đọc vẫn
    trả lời, thao tác ghi nhận 503); `writable`: cơ sở dữ liệu có nhận ghi không."""
    writable = database_writable()
    return {
        "status": "ok" if writable else "read_only",
        "database": connection.vendor,
        "writable": writable,
    }


from congvu.organisations.api import router as organisations_router  # noqa: E402

api.add_router("/", organisations_router)

from congvu.feedback.api import router as feedback_router  # noqa: E402

api.add_router("/", feedback_router)

from congvu.ratings.api import router as ratings_router  # noqa: E402

api.add_router("/", ratings_router)

from congvu.plans.api import router as plans_router  # noqa: E402

api.add_router("/", plans_router)
