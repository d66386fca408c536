"""The citizens' reports' labels from the pure module, as literals for ``makemessages``
(``core.labels``): report statuses and moves, supervision findings' statuses."""

from django.utils.translation import gettext_noop

from congvu.core.labels import register
from congvu.feedback import rules

MESSAGES = (
    # rules.STATUS_NAMES
    gettext_noop("Đã tiếp nhận"),
    gettext_noop("Đang xác minh"),
    gettext_noop("Đã xử lý, chờ trả lời"),
    gettext_noop("Đã trả lời"),
    gettext_noop("Đã kết thúc"),
    gettext_noop("Không có cơ sở (đã trả lời)"),
    # rules.MOVE_NAMES
    gettext_noop("Bắt đầu xác minh"),
    gettext_noop("Kết luận xác minh"),
    gettext_noop("Xác minh lại"),
    gettext_noop("Trả lời người phản ánh"),
    gettext_noop("Kết luận không có cơ sở"),
    gettext_noop("Kết thúc hồ sơ"),
    # rules.FINDING_STATUS_NAMES
    gettext_noop("Chờ đơn vị trả lời"),
    gettext_noop("Đơn vị đã trả lời"),
    gettext_noop("Đã kết thúc giám sát"),
)

register(rules.STATUS_NAMES, rules.MOVE_NAMES, rules.FINDING_STATUS_NAMES, messages=MESSAGES)
