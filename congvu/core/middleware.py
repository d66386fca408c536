"""Answer 503 with a plain page while the database is unreachable or read-only (QUALITY.md R2)."""

import logging
from collections.abc import Callable

from django.db import DatabaseError
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string

from congvu.core.database import is_unavailable

logger = logging.getLogger("congvu.db")


def database_unavailable_response(exc: BaseException | None) -> HttpResponse:
    """The plain 503 page: no request context, so rendering it needs no database."""
    # The first line of the driver's message tells "database is locked" from "connection
    # refused"; it names no values (those come with integrity errors, not handled here).
    message = (str(exc).strip().splitlines() or [""])[0][:200]
    logger.error(
        "database.unavailable", extra={"data": {"error": type(exc).__name__, "message": message}}
    )
    html = render_to_string("503.html")
    response = HttpResponse(html, status=503, content_type="text/html; charset=utf-8")
    response["Retry-After"] = "5"
    return response


class DatabaseUnavailableMiddleware:
    """Views' database errors become 503 here; errors raised by other middleware
    (session, authentication, axes) reach ``congvu.core.views.error_500``, which
    answers the same page."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            return self.get_response(request)
        except DatabaseError as exc:  # the 500 handler itself failed on the database
            if is_unavailable(exc):
                return database_unavailable_response(exc)
            raise

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        # A read-only database (a standby, a read-only file) refuses writes with errors
        # that are not OperationalError on PostgreSQL: the same page, since resending works.
        if is_unavailable(exception):
            return database_unavailable_response(exception)
        return None
