"""The demo province's emulation (issue 13): a few people of Sở Y tế with three years of
results (recorded as the published yearly results of earlier years, which the demo has no
cycles for), titles from earlier paper decisions, initiatives; dossiers at every stage; a
closed council session, an issued decision, the honour board and a good model. Every step but
the earlier years' results goes through the services, made by whoever makes it in real life."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from django.utils import timezone

from congvu.accounts.models import User
from congvu.core.actors import SYSTEM
from congvu.emulation import rules, services_council
from congvu.emulation import services_nominations as nominations
from congvu.emulation.models import Achievement, Nomination
from congvu.evaluations.models import Evaluation, EvaluationCycle
from congvu.organisations.models import Staff, Unit
from congvu.standards.models import CatalogueVersion

if TYPE_CHECKING:
    from congvu.core.actors import SystemActor

EARLIER = (2023, 2024, 2025)
MOMENT = datetime(2026, 1, 15, 9, 0, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))
# (ratings 2023–2025, CSTĐCS years from paper decisions, an initiative of 2025 (level) or None)
PEOPLE = (
    (("HTXS", "HTXS", "HTT"), (2023, 2024), "co_so"),
    (("HTT", "HTT", "HTT"), (), "co_so"),
    (("HTT", "HTXS", "HTXS"), (2024,), None),
    (("HTT", "HTT", "HTNV"), (), None),
    (("HTXS", "HTXS", "HTXS"), (2023, 2024), "tinh"),
    (("HTT", "HTT", "HTT"), (), None),
)


def _earlier_results(root: Unit, people: list[Staff], admin: User) -> None:
    """The published yearly results of 2023–2025 (before the system), one closed cycle a year."""
    version = CatalogueVersion.objects.order_by("pk").first()
    if version is None:
        return
    for index, year in enumerate(EARLIER):
        cycle, _ = EvaluationCycle.objects.get_or_create(
            root_unit=root,
            year=year,
            period_kind="year",
            subject="individual",
            defaults={
                "title": f"Kết quả đánh giá, xếp loại năm {year} (nhập từ hồ sơ giấy)",
                "start_date": date(year, 1, 1),
                "end_date": date(year, 12, 31),
                "catalogue_version": version,
                "self_deadline": date(year, 12, 10),
                "manager_deadline": date(year, 12, 15),
                "council_deadline": date(year, 12, 20),
                "status": "closed",
                "created_by": admin,
                "created_at": MOMENT,
            },
        )
        Evaluation.objects.bulk_create(
            [
                Evaluation(
                    cycle=cycle,
                    staff=person,
                    unit=person.unit,
                    category=person.category,
                    regime="nd90",
                    state="published",
                    locked=True,
                    final_level=levels[index],
                    months_worked=12,
                    created_at=MOMENT,
                    updated_at=MOMENT,
                    published_at=MOMENT,
                )
                for person, (levels, _, _) in zip(people, PEOPLE, strict=False)
            ],
            ignore_conflicts=True,
        )


def demo_emulation(*, actor: User | SystemActor, units: dict[str, Unit]) -> None:
    """Load once: skipped when the demo already has dossiers."""
    if Nomination.objects.exists():
        return
    syt, kha = units["KHA-SYT"], units["KHA"]
    logins = {
        u.username: u for u in User.objects.filter(username__in=("gd_soyte", "sonoivu", "hoidong"))
    }
    head, snv, council = logins["gd_soyte"], logins["sonoivu"], logins["hoidong"]
    people = list(
        Staff.objects.filter(unit__in=[syt, *Unit.objects.filter(parent=syt)], is_active=True)
        .exclude(pk=head.staff_id)
        .order_by("sort_key")[: len(PEOPLE)]
    )
    if len(people) < len(PEOPLE):
        return
    admin = actor if isinstance(actor, User) else head
    _earlier_results(kha, people, admin)
    initiatives = {}
    for person, (_, titles, level) in zip(people, PEOPLE, strict=True):
        for year in titles:
            nominations.achievement_record_past(
                actor=SYSTEM,
                spec=nominations.PastAchievementSpec(
                    award=rules.CSTDCS,
                    year=year,
                    staff=person,
                    source_document=f"Quyết định số {12 + year % 100}/QĐ-SYT ngày 15/01/{year + 1}",
                ),
            )
        if level:
            initiatives[person.pk] = nominations.initiative_record(
                actor=SYSTEM,
                spec=nominations.InitiativeSpec(
                    title=f"Số hóa quy trình tiếp nhận hồ sơ khám bệnh — {person.full_name}",
                    level=level,
                    year=2025,
                    recognised_by="Quyết định số 45/QĐ-HĐSK ngày 20/12/2025 của Hội đồng sáng kiến",
                    staff=person,
                ),
            )

    def propose(person: Staff, code: str, summary: str) -> Nomination:
        found = initiatives.get(person.pk)
        return nominations.nomination_create(
            actor=head,
            spec=nominations.NominationSpec(
                award=code,
                year=2025,
                summary=summary,
                staff=person,
                initiatives=[found.pk] if found and code != rules.LDTT else [],
            ),
        )

    decided = propose(
        people[0], rules.CSTDCS, "Hoàn thành xuất sắc nhiệm vụ; sáng kiến số hóa hồ sơ khám bệnh."
    )
    checked = propose(people[1], rules.CSTDCS, "Hoàn thành tốt nhiệm vụ, có sáng kiến cấp cơ sở.")
    propose(people[2], rules.LDTT, "Hoàn thành tốt nhiệm vụ năm 2025.")  # a draft
    submitted = propose(
        people[4], rules.CSTD_TINH, "Ba năm liền Chiến sĩ thi đua cơ sở; sáng kiến cấp tỉnh."
    )
    for nomination in (decided, checked, submitted):
        nominations.nomination_move(actor=head, nomination=nomination, move="submit")
    for nomination in (decided, checked):
        nominations.nomination_move(actor=snv, nomination=nomination, move="check")
    session = services_council.session_create(
        actor=snv,
        spec=services_council.SessionSpec(
            title="Phiên họp xét danh hiệu thi đua năm 2025",
            unit=kha,
            held_on=timezone.localdate(),
            members=[council],
        ),
    )
    services_council.session_add(actor=snv, session=session, nominations=[decided])
    services_council.session_open(actor=snv, session=session)
    item = session.items.get()
    services_council.ballot_cast(actor=council, session=session, choices={item.pk: rules.YES})
    services_council.session_close(actor=snv, session=session)
    decision = services_council.decision_draft(
        actor=snv,
        spec=services_council.DecisionSpec(
            award=rules.CSTDCS,
            year=2025,
            unit=kha,
            issuer="Ủy ban nhân dân tỉnh Khánh Hòa",
            signer_title="Chủ tịch",
            signer_name="Nguyễn Văn Demo",
            session=session,
        ),
    )
    services_council.decision_issue(
        actor=snv, decision=decision, number="125/QĐ-UBND", signed_on=timezone.localdate()
    )
    assert Achievement.objects.filter(decision=decision).exists()
