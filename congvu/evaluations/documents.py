"""Files of the council and of Sở Nội vụ: the minutes of a council (Word, in the Nghị định
30/2020 layout of ``core.official_docx``), the council's list and a cycle's progress (Excel, openpyxl).

Pure builders over what the selectors return: the views check access first.
"""

from collections.abc import Sequence
from datetime import date
from io import BytesIO

from openpyxl import Workbook
from openpyxl.styles import Font

from congvu.core import xlsx
from congvu.core.dated_store import setting_overrides
from congvu.core.official_docx import DOCX_TYPE as DOCX_TYPE
from congvu.core.official_docx import Issuer, OfficialDocument, Signer
from congvu.evaluations import regimes
from congvu.evaluations.models import CouncilDecision, EvaluationCycle
from congvu.evaluations.selectors import CouncilList, UnitProgress
from congvu.evaluations.workflow import STATE_NAMES, State

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MINUTES_TITLE = "BIÊN BẢN HỌP HỘI ĐỒNG ĐÁNH GIÁ, XẾP LOẠI"
STATES = list(State)


def level_name(level: str | None) -> str:
    return regimes.LEVEL_NAMES.get(level or "", level or "")


def _score(value) -> str:
    return "" if value is None else str(value).replace(".", ",")


def minutes_docx(
    *,
    cycle: EvaluationCycle,
    listing: CouncilList,
    decisions: Sequence[CouncilDecision],
    today: date,
) -> bytes:
    """The minutes of the council's meeting over one unit's list in one cycle, in the layout
    of ND 30/2020 (``core.official_docx``); the number is left for the clerk to write."""
    document = OfficialDocument(
        overrides=setting_overrides(today),
        issuer=Issuer(listing.unit.name),
        code="        /BB-HĐ",
        day=today,
        doc_type=MINUTES_TITLE,
        summary=cycle.title,
    )
    document.paragraph(f"Đơn vị: {listing.unit.name}.")
    document.paragraph(
        f"Kỳ đánh giá: từ {cycle.start_date:%d/%m/%Y} đến {cycle.end_date:%d/%m/%Y}."
    )
    document.heading("I. Kết quả đánh giá, xếp loại")
    document.table(
        ["STT", "Họ và tên", "Nhóm", "Điểm", "Mức xếp loại"],
        (
            [
                n,
                row.evaluation.staff.full_name,
                row.evaluation.group,
                _score(row.score),
                level_name(row.level),
            ]
            for n, row in enumerate(listing.rows, start=1)
        ),
    )
    document.heading("II. Tỷ lệ Hoàn thành xuất sắc nhiệm vụ theo nhóm")
    names = {row.evaluation.pk: row.evaluation.staff.full_name for row in listing.rows}
    for check in listing.caps:
        state = "vượt tỷ lệ" if check.exceeded else "trong tỷ lệ"
        document.bullet(
            f"Nhóm «{check.group}»: {check.htxs} người Hoàn thành xuất sắc nhiệm vụ, tối đa "
            f"{check.allowed} ({check.htt} người Hoàn thành tốt nhiệm vụ; {check.source}) — "
            f"{state}."
        )
    document.heading("III. Kết luận của hội đồng")
    if not decisions:
        document.paragraph("Hội đồng chưa kết luận.")
    for decision in decisions:
        when = f"{decision.at:%d/%m/%Y %H:%M}"
        document.paragraph(f"Lần kết luận {when}: {decision.comment or 'không ghi ý kiến'}.")
        if decision.over_cap_confirmed:
            document.bullet("Hội đồng xác nhận danh sách Hoàn thành xuất sắc nhiệm vụ vượt tỷ lệ.")
        for cap in decision.caps:
            if cap.get("exceeded"):
                document.bullet(
                    f"Nhóm «{cap.get('group')}»: {cap.get('htxs')} người vượt tối đa "
                    f"{cap.get('allowed')} — {', '.join(cap.get('names', []))}."
                )
        for pk, (rule_level, chosen) in sorted(decision.changed_levels.items()):
            who = names.get(int(pk), pk)
            document.bullet(
                f"{who}: hội đồng quyết định mức {level_name(chosen)} (mức theo quy định: "
                f"{level_name(rule_level)})."
            )
    document.closing(
        recipients=["Thành viên hội đồng", "Lưu: VT"],
        signers=[Signer("Thư ký"), Signer("Chủ tịch hội đồng")],
    )
    return document.to_bytes()


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
