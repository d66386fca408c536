"""The evaluations' labels from the pure modules, as literals for ``makemessages``
(``core.labels``): workflow states and moves, levels, kinds of period."""

from django.utils.translation import gettext_noop

from congvu.core.labels import register
from congvu.evaluations import cycles, regimes, workflow

MESSAGES = (
    # workflow.STATE_NAMES
    gettext_noop("Đang tự đánh giá"),
    gettext_noop("Chờ người quản lý trực tiếp nhận xét"),
    gettext_noop("Chờ hội đồng kết luận"),
    gettext_noop("Đã kết luận, chờ công bố"),
    gettext_noop("Đã công bố"),
    # workflow.MOVE_NAMES
    gettext_noop("nộp bản tự đánh giá"),
    gettext_noop("nhận xét, đánh giá"),
    gettext_noop("trả lại"),
    gettext_noop("kết luận, xếp loại"),
    gettext_noop("công bố kết quả"),
    gettext_noop("mở lại kết quả đã công bố"),
    # regimes.LEVEL_NAMES
    gettext_noop("Hoàn thành xuất sắc nhiệm vụ"),
    gettext_noop("Hoàn thành tốt nhiệm vụ"),
    gettext_noop("Hoàn thành nhiệm vụ"),
    gettext_noop("Không hoàn thành nhiệm vụ"),
    gettext_noop("Không xếp loại"),
    # cycles.PERIOD_KINDS
    gettext_noop("Năm"),
    gettext_noop("Quý"),
    gettext_noop("Tháng"),
)

register(
    workflow.STATE_NAMES,
    workflow.MOVE_NAMES,
    regimes.LEVEL_NAMES,
    cycles.PERIOD_KINDS,
    messages=MESSAGES,
)
