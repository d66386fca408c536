"""Official documents in the layout of Nghị định 30/2020/NĐ-CP (docs/legal/documents.md#v-1):
A4 portrait; margins top and bottom 20 mm, left 30 mm, right 15 mm; Times New Roman, black;
page numbers centred at the top from page 2; the issuing body top left with the number and
code under it; the Quốc hiệu (12 pt bold, upper case) and the tiêu ngữ (13 pt bold) top right
with the place and date under them; the document type and summary centred; the content; the
signer's block; the recipients. One builder for every Word file the platform issues (a
council's minutes, a plan, a periodic report)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from io import BytesIO

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Mm, Pt

from congvu.core.dated import Setting, add_settings, day_list, setting_in_force, setting_value

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
FONT = "Times New Roman"
QUOC_HIEU = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
TIEU_NGU = "Độc lập - Tự do - Hạnh phúc"
PAGE = (Mm(210), Mm(297))
BODY_PT, QUOC_HIEU_PT, TIEU_NGU_PT, SMALL_PT = 14, 12, 13, 12
HEADER_WIDTHS = (Cm(6.3), Cm(10.2))
TABLE_STYLE = "CongVu Bang"  # the paragraph style of table cells: Times New Roman 13  # the text width is 210 − 30 − 15 mm = 16.5 cm

add_settings(
    Setting(
        "documents.margins_mm",
        "20, 20, 30, 15",
        "Lề trên, dưới, trái, phải (mm): ND 30/2020/NĐ-CP, Phụ lục I (trên, dưới 20–25; trái 30–35; "
        "phải 15–20); còn áp dụng năm 2026 (chưa thấy văn bản thay thế)",
        "U",
        date(2000, 1, 1),  # a document re-issued by the platform for an earlier date: the same
        "https://lawnet.vn/en/laws/cach-trinh-bay-the-thuc-van-ban-hanh-chinh-nhu-the-nao-the-thuc-van-ban-hanh-chinh-gom-co-nhung-tha-597839-123473.html",
    ),
    Setting(
        "documents.place",
        "Khánh Hòa",
        "Địa danh ghi trên văn bản của tỉnh (KH 6861/KH-UBND, seed 000); mỗi tỉnh đặt lại "
        "trên trang Tham số theo ngày",
        "S",
        date(2019, 1, 1),
    ),
)


def margins(day: date, overrides: Mapping[str, object] | None = None) -> dict[str, Mm]:
    """The page margins in force on the document's date (a dated setting: the layout decree
    may change; docs/legal/documents.md#v-1), with the province's ``overrides``."""
    values = day_list(str(setting_value("documents.margins_mm", day, overrides)))
    if len(values) != 4 or not all(5 <= v <= 60 for v in values):  # a mistyped override
        values = day_list(str(setting_in_force("documents.margins_mm", day).default))
    top, bottom, left, right = values
    return {"top": Mm(top), "bottom": Mm(bottom), "left": Mm(left), "right": Mm(right)}


def official_date(day: date) -> str:
    """ "ngày 05 tháng 02 năm 2026", "ngày 12 tháng 7 năm 2019": days 1–9 and months 1–2 are
    written with a leading zero, months 3–12 are not (ND 30/2020, docs/legal/documents.md#v-1)."""
    month = f"{day.month:02d}" if day.month <= 2 else str(day.month)
    return f"ngày {day.day:02d} tháng {month} năm {day.year}"


def place_and_date(place: str, day: date) -> str:
    return f"{place}, {official_date(day)}"


@dataclass(frozen=True)
class Issuer:
    """The issuing body as named on the document's date, and the body above it (optional)."""

    name: str
    parent: str = ""


@dataclass(frozen=True)
class Signer:
    title: str  # "CHỦ TỊCH", "GIÁM ĐỐC"
    name: str = ""
    on_behalf: str = ""  # "TM. ỦY BAN NHÂN DÂN", "KT. GIÁM ĐỐC"


def _all_scripts(r_pr) -> None:
    """Times New Roman for every script of a run or a style (Word picks the font by script)."""
    fonts = r_pr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        r_pr.append(fonts)
    for attr in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        fonts.set(qn(attr), FONT)


def _font(run, size: int, *, bold: bool = False, italic: bool = False) -> None:
    run.font.name = FONT
    run.font.size = Pt(size)
    run.bold, run.italic = bold, italic
    _all_scripts(run._element.get_or_add_rPr())


def _text(paragraph, text: str, size: int, *, bold=False, italic=False, center=False) -> None:
    lines = text.split("\n")
    for n, line in enumerate(lines):
        run = paragraph.add_run(line)
        _font(run, size, bold=bold, italic=italic)
        if n < len(lines) - 1:
            run.add_break()
    if center:
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER


def _widths(table, widths) -> None:
    """Fixed column widths that Word and LibreOffice both keep (the grid and every cell)."""
    table.autofit = False
    for column, width in zip(table.columns, widths, strict=True):
        column.width = width
        for cell in column.cells:
            cell.width = width


def _page_number_header(section) -> None:
    """Arabic page numbers centred in the top margin, none on the first page."""
    section.different_first_page_header_footer = True
    paragraph = section.header.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = paragraph.add_run()
    _font(run, 13)
    for kind, text in (("begin", None), (None, "PAGE"), ("end", None)):
        if kind:
            element = OxmlElement("w:fldChar")
            element.set(qn("w:fldCharType"), kind)
        else:
            element = OxmlElement("w:instrText")
            element.set(qn("xml:space"), "preserve")
            element.text = text
        run._element.append(element)


class OfficialDocument:
    """Build one document: header boxes, then content calls, then ``to_bytes()``."""

    def __init__(
        self,
        *,
        issuer: Issuer,
        code: str,
        day: date,
        doc_type: str,
        summary: str = "",
        place: str | None = None,
        overrides: Mapping[str, object] | None = None,
    ) -> None:
        """``overrides``: the province's values of the dated settings on ``day``
        (``core.dated_store.setting_overrides``), which the kernel cannot read itself."""
        self.document = Document()
        section = self.document.sections[0]
        section.orientation = WD_ORIENT.PORTRAIT
        section.page_width, section.page_height = PAGE
        for side, value in margins(day, overrides).items():
            setattr(section, f"{side}_margin", value)
        style = self.document.styles["Normal"]
        style.font.name, style.font.size = FONT, Pt(BODY_PT)
        _all_scripts(style.element.get_or_add_rPr())
        self.cell_style = self.document.styles.add_style(TABLE_STYLE, WD_STYLE_TYPE.PARAGRAPH)
        self.cell_style.base_style = style
        self.cell_style.font.name, self.cell_style.font.size = FONT, Pt(13)
        _all_scripts(self.cell_style.element.get_or_add_rPr())
        _page_number_header(section)
        if place is None:
            place = str(setting_value("documents.place", day, overrides))
        self._header(issuer, code, place, day)
        title = self.document.add_paragraph()
        _text(title, doc_type.upper(), BODY_PT, bold=True, center=True)
        if summary:
            _text(self.document.add_paragraph(), summary, BODY_PT, bold=True, center=True)

    def _header(self, issuer: Issuer, code: str, place: str, day: date) -> None:
        table = self.document.add_table(rows=1, cols=2)
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        _widths(table, HEADER_WIDTHS)
        left, right = table.rows[0].cells
        top = left.paragraphs[0]
        if issuer.parent:
            _text(top, issuer.parent.upper(), SMALL_PT, center=True)
            top = left.add_paragraph()
        _text(top, issuer.name.upper(), SMALL_PT, bold=True, center=True)
        _text(left.add_paragraph(), f"Số: {code}", 13, center=True)
        _text(right.paragraphs[0], QUOC_HIEU, QUOC_HIEU_PT, bold=True, center=True)
        _text(right.add_paragraph(), TIEU_NGU, TIEU_NGU_PT, bold=True, center=True)
        _text(right.add_paragraph(), place_and_date(place, day), BODY_PT, italic=True, center=True)

    def heading(self, text: str) -> None:
        _text(self.document.add_paragraph(), text, BODY_PT, bold=True)

    def paragraph(self, text: str, *, italic: bool = False) -> None:
        paragraph = self.document.add_paragraph()
        paragraph.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
        paragraph.paragraph_format.first_line_indent = Cm(1)
        _text(paragraph, text, BODY_PT, italic=italic)

    def bases(self, lines: Sequence[str]) -> None:
        """Legal bases (căn cứ): italic, one a line, ";" after each and "." after the last."""
        for n, line in enumerate(lines):
            end = "." if n == len(lines) - 1 else ";"
            self.paragraph(line.rstrip(" ;.") + end, italic=True)

    def bullet(self, text: str) -> None:
        paragraph = self.document.add_paragraph()
        paragraph.paragraph_format.first_line_indent = Cm(1)
        _text(paragraph, f"- {text}", BODY_PT)

    def table(self, headers: Sequence[str], rows: Iterable[Sequence[object]]) -> None:
        table = self.document.add_table(rows=1, cols=len(headers))
        table.style = "Table Grid"
        for cell, text in zip(table.rows[0].cells, headers, strict=True):
            _text(cell.paragraphs[0], str(text), 13, bold=True, center=True)
        style_id = self.cell_style.style_id
        for row in rows:  # the cells take the table style's font: no formatting per run (B4)
            cells = table.add_row().cells
            for cell, value in zip(cells, row, strict=True):
                paragraph = cell.paragraphs[0]
                paragraph._p.style = style_id  # the id, not a lookup by name per cell
                paragraph.add_run("" if value is None else str(value))

    def closing(self, *, recipients: Sequence[str], signers: Sequence[Signer]) -> None:
        """Nơi nhận on the left, the signers' blocks on the right (one column each)."""
        table = self.document.add_table(rows=1, cols=1 + len(signers))
        side = Cm(16.5 - 8.0 * len(signers)) if len(signers) < 2 else Cm(4.5)
        _widths(table, (side, *[Cm((16.5 - side.cm) / len(signers))] * len(signers)))
        row_properties = table.rows[0]._tr.get_or_add_trPr()
        row_properties.append(OxmlElement("w:cantSplit"))  # the signature block stays whole
        cells = table.rows[0].cells
        first = cells[0].paragraphs[0]
        _text(first, "Nơi nhận:", 12, bold=True, italic=True)
        for name in recipients:
            _text(cells[0].add_paragraph(), f"- {name};", 11)
        for cell, signer in zip(cells[1:], signers, strict=True):
            top = cell.paragraphs[0]
            if signer.on_behalf:
                _text(top, signer.on_behalf.upper(), BODY_PT, bold=True, center=True)
                top = cell.add_paragraph()
            _text(top, signer.title.upper(), BODY_PT, bold=True, center=True)
            _text(cell.add_paragraph(), "(Ký, ghi rõ họ tên)", BODY_PT, italic=True, center=True)
            for _blank in range(3):
                cell.add_paragraph()
            if signer.name:
                _text(cell.add_paragraph(), signer.name, BODY_PT, bold=True, center=True)

    def to_bytes(self) -> bytes:
        buffer = BytesIO()
        self.document.save(buffer)
        return buffer.getvalue()
