"""Emulation and commendation pages under /thi-dua/: each area keeps its own URL module."""

from django.urls import include, path

from congvu.emulation import urls_board, urls_council, urls_movements, urls_nominations

app_name = "emulation"

urlpatterns = [
    path("", include(urls_movements)),
    path("", include(urls_nominations)),
    path("", include(urls_council)),
    path("", include(urls_board)),
]
