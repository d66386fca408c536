"""URLs of nominations, and of a person's and a unit's history (included by
``emulation.urls``)."""

from django.urls import path

from congvu.emulation import views_nominations as views

urlpatterns = [
    path("de-nghi/", views.nomination_list, name="nomination_list"),
    path("de-nghi/moi/", views.nomination_create, name="nomination_create"),
    path("de-nghi/<int:pk>/", views.nomination_detail, name="nomination_detail"),
    path("de-nghi/<int:pk>/sua/", views.nomination_edit, name="nomination_edit"),
    path("de-nghi/<int:pk>/chuyen/", views.nomination_move, name="nomination_move"),
    path("de-nghi/<int:pk>/kiem-tra/", views.nomination_evaluate, name="nomination_evaluate"),
    path("de-nghi/<int:pk>/tep/", views.nomination_evidence, name="nomination_evidence"),
    path("de-nghi/<int:pk>/ho-so.docx", views.nomination_dossier, name="nomination_dossier"),
    path("tep-ho-so/<int:pk>/", views.evidence_download, name="evidence_download"),
    path("ca-nhan/<int:pk>/", views.staff_history, name="staff_history"),
    path("ca-nhan/<int:pk>/sang-kien/", views.staff_initiative_add, name="staff_initiative_add"),
    path("ca-nhan/<int:pk>/thanh-tich/", views.staff_achievement_add, name="staff_achievement_add"),
    path("tap-the/<int:pk>/", views.unit_history, name="unit_history"),
]
