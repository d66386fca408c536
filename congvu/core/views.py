import sys

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from congvu.core.database import UNAVAILABLE, is_unavailable
from congvu.core.middleware import database_unavailable_response
from congvu.core.permissions import roles_of


@login_required
def home(request: HttpRequest) -> HttpResponse:
    from congvu.accounts.models import Role

    labels = dict(Role.choices)
    roles = sorted(labels[r] for r in roles_of(request.user) if r in labels)
    return render(request, "core/home.html", {"roles": roles})


def error_403(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "403.html", status=403)


def error_404(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "404.html", status=404)


def error_500(request: HttpRequest) -> HttpResponse:
    # A database outage raised outside a view (e.g. loading the session) lands here.
    exc = sys.exc_info()[1]
    if is_unavailable(exc):
        return database_unavailable_response(exc)
    try:
        return render(request, "500.html", status=500)
    except UNAVAILABLE as render_exc:  # the page's menu needs the user, from the database
        return database_unavailable_response(render_exc)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """A refused form (expired page, cookies off) explained in Vietnamese, not Django's page."""
    return render(request, "403_csrf.html", status=403)
