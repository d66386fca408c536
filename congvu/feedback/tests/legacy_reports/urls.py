"""No pages: the legacy settings only migrate and probe the database (the site's URLs import
apps added since, which refer to the relabelled feedback app)."""

urlpatterns: list = []
