"""Excel export of one catalogue version: the criteria table and a sheet about the version."""

from io import BytesIO

from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font

from congvu.core import xlsx
from congvu.core.i18n import vietnamese_labels
from congvu.standards.models import CatalogueVersion, Criterion, Wording, subjects_label
from congvu.standards.selectors import version_criteria

HEADERS = [
    "Mã tiêu chí",
    "Nhóm",
    "Cấp",
    "Nội dung",
    "Nguồn",
    "Điểm",
    "Trọng số",
    "Yêu cầu minh chứng",
    "Đối tượng áp dụng",
    "Hình thức văn bản",
    "Ghi chú",
]
WIDTHS = {
    "A": 30,
    "B": 40,
    "C": 6,
    "D": 80,
    "E": 50,
    "F": 8,
    "G": 10,
    "H": 12,
    "I": 24,
    "J": 16,
    "K": 50,
}
LEVELS = {0: "Nhóm", 1: "Tiêu chí", 2: "Tiêu chí con"}


WRAP = Alignment(wrap_text=True, vertical="top")


def _text(sheet, value: str) -> WriteOnlyCell:
    """A wrapped text cell; ``xlsx.append`` keeps a leading "=" typed into a unit's rules text."""
    cell = WriteOnlyCell(sheet, value)
    cell.alignment = WRAP
    return cell


def _group_of(criterion: Criterion, by_pk: dict[int, Criterion]) -> Criterion:
    while criterion.parent_id is not None:
        criterion = by_pk[criterion.parent_id]
    return criterion


def version_xlsx(version: CatalogueVersion) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Tiêu chí"
    xlsx.append(sheet, HEADERS)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.freeze_panes = "A2"
    criteria = list(version_criteria(version))
    by_pk = {c.pk: c for c in criteria}
    wordings = vietnamese_labels(Wording.choices)
    for c in criteria:
        group = _group_of(c, by_pk)
        texts = [c.stable_id, group.text, LEVELS.get(c.depth, str(c.depth)), c.text, c.source]
        tail = [
            "Có" if c.evidence_required else "Không",
            subjects_label(c.subjects),
            wordings.get(c.wording, c.wording),
            c.note,
        ]
        xlsx.append(
            sheet,
            [
                *(_text(sheet, v) for v in texts),
                c.points,
                c.weight,
                *(_text(sheet, v) for v in tail),
            ],
        )
    for letter, width in WIDTHS.items():
        sheet.column_dimensions[letter].width = width
    about = workbook.create_sheet("Thông tin")
    catalogue = version.catalogue
    facts = [
        ("Mã danh mục", catalogue.code),
        ("Tên danh mục", version.title),
        ("Loại", catalogue.get_kind_display()),
        ("Đơn vị ban hành", catalogue.owner_unit.name if catalogue.owner_unit else ""),
        ("Phiên bản", version.version),
        ("Hiệu lực từ", version.effective_from.strftime("%d/%m/%Y")),
        ("Văn bản nguồn", version.source_document),
        ("Mã kiểm tra nội dung (SHA-256)", version.checksum),
        ("Nạp lúc", timezone.localtime(version.loaded_at).strftime("%d/%m/%Y %H:%M")),
        ("Số mục", str(version.item_count)),
    ]
    for label, value in facts:
        xlsx.append(about, [_text(about, label), _text(about, value)])
    about.column_dimensions["A"].width = 32
    about.column_dimensions["B"].width = 100
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
