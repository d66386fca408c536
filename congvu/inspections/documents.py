"""The biên bản kiểm tra as an official Word file (ND 30/2020, ``core.official_docx``): who
inspected whom, when and on what decision, each item's result, the findings, the conclusion,
and the lead's and the inspected unit's representative's signatures. A pure builder over
loaded rows: the view checks access first. Vietnamese whatever the page's language
(decision 60)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from django.utils import timezone

from congvu.core.dated_store import setting_overrides
from congvu.core.official_docx import Issuer, OfficialDocument, Signer
from congvu.inspections import rules
from congvu.inspections.models import Answer, ChecklistItem, Inspection, TeamMember
from congvu.organisations.graph import org_graph
from congvu.organisations.models import Unit


def _name_on(unit: Unit, day: date) -> tuple[str, str]:
    """The unit's name and its parent's, as they were on ``day`` (org history)."""
    current = org_graph().as_of(day)
    row = current.get(unit.pk)
    name = row.name if row else unit.name
    parent = current.get(row.parent_id) if row and row.parent_id else None
    return name, parent.name if parent else ""


def _member(member: TeamMember) -> str:
    staff = getattr(member.user, "staff", None)
    who = str(staff) if staff is not None else member.user.get_username()
    return f"{who} — {rules.TEAM_ROLE_NAMES[member.role]}"


def bien_ban_docx(
    *,
    inspection: Inspection,
    items: Sequence[ChecklistItem],
    found: Sequence[Answer],
    team: Sequence[TeamMember],
) -> bytes:
    day = timezone.localtime(inspection.closed_at).date() if inspection.closed_at else None
    day = day or inspection.scheduled_on
    owner, _above = _name_on(inspection.owner, day)
    inspected, _above = _name_on(inspection.unit, day)
    document = OfficialDocument(
        overrides=setting_overrides(day),
        issuer=Issuer(f"Đoàn kiểm tra theo Quyết định số {inspection.decision_code}", owner),
        code="        /BB-ĐKT",
        day=day,
        doc_type="Biên bản",
        summary=f"Kiểm tra việc thực hiện văn hóa công vụ tại {inspected}",
    )
    document.bases(
        [
            "Căn cứ Quyết định số 129/2007/QĐ-TTg ngày 02/8/2007 của Thủ tướng Chính phủ ban "
            "hành Quy chế văn hóa công sở tại các cơ quan hành chính nhà nước",
            "Căn cứ Quyết định số 1847/QĐ-TTg ngày 27/12/2018 của Thủ tướng Chính phủ phê "
            "duyệt Đề án Văn hóa công vụ",
            f"Căn cứ Quyết định số {inspection.decision_code} ngày "
            f"{inspection.decision_date:%d/%m/%Y} của {owner} về việc thành lập đoàn kiểm tra",
        ]
    )
    start = timezone.localtime(inspection.started_at) if inspection.started_at else None
    when = f"{start:%H} giờ {start:%M} ngày {start:%d/%m/%Y}" if start else f"ngày {day:%d/%m/%Y}"
    document.paragraph(
        f"Hồi {when}, đoàn kiểm tra tiến hành kiểm tra "
        f"({rules.KIND_NAMES[inspection.kind].lower()}) việc thực hiện văn hóa công vụ tại "
        f"{inspected}: {inspection.title}."
    )
    document.heading("I. Thành phần đoàn kiểm tra")
    for member in team:
        document.bullet(_member(member))
    document.heading("II. Kết quả kiểm tra")
    document.table(
        ["Mã", "Nội dung kiểm tra", "Căn cứ", "Kết quả", "Ghi chú"],
        [
            (
                item.code,
                item.text,
                item.basis,
                rules.RESULT_NAMES[item.current.result] if item.current else "",  # type: ignore[attr-defined]
                _note(item.current) if item.current else "",  # type: ignore[attr-defined]
            )
            for item in items
        ],
    )
    document.heading("III. Những tồn tại, vi phạm")
    if found:
        for answer in found:
            document.bullet(f"{answer.item.code}. {answer.item.text}: {_note(answer)}")
    else:
        document.paragraph("Không phát hiện tồn tại, vi phạm.")
    document.heading("IV. Kết luận, kiến nghị")
    document.paragraph(inspection.conclusion or "Đoàn kiểm tra thống nhất nội dung biên bản.")
    document.paragraph(
        "Biên bản được lập thành 02 bản có giá trị như nhau, đoàn kiểm tra giữ 01 bản, đơn vị "
        "được kiểm tra giữ 01 bản."
    )
    lead = next((m for m in team if m.role == rules.LEAD), None)
    lead_name = _member(lead).split(" — ")[0] if lead else ""
    document.closing(
        recipients=[inspected, owner, "Lưu: đoàn kiểm tra"],
        signers=[Signer("Đại diện đơn vị được kiểm tra"), Signer("Trưởng đoàn", lead_name)],
    )
    return document.to_bytes()


def _note(answer: Answer) -> str:
    who = f" ({answer.staff})" if answer.staff_id else ""
    return f"{answer.note}{who}".strip()
