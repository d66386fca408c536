"""The application's URLs plus /bench/bare/: the floor a Django page cannot go below."""

from django.http import HttpRequest, HttpResponse
from django.urls import path

from congvu.config.urls import handler403, handler404, handler500
from congvu.config.urls import urlpatterns as app_urlpatterns

BARE_PAGE = (
    "<!doctype html><html lang=vi><head><meta charset=utf-8><title>Trang trống</title></head>"
    "<body><p>Xin chào</p></body></html>"
)


def bare(request: HttpRequest) -> HttpResponse:
    return HttpResponse(BARE_PAGE)


urlpatterns = [path("bench/bare/", bare), *app_urlpatterns]

__all__ = ["handler403", "handler404", "handler500", "urlpatterns"]
