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
)

register(rules.KIND_NAMES, rules.STATUS_NAMES, messages=MESSAGES)
