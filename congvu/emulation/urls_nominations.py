"""URLs of nominations, achievements and initiatives (included by ``emulation.urls``)."""

urlpatterns: list = []
