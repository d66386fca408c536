from django.urls import path

from congvu.evaluations import views, views_council

app_name = "evaluations"

urlpatterns = [
    path("cua-toi/", views.my_list, name="my_list"),
    path("cua-toi/<int:pk>/", views.my_detail, name="my_detail"),
    path("cua-toi/<int:pk>/minh-chung/", views.evidence_upload, name="evidence_upload"),
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
]
