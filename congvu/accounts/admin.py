from django import forms
from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

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

    def user_change_password(self, request, id, form_url=""):
        """A password set here also revokes the login's API tokens, audited (a token made
        before stops anyway: its password stamp no longer matches)."""
        response = super().user_change_password(request, id, form_url)
        if request.method == "POST" and response.status_code == 302:
            user = User.objects.filter(pk=unquote(id)).first()
            if user is not None:
                services.tokens_revoke_all(actor=request.user, user=user, reason="password_set")
        return response


class RoleAssignmentForm(forms.ModelForm):
    """Checks the grant against the granter's own scope before the service runs."""

    request = None  # set by RoleAssignmentAdmin.get_form

    class Meta:
        model = RoleAssignment
        fields = ["user", "role", "unit", "include_subtree", "valid_from", "valid_to"]

    def clean(self):
        data = super().clean()
        unit, role, user = data.get("unit"), data.get("role"), data.get("user")
        if role and role != "admin" and unit is None:
            raise ValidationError(_("Vai trò này cần một phạm vi đơn vị."))
        if role and user is not None:  # the service checks it again, in one place
            refusal = services.role_grant_refusal(
                actor=self.request.user,
                user=user,
                role=role,
                unit=unit,
                include_subtree=data.get("include_subtree", False),
            )
            if refusal:
                raise ValidationError(refusal)
        if (
            data.get("valid_to")
            and data.get("valid_from")
            and data["valid_to"] <= data["valid_from"]
        ):
            raise ValidationError(_("Ngày kết thúc phải sau ngày bắt đầu."))
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
            actor=request.user,
            user=obj.user,
            role=obj.role,
            unit=obj.unit,
            valid_from=obj.valid_from,
            include_subtree=obj.include_subtree,
            valid_to=obj.valid_to,
        )
        obj.pk = saved.pk


@admin.register(ApiToken)
class ApiTokenAdmin(ScopedAdmin):
    list_display = ["prefix", "user", "label", "created_at", "last_used_at", "revoked_at"]
    scope_field = None
    system_only = True
    exclude = ["key_hash", "password_stamp"]
    actions = ["revoke"]

    @admin.action(description=gettext_lazy("Thu hồi các khóa API đã chọn"))
    def revoke(self, request, queryset) -> None:
        done = 0
        for token in queryset.filter(revoked_at__isnull=True).select_related("user"):
            services.token_revoke(actor=request.user, token=token, reason="admin")
            done += 1
        self.message_user(request, _("Đã thu hồi %(count)s khóa API.") % {"count": done})
