"""The violations' labels from the pure module, as literals for ``makemessages``
(``core.labels``): sources, the states and moves of a remedy."""

from django.utils.translation import gettext_noop

from congvu.core.labels import register
from congvu.violations import rules

MESSAGES = (
    # rules.SOURCE_NAMES
    gettext_noop("Kiểm tra công vụ"),
    gettext_noop("Phản ánh của người dân có cơ sở"),
    gettext_noop("Đơn vị tự phát hiện"),
    # rules.RECOMMENDATION_STATE_NAMES
    gettext_noop("Chờ khắc phục"),
    gettext_noop("Đã báo cáo khắc phục, chờ xác minh"),
    gettext_noop("Đã xác minh, hoàn thành"),
    # rules.REMEDY_MOVE_NAMES
    gettext_noop("báo cáo kết quả khắc phục"),
    gettext_noop("xác nhận đã khắc phục"),
    gettext_noop("trả lại, yêu cầu khắc phục tiếp"),
)

register(
    rules.SOURCE_NAMES,
    rules.RECOMMENDATION_STATE_NAMES,
    rules.REMEDY_MOVE_NAMES,
    messages=MESSAGES,
)
