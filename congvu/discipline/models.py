"""The discipline register: one row per decision, in the shape classification reads.

Kept in its own app so that inspections (violations, recommendations) can grow the chain
violation → decision here without moving it.
"""

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from congvu.core.labels import translated
from congvu.discipline.rules import FORMS, SYSTEMS


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
