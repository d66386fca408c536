"""Organisation units with dated history, lineage events, staff and memberships.

Intervals are half-open: a fact holds from ``valid_from`` (inclusive) up to
``valid_to`` (exclusive); ``valid_to`` NULL means it still holds. A district
abolished on 01/07/2025 has ``valid_to = 2025-07-01``: its last day was 30/06/2025.
"""

from datetime import date, timedelta

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class LastDayMixin:
    """``valid_to`` is exclusive; people read "đến hết" the day before."""

    valid_to: date | None

    @property
    def last_day(self) -> date | None:
        return self.valid_to - timedelta(days=1) if self.valid_to else None


class UnitType(models.TextChoices):
    UBND_TINH = "ubnd_tinh", _("UBND tỉnh")
    SO_BAN_NGANH = "so_ban_nganh", _("Sở, ban, ngành")
    UBND_HUYEN = "ubnd_huyen", _("UBND huyện (trước 01/07/2025)")
    UBND_XA = "ubnd_xa", _("UBND xã, phường, đặc khu")
    DON_VI_SU_NGHIEP = "don_vi_su_nghiep", _("Đơn vị sự nghiệp công lập")
    DANG_DOAN_THE = "dang_doan_the", _("Cơ quan Đảng, đoàn thể")
    PHONG_BAN = "phong_ban", _("Phòng, ban trực thuộc")


class Unit(LastDayMixin, models.Model):
    """The identity of a unit. Its dated facts are its UnitVersions.

    The columns code, name, unit_type and parent repeat the latest version so that
    lists and scope checks need no date logic; only services write them.
    """

    code = models.CharField(_("mã đơn vị"), max_length=32, db_index=True)
    name = models.CharField(_("tên đơn vị"), max_length=255)
    unit_type = models.CharField(_("loại đơn vị"), max_length=32, choices=UnitType.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("đơn vị cấp trên"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    valid_from = models.DateField(_("thành lập từ"))
    valid_to = models.DateField(_("chấm dứt từ"), null=True, blank=True)
    sort_key = models.CharField(max_length=512, default="", editable=False, db_index=True)
    history = HistoricalRecords(verbose_name=_("lịch sử đơn vị"))

    class Meta:
        verbose_name = _("đơn vị")
        verbose_name_plural = _("đơn vị")
        ordering = ["sort_key"]
        constraints = [
            models.UniqueConstraint(
                fields=["code"], condition=Q(valid_to__isnull=True), name="unit_code_unique_current"
            ),
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gt=F("valid_from")),
                name="unit_interval_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"

    @property
    def is_current(self) -> bool:
        return self.valid_to is None


class UnitVersion(LastDayMixin, models.Model):
    """The facts of a unit over one interval: code, name, type and parent."""

    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="versions")
    code = models.CharField(_("mã đơn vị"), max_length=32)
    name = models.CharField(_("tên đơn vị"), max_length=255)
    unit_type = models.CharField(_("loại đơn vị"), max_length=32, choices=UnitType.choices)
    parent = models.ForeignKey(
        Unit, null=True, blank=True, on_delete=models.PROTECT, related_name="child_versions"
    )
    valid_from = models.DateField(_("hiệu lực từ"))
    valid_to = models.DateField(_("hiệu lực đến (không gồm)"), null=True, blank=True)
    basis = models.CharField(_("căn cứ"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("phiên bản đơn vị")
        verbose_name_plural = _("phiên bản đơn vị")
        ordering = ["unit_id", "valid_from"]
        indexes = [models.Index(fields=["valid_from", "valid_to"], name="unitversion_interval_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gt=F("valid_from")),
                name="unitversion_interval_valid",
            ),
            models.UniqueConstraint(
                fields=["unit"], condition=Q(valid_to__isnull=True), name="unitversion_one_open"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.code}) từ {self.valid_from:%d/%m/%Y}"


class LineageKind(models.TextChoices):
    MERGE = "merge", _("Hợp nhất, sáp nhập")
    SPLIT = "split", _("Chia, tách")
    RENAME = "rename", _("Đổi tên")
    MOVE = "move", _("Chuyển đơn vị cấp trên")
    DISSOLVE = "dissolve", _("Giải thể, kết thúc hoạt động")


class LineageEvent(models.Model):
    """A change in the organisation: predecessors → successors on an effective date."""

    kind = models.CharField(_("loại sự kiện"), max_length=16, choices=LineageKind.choices)
    effective_date = models.DateField(_("ngày có hiệu lực"), db_index=True)
    decided_on = models.DateField(_("ngày quyết định"), null=True, blank=True)
    basis = models.CharField(_("căn cứ pháp lý"), max_length=255, blank=True)
    note = models.TextField(_("ghi chú"), blank=True)
    predecessors = models.ManyToManyField(
        Unit, related_name="lineage_out", verbose_name=_("đơn vị trước")
    )
    successors = models.ManyToManyField(
        Unit, related_name="lineage_in", blank=True, verbose_name=_("đơn vị kế thừa")
    )
    history = HistoricalRecords(
        verbose_name=_("lịch sử sự kiện"), m2m_fields=[predecessors, successors]
    )

    class Meta:
        verbose_name = _("sự kiện tổ chức")
        verbose_name_plural = _("sự kiện tổ chức")
        ordering = ["effective_date", "id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.effective_date:%d/%m/%Y}"


class StaffCategory(models.TextChoices):
    CAN_BO = "can_bo", _("Cán bộ")
    CONG_CHUC = "cong_chuc", _("Công chức")
    VIEN_CHUC = "vien_chuc", _("Viên chức")
    NGUOI_LAO_DONG = "nguoi_lao_dong", _("Người lao động")


class Gender(models.TextChoices):
    NAM = "nam", "Nam"
    NU = "nu", _("Nữ")
    KHAC = "khac", _("Khác")


class Staff(models.Model):
    """A member of staff. ``unit`` is the current unit; Membership keeps the history."""

    code = models.CharField(_("mã cán bộ"), max_length=32, unique=True)
    ho = models.CharField(_("họ"), max_length=64)
    dem = models.CharField(_("đệm"), max_length=64, blank=True)
    ten = models.CharField(_("tên"), max_length=64)
    gender = models.CharField(_("giới tính"), max_length=8, choices=Gender.choices)
    birth_year = models.PositiveSmallIntegerField(_("năm sinh"))
    category = models.CharField(_("phân loại"), max_length=16, choices=StaffCategory.choices)
    position = models.CharField(_("chức vụ"), max_length=128, blank=True)
    is_leader = models.BooleanField(_("lãnh đạo, quản lý"), default=False)
    unit = models.ForeignKey(
        Unit,
        verbose_name=_("đơn vị hiện tại"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="staff",
    )
    is_active = models.BooleanField(_("đang công tác"), default=True)
    sort_key = models.CharField(max_length=512, editable=False, db_index=True)
    search_text = models.CharField(max_length=255, editable=False, db_index=True)
    history = HistoricalRecords(verbose_name=_("lịch sử nhân sự"))

    class Meta:
        verbose_name = _("cán bộ, công chức, viên chức")
        verbose_name_plural = _("cán bộ, công chức, viên chức")
        ordering = ["sort_key", "id"]
        indexes = [models.Index(fields=["unit", "sort_key"], name="staff_unit_sort_idx")]

    def __str__(self) -> str:
        return f"{self.full_name} ({self.code})"

    @property
    def full_name(self) -> str:
        return " ".join(part for part in (self.ho, self.dem, self.ten) if part)


class Membership(LastDayMixin, models.Model):
    """A staff member's place in a unit over an interval (transfers keep history)."""

    staff = models.ForeignKey(Staff, on_delete=models.CASCADE, related_name="memberships")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="memberships")
    position = models.CharField(_("chức vụ"), max_length=128, blank=True)
    valid_from = models.DateField(_("từ ngày"))
    valid_to = models.DateField(_("đến ngày (không gồm)"), null=True, blank=True)
    note = models.CharField(_("ghi chú"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("quá trình công tác")
        verbose_name_plural = _("quá trình công tác")
        ordering = ["staff_id", "valid_from"]
        indexes = [models.Index(fields=["unit", "valid_from"], name="membership_unit_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gt=F("valid_from")),
                name="membership_interval_valid",
            ),
            models.UniqueConstraint(
                fields=["staff"], condition=Q(valid_to__isnull=True), name="membership_one_open"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.staff_id} @ {self.unit_id} từ {self.valid_from:%d/%m/%Y}"


class ImportKind(models.TextChoices):
    UNITS = "units", _("Đơn vị")
    STAFF = "staff", _("Cán bộ, công chức, viên chức")


class ImportStatus(models.TextChoices):
    PENDING = "pending", _("Đang chờ")
    RUNNING = "running", _("Đang xử lý")
    DONE = "done", _("Hoàn thành")
    REJECTED = "rejected", _("Có lỗi, không nhập")
    FAILED = "failed", _("Lỗi hệ thống")


class ImportJob(models.Model):
    """One uploaded .xlsx file and what became of it."""

    kind = models.CharField(_("loại dữ liệu"), max_length=8, choices=ImportKind.choices)
    status = models.CharField(
        _("trạng thái"), max_length=10, choices=ImportStatus.choices, default=ImportStatus.PENDING
    )
    created_by = models.ForeignKey(
        "accounts.User", verbose_name=_("người nhập"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("thời điểm tải lên"), auto_now_add=True)
    finished_at = models.DateTimeField(_("thời điểm xong"), null=True, blank=True)
    original_name = models.CharField(_("tên tệp"), max_length=255)
    stored_name = models.CharField(max_length=255, editable=False)
    error_file = models.CharField(max_length=255, blank=True, editable=False)
    total_rows = models.PositiveIntegerField(_("số dòng"), default=0)
    processed_rows = models.PositiveIntegerField(_("đã xử lý"), default=0)
    error_rows = models.PositiveIntegerField(_("số dòng lỗi"), default=0)
    imported_rows = models.PositiveIntegerField(_("đã nhập"), default=0)
    message = models.TextField(_("thông báo"), blank=True)

    class Meta:
        verbose_name = _("lượt nhập dữ liệu")
        verbose_name_plural = _("lượt nhập dữ liệu")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} — {self.original_name}"

    @property
    def percent(self) -> int:
        if not self.total_rows:
            return 100 if self.status in (ImportStatus.DONE, ImportStatus.REJECTED) else 0
        return min(100, round(100 * self.processed_rows / self.total_rows))
