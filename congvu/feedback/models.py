"""Citizen reports (phản ánh, kiến nghị), their trail, and supervision findings of the Front.

Who reported is kept apart, in ``ReporterContact``: no page, list, export, API, search column,
notification or audit record of a report reads it; only ``services.reporter_contact_reveal``
does, for holders of ``report.identity`` (the reader Sở Nội vụ designates, role
``reporter_reader``: never implied by the admin role or a superuser), and each read is audited.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from congvu.core.labels import translated
from congvu.feedback.rules import FINDING_STATUS_NAMES, MOVE_NAMES, STATUS_NAMES, Status


class Report(models.Model):
    code = models.CharField(_("mã theo dõi"), max_length=16, unique=True)
    form_key = models.CharField(max_length=64, unique=True, editable=False)
    form_digest = models.CharField(max_length=64, editable=False)
    unit = models.ForeignKey(
        "organisations.Unit",
        verbose_name=_("đơn vị bị phản ánh"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    place = models.CharField(_("nơi xảy ra (bộ phận, quầy)"), max_length=200, blank=True)
    official_name = models.CharField(
        _("người bị phản ánh (người dân ghi)"), max_length=100, blank=True
    )
    official = models.ForeignKey(
        "organisations.Staff",
        verbose_name=_("người bị phản ánh"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    desk = models.ForeignKey(
        "ratings.ServicePoint",
        verbose_name=_("điểm đánh giá"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="reports",
    )  # fmt: skip — set when the citizen came from a desk's rating page
    category = models.CharField(_("nhóm hành vi"), max_length=32)
    categories_version = models.CharField(_("phiên bản danh mục"), max_length=16)
    happened_on = models.DateField(_("ngày xảy ra"))
    description = models.TextField(_("nội dung"))
    anonymous = models.BooleanField(_("ẩn danh"), default=False)
    status = models.CharField(
        _("trạng thái"), max_length=16, choices=translated(STATUS_NAMES), default=Status.RECEIVED
    )
    received_at = models.DateTimeField(_("thời điểm tiếp nhận"))
    received_on = models.DateField(_("ngày tiếp nhận"))
    sla_days = models.PositiveSmallIntegerField(_("số ngày xử lý"))
    due_on = models.DateField(_("hạn trả lời"))
    answered_on = models.DateField(_("ngày trả lời"), null=True, blank=True)
    public_answer = models.TextField(_("trả lời công khai"), blank=True)
    # The conclusion of the verification (internal to the handlers).
    substantiated = models.BooleanField(_("có cơ sở"), null=True, blank=True)
    finding = models.TextField(_("kết quả xác minh"), blank=True)
    finding_criterion = models.CharField(_("chuẩn mực bị vi phạm"), max_length=160, blank=True)
    finding_staff = models.ForeignKey(
        "organisations.Staff",
        verbose_name=_("cán bộ vi phạm"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    discipline_record = models.ForeignKey(
        "discipline.DisciplineRecord",
        verbose_name=_("quyết định kỷ luật"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    concluded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    concluded_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField()
    search_text = models.TextField(editable=False, default="")  # folded; never the reporter

    class Meta:
        verbose_name = _("phản ánh, kiến nghị")
        verbose_name_plural = _("phản ánh, kiến nghị")
        ordering = ["-received_at", "-id"]
        indexes = [
            models.Index(fields=["unit", "status"], name="report_unit_status_idx"),
            models.Index(fields=["status", "due_on"], name="report_status_due_idx"),
            models.Index(fields=["received_on", "unit"], name="report_received_idx"),
        ]

    def __str__(self) -> str:  # what the audit log keeps: never the reporter
        return f"Phản ánh {self.code}"

    @property
    def status_name(self) -> str:
        return STATUS_NAMES.get(self.status, self.status)


class ReporterContact(models.Model):
    """Who reported, when not anonymous. Read only through the identity selector."""

    report = models.OneToOneField(Report, on_delete=models.CASCADE, related_name="contact")
    name = models.CharField(_("họ và tên"), max_length=100)
    phone = models.CharField(_("điện thoại"), max_length=20, blank=True)
    email = models.CharField(_("thư điện tử"), max_length=254, blank=True)

    class Meta:
        verbose_name = _("người phản ánh")
        verbose_name_plural = _("người phản ánh")

    def __str__(self) -> str:
        return f"Người phản ánh #{self.report_id}"


class ReportAttachment(models.Model):
    """A cleaned copy of a file the citizen sent (images re-encoded, PDF without metadata)."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="attachments")
    position = models.PositiveSmallIntegerField()
    stored_name = models.CharField(max_length=64, editable=False)
    original_name = models.CharField(_("tên tệp gốc"), max_length=255)  # may name the reporter
    content_type = models.CharField(max_length=64)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)

    class Meta:
        ordering = ["report_id", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["report", "position"], name="attachment_position_unique"
            )
        ]

    def __str__(self) -> str:
        return f"Tệp {self.position} của phản ánh #{self.report_id}"


class ReportEvent(models.Model):
    """One move of the workflow: the trail shown to handlers (dates only to the citizen)."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="events")
    move = models.CharField(
        max_length=16, choices=[("receive", _("Tiếp nhận")), *translated(MOVE_NAMES).items()]
    )
    from_status = models.CharField(max_length=16, blank=True)
    to_status = models.CharField(max_length=16, choices=translated(STATUS_NAMES))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField()
    comment = models.TextField(blank=True)  # internal

    class Meta:
        ordering = ["report_id", "at", "id"]

    def __str__(self) -> str:
        return f"{self.move} #{self.report_id}"


class ReportNote(models.Model):
    """An internal note of the handlers (never shown to the citizen or the Front)."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    text = models.TextField()
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["report_id", "created_at", "id"]

    def __str__(self) -> str:
        return f"Ghi chú #{self.pk}"


class SupervisionFinding(models.Model):
    """A supervision finding and recommendation of the Fatherland Front on a unit."""

    unit = models.ForeignKey(
        "organisations.Unit",
        verbose_name=_("đơn vị được giám sát"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    title = models.CharField(_("tiêu đề"), max_length=200)
    content = models.TextField(_("nội dung giám sát, kiến nghị"))
    status = models.CharField(
        _("trạng thái"), max_length=16, choices=translated(FINDING_STATUS_NAMES), default="open"
    )
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    filed_at = models.DateTimeField(_("ngày kiến nghị"))
    due_on = models.DateField(_("hạn trả lời"))
    answer = models.TextField(_("trả lời của đơn vị"), blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    answered_on = models.DateField(_("ngày trả lời"), null=True, blank=True)
    front_comment = models.TextField(_("ý kiến của Mặt trận"), blank=True)
    closed_on = models.DateField(_("ngày kết thúc"), null=True, blank=True)
    updated_at = models.DateTimeField()

    class Meta:
        verbose_name = _("kiến nghị giám sát")
        verbose_name_plural = _("kiến nghị giám sát")
        ordering = ["-filed_at", "-id"]
        indexes = [models.Index(fields=["unit", "status"], name="finding_unit_status_idx")]

    def __str__(self) -> str:
        return f"Kiến nghị giám sát #{self.pk}"

    @property
    def status_name(self) -> str:
        return FINDING_STATUS_NAMES.get(self.status, self.status)
