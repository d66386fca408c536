"""The Django admin, asking the permission module for every access."""

from django.contrib.admin import AdminSite
from django.contrib.admin.apps import AdminConfig
from django.http import HttpRequest

from congvu.core.permissions import Action, can


class CongVuAdminSite(AdminSite):
    site_header = "Quản trị CôngVụ"
    site_title = "Quản trị CôngVụ"
    index_title = "Dữ liệu hệ thống"

    def has_permission(self, request: HttpRequest) -> bool:
        return request.user.is_active and can(request.user, Action.ADMIN_SITE)


class CongVuAdminConfig(AdminConfig):
    default_site = "congvu.core.admin_site.CongVuAdminSite"
