"""Award decisions, bonuses, initiatives used once, revocation: a decision drafted from the
approved nominations of one title and year, issued in one transaction (an achievement per
nomination with its bonus = the base salary of the day signed × the multiplier), refused whole
when an initiative was already used; the Word decision and the workbook; a revocation that
keeps the row."""

import io
from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from docx import Document
from openpyxl import load_workbook

from congvu.core.models import AuditLog
from congvu.emulation import documents_council, rules, services_council
from congvu.emulation.models import Achievement, AwardDecision, Initiative, NominationStep
from congvu.emulation.services import initiative_use
from congvu.emulation.tests.council_helpers import initiative, nomination

pytestmark = pytest.mark.django_db


def draft(p, *, award=rules.LDTT, year=2025, actor="snv", **more):
    spec = services_council.DecisionSpec(
        unit=p.units["kh"],
        award=award,
        year=year,
        issuer="Ủy ban nhân dân tỉnh Khánh Hòa",
        signer_title="Chủ tịch",
        signer_name="Nguyễn Văn Chủ",
        **more,
    )
    return services_council.decision_draft(actor=p.users[actor], spec=spec)


def issue(p, decision, number="125/QĐ-UBND", day=date(2026, 11, 20)):
    return services_council.decision_issue(
        actor=p.users["snv"], decision=decision, number=number, signed_on=day
    )


def test_ldtt_bonus_is_three_tenths_of_the_base_salary(province):
    person = nomination(province, state=rules.APPROVED)
    decision = issue(province, draft(province))
    line = Achievement.objects.get(nomination=person)
    assert (line.bonus_base, line.bonus_multiplier, line.bonus_amount) == (
        2_340_000,
        Decimal("0.30"),
        702_000,
    )
    assert (line.staff, line.unit_then, line.decision, line.year, line.award) == (
        province.staff["syt_cc"],
        province.units["syt"],
        decision,
        2025,
        rules.LDTT,
    )
    assert line.citation == person.summary
    person.refresh_from_db()
    assert person.state == rules.DECIDED
    assert NominationStep.objects.filter(nomination=person, move="decide").exists()
    assert AuditLog.objects.filter(action="emulation.decision_issue").count() == 1


def test_a_collectives_bonus_uses_the_collectives_multiplier(province):
    nomination(
        province, who="stp", award=rules.TTLDTT, state=rules.APPROVED, unit=province.units["stp"]
    )
    issue(province, draft(province, award=rules.TTLDTT))
    line = Achievement.objects.get()
    assert (line.unit, line.staff, line.bonus_amount) == (province.units["stp"], None, 1_872_000)


def test_a_draft_holds_only_approved_nominations_of_its_title_and_year(province):
    wanted = nomination(province, state=rules.APPROVED)
    nomination(province, who="nurse", state=rules.CHECKED)
    nomination(province, who="stp_cc", state=rules.APPROVED, year=2024)
    decision = draft(province)
    assert list(decision.nominations.all()) == [wanted]
    with pytest.raises(ValidationError, match="Không có hồ sơ"):
        draft(province)  # the draft already holds it


def test_only_sở_nội_vụ_drafts_and_issues(province):
    nomination(province, state=rules.APPROVED)
    with pytest.raises(PermissionDenied):
        draft(province, actor="head_syt")
    decision = draft(province)
    with pytest.raises(PermissionDenied):
        services_council.decision_issue(
            actor=province.users["head_syt"],
            decision=decision,
            number="1",
            signed_on=date(2026, 11, 1),
        )


def test_issuing_uses_each_initiative_once_and_refuses_the_whole_decision_if_one_was_used(
    province,
):
    first = nomination(province, state=rules.APPROVED)
    second = nomination(province, who="nurse", state=rules.APPROVED)
    fresh = initiative(province, title="Sáng kiến mới")
    used = initiative(province, who="nurse", title="Sáng kiến đã dùng")
    first.initiatives.add(fresh)
    second.initiatives.add(used)
    earlier = nomination(province, who="nurse", year=2024, award=rules.CSTDCS, state=rules.DECIDED)
    initiative_use(initiative=used, nomination=earlier, at=earlier.created_at)
    decision = draft(province)
    with pytest.raises(ValidationError, match="Sáng kiến đã dùng"):
        issue(province, decision)
    fresh.refresh_from_db(), first.refresh_from_db()
    assert fresh.used_for == "" and first.state == rules.APPROVED
    assert not Achievement.objects.exists()
    decision.refresh_from_db()
    assert decision.issued_at is None and decision.number == ""


def test_an_initiative_is_written_once(province):
    one = nomination(province, state=rules.APPROVED)
    made = initiative(province)
    initiative_use(initiative=made, nomination=one, at=one.created_at)
    made.refresh_from_db()
    assert (made.used_for, made.used_by) == (rules.LDTT, one)
    with pytest.raises(ValidationError, match="đã được dùng"):
        initiative_use(initiative=made, nomination=nomination(province), at=one.created_at)
    assert Initiative.objects.get().used_by == one


def test_issue_needs_a_number_and_a_day_and_happens_once(province):
    nomination(province, state=rules.APPROVED)
    decision = draft(province)
    with pytest.raises(ValidationError, match="số quyết định"):
        issue(province, decision, number=" ")
    with pytest.raises(ValidationError, match="Ngày ký"):
        issue(province, decision, day=date(2027, 1, 1))
    issue(province, decision)
    with pytest.raises(ValidationError, match="đã được ban hành"):
        issue(province, decision)
    assert Achievement.objects.count() == 1


def test_the_word_decision_and_the_workbook_list_every_line_with_its_bonus(province):
    nomination(province, state=rules.APPROVED)
    nomination(province, who="nurse", state=rules.APPROVED)
    decision = issue(province, draft(province))
    lines = list(decision.lines.select_related("staff", "unit_then").order_by("pk"))
    word = Document(io.BytesIO(documents_council.decision_docx(decision=decision, lines=lines)))
    text = "\n".join(p.text for p in word.paragraphs)
    cells = "\n".join(c.text for t in word.tables for r in t.rows for c in r.cells)
    assert "QUYẾT ĐỊNH" in text and "Về việc tặng Lao động tiên tiến năm 2025" in text
    assert "Điều 1." in text and "Điều 2." in text and "Điều 3." in text
    assert "Nguyễn Văn An" in cells and "702.000" in cells and "Số: 125/QĐ-UBND" in cells
    assert "Tổng số tiền thưởng: 1.404.000 đồng." in text
    book = load_workbook(
        io.BytesIO(_save(documents_council.decision_workbook(decision=decision, lines=lines)))
    )
    rows = list(book.active.iter_rows(values_only=True))
    assert ("Nguyễn Văn An", 702_000) in {(row[1], row[7]) for row in rows[1:]}


def _save(book) -> bytes:
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def test_money_is_written_with_dots():
    assert documents_council.money(702_000) == "702.000"
    assert documents_council.money(12_345_678) == "12.345.678"


# --- Revocation --------------------------------------------------------------------------------


def test_a_revocation_keeps_the_row_with_its_ground_and_an_audit_record(province):
    nomination(province, state=rules.APPROVED)
    issue(province, draft(province))
    line = Achievement.objects.get()
    services_council.achievement_revoke(
        actor=province.users["snv"],
        achievement=line,
        ground="gian_doi",
        reason="Kê khai sáng kiến không có thật",
        document="Quyết định 301/QĐ-UBND ngày 20/11/2026",
    )
    line.refresh_from_db()
    assert line.revoked and line.revoke_ground == "gian_doi"
    assert line.bonus_amount == 702_000  # nothing else changes
    assert line.history.count() == 2
    assert AuditLog.objects.filter(action="emulation.achievement_revoke").count() == 1
    with pytest.raises(ValidationError, match="đã bị hủy bỏ"):
        services_council.achievement_revoke(
            actor=province.users["snv"],
            achievement=line,
            ground="gian_doi",
            reason="x",
            document="y",
        )


def test_a_revocation_needs_a_ground_a_reason_and_a_document_and_the_right(province):
    nomination(province, state=rules.APPROVED)
    issue(province, draft(province))
    line = Achievement.objects.get()
    snv = province.users["snv"]
    for ground, reason, document, message in (
        ("khac", "Lý do", "QĐ 1", "Căn cứ"),
        ("gian_doi", " ", "QĐ 1", "lý do"),
        ("gian_doi", "Lý do", "", "quyết định hủy bỏ"),
    ):
        with pytest.raises(ValidationError, match=message):
            services_council.achievement_revoke(
                actor=snv, achievement=line, ground=ground, reason=reason, document=document
            )
    with pytest.raises(PermissionDenied):
        services_council.achievement_revoke(
            actor=province.users["head_syt"],
            achievement=line,
            ground="gian_doi",
            reason="a",
            document="b",
        )
    line.refresh_from_db()
    assert not line.revoked and AwardDecision.objects.count() == 1
