"""The Django admin, asking the permission module for every access."""

from datetime import date, datetime

from django.contrib import messages
from django.contrib.admin import AdminSite
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import URLPattern, URLResolver, path
from django.utils import timezone
from django.utils.translation import gettext as _

from congvu.core import dated_store
from congvu.core.permissions import Action, can, roles_of


def _day(text: str | None) -> date | None:
    """dd/mm/yyyy → a date; None when empty or malformed."""
    try:
        return datetime.strptime((text or "").strip(), "%d/%m/%Y").date()
    except ValueError:
        return None


class CongVuAdminSite(AdminSite):
    site_header = "Quản trị CôngVụ"
    site_title = "Quản trị CôngVụ"
    index_title = "Dữ liệu hệ thống"

    def has_permission(self, request: HttpRequest) -> bool:
        return request.user.is_active and can(request.user, Action.ADMIN_SITE)

    def get_urls(self) -> list[URLPattern | URLResolver]:
        own = [path("tham-so/", self.admin_view(self.settings_view), name="settings_in_force")]
        return own + super().get_urls()

    def settings_view(self, request: HttpRequest) -> HttpResponse:
        """Every dated setting in force on a day, with its source and the province's value;
        a system administrator records a province's own value (``dated_store``)."""
        asked = request.GET.get("ngay", "")
        day = _day(asked) or timezone.localdate()
        if request.method == "POST":
            start = _day(request.POST.get("tu_ngay"))
            try:
                if start is None:
                    raise ValidationError(_("Ngày bắt đầu phải có dạng dd/mm/yyyy."))
                dated_store.setting_override_set(
                    actor=request.user,
                    name=request.POST.get("ten", ""),
                    value=request.POST.get("gia_tri", ""),
                    valid_from=start,
                    source=request.POST.get("can_cu", ""),
                )
            except PermissionDenied:
                raise
            except ValidationError as error:
                for message in error.messages:
                    messages.error(request, message)
            else:
                messages.success(request, _("Đã ghi giá trị riêng của tỉnh."))
                return redirect(f"{request.path}?ngay={start:%d/%m/%Y}")
        context = {
            **self.each_context(request),
            "title": _("Tham số theo ngày"),
            "day": day,
            "bad_day": bool(asked) and _day(asked) is None,
            "rows": dated_store.settings_rows(day),
            "can_override": "admin" in roles_of(request.user),
        }
        return TemplateResponse(request, "admin/settings_in_force.html", context)
