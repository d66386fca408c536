"""Staff pages under /danh-gia-hai-long/."""

from django.urls import path

from congvu.ratings import views

app_name = "ratings"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("diem-danh-gia/", views.desk_list, name="desk_list"),
    path("diem-danh-gia/them/", views.desk_create, name="desk_create"),
    path("diem-danh-gia/<int:pk>/", views.desk_detail, name="desk_detail"),
    path("diem-danh-gia/<int:pk>/sua/", views.desk_edit, name="desk_edit"),
    path("diem-danh-gia/<int:pk>/doi-ma/", views.desk_rotate, name="desk_rotate"),
    path(
        "diem-danh-gia/<int:pk>/ap-phich-<str:size>.<str:fmt>",
        views.desk_poster,
        name="desk_poster",
    ),
    path("xem-xet/", views.review, name="review"),
    path("goi-lai/", views.follow_up, name="follow_up"),
    path("can-bo/<int:pk>/", views.staff_index, name="staff_index"),
]
