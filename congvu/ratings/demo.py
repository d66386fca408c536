"""Demo service points and citizens' ratings, created through the services.

Desks at the provincial one-stop centre (one of them an official's), a ward's and a
commune's one-stop desks, a hospital, Sở Tư pháp and the land registry office. Each has
its own level of service, and ratings are spread over the current year up to yesterday
(pushed through ``ratings_ingest``, as a one-stop system would) so that the dashboards,
the trend and the public page show something. A few repeated ratings from one phone go
through the public path and wait in the review list. Deterministic: a fixed seed; dates
are relative to the day the demo is loaded.
"""

import random
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.utils import timezone

from congvu.accounts.models import User
from congvu.organisations.models import Staff, Unit
from congvu.ratings import rules, services
from congvu.ratings.services import ClientInfo, DeskSpec, IngestItem

SEED = 2026


@dataclass(frozen=True)
class DemoDesk:
    unit: str  # unit code
    kind: str
    name: str
    location: str
    per_month: int  # ratings a month
    quality: float  # 0..1: how well the desk serves (shifts the stars up)
    improving: float = 0.0  # added to quality over the year (a trend to see)


DESKS = (
    DemoDesk(
        "KHA-PVHCC",
        "quay",
        "Quầy số 1 – Đất đai, tài nguyên",
        "Tầng 1, Trung tâm Phục vụ hành chính công, 01 Trần Phú, Nha Trang",
        60,
        0.62,
        0.2,
    ),
    DemoDesk(
        "KHA-PVHCC",
        "quay",
        "Quầy số 2 – Đầu tư, doanh nghiệp",
        "Tầng 1, Trung tâm Phục vụ hành chính công",
        45,
        0.86,
    ),
    DemoDesk(
        "KHA-PVHCC",
        "can_bo",
        "Quầy số 3 – Tư pháp, hộ tịch",
        "Tầng 1, Trung tâm Phục vụ hành chính công",
        40,
        0.78,
    ),
    DemoDesk(
        "KHA-P-NHATRANG",
        "quay",
        "Bộ phận một cửa phường Nha Trang",
        "Trụ sở UBND phường Nha Trang",
        55,
        0.55,
        0.1,
    ),
    DemoDesk(
        "KHA-X-CAMLAM", "quay", "Bộ phận một cửa xã Cam Lâm", "Trụ sở UBND xã Cam Lâm", 25, 0.8
    ),
    DemoDesk("KHA-BVDK", "don_vi", "Khoa Khám bệnh", "Tầng trệt, khu A", 70, 0.7),
    DemoDesk("KHA-STP", "quay", "Quầy lý lịch tư pháp", "Sở Tư pháp, 02 Hàn Thuyên", 20, 0.74),
    DemoDesk("KHA-VPDKDD", "quay", "Quầy đăng ký đất đai", "Văn phòng Đăng ký đất đai", 35, 0.5),
)

REASONS_LOW = (
    "Phải chờ hơn một giờ mà không được giải thích.",
    "Cán bộ yêu cầu bổ sung giấy tờ nhiều lần, mỗi lần một kiểu.",
    "Hẹn trả kết quả nhưng đến ngày vẫn chưa có.",
    "Thái độ cáu gắt khi tôi hỏi lại.",
    "Không hướng dẫn rõ cách nộp hồ sơ trực tuyến.",
    "Cán bộ vừa làm vừa dùng điện thoại.",
)
REASONS_MID = (
    "Giải quyết được nhưng còn chậm.",
    "Chỗ ngồi chờ chật, nóng.",
    "Cán bộ lịch sự nhưng hướng dẫn chưa kỹ.",
)


def _score(rng: random.Random, quality: float) -> int:
    roll = rng.random()
    if roll < quality * 0.55:
        return 5
    if roll < quality * 0.95:
        return 4
    return rng.choices((3, 2, 1), weights=(5, 3, 2))[0]


def _answers(rng: random.Random, score: int) -> dict[str, bool]:
    good = 0.55 + 0.1 * score  # 0.65 for 1 star … 1.05 for 5 stars
    answers = {}
    for code in rules.CONDUCT_CODES:
        if rng.random() < 0.7:  # not everyone answers every item
            answers[code] = rng.random() < good
    return answers


def _days(today: date) -> tuple[date, date]:
    start = date(today.year, 1, 1)
    if (today - start).days < 60:  # early in a year: the last ten months instead
        start = today - timedelta(days=300)
    return start, today - timedelta(days=1)


def demo_ratings(*, actor: User, units: dict[str, Unit]) -> None:
    rng = random.Random(SEED)
    today = timezone.localdate()
    first, last = _days(today)
    span = (last - first).days + 1
    items: list[IngestItem] = []
    for n, spec in enumerate(DESKS):
        unit = units.get(spec.unit)
        if unit is None:
            continue
        staff = None
        if spec.kind == "can_bo":
            staff = Staff.objects.filter(unit=unit, is_active=True).order_by("code").first()
            if staff is None:
                continue
        desk = services.desk_create(
            actor=actor,
            spec=DeskSpec(
                unit=unit, kind=spec.kind, name=spec.name, staff=staff, location=spec.location
            ),
        )
        count = spec.per_month * span // 30
        for i in range(count):
            day = first + timedelta(days=rng.randrange(span))
            progress = (day - first).days / span
            score = _score(rng, min(1.0, spec.quality + spec.improving * progress))
            moment = datetime.combine(day, time(7 + rng.randrange(10), rng.randrange(60)))
            reason = ""
            if score <= 2:
                reason = rng.choice(REASONS_LOW)
            elif score == 3 or rng.random() < 0.05:
                reason = rng.choice(REASONS_MID)
            dossier = f"000.{n:02d}.21.H32-{day:%y%m%d}-{i:04d}" if rng.random() < 0.3 else ""
            items.append(
                IngestItem(
                    id=f"demo-{n}-{i}",
                    score=score,
                    desk=desk.pk,
                    conduct=_answers(rng, score),
                    reason=reason,
                    dossier=dossier,
                    rated_at=timezone.make_aware(moment),
                )
            )
        if n == 0:
            _repeated_from_one_phone(desk)
    for start in range(0, len(items), services.MAX_BATCH):
        results = services.ratings_ingest(
            actor=actor, items=items[start : start + services.MAX_BATCH]
        )
        rejected = [r for r in results if r.status == "rejected"]
        if rejected:
            raise ValueError(f"demo ratings refused: {rejected[:3]}")


def _repeated_from_one_phone(desk) -> None:
    """One phone rating the same desk again and again: flagged for the review list."""
    token = desk.tokens.get(revoked_at__isnull=True).token
    phone = ClientInfo(ip="203.0.113.45", user_agent="Mozilla/5.0 (Linux; Android 10) demo")
    for score, reason in ((1, "Quá chậm"), (1, "Quá chậm!!!"), (2, "Vẫn chậm"), (1, "Tệ")):
        services.rating_submit(
            token=token,
            key=services.new_form_key(),
            score=score,
            answers={},
            reason=reason,
            client=phone,
        )
