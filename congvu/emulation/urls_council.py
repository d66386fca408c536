"""URLs of emulation's council pages (included by ``emulation.urls``)."""

urlpatterns: list = []
