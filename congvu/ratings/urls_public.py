"""Citizens' pages, no login: /d/<token>/ from a desk's QR code, /hai-long/ statistics."""

from django.urls import path

from congvu.ratings import views_public

app_name = "ratings_public"

urlpatterns = [
    path("d/<str:token>/", views_public.rate, name="rate"),
    path("hai-long/", views_public.stats, name="stats"),
]
