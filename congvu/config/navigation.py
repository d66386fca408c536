"""Navigation by capability: each entry shows only when the permission module (or the
capability's own rule) allows it. The site's assembly: it sits above every app."""

import functools
from collections.abc import Callable

from django.http import HttpRequest
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from congvu.core.permissions import Action, may
from congvu.emulation.selectors_council import may_see_sessions
from congvu.evaluations.selectors import may_review_team, may_self_assess
from congvu.inspections.selectors import may_see_inspections
from congvu.plans.selectors import may_see_own_obligations

StrOrPromise = str | Promise

# Menus: (menu label or None for a single link, [(label, url name, action needed — or a rule
# of the permission module taking the user — or None for any signed-in user)]). A menu with
# one entry the user may open shows as that link alone.
Entry = tuple[StrOrPromise, str, Action | Callable | None]
NAVIGATION: list[tuple[StrOrPromise | None, list[Entry]]] = [
    (None, [(_("Tổng quan"), "home", None)]),
    (
        _("Tổ chức, cán bộ"),
        [
            (_("Cơ cấu tổ chức"), "organisations:unit_tree", Action.UNIT_VIEW),
            (_("Cán bộ, công chức"), "organisations:staff_list", Action.STAFF_VIEW),
            (_("Nhập dữ liệu"), "organisations:import_start", Action.STAFF_IMPORT),
        ],
    ),
    (
        _("Đánh giá, xếp loại"),
        [
            (_("Đánh giá của tôi"), "evaluations:my_list", may_self_assess),
            (_("Đánh giá cán bộ"), "evaluations:team_list", may_review_team),
            (_("Hội đồng đánh giá"), "evaluations:council_index", Action.EVALUATION_CONCLUDE),
            (_("Tiến độ đánh giá"), "evaluations:progress_index", Action.EVALUATION_OVERSEE),
            (_("Đánh giá tập thể"), "evaluations:collective_index", Action.EVALUATION_OVERSEE),
            (_("Kỳ đánh giá"), "evaluations:cycle_list", Action.EVALUATION_MANAGE),
            (_("Chuẩn mực, tiêu chí"), "standards:catalogue_list", Action.UNIT_VIEW),
            (_("Nội quy đơn vị"), "standards:rules_overview", Action.UNIT_RULES_VIEW),
        ],
    ),
    (
        _("Vi phạm, kỷ luật"),
        [
            (_("Vi phạm và khắc phục"), "violations:violation_list", Action.DISCIPLINE_VIEW),
            (_("Thống kê vi phạm"), "violations:statistics", Action.VIOLATION_STATS),
            (_("Sổ kỷ luật"), "discipline:record_list", Action.DISCIPLINE_VIEW),
        ],
    ),
    (
        _("Thi đua, khen thưởng"),
        [
            (_("Phong trào thi đua"), "emulation:movement_list", Action.EMULATION_VIEW),
            (_("Đăng ký thi đua"), "emulation:registration_index", Action.EMULATION_VIEW),
            (_("Cụm, khối thi đua"), "emulation:cluster_list", Action.EMULATION_VIEW),
            (_("Hồ sơ đề nghị khen thưởng"), "emulation:nomination_list", Action.EMULATION_VIEW),
            (_("Phiên họp Hội đồng"), "emulation:council_session_list", may_see_sessions),
            (_("Quyết định khen thưởng"), "emulation:decision_list", Action.EMULATION_VIEW),
            (_("Mô hình hay"), "emulation:goodmodel_list", Action.EMULATION_VIEW),
            (_("Bảng vàng"), "emulation:board", Action.EMULATION_VIEW),
        ],
    ),
    (
        _("Kế hoạch"),
        [
            (_("Kế hoạch"), "plans:plan_list", Action.PLAN_VIEW),
            (_("Nhiệm vụ của đơn vị tôi"), "plans:my_obligations", may_see_own_obligations),
            (_("Báo cáo định kỳ"), "plans:report_list", Action.PLAN_VIEW),
            (_("Yêu cầu giải trình"), "plans:explanation_list", Action.PLAN_VIEW),
            (_("Mẫu báo cáo định kỳ"), "plans:template_list", Action.PLAN_MANAGE),
            (_("Văn bản"), "plans:document_list", Action.PLAN_VIEW),
        ],
    ),
    (None, [(_("Kiểm tra"), "inspections:inspection_list", may_see_inspections)]),
    (
        _("Người dân"),
        [
            (_("Hài lòng của người dân"), "ratings:dashboard", Action.FEEDBACK_VIEW),
            (_("Xử lý phản ánh"), "feedback:handling_list", Action.REPORT_HANDLE),
            (_("Giám sát phản ánh"), "feedback:supervision_reports", Action.FEEDBACK_VIEW),
        ],
    ),
    (None, [(_("Quản trị"), "admin:index", Action.ADMIN_SITE)]),
]


def _allowed(user, action: Action | Callable | None) -> bool:
    if isinstance(action, Action):
        return may(user, action)
    return action is None or bool(action(user))


def navigation(request: HttpRequest) -> dict:
    """``nav_menus``: each a dict with a label (None: a plain link) and its items."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_menus": [], "unread_notifications": 0}
    current = request.path
    menus = []
    for menu, entries in NAVIGATION:
        items = []
        for label, name, action in entries:
            if not _allowed(user, action):
                continue
            url = reverse(name)
            active = current == url if url == "/" else current.startswith(url)
            items.append({"label": label, "url": url, "active": active})
        if not items:
            continue
        grouped = menu is not None and len(items) > 1
        menus.append(
            {
                "label": menu if grouped else None,
                "items": items,
                "active": any(i["active"] for i in items),
                "id": f"menu-{len(menus)}",
            }
        )
    # Counted once per page, and only if the page shows it.
    return {"nav_menus": menus, "unread_notifications": functools.cache(lambda: _unread(user))}


def _unread(user) -> int:
    """The user's unread notifications (one indexed COUNT, only when a page shows it)."""
    from congvu.core.notifications import notifications_for_user

    return notifications_for_user(user=user, unread_only=True).count()
