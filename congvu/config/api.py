"""The JSON API at /api/v1/ (django-ninja). Each app contributes a router."""

from django.db import connection
from django.http import HttpRequest
from ninja import NinjaAPI
from ninja.security import HttpBearer

from congvu.accounts.services import token_authenticate


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
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return {"status": "ok", "database": connection.vendor}


from congvu.organisations.api import router as organisations_router  # noqa: E402

api.add_router("/", organisations_router)

from congvu.reports.api import router as reports_router  # noqa: E402

api.add_router("/", reports_router)

from congvu.ratings.api import router as ratings_router  # noqa: E402

api.add_router("/", ratings_router)
