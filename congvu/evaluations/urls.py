from django.urls import path

from congvu.evaluations import (
    views,
    views_collective,
    views_council,
    views_cycles,
    views_evidence,
    views_inbox,
)

app_name = "evaluations"

urlpatterns = [
    path("thong-bao/", views_inbox.inbox, name="inbox"),
    path("cua-toi/", views.my_list, name="my_list"),
    path("cua-toi/<int:pk>/", views.my_detail, name="my_detail"),
    path("cua-toi/<int:pk>/minh-chung/", views.evidence_upload, name="evidence_upload"),
    path("minh-chung/<int:pk>/", views_evidence.evidence_download, name="evidence_download"),
    path("minh-chung/<int:pk>/xoa/", views_evidence.evidence_delete, name="evidence_delete"),
    path("can-bo/", views.team_list, name="team_list"),
    path("can-bo/<int:pk>/", views.team_review, name="team_review"),
    path("hoi-dong/", views_council.council_index, name="council_index"),
    path(
        "hoi-dong/<int:cycle_pk>/<int:unit_pk>/",
        views_council.council_detail,
        name="council_detail",
    ),
    path(
        "hoi-dong/<int:cycle_pk>/<int:unit_pk>/bien-ban.docx",
        views_council.council_minutes,
        name="council_minutes",
    ),
    path(
        "hoi-dong/<int:cycle_pk>/<int:unit_pk>/danh-sach.xlsx",
        views_council.council_export,
        name="council_export",
    ),
    path("tien-do/", views_council.progress_index, name="progress_index"),
    path("tien-do/<int:cycle_pk>/", views_council.progress_detail, name="progress_detail"),
    path(
        "tien-do/<int:cycle_pk>/tien-do.xlsx", views_council.progress_export, name="progress_export"
    ),
    # Cycles (evaluation.manage) and the units' own assessments (views_cycles, views_collective)
    path("ky/", views_cycles.cycle_list, name="cycle_list"),
    path("ky/them/", views_cycles.cycle_create, name="cycle_create"),
    path("ky/<int:pk>/", views_cycles.cycle_detail, name="cycle_detail"),
    path("ky/<int:pk>/mo/", views_cycles.cycle_open, name="cycle_open"),
    path("ky/<int:pk>/ket-thuc/", views_cycles.cycle_close, name="cycle_close"),
    path("ky/<int:pk>/xoa/", views_cycles.cycle_delete, name="cycle_delete"),
    path("tap-the/", views_collective.collective_index, name="collective_index"),
    path(
        "tap-the/<int:cycle_pk>/<int:unit_pk>/",
        views_collective.collective_detail,
        name="collective_detail",
    ),
]
