from django.contrib import admin
from django.urls import include, path

from congvu.core import views as core_views

urlpatterns = [
    path("", core_views.home, name="home"),
    path("tai-khoan/", include("congvu.accounts.urls")),
    path("tep-xuat/", include("congvu.core.urls_jobs")),
    path("to-chuc/", include("congvu.organisations.urls")),
    path("tieu-chi/", include("congvu.standards.urls")),
    path("danh-gia/", include("congvu.evaluations.urls")),
    path("", include("congvu.feedback.urls")),
    path("", include("congvu.ratings.urls_public")),
    path("danh-gia-hai-long/", include("congvu.ratings.urls")),
    path("ky-luat/", include("congvu.discipline.urls")),
    path("ke-hoach/", include("congvu.plans.urls")),
    path("vi-pham/", include("congvu.violations.urls")),
    path("kiem-tra/", include("congvu.inspections.urls")),
    path("thi-dua/", include("congvu.emulation.urls")),
    path("api/v1/", include("congvu.config.api_urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("quan-tri/", admin.site.urls),
]

handler403 = "congvu.core.views.error_403"
handler404 = "congvu.core.views.error_404"
handler500 = "congvu.core.views.error_500"
