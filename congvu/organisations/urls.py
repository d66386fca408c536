from django.urls import path

from congvu.organisations import views, views_import, views_units

app_name = "organisations"

urlpatterns = [
    path("don-vi/", views.unit_tree, name="unit_tree"),
    path("don-vi/them/", views_units.unit_create, name="unit_create"),
    path("don-vi/<int:pk>/", views.unit_detail, name="unit_detail"),
    path("don-vi/<int:pk>/thay-doi/", views_units.unit_change, name="unit_change"),
    path("can-bo/", views.staff_list, name="staff_list"),
    path("can-bo/xuat-excel/", views.staff_export, name="staff_export"),
    path("can-bo/<int:pk>/", views.staff_detail, name="staff_detail"),
    path("nhap-du-lieu/", views_import.import_start, name="import_start"),
    path("nhap-du-lieu/mau/<str:kind>/", views_import.import_template, name="import_template"),
    path("nhap-du-lieu/<int:pk>/", views_import.import_detail, name="import_detail"),
    path(
        "nhap-du-lieu/<int:pk>/tep-loi/", views_import.import_error_file, name="import_error_file"
    ),
]
