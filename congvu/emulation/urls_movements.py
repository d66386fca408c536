"""URLs of emulation's movements pages (included by ``emulation.urls``)."""

urlpatterns: list = []
