"""Public pages under /phan-anh/, handlers' under /xu-ly-phan-anh/, supervision under /giam-sat/."""

from django.urls import path

from congvu.feedback import views_public, views_staff, views_supervision

app_name = "feedback"

urlpatterns = [
    path("phan-anh/", views_public.public_start, name="public_start"),
    path("phan-anh/gui/", views_public.public_form, name="public_form"),
    path("phan-anh/theo-doi/", views_public.public_track, name="public_track"),
    path("xu-ly-phan-anh/", views_staff.handling_list, name="handling_list"),
    path("xu-ly-phan-anh/danh-sach.xlsx", views_staff.handling_export, name="handling_export"),
    path("xu-ly-phan-anh/<int:pk>/", views_staff.handling_detail, name="handling_detail"),
    path(
        "xu-ly-phan-anh/<int:pk>/tep/<int:position>/",
        views_staff.attachment_download,
        name="attachment_download",
    ),
    path("giam-sat/", views_supervision.supervision_reports, name="supervision_reports"),
    path(
        "giam-sat/phan-anh/<int:pk>/",
        views_supervision.supervision_report,
        name="supervision_report",
    ),
    path("giam-sat/kien-nghi/", views_supervision.finding_list, name="finding_list"),
    path("giam-sat/kien-nghi/them/", views_supervision.finding_create, name="finding_create"),
    path("giam-sat/kien-nghi/<int:pk>/", views_supervision.finding_detail, name="finding_detail"),
]
