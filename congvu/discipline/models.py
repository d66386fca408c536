"""The discipline register: one row per decision, in the shape classification reads.

Kept in its own app so that inspections (violations, recommendations) can grow the chain
violation → decision here without moving it.
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from congvu.core.labels import translated
from congvu.discipline.rules import (
    CASE_OPEN,
    CASE_STATUS_NAMES,
    FORMS,
    LEVEL_NAMES,
    NO_LIMITATION,
    PAUSE_REASONS,
    SYSTEMS,
)


class DisciplineRecord(models.Model):
    staff = models.ForeignKey(
        "organisations.Staff",
        verbose_name=_("cán bộ"),
        on_delete=models.PROTECT,
        related_name="disciplines",
    )
    system = models.CharField(
        _("loại kỷ luật"), max_length=16, choices=translated(SYSTEMS), default="administrative"
    )
    form = models.CharField(_("hình thức"), max_length=16, choices=translated(FORMS))
    decision_number = models.CharField(_("số quyết định"), max_length=64)
    decision_date = models.DateField(_("ngày quyết định"))
    issuer = models.CharField(_("cơ quan quyết định"), max_length=255)
    effective_from = models.DateField(_("có hiệu lực từ"))
    effective_to = models.DateField(_("hết hiệu lực từ"), null=True, blank=True)
    violation = models.TextField(_("hành vi vi phạm"))
    duty_related = models.BooleanField(_("vi phạm liên quan đến thi hành công vụ"), default=True)
    # A snapshot of the person's unit and category when the decision took effect (history stays).
    unit = models.ForeignKey(
        "organisations.Unit",
        verbose_name=_("đơn vị khi bị kỷ luật"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    category = models.CharField(_("phân loại khi bị kỷ luật"), max_length=16)
    is_leader = models.BooleanField(_("lãnh đạo khi bị kỷ luật"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(_("hủy bỏ lúc"), null=True, blank=True)
    revoke_reason = models.TextField(_("lý do hủy bỏ"), blank=True)
    history = HistoricalRecords(verbose_name=_("lịch sử kỷ luật"))

    class Meta:
        verbose_name = _("quyết định kỷ luật")
        verbose_name_plural = _("quyết định kỷ luật")
        ordering = ["-effective_from", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(effective_to__isnull=True) | Q(effective_to__gt=F("effective_from")),
                name="discipline_interval_valid",
            ),
            models.UniqueConstraint(
                fields=["staff", "decision_number", "decision_date"],
                name="discipline_decision_unique",
            ),
        ]

    def __str__(self) -> str:  # what the audit log keeps: Vietnamese, whatever the page's language
        return f"{FORMS.get(self.form, self.form)} — {self.decision_number} ({self.decision_date:%d/%m/%Y})"


class DisciplineCase(models.Model):
    """A discipline case (vụ việc kỷ luật) from detection to its end: the legal timeline is
    computed (``rules.case_check``), never stored; the decision, once taken, is a row of the
    register (``decision``)."""

    staff = models.ForeignKey(
        "organisations.Staff",
        verbose_name=_("cán bộ"),
        on_delete=models.PROTECT,
        related_name="discipline_cases",
    )
    # A snapshot of the person when the case was opened (history stays), as the register keeps.
    unit = models.ForeignKey(
        "organisations.Unit",
        verbose_name=_("đơn vị khi mở vụ việc"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    category = models.CharField(_("phân loại khi mở vụ việc"), max_length=16)
    is_leader = models.BooleanField(_("lãnh đạo khi mở vụ việc"), default=False)
    committed_on = models.DateField(_("ngày vi phạm"))
    detected_on = models.DateField(_("ngày phát hiện"))
    level = models.CharField(_("mức vi phạm"), max_length=16, choices=translated(LEVEL_NAMES))
    no_limitation = models.CharField(
        _("trường hợp không áp dụng thời hiệu"),
        max_length=32,
        choices=translated(NO_LIMITATION),
        null=True,
        blank=True,
    )
    complex = models.BooleanField(_("vụ việc phức tạp"), default=False)
    description = models.TextField(_("hành vi vi phạm"))
    source = models.CharField(_("nguồn phát hiện"), max_length=500, blank=True)
    status = models.CharField(
        _("trạng thái"),
        max_length=24,
        choices=translated(CASE_STATUS_NAMES),
        default=CASE_OPEN,
        db_index=True,
    )
    council_on = models.DateField(_("ngày họp hội đồng kỷ luật"), null=True, blank=True)
    council_members = models.TextField(_("thành viên hội đồng kỷ luật"), blank=True)
    council_conclusion = models.TextField(_("kết luận của hội đồng kỷ luật"), blank=True)
    decision = models.OneToOneField(
        DisciplineRecord,
        verbose_name=_("quyết định kỷ luật"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="case",
    )
    closed_on = models.DateField(_("ngày kết thúc"), null=True, blank=True)
    close_reason = models.TextField(_("lý do dừng xem xét"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("vụ việc kỷ luật")
        verbose_name_plural = _("vụ việc kỷ luật")
        ordering = ["-detected_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(detected_on__gte=F("committed_on")), name="discipline_case_dates"
            ),
        ]

    def __str__(self) -> str:  # Vietnamese, whatever the page's language (the audit log)
        return f"Vụ việc kỷ luật #{self.pk} ({self.detected_on:%d/%m/%Y})"


class CasePause(models.Model):
    """Days a case is not considered (``rules.PAUSE_REASONS``), both ends included; an open
    pause (``paused_to`` empty) runs until today."""

    case = models.ForeignKey(DisciplineCase, on_delete=models.CASCADE, related_name="pauses")
    reason = models.CharField(_("lý do"), max_length=16, choices=translated(PAUSE_REASONS))
    paused_from = models.DateField(_("từ ngày"))
    paused_to = models.DateField(_("đến hết ngày"), null=True, blank=True)
    note = models.CharField(_("ghi chú"), max_length=500, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("thời gian chưa xem xét kỷ luật")
        verbose_name_plural = _("thời gian chưa xem xét kỷ luật")
        ordering = ["paused_from", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(paused_to__isnull=True) | Q(paused_to__gte=F("paused_from")),
                name="discipline_pause_interval",
            ),
        ]

    def __str__(self) -> str:
        return f"{PAUSE_REASONS.get(self.reason, self.reason)} từ {self.paused_from:%d/%m/%Y}"
