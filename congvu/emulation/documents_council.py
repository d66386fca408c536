"""The council's minutes (biên bản), the award decision (quyết định) as official Word files
(ND 30/2020, ``core.official_docx``) and the decision's list as a workbook. Pure builders over
loaded rows: the view checks access first. The minutes hold the counts only, never who voted
how (nothing in the system knows it)."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from django.utils import timezone
from openpyxl import Workbook

from congvu.core.dated_store import setting_overrides
from congvu.core.official_docx import Issuer, OfficialDocument, Signer
from congvu.core.xlsx import append
from congvu.emulation import rules
from congvu.emulation.models import Achievement, AwardDecision, CouncilSession, SessionItem

COUNCIL = "Hội đồng Thi đua – Khen thưởng"


def money(amount: int | None) -> str:
    """12345678 → "12.345.678" (Vietnamese thousands separator)."""
    return "" if amount is None else f"{amount:,}".replace(",", ".")


def multiplier(value: object) -> str:
    """Decimal("1.00") → "1,0", Decimal("0.30") → "0,3", Decimal("1.25") → "1,25": the bonus
    multiplier as Vietnamese write it, at least one decimal."""
    if value is None:
        return ""
    whole, _, decimals = f"{Decimal(str(value)):f}".partition(".")
    return f"{whole},{decimals.rstrip('0') or '0'}"


def bonus_basis(line: Achievement) -> str:
    """The multiplier times the base salary a line's bonus was counted on, "1,0 × 2.340.000"
    (empty when the line has no bonus)."""
    if line.bonus_multiplier is None or line.bonus_base is None:
        return ""
    return f"{multiplier(line.bonus_multiplier)} × {money(line.bonus_base)}"


def percent(share: object) -> str:
    return f"{(float(str(share)) * 100):g}%".replace(".", ",")


def subject_name(row: Achievement | object) -> str:
    staff = getattr(row, "staff", None)
    return staff.full_name if staff is not None else str(getattr(row, "unit", None) or "")


def minutes_docx(*, session: CouncilSession, items: Sequence[SessionItem], cast: int) -> bytes:
    """Biên bản of a closed session: members, ballots cast, each nomination's counts, the share
    needed of all members (ND 98/2023 Art 30.7) and the outcome."""
    day = session.held_on
    document = OfficialDocument(
        overrides=setting_overrides(day),
        issuer=Issuer(COUNCIL, session.unit.name),
        code="        /BB-HĐTĐKT",
        day=day,
        doc_type="Biên bản",
        summary=f"Phiên họp {session.title}",
    )
    document.bases(
        [
            "Căn cứ Luật Thi đua, khen thưởng số 06/2022/QH15",
            "Căn cứ Nghị định số 152/2025/NĐ-CP của Chính phủ quy định chi tiết một số điều "
            "của Luật Thi đua, khen thưởng",
        ]
    )
    document.paragraph(
        f"Ngày {day:%d/%m/%Y}, {COUNCIL} {session.unit.name} họp xét khen thưởng. Tổng số thành "
        f"viên Hội đồng: {session.member_count}; số thành viên đã bỏ phiếu: {cast}. Hình thức "
        "biểu quyết: bỏ phiếu kín; tỷ lệ tán thành tính trên tổng số thành viên Hội đồng."
    )
    document.heading("I. Kết quả bỏ phiếu")
    document.table(
        [
            "TT",
            "Đối tượng",
            "Danh hiệu, hình thức",
            "Đồng ý",
            "Không đồng ý",
            "Không biểu quyết",
            "Tỷ lệ cần đạt",
            "Kết quả",
        ],
        [
            (
                n,
                str(
                    item.nomination.staff.full_name
                    if item.nomination.staff_id
                    else item.nomination.subject_unit
                ),
                rules.AWARD_NAMES.get(item.nomination.award, item.nomination.award),
                item.yes,
                item.no,
                item.abstain,
                percent(item.threshold),
                outcome(item.approved),
            )
            for n, item in enumerate(items, start=1)
        ],
    )
    document.heading("II. Kết luận")
    approved = sum(1 for i in items if i.approved)
    document.paragraph(
        f"Hội đồng thống nhất đề nghị khen thưởng {approved}/{len(items)} trường hợp. Biên bản "
        "ghi số phiếu, không ghi lựa chọn của từng thành viên."
    )
    document.closing(
        recipients=["Thành viên Hội đồng", "Lưu: VT, Sở Nội vụ"],
        signers=[Signer("Thư ký Hội đồng"), Signer("Chủ tịch Hội đồng")],
    )
    return document.to_bytes()


def outcome(approved: bool | None) -> str:
    return {
        True: "Đề nghị khen thưởng",
        False: "Không đề nghị",
        None: "Không đủ số thành viên bỏ phiếu",
    }[approved]


def decision_docx(*, decision: AwardDecision, lines: Sequence[Achievement]) -> bytes:
    """QUYẾT ĐỊNH Về việc tặng … : Điều 1 with the list (name, unit, title, bonus in đồng),
    Điều 2 the bonus from the emulation fund, Điều 3 who carries it out."""
    day = decision.signed_on or timezone.localdate()
    award = rules.AWARD_NAMES.get(decision.award, decision.award)
    document = OfficialDocument(
        overrides=setting_overrides(day),
        issuer=Issuer(decision.issuer),
        code=decision.number or "        /QĐ-UBND",
        day=day,
        doc_type="Quyết định",
        summary=f"Về việc tặng {award} năm {decision.year}",
    )
    document.heading(decision.signer_title.upper())
    document.bases(
        [
            "Căn cứ Luật Thi đua, khen thưởng số 06/2022/QH15",
            "Căn cứ Nghị định số 152/2025/NĐ-CP của Chính phủ quy định chi tiết một số điều "
            "của Luật Thi đua, khen thưởng",
            f"Theo đề nghị của {COUNCIL}"
            + (
                f" (phiên họp ngày {decision.session.held_on:%d/%m/%Y})"
                if decision.session_id
                else ""
            ),
        ]
    )
    document.heading("QUYẾT ĐỊNH:")
    total = sum(line.bonus_amount or 0 for line in lines if not line.revoked)
    document.paragraph(
        f"Điều 1. Tặng {award} năm {decision.year} cho {len(lines)} cá nhân, tập thể có thành "
        "tích xuất sắc (có danh sách kèm theo):"
    )
    document.table(
        ["TT", "Họ và tên / Tập thể", "Đơn vị", "Danh hiệu, hình thức", "Tiền thưởng (đồng)"],
        [
            (
                n,
                subject_name(line) + (" (đã hủy bỏ)" if line.revoked else ""),
                str(line.unit_then or ""),
                award,
                money(line.bonus_amount),
            )
            for n, line in enumerate(lines, start=1)
        ],
    )
    document.paragraph(f"Tổng số tiền thưởng: {money(total)} đồng.")
    document.paragraph(
        "Điều 2. Tiền thưởng kèm theo được chi từ Quỹ thi đua, khen thưởng theo quy định "
        f"({rules.BONUS_SOURCE})."
    )
    document.paragraph(
        "Điều 3. Quyết định này có hiệu lực kể từ ngày ký. Chánh Văn phòng, Giám đốc Sở Nội vụ, "
        "Thủ trưởng các cơ quan, đơn vị liên quan và các cá nhân, tập thể có tên tại Điều 1 chịu "
        "trách nhiệm thi hành Quyết định này."
    )
    document.closing(
        recipients=["Như Điều 3", "Lưu: VT, Sở Nội vụ"],
        signers=[Signer(decision.signer_title, decision.signer_name)],
    )
    return document.to_bytes()


def decision_workbook(*, decision: AwardDecision, lines: Sequence[Achievement]) -> Workbook:
    award = rules.AWARD_NAMES.get(decision.award, decision.award)
    book = Workbook()
    sheet = book.active
    sheet.title = "Danh sach"
    append(
        sheet,
        [
            "TT",
            "Họ và tên / Tập thể",
            "Đơn vị",
            "Danh hiệu, hình thức",
            "Năm",
            "Lương cơ sở",
            "Hệ số",
            "Tiền thưởng (đồng)",
            "Hủy bỏ",
        ],
    )
    for n, line in enumerate(lines, start=1):
        append(
            sheet,
            [
                n,
                subject_name(line),
                str(line.unit_then or ""),
                award,
                line.year,
                line.bonus_base,
                float(line.bonus_multiplier) if line.bonus_multiplier is not None else None,
                line.bonus_amount,
                line.revoke_document if line.revoked else "",
            ],
        )
    for row in sheet.iter_rows(min_row=2, min_col=6, max_col=8):
        for cell in row:
            if cell.column != 7:
                cell.number_format = "#,##0"
    return book
