"""Demo reports and supervision findings, filed and handled through the services.

Phường Nha Trang (the ``xuly`` login's unit) gets most of them, in every state, some late; a
few go to other units so that Sở Nội vụ, the Front and the public statistics have a province.
Dates are relative to the day the demo is loaded.
"""

import secrets
from datetime import datetime, timedelta

from django.utils import timezone

from congvu.accounts.models import User
from congvu.feedback import services, supervision
from congvu.feedback.rules import FindingMove, Move
from congvu.feedback.services import Conclusion, ReportInput
from congvu.organisations.models import Unit

# (unit code, days ago, category, what happened, reporter name or "" for anonymous, steps)
REPORTS = (
    (
        "KHA-P-NHATRANG",
        40,
        "gay-kho-khan",
        "Tôi nộp hồ sơ đăng ký khai sinh cho con, cán bộ một cửa bắt bổ sung giấy xác nhận cư trú "
        "dù đã có căn cước, phải đi lại ba lần.",
        "Trần Văn Hùng",
        ("verify", "conclude", "answer", "close"),
    ),
    (
        "KHA-P-NHATRANG",
        30,
        "hach-dich",
        "Khi tôi hỏi về thủ tục chứng thực, cán bộ nói trống không và quát to trước nhiều người.",
        "",
        ("verify", "conclude", "answer"),
    ),
    (
        "KHA-P-NHATRANG",
        25,
        "voi-vinh",
        "Cán bộ gợi ý nộp thêm 200.000 đồng «phí làm nhanh» ngoài lệ phí niêm yết.",
        "Lê Thị Thu",
        ("verify",),
    ),
    (
        "KHA-P-NHATRANG",
        20,
        "gio-giac",
        "Quầy số 2 không có người từ 14 giờ đến 15 giờ 30 chiều thứ Tư, nhiều người phải chờ.",
        "",
        ("reject",),
    ),
    (
        "KHA-P-NHATRANG",
        9,
        "tho-o",
        "Tôi hỏi cách nộp hồ sơ trực tuyến, cán bộ vẫn dùng điện thoại và không trả lời.",
        "",
        ("verify",),
    ),
    (
        "KHA-P-NHATRANG",
        2,
        "the-trang-phuc",
        "Cán bộ tiếp nhận hồ sơ không đeo thẻ, tôi không biết tên để hỏi lại.",
        "Nguyễn Văn Bình",
        (),
    ),
    (
        "KHA-P-NHATRANG",
        0,
        "khac",
        "Nhà vệ sinh của bộ phận một cửa khóa cửa cả buổi sáng, người dân không dùng được.",
        "",
        (),
    ),
    (
        "KHA-SYT",
        35,
        "ruou-bia",
        "Sau giờ nghỉ trưa, một cán bộ phòng tiếp dân có mùi rượu bia rõ khi làm việc với tôi.",
        "",
        ("verify", "conclude", "answer", "close"),
    ),
    (
        "KHA-STP",
        18,
        "gay-kho-khan",
        "Hồ sơ lý lịch tư pháp hẹn 10 ngày nhưng đến ngày thứ 15 vẫn chưa có, không ai giải thích.",
        "Phạm Thị Lan",
        ("verify", "conclude"),
    ),
)

ANSWERS = {
    "conclude": "Đã xác minh: phản ánh đúng. Đơn vị đã nhắc nhở cán bộ và rút kinh nghiệm.",
    "answer": "Cảm ơn ông/bà đã phản ánh. Đơn vị đã xác minh, phản ánh là đúng; cán bộ liên quan "
    "đã được kiểm điểm và đơn vị đã chấn chỉnh việc tiếp nhận hồ sơ.",
    "reject": "Đơn vị đã kiểm tra camera và sổ theo dõi: quầy số 2 có người trực trong thời gian "
    "nêu; phản ánh không có cơ sở. Xin cảm ơn ông/bà đã quan tâm.",
}


def _file(code: str, days_ago: int, category: str, text: str, reporter: str, now: datetime):
    at = now - timedelta(days=days_ago, hours=1)
    data = ReportInput(
        form_key=secrets.token_urlsafe(24),
        unit_code=code,
        category=category,
        happened_on=(at.date() - timedelta(days=1)).strftime("%d/%m/%Y"),
        description=text,
        anonymous=not reporter,
        name=reporter,
        phone="0905123456" if reporter else "",
    )
    return services.report_submit(data=data, at=at).report, at


def demo_reports(*, actor: User, units: dict[str, Unit]) -> int:
    """File the demo reports and findings; returns how many reports were filed."""
    now = timezone.now()
    handler = User.objects.filter(username="xuly").first() or actor
    for code, days_ago, category, text, reporter, steps in REPORTS:
        if code not in units:
            continue
        report, at = _file(code, days_ago, category, text, reporter, now)
        who = handler if code == "KHA-P-NHATRANG" else actor
        for index, step in enumerate(steps, start=1):
            at = min(now, at + timedelta(days=3 if step != "close" else 2, hours=index))
            conclusion = None
            if step in (Move.CONCLUDE, Move.REJECT):
                conclusion = Conclusion(
                    finding=ANSWERS["conclude"]
                    if step == "conclude"
                    else "Không có cơ sở (camera, sổ trực)."
                )
            services.report_move(
                actor=who,
                report=report,
                move=step,
                at=at,
                conclusion=conclusion,
                answer=ANSWERS.get(step, "") if step in (Move.ANSWER, Move.REJECT) else "",
            )
    front = User.objects.filter(username="mttq").first()
    if front is not None and "KHA-P-NHATRANG" in units:
        finding = supervision.finding_file(
            actor=front,
            unit=units["KHA-P-NHATRANG"],
            title="Giám sát việc tiếp nhận hồ sơ tại Bộ phận một cửa phường Nha Trang",
            content="Qua giám sát, Ủy ban MTTQ phường nhận thấy một số cán bộ chưa đeo thẻ khi "
            "tiếp dân, thời gian chờ vào sáng thứ Hai dài. Đề nghị đơn vị chấn chỉnh và báo cáo "
            "kết quả.",
            due_on=timezone.localdate() + timedelta(days=20),
        )
        supervision.finding_move(
            actor=handler,
            finding=finding,
            move=FindingMove.ANSWER,
            text="Đơn vị đã nhắc nhở cán bộ đeo thẻ và bố trí thêm một quầy vào sáng thứ Hai.",
        )
        supervision.finding_file(
            actor=front,
            unit=units["KHA-P-NHATRANG"],
            title="Kiến nghị công khai đường dây nóng tại nơi tiếp dân",
            content="Đề nghị niêm yết số điện thoại đường dây nóng và mã QR phản ánh tại quầy.",
            due_on=timezone.localdate() + timedelta(days=30),
        )
    return len(REPORTS)
