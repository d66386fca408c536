"""In Chromium at 1280 and 360 px: the council's pages fit the screen — a member casts the
secret ballot by tapping the big choices, Sở Nội vụ's session page (voting, then closed with
its tallies), the decision page and a certificate. Screenshots at 360 px go to
/tmp/shots/council/ for a look."""

from datetime import date
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from congvu.emulation import rules, services_council
from congvu.emulation.models import Achievement
from congvu.emulation.tests.council_helpers import council_members, nomination, session
from tests.e2e.conftest import login
from tests.e2e.test_layout import assert_fits

pytestmark = pytest.mark.e2e

SHOTS = Path("/tmp/shots/council")


def _shot(page: Page, name: str, width: int) -> None:
    if width == 360:
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=SHOTS / f"{name}.png", full_page=True)


def _visit(page: Page, url: str) -> None:
    response = page.goto(url)
    assert response is not None and response.status == 200, url
    expect(page.locator("h1").first).to_be_visible()
    page.wait_for_load_state("load")
    assert_fits(page)


def test_the_council_pages_fit_the_screen(new_page, site, province, viewport_width):
    members = council_members(province, 3)
    made = session(
        province,
        members,
        [nomination(province), nomination(province, who="nurse", award=rules.CSTDCS)],
    )
    decided = nomination(province, who="stp_cc", state=rules.APPROVED)
    decision = services_council.decision_draft(
        actor=province.users["snv"],
        spec=services_council.DecisionSpec(
            unit=province.units["kh"],
            award=rules.LDTT,
            year=2025,
            issuer="Ủy ban nhân dân tỉnh Khánh Hòa",
            signer_title="Chủ tịch",
            signer_name="Nguyễn Văn Chủ",
        ),
    )
    services_council.decision_issue(
        actor=province.users["snv"],
        decision=decision,
        number="125/QĐ-UBND",
        signed_on=date(2026, 11, 20),
    )
    line = Achievement.objects.get(nomination=decided)

    member = new_page()
    login(member, site, "hoidong")
    _visit(member, f"{site}/thi-dua/hoi-dong/{made.pk}/phieu/")
    _shot(member, "ballot", viewport_width)
    for label in member.locator("label.btn", has_text="Đồng ý").all():
        if label.inner_text().strip() == "Đồng ý":
            label.click()
    member.locator("#ballot-cast").click()
    expect(member.locator("#ballot-done")).to_be_visible()
    assert_fits(member)

    snv = new_page()
    login(snv, site, "sonoivu")
    _visit(snv, f"{site}/thi-dua/hoi-dong/{made.pk}/")
    expect(snv.locator("#cast-count")).to_have_text("1/3")
    _shot(snv, "session-voting", viewport_width)
    snv.locator("#session-close").click()
    expect(snv.locator(".tally-yes").first).to_have_text("1")
    assert_fits(snv)
    _shot(snv, "session-closed", viewport_width)
    _visit(snv, f"{site}/thi-dua/hoi-dong/")
    _visit(snv, f"{site}/thi-dua/hoi-dong/tao/")
    _shot(snv, "session-form", viewport_width)
    _visit(snv, f"{site}/thi-dua/quyet-dinh/")
    _visit(snv, f"{site}/thi-dua/quyet-dinh/lap/")
    _visit(snv, f"{site}/thi-dua/quyet-dinh/{decision.pk}/")
    expect(snv.locator("#decision-lines")).to_contain_text("702.000")
    _shot(snv, "decision", viewport_width)
    _visit(snv, f"{site}/thi-dua/khen-thuong/{line.pk}/huy-bo/")
    _shot(snv, "revoke", viewport_width)
    _visit(snv, f"{site}/thi-dua/khen-thuong/{line.pk}/bang-khen/")
    expect(snv.locator(".certificate .award")).to_have_text("LAO ĐỘNG TIÊN TIẾN")
    _shot(snv, "certificate", viewport_width)
    _visit(snv, f"{site}/thi-dua/quyet-dinh/{decision.pk}/bang-khen/")
