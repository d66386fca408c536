"""Evaluation cycles and their evaluations: scores, every change of a score, evidence, the
workflow's trail, council decisions and notifications.

One ``Evaluation`` model serves both subjects: an official (``staff`` set) and a unit's own
collective assessment (``staff`` empty, the unit in ``unit``), because both follow the same
steps with the same scores, evidence and trail; the cycle's ``subject`` says which. Only the
services write these rows (docs/evaluations.md).
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from congvu.core.labels import translated
from congvu.evaluations.cycles import PERIOD_KINDS
from congvu.evaluations.regimes import LEVEL_NAMES
from congvu.evaluations.workflow import MOVE_NAMES, STATE_NAMES, State

LEVEL_CHOICES = [(code, name) for code, name in translated(LEVEL_NAMES).items()]
# Plain strings, not enum members: migrations must not import application code.
STATE_CHOICES = [(str(state), name) for state, name in translated(STATE_NAMES).items()]
MOVE_CHOICES = [(str(move), name) for move, name in translated(MOVE_NAMES).items()]
SCORE = {"max_digits": 7, "decimal_places": 2}


class Subject(models.TextChoices):
    INDIVIDUAL = "individual", _("Cá nhân")
    COLLECTIVE = "collective", _("Tập thể (cơ quan, đơn vị)")


class CycleStatus(models.TextChoices):
    DRAFT = "draft", _("Đang chuẩn bị")
    OPEN = "open", _("Đang đánh giá")
    CLOSED = "closed", _("Đã kết thúc")


class EvaluationCycle(models.Model):
    title = models.CharField(_("tên kỳ đánh giá"), max_length=255)
    subject = models.CharField(_("đối tượng"), max_length=16, choices=Subject.choices)
    period_kind = models.CharField(_("loại kỳ"), max_length=8, choices=translated(PERIOD_KINDS))
    year = models.PositiveSmallIntegerField(_("năm"))
    period_number = models.PositiveSmallIntegerField(_("quý hoặc tháng"), null=True, blank=True)
    start_date = models.DateField(_("từ ngày"))
    end_date = models.DateField(_("đến ngày (gồm cả ngày này)"))
    catalogue_version = models.ForeignKey(
        "standards.CatalogueVersion",
        verbose_name=_("phiên bản bộ tiêu chí"),
        on_delete=models.PROTECT,
        related_name="cycles",
    )
    root_unit = models.ForeignKey(
        "organisations.Unit",
        verbose_name=_("đơn vị"),
        on_delete=models.PROTECT,
        related_name="evaluation_cycles",
    )
    include_subtree = models.BooleanField(_("gồm đơn vị trực thuộc"), default=True)
    unit_has_regulation = models.BooleanField(
        _("đơn vị đã ban hành quy chế đánh giá"),
        default=True,
        help_text=_(
            "Nghị định 233/2026/NĐ-CP, Điều 20 khoản 1: chưa có quy chế thì năm 2026 "
            "viên chức được xếp loại theo Nghị định 90/2020/NĐ-CP."
        ),
    )
    culture_points = models.DecimalField(
        _("điểm của phần văn hóa công vụ (trên 100)"), max_digits=5, decimal_places=2, default=30
    )
    status = models.CharField(
        _("trạng thái"), max_length=8, choices=CycleStatus.choices, default=CycleStatus.DRAFT
    )
    self_deadline = models.DateField(_("hạn tự đánh giá"))
    manager_deadline = models.DateField(_("hạn nhận xét của người quản lý"))
    council_deadline = models.DateField(_("hạn kết luận của hội đồng"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người tạo"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("thời điểm tạo"))
    opened_at = models.DateTimeField(_("thời điểm mở"), null=True, blank=True)
    closed_at = models.DateTimeField(_("thời điểm kết thúc"), null=True, blank=True)

    class Meta:
        verbose_name = _("kỳ đánh giá")
        verbose_name_plural = _("kỳ đánh giá")
        ordering = ["-end_date", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(period_kind="year") & Q(period_number__isnull=True))
                | (Q(period_kind="quarter") & Q(period_number__gte=1) & Q(period_number__lte=4))
                | (Q(period_kind="month") & Q(period_number__gte=1) & Q(period_number__lte=12)),
                name="cycle_period_number_valid",
            ),
            models.CheckConstraint(
                condition=Q(end_date__gte=F("start_date")), name="cycle_interval_valid"
            ),
            models.CheckConstraint(
                condition=Q(manager_deadline__gte=F("self_deadline"))
                & Q(council_deadline__gte=F("manager_deadline")),
                name="cycle_deadlines_in_order",
            ),
            models.CheckConstraint(
                condition=Q(culture_points__gt=0) & Q(culture_points__lte=100),
                name="cycle_culture_points_valid",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class CouncilDecision(models.Model):
    """One conclusion of the council (or head) over a list: who, when, what it chose, why."""

    cycle = models.ForeignKey(EvaluationCycle, on_delete=models.PROTECT, related_name="decisions")
    unit = models.ForeignKey(
        "organisations.Unit", verbose_name=_("đơn vị"), on_delete=models.PROTECT, related_name="+"
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người kết luận"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    at = models.DateTimeField(_("thời điểm"))
    comment = models.TextField(_("ý kiến, biên bản"), blank=True)
    over_cap_confirmed = models.BooleanField(_("xác nhận danh sách HTXS vượt tỷ lệ"), default=False)
    caps = models.JSONField(_("kiểm tra tỷ lệ HTXS theo nhóm"), default=list)
    changed_levels = models.JSONField(
        _("mức do hội đồng quyết định khác mức đề xuất"), default=dict
    )  # {evaluation id: [level by the rules, level chosen]}

    class Meta:
        verbose_name = _("kết luận của hội đồng")
        verbose_name_plural = _("kết luận của hội đồng")
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"Kết luận {self.at:%d/%m/%Y %H:%M}"


class Evaluation(models.Model):
    cycle = models.ForeignKey(
        EvaluationCycle, verbose_name=_("kỳ"), on_delete=models.PROTECT, related_name="evaluations"
    )
    staff = models.ForeignKey(
        "organisations.Staff",
        verbose_name=_("người được đánh giá"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="evaluations",
    )
    # Snapshots at creation: later transfers, promotions or renames do not move the result.
    unit = models.ForeignKey(
        "organisations.Unit", verbose_name=_("đơn vị"), on_delete=models.PROTECT, related_name="+"
    )
    category = models.CharField(_("phân loại"), max_length=16, blank=True)
    is_leader = models.BooleanField(_("lãnh đạo, quản lý"), default=False)
    is_head = models.BooleanField(_("người đứng đầu"), default=False)
    regime = models.CharField(_("căn cứ xếp loại"), max_length=16, blank=True)
    group = models.CharField(_("nhóm có nhiệm vụ tương đồng"), max_length=128, blank=True)
    respondent = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người tự đánh giá thay mặt tập thể"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    manager = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người quản lý trực tiếp"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    state = models.CharField(
        _("trạng thái"), max_length=12, choices=STATE_CHOICES, default=str(State.DRAFT)
    )
    self_comment = models.TextField(_("tự nhận xét"), blank=True)
    manager_comment = models.TextField(_("nhận xét của người quản lý"), blank=True)
    council_comment = models.TextField(_("kết luận của hội đồng"), blank=True)
    # Facts for the rules. months_worked None: not a yearly cycle (the 6-month rule is annual).
    months_worked = models.PositiveSmallIntegerField(_("số tháng công tác"), null=True, blank=True)
    months_absent = models.PositiveSmallIntegerField(_("số tháng nghỉ"), default=0)
    flags = models.JSONField(_("tình tiết"), default=list, blank=True)
    nd90_facts = models.JSONField(_("dữ kiện theo Nghị định 90/2020"), null=True, blank=True)
    self_task_points = models.DecimalField(
        _("điểm kết quả nhiệm vụ (tự chấm)"), null=True, blank=True, **SCORE
    )
    manager_task_points = models.DecimalField(
        _("điểm kết quả nhiệm vụ (người quản lý)"), null=True, blank=True, **SCORE
    )
    culture_score = models.DecimalField(
        _("điểm văn hóa công vụ (%)"), null=True, blank=True, **SCORE
    )
    period_score = models.DecimalField(_("điểm của kỳ"), null=True, blank=True, **SCORE)
    proposed_level = models.CharField(
        _("mức đề xuất"), max_length=4, blank=True, choices=LEVEL_CHOICES
    )
    final_level = models.CharField(
        _("mức xếp loại"), max_length=4, blank=True, choices=LEVEL_CHOICES
    )
    final_score = models.DecimalField(_("điểm xếp loại"), null=True, blank=True, **SCORE)
    reasons = models.JSONField(_("căn cứ, lý do"), default=list, blank=True)
    inputs = models.JSONField(_("dữ liệu đã dùng để xếp loại"), default=dict, blank=True)
    decision = models.ForeignKey(
        CouncilDecision, null=True, blank=True, on_delete=models.PROTECT, related_name="evaluations"
    )
    created_at = models.DateTimeField(_("thời điểm tạo"))
    updated_at = models.DateTimeField(_("cập nhật lúc"))
    published_at = models.DateTimeField(_("công bố lúc"), null=True, blank=True)
    locked = models.BooleanField(_("đã khóa"), default=False)

    class Meta:
        verbose_name = _("phiếu đánh giá")
        verbose_name_plural = _("phiếu đánh giá")
        ordering = ["cycle_id", "unit_id", "id"]
        indexes = [
            models.Index(fields=["cycle", "unit", "state"], name="evaluation_progress_idx"),
            models.Index(fields=["manager", "cycle"], name="evaluation_manager_idx"),
            models.Index(fields=["staff", "cycle"], name="evaluation_staff_idx"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["cycle", "staff"],
                condition=Q(staff__isnull=False),
                name="evaluation_one_per_staff",
            ),
            models.UniqueConstraint(
                fields=["cycle", "unit"],
                condition=Q(staff__isnull=True),
                name="evaluation_one_per_unit",
            ),
            # Published ⇔ locked: a result is changed only after a logged reopening.
            models.CheckConstraint(
                condition=(Q(state="published") & Q(locked=True))
                | (~Q(state="published") & Q(locked=False)),
                name="evaluation_locked_iff_published",
            ),
        ]

    def __str__(self) -> str:
        who = self.staff.full_name if self.staff_id else f"Tập thể {self.unit.name}"
        return f"{who} — {self.cycle.title}"

    @property
    def is_collective(self) -> bool:
        return self.staff_id is None


class CriterionScore(models.Model):
    """The scores of one criterion in one evaluation. Created when first scored."""

    evaluation = models.ForeignKey(Evaluation, on_delete=models.PROTECT, related_name="scores")
    criterion = models.ForeignKey(
        "standards.Criterion",
        verbose_name=_("tiêu chí"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    self_score = models.DecimalField(_("tự chấm"), null=True, blank=True, **SCORE)
    self_comment = models.TextField(_("giải trình"), blank=True)
    manager_score = models.DecimalField(_("người quản lý chấm"), null=True, blank=True, **SCORE)
    manager_reason = models.TextField(_("lý do thay đổi"), blank=True)
    final_score = models.DecimalField(_("điểm khi kết luận"), null=True, blank=True, **SCORE)

    class Meta:
        verbose_name = _("điểm tiêu chí")
        verbose_name_plural = _("điểm tiêu chí")
        ordering = ["evaluation_id", "criterion__order"]
        constraints = [
            models.UniqueConstraint(
                fields=["evaluation", "criterion"], name="criterionscore_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.evaluation_id}/{self.criterion_id}"

    @property
    def effective(self):
        """The score in force: the manager's where given, else the official's own."""
        return self.manager_score if self.manager_score is not None else self.self_score


class ScoreChange(models.Model):
    """Every change of a score: who, when, at which step, before, after, why.

    ``criterion`` empty: the task-result points of the evaluation.
    """

    evaluation = models.ForeignKey(
        Evaluation, on_delete=models.PROTECT, related_name="score_changes"
    )
    criterion = models.ForeignKey(
        "standards.Criterion", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(_("thời điểm"))
    step = models.CharField(_("bước"), max_length=12)  # "self" | "manager"
    before = models.DecimalField(_("trước"), null=True, blank=True, **SCORE)
    after = models.DecimalField("sau", null=True, blank=True, **SCORE)
    reason = models.TextField(_("lý do"), blank=True)

    class Meta:
        verbose_name = _("thay đổi điểm")
        verbose_name_plural = _("thay đổi điểm")
        ordering = ["evaluation_id", "at", "id"]

    def __str__(self) -> str:
        return f"{self.evaluation_id}: {self.before} → {self.after}"


class Evidence(models.Model):
    """A file attached to a criterion; stored under MEDIA_ROOT/evidence with a random name."""

    evaluation = models.ForeignKey(Evaluation, on_delete=models.PROTECT, related_name="evidence")
    criterion = models.ForeignKey("standards.Criterion", on_delete=models.PROTECT, related_name="+")
    stored_name = models.CharField(max_length=64, unique=True, editable=False)
    original_name = models.CharField(_("tên tệp"), max_length=255)
    sha256 = models.CharField(max_length=64)
    size = models.PositiveIntegerField(_("dung lượng (byte)"))
    content_type = models.CharField(_("loại tệp"), max_length=128)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("tải lên lúc"))

    class Meta:
        verbose_name = _("minh chứng")
        verbose_name_plural = _("minh chứng")
        ordering = ["evaluation_id", "uploaded_at", "id"]

    def __str__(self) -> str:
        return self.original_name


class Transition(models.Model):
    """The workflow's trail: one row per move, with the actor and the comment."""

    evaluation = models.ForeignKey(Evaluation, on_delete=models.PROTECT, related_name="transitions")
    move = models.CharField(_("thao tác"), max_length=12, choices=MOVE_CHOICES)
    from_state = models.CharField(_("từ"), max_length=12, choices=STATE_CHOICES)
    to_state = models.CharField("sang", max_length=12, choices=STATE_CHOICES)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(_("thời điểm"))
    comment = models.TextField(_("ý kiến"), blank=True)

    class Meta:
        verbose_name = _("bước xử lý")
        verbose_name_plural = _("bước xử lý")
        ordering = ["evaluation_id", "at", "id"]

    def __str__(self) -> str:
        return f"{self.evaluation_id}: {self.from_state} → {self.to_state}"
