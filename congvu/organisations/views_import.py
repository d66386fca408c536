"""Import pages (upload, progress, error sheet). Filled in by the import work."""

from django.http import Http404, HttpRequest, HttpResponse


def import_start(request: HttpRequest) -> HttpResponse:
    raise Http404


def import_template(request: HttpRequest, kind: str) -> HttpResponse:
    raise Http404


def import_detail(request: HttpRequest, pk: int) -> HttpResponse:
    raise Http404


def import_error_file(request: HttpRequest, pk: int) -> HttpResponse:
    raise Http404
