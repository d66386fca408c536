from django.urls import path

from congvu.core import views_jobs

app_name = "jobs"

urlpatterns = [
    path("", views_jobs.job_list, name="list"),
    path("<int:pk>/", views_jobs.job_detail, name="detail"),
    path("<int:pk>/tai-ve/", views_jobs.job_download, name="download"),
]
