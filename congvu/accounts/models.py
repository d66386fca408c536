"""Users, scoped role assignments and API tokens."""

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from congvu.organisations.models import LastDayMixin


class User(AbstractUser):
    """A login. Linked to a staff member, or a system account when ``staff`` is empty."""

    staff = models.OneToOneField(
        "organisations.Staff",
        verbose_name=_("cán bộ"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="user",
    )

    class Meta:
        verbose_name = _("tài khoản")
        verbose_name_plural = _("tài khoản")

    def get_full_name(self) -> str:
        """Vietnamese order: họ and đệm (last_name) before tên (first_name)."""
        return " ".join(part for part in (self.last_name, self.first_name) if part).strip()

    @property
    def is_system_account(self) -> bool:
        return self.staff_id is None


class Role(models.TextChoices):
    SO_NOI_VU = "so_noi_vu", _("Cán bộ Sở Nội vụ")
    UNIT_HEAD = "unit_head", _("Thủ trưởng đơn vị")
    HANDLER = "handler", _("Cán bộ xử lý phản ánh, kiến nghị")
    STAFF = "staff", _("Cán bộ, công chức, viên chức")
    COUNCIL = "council", _("Thành viên Hội đồng TĐKT")
    INSPECTOR = "inspector", _("Thành viên đoàn kiểm tra")
    MTTQ = "mttq", _("Ủy ban MTTQ")
    LEADER = "leader", _("Lãnh đạo UBND tỉnh")
    ADMIN = "admin", _("Quản trị hệ thống")
    REPORTER_READER = (
        "reporter_reader",
        _("Người được chỉ định xem danh tính người phản ánh (Sở Nội vụ)"),
    )


class RoleAssignment(LastDayMixin, models.Model):
    """A role held over a unit (and optionally its subtree) for an interval."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="role_assignments")
    role = models.CharField(_("vai trò"), max_length=16, choices=Role.choices)
    unit = models.ForeignKey(
        "organisations.Unit",
        verbose_name=_("phạm vi đơn vị"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="role_assignments",
    )
    include_subtree = models.BooleanField(_("gồm đơn vị trực thuộc"), default=False)
    valid_from = models.DateField(_("từ ngày"))
    valid_to = models.DateField(_("đến ngày (không gồm)"), null=True, blank=True)
    history = HistoricalRecords(verbose_name=_("lịch sử phân quyền"))

    class Meta:
        verbose_name = _("phân quyền")
        verbose_name_plural = _("phân quyền")
        ordering = ["user_id", "role", "valid_from"]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gt=F("valid_from")),
                name="roleassignment_interval_valid",
            ),
            models.CheckConstraint(
                condition=Q(role="admin") | Q(unit__isnull=False),
                name="roleassignment_scoped_unless_admin",
            ),
        ]

    def __str__(self) -> str:
        scope = self.unit.name if self.unit_id else "toàn hệ thống"
        return f"{self.get_role_display()} — {scope}"


class ApiToken(models.Model):
    """A bearer token for the API. Only its SHA-256 is stored."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    key_hash = models.CharField(max_length=64, unique=True)
    prefix = models.CharField(_("tiền tố"), max_length=8)
    label = models.CharField(_("ghi chú"), max_length=128, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(_("thu hồi lúc"), null=True, blank=True)
    # A keyed hash of the owner's password hash when the token was made: a password changed
    # by any path (page, admin, command, code) no longer matches, and the token stops working.
    password_stamp = models.CharField(max_length=16, blank=True, default="", editable=False)

    class Meta:
        verbose_name = _("khóa API")
        verbose_name_plural = _("khóa API")

    def __str__(self) -> str:
        return f"{self.prefix}… ({self.user})"
