"""A plan as an official Word file (ND 30/2020, ``core.official_docx``) and its tasks as an
Excel sheet (``core.xlsx``, Vietnamese headers). Pure builders over loaded rows: the views and
jobs check access first."""

from __future__ import annotations

from collections.abc import Sequence
from io import BytesIO

from openpyxl import Workbook

from congvu.core import xlsx
from congvu.core.official_docx import Issuer, OfficialDocument, Signer
from congvu.plans import rules
from congvu.plans.models import LinkKind, Plan, Task

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
