"""A plan as an official Word file (ND 30/2020, ``core.official_docx``) and its tasks as an
Excel sheet (``core.xlsx``, Vietnamese headers). Pure builders over loaded rows: the views and
jobs check access first."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from io import BytesIO
from typing import Any

from openpyxl import Workbook

from congvu.core import xlsx
from congvu.core.dated_store import setting_overrides
from congvu.core.official_docx import Issuer, OfficialDocument, Signer
from congvu.organisations.graph import org_graph
from congvu.organisations.models import Unit
from congvu.plans import rules
from congvu.plans.models import LinkKind, PeriodicReport, Plan, Task

TASK_HEADERS = [
    "Mục",
    "Nội dung",
    "Thời gian (như văn bản ghi)",
    "Loại thời hạn",
    "Hạn",
    "Chủ trì",
    "Phối hợp",
    "Sản phẩm",
]


def timing_label(task: Task) -> str:
    """The due day or rule in words (dd/mm/yyyy), for documents and sheets."""
    if task.kind == rules.BY_DATE and task.due_on:
        return f"trước ngày {task.due_on:%d/%m/%Y}"
    if task.kind == rules.BY_YEAR and task.year:
        return f"trong năm {task.year}"
    if task.kind in (rules.YEARLY, rules.ONGOING) and task.day and task.month:
        until = f" đến năm {task.to_year}" if task.to_year else ""
        return (
            f"hằng năm trước ngày {task.day:02d}/{task.month:02d}, từ năm {task.from_year}{until}"
        )
    if task.kind == rules.CONDITIONAL:
        when = f"ngày {task.event_date:%d/%m/%Y}" if task.event_date else "chưa xảy ra"
        days = f", trong {task.within_days} ngày" if task.within_days is not None else ""
        return f"sau sự kiện ({when}){days}"
    return ""


def plan_docx(plan: Plan, tasks: Sequence[Task], *, signer: Signer | None = None) -> bytes:
    """The plan in the ND 30/2020 layout: bases, purposes and requirements, the tasks."""
    doc = plan.document
    document = OfficialDocument(
        overrides=setting_overrides(doc.issued_on),
        issuer=Issuer(doc.issuer),
        code=doc.code,
        day=doc.issued_on,
        doc_type="Kế hoạch",
        summary=plan.title,
    )
    bases = [
        f"Thực hiện {link.target.get_doc_type_display()} số {link.target.code} ngày "
        f"{link.target.issued_on:%d/%m/%Y} của {link.target.issuer} {link.target.summary}"
        for link in doc.links_out.select_related("target").order_by("target__issued_on")
        if link.kind in (LinkKind.IMPLEMENTS, LinkKind.CITES)
    ]
    if bases:
        document.bases(bases)
    document.heading("I. MỤC ĐÍCH, YÊU CẦU")
    for text in (plan.purposes, plan.requirements):
        for line in filter(None, (t.strip() for t in text.splitlines())):
            document.paragraph(line)
    document.heading("II. NỘI DUNG VÀ TIẾN ĐỘ")
    for task in tasks:
        document.paragraph(f"{task.number}. {task.content}")
        when = task.timing_text or timing_label(task)
        if when:
            document.paragraph(f"Thời gian: {when}.", italic=True)
        if task.lead_text:
            document.paragraph(f"Chủ trì: {task.lead_text}.", italic=True)
    document.closing(
        recipients=["Các sở, ban, ngành", "UBND các xã, phường", "Lưu: VT"],
        signers=[signer or Signer("Chủ tịch", on_behalf="TM. Ủy ban nhân dân")],
    )
    return document.to_bytes()


def tasks_xlsx(plan: Plan, tasks: Sequence[Task]) -> bytes:
    """The plan's tasks, one a row, with Vietnamese headers (formula-safe cells)."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Nhiệm vụ")
    xlsx.append(sheet, [f"{plan.document.code} — {plan.title}"])
    xlsx.append(sheet, TASK_HEADERS)
    names = rules.KIND_NAMES
    for task in tasks:
        xlsx.append(
            sheet,
            [
                task.number,
                task.content,
                task.timing_text,
                names.get(task.kind, task.kind),
                timing_label(task),
                task.lead_text,
                task.coordinating_text,
                task.expected_output,
            ],
        )
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


# --- Periodic reports (báo cáo định kỳ) ------------------------------------------------------

REPORT_TASK_HEADERS = ["Mục", "Nhiệm vụ", "Tình trạng", "Kết quả thực hiện"]
BOARD_HEADERS = [
    "STT",
    "Đơn vị",
    "Trạng thái báo cáo",
    "Ngày gửi",
    "Số ngày trễ",
    *[rules.STATUS_NAMES[s] for s in rules.STATUSES],
]


def _issuer_on(unit: Unit, day: date) -> Issuer:
    """The unit and the body above it, named as they were on ``day`` (org history)."""
    current = org_graph().as_of(day)
    row = current.get(unit.pk)
    name = row.name if row else unit.name
    parent = current.get(row.parent_id) if row and row.parent_id else None
    return Issuer(name, parent.name if parent else "")


def unit_report_docx(
    *, unit: Unit, year: int, reports: Sequence[PeriodicReport], day: date
) -> bytes:
    """A unit's yearly report on the plans assigned to it, one part per plan: the tasks with
    their status and what was done, then results, difficulties and proposals."""
    document = OfficialDocument(
        overrides=setting_overrides(day),
        issuer=_issuer_on(unit, day),
        code=f"        /BC-{unit.code}",
        day=day,
        doc_type="Báo cáo",
        summary=f"Kết quả thực hiện văn hóa công vụ năm {year}",
    )
    for n, report in enumerate(reports, start=1):
        plan = report.plan
        document.heading(
            f"{_roman(n)}. Thực hiện {plan.document.get_doc_type_display()} số {plan.document.code}: {plan.title}"
        )
        for m, part in enumerate(rules.template_load(report.content.get("template")), start=1):
            document.heading(f"{m}. {part.title}")
            report_part(document, report.content, part)
    if not reports:
        document.paragraph("Đơn vị không được giao kế hoạch nào trong năm.")
    document.closing(
        recipients=["UBND tỉnh (qua Sở Nội vụ)", "Lưu: VT"], signers=[Signer("Thủ trưởng đơn vị")]
    )
    return document.to_bytes()


def report_part(document: OfficialDocument, content: dict[str, Any], part: rules.Section) -> None:
    """One part of a report's content in the document: the tasks' table, the figures' table
    or the unit's text, paragraph by paragraph."""
    if part.kind == rules.TASKS:
        document.table(
            REPORT_TASK_HEADERS,
            [
                [
                    line["number"],
                    line["content"],
                    rules.STATUS_NAMES.get(line["status"], line["status"]),
                    line["text"],
                ]
                for line in content.get("tasks", [])
            ],
        )
    elif part.kind == rules.FIGURES:
        document.table(
            ["Chỉ tiêu", "Số liệu"], [[f["label"], f["value"]] for f in content.get("figures", [])]
        )
    else:
        text = str(content.get(part.key, ""))
        lines = [t.strip() for t in text.splitlines() if t.strip()]
        for line in lines or ["(Không có nội dung.)"]:
            document.paragraph(line)


def _roman(n: int) -> str:
    numerals = ((10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I"))
    out = ""
    for value, letters in numerals:
        while n >= value:
            out, n = out + letters, n - value
    return out


def board_rows(rows: Sequence[Any]) -> tuple[list[list[object]], list[object]]:
    """The consolidated table: one row per unit (its report's status, the day sent, days late
    and — from an accepted report only — the count of its tasks by status) and the totals."""
    table: list[list[object]] = []
    totals = [0 for _ in rules.STATUSES]
    for n, row in enumerate(rows, start=1):
        accepted = row.report is not None and row.report.status == rules.ACCEPTED
        counts = row.report.content.get("counts", {}) if accepted else {}
        values = [int(counts.get(s, 0)) for s in rules.STATUSES]
        totals = [a + b for a, b in zip(totals, values, strict=True)]
        status = rules.REPORT_STATUS_NAMES[row.report.status] if row.report else "Chưa gửi"
        sent = (
            f"{row.report.submitted_on:%d/%m/%Y}" if row.report and row.report.submitted_on else ""
        )
        table.append([n, row.unit.name, status, sent, row.days_late or "", *values])
    return table, ["", f"Tổng cộng: {len(rows)} đơn vị", "", "", "", *totals]


def figure_totals(rows: Sequence[Any]) -> list[list[object]]:
    """Each figure of the accepted reports summed over the units (label, units, total), in
    the order the reports carry them."""
    totals: dict[str, list[Any]] = {}
    for row in rows:
        if row.report is None or row.report.status != rules.ACCEPTED:
            continue
        for figure in row.report.content.get("figures", []):
            line = totals.setdefault(figure["key"], [figure["label"], 0, 0])
            line[1] += 1
            line[2] += int(figure.get("value") or 0)
    return list(totals.values())


def consolidated_docx(
    *, plan: Plan, year: int, rows: Sequence[Any], issuer: Unit, day: date
) -> bytes:
    """Sở Nội vụ's consolidated report on ``plan``: the table of every unit and the totals."""
    document = OfficialDocument(
        overrides=setting_overrides(day),
        issuer=_issuer_on(issuer, day),
        code="        /BC-SNV",
        day=day,
        doc_type="Báo cáo",
        summary=f"Tổng hợp kết quả thực hiện {plan.title} năm {year}",
    )
    sent = sum(1 for r in rows if r.report and r.report.submitted_on)
    accepted = sum(1 for r in rows if r.report and r.report.status == rules.ACCEPTED)
    late = sum(1 for r in rows if r.days_late)
    document.paragraph(
        f"Thực hiện {plan.document.get_doc_type_display()} số {plan.document.code} ngày "
        f"{plan.document.issued_on:%d/%m/%Y}, {sent}/{len(rows)} đơn vị đã gửi báo cáo năm {year}, "
        f"{accepted} báo cáo được chấp nhận và được tổng hợp dưới đây; "
        f"{late} đơn vị gửi trễ hoặc chưa gửi khi quá hạn."
    )
    table, totals = board_rows(rows)
    document.heading("1. Tình hình gửi báo cáo và thực hiện nhiệm vụ của các đơn vị")
    document.table(BOARD_HEADERS, [*table, totals])
    figures = figure_totals(rows)
    if figures:
        document.heading("2. Số liệu tổng hợp từ các báo cáo đã được chấp nhận")
        document.table(["Chỉ tiêu", "Số đơn vị", "Tổng số"], figures)
    document.closing(recipients=["UBND tỉnh", "Bộ Nội vụ", "Lưu: VT"], signers=[Signer("Giám đốc")])
    return document.to_bytes()


def board_xlsx(*, plan: Plan, year: int, rows: Sequence[Any]) -> bytes:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Tổng hợp")
    xlsx.append(sheet, [f"{plan.document.code} — {plan.title} — năm {year}"])
    xlsx.append(sheet, BOARD_HEADERS)
    table, totals = board_rows(rows)
    for row in [*table, totals]:
        xlsx.append(sheet, row)
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def unit_report_xlsx(*, unit: Unit, year: int, reports: Sequence[PeriodicReport]) -> bytes:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Báo cáo")
    xlsx.append(sheet, [f"{unit.name} — năm {year}"])
    xlsx.append(sheet, ["Kế hoạch", *REPORT_TASK_HEADERS])
    for report in reports:
        for line in report.content.get("tasks", []):
            xlsx.append(
                sheet,
                [
                    report.plan.document.code,
                    line["number"],
                    line["content"],
                    rules.STATUS_NAMES.get(line["status"], line["status"]),
                    line["text"],
                ],
            )
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
