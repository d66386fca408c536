"""The unit rules' labels from the pure module, as literals for ``makemessages``
(``core.labels``): why a required content counts as missing."""

from django.utils.translation import gettext_noop

from congvu.core.labels import register
from congvu.standards import unit_rules

MESSAGES = (
    # unit_rules.REASONS
    gettext_noop("Chưa có điều nào của nội quy được gắn với nội dung này."),
    gettext_noop("Đơn vị chưa có nội quy trên hệ thống."),
    gettext_noop("Mã nội dung không có trong danh mục nội dung bắt buộc hiện hành."),
)

register(unit_rules.REASONS, messages=MESSAGES)
