"""The form of a new evaluation cycle. Its choices stop at the user's scope: the units the
user manages cycles for, and the catalogue versions in force that the user may read. The
rules of a cycle (deadlines in order, catalogue kind, the 100 points of a collective cycle,
one form per person and period) are the service's, whose refusals the view shows."""

from decimal import Decimal

from django import forms
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from congvu.core import permissions
from congvu.core.labels import translated
from congvu.core.permissions import Action
from congvu.evaluations import cycles
from congvu.evaluations.models import Subject
from congvu.evaluations.services import CycleSpec
from congvu.organisations import selectors as org_selectors
from congvu.organisations.models import Unit
from congvu.standards.models import CatalogueKind, CatalogueVersion
from congvu.standards.selectors import catalogue_visibility

DATE_WIDGET = forms.DateInput(
    format="%d/%m/%Y",
    attrs={"placeholder": "dd/mm/yyyy", "inputmode": "numeric", "class": "form-control"},
)
KIND_ORDER = [
    CatalogueKind.INDIVIDUAL,
    CatalogueKind.OFFICE_RULES,
    CatalogueKind.UNIT_SUPPLEMENT,
    CatalogueKind.COLLECTIVE,
]
COLLECTIVE_POINTS = Decimal(100)


def _deadline(label, required, invalid) -> forms.DateField:
    """A step's last day, typed dd/mm/yyyy."""
    return forms.DateField(
        label=label, widget=DATE_WIDGET, error_messages={"required": required, "invalid": invalid}
    )


def unit_choices(user) -> list[tuple[int, str]]:
    """The current units the user manages cycles for, in tree order, indented by depth."""
    scope = permissions.unit_scope(user, Action.EVALUATION_MANAGE)
    current, children = org_selectors.unit_tree_as_of(day=timezone.localdate())
    choices: list[tuple[int, str]] = []
    stack = [(unit_id, 0) for unit_id in reversed(children.get(None, []))]
    while stack:
        unit_id, depth = stack.pop()
        shown = unit_id in scope
        if shown:
            choices.append((unit_id, "— " * depth + current[unit_id].name))
        below = depth + 1 if shown else depth
        stack.extend((child, below) for child in reversed(children.get(unit_id, [])))
    return choices


def version_choices(user) -> list[tuple[str, list[tuple[int, str]]]]:
    """Versions in force today (loaded and effective) of the catalogues the user may read,
    grouped by kind: a version that takes effect later is not published yet."""
    versions = (
        CatalogueVersion.objects.filter(
            catalogue_visibility(user, action=Action.EVALUATION_MANAGE, prefix="catalogue__"),
            catalogue__kind__in=KIND_ORDER,
            effective_from__lte=timezone.localdate(),
        )
        .select_related("catalogue")
        .order_by("catalogue__code", "-effective_from", "-pk")
    )
    groups: dict[str, list[tuple[int, str]]] = {kind: [] for kind in KIND_ORDER}
    for v in versions:
        label = gettext("%(title)s — phiên bản %(version)s (hiệu lực từ %(day)s)") % {
            "title": v.title,
            "version": v.version,
            "day": v.effective_from.strftime("%d/%m/%Y"),
        }
        groups[v.catalogue.kind].append((v.pk, label))
    return [(CatalogueKind(kind).label, rows) for kind, rows in groups.items() if rows]


class CycleForm(forms.Form):
    title = forms.CharField(
        label=_("Tên kỳ đánh giá"),
        max_length=255,
        widget=forms.TextInput(attrs={"class": "form-control"}),
        error_messages={
            "required": _("Cần đặt tên kỳ đánh giá."),
            "max_length": _("Tên kỳ đánh giá tối đa 255 ký tự."),
        },
    )
    subject = forms.ChoiceField(
        label=_("Đối tượng"),
        choices=Subject.choices,
        initial=Subject.INDIVIDUAL,
        widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
        error_messages={
            "required": _("Hãy chọn đối tượng đánh giá."),
            "invalid_choice": _("Đối tượng đánh giá không hợp lệ."),
        },
    )
    period_kind = forms.ChoiceField(
        label=_("Loại kỳ"),
        choices=list(translated(cycles.PERIOD_KINDS).items()),
        initial=cycles.YEAR,
        widget=forms.Select(attrs={"class": "form-select"}),
        error_messages={
            "required": _("Hãy chọn loại kỳ."),
            "invalid_choice": _("Loại kỳ không hợp lệ."),
        },
    )
    year = forms.IntegerField(
        label=_("Năm"),
        min_value=2019,
        max_value=2100,
        widget=forms.NumberInput(attrs={"class": "form-control", "inputmode": "numeric"}),
        error_messages={
            "required": _("Hãy nhập năm của kỳ đánh giá."),
            "invalid": _("Năm phải là một số."),
            "min_value": _("Năm phải từ 2019 trở đi."),
            "max_value": _("Năm không hợp lệ."),
        },
    )
    period_number = forms.IntegerField(
        label=_("Quý hoặc tháng"),
        required=False,
        min_value=1,
        max_value=12,
        help_text=_("Bỏ trống khi đánh giá năm; quý từ 1 đến 4, tháng từ 1 đến 12."),
        widget=forms.NumberInput(attrs={"class": "form-control", "inputmode": "numeric"}),
        error_messages={
            "invalid": _("Quý hoặc tháng phải là một số."),
            "min_value": _("Quý hoặc tháng phải từ 1 trở lên."),
            "max_value": _("Tháng chỉ từ 1 đến 12."),
        },
    )
    catalogue_version = forms.TypedChoiceField(
        label=_("Bộ tiêu chí"),
        coerce=int,
        widget=forms.Select(attrs={"class": "form-select"}),
        error_messages={
            "required": _("Hãy chọn bộ tiêu chí."),
            "invalid_choice": _("Bộ tiêu chí không có hoặc chưa có hiệu lực."),
        },
    )
    root_unit = forms.TypedChoiceField(
        label=_("Đơn vị"),
        coerce=int,
        widget=forms.Select(attrs={"class": "form-select"}),
        error_messages={
            "required": _("Hãy chọn đơn vị."),
            "invalid_choice": _("Bạn không quản lý kỳ đánh giá của đơn vị này."),
        },
    )
    include_subtree = forms.BooleanField(
        label=_("Gồm các đơn vị trực thuộc"),
        required=False,
        initial=True,
        widget=forms.CheckboxInput(attrs={"class": "form-check-input"}),
    )
    self_deadline = _deadline(
        _("Hạn tự đánh giá"),
        _("Hãy nhập hạn tự đánh giá."),
        _("Hạn tự đánh giá phải là ngày dạng dd/mm/yyyy."),
    )
    manager_deadline = _deadline(
        _("Hạn nhận xét của người quản lý"),
        _("Hãy nhập hạn nhận xét của người quản lý."),
        _("Hạn nhận xét của người quản lý phải là ngày dạng dd/mm/yyyy."),
    )
    council_deadline = _deadline(
        _("Hạn kết luận của hội đồng"),
        _("Hãy nhập hạn kết luận của hội đồng."),
        _("Hạn kết luận của hội đồng phải là ngày dạng dd/mm/yyyy."),
    )
    culture_points = forms.DecimalField(
        label=_("Điểm của phần văn hóa công vụ (trên 100)"),
        initial=cycles.DEFAULT_CULTURE_POINTS,
        max_digits=5,
        decimal_places=2,
        min_value=Decimal("0.01"),
        max_value=Decimal(100),
        help_text=_(
            "Đánh giá cá nhân: phần còn lại (100 trừ số này) là điểm kết quả thực hiện "
            "nhiệm vụ. Đánh giá tập thể luôn chấm cả 100 điểm theo bộ tiêu chí."
        ),
        widget=forms.NumberInput(
            attrs={"class": "form-control", "step": "0.01", "inputmode": "decimal"}
        ),
        error_messages={
            "required": _("Hãy nhập điểm của phần văn hóa công vụ."),
            "invalid": _("Điểm phải là một số."),
            "min_value": _("Điểm phần văn hóa công vụ phải lớn hơn 0."),
            "max_value": _("Điểm phần văn hóa công vụ không quá 100."),
            "max_digits": _("Điểm có tối đa hai chữ số thập phân."),
            "max_decimal_places": _("Điểm có tối đa hai chữ số thập phân."),
        },
    )
    unit_has_regulation = forms.BooleanField(
        label=_("Đơn vị đã ban hành quy chế đánh giá"),
        required=False,
        initial=True,
        help_text=_(
            "Nghị định 233/2026/NĐ-CP, Điều 20 khoản 1: chưa có quy chế thì năm 2026 "
            "viên chức được xếp loại theo Nghị định 90/2020/NĐ-CP."
        ),
        widget=forms.CheckboxInput(attrs={"class": "form-check-input"}),
    )

    def __init__(self, *args, user, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["catalogue_version"].choices = [("", "—"), *version_choices(user)]
        self.fields["root_unit"].choices = [("", "—"), *unit_choices(user)]
        self.fields["year"].initial = timezone.localdate().year

    def clean(self) -> dict:
        data = super().clean()
        kind, number = data.get("period_kind"), data.get("period_number")
        if kind == cycles.YEAR and number is not None:
            self.add_error("period_number", gettext("Đánh giá năm thì bỏ trống quý hoặc tháng."))
        elif kind == cycles.QUARTER and (number is None or number > 4):
            self.add_error("period_number", gettext("Hãy nhập quý từ 1 đến 4."))
        elif kind == cycles.MONTH and number is None:
            self.add_error("period_number", gettext("Hãy nhập tháng từ 1 đến 12."))
        if data.get("subject") == Subject.COLLECTIVE:
            # The whole 100 points, not a choice: whatever was typed there does not matter.
            self.errors.pop("culture_points", None)
            data["culture_points"] = COLLECTIVE_POINTS
        return data

    def spec(self) -> CycleSpec:
        """The cycle asked for (call after ``is_valid``); the choices were scoped already."""
        data = self.cleaned_data
        return CycleSpec(
            title=data["title"],
            subject=data["subject"],
            period_kind=data["period_kind"],
            year=data["year"],
            period_number=data["period_number"],
            catalogue_version=CatalogueVersion.objects.select_related("catalogue__owner_unit").get(
                pk=data["catalogue_version"]
            ),
            root_unit=Unit.objects.get(pk=data["root_unit"]),
            include_subtree=data["include_subtree"],
            self_deadline=data["self_deadline"],
            manager_deadline=data["manager_deadline"],
            council_deadline=data["council_deadline"],
            culture_points=data["culture_points"],
            unit_has_regulation=data["unit_has_regulation"],
        )
