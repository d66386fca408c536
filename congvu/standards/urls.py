from django.urls import path

from congvu.standards import views

app_name = "standards"

urlpatterns = [
    path("", views.catalogue_list, name="catalogue_list"),
    path("don-vi/<int:unit_id>/noi-quy/", views.supplement_create, name="supplement_create"),
    path("<slug:code>/", views.catalogue_detail, name="catalogue_detail"),
    path("<slug:code>/so-sanh/", views.version_diff, name="version_diff"),
    path("<slug:code>/<str:version>/", views.version_detail, name="version_detail"),
    path("<slug:code>/<str:version>/xuat-excel/", views.version_export, name="version_export"),
]
