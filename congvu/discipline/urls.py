from django.urls import path

from congvu.discipline import views, views_cases

app_name = "discipline"

urlpatterns = [
    path("", views.record_list, name="record_list"),
    path("xuat-excel/", views.record_export, name="record_export"),
    path("<int:pk>/", views.record_detail, name="record_detail"),
    path("can-bo/<int:staff_pk>/them/", views.record_create, name="record_create"),
]

urlpatterns += [
    path("vu-viec/", views_cases.case_list, name="case_list"),
    path("vu-viec/<int:pk>/", views_cases.case_detail, name="case_detail"),
    path("can-bo/<int:staff_pk>/mo-vu-viec/", views_cases.case_open, name="case_open"),
    path("vu-viec/<int:pk>/tam-dung/", views_cases.case_pause, name="case_pause"),
    path("vu-viec/<int:pk>/tiep-tuc/", views_cases.case_resume, name="case_resume"),
    path("vu-viec/<int:pk>/hoi-dong/", views_cases.case_council, name="case_council"),
    path("vu-viec/<int:pk>/quyet-dinh/", views_cases.case_decide, name="case_decide"),
    path("vu-viec/<int:pk>/het-thoi-hieu/", views_cases.case_time_bar, name="case_time_bar"),
    path("vu-viec/<int:pk>/dung/", views_cases.case_drop, name="case_drop"),
]
