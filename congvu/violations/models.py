"""Violations, recommendations and remedies (issue 12; ``rules``)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from congvu.core.labels import translated
from congvu.violations import rules


class Violation(models.Model):
    """One violation of a named standard by a person or a unit, with its source. Never
    deleted: withdrawn with a reason (``withdrawn_at``), and then left out of statistics."""

    unit = models.ForeignKey(
        "organisations.Unit", verbose_name=_("đơn vị"), on_delete=models.PROTECT, related_name="+"
    )
    staff = models.ForeignKey(
        "organisations.Staff",
        verbose_name=_("cán bộ vi phạm"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="violations",
    )
    criterion = models.ForeignKey(
        "standards.Criterion",
        verbose_name=_("tiêu chuẩn bị vi phạm"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    standard_code = models.CharField(_("mã tiêu chuẩn"), max_length=160, db_index=True)
    standard_text = models.TextField(_("tiêu chuẩn"))
    source = models.CharField(
        _("nguồn"), max_length=16, choices=translated(rules.SOURCE_NAMES), db_index=True
    )
    feedback_report = models.OneToOneField(
        "feedback.Report",
        verbose_name=_("phản ánh của người dân"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="violation",
    )
    finding = models.OneToOneField(
        "inspections.Answer",
        verbose_name=_("kết quả kiểm tra không đạt"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="violation",
    )
    source_ref = models.CharField(_("căn cứ (biên bản, văn bản)"), max_length=200, blank=True)
    occurred_on = models.DateField(_("ngày vi phạm"))
    found_on = models.DateField(_("ngày phát hiện"), db_index=True)
    description = models.TextField(_("nội dung vi phạm"))
    recorded_by = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )  # None: the system (a seed, an import); the audit record names it
    recorded_at = models.DateTimeField(auto_now_add=True)
    withdrawn_at = models.DateTimeField(_("rút lại lúc"), null=True, blank=True)
    withdraw_reason = models.TextField(_("lý do rút lại"), blank=True)

    class Meta:
        verbose_name = _("vi phạm")
        verbose_name_plural = _("vi phạm")
        ordering = ["-found_on", "-pk"]
        indexes = [models.Index(fields=["found_on", "unit"], name="violation_found_unit")]

    def __str__(self) -> str:
        return f"{self.standard_code} — {self.unit} — {self.found_on:%d/%m/%Y}"


class Recommendation(models.Model):
    """A recommendation (kiến nghị) to remedy a violation: the responsible unit, the content,
    the deadline; its state moves by ``rules.RECOMMENDATION_MACHINE``."""

    violation = models.ForeignKey(
        Violation, on_delete=models.PROTECT, related_name="recommendations"
    )
    responsible_unit = models.ForeignKey(
        "organisations.Unit",
        verbose_name=_("đơn vị chịu trách nhiệm"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    content = models.TextField(_("nội dung kiến nghị"))
    due_on = models.DateField(_("hạn khắc phục"))
    state = models.CharField(
        _("trạng thái"),
        max_length=12,
        choices=translated(rules.RECOMMENDATION_STATE_NAMES),
        default=rules.OPEN,
    )
    issued_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+")
    issued_at = models.DateTimeField(auto_now_add=True)
    reported_on = models.DateField(_("ngày báo cáo khắc phục lần đầu"), null=True, blank=True)
    verified_on = models.DateField(_("ngày xác minh"), null=True, blank=True)

    class Meta:
        verbose_name = _("kiến nghị")
        verbose_name_plural = _("kiến nghị")
        ordering = ["due_on", "pk"]

    def __str__(self) -> str:
        return f"{self.responsible_unit} — {self.due_on:%d/%m/%Y}"


class RemedyStep(models.Model):
    """Each move on a recommendation (reported, verified, returned) with its text: the
    history a remedy keeps."""

    recommendation = models.ForeignKey(
        Recommendation, on_delete=models.CASCADE, related_name="steps"
    )
    move = models.CharField(_("thao tác"), max_length=12)
    text = models.TextField(_("nội dung"), blank=True)
    actor = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(_("lúc"))

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.move} — {self.at:%d/%m/%Y}"


class RemedyEvidence(models.Model):
    """A file the responsible unit attaches to its remedy report (``core.uploads``)."""

    step = models.ForeignKey(RemedyStep, on_delete=models.PROTECT, related_name="evidence")
    stored_name = models.CharField(max_length=64, editable=False)
    original_name = models.CharField(_("tên tệp"), max_length=255)
    content_type = models.CharField(max_length=100)
    sha256 = models.CharField(max_length=64)
    size = models.PositiveIntegerField()

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.original_name
