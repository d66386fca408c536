"""Service points with their QR tokens, citizens' ratings and the pre-aggregated tallies.

A rating is written once and never edited, except for its review status. Tallies are sums
of counted ratings per desk, unit and official, per month and per year, kept in step by
the services in the same transaction as the rating (docs/decisions.md).
"""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from congvu.core.labels import translated
from congvu.ratings import rules


class DeskKind(models.TextChoices):
    DESK = "quay", _("Quầy tiếp nhận và trả kết quả")
    UNIT = "don_vi", _("Đơn vị")
    OFFICIAL = "can_bo", _("Cán bộ tại quầy")


class ServicePoint(models.Model):
    """Where a citizen is served and rates: a one-stop desk, a unit, or one official."""

    unit = models.ForeignKey(
        "organisations.Unit",
        verbose_name=_("đơn vị"),
        on_delete=models.PROTECT,
        related_name="service_points",
    )
    kind = models.CharField(_("loại"), max_length=8, choices=DeskKind.choices)
    name = models.CharField(_("tên điểm đánh giá"), max_length=120)
    staff = models.ForeignKey(
        "organisations.Staff",
        verbose_name=_("cán bộ"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="service_points",
    )
    location = models.CharField(_("vị trí"), max_length=200, blank=True)
    is_active = models.BooleanField(_("đang nhận đánh giá"), default=True)
    created_at = models.DateTimeField(_("tạo lúc"))
    created_by = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("điểm đánh giá")
        verbose_name_plural = _("điểm đánh giá")
        ordering = ["unit_id", "name", "id"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(kind="can_bo") & Q(staff__isnull=False))
                | (~Q(kind="can_bo") & Q(staff__isnull=True)),
                name="servicepoint_staff_iff_official",
            )
        ]

    def __str__(self) -> str:
        return self.name


class DeskToken(models.Model):
    """The secret in a desk's QR code. Re-printing issues a new one and revokes the old:
    posters with an old token stop working. Old tokens are kept, revoked."""

    desk = models.ForeignKey(ServicePoint, on_delete=models.CASCADE, related_name="tokens")
    token = models.CharField(max_length=32, unique=True)
    issued_at = models.DateTimeField(_("cấp lúc"))
    issued_by = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    revoked_at = models.DateTimeField(_("thu hồi lúc"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("mã QR")
        verbose_name_plural = _("mã QR")
        ordering = ["desk_id", "-issued_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["desk"], condition=Q(revoked_at__isnull=True), name="desktoken_one_current"
            )
        ]

    def __str__(self) -> str:
        return f"{self.token[:6]}…"


class RatingSource(models.TextChoices):
    QR = "qr", _("Mã QR tại quầy")
    API = "api", _("Hệ thống một cửa")


class RatingStatus(models.TextChoices):
    COUNTED = "counted", _("Được tính")
    FLAGGED = "flagged", _("Chờ xem xét")
    REJECTED = "rejected", _("Đã loại")


class Rating(models.Model):
    """One citizen's rating. It carries no direct identifier: the client and network keys
    are keyed hashes (cleared after a week), a phone number lives in RatingContact."""

    key = models.CharField(_("khóa gửi"), max_length=100, unique=True)
    payload_hash = models.CharField(max_length=32)  # the whole input: replays must match
    content_hash = models.CharField(max_length=32)  # score, answers, reason: duplicates
    source = models.CharField(_("nguồn"), max_length=4, choices=RatingSource.choices)
    desk = models.ForeignKey(
        ServicePoint, null=True, blank=True, on_delete=models.PROTECT, related_name="ratings"
    )
    desk_token = models.ForeignKey(
        DeskToken, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    unit = models.ForeignKey("organisations.Unit", on_delete=models.PROTECT, related_name="+")
    staff = models.ForeignKey(
        "organisations.Staff", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    submitted_by = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("nhận lúc"))
    rated_at = models.DateTimeField(_("đánh giá lúc"))
    day = models.DateField(_("ngày"))  # the local day of rated_at
    score = models.PositiveSmallIntegerField(_("mức hài lòng"))
    conduct_yes = models.PositiveIntegerField(default=0)  # bits of rules.CONDUCT_CODES
    conduct_no = models.PositiveIntegerField(default=0)
    reason = models.TextField(_("lý do"), blank=True)
    dossier_code = models.CharField(_("mã hồ sơ"), max_length=40, blank=True)
    status = models.CharField(_("trạng thái"), max_length=8, choices=RatingStatus.choices)
    flags = models.CharField(_("dấu hiệu bất thường"), max_length=200, blank=True)
    client_key = models.CharField(max_length=32, blank=True)
    network_key = models.CharField(max_length=32, blank=True)
    reviewed_at = models.DateTimeField(null=True, blank=True)
    reviewed_by = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    review_note = models.CharField(_("ghi chú xem xét"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("đánh giá")
        verbose_name_plural = _("đánh giá")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["network_key", "created_at"], name="rating_network_idx"),
            models.Index(fields=["desk", "created_at"], name="rating_desk_idx"),
            models.Index(fields=["status", "unit"], name="rating_status_idx"),
            models.Index(fields=["unit", "day"], name="rating_unit_day_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(score__gte=1) & Q(score__lte=5), name="rating_score_1_5"
            ),
            models.UniqueConstraint(
                fields=["dossier_code"],
                condition=~Q(dossier_code=""),
                name="rating_one_per_dossier",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.score}★ {self.day:%d/%m/%Y}"

    @property
    def answers(self) -> dict[str, bool]:
        return rules.conduct_answers(self.conduct_yes, self.conduct_no)

    @property
    def flag_labels(self) -> list[str]:
        flags = translated(rules.FLAGS)
        return [flags.get(code, code) for code in self.flags.split(",") if code]


class RatingContact(models.Model):
    """A phone number left for follow-up, apart from the rating; deleted after
    RATINGS_CONTACT_DAYS (Luật 91/2025/QH15: keep personal data no longer than needed)."""

    rating = models.OneToOneField(Rating, on_delete=models.CASCADE, related_name="contact")
    phone = models.CharField(_("số điện thoại"), max_length=15)
    created_at = models.DateTimeField()

    class Meta:
        verbose_name = _("liên hệ của người đánh giá")
        verbose_name_plural = _("liên hệ của người đánh giá")
        indexes = [models.Index(fields=["phone", "created_at"], name="ratingcontact_phone_idx")]

    def __str__(self) -> str:
        return f"{self.phone[:4]}…"


class Level(models.TextChoices):
    DESK = "desk", _("Điểm đánh giá")
    UNIT = "unit", _("Đơn vị")
    STAFF = "staff", _("Cán bộ")


class Grain(models.TextChoices):
    MONTH = "m", _("Tháng")
    YEAR = "y", _("Năm")


class RatingTally(models.Model):
    """Sums of counted ratings of one desk, unit or official over one month or year."""

    grain = models.CharField(max_length=1, choices=Grain.choices)
    level = models.CharField(max_length=5, choices=Level.choices)
    key_id = models.BigIntegerField()  # the desk, unit or staff id
    period = models.DateField()  # the first day of the month, or of the year
    n = models.PositiveIntegerField(default=0)
    score_sum = models.PositiveIntegerField(default=0)
    n1 = models.PositiveIntegerField(default=0)
    n2 = models.PositiveIntegerField(default=0)
    n3 = models.PositiveIntegerField(default=0)
    n4 = models.PositiveIntegerField(default=0)
    n5 = models.PositiveIntegerField(default=0)
    yes_chao = models.PositiveIntegerField(default=0)
    no_chao = models.PositiveIntegerField(default=0)
    yes_xin_loi = models.PositiveIntegerField(default=0)
    no_xin_loi = models.PositiveIntegerField(default=0)
    yes_cam_on = models.PositiveIntegerField(default=0)
    no_cam_on = models.PositiveIntegerField(default=0)
    yes_xin_phep = models.PositiveIntegerField(default=0)
    no_xin_phep = models.PositiveIntegerField(default=0)
    yes_mim_cuoi = models.PositiveIntegerField(default=0)
    no_mim_cuoi = models.PositiveIntegerField(default=0)
    yes_nhe_nhang = models.PositiveIntegerField(default=0)
    no_nhe_nhang = models.PositiveIntegerField(default=0)
    yes_lang_nghe = models.PositiveIntegerField(default=0)
    no_lang_nghe = models.PositiveIntegerField(default=0)
    yes_giup_do = models.PositiveIntegerField(default=0)
    no_giup_do = models.PositiveIntegerField(default=0)
    yes_khong_hach_dich = models.PositiveIntegerField(default=0)
    no_khong_hach_dich = models.PositiveIntegerField(default=0)
    yes_khong_nhung_nhieu = models.PositiveIntegerField(default=0)
    no_khong_nhung_nhieu = models.PositiveIntegerField(default=0)
    yes_khong_cau_gat = models.PositiveIntegerField(default=0)
    no_khong_cau_gat = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("tổng hợp đánh giá")
        verbose_name_plural = _("tổng hợp đánh giá")
        constraints = [
            models.UniqueConstraint(
                fields=["grain", "level", "key_id", "period"], name="ratingtally_unique"
            )
        ]
        indexes = [
            models.Index(
                fields=["grain", "level", "period", "key_id"], name="ratingtally_period_idx"
            )
        ]

    def __str__(self) -> str:
        return f"{self.level} {self.key_id} {self.period:%d/%m/%Y}: {self.n}"


TALLY_COLUMNS: tuple[str, ...] = (
    "n",
    "score_sum",
    "n1",
    "n2",
    "n3",
    "n4",
    "n5",
    *(f"yes_{code}" for code in rules.CONDUCT_CODES),
    *(f"no_{code}" for code in rules.CONDUCT_CODES),
)
