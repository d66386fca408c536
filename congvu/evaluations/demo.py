"""Demo evaluations: the 2026 cycles of a few departments and the units' own assessments,
moved along through the services exactly as people would, so every demo login finds work.

- Sở Y tế and its units (created by its head): her officials self-assessed, reviewed, one
  list concluded over the HTXS cap (the head's council confirmed it), the CDC's list
  published, the general hospital's waiting for the council, others submitted or half done,
  the head's own assessment waiting for the provincial leader;
- Sở Tư pháp, Sở Nội vụ, Thanh tra tỉnh (created by Sở Nội vụ): the "canbo" login half way
  through, the "sonoivu" login's result published, a few waiting for their manager;
- the units' own assessments over the province: UBND tỉnh published, Sở Nội vụ reviewed (for
  Sở Nội vụ to conclude), Sở Y tế half filled in by its head.

Officials moved along get an account without a password (they cannot sign in: only the
demo logins can), because an official's self-assessment is theirs alone. At most a few
officials per unit are moved, whatever the size of the demo, so it stays fast (about 2 s).
Deterministic: the same seed gives the same people, scores and results.
"""

import random
import time
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile

from congvu.accounts.models import User
from congvu.accounts.services import user_create
from congvu.core.actors import DEMO, SystemActor
from congvu.evaluations import services
from congvu.evaluations.models import Evaluation, EvaluationCycle, Subject
from congvu.evaluations.services import CycleSpec, ManagerScore, SelfScore
from congvu.evaluations.services.common import leaves_for
from congvu.organisations.models import Unit
from congvu.standards.models import CatalogueVersion
from congvu.standards.services import catalogues_load

YEAR = 2026
# The self-assessment was due the day before the demo's "today" (21/11/2026): drafts are late.
DEADLINES = (date(2026, 11, 20), date(2026, 12, 5), date(2026, 12, 15))
TITLE = "Đánh giá, xếp loại chất lượng năm 2026 — {unit}"
COLLECTIVE_TITLE = "Đánh giá, xếp loại tập thể năm 2026"
# A one-page PDF: an evidence file is accepted by its bytes.
EVIDENCE = (
    b"%PDF-1.4\n1 0 obj <</Type /Catalog /Pages 2 0 R>> endobj\n"
    b"2 0 obj <</Type /Pages /Kids [] /Count 0>> endobj\ntrailer <</Root 1 0 R>>\n%%EOF\n"
)
# (culture scores 0–10 per criterion, task points of 70): well above 90, about 80, about 60.
PROFILES = {
    "xs": ((Decimal(10), Decimal(10)), (Decimal(62), Decimal(66))),
    "tot": ((Decimal(8), Decimal(9)), (Decimal(52), Decimal(57))),
    "ht": ((Decimal(6), Decimal(7)), (Decimal(36), Decimal(40))),
}
COMMENTS = (
    "Luôn đeo thẻ công chức khi làm nhiệm vụ.",
    "Hướng dẫn người dân tận tình, không để hồ sơ trễ hạn.",
    "Tham gia đầy đủ các buổi sinh hoạt chuyên đề về văn hóa công vụ.",
    "",
)


@dataclass(frozen=True)
class EvaluationsDemo:
    cycles: int
    evaluations: int
    moved: int
    seconds: float


class _Demo:
    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        self.users = {u.username: u for u in User.objects.select_related("staff")}
        self.moved = 0
        self.files = 0

    # --- one evaluation through the workflow -------------------------------------------

    def _upload(self) -> SimpleUploadedFile:
        self.files += 1
        return SimpleUploadedFile(f"minh-chung-{self.files:03d}.pdf", EVIDENCE, "application/pdf")

    def fill(self, actor: User, evaluation: Evaluation, profile: str, *, partial: bool = False):
        """Self-scores on every criterion (a third of them when ``partial``), task points,
        and a file on every criterion that needs one."""
        (low, high), (task_low, task_high) = PROFILES[profile]
        leaves = list(leaves_for(evaluation).values())
        if partial:
            leaves = leaves[: max(1, len(leaves) // 3)]
        scores = {
            leaf.stable_id: SelfScore(
                min(leaf.maximum, self.rng.choice((low, high)) * leaf.maximum / 10),
                self.rng.choice(COMMENTS),
            )
            for leaf in leaves
        }
        task = None
        if evaluation.staff_id is not None and evaluation.cycle.culture_points < 100:
            task = Decimal(self.rng.randint(int(task_low), int(task_high)))
        services.self_assess(
            actor=actor,
            evaluation=evaluation,
            scores=scores,
            task_points=task,
            comment="" if partial else "Hoàn thành tốt nhiệm vụ được giao trong năm.",
        )
        if not partial:
            for leaf in leaves:
                if leaf.evidence_required:
                    services.evidence_attach(
                        actor=actor,
                        evaluation=evaluation,
                        criterion=leaf.stable_id,
                        upload=self._upload(),
                    )
        self.moved += 1

    def submit(self, actor: User, evaluation: Evaluation, profile: str) -> None:
        self.fill(actor, evaluation, profile)
        services.submit(actor=actor, evaluation=evaluation)

    def review(
        self, actor: User, manager: User, evaluation: Evaluation, profile: str, *, lower=False
    ):
        """Submitted, then reviewed; ``lower``: the manager lowers the first score, with why."""
        self.submit(actor, evaluation, profile)
        changes = {}
        if lower:
            first = next(iter(leaves_for(evaluation).values()))
            changes[first.stable_id] = ManagerScore(
                first.maximum * Decimal("0.7"), "Có lần chưa đeo thẻ khi tiếp công dân."
            )
        services.manager_review(
            actor=manager,
            evaluation=evaluation,
            changes=changes,
            comment="Đồng ý với bản tự đánh giá." if not lower else "Cần chú ý tác phong.",
        )

    # --- accounts of the officials moved along -------------------------------------------

    def account(self, evaluation: Evaluation) -> User:
        """The official's account (created without a password when missing)."""
        staff = evaluation.staff
        for user in self.users.values():
            if user.staff_id == staff.pk:
                return user
        user = user_create(actor=DEMO, username=staff.code.lower(), password=None, staff=staff)
        self.users[user.username] = user
        return user


def _people(
    demo: _Demo, cycle: EvaluationCycle, unit: Unit, skip: set[int], count: int
) -> list[Evaluation]:
    """A seeded sample of the unit's officials without a leadership post and with a full
    year of service (the six-month rule would leave a newcomer unclassified)."""
    candidates = list(
        Evaluation.objects.filter(cycle=cycle, unit=unit, staff__isnull=False, is_leader=False)
        .exclude(staff_id__in=skip)
        .filter(months_worked__gte=10)
        .select_related("staff", "cycle")
        .order_by("staff__code")[:200]
    )
    return demo.rng.sample(candidates, min(count, len(candidates)))


def _cycle(
    actor: User | SystemActor, version, root: Unit, *, subject=Subject.INDIVIDUAL, title=""
) -> EvaluationCycle:
    spec = CycleSpec(
        title=title or TITLE.format(unit=root.name),
        subject=subject,
        period_kind="year",
        year=YEAR,
        period_number=None,
        catalogue_version=version,
        root_unit=root,
        self_deadline=DEADLINES[0],
        manager_deadline=DEADLINES[1],
        council_deadline=DEADLINES[2],
        culture_points=Decimal(100) if subject == Subject.COLLECTIVE else Decimal(30),
    )
    return services.cycle_open(actor=actor, cycle=services.cycle_create(actor=actor, spec=spec))


def _version(code: str) -> CatalogueVersion:
    found = (
        CatalogueVersion.objects.filter(
            catalogue__code=code, effective_from__lte=date(YEAR, 12, 31)
        )
        .order_by("-effective_from", "-pk")
        .first()
    )
    if found is None:  # `congvu demo` before `load_catalogues`: load the shipped ones
        catalogues_load(actor=DEMO)
        return _version(code)
    return found


def demo_evaluations(
    *, actor: User | SystemActor = DEMO, units: dict[str, Unit], seed: int = 1
) -> EvaluationsDemo:
    """Create and move along the demo cycles (once, after the demo logins exist; ``units``
    by demo code). ``actor`` (the loader's administrator) is not used: each step is made by
    whoever makes it in real life."""
    started = time.perf_counter()
    demo = _Demo(seed)
    u = demo.users
    individual, collective = _version("ca-nhan"), _version("tap-the")
    syt, stp, snv, ttr, kha = (
        units[c] for c in ("KHA-SYT", "KHA-STP", "KHA-SNV", "KHA-TTR", "KHA")
    )
    cycles = [
        _cycle(u["gd_soyte"], individual, syt),
        *(_cycle(u["sonoivu"], individual, unit) for unit in (stp, snv, ttr)),
        _cycle(u["sonoivu"], collective, kha, subject=Subject.COLLECTIVE, title=COLLECTIVE_TITLE),
    ]
    _health(demo, cycles[0], syt, units.get("KHA-CDC"), units.get("KHA-BVDK"))
    _justice_and_home_affairs(demo, cycles[1], cycles[2], stp, snv)
    _collective(demo, cycles[4], kha, snv, syt)
    total = Evaluation.objects.filter(cycle__in=cycles).count()
    return EvaluationsDemo(len(cycles), total, demo.moved, time.perf_counter() - started)


def _health(demo: _Demo, cycle: EvaluationCycle, syt: Unit, cdc: Unit | None, hospital) -> None:
    head, council = demo.users["gd_soyte"], demo.users["hoidong"]
    own = Evaluation.objects.select_related("cycle").get(cycle=cycle, staff_id=head.staff_id)
    demo.submit(head, own, "tot")  # waits for the provincial leader's review
    # Sở Y tế itself: six reviewed, four of them at HTXS in a group of two HTT — over the
    # cap; the head's council confirms the list with its reasons (concluded, not published).
    people = _people(demo, cycle, syt, {head.staff_id}, 11)
    for i, e in enumerate(people[:6]):
        demo.review(demo.account(e), head, e, "xs" if i < 4 else "tot", lower=i == 5)
    if people[:6]:
        services.council_conclude(
            actor=head,
            evaluations=people[:6],
            confirm_over_cap=True,
            comment="Hội đồng thi đua Sở Y tế biểu quyết giữ danh sách: bốn đồng chí đều có "
            "sáng kiến được công nhận trong năm.",
        )
    for e in people[6:9]:
        demo.submit(demo.account(e), e, "tot")
    for e in people[9:11]:
        demo.fill(demo.account(e), e, "tot", partial=True)
    if cdc is not None:  # published by the provincial council
        listed = _people(demo, cycle, cdc, set(), 4)
        for i, e in enumerate(listed):
            demo.review(demo.account(e), head, e, "ht" if i == 3 else "tot")
        if listed:
            services.council_conclude(
                actor=council, evaluations=listed, comment="Nhất trí kết quả đề xuất."
            )
            services.publish(actor=council, evaluations=listed)
    if hospital is not None:  # reviewed, waiting for the council; others submitted
        listed = _people(demo, cycle, hospital, set(), 7)
        for e in listed[:4]:
            demo.review(demo.account(e), head, e, "tot")
        for e in listed[4:]:
            demo.submit(demo.account(e), e, "ht")


def _justice_and_home_affairs(demo: _Demo, justice, home, stp: Unit, snv: Unit) -> None:
    u = demo.users
    canbo = Evaluation.objects.select_related("cycle").get(
        cycle=justice, staff_id=u["canbo"].staff_id
    )
    demo.fill(u["canbo"], canbo, "tot", partial=True)  # half way: "canbo" finishes it
    for e in _people(demo, justice, stp, {u["canbo"].staff_id}, 2):
        demo.submit(demo.account(e), e, "tot")  # for the provincial leader to review
    mine = Evaluation.objects.select_related("cycle").get(
        cycle=home, staff_id=u["sonoivu"].staff_id
    )
    demo.review(u["sonoivu"], u["hoidong"], mine, "tot", lower=True)
    services.council_conclude(actor=u["hoidong"], evaluations=[mine], comment="Nhất trí.")
    services.publish(actor=u["hoidong"], evaluations=[mine])
    for e in _people(demo, home, snv, {u["sonoivu"].staff_id, u["hoidong"].staff_id}, 2):
        demo.submit(demo.account(e), e, "tot")  # for the head of the board (hoidong)


def _collective(demo: _Demo, cycle: EvaluationCycle, kha: Unit, snv: Unit, syt: Unit) -> None:
    u = demo.users
    rows = {
        e.unit_id: e
        for e in Evaluation.objects.filter(cycle=cycle, unit__in=[kha, snv, syt]).select_related(
            "cycle"
        )
    }
    province = rows[kha.pk]  # nobody above it: Sở Nội vụ reviews, concludes and publishes
    demo.submit(u["lanhdao"], province, "tot")
    services.manager_review(actor=u["sonoivu"], evaluation=province, comment="Đạt yêu cầu.")
    services.council_conclude(
        actor=u["sonoivu"], evaluations=[province], comment="Sở Nội vụ thẩm định: đạt."
    )
    services.publish(actor=u["sonoivu"], evaluations=[province])
    demo.submit(u["hoidong"], rows[snv.pk], "xs")  # reviewed by the provincial leader
    services.manager_review(actor=u["lanhdao"], evaluation=rows[snv.pk], comment="Đồng ý.")
    demo.fill(u["gd_soyte"], rows[syt.pk], "tot", partial=True)  # the head finishes it
