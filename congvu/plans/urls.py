from django.urls import path

from congvu.plans import views

app_name = "plans"

urlpatterns = [
    path("", views.plan_list, name="plan_list"),
    path("van-ban/", views.document_list, name="document_list"),
    path("cua-toi/", views.my_obligations, name="my_obligations"),
    path("don-vi/<int:unit_id>/", views.obligations, name="obligations"),
    path(
        "don-vi/<int:unit_id>/nhiem-vu/<int:task_pk>/tien-do/",
        views.progress_create,
        name="progress_create",
    ),
    path("<int:pk>/", views.plan_detail, name="plan_detail"),
    path("<int:pk>/giao/", views.plan_assign, name="plan_assign"),
    path("<int:pk>/nhiem-vu/<int:task_pk>/su-kien/", views.task_event_date, name="task_event_date"),
    path("<int:pk>/ke-hoach.docx", views.plan_docx, name="plan_docx"),
    path("<int:pk>/nhiem-vu.xlsx", views.plan_xlsx, name="plan_xlsx"),
    path("<int:pk>/tien-do.xlsx", views.plan_progress_export, name="progress_export"),
]
