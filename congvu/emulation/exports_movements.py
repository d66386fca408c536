"""Background jobs (``core.jobs``) of movements: a year's registrations in Excel, and a
movement's sơ kết / tổng kết report in Word (ND 30/2020 layout) and Excel. Each computes its
rows with the creator's rights when it runs."""

from __future__ import annotations

from io import BytesIO
from typing import Any

from django.core.exceptions import PermissionDenied
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from openpyxl import Workbook

from congvu.core import jobs, permissions, xlsx
from congvu.core.dated_store import setting_overrides
from congvu.core.official_docx import DOCX_TYPE, Issuer, OfficialDocument, Signer
from congvu.core.permissions import Action
from congvu.emulation import rules
from congvu.emulation import selectors_movements as selectors
from congvu.emulation.models import Milestone

REGISTRATIONS_KIND = "emulation.registrations"
REVIEW_DOCX_KIND = "emulation.review_docx"
REVIEW_XLSX_KIND = "emulation.review_xlsx"
REGISTRATION_HEADERS = [
    "Năm",
    "Mã đơn vị",
    "Đơn vị",
    "Trạng thái bản đăng ký",
    "Mã cán bộ",
    "Cá nhân, tập thể",
    "Danh hiệu, hình thức đăng ký",
]


def registrations_produce(run: jobs.JobRun) -> int:
    if not permissions.may(run.user, Action.EMULATION_VIEW):
        raise PermissionDenied
    year = int(run.parameters.get("year", 0))
    lists = selectors.registration_lists_for_user(user=run.user).filter(year=year)
    rows = selectors.registration_rows(lists)
    run.begin(total=len(rows))
    return xlsx.save_rows(
        run.path,
        title=f"Đăng ký {year}",
        headers=REGISTRATION_HEADERS,
        rows=rows,
        progress=run.progress,
        every=run.every,
    )


def _milestone(run: jobs.JobRun) -> Milestone:
    """The milestone of a movement the creator may still manage (else PermissionDenied)."""
    movement = selectors.movement_get_for_user(user=run.user, pk=run.parameters.get("movement"))
    if movement is None or not permissions.can(run.user, Action.EMULATION_MANAGE, movement.owner):
        raise PermissionDenied
    stone = movement.milestones.filter(pk=run.parameters.get("milestone")).first()
    if stone is None or stone.kind not in ("so_ket", "tong_ket"):
        raise PermissionDenied
    return stone


def _issuer(unit: Any, day: Any) -> Issuer:
    from congvu.organisations.graph import org_graph

    current = org_graph().as_of(day)
    row = current.get(unit.pk)
    parent = current.get(row.parent_id) if row and row.parent_id else None
    return Issuer(row.name if row else unit.name, parent.name if parent else "")


def _award_table(figures: selectors.ReviewFigures, counts: dict) -> list[list[Any]]:
    table = []
    for year in figures.years:
        row = [year, *[counts.get(year, {}).get(a, 0) for a in figures.awards]]
        table.append([*row, sum(row[1:])])
    totals = [sum(counts.get(y, {}).get(a, 0) for y in figures.years) for a in figures.awards]
    table.append(["Cộng", *totals, sum(totals)])
    return table


def review_docx(*, figures: selectors.ReviewFigures, stone: Milestone, issuer_unit: Any) -> bytes:
    movement = figures.movement
    day = timezone.localdate()
    label = Milestone.KINDS[stone.kind]
    document = OfficialDocument(
        overrides=setting_overrides(day),
        issuer=_issuer(issuer_unit, day),
        code="        /BC-SNV",
        day=day,
        doc_type="Báo cáo",
        summary=f"{label} phong trào thi đua «{movement.name}» giai đoạn "
        f"{movement.start_year}–{movement.end_year}",
    )
    document.paragraph(
        f"Thực hiện {movement.launch_document}, phát động ngày "
        f"{movement.launched_on:%d/%m/%Y}, báo cáo {label.lower()} kết quả từ năm "
        f"{movement.start_year} đến năm {figures.year} như sau: các đơn vị đã đăng ký "
        f"{figures.total_registered} lượt danh hiệu, hình thức khen thưởng; "
        f"{figures.total_achieved} lượt được công nhận, khen thưởng (không tính khen thưởng đã "
        "bị hủy bỏ)."
    )
    names = [rules.AWARD_NAMES[a] for a in figures.awards]
    document.heading("1. Đăng ký thi đua theo năm")
    document.table(["Năm", *names, "Tổng"], _award_table(figures, figures.registered))
    document.heading("2. Danh hiệu thi đua, hình thức khen thưởng đã đạt theo năm")
    document.table(["Năm", *names, "Tổng"], _award_table(figures, figures.achieved))
    document.heading("3. Theo đơn vị")
    document.table(
        ["Mã", "Đơn vị", "Bản đăng ký", "Lượt đăng ký", "Lượt khen thưởng"],
        [list(row) for row in figures.by_unit],
    )
    document.closing(
        recipients=["UBND tỉnh", "Hội đồng Thi đua - Khen thưởng tỉnh", "Lưu: VT"],
        signers=[Signer("Giám đốc")],
    )
    return document.to_bytes()


def review_xlsx(*, figures: selectors.ReviewFigures, stone: Milestone) -> bytes:
    movement = figures.movement
    names = [rules.AWARD_NAMES[a] for a in figures.awards]
    workbook = Workbook(write_only=True)
    for title, counts in (("Đăng ký", figures.registered), ("Khen thưởng", figures.achieved)):
        sheet = workbook.create_sheet(title)
        xlsx.append(
            sheet,
            [f"{Milestone.KINDS[stone.kind]} {stone.year} — {movement.name} — {title.lower()}"],
        )
        xlsx.append(sheet, ["Năm", *names, "Tổng"])
        for row in _award_table(figures, counts):
            xlsx.append(sheet, row)
    sheet = workbook.create_sheet("Theo đơn vị")
    xlsx.append(sheet, ["Mã", "Đơn vị", "Bản đăng ký", "Lượt đăng ký", "Lượt khen thưởng"])
    for row in figures.by_unit:
        xlsx.append(sheet, list(row))
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _review(run: jobs.JobRun, make: Any) -> int:
    stone = _milestone(run)
    run.begin(total=1)
    figures = selectors.review_figures(user=run.user, movement=stone.movement, year=stone.year)
    run.path.write_bytes(make(figures, stone))
    run.progress(1)
    return len(figures.by_unit)


def review_docx_produce(run: jobs.JobRun) -> int:
    return _review(
        run,
        lambda figures, stone: review_docx(
            figures=figures, stone=stone, issuer_unit=stone.movement.owner
        ),
    )


def review_xlsx_produce(run: jobs.JobRun) -> int:
    return _review(run, lambda figures, stone: review_xlsx(figures=figures, stone=stone))


REVIEW_LABELS = {"movement": _("Phong trào"), "milestone": _("Mốc")}
jobs.kind_register(
    jobs.JobKind(
        name=REGISTRATIONS_KIND,
        label=_("Đăng ký thi đua"),
        stem="dang-ky-thi-dua",
        produce=registrations_produce,
        parameter_labels={"year": _("Năm")},
    )
)
jobs.kind_register(
    jobs.JobKind(
        name=REVIEW_DOCX_KIND,
        label=_("Báo cáo sơ kết, tổng kết phong trào thi đua"),
        stem="bao-cao-phong-trao",
        produce=review_docx_produce,
        content_type=DOCX_TYPE,
        parameter_labels=REVIEW_LABELS,
    )
)
jobs.kind_register(
    jobs.JobKind(
        name=REVIEW_XLSX_KIND,
        label=_("Số liệu sơ kết, tổng kết phong trào thi đua"),
        stem="so-lieu-phong-trao",
        produce=review_xlsx_produce,
        parameter_labels=REVIEW_LABELS,
    )
)
