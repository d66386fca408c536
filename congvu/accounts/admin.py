from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.core.exceptions import ValidationError

from congvu.accounts import services
from congvu.accounts.models import ApiToken, RoleAssignment, User
from congvu.core import permissions
from congvu.core.admin import ScopedAdmin
from congvu.core.permissions import Action


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    """Accounts are managed by system administrators only."""

    list_display = ["username", "first_name", "last_name", "staff", "is_active", "last_login"]
    raw_id_fields = ["staff"]
    fieldsets = (*DjangoUserAdmin.fieldsets, ("CôngVụ", {"fields": ["staff"]}))

    def _system_admin(self, request) -> bool:
        return "admin" in permissions.roles_of(request.user)

    def has_module_permission(self, request) -> bool:
        return self._system_admin(request)

    def has_view_permission(self, request, obj=None) -> bool:
        return self._system_admin(request)

    def has_add_permission(self, request) -> bool:
        return self._system_admin(request)

    def has_change_permission(self, request, obj=None) -> bool:
        return self._system_admin(request)

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


class RoleAssignmentForm(forms.ModelForm):
    """Checks the grant against the granter's own scope before the service runs."""

    request = None  # set by RoleAssignmentAdmin.get_form

    class Meta:
        model = RoleAssignment
        fields = ["user", "role", "unit", "include_subtree", "valid_from", "valid_to"]

    def clean(self):
        data = super().clean()
        granter = self.request.user
        unit, role = data.get("unit"), data.get("role")
        if role == "admin" and "admin" not in permissions.roles_of(granter):
            raise ValidationError("Chỉ quản trị hệ thống được cấp vai trò quản trị.")
        if role and role != "admin" and unit is None:
            raise ValidationError("Vai trò này cần một phạm vi đơn vị.")
        if unit is not None and not permissions.can(granter, Action.ROLE_MANAGE, unit):
            raise ValidationError("Đơn vị nằm ngoài phạm vi của bạn.")
        if (
            data.get("valid_to")
            and data.get("valid_from")
            and data["valid_to"] <= data["valid_from"]
        ):
            raise ValidationError("Ngày kết thúc phải sau ngày bắt đầu.")
        return data


@admin.register(RoleAssignment)
class RoleAssignmentAdmin(ScopedAdmin):
    """Role assignments are granted through the service, within the granter's scope."""

    list_display = ["user", "role", "unit", "include_subtree", "valid_from", "valid_to"]
    list_filter = ["role"]
    raw_id_fields = ["user", "unit"]
    view_action = Action.ROLE_MANAGE
    form = RoleAssignmentForm

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        form.request = request
        return form

    def has_add_permission(self, request) -> bool:
        return permissions.may(request.user, Action.ROLE_MANAGE)

    def save_model(self, request, obj, form, change) -> None:
        saved = services.role_assign(
            actor=request.user, user=obj.user, role=obj.role, unit=obj.unit,
            valid_from=obj.valid_from, include_subtree=obj.include_subtree, valid_to=obj.valid_to,
        )  # fmt: skip
        obj.pk = saved.pk


@admin.register(ApiToken)
class ApiTokenAdmin(ScopedAdmin):
    list_display = ["prefix", "user", "label", "created_at", "last_used_at", "revoked_at"]
    scope_field = None
    system_only = True
    exclude = ["key_hash"]
