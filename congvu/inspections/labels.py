"""The inspections' labels from the pure modules, as literals for ``makemessages``
(``core.labels``): kinds, statuses, moves, team roles, results and checklist areas."""

from django.utils.translation import gettext_noop

from congvu.core.labels import register
from congvu.inspections import catalogue, rules

MESSAGES = (
    # rules.KIND_NAMES
    gettext_noop("Theo kế hoạch"),
    gettext_noop("Đột xuất có thông báo"),
    gettext_noop("Đột xuất không báo trước"),
    # rules.STATUS_NAMES
    gettext_noop("Chưa tiến hành"),
    gettext_noop("Đang kiểm tra"),
    gettext_noop("Đã kết thúc"),
    # rules.MOVE_NAMES
    gettext_noop("bắt đầu kiểm tra"),
    gettext_noop("kết thúc kiểm tra"),
    # rules.TEAM_ROLE_NAMES
    gettext_noop("Trưởng đoàn"),
    gettext_noop("Thành viên"),
    # rules.RESULT_NAMES
    gettext_noop("Đạt"),
    gettext_noop("Không đạt"),
    gettext_noop("Không áp dụng"),
    # catalogue.AREA_NAMES
    gettext_noop("Trang phục"),
    gettext_noop("Thẻ cán bộ, công chức, viên chức"),
    gettext_noop("Giao tiếp, ứng xử"),
    gettext_noop("Những việc bị cấm tại công sở"),
    gettext_noop("Bài trí công sở"),
    gettext_noop("Chấp hành kỷ luật, kỷ cương"),
    # refusals of rules.team_refusal and rules.answer_refusal, translated by the services
    gettext_noop("Đoàn kiểm tra phải có đúng một trưởng đoàn."),
    gettext_noop("Một người chỉ được ghi một lần trong đoàn kiểm tra."),
    gettext_noop("Kết quả kiểm tra không hợp lệ."),
    gettext_noop("Nội dung này kiểm tra cơ quan, không ghi người vi phạm."),
    gettext_noop("Cần ghi nhận xét khi kết quả là «Không đạt»."),
)

register(
    rules.KIND_NAMES,
    rules.STATUS_NAMES,
    rules.MOVE_NAMES,
    rules.TEAM_ROLE_NAMES,
    rules.RESULT_NAMES,
    catalogue.AREA_NAMES,
    messages=MESSAGES,
)
