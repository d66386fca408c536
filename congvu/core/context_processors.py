"""Navigation by capability: each entry shows only when the permission module allows it."""

from collections.abc import Callable

from django.http import HttpRequest
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from congvu.core.permissions import Action, may, may_review_team, may_self_assess

StrOrPromise = str | Promise

# (label, url name, action needed — or a rule of the permission module taking the user —
# or None for any signed-in user)
NAVIGATION: list[tuple[StrOrPromise, str, Action | Callable | None]] = [
    (_("Tổng quan"), "home", None),
    (_("Cơ cấu tổ chức"), "organisations:unit_tree", Action.UNIT_VIEW),
    (_("Cán bộ, công chức"), "organisations:staff_list", Action.STAFF_VIEW),
    (_("Đánh giá của tôi"), "evaluations:my_list", may_self_assess),
    (_("Đánh giá cán bộ"), "evaluations:team_list", may_review_team),
    (_("Hội đồng đánh giá"), "evaluations:council_index", Action.EVALUATION_CONCLUDE),
    (_("Tiến độ đánh giá"), "evaluations:progress_index", Action.EVALUATION_OVERSEE),
    (_("Đánh giá tập thể"), "evaluations:collective_index", Action.EVALUATION_OVERSEE),
    (_("Kỳ đánh giá"), "evaluations:cycle_list", Action.EVALUATION_MANAGE),
    (_("Kỷ luật"), "discipline:record_list", Action.DISCIPLINE_VIEW),
    (_("Chuẩn mực, tiêu chí"), "standards:catalogue_list", Action.UNIT_VIEW),
    (_("Xử lý phản ánh"), "reports:handling_list", Action.REPORT_HANDLE),
    (_("Giám sát phản ánh"), "reports:supervision_reports", Action.FEEDBACK_VIEW),
    (_("Hài lòng của người dân"), "ratings:dashboard", Action.FEEDBACK_VIEW),
    (_("Nhập dữ liệu"), "organisations:import_start", Action.STAFF_IMPORT),
    (_("Quản trị"), "admin:index", Action.ADMIN_SITE),
]


def navigation(request: HttpRequest) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": []}
    current = request.path
    items = []
    for label, name, action in NAVIGATION:
        if isinstance(action, Action):
            if not may(user, action):
                continue
        elif action is not None and not action(user):
            continue
        url = reverse(name)
        active = current == url if url == "/" else current.startswith(url)
        items.append({"label": label, "url": url, "active": active})
    return {"nav_items": items}
