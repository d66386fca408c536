"""Files of the council and of Sở Nội vụ: the minutes of a council (Word, python-docx, a simple
Nghị định 30/2020 layout), the council's list and a cycle's progress (Excel, openpyxl).

Pure builders over what the selectors return: the views check access first.
"""

from collections.abc import Sequence
from datetime import date
from io import BytesIO

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Pt
from openpyxl import Workbook
from openpyxl.styles import Font

from congvu.core import xlsx
from congvu.evaluations import regimes
from congvu.evaluations.models import CouncilDecision, EvaluationCycle
from congvu.evaluations.selectors import CouncilList, UnitProgress
from congvu.evaluations.workflow import STATE_NAMES, State

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MOTTO = ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc")
MINUTES_TITLE = "BIÊN BẢN HỌP HỘI ĐỒNG ĐÁNH GIÁ, XẾP LOẠI"
STATES = list(State)


def level_name(level: str | None) -> str:
    return regimes.LEVEL_NAMES.get(level or "", level or "")


def _score(value) -> str:
    return "" if value is None else str(value).replace(".", ",")


def _line(document, text: str, *, bold: bool = False, center: bool = False, size: int = 13):
    paragraph = document.add_paragraph()
    run = paragraph.add_run(text)
    run.bold, run.font.size = bold, Pt(size)
    if center:
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    return paragraph


def minutes_docx(
    *,
    cycle: EvaluationCycle,
    listing: CouncilList,
    decisions: Sequence[CouncilDecision],
    today: date,
) -> bytes:
    """The minutes of the council's meeting over one unit's list in one cycle."""
    document = Document()
    header = document.add_table(rows=1, cols=2).rows[0].cells
    header[0].text = listing.unit.name.upper()
    header[1].text = f"{MOTTO[0]}\n{MOTTO[1]}"
    for cell in header:
        for paragraph in cell.paragraphs:
            paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
            for run in paragraph.runs:
                run.bold = True
    place = f"ngày {today.day:02d} tháng {today.month:02d} năm {today.year}"
    _line(document, place[0].upper() + place[1:], center=True).runs[0].italic = True
    _line(document, MINUTES_TITLE, bold=True, center=True, size=14)
    _line(document, cycle.title, center=True)
    _line(document, f"Đơn vị: {listing.unit.name}")
    _line(document, f"Kỳ đánh giá: từ {cycle.start_date:%d/%m/%Y} đến {cycle.end_date:%d/%m/%Y}.")
    _line(document, "I. Kết quả đánh giá, xếp loại", bold=True)
    table = document.add_table(rows=1, cols=5)
    table.style = "Table Grid"
    for cell, text in zip(
        table.rows[0].cells, ["STT", "Họ và tên", "Nhóm", "Điểm", "Mức xếp loại"], strict=True
    ):
        cell.text = text
    for n, row in enumerate(listing.rows, start=1):
        cells = table.add_row().cells
        values = [
            str(n),
            row.evaluation.staff.full_name,
            row.evaluation.group,
            _score(row.score),
            level_name(row.level),
        ]
        for cell, text in zip(cells, values, strict=True):
            cell.text = text
    _line(document, "II. Tỷ lệ Hoàn thành xuất sắc nhiệm vụ theo nhóm", bold=True)
    names = {row.evaluation.pk: row.evaluation.staff.full_name for row in listing.rows}
    for check in listing.caps:
        state = "vượt tỷ lệ" if check.exceeded else "trong tỷ lệ"
        document.add_paragraph(
            f"Nhóm «{check.group}»: {check.htxs} người Hoàn thành xuất sắc nhiệm vụ, tối đa "
            f"{check.allowed} ({check.htt} người Hoàn thành tốt nhiệm vụ; {check.source}) — "
            f"{state}.",
            style="List Bullet",
        )
    _line(document, "III. Kết luận của hội đồng", bold=True)
    if not decisions:
        document.add_paragraph("Hội đồng chưa kết luận.")
    for decision in decisions:
        when = f"{decision.at:%d/%m/%Y %H:%M}"
        document.add_paragraph(f"Lần kết luận {when}: {decision.comment or 'không ghi ý kiến'}.")
        if decision.over_cap_confirmed:
            document.add_paragraph(
                "Hội đồng xác nhận danh sách Hoàn thành xuất sắc nhiệm vụ vượt tỷ lệ.",
                style="List Bullet",
            )
        for cap in decision.caps:
            if cap.get("exceeded"):
                document.add_paragraph(
                    f"Nhóm «{cap.get('group')}»: {cap.get('htxs')} người vượt tối đa "
                    f"{cap.get('allowed')} — {', '.join(cap.get('names', []))}.",
                    style="List Bullet",
                )
        for pk, (rule_level, chosen) in sorted(decision.changed_levels.items()):
            who = names.get(int(pk), pk)
            document.add_paragraph(
                f"{who}: hội đồng quyết định mức {level_name(chosen)} (mức theo quy định: "
                f"{level_name(rule_level)}).",
                style="List Bullet",
            )
    signature = document.add_table(rows=1, cols=2).rows[0].cells
    signature[0].text = "THƯ KÝ\n(Ký, ghi rõ họ tên)"
    signature[1].text = "CHỦ TỊCH HỘI ĐỒNG\n(Ký, ghi rõ họ tên)"
    for cell in signature:
        cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
    buffer = BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _sheet(workbook: Workbook, title: str, headers: list[str]):
    sheet = workbook.active
    sheet.title = title
    xlsx.append(sheet, headers)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.freeze_panes = "A2"
    return sheet


def _append(sheet, values: list) -> None:
    """Text stays text: a name beginning with "=" must never become a formula."""
    xlsx.append(sheet, values)


def _bytes(workbook: Workbook) -> bytes:
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def council_xlsx(listing: CouncilList) -> bytes:
    workbook = Workbook()
    sheet = _sheet(
        workbook,
        "Danh sách",
        ["STT", "Mã CB", "Họ và tên", "Nhóm", "Trạng thái", "Điểm", "Mức xếp loại"],
    )
    for n, row in enumerate(listing.rows, start=1):
        e = row.evaluation
        _append(
            sheet,
            [
                n,
                e.staff.code,
                e.staff.full_name,
                e.group,
                STATE_NAMES.get(e.state, e.state),
                None if row.score is None else float(row.score),
                level_name(row.level),
            ],
        )
    return _bytes(workbook)


def progress_xlsx(progress: Sequence[UnitProgress]) -> bytes:
    workbook = Workbook()
    headers = ["Mã đơn vị", "Tên đơn vị", *[STATE_NAMES[s] for s in STATES], "Tổng", "Trễ hạn"]
    sheet = _sheet(workbook, "Tiến độ", headers)
    for p in progress:
        counts = [p.counts.get(s, 0) for s in STATES]
        _append(sheet, [p.code, p.name, *counts, p.total, p.late])
    return _bytes(workbook)
