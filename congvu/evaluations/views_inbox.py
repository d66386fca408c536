"""The inbox: every notification of the user, newest first, unread marked; mark read."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from congvu.core import notifications

PAGE_SIZE = 25


@login_required
@require_http_methods(["GET", "POST"])
def inbox(request: HttpRequest) -> HttpResponse:
    unread_only = request.GET.get("chua-doc") == "1"
    if request.method == "POST":
        one = request.POST.get("id", "")
        ids = [int(one)] if one.isdigit() and len(one) < 12 else None
        if one and ids is None:
            messages.error(request, _("Thông báo không hợp lệ."))
        else:
            changed = notifications.notifications_mark_read(actor=request.user, ids=ids)
            if ids is None:
                messages.success(
                    request, _("Đã đánh dấu %(n)s thông báo là đã đọc.") % {"n": changed}
                )
        page = request.POST.get("trang", "")
        query = urlencode(
            {
                **({"chua-doc": "1"} if unread_only else {}),
                **({"trang": page} if page.isdigit() else {}),
            }
        )
        url = reverse("evaluations:inbox")
        return redirect(f"{url}?{query}" if query else url)
    qs = notifications.notifications_for_user(user=request.user, unread_only=unread_only)
    page = Paginator(qs.order_by("-created_at", "-id"), PAGE_SIZE).get_page(
        request.GET.get("trang")
    )
    # The unread count is the navigation's (core.context_processors), counted once a page.
    context = {"page": page, "unread_only": unread_only}
    return render(request, "evaluations/inbox.html", context)
