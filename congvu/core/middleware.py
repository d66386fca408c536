"""Answer 503 with a plain page while the database is unreachable (QUALITY.md R2)."""

import logging

from django.db import DatabaseError, InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string

logger = logging.getLogger("congvu.db")

UNAVAILABLE = (OperationalError, InterfaceError)


def database_unavailable_response(exc: DatabaseError) -> HttpResponse:
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

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            return self.get_response(request)
        except UNAVAILABLE as exc:  # the 500 handler itself failed on the database
            return database_unavailable_response(exc)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if isinstance(exception, UNAVAILABLE):
            return database_unavailable_response(exception)
        return None
