from django.urls import path

from congvu.config.api import api

urlpatterns = [path("", api.urls)]
