"""Emulation's labels from the pure module, as literals for ``makemessages``
(``core.labels``): titles and awards, the states and moves of a nomination and of a council
session, ballot choices, revocation grounds, kinds of cluster."""

from django.utils.translation import gettext_noop

from congvu.core.labels import register
from congvu.emulation import rules

MESSAGES = (
    # rules.AWARD_NAMES
    gettext_noop("Lao động tiên tiến"),
    gettext_noop("Chiến sĩ thi đua cơ sở"),
    gettext_noop("Chiến sĩ thi đua cấp tỉnh"),
    gettext_noop("Chiến sĩ thi đua toàn quốc"),
    gettext_noop("Tập thể lao động tiên tiến"),
    gettext_noop("Tập thể lao động xuất sắc"),
    gettext_noop("Cờ thi đua cấp tỉnh"),
    gettext_noop("Giấy khen"),
    gettext_noop("Bằng khen của Chủ tịch UBND tỉnh"),
    gettext_noop("Bằng khen của Thủ tướng Chính phủ"),
    gettext_noop("Huân chương Lao động hạng Ba"),
    # rules.CHOICES
    gettext_noop("Đồng ý"),
    gettext_noop("Không đồng ý"),
    gettext_noop("Không biểu quyết"),
    # rules.NOMINATION_STATE_NAMES
    gettext_noop("Đang lập hồ sơ"),
    gettext_noop("Đã gửi, chờ Sở Nội vụ thẩm định"),
    gettext_noop("Trả lại để bổ sung"),
    gettext_noop("Đã thẩm định, chờ Hội đồng"),
    gettext_noop("Không đủ điều kiện"),
    gettext_noop("Đang bỏ phiếu"),
    gettext_noop("Hội đồng đề nghị khen thưởng"),
    gettext_noop("Hội đồng không đề nghị"),
    gettext_noop("Đã có quyết định khen thưởng"),
    # rules.NOMINATION_MOVE_NAMES
    gettext_noop("gửi hồ sơ đề nghị"),
    gettext_noop("trả lại hồ sơ"),
    gettext_noop("xác nhận thẩm định"),
    gettext_noop("kết luận không đủ điều kiện"),
    gettext_noop("rút hồ sơ"),
    # rules.SESSION_STATE_NAMES
    gettext_noop("Chuẩn bị"),
    gettext_noop("Đang bỏ phiếu"),
    gettext_noop("Đã kết thúc"),
    # rules.REVOCATION_GROUNDS
    gettext_noop("Gian dối trong kê khai thành tích"),
    gettext_noop("Cung cấp thông tin sai sự thật, giả mạo hồ sơ"),
    gettext_noop("Xét, đề nghị khen thưởng trái pháp luật"),
    gettext_noop("Kết luận sau đó có vi phạm trong thời gian lập thành tích, không đủ tiêu chuẩn"),
    # rules.CLUSTER_KINDS
    gettext_noop("Cụm thi đua"),
    gettext_noop("Khối thi đua"),
    # models: LEVEL_NAMES, KIND_NAMES, Milestone.KINDS, RegistrationList.STATES, Initiative.KINDS
    gettext_noop("Cấp cơ sở"),
    gettext_noop("Cấp tỉnh"),
    gettext_noop("Toàn quốc"),
    gettext_noop("Công trạng"),
    gettext_noop("Đột xuất"),
    gettext_noop("Theo đợt, chuyên đề"),
    gettext_noop("Phát động"),
    gettext_noop("Sơ kết"),
    gettext_noop("Tổng kết"),
    gettext_noop("Đang lập"),
    gettext_noop("Đã gửi"),
    gettext_noop("Trả lại"),
    gettext_noop("Đã tiếp nhận"),
    gettext_noop("Sáng kiến"),
    gettext_noop("Đề tài, đề án khoa học"),
)

register(
    rules.AWARD_NAMES,
    rules.CHOICES,
    rules.NOMINATION_STATE_NAMES,
    rules.NOMINATION_MOVE_NAMES,
    rules.SESSION_STATE_NAMES,
    rules.REVOCATION_GROUNDS,
    rules.CLUSTER_KINDS,
    messages=MESSAGES,
)
