"""The application's URLs plus /bench/bare/: the floor a Django page cannot go below;
and the bare rating writers of bench/bare.py (B1 baselines)."""

import os

from django.http import HttpRequest, HttpResponse
from django.urls import path

from bench import bare as bare_writers
from congvu.config.urls import handler403, handler404, handler500
from congvu.config.urls import urlpatterns as app_urlpatterns

BARE_PAGE = (
    "<!doctype html><html lang=vi><head><meta charset=utf-8><title>Trang trống</title></head>"
    "<body><p>Xin chào</p></body></html>"
)


def bare(request: HttpRequest) -> HttpResponse:
    return HttpResponse(BARE_PAGE)


def worker(request: HttpRequest) -> HttpResponse:
    """The answering worker's process id: a benchmark waits until every worker answers."""
    return HttpResponse(str(os.getpid()), content_type="text/plain")


urlpatterns = [
    path("bench/bare/", bare),
    path("bench/worker/", worker),
    path("bench/bare-rating/<int:desk>/<int:unit>/", bare_writers.rating),
    path("bench/bare-ratings/", bare_writers.ratings_bulk),
    *app_urlpatterns,
]

__all__ = ["handler403", "handler404", "handler500", "urlpatterns"]
