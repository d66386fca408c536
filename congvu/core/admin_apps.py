"""The admin's app config, apart from the site so that loading the apps imports no access
rules (the permission module reads the organisation graph, whose models load later)."""

from django.contrib.admin.apps import AdminConfig


class CongVuAdminConfig(AdminConfig):
    default_site = "congvu.core.admin_site.CongVuAdminSite"
