"""The council's pages: the secret ballot through the browser (a member casts once; nobody
sees a count while the session votes; after the close, each item's tally and the share needed
of all members), the minutes, the decision's pages, certificates and the revocation form."""

import io
import re
from datetime import date

import pytest
from django.test import Client
from django.urls import reverse
from docx import Document

from congvu.emulation import rules, services_council
from congvu.emulation.models import Achievement, BallotReceipt, CouncilSession
from congvu.emulation.tests.council_helpers import council_members, nomination, session

pytestmark = pytest.mark.django_db


def client(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


def url(name, *args):
    return reverse(f"emulation:{name}", args=args)


@pytest.fixture
def voting(province):
    members = council_members(province, 4)
    ldtt = nomination(province)
    cstdcs = nomination(province, who="nurse", award=rules.CSTDCS)
    return session(province, members, [ldtt, cstdcs]), members


def _cast(c, made, pick):
    items = made.items.order_by("pk").values_list("pk", flat=True)
    return c.post(url("council_ballot", made.pk), {f"item-{pk}": pick for pk in items})


def test_a_member_casts_the_ballot_once_through_the_page(voting):
    made, members = voting
    c = client(members[0])
    page = c.get(url("council_ballot", made.pk))
    assert page.status_code == 200 and 'type="radio"' in page.content.decode()
    assert _cast(c, made, rules.YES).status_code == 302
    again = _cast(c, made, rules.NO)
    assert "Bạn đã bỏ phiếu trong phiên họp này" in again.content.decode()
    assert list(made.items.values_list("yes", "no")) == [(1, 0), (1, 0)]
    assert BallotReceipt.objects.count() == 1


def test_an_incomplete_ballot_is_refused_with_a_message(voting):
    made, members = voting
    first = made.items.order_by("pk").first()
    response = client(members[0]).post(url("council_ballot", made.pk), {f"item-{first.pk}": "yes"})
    assert response.status_code == 400 and "mọi đề nghị" in response.content.decode()
    assert not BallotReceipt.objects.exists()


def test_non_members_do_not_reach_the_ballot(province, voting):
    made, _members = voting
    for who in ("snv", "head_syt", "staff", "outsider"):
        c = client(province.users[who])
        assert c.get(url("council_ballot", made.pk)).status_code == 404, who
        assert _cast(c, made, rules.YES).status_code == 404, who
    assert not BallotReceipt.objects.exists()


def _numbers_in_items_table(html: str) -> str:
    table = re.search(r'<table[^>]*id="session-items".*?</table>', html, re.S).group(0)
    return table


def test_no_page_shows_a_count_while_the_session_votes(province, voting):
    made, members = voting
    for member in members[:3]:
        _cast(client(member), made, rules.YES)
    for user in (province.users["snv"], members[0], members[3]):
        html = client(user).get(url("council_session_detail", made.pk)).content.decode()
        table = _numbers_in_items_table(html)
        assert "tally-yes" not in table and "Đồng ý" not in table
        assert 'id="cast-count">3/4<' in html  # how many have voted: that only
    mine = client(members[0]).get(url("council_session_detail", made.pk)).content.decode()
    assert "Bạn đã bỏ phiếu" in mine
    theirs = client(members[3]).get(url("council_session_detail", made.pk)).content.decode()
    assert "Bạn chưa bỏ phiếu" in theirs
    ballot = client(members[0]).get(url("council_ballot", made.pk)).content.decode()
    assert "ballot-done" in ballot and "checked" not in ballot
    listing = client(province.users["snv"]).get(url("council_session_list")).content.decode()
    assert "3/4" in listing
    assert client(province.users["snv"]).get(url("council_minutes", made.pk)).status_code == 404


def test_after_the_close_the_tallies_and_the_threshold_per_title_are_shown(province, voting):
    made, members = voting
    for member in members:
        _cast(client(member), made, rules.YES)
    snv = client(province.users["snv"])
    assert snv.post(url("council_session_close", made.pk)).status_code == 302
    html = snv.get(url("council_session_detail", made.pk)).content.decode()
    table = _numbers_in_items_table(html)
    assert table.count('class="tally-yes">4<') == 2
    assert "50% tổng số thành viên" in table and "80% tổng số thành viên" in table
    assert "Đề nghị khen thưởng" in table
    minutes = snv.get(url("council_minutes", made.pk))
    word = Document(io.BytesIO(minutes.content))
    cells = " ".join(c.text for t in word.tables for r in t.rows for c in r.cells)
    assert "BIÊN BẢN" in "\n".join(p.text for p in word.paragraphs)
    assert "Nguyễn Văn An" in cells and "80%" in cells


def test_sở_nội_vụ_convenes_a_session_adds_and_opens_it_through_the_pages(province):
    members = council_members(province, 3)
    checked = nomination(province)
    snv = client(province.users["snv"])
    response = snv.post(
        url("council_session_create"),
        {
            "title": "Phiên họp tháng 11",
            "unit": province.units["kh"].pk,
            "held_on": "20/11/2026",
            "members": [m.pk for m in members],
        },
    )
    assert response.status_code == 302, response.content.decode()
    made = CouncilSession.objects.get()
    assert made.member_count == 3
    page = snv.get(url("council_session_detail", made.pk)).content.decode()
    assert "add-items" in page
    snv.post(url("council_session_add", made.pk), {"nominations": [checked.pk]})
    snv.post(url("council_session_open", made.pk))
    made.refresh_from_db()
    checked.refresh_from_db()
    assert made.state == rules.VOTING and checked.state == rules.IN_SESSION


def test_the_session_form_refuses_bad_input_and_creates_nothing(province):
    snv = client(province.users["snv"])
    response = snv.post(
        url("council_session_create"),
        {"title": "", "unit": province.units["kh"].pk, "held_on": "31/02/2026"},
    )
    assert response.status_code == 400 and not CouncilSession.objects.exists()


# --- Decisions, certificates, revocation -------------------------------------------------------


@pytest.fixture
def issued(province):
    nomination(province, state=rules.APPROVED)
    nomination(province, who="nurse", state=rules.APPROVED)
    snv = client(province.users["snv"])
    response = snv.post(
        url("decision_create"),
        {
            "unit": province.units["kh"].pk,
            "award": rules.LDTT,
            "year": 2025,
            "issuer": "Ủy ban nhân dân tỉnh Khánh Hòa",
            "signer_title": "Chủ tịch",
            "signer_name": "Nguyễn Văn Chủ",
        },
    )
    assert response.status_code == 302, response.content.decode()
    pk = int(response["Location"].rstrip("/").split("/")[-1])
    response = snv.post(
        url("decision_issue", pk), {"number": "125/QĐ-UBND", "signed_on": "20/11/2026"}
    )
    assert response.status_code == 302
    return pk


def test_the_decision_page_lists_the_lines_with_bonuses(province, issued):
    html = client(province.users["snv"]).get(url("decision_detail", issued)).content.decode()
    assert "Quyết định số" in html and "125/QĐ-UBND" in html
    assert "702.000" in html and "1.404.000" in html
    assert client(province.users["snv"]).get(url("decision_docx", issued)).status_code == 200
    xlsx = client(province.users["snv"]).get(url("decision_xlsx", issued))
    assert xlsx.status_code == 200 and "spreadsheetml" in xlsx["Content-Type"]


def test_certificates_print_the_title_the_person_and_the_decision(province, issued):
    line = Achievement.objects.filter(staff=province.staff["syt_cc"]).get()
    html = (
        client(province.users["snv"]).get(url("achievement_certificate", line.pk)).content.decode()
    )
    assert "LAO ĐỘNG TIÊN TIẾN" in html and "Nguyễn Văn An" in html
    assert "125/QĐ-UBND" in html and "20/11/2026" in html and "certificate.css" in html
    every = client(province.users["snv"]).get(url("decision_certificates", issued)).content.decode()
    assert every.count('class="certificate"') == 2
    # The person's own unit head reads it (emulation.view over the unit then).
    assert (
        client(province.users["head_syt"]).get(url("achievement_certificate", line.pk)).status_code
        == 200
    )
    assert (
        client(province.users["head_stp"]).get(url("achievement_certificate", line.pk)).status_code
        == 404
    )


def test_a_revoked_line_is_struck_through_with_its_reason(province, issued):
    line = Achievement.objects.filter(staff=province.staff["syt_cc"]).get()
    snv = client(province.users["snv"])
    form = snv.get(url("achievement_revoke", line.pk))
    assert form.status_code == 200 and "Gian dối trong kê khai thành tích" in form.content.decode()
    bad = snv.post(
        url("achievement_revoke", line.pk), {"ground": "gian_doi", "reason": "", "document": ""}
    )
    assert bad.status_code == 400
    done = snv.post(
        url("achievement_revoke", line.pk),
        {"ground": "gian_doi", "reason": "Kê khai không đúng", "document": "QĐ 301/QĐ-UBND"},
    )
    assert done.status_code == 302
    line.refresh_from_db()
    assert line.revoked_at is not None
    html = snv.get(url("decision_detail", issued)).content.decode()
    assert "<del>Nguyễn Văn An</del>" in html and "Kê khai không đúng" in html
    assert "702.000" in html  # the other line's bonus; the total now counts it alone
    assert 'id="decision-total">702.000<' in html
    assert snv.get(url("achievement_certificate", line.pk)).status_code == 404
    assert (
        client(province.users["head_syt"]).get(url("achievement_revoke", line.pk)).status_code
        == 404
    )


def test_a_draft_refuses_a_title_with_no_approved_nomination(province):
    response = client(province.users["snv"]).post(
        url("decision_create"),
        {
            "unit": province.units["kh"].pk,
            "award": rules.CSTD_TINH,
            "year": 2025,
            "issuer": "UBND tỉnh",
            "signer_title": "Chủ tịch",
            "signer_name": "A",
        },
    )
    assert response.status_code == 400 and "Không có hồ sơ" in response.content.decode()


def test_signed_on_in_the_future_is_refused(province):
    nomination(province, state=rules.APPROVED)
    with pytest.raises(Exception, match="Ngày ký"):
        services_council.decision_draft(
            actor=province.users["snv"],
            spec=services_council.DecisionSpec(
                unit=province.units["kh"],
                award=rules.LDTT,
                year=2025,
                issuer="UBND",
                signer_title="Chủ tịch",
                signer_name="A",
                signed_on=date(2027, 1, 1),
            ),
        )
