"""Plans as data (issue 11): the legal documents they implement and cite, the plan's tasks
with their timing, the units a plan is assigned to, and each unit's progress per task and
period. A task's status is never stored: ``plans.rules.task_status`` derives it from the
timing, the reference day and the progress entries."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from congvu.core.labels import translated
from congvu.plans import rules


class DocumentType(models.TextChoices):
    QUYET_DINH = "quyet_dinh", _("Quyết định")
    KE_HOACH = "ke_hoach", _("Kế hoạch")
    CONG_VAN = "cong_van", _("Công văn")
    CHI_THI = "chi_thi", _("Chỉ thị")
    NGHI_DINH = "nghi_dinh", _("Nghị định")
    THONG_TU = "thong_tu", _("Thông tư")
    HUONG_DAN = "huong_dan", _("Hướng dẫn")
    BAO_CAO = "bao_cao", _("Báo cáo")
    KHAC = "khac", _("Văn bản khác")


class LegalDocument(models.Model):
    """A document of the programme: a decision, a plan, an instruction, a report. ``issuer`` is
    the issuing body as it was named on the document's date (a snapshot: units are renamed and
    merged), ``issuer_unit`` the unit when it is one of the province's."""

    doc_type = models.CharField(_("loại văn bản"), max_length=16, choices=DocumentType.choices)
    number = models.CharField(_("số"), max_length=32, blank=True)
    code = models.CharField(_("số, ký hiệu"), max_length=64, help_text=_("Ví dụ: 6861/KH-UBND"))
    issued_on = models.DateField(_("ngày ban hành"))
    issuer = models.CharField(_("cơ quan ban hành"), max_length=255)
    issuer_unit = models.ForeignKey(
        "organisations.Unit",
        verbose_name=_("đơn vị ban hành"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    summary = models.TextField(_("trích yếu"))
    file_name = models.CharField(max_length=255, blank=True, editable=False)
    search = models.TextField(editable=False, default="")  # folded code, issuer and summary
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("văn bản")
        verbose_name_plural = _("văn bản")
        ordering = ["-issued_on", "code"]
        constraints = [
            models.UniqueConstraint(fields=["code", "issued_on"], name="legaldocument_code_unique")
        ]

    def __str__(self) -> str:
        return f"{self.code} ngày {self.issued_on:%d/%m/%Y}"


class LinkKind(models.TextChoices):
    IMPLEMENTS = "implements", _("triển khai thực hiện")
    CITES = "cites", _("căn cứ, viện dẫn")


class DocumentLink(models.Model):
    """One edge of the documents' graph: ``source`` implements or cites ``target``."""

    source = models.ForeignKey(LegalDocument, on_delete=models.CASCADE, related_name="links_out")
    target = models.ForeignKey(LegalDocument, on_delete=models.PROTECT, related_name="links_in")
    kind = models.CharField(_("quan hệ"), max_length=12, choices=LinkKind.choices)

    class Meta:
        verbose_name = _("liên kết văn bản")
        verbose_name_plural = _("liên kết văn bản")
        constraints = [
            models.UniqueConstraint(
                fields=["source", "target", "kind"], name="documentlink_unique"
            ),
            models.CheckConstraint(
                condition=~Q(source=models.F("target")), name="documentlink_not_self"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.source} → {self.target}"


class ReportTemplate(models.Model):
    """A template of the periodic report (mẫu báo cáo): its parts in order, each a text the
    unit writes, the table of tasks or the table of figures (``rules.Section``). A report
    keeps a copy of its template's parts when it starts, so changing a template never changes
    a report already written."""

    name = models.CharField(_("tên mẫu"), max_length=200, unique=True)
    owner = models.ForeignKey(
        "organisations.Unit",
        verbose_name=_("đơn vị ban hành"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    sections = models.JSONField(_("các mục"), default=list)
    created_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("mẫu báo cáo định kỳ")
        verbose_name_plural = _("mẫu báo cáo định kỳ")
        ordering = ["name", "pk"]

    def __str__(self) -> str:
        return self.name

    def parts(self) -> tuple[rules.Section, ...]:
        return rules.template_load(self.sections)


class Plan(models.Model):
    """A plan (kế hoạch): its document, purposes and requirements, and its tasks."""

    document = models.OneToOneField(
        LegalDocument, verbose_name=_("văn bản"), on_delete=models.PROTECT, related_name="plan"
    )
    title = models.CharField(_("tên kế hoạch"), max_length=500)
    owner = models.ForeignKey(
        "organisations.Unit",
        verbose_name=_("đơn vị ban hành"),
        on_delete=models.PROTECT,
        related_name="plans",
        help_text=_("Đơn vị ban hành kế hoạch: những ai quản lý đơn vị này quản lý kế hoạch."),
    )
    purposes = models.TextField(_("mục đích"), blank=True)
    requirements = models.TextField(_("yêu cầu"), blank=True)
    report_template = models.ForeignKey(
        ReportTemplate,
        verbose_name=_("mẫu báo cáo định kỳ"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="plans",
        help_text=_("Để trống: mẫu chung (nhiệm vụ, số liệu, kết quả, khó khăn, kiến nghị)."),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("kế hoạch")
        verbose_name_plural = _("kế hoạch")
        ordering = ["-document__issued_on", "pk"]

    def __str__(self) -> str:
        return self.title


class Task(models.Model):
    """A task of a plan, with its timing (``plans.rules.Timing``) and who leads it."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="tasks")
    number = models.CharField(_("mục"), max_length=16, help_text=_("Ví dụ: II.1, III.1.b"))
    position = models.PositiveIntegerField(default=0)
    content = models.TextField(_("nội dung"))
    expected_output = models.TextField(_("sản phẩm"), blank=True)
    timing_text = models.CharField(_("thời gian (như văn bản ghi)"), max_length=500, blank=True)
    kind = models.CharField(_("loại thời hạn"), max_length=12, choices=translated(rules.KIND_NAMES))
    due_on = models.DateField(_("hạn"), null=True, blank=True)
    year = models.PositiveSmallIntegerField(_("năm"), null=True, blank=True)
    day = models.PositiveSmallIntegerField(_("ngày trong năm"), null=True, blank=True)
    month = models.PositiveSmallIntegerField(_("tháng trong năm"), null=True, blank=True)
    from_year = models.PositiveSmallIntegerField(_("từ năm"), null=True, blank=True)
    to_year = models.PositiveSmallIntegerField(_("đến năm"), null=True, blank=True)
    event = models.CharField(_("sự kiện"), max_length=500, blank=True)
    event_date = models.DateField(_("ngày xảy ra sự kiện"), null=True, blank=True)
    within_days = models.PositiveIntegerField(_("số ngày sau sự kiện"), null=True, blank=True)
    lead_units = models.ManyToManyField(
        "organisations.Unit", verbose_name=_("đơn vị chủ trì"), related_name="+", blank=True
    )
    lead_text = models.CharField(
        _("chủ trì (như văn bản ghi)"),
        max_length=500,
        blank=True,
        help_text=_("Ví dụ: Các sở, ban, ngành; UBND cấp huyện, cấp xã"),
    )
    coordinating_text = models.CharField(_("phối hợp"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("nhiệm vụ")
        verbose_name_plural = _("nhiệm vụ")
        ordering = ["plan", "position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "number"], name="task_number_unique")
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.content[:80]}"

    def timing(self) -> rules.Timing:
        return rules.Timing(
            self.kind,
            due_on=self.due_on,
            year=self.year,
            day=self.day,
            month=self.month,
            from_year=self.from_year,
            to_year=self.to_year,
            event_date=self.event_date,
            within_days=self.within_days,
        )


class Assignment(models.Model):
    """A plan assigned to a unit: the unit's obligations. When the unit is merged, the
    obligations pass to its successor (the organisation history says who); its earlier
    progress stays under its old name."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="assignments")
    unit = models.ForeignKey(
        "organisations.Unit", verbose_name=_("đơn vị"), on_delete=models.PROTECT, related_name="+"
    )
    assigned_on = models.DateField(_("ngày giao"))
    assigned_by = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, null=True, related_name="+"
    )

    class Meta:
        verbose_name = _("đơn vị thực hiện")
        verbose_name_plural = _("đơn vị thực hiện")
        constraints = [models.UniqueConstraint(fields=["plan", "unit"], name="assignment_unique")]

    def __str__(self) -> str:
        return f"{self.plan} — {self.unit}"


class ProgressEntry(models.Model):
    """What a unit did on a task for a period (a year): the text, quantities, and whether the
    task is done for that period. Never edited: a correction is a new entry."""

    task = models.ForeignKey(Task, on_delete=models.PROTECT, related_name="progress")
    unit = models.ForeignKey(
        "organisations.Unit", verbose_name=_("đơn vị"), on_delete=models.PROTECT, related_name="+"
    )
    on = models.DateField(_("ngày"))
    period = models.PositiveSmallIntegerField(_("kỳ (năm)"), null=True, blank=True)
    state = models.CharField(
        _("tình trạng"),
        max_length=12,
        choices=[(rules.IN_PROGRESS, _("Đang thực hiện")), (rules.DONE, _("Đã hoàn thành"))],
    )
    text = models.TextField(_("kết quả thực hiện"))
    quantities = models.JSONField(_("số liệu"), default=dict, blank=True)
    created_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("tiến độ")
        verbose_name_plural = _("tiến độ")
        ordering = ["task", "unit", "on", "pk"]
        indexes = [models.Index(fields=["unit", "task"], name="progress_unit_task_idx")]

    def __str__(self) -> str:
        return f"{self.task.number} — {self.on:%d/%m/%Y}"

    def entry(self) -> rules.Entry:
        return rules.Entry(self.on, self.state, self.period)


class PeriodicReport(models.Model):
    """A unit's yearly report on a plan (báo cáo định kỳ), or Sở Nội vụ's consolidated one
    (``consolidated``). Its content is sections of text and figures (JSON); every move of its
    workflow (``rules.REPORT_MACHINE``) keeps a ``ReportVersion``. Not a citizens' report."""

    plan = models.ForeignKey(Plan, on_delete=models.PROTECT, related_name="periodic_reports")
    unit = models.ForeignKey(
        "organisations.Unit", verbose_name=_("đơn vị"), on_delete=models.PROTECT, related_name="+"
    )
    year = models.PositiveSmallIntegerField(_("năm"))
    consolidated = models.BooleanField(_("báo cáo tổng hợp"), default=False)
    status = models.CharField(
        _("trạng thái"),
        max_length=12,
        choices=translated(rules.REPORT_STATUS_NAMES),
        default=rules.DRAFT,
    )
    due = models.DateField(_("hạn gửi"))
    content = models.JSONField(_("nội dung"), default=dict, blank=True)
    submitted_on = models.DateField(_("ngày gửi lần đầu"), null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("báo cáo định kỳ")
        verbose_name_plural = _("báo cáo định kỳ")
        ordering = ["-year", "plan", "unit__sort_key", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "unit", "year", "consolidated"], name="periodicreport_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.plan.document.code} — {self.unit} — {self.year}"


class ReportVersion(models.Model):
    """The content as it stood at one move (sent, returned with a comment, accepted): nothing
    a unit sent is ever lost, however many times it is returned."""

    report = models.ForeignKey(PeriodicReport, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(_("lần"))
    move = models.CharField(_("thao tác"), max_length=12)
    status = models.CharField(_("trạng thái sau"), max_length=12)
    content = models.JSONField(_("nội dung"), default=dict)
    comment = models.TextField(_("ý kiến"), blank=True)
    actor = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(_("lúc"))

    class Meta:
        verbose_name = _("phiên bản báo cáo")
        verbose_name_plural = _("phiên bản báo cáo")
        ordering = ["report", "number"]
        constraints = [
            models.UniqueConstraint(fields=["report", "number"], name="reportversion_unique")
        ]

    def __str__(self) -> str:
        return f"{self.report} — lần {self.number}"


class ExplanationRequest(models.Model):
    """A leader asks a unit to explain a late task (yêu cầu giải trình); the answer is kept."""

    task = models.ForeignKey(Task, on_delete=models.PROTECT, related_name="explanations")
    unit = models.ForeignKey(
        "organisations.Unit", verbose_name=_("đơn vị"), on_delete=models.PROTECT, related_name="+"
    )
    question = models.TextField(_("nội dung yêu cầu giải trình"))
    asked_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+")
    asked_at = models.DateTimeField(_("yêu cầu lúc"))
    answer = models.TextField(_("nội dung giải trình"), blank=True)
    answered_by = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    answered_at = models.DateTimeField(_("giải trình lúc"), null=True, blank=True)

    class Meta:
        verbose_name = _("yêu cầu giải trình")
        verbose_name_plural = _("yêu cầu giải trình")
        ordering = ["-asked_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.task.number} — {self.unit}"


class ProgressEvidence(models.Model):
    """A file a unit attaches to a progress entry (a photo of a training, a signed minutes):
    kept by ``core.uploads.evidence_keep`` under MEDIA_ROOT/plans, served only as an
    attachment to whoever may see the entry."""

    entry = models.ForeignKey(ProgressEntry, on_delete=models.PROTECT, related_name="evidence")
    stored_name = models.CharField(max_length=64, editable=False)
    original_name = models.CharField(_("tên tệp"), max_length=255)
    content_type = models.CharField(max_length=100)
    sha256 = models.CharField(max_length=64)
    size = models.PositiveIntegerField()
    uploaded_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField()

    class Meta:
        verbose_name = _("minh chứng tiến độ")
        verbose_name_plural = _("minh chứng tiến độ")
        ordering = ["entry", "pk"]

    def __str__(self) -> str:
        return self.original_name


class UnitTask(models.Model):
    """A unit's own implementation of a plan's task (its own content, who is in charge, by
    when): the unit turns the plan into what it will do, as seed 000 asks (III.1.a)."""

    task = models.ForeignKey(Task, on_delete=models.PROTECT, related_name="unit_tasks")
    unit = models.ForeignKey(
        "organisations.Unit", verbose_name=_("đơn vị"), on_delete=models.PROTECT, related_name="+"
    )
    content = models.TextField(_("nội dung cụ thể của đơn vị"))
    owner = models.ForeignKey(
        "organisations.Staff",
        verbose_name=_("người phụ trách"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    due_on = models.DateField(_("hạn của đơn vị"), null=True, blank=True)
    created_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("nhiệm vụ cụ thể của đơn vị")
        verbose_name_plural = _("nhiệm vụ cụ thể của đơn vị")
        ordering = ["task", "unit", "pk"]

    def __str__(self) -> str:
        return f"{self.task.number} — {self.unit}: {self.content[:60]}"
