"""The citizens' ratings' labels from the pure module, as literals for ``makemessages``
(``core.labels``): the «4 xin, 4 luôn, 3 không» groups and items, the scores, the flags."""

from django.utils.translation import gettext_noop

from congvu.core.labels import register
from congvu.ratings import rules

GROUP_NAMES = dict(rules.GROUPS)
ITEM_NAMES = {item.code: item.label for item in rules.CONDUCT_ITEMS}

MESSAGES = (
    # rules.GROUPS
    gettext_noop("4 xin"),
    gettext_noop("4 luôn"),
    gettext_noop("3 không"),
    # rules.CONDUCT_ITEMS
    gettext_noop("Xin chào khi tiếp đón"),
    gettext_noop("Xin lỗi khi để bạn chờ hoặc có sai sót"),
    gettext_noop("Xin cảm ơn"),
    gettext_noop("Xin phép khi cần"),
    gettext_noop("Luôn mỉm cười"),
    gettext_noop("Luôn nhẹ nhàng"),
    gettext_noop("Luôn lắng nghe"),
    gettext_noop("Luôn giúp đỡ"),
    gettext_noop("Không hách dịch, cửa quyền"),
    gettext_noop("Không nhũng nhiễu, gây phiền hà"),
    gettext_noop("Không cáu gắt"),
    # rules.SCORE_LABELS
    gettext_noop("Rất không hài lòng"),
    gettext_noop("Không hài lòng"),
    gettext_noop("Bình thường"),
    gettext_noop("Hài lòng"),
    gettext_noop("Rất hài lòng"),
    # rules.FLAGS
    gettext_noop("Cùng địa chỉ mạng đánh giá lại cùng quầy trong 30 phút"),
    gettext_noop("Cùng địa chỉ mạng gửi nhiều đánh giá trong 24 giờ"),
    gettext_noop("Nhiều đánh giá từ cùng một địa chỉ mạng"),
    gettext_noop("Số đánh giá tại quầy tăng đột biến trong một phút"),
    gettext_noop("Trùng nội dung với đánh giá khác từ cùng địa chỉ mạng trong 24 giờ"),
    gettext_noop("Cùng số điện thoại đánh giá lại cùng quầy trong 24 giờ"),
)

register(GROUP_NAMES, ITEM_NAMES, rules.SCORE_LABELS, rules.FLAGS, messages=MESSAGES)
