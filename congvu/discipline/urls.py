from django.urls import path

from congvu.discipline import views

app_name = "discipline"

urlpatterns = [
    path("", views.record_list, name="record_list"),
    path("xuat-excel/", views.record_export, name="record_export"),
    path("<int:pk>/", views.record_detail, name="record_detail"),
    path("can-bo/<int:staff_pk>/them/", views.record_create, name="record_create"),
]
