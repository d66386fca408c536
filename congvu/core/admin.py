"""Admin building blocks: every queryset and object check goes through permissions."""

from typing import Any

from django.contrib import admin
from django.db import models
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import URLPattern
from simple_history.admin import SimpleHistoryAdmin

from congvu.core import permissions
from congvu.core.models import AuditLog, SettingOverride
from congvu.core.permissions import Action


class ScopedAdmin(SimpleHistoryAdmin):
    """Read-only by default: writes go through services, not model forms.

    ``scope_field`` names the unit id path of a row (``pk`` for units); rows outside
    the user's scope for ``view_action`` never appear.
    """

    scope_field: str | None = "unit_id"
    view_action: Action = Action.ADMIN_SITE
    system_only = False

    def _has_history(self) -> bool:
        return hasattr(self.model._meta, "simple_history_manager_attribute")

    def get_urls(self) -> list[URLPattern]:
        # simple_history's views need a HistoricalRecords model: without one they fail (500).
        if self._has_history():
            return super().get_urls()
        return admin.ModelAdmin.get_urls(self)

    def history_view(
        self, request: HttpRequest, object_id: str, extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        if self._has_history():
            return super().history_view(request, object_id, extra_context)
        return admin.ModelAdmin.history_view(self, request, object_id, extra_context)

    def get_object(
        self, request: HttpRequest, object_id: str, from_field: str | None = None
    ) -> models.Model:
        """An object outside the scope is 404 (Django would redirect with "does not exist")."""
        obj = super().get_object(request, object_id, from_field)
        if obj is None:
            raise Http404
        return obj

    def _allowed(self, request: HttpRequest) -> bool:
        if self.system_only:
            return "admin" in permissions.roles_of(request.user)
        return permissions.can(request.user, Action.ADMIN_SITE)

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        qs = super().get_queryset(request)
        if self.scope_field is None:
            return qs if "admin" in permissions.roles_of(request.user) else qs.none()
        return permissions.filter_by_unit_field(
            request.user, self.view_action, qs, self.scope_field
        )

    def has_module_permission(self, request: HttpRequest) -> bool:
        return self._allowed(request)

    def has_view_permission(self, request: HttpRequest, obj: models.Model | None = None) -> bool:
        if not self._allowed(request):
            return False
        return obj is None or self.get_queryset(request).filter(pk=obj.pk).exists()

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: models.Model | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: models.Model | None = None) -> bool:
        return False


@admin.register(AuditLog)
class AuditLogAdmin(ScopedAdmin):
    list_display = ["at", "actor", "action", "object_repr"]
    list_filter = ["action"]
    search_fields = ["object_repr", "action"]
    scope_field = None
    date_hierarchy = "at"


@admin.register(SettingOverride)
class SettingOverrideAdmin(ScopedAdmin):
    """Read-only: the province's values are recorded on the page "Tham số theo ngày"."""

    list_display = ["name", "value", "valid_from", "valid_to", "source", "created_by"]
    search_fields = ["name", "source"]
    scope_field = None
