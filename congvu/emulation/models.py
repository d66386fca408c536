"""Emulation and commendation (issue 13): movements and registrations, clusters and their
mutual scoring, each person's and unit's achievements and initiatives, nominations, the
council's secret ballot, decisions with bonuses, revocation, the honour board's good models.
The rules are pure (``rules``); the services are the only writers (``services``)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from congvu.core.labels import translated
from congvu.emulation import rules

AWARD_CHOICES = translated(rules.AWARD_NAMES)
LEVEL_NAMES = {
    rules.CO_SO: "Cấp cơ sở",
    rules.TINH: "Cấp tỉnh",
    rules.TOAN_QUOC: "Toàn quốc",
}
KIND_NAMES = {
    rules.MERIT: "Công trạng",
    rules.AD_HOC: "Đột xuất",
    rules.THEMATIC: "Theo đợt, chuyên đề",
}
ONE_SUBJECT = Q(staff__isnull=False, unit__isnull=True) | Q(staff__isnull=True, unit__isnull=False)


# --- Movements ------------------------------------------------------------------------------


class Movement(models.Model):
    """A movement (phong trào thi đua): its launching document, period, subjects, content and
    criteria; a successor period points back at it (``predecessor``)."""

    name = models.CharField(_("tên phong trào"), max_length=255)
    launch_document = models.CharField(_("văn bản phát động"), max_length=255)
    launched_on = models.DateField(_("ngày phát động"))
    start_year = models.PositiveSmallIntegerField(_("từ năm"))
    end_year = models.PositiveSmallIntegerField(_("đến năm"))
    for_collectives = models.BooleanField(_("đối tượng: tập thể"), default=True)
    for_individuals = models.BooleanField(_("đối tượng: cá nhân"), default=True)
    content = models.TextField(_("nội dung thi đua"), blank=True)
    criteria = models.ManyToManyField(
        "standards.Criterion", verbose_name=_("tiêu chí"), blank=True, related_name="+"
    )
    owner = models.ForeignKey(
        "organisations.Unit",
        verbose_name=_("đơn vị phát động"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    predecessor = models.ForeignKey(
        "self",
        verbose_name=_("giai đoạn trước"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="successors",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords(verbose_name=_("lịch sử phong trào"))

    class Meta:
        verbose_name = _("phong trào thi đua")
        verbose_name_plural = _("phong trào thi đua")
        ordering = ["-start_year", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_year__gte=models.F("start_year")), name="movement_years_valid"
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.start_year}–{self.end_year})"


class Milestone(models.Model):
    """A milestone of a movement: launch, sơ kết (mid-term review), tổng kết (final review)."""

    KINDS = {"phat_dong": "Phát động", "so_ket": "Sơ kết", "tong_ket": "Tổng kết"}

    movement = models.ForeignKey(Movement, on_delete=models.CASCADE, related_name="milestones")
    kind = models.CharField(_("mốc"), max_length=12, choices=translated(KINDS))
    year = models.PositiveSmallIntegerField(_("năm"))
    due_on = models.DateField(_("thời hạn"), null=True, blank=True)
    held_on = models.DateField(_("ngày tổ chức"), null=True, blank=True)
    note = models.TextField(_("ghi chú"), blank=True)

    class Meta:
        verbose_name = _("mốc phong trào")
        verbose_name_plural = _("mốc phong trào")
        ordering = ["movement_id", "year", "pk"]

    def __str__(self) -> str:
        return f"{self.KINDS.get(self.kind, self.kind)} {self.year}"


# --- Registrations ---------------------------------------------------------------------------


class RegistrationList(models.Model):
    """A unit's registration list for a year (đăng ký thi đua): drafted by the unit, sent up
    to Sở Nội vụ, which acknowledges it or returns it."""

    STATES = {
        "draft": "Đang lập",
        "submitted": "Đã gửi",
        "returned": "Trả lại",
        "accepted": "Đã tiếp nhận",
    }

    unit = models.ForeignKey(
        "organisations.Unit", verbose_name=_("đơn vị"), on_delete=models.PROTECT, related_name="+"
    )
    year = models.PositiveSmallIntegerField(_("năm"))
    movement = models.ForeignKey(
        Movement,
        verbose_name=_("phong trào"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="registration_lists",
    )
    state = models.CharField(
        _("trạng thái"), max_length=12, choices=translated(STATES), default="draft"
    )
    comment = models.TextField(_("ý kiến"), blank=True)
    submitted_at = models.DateTimeField(_("gửi lúc"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("bản đăng ký thi đua")
        verbose_name_plural = _("bản đăng ký thi đua")
        ordering = ["-year", "unit__sort_key"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "year"], name="registration_list_once")
        ]

    def __str__(self) -> str:
        return f"{self.unit} — {self.year}"


class Registration(models.Model):
    """One line of a list: a person (``staff``) or the unit itself aims for a title."""

    registration_list = models.ForeignKey(
        RegistrationList, on_delete=models.CASCADE, related_name="lines"
    )
    staff = models.ForeignKey(
        "organisations.Staff",
        verbose_name=_("cá nhân"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    award = models.CharField(_("danh hiệu đăng ký"), max_length=12, choices=AWARD_CHOICES)

    class Meta:
        verbose_name = _("đăng ký danh hiệu")
        verbose_name_plural = _("đăng ký danh hiệu")
        ordering = ["registration_list_id", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["registration_list", "staff", "award"],
                name="registration_once",
                nulls_distinct=False,
            )
        ]

    def __str__(self) -> str:
        return f"{self.award} — {self.staff_id or 'tập thể'}"


# --- Clusters and blocks -------------------------------------------------------------------


class Cluster(models.Model):
    """A cluster or block of units (cụm, khối thi đua) that emulate one another."""

    name = models.CharField(_("tên cụm, khối"), max_length=255)
    kind = models.CharField(
        _("loại"), max_length=8, choices=translated(rules.CLUSTER_KINDS), default=rules.CUM
    )
    note = models.TextField(_("ghi chú"), blank=True)

    class Meta:
        verbose_name = _("cụm, khối thi đua")
        verbose_name_plural = _("cụm, khối thi đua")
        ordering = ["name", "pk"]

    def __str__(self) -> str:
        return self.name


class ClusterYear(models.Model):
    """A cluster's year: its members, its leading unit (đơn vị trưởng cụm), the collective
    criteria scored (``criteria``: [{"code", "text", "max"}]) and whether scoring is open."""

    cluster = models.ForeignKey(Cluster, on_delete=models.CASCADE, related_name="years")
    year = models.PositiveSmallIntegerField(_("năm"))
    leader = models.ForeignKey(
        "organisations.Unit",
        verbose_name=_("đơn vị trưởng cụm, khối"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    members = models.ManyToManyField(
        "organisations.Unit", verbose_name=_("thành viên"), related_name="+"
    )
    criteria = models.JSONField(_("tiêu chí chấm điểm"), default=list)
    scoring_open = models.BooleanField(_("đang chấm điểm"), default=False)
    ranked_at = models.DateTimeField(_("chốt xếp hạng lúc"), null=True, blank=True)

    class Meta:
        verbose_name = _("năm thi đua của cụm, khối")
        verbose_name_plural = _("năm thi đua của cụm, khối")
        ordering = ["-year", "cluster__name"]
        constraints = [
            models.UniqueConstraint(fields=["cluster", "year"], name="cluster_year_once")
        ]

    def __str__(self) -> str:
        return f"{self.cluster} — {self.year}"


class ClusterScore(models.Model):
    """Points one member unit gives another on one criterion."""

    cluster_year = models.ForeignKey(ClusterYear, on_delete=models.CASCADE, related_name="scores")
    scorer = models.ForeignKey("organisations.Unit", on_delete=models.PROTECT, related_name="+")
    scored = models.ForeignKey("organisations.Unit", on_delete=models.PROTECT, related_name="+")
    criterion = models.CharField(_("tiêu chí"), max_length=32)
    points = models.DecimalField(_("điểm"), max_digits=6, decimal_places=2)
    scored_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    scored_at = models.DateTimeField()

    class Meta:
        verbose_name = _("điểm chấm chéo")
        verbose_name_plural = _("điểm chấm chéo")
        constraints = [
            models.UniqueConstraint(
                fields=["cluster_year", "scorer", "scored", "criterion"], name="cluster_score_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.scorer_id} → {self.scored_id}: {self.criterion} {self.points}"


# --- Achievements and initiatives -------------------------------------------------------------


class Initiative(models.Model):
    """A recognised initiative (sáng kiến) or accepted research project (đề tài) of a person or
    a unit. ``used_for`` is written once (rules P8: one initiative, one title or award): only
    ``services.initiative_use`` writes it, by a conditional update."""

    KINDS = {"sang_kien": "Sáng kiến", "de_tai": "Đề tài, đề án khoa học"}

    staff = models.ForeignKey(
        "organisations.Staff",
        verbose_name=_("tác giả"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="initiatives",
    )
    unit = models.ForeignKey(
        "organisations.Unit",
        verbose_name=_("tập thể tác giả"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    kind = models.CharField(
        _("loại"), max_length=12, choices=translated(KINDS), default="sang_kien"
    )
    title = models.CharField(_("tên sáng kiến, đề tài"), max_length=500)
    level = models.CharField(_("cấp công nhận"), max_length=12, choices=translated(LEVEL_NAMES))
    year = models.PositiveSmallIntegerField(_("năm công nhận"))
    recognised_by = models.CharField(_("văn bản công nhận"), max_length=255)
    used_for = models.CharField(
        _("đã dùng để xét"), max_length=12, choices=AWARD_CHOICES, blank=True
    )
    used_by = models.ForeignKey(
        "emulation.Nomination",
        verbose_name=_("hồ sơ đã dùng"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    used_at = models.DateTimeField(_("dùng lúc"), null=True, blank=True)
    recorded_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords(verbose_name=_("lịch sử sáng kiến"))

    class Meta:
        verbose_name = _("sáng kiến, đề tài")
        verbose_name_plural = _("sáng kiến, đề tài")
        ordering = ["-year", "pk"]
        constraints = [
            models.CheckConstraint(condition=ONE_SUBJECT, name="initiative_one_subject"),
            models.CheckConstraint(
                condition=Q(used_for="") | Q(used_at__isnull=False), name="initiative_use_dated"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.year})"


class AwardDecision(models.Model):
    """A decision (quyết định khen thưởng): number, date, issuer and signer, the title or
    award and year; its lines are Achievements. Drafted, then issued (then read-only)."""

    number = models.CharField(_("số quyết định"), max_length=64, blank=True)
    signed_on = models.DateField(_("ngày ký"), null=True, blank=True)
    issuer = models.CharField(_("cơ quan ban hành"), max_length=255)
    signer_title = models.CharField(_("chức vụ người ký"), max_length=255)
    signer_name = models.CharField(_("người ký"), max_length=255)
    award = models.CharField(_("danh hiệu, hình thức"), max_length=12, choices=AWARD_CHOICES)
    year = models.PositiveSmallIntegerField(_("năm thành tích"))
    unit = models.ForeignKey(
        "organisations.Unit",
        verbose_name=_("đơn vị trình"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    session = models.ForeignKey(
        "emulation.CouncilSession",
        verbose_name=_("phiên họp Hội đồng"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="decisions",
    )
    nominations = models.ManyToManyField(
        "emulation.Nomination", verbose_name=_("hồ sơ"), blank=True, related_name="decisions"
    )
    issued_at = models.DateTimeField(_("ban hành lúc"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords(verbose_name=_("lịch sử quyết định"))

    class Meta:
        verbose_name = _("quyết định khen thưởng")
        verbose_name_plural = _("quyết định khen thưởng")
        ordering = ["-signed_on", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["issuer", "number", "signed_on"],
                condition=~Q(number=""),
                name="award_decision_number_once",
            )
        ]

    def __str__(self) -> str:
        day = f" ngày {self.signed_on:%d/%m/%Y}" if self.signed_on else ""
        return f"Quyết định {self.number or '(dự thảo)'}{day}"


class Achievement(models.Model):
    """A title or award a person or unit received for a year: from a decision in the system
    (``decision``) or recorded from an earlier paper decision (``source_document``). Never
    deleted: revoked with its ground (Law 06/2022 chapter VII), and then it no longer counts
    (streaks, the honour board) while the history keeps it."""

    staff = models.ForeignKey(
        "organisations.Staff",
        verbose_name=_("cá nhân"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="achievements",
    )
    unit = models.ForeignKey(
        "organisations.Unit",
        verbose_name=_("tập thể"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    # A snapshot of the person's unit when awarded (history stays where it was earned).
    unit_then = models.ForeignKey(
        "organisations.Unit",
        verbose_name=_("đơn vị khi khen thưởng"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    award = models.CharField(_("danh hiệu, hình thức"), max_length=12, choices=AWARD_CHOICES)
    kind = models.CharField(
        _("loại khen thưởng"), max_length=12, choices=translated(KIND_NAMES), default=rules.MERIT
    )
    year = models.PositiveSmallIntegerField(_("năm thành tích"), db_index=True)
    decision = models.ForeignKey(
        AwardDecision,
        verbose_name=_("quyết định"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="lines",
    )
    nomination = models.OneToOneField(
        "emulation.Nomination",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="achievement",
    )
    source_document = models.CharField(_("số, ngày quyết định"), max_length=255, blank=True)
    citation = models.TextField(_("thành tích tiêu biểu"), blank=True)
    bonus_base = models.PositiveIntegerField(_("lương cơ sở"), null=True, blank=True)
    bonus_multiplier = models.DecimalField(
        _("hệ số"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    bonus_amount = models.PositiveBigIntegerField(_("tiền thưởng (đồng)"), null=True, blank=True)
    recorded_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(_("hủy bỏ lúc"), null=True, blank=True)
    revoke_ground = models.CharField(
        _("căn cứ hủy bỏ"),
        max_length=16,
        choices=translated(rules.REVOCATION_GROUNDS),
        blank=True,
    )
    revoke_reason = models.TextField(_("lý do hủy bỏ"), blank=True)
    revoke_document = models.CharField(_("quyết định hủy bỏ"), max_length=255, blank=True)
    history = HistoricalRecords(verbose_name=_("lịch sử khen thưởng"))

    class Meta:
        verbose_name = _("thành tích, khen thưởng")
        verbose_name_plural = _("thành tích, khen thưởng")
        ordering = ["-year", "pk"]
        indexes = [
            models.Index(fields=["staff", "year"], name="achievement_staff_year"),
            models.Index(fields=["unit", "year"], name="achievement_unit_year"),
        ]
        constraints = [
            models.CheckConstraint(condition=ONE_SUBJECT, name="achievement_one_subject")
        ]

    def __str__(self) -> str:
        return f"{rules.AWARD_NAMES.get(self.award, self.award)} {self.year}"

    @property
    def revoked(self) -> bool:
        return self.revoked_at is not None


# --- Nominations -------------------------------------------------------------------------------


class Nomination(models.Model):
    """A unit's proposal of a person or a collective for a title or award, with its dossier and
    the engine's report (``report``: the published shape of docs/eligibility.md), kept as it
    was when last run. ``received_on``: the day Sở Nội vụ first received it (the transitional
    rule of Luật 06/2026)."""

    unit = models.ForeignKey(
        "organisations.Unit",
        verbose_name=_("đơn vị đề nghị"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    staff = models.ForeignKey(
        "organisations.Staff",
        verbose_name=_("cá nhân được đề nghị"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="nominations",
    )
    subject_unit = models.ForeignKey(
        "organisations.Unit",
        verbose_name=_("tập thể được đề nghị"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    award = models.CharField(_("danh hiệu, hình thức"), max_length=12, choices=AWARD_CHOICES)
    kind = models.CharField(
        _("loại khen thưởng"), max_length=12, choices=translated(KIND_NAMES), default=rules.MERIT
    )
    year = models.PositiveSmallIntegerField(_("năm thành tích"))
    movement = models.ForeignKey(
        Movement,
        verbose_name=_("phong trào"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="nominations",
    )
    summary = models.TextField(_("tóm tắt thành tích"))
    initiatives = models.ManyToManyField(
        Initiative, verbose_name=_("sáng kiến làm căn cứ"), blank=True, related_name="nominations"
    )
    state = models.CharField(
        _("trạng thái"),
        max_length=12,
        choices=translated(rules.NOMINATION_STATE_NAMES),
        default=rules.DRAFT,
        db_index=True,
    )
    # Declared facts the system cannot see (rules.PENDING: an investigation, a complaint being
    # verified); an open discipline case is read from the discipline chain.
    pending = models.JSONField(_("đang bị xem xét"), default=list, blank=True)
    report = models.JSONField(_("kết quả kiểm tra điều kiện"), default=dict, blank=True)
    result = models.CharField(_("kết luận của hệ thống"), max_length=16, blank=True)
    checked_at = models.DateTimeField(_("kiểm tra điều kiện lúc"), null=True, blank=True)
    comment = models.TextField(_("ý kiến thẩm định"), blank=True)
    received_on = models.DateField(_("ngày tiếp nhận"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords(verbose_name=_("lịch sử hồ sơ đề nghị"))

    class Meta:
        verbose_name = _("hồ sơ đề nghị khen thưởng")
        verbose_name_plural = _("hồ sơ đề nghị khen thưởng")
        ordering = ["-year", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(staff__isnull=False, subject_unit__isnull=True)
                | Q(staff__isnull=True, subject_unit__isnull=False),
                name="nomination_one_subject",
            )
        ]

    def __str__(self) -> str:
        who = self.staff.full_name if self.staff_id else str(self.subject_unit)
        return f"{rules.AWARD_NAMES.get(self.award, self.award)} {self.year} — {who}"

    @property
    def subject_kind(self) -> str:
        return rules.INDIVIDUAL if self.staff_id else rules.COLLECTIVE


class NominationEvidence(models.Model):
    """A file of a nomination's dossier (``core.uploads``)."""

    nomination = models.ForeignKey(Nomination, on_delete=models.PROTECT, related_name="evidence")
    stored_name = models.CharField(max_length=64, editable=False)
    original_name = models.CharField(_("tên tệp"), max_length=255)
    content_type = models.CharField(max_length=100)
    sha256 = models.CharField(max_length=64)
    size = models.PositiveIntegerField()
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.original_name


class NominationStep(models.Model):
    """Each move on a nomination (submit, return, check, refuse, vote result, decision) with
    its text: the dossier's history."""

    nomination = models.ForeignKey(Nomination, on_delete=models.CASCADE, related_name="steps")
    move = models.CharField(_("thao tác"), max_length=16)
    from_state = models.CharField(max_length=12)
    to_state = models.CharField(max_length=12)
    text = models.TextField(_("nội dung"), blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    at = models.DateTimeField(_("lúc"))

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.move} — {self.at:%d/%m/%Y}"


# --- The council and its secret ballot ---------------------------------------------------------


class CouncilSession(models.Model):
    """A session of the emulation council (Hội đồng Thi đua – Khen thưởng) that votes on
    checked nominations. ``members``: every member of the council on the day (the denominator
    of the thresholds); only they vote."""

    title = models.CharField(_("tên phiên họp"), max_length=255)
    unit = models.ForeignKey(
        "organisations.Unit",
        verbose_name=_("cấp Hội đồng"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    held_on = models.DateField(_("ngày họp"))
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("thành viên Hội đồng"), related_name="+"
    )
    state = models.CharField(
        _("trạng thái"),
        max_length=12,
        choices=translated(rules.SESSION_STATE_NAMES),
        default=rules.PREPARING,
    )
    opened_at = models.DateTimeField(_("mở bỏ phiếu lúc"), null=True, blank=True)
    closed_at = models.DateTimeField(_("kết thúc lúc"), null=True, blank=True)
    member_count = models.PositiveSmallIntegerField(_("số thành viên"), default=0)
    minutes = models.TextField(_("biên bản"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("phiên họp Hội đồng thi đua, khen thưởng")
        verbose_name_plural = _("phiên họp Hội đồng thi đua, khen thưởng")
        ordering = ["-held_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.title} ({self.held_on:%d/%m/%Y})"


class SessionItem(models.Model):
    """A nomination on a session's ballot, with its running tally. The tally is counters only:
    no row records a member's choice, and this model keeps no history (a history row's time
    could be matched to a receipt's); the counts are shown only once the session is closed."""

    session = models.ForeignKey(CouncilSession, on_delete=models.CASCADE, related_name="items")
    nomination = models.ForeignKey(Nomination, on_delete=models.PROTECT, related_name="+")
    threshold = models.DecimalField(_("tỷ lệ tán thành cần đạt"), max_digits=4, decimal_places=3)
    yes = models.PositiveSmallIntegerField(default=0)
    no = models.PositiveSmallIntegerField(default=0)
    abstain = models.PositiveSmallIntegerField(default=0)
    approved = models.BooleanField(null=True)
    detail = models.CharField(max_length=255, blank=True)

    class Meta:
        verbose_name = _("đề nghị trong phiên họp")
        verbose_name_plural = _("đề nghị trong phiên họp")
        ordering = ["session_id", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["session", "nomination"], name="session_item_once")
        ]

    def __str__(self) -> str:
        return f"{self.session_id}: {self.nomination_id}"


class BallotReceipt(models.Model):
    """That a member has cast their ballot in a session: once each (the unique constraint), and
    nothing about how. No time is kept, so it cannot be matched to the tally's changes."""

    session = models.ForeignKey(CouncilSession, on_delete=models.CASCADE, related_name="receipts")
    member = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("xác nhận đã bỏ phiếu")
        verbose_name_plural = _("xác nhận đã bỏ phiếu")
        constraints = [
            models.UniqueConstraint(fields=["session", "member"], name="ballot_once_per_member")
        ]

    def __str__(self) -> str:
        return f"{self.session_id}: {self.member_id}"


# --- The honour board's good models ----------------------------------------------------------


class GoodModel(models.Model):
    """A unit's good model or practice (mô hình hay, cách làm hiệu quả) shown on the public
    honour board once published; withdrawn, never deleted."""

    unit = models.ForeignKey(
        "organisations.Unit", verbose_name=_("đơn vị"), on_delete=models.PROTECT, related_name="+"
    )
    year = models.PositiveSmallIntegerField(_("năm"))
    title = models.CharField(_("tên mô hình"), max_length=255)
    description = models.TextField(_("mô tả"))
    published_at = models.DateTimeField(_("công bố lúc"), null=True, blank=True)
    withdrawn_at = models.DateTimeField(_("gỡ lúc"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("mô hình hay")
        verbose_name_plural = _("mô hình hay")
        ordering = ["-year", "-pk"]

    def __str__(self) -> str:
        return self.title
