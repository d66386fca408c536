"""A nomination's dossier as one official Word file (ND 30/2020, ``core.official_docx``),
pre-filled from the system: the proposing unit's tờ trình (ND 98/2023 Mẫu 01, kept by ND
152/2025), the achievement report (Mẫu 02 for a collective, Mẫu 03 for a person) with the
years of ratings, titles, awards and initiatives, and the engine's report on the conditions.
A pure builder over loaded rows: the view checks access first."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from congvu.core.dated_store import setting_overrides
from congvu.core.official_docx import Issuer, OfficialDocument, Signer
from congvu.emulation import rules
from congvu.emulation.models import Nomination

RATING_NAMES = {
    "HTXS": "Hoàn thành xuất sắc nhiệm vụ",
    "HTT": "Hoàn thành tốt nhiệm vụ",
    "HTNV": "Hoàn thành nhiệm vụ",
    "KHT": "Không hoàn thành nhiệm vụ",
}
PASSED = {True: "Đạt", False: "Không đạt", None: "Hội đồng đánh giá / chưa đủ dữ liệu"}
RESULT_NAMES = {
    rules.ELIGIBLE: "Đủ điều kiện (các điều kiện hệ thống kiểm tra được)",
    rules.NOT_ELIGIBLE: "Không đủ điều kiện",
    rules.UNDECIDABLE: "Chưa đủ dữ liệu để kết luận",
}


def history_rows(subject: rules.Subject) -> list[list[str]]:
    """One row per year: rating, titles, awards, initiatives (for the report's table)."""
    rows = []
    for year in subject.history:
        if not (year.rating or year.titles or year.awards or year.initiatives):
            continue
        rows.append(
            [
                str(year.year),
                RATING_NAMES.get(year.rating or "", "—"),
                "; ".join(rules.AWARD_NAMES.get(t, t) for t in year.titles) or "—",
                "; ".join(rules.AWARD_NAMES.get(a.code, a.code) for a in year.awards) or "—",
                str(len(year.initiatives)) if year.initiatives else "—",
            ]
        )
    return rows


def dossier_docx(
    nomination: Nomination, subject: rules.Subject, *, day: date, initiatives: Sequence[Any]
) -> bytes:
    unit = nomination.unit
    award = rules.AWARD_NAMES[nomination.award]
    who = nomination.staff.full_name if nomination.staff else nomination.subject_unit.name  # type: ignore[union-attr]
    overrides = setting_overrides(day)
    document = OfficialDocument(
        overrides=overrides,
        issuer=Issuer(unit.name, unit.parent.name if unit.parent_id else ""),
        code=f"…/TTr-{unit.code}",
        day=day,
        doc_type="Tờ trình",
        summary=f"Về việc đề nghị xét tặng {award} năm {nomination.year}",
    )
    document.bases(
        [
            "Căn cứ Luật Thi đua, khen thưởng số 06/2022/QH15"
            + (
                " được sửa đổi, bổ sung bởi Luật số 06/2026/QH16"
                if day >= rules.LUAT06_2026_FROM
                else ""
            ),
            "Căn cứ Nghị định số 152/2025/NĐ-CP của Chính phủ quy định chi tiết Luật Thi đua, "
            "khen thưởng"
            if day >= rules.ND152_FROM
            else "Căn cứ Nghị định số 98/2023/NĐ-CP của Chính phủ quy định chi tiết Luật Thi "
            "đua, khen thưởng",
        ]
    )
    document.paragraph(
        f"{unit.name} kính trình Hội đồng Thi đua – Khen thưởng xem xét, đề nghị cấp có thẩm "
        f"quyền tặng {award} năm {nomination.year} cho "
        f"{'ông (bà) ' if nomination.staff else 'tập thể '}{who}."
    )
    document.paragraph(f"Tóm tắt thành tích: {nomination.summary}")
    document.paragraph("(Có báo cáo thành tích và kết quả kiểm tra điều kiện kèm theo.)")
    document.closing(
        recipients=["Như trên", "Sở Nội vụ (Thường trực Hội đồng)", "Lưu: VT"],
        signers=[Signer("Thủ trưởng đơn vị")],
    )
    document.document.add_page_break()
    document.heading(
        "BÁO CÁO THÀNH TÍCH"
        + (" CỦA CÁ NHÂN" if nomination.staff else " CỦA TẬP THỂ")
        + f" ĐỀ NGHỊ TẶNG {award.upper()}"
    )
    if nomination.staff:
        staff = nomination.staff
        document.paragraph(f"Họ và tên: {staff.full_name}; năm sinh: {staff.birth_year}.")
        document.paragraph(f"Chức vụ, đơn vị công tác: {staff.position or '—'}, {unit.name}.")
    else:
        document.paragraph(f"Tên tập thể: {who}.")
    document.heading("I. THÀNH TÍCH ĐẠT ĐƯỢC")
    for line in filter(None, (t.strip() for t in nomination.summary.splitlines())):
        document.paragraph(line)
    if initiatives:
        document.heading("II. SÁNG KIẾN, ĐỀ TÀI LÀM CĂN CỨ")
        document.table(
            ["Tên sáng kiến, đề tài", "Cấp công nhận", "Năm", "Văn bản công nhận"],
            [[i.title, i.get_level_display(), i.year, i.recognised_by] for i in initiatives],
        )
    document.heading("III. CÁC HÌNH THỨC ĐÃ ĐƯỢC KHEN THƯỞNG, KẾT QUẢ ĐÁNH GIÁ")
    document.table(
        ["Năm", "Xếp loại", "Danh hiệu thi đua", "Hình thức khen thưởng", "Sáng kiến"],
        history_rows(subject),
    )
    report = nomination.report or {}
    document.heading("IV. KẾT QUẢ KIỂM TRA ĐIỀU KIỆN (hệ thống CôngVụ)")
    document.paragraph(
        f"Kết luận: {RESULT_NAMES.get(str(report.get('result')), '—')}; căn cứ áp dụng: "
        f"{report.get('regime', '—')}; ngày kiểm tra: {day:%d/%m/%Y}."
    )
    document.table(
        ["Điều kiện", "Căn cứ", "Kết quả", "Dữ kiện"],
        [
            [c["condition"], c["source"], PASSED.get(c["passed"], "—"), c["detail"]]
            for c in report.get("checks", [])
        ],
    )
    document.closing(
        recipients=[],
        signers=[Signer("Thủ trưởng đơn vị xác nhận"), Signer("Người báo cáo thành tích")],
    )
    return document.to_bytes()
