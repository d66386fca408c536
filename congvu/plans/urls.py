from django.urls import path

from congvu.plans import views, views_reports

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
    path(
        "don-vi/<int:unit_id>/nhiem-vu/<int:task_pk>/cu-the/",
        views_reports.unit_task_create,
        name="unit_task_create",
    ),
    path("<int:pk>/", views.plan_detail, name="plan_detail"),
    path("<int:pk>/giao/", views.plan_assign, name="plan_assign"),
    path("<int:pk>/nhiem-vu/<int:task_pk>/su-kien/", views.task_event_date, name="task_event_date"),
    path("<int:pk>/ke-hoach.docx", views.plan_docx, name="plan_docx"),
    path("<int:pk>/nhiem-vu.xlsx", views.plan_xlsx, name="plan_xlsx"),
    path("<int:pk>/tien-do.xlsx", views.plan_progress_export, name="progress_export"),
    # Periodic reports (báo cáo định kỳ): never "report" alone (decision 63)
    path("bao-cao-dinh-ky/", views_reports.report_list, name="report_list"),
    path("bao-cao-dinh-ky/<int:pk>/", views_reports.report_detail, name="report_detail"),
    path("bao-cao-dinh-ky/<int:pk>/chuyen/", views_reports.report_move, name="report_move"),
    path("bao-cao-dinh-ky/<int:pk>/cap-nhat/", views_reports.report_refresh, name="report_refresh"),
    path("bao-cao-dinh-ky/<int:pk>/bao-cao.docx", views_reports.report_docx, name="report_docx"),
    path(
        "bao-cao-dinh-ky/<int:pk>/so-lieu/<slug:key>/",
        views_reports.report_figure,
        name="report_figure",
    ),
    path(
        "<int:pk>/don-vi/<int:unit_id>/bao-cao-nam/<int:year>/",
        views_reports.report_start,
        name="report_start",
    ),
    path("<int:pk>/bao-cao-nam/<int:year>/", views_reports.cycle_board, name="cycle_board"),
    path(
        "<int:pk>/bao-cao-nam/<int:year>/tinh-hinh.xlsx",
        views_reports.cycle_board_xlsx,
        name="cycle_board_xlsx",
    ),
    path(
        "<int:pk>/bao-cao-nam/<int:year>/tong-hop/",
        views_reports.consolidated_start,
        name="consolidated_start",
    ),
    path("<int:pk>/mau-bao-cao/", views_reports.plan_template, name="plan_template"),
    path("mau-bao-cao/", views_reports.template_list, name="template_list"),
    path("mau-bao-cao/<int:pk>/", views_reports.template_detail, name="template_detail"),
    path("tien-do/<int:entry_pk>/minh-chung/", views_reports.evidence_add, name="evidence_add"),
    path("minh-chung/<int:pk>/", views_reports.evidence_download, name="evidence_download"),
    path("giai-trinh/", views_reports.explanation_list, name="explanation_list"),
    path("giai-trinh/<int:pk>/", views_reports.explanation_detail, name="explanation_detail"),
    path(
        "<int:pk>/don-vi/<int:unit_id>/nhiem-vu/<int:task_pk>/giai-trinh/",
        views_reports.explanation_ask,
        name="explanation_ask",
    ),
]
