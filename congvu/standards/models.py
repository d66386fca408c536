"""Criteria catalogues as versioned data: a catalogue, its loaded versions, their criteria.

A loaded version and its criteria are never changed again: evaluation results point at
the Criterion rows of the version they used, so a new version adds rows and leaves the
old ones alone. The only writers are the services (docs/catalogues.md).
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class CatalogueKind(models.TextChoices):
    INDIVIDUAL = "individual", _("Tiêu chí cá nhân")
    COLLECTIVE = "collective", _("Tiêu chí tập thể")
    OFFICE_RULES = "office_rules", _("Quy chế văn hóa công sở")
    UNIT_SUPPLEMENT = "unit_supplement", _("Nội quy bổ sung của đơn vị")


class Subject(models.TextChoices):
    INDIVIDUAL = "individual", _("Cá nhân")
    COLLECTIVE = "collective", _("Tập thể")
    LEADER = "leader", _("Lãnh đạo, quản lý")


class Wording(models.TextChoices):
    VERBATIM = "verbatim", _("Nguyên văn nguồn")
    PARAPHRASE = "paraphrase", _("Diễn đạt lại")


class _WriteOnce(models.Model):
    """Rows that are inserted once and never updated (a guard, not a side effect)."""

    class Meta:
        abstract = True

    def save(self, *args, **kwargs) -> None:
        if not self._state.adding:
            raise ValidationError(
                f"{self._meta.verbose_name} đã nạp thì không sửa được; hãy nạp một phiên bản mới."
            )
        super().save(*args, **kwargs)


class Catalogue(models.Model):
    """A catalogue's identity. ``title`` repeats the title of its latest version."""

    code = models.CharField(_("mã danh mục"), max_length=64, unique=True)
    title = models.CharField(_("tên danh mục"), max_length=255)
    kind = models.CharField(_("loại"), max_length=16, choices=CatalogueKind.choices)
    owner_unit = models.ForeignKey(
        "organisations.Unit",
        verbose_name=_("đơn vị ban hành nội quy"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="catalogues",
    )
    created_at = models.DateTimeField(_("thời điểm tạo"), auto_now_add=True)

    class Meta:
        verbose_name = _("danh mục tiêu chí")
        verbose_name_plural = _("danh mục tiêu chí")
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(kind="unit_supplement") & Q(owner_unit__isnull=False))
                | (~Q(kind="unit_supplement") & Q(owner_unit__isnull=True)),
                name="catalogue_owner_iff_supplement",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.code})"


class CatalogueVersion(_WriteOnce):
    """One loaded version of a catalogue, identified by its version string."""

    catalogue = models.ForeignKey(
        Catalogue, verbose_name=_("danh mục"), on_delete=models.PROTECT, related_name="versions"
    )
    version = models.CharField(_("phiên bản"), max_length=32)
    title = models.CharField(_("tên danh mục (theo phiên bản)"), max_length=255)
    source_document = models.CharField(_("văn bản nguồn"), max_length=500)
    effective_from = models.DateField(_("hiệu lực từ"))
    checksum = models.CharField(_("mã kiểm tra nội dung (SHA-256)"), max_length=64)
    source_path = models.CharField(_("tệp nguồn"), max_length=255, blank=True)
    loaded_at = models.DateTimeField(_("thời điểm nạp"))
    loaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người nạp"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    item_count = models.PositiveIntegerField(_("số mục"))

    class Meta:
        verbose_name = _("phiên bản danh mục")
        verbose_name_plural = _("phiên bản danh mục")
        ordering = ["catalogue__code", "effective_from", "loaded_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["catalogue", "version"], name="catalogueversion_unique_version"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.catalogue.code} {self.version}"


class Criterion(_WriteOnce):
    """One node of a version's tree: a group, a criterion or a sub-criterion.

    ``order`` is the pre-order position in the whole version (the tree reads top to
    bottom in that order); ``depth`` is 0 for groups. The assessable items are leaves.
    """

    version = models.ForeignKey(
        CatalogueVersion,
        verbose_name=_("phiên bản"),
        on_delete=models.PROTECT,
        related_name="criteria",
    )
    stable_id = models.CharField(_("mã tiêu chí"), max_length=160)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("thuộc"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    order = models.PositiveIntegerField(_("thứ tự"))
    depth = models.PositiveSmallIntegerField(_("cấp"))
    text = models.TextField(_("nội dung"))
    source = models.CharField(_("nguồn"), max_length=500)
    points = models.DecimalField(_("điểm"), max_digits=7, decimal_places=2, null=True, blank=True)
    weight = models.DecimalField(_("trọng số"), max_digits=7, decimal_places=2)
    evidence_required = models.BooleanField(_("yêu cầu minh chứng"))
    subjects = models.JSONField(_("đối tượng áp dụng"), default=list)
    wording = models.CharField(_("hình thức văn bản"), max_length=12, choices=Wording.choices)
    confidence = models.CharField(_("độ tin cậy của nguồn"), max_length=4, blank=True)
    note = models.TextField(_("ghi chú"), blank=True)

    class Meta:
        verbose_name = _("tiêu chí")
        verbose_name_plural = _("tiêu chí")
        ordering = ["version_id", "order"]
        constraints = [
            models.UniqueConstraint(
                fields=["version", "stable_id"], name="criterion_unique_stable_id"
            ),
            models.UniqueConstraint(fields=["version", "order"], name="criterion_unique_order"),
        ]

    def __str__(self) -> str:
        return self.stable_id


def subjects_label(subjects: list[str] | tuple[str, ...]) -> str:
    """ "Cá nhân, Lãnh đạo, quản lý" for ["individual", "leader"]."""
    labels = dict(Subject.choices)
    return "; ".join(str(labels.get(s, s)) for s in subjects)


class UnitRules(models.Model):
    """One version of a unit's internal rules (nội quy, quy chế văn hóa công sở), typed or
    uploaded: a new text or file is a new version, nothing is overwritten (seed 003 item 1).
    The latest version is the one in force; its items are mapped to the required contents."""

    unit = models.ForeignKey(
        "organisations.Unit",
        verbose_name=_("đơn vị"),
        on_delete=models.PROTECT,
        related_name="internal_rules",
    )
    version = models.PositiveIntegerField(_("phiên bản"))
    title = models.CharField(_("tên văn bản"), max_length=255)
    adopted_on = models.DateField(_("ngày ban hành"))
    text = models.TextField(_("nội dung"), blank=True)
    stored_name = models.CharField(max_length=64, blank=True, editable=False)
    original_name = models.CharField(_("tên tệp"), max_length=255, blank=True)
    content_type = models.CharField(max_length=100, blank=True)
    sha256 = models.CharField(max_length=64, blank=True)
    size = models.PositiveIntegerField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("thời điểm tạo"))

    class Meta:
        verbose_name = _("nội quy của đơn vị")
        verbose_name_plural = _("nội quy của đơn vị")
        ordering = ["unit_id", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "version"], name="unitrules_unique_version"),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.version})"


class RulesItem(models.Model):
    """An article (điều) or numbered item of one version of a unit's rules."""

    rules = models.ForeignKey(
        UnitRules, verbose_name=_("nội quy"), on_delete=models.CASCADE, related_name="items"
    )
    order = models.PositiveIntegerField(_("thứ tự"))
    number = models.CharField(_("số điều"), max_length=32)
    text = models.TextField(_("nội dung"))

    class Meta:
        verbose_name = _("điều của nội quy")
        verbose_name_plural = _("điều của nội quy")
        ordering = ["rules_id", "order"]
        constraints = [
            models.UniqueConstraint(fields=["rules", "order"], name="rulesitem_unique_order"),
            models.UniqueConstraint(fields=["rules", "number"], name="rulesitem_unique_number"),
        ]

    def __str__(self) -> str:
        return self.number


class RulesMapping(models.Model):
    """The unit's statement that an item covers a required content (its code in
    ``required/noi-quy.yaml``)."""

    item = models.ForeignKey(
        RulesItem, verbose_name=_("điều"), on_delete=models.CASCADE, related_name="mappings"
    )
    code = models.CharField(_("mã nội dung bắt buộc"), max_length=64)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("thời điểm gắn"))

    class Meta:
        verbose_name = _("gắn điều với nội dung bắt buộc")
        verbose_name_plural = _("gắn điều với nội dung bắt buộc")
        ordering = ["item_id", "code"]
        constraints = [
            models.UniqueConstraint(fields=["item", "code"], name="rulesmapping_unique_code"),
        ]

    def __str__(self) -> str:
        return f"{self.item.number} → {self.code}"
