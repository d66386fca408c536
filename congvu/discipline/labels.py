"""The discipline labels from the pure module, as literals for ``makemessages``
(``core.labels``): disciplinary measures and the two systems of discipline; also the
register's filter of statuses (``selectors.STATUSES``)."""

from django.utils.translation import gettext_noop

from congvu.core.labels import register
from congvu.discipline import rules, selectors

MESSAGES = (
    # rules.FORMS
    gettext_noop("khiển trách"),
    gettext_noop("cảnh cáo"),
    gettext_noop("hạ bậc lương"),
    gettext_noop("giáng chức"),
    gettext_noop("cách chức"),
    gettext_noop("buộc thôi việc"),
    gettext_noop("bãi nhiệm"),
    gettext_noop("khai trừ"),
    # rules.SYSTEMS
    gettext_noop("kỷ luật hành chính"),
    gettext_noop("kỷ luật đảng"),
    # rules.EFFECT_NAMES
    gettext_noop("Xếp loại không hoàn thành nhiệm vụ trong năm có hiệu lực"),
    gettext_noop("Không xét thi đua, khen thưởng"),
    gettext_noop("Không bổ nhiệm, nâng ngạch, quy hoạch, đào tạo"),
    gettext_noop("Kéo dài thời hạn nâng bậc lương thường xuyên"),
    # selectors.STATUSES
    gettext_noop("Đang có hiệu lực"),
    gettext_noop("Hết hiệu lực"),
    gettext_noop("Đã hủy bỏ"),
    # rules.NO_LIMITATION
    gettext_noop("sử dụng văn bằng, chứng chỉ, giấy chứng nhận không hợp pháp"),
    gettext_noop("đảng viên vi phạm đến mức phải xử lý kỷ luật bằng hình thức khai trừ"),
    gettext_noop("vi phạm quy định về công tác bảo vệ chính trị nội bộ"),
    gettext_noop("xâm hại lợi ích quốc gia trong quốc phòng, an ninh, đối ngoại"),
    # rules.LEVEL_NAMES
    gettext_noop("vi phạm ở mức khiển trách"),
    gettext_noop("vi phạm ở mức cao hơn khiển trách"),
    # rules.PAUSE_REASONS: the "chưa xem xét" reasons
    gettext_noop("đang điều trị bệnh hiểm nghèo, ốm nặng hoặc nằm viện"),
    gettext_noop("đang mang thai, nghỉ thai sản hoặc nuôi con dưới 12 tháng tuổi"),
    gettext_noop("đang bị khởi tố, tạm giữ, tạm giam chờ kết luận"),
    gettext_noop("đang khiếu nại, khởi kiện"),
    # rules.CASE_STATUS_NAMES
    gettext_noop("Đang xem xét"),
    gettext_noop("Tạm chưa xem xét"),
    gettext_noop("Hội đồng kỷ luật"),
    gettext_noop("Đã có quyết định kỷ luật"),
    gettext_noop("Đã đóng: hết thời hiệu"),
    gettext_noop("Đã dừng xem xét"),
    # rules.CASE_MOVE_NAMES
    gettext_noop("tạm chưa xem xét vụ việc"),
    gettext_noop("tiếp tục xem xét vụ việc"),
    gettext_noop("chuyển vụ việc ra hội đồng kỷ luật"),
    gettext_noop("ghi nhận quyết định kỷ luật"),
    gettext_noop("đóng vụ việc vì hết thời hiệu"),
    gettext_noop("dừng xem xét vụ việc"),
)

register(
    rules.FORMS,
    rules.SYSTEMS,
    rules.EFFECT_NAMES,
    selectors.STATUSES,
    rules.NO_LIMITATION,
    rules.LEVEL_NAMES,
    rules.PAUSE_REASONS,
    rules.CASE_STATUS_NAMES,
    rules.CASE_MOVE_NAMES,
    messages=MESSAGES,
)
