from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditLog(models.Model):
    """One row per service-level write: who did what to which object, with the data."""

    at = models.DateTimeField(_("thời điểm"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người thực hiện"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    action = models.CharField(_("hành động"), max_length=64, db_index=True)
    object_type = models.CharField(_("loại đối tượng"), max_length=64)
    object_id = models.CharField(_("mã đối tượng"), max_length=64, blank=True)
    object_repr = models.CharField(_("đối tượng"), max_length=255, blank=True)
    data = models.JSONField(_("dữ liệu"), default=dict, blank=True)

    class Meta:
        verbose_name = _("nhật ký thao tác")
        verbose_name_plural = _("nhật ký thao tác")
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["object_type", "object_id"], name="audit_object_idx")]

    def __str__(self) -> str:
        return f"{self.at:%d/%m/%Y %H:%M} {self.action} {self.object_repr}"


class RateCounter(models.Model):
    """Hits of one client on one limited action in one fixed window (congvu.core.ratelimit):
    kept in the database so that every worker counts together, whatever the cache."""

    key = models.CharField(max_length=120, unique=True)  # action, client hash, window number
    expires_at = models.DateTimeField(db_index=True)
    hits = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("bộ đếm giới hạn truy cập")
        verbose_name_plural = _("bộ đếm giới hạn truy cập")

    def __str__(self) -> str:
        return f"{self.key}: {self.hits}"


class SettingOverride(models.Model):
    """The province's own value of a dated setting (``core.dated``) over ``[valid_from,
    valid_to)``: e.g. a shorter deadline decided by the provincial People's Committee. The
    national row keeps its source; this one records the province's decision."""

    name = models.CharField(_("tham số"), max_length=120)
    value = models.JSONField(_("giá trị"))
    valid_from = models.DateField(_("từ ngày"))
    valid_to = models.DateField(_("đến ngày (không gồm)"), null=True, blank=True)
    source = models.CharField(_("căn cứ (văn bản của tỉnh)"), max_length=500)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("tham số riêng của tỉnh")
        verbose_name_plural = _("tham số riêng của tỉnh")
        ordering = ["name", "valid_from"]
        constraints = [
            models.UniqueConstraint(fields=["name", "valid_from"], name="settingoverride_once"),
            models.CheckConstraint(
                condition=models.Q(valid_to__isnull=True)
                | models.Q(valid_to__gt=models.F("valid_from")),
                name="settingoverride_interval_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} = {self.value!r} từ {self.valid_from:%d/%m/%Y}"


class Notification(models.Model):
    """A message in a user's inbox (no e-mail), from any capability: ``subject_type`` and
    ``subject_id`` name what it is about (e.g. "evaluations.evaluation", "42"). ``key`` makes
    a reminder once a day at most."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(_("loại"), max_length=16)
    message = models.TextField(_("nội dung"))
    subject_type = models.CharField(max_length=64, blank=True, default="")
    subject_id = models.CharField(max_length=64, blank=True, default="")
    key = models.CharField(max_length=128, unique=True, null=True, blank=True)
    created_at = models.DateTimeField(_("thời điểm"))
    read_at = models.DateTimeField(_("đã đọc lúc"), null=True, blank=True)

    class Meta:
        verbose_name = _("thông báo")
        verbose_name_plural = _("thông báo")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["recipient", "read_at"], name="core_notification_inbox_idx")
        ]

    def __str__(self) -> str:
        return self.message[:80]


class JobStatus(models.TextChoices):
    PENDING = "pending", "Đang chờ"
    RUNNING = "running", "Đang tạo tệp"
    DONE = "done", "Hoàn thành"
    FAILED = "failed", "Không thành công"


class Job(models.Model):
    """Background work that produces a file for the one who asked (an export): ``core.jobs``
    runs it, with the creator's permissions at run time. The file lives under MEDIA_ROOT/jobs
    (never served directly) until ``JOB_KEEP_DAYS`` after it was made."""

    kind = models.CharField("loại", max_length=64)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="người yêu cầu",
        on_delete=models.CASCADE,
        related_name="+",
    )
    status = models.CharField(
        "trạng thái", max_length=10, choices=JobStatus.choices, default=JobStatus.PENDING
    )
    parameters = models.JSONField("tham số", default=dict, blank=True)
    total = models.PositiveIntegerField("tổng số dòng", default=0)
    done = models.PositiveIntegerField("đã xử lý", default=0)
    file_name = models.CharField(max_length=64, blank=True, editable=False)
    message = models.TextField("thông báo", blank=True)
    created_at = models.DateTimeField("thời điểm yêu cầu", auto_now_add=True)
    started_at = models.DateTimeField("bắt đầu lúc", null=True, blank=True)
    finished_at = models.DateTimeField("xong lúc", null=True, blank=True)

    class Meta:
        verbose_name = "tác vụ tạo tệp"
        verbose_name_plural = "tác vụ tạo tệp"
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["status", "created_at"], name="core_job_status_idx")]

    def __str__(self) -> str:
        return f"{self.kind} #{self.pk}"

    @property
    def percent(self) -> int:
        if self.status == JobStatus.DONE:
            return 100
        return min(100, round(100 * self.done / self.total)) if self.total else 0
