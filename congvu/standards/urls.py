from django.urls import path

from congvu.standards import views, views_rules

app_name = "standards"

urlpatterns = [
    path("", views.catalogue_list, name="catalogue_list"),
    path("don-vi/<int:unit_id>/noi-quy/", views.supplement_create, name="supplement_create"),
    # Before "<slug:code>/": "noi-quy" would read as a catalogue's code.
    path("noi-quy/", views_rules.rules_overview, name="rules_overview"),
    path("noi-quy/don-vi/<int:unit_id>/", views_rules.rules_unit, name="rules_unit"),
    path("noi-quy/don-vi/<int:unit_id>/moi/", views_rules.rules_create, name="rules_create"),
    path("noi-quy/<int:pk>/gan/", views_rules.rules_map, name="rules_map"),
    path("noi-quy/<int:pk>/bo-gan/", views_rules.rules_unmap, name="rules_unmap"),
    path("noi-quy/<int:pk>/tep/", views_rules.rules_file, name="rules_file"),
    path("<slug:code>/", views.catalogue_detail, name="catalogue_detail"),
    path("<slug:code>/so-sanh/", views.version_diff, name="version_diff"),
    path("<slug:code>/<str:version>/", views.version_detail, name="version_detail"),
    path("<slug:code>/<str:version>/xuat-excel/", views.version_export, name="version_export"),
]
