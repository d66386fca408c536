from django.urls import path

from congvu.evaluations import views

app_name = "evaluations"

urlpatterns = [
    path("cua-toi/", views.my_list, name="my_list"),
    path("cua-toi/<int:pk>/", views.my_detail, name="my_detail"),
    path("cua-toi/<int:pk>/minh-chung/", views.evidence_upload, name="evidence_upload"),
    path("can-bo/", views.team_list, name="team_list"),
    path("can-bo/<int:pk>/", views.team_review, name="team_review"),
]
