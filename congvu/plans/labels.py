"""The plans' labels from the pure module, as literals for ``makemessages`` (``core.labels``):
kinds of timing and task statuses."""

from django.utils.translation import gettext_noop

from congvu.core.labels import register
from congvu.plans import rules

MESSAGES = (
    # rules.KIND_NAMES
    gettext_noop("Hoàn thành trước một ngày"),
    gettext_noop("Hoàn thành trong năm"),
    gettext_noop("Định kỳ hằng năm"),
    gettext_noop("Thường xuyên"),
    gettext_noop("Sau một sự kiện"),
    # rules.STATUS_NAMES
    gettext_noop("Chưa bắt đầu"),
    gettext_noop("Đang thực hiện"),
    gettext_noop("Hoàn thành đúng hạn"),
    gettext_noop("Hoàn thành trễ hạn"),
    gettext_noop("Quá hạn"),
    gettext_noop("Chờ sự kiện"),
    # rules.REPORT_STATUS_NAMES
    gettext_noop("Đang soạn"),
    gettext_noop("Đã gửi, chờ Sở Nội vụ"),
    gettext_noop("Bị trả lại để sửa"),
    gettext_noop("Đã được chấp nhận"),
    # rules.REPORT_MOVE_NAMES
    gettext_noop("gửi báo cáo"),
    gettext_noop("trả lại báo cáo"),
    gettext_noop("chấp nhận báo cáo"),
    # rules.SECTION_KIND_NAMES
    gettext_noop("Đoạn văn"),
    gettext_noop("Bảng nhiệm vụ"),
    gettext_noop("Bảng số liệu"),
    # rules.BOARD_GROUPS
    gettext_noop("Đã gửi, chờ xem xét"),
    gettext_noop("Trễ hạn"),
)

register(
    rules.KIND_NAMES,
    rules.STATUS_NAMES,
    rules.REPORT_STATUS_NAMES,
    rules.REPORT_MOVE_NAMES,
    rules.SECTION_KIND_NAMES,
    rules.BOARD_GROUPS,
    messages=MESSAGES,
)
