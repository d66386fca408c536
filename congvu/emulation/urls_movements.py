"""URLs of emulation's movements, registrations and clusters pages (included by
``emulation.urls``)."""

from django.urls import path

from congvu.emulation import views_movements as views

urlpatterns = [
    path("phong-trao/", views.movement_list, name="movement_list"),
    path("phong-trao/tao/", views.movement_create, name="movement_create"),
    path("phong-trao/<int:pk>/", views.movement_detail, name="movement_detail"),
    path("phong-trao/<int:pk>/sua/", views.movement_edit, name="movement_edit"),
    path(
        "phong-trao/<int:pk>/moc/<int:milestone>/bao-cao/",
        views.movement_review,
        name="movement_review",
    ),
    path("dang-ky/", views.registration_index, name="registration_index"),
    path("dang-ky/lap/", views.registration_open, name="registration_open"),
    path("dang-ky/xuat/", views.registration_export, name="registration_export"),
    path("dang-ky/<int:pk>/", views.registration_detail, name="registration_detail"),
    path("dang-ky/<int:pk>/them/", views.registration_line_add, name="registration_line_add"),
    path("dang-ky/<int:pk>/gui/", views.registration_submit, name="registration_submit"),
    path("dang-ky/<int:pk>/xu-ly/", views.registration_review, name="registration_review"),
    path(
        "dang-ky/dong/<int:pk>/bo/", views.registration_line_remove, name="registration_line_remove"
    ),
    path("cum-khoi/", views.cluster_list, name="cluster_list"),
    path("cum-khoi/tao/", views.cluster_create, name="cluster_create"),
    path("cum-khoi/<int:cluster>/nam/", views.cluster_year_create, name="cluster_year_create"),
    path("cum-khoi/nam/<int:pk>/", views.cluster_year_detail, name="cluster_year_detail"),
    path("cum-khoi/nam/<int:pk>/sua/", views.cluster_year_edit, name="cluster_year_edit"),
    path("cum-khoi/nam/<int:pk>/cham/", views.cluster_scoring, name="cluster_scoring"),
    path("cum-khoi/nam/<int:pk>/cham-diem/", views.cluster_score, name="cluster_score"),
    path("cum-khoi/nam/<int:pk>/xep-hang/", views.cluster_ranking, name="cluster_ranking"),
]
