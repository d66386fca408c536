"""Inspections as data (issue 12): yearly plans, inspections with their team set up by a
decision, the checklist of each inspection, the answers sent from the inspectors' phones
(each with the device's idempotency key) and their photos."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from congvu.core.labels import translated
from congvu.inspections import catalogue, rules


class InspectionPlan(models.Model):
    """A yearly inspection plan (kế hoạch kiểm tra) of Sở Nội vụ or of a unit over its own
    units, issued by a decision."""

    year = models.PositiveSmallIntegerField(_("năm"))
    owner = models.ForeignKey(
        "organisations.Unit",
        verbose_name=_("đơn vị ban hành"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    title = models.CharField(_("tên kế hoạch kiểm tra"), max_length=300)
    decision_code = models.CharField(_("số, ký hiệu quyết định"), max_length=64)
    decision_date = models.DateField(_("ngày quyết định"))
    created_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("kế hoạch kiểm tra")
        verbose_name_plural = _("kế hoạch kiểm tra")
        ordering = ["-year", "title", "pk"]

    def __str__(self) -> str:
        return f"{self.decision_code} — {self.title}"


class Inspection(models.Model):
    """One inspection of one unit, organised by ``owner`` (the unit that set up the team).
    An unannounced one stays hidden from the inspected unit until ``started_at``."""

    plan = models.ForeignKey(
        InspectionPlan,
        verbose_name=_("kế hoạch kiểm tra"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="inspections",
    )
    owner = models.ForeignKey(
        "organisations.Unit",
        verbose_name=_("đơn vị tổ chức kiểm tra"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    unit = models.ForeignKey(
        "organisations.Unit",
        verbose_name=_("đơn vị được kiểm tra"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    kind = models.CharField(_("hình thức"), max_length=12, choices=translated(rules.KIND_NAMES))
    title = models.CharField(_("nội dung kiểm tra"), max_length=300)
    decision_code = models.CharField(_("số, ký hiệu quyết định thành lập đoàn"), max_length=64)
    decision_date = models.DateField(_("ngày quyết định"))
    scheduled_on = models.DateField(_("ngày kiểm tra dự kiến"))
    status = models.CharField(
        _("trạng thái"),
        max_length=12,
        choices=translated(rules.STATUS_NAMES),
        default=rules.SCHEDULED,
    )
    started_at = models.DateTimeField(_("bắt đầu lúc"), null=True, blank=True)
    closed_at = models.DateTimeField(_("kết thúc lúc"), null=True, blank=True)
    conclusion = models.TextField(_("kết luận"), blank=True)
    created_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("cuộc kiểm tra")
        verbose_name_plural = _("cuộc kiểm tra")
        ordering = ["-scheduled_on", "-pk"]
        indexes = [models.Index(fields=["unit", "scheduled_on"], name="inspection_unit_idx")]

    def __str__(self) -> str:
        return f"{self.title} ({self.scheduled_on:%d/%m/%Y})"


class TeamMember(models.Model):
    inspection = models.ForeignKey(Inspection, on_delete=models.CASCADE, related_name="team")
    user = models.ForeignKey(
        "accounts.User", verbose_name=_("thành viên"), on_delete=models.PROTECT, related_name="+"
    )
    role = models.CharField(_("vai trò"), max_length=8, choices=translated(rules.TEAM_ROLE_NAMES))

    class Meta:
        verbose_name = _("thành viên đoàn kiểm tra")
        verbose_name_plural = _("thành viên đoàn kiểm tra")
        ordering = ["inspection", "role", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["inspection", "user"], name="teammember_unique"),
            models.UniqueConstraint(
                fields=["inspection"], condition=Q(role="lead"), name="teammember_one_lead"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} ({self.role})"


class ChecklistItem(models.Model):
    """One thing to check: from the catalogue (``inspections.catalogue``, its code, basis and
    source copied so that a later catalogue never rewrites an inspection) or typed by the
    lead (area G)."""

    inspection = models.ForeignKey(Inspection, on_delete=models.CASCADE, related_name="items")
    position = models.PositiveSmallIntegerField(_("thứ tự"))
    code = models.CharField(_("mã"), max_length=8)
    area = models.CharField(_("nhóm"), max_length=2)
    text = models.TextField(_("nội dung kiểm tra"))
    basis = models.CharField(_("căn cứ"), max_length=300, blank=True)
    standard = models.CharField(
        _("chuẩn mực"), max_length=40, blank=True, help_text=_("Ví dụ: QĐ129-2007:B1")
    )
    person_level = models.BooleanField(_("kiểm tra từng người"), default=False)

    class Meta:
        verbose_name = _("nội dung kiểm tra")
        verbose_name_plural = _("nội dung kiểm tra")
        ordering = ["inspection", "position"]
        constraints = [
            models.UniqueConstraint(fields=["inspection", "position"], name="item_position"),
            models.UniqueConstraint(fields=["inspection", "code"], name="item_code"),
        ]

    def __str__(self) -> str:
        return f"{self.code}. {self.text}"

    @property
    def area_name(self) -> str:
        return catalogue.AREA_NAMES.get(self.area, "")


class Answer(models.Model):
    """What the team saw on one item, as sent from a phone. A changed answer is a new row and
    the earlier one stops being ``current``: nothing sent is lost. ``key`` is the device's
    idempotency key: the same answer sent again is found by it and not stored twice."""

    item = models.ForeignKey(ChecklistItem, on_delete=models.CASCADE, related_name="answers")
    result = models.CharField(_("kết quả"), max_length=16, choices=translated(rules.RESULT_NAMES))
    note = models.TextField(_("nhận xét"), blank=True)
    staff = models.ForeignKey(
        "organisations.Staff",
        verbose_name=_("người được kiểm tra"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    answered_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+")
    answered_at = models.DateTimeField(_("ghi lúc"))
    key = models.CharField(max_length=64, unique=True)
    digest = models.CharField(max_length=64)
    current = models.BooleanField(default=True)

    class Meta:
        verbose_name = _("kết quả kiểm tra")
        verbose_name_plural = _("kết quả kiểm tra")
        ordering = ["item", "-answered_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["item"], condition=Q(current=True), name="answer_one_current"
            )
        ]

    def __str__(self) -> str:
        return f"{self.item.code}: {self.result}"


class AnswerPhoto(models.Model):
    """A photo taken on one item, kept by ``core.uploads.evidence_keep`` (type by its bytes,
    EXIF location and device data removed) with a small copy for the pages."""

    item = models.ForeignKey(ChecklistItem, on_delete=models.CASCADE, related_name="photos")
    stored_name = models.CharField(max_length=64, editable=False)
    thumb_name = models.CharField(max_length=64, editable=False, blank=True)
    original_name = models.CharField(_("tên tệp"), max_length=255)
    content_type = models.CharField(max_length=100)
    sha256 = models.CharField(max_length=64)
    size = models.PositiveIntegerField()
    uploaded_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField()

    class Meta:
        verbose_name = _("ảnh kiểm tra")
        verbose_name_plural = _("ảnh kiểm tra")
        ordering = ["item", "pk"]

    def __str__(self) -> str:
        return self.original_name
