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
)

register(rules.FORMS, rules.SYSTEMS, rules.EFFECT_NAMES, selectors.STATUSES, messages=MESSAGES)
