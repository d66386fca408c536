"""URLs of emulation's board pages (included by ``emulation.urls``)."""

urlpatterns: list = []
