from django.urls import path

from congvu.violations import views

app_name = "violations"

urlpatterns = [
    path("", views.violation_list, name="violation_list"),
    path("ghi/", views.violation_create, name="violation_create"),
    path("thong-ke/", views.statistics, name="statistics"),
    path("<int:pk>/", views.violation_detail, name="violation_detail"),
    path("<int:pk>/kien-nghi/", views.recommendation_create, name="recommendation_create"),
    path("<int:pk>/rut-lai/", views.violation_withdraw, name="violation_withdraw"),
    path("kien-nghi/<int:pk>/chuyen/", views.remedy_move, name="remedy_move"),
    path("minh-chung/<int:pk>/", views.evidence_download, name="evidence_download"),
    path("tu-ket-qua/<int:answer_pk>/", views.from_finding, name="from_finding"),
]
