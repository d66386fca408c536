from django.contrib import admin

from congvu.core.admin import ScopedAdmin
from congvu.core.permissions import Action
from congvu.organisations.models import (
    ImportJob,
    LineageEvent,
    Membership,
    Staff,
    Unit,
    UnitVersion,
)


class UnitVersionInline(admin.TabularInline):
    model = UnitVersion
    fk_name = "unit"
    extra = 0
    can_delete = False
    readonly_fields = ["code", "name", "unit_type", "parent", "valid_from", "valid_to", "basis"]
    fields = readonly_fields

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Unit)
class UnitAdmin(ScopedAdmin):
    list_display = ["code", "name", "unit_type", "parent", "valid_from", "valid_to"]
    list_filter = ["unit_type"]
    search_fields = ["code", "name"]
    scope_field = "pk"
    view_action = Action.UNIT_VIEW
    inlines = [UnitVersionInline]
    list_select_related = ["parent"]


@admin.register(UnitVersion)
class UnitVersionAdmin(ScopedAdmin):
    list_display = ["code", "name", "unit_type", "valid_from", "valid_to"]
    search_fields = ["code", "name"]
    view_action = Action.UNIT_VIEW


@admin.register(LineageEvent)
class LineageEventAdmin(ScopedAdmin):
    list_display = ["kind", "effective_date", "basis"]
    list_filter = ["kind"]
    scope_field = "predecessors"
    view_action = Action.UNIT_VIEW

    def get_queryset(self, request):
        return super().get_queryset(request).distinct()


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    can_delete = False
    readonly_fields = ["unit", "position", "valid_from", "valid_to", "note"]
    fields = readonly_fields

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Staff)
class StaffAdmin(ScopedAdmin):
    list_display = ["code", "ho", "dem", "ten", "category", "position", "unit", "is_active"]
    list_filter = ["category", "is_leader", "is_active"]
    search_fields = ["code", "search_text"]
    view_action = Action.STAFF_VIEW
    list_select_related = ["unit"]
    inlines = [MembershipInline]


@admin.register(Membership)
class MembershipAdmin(ScopedAdmin):
    list_display = ["staff", "unit", "position", "valid_from", "valid_to"]
    view_action = Action.STAFF_VIEW
    list_select_related = ["staff", "unit"]


@admin.register(ImportJob)
class ImportJobAdmin(ScopedAdmin):
    list_display = ["created_at", "kind", "original_name", "status", "total_rows", "error_rows"]
    list_filter = ["kind", "status"]
    scope_field = None
