"""Issue 13's whole flow in Chromium, at 1280 and 360 px: the head of Sở Y tế proposes a person
of the unit (rated HTT in 2025, with a recognised initiative) for Chiến sĩ thi đua cơ sở 2025;
the engine explains why the person qualifies (each condition with its legal source); the unit
submits, Sở Nội vụ checks, convenes the council in the browser, each member casts the secret
ballot on the ballot page, Sở Nội vụ closes the session (tally against the 80 % threshold),
drafts and issues the decision (bonus 2.340.000 đồng = 1,0 × lương cơ sở), the public honour
board shows the person; then Sở Nội vụ revokes the achievement and the board drops it.

Set-up that is not the point (the rating, the initiative, the council role) goes through the
test factories and services. Every page is checked to fit the screen (no sideways scroll), and
the engine's explanation, the ballot, the decision and the board are photographed into
/tmp/shots/flow/<name>-<width>.png."""

from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from congvu.emulation import rules
from congvu.emulation.models import Achievement, Nomination
from congvu.emulation.tests.council_helpers import council_members
from congvu.emulation.tests.factories import initiative, rate
from tests.e2e.conftest import login
from tests.e2e.test_layout import assert_fits

pytestmark = pytest.mark.e2e

SHOTS = Path("/tmp/shots/flow")
NAME = "Nguyễn Văn An"  # province.staff["syt_cc"], of Sở Y tế
INITIATIVE = "Số hóa hồ sơ bệnh án ngoại trú, rút ngắn thời gian chờ khám"


def _shot(page: Page, name: str, width: int) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SHOTS / f"{name}-{width}.png", full_page=True)


def _settled(page: Page) -> None:
    """The page after a navigation: its heading shown, its styles loaded, no sideways scroll."""
    expect(page.locator("h1").first).to_be_visible()
    page.wait_for_load_state("load")
    assert_fits(page)


def _visit(page: Page, url: str) -> None:
    response = page.goto(url)
    assert response is not None and response.status == 200, url
    _settled(page)


def _move(page: Page, move: str, state: str) -> None:
    """Press the nomination's move button ``move`` and wait for the new state."""
    page.locator(f"#nomination-moves button[name=move][value={move}]").click()
    expect(page.locator("#nomination-state")).to_have_attribute("data-state", state)
    _settled(page)


def test_a_person_is_proposed_voted_decided_shown_and_revoked(
    new_page, site, province, viewport_width
):
    person = province.staff["syt_cc"]
    rate(province.units["kh"], person, {2025: "HTT"})
    initiative(person, year=2025, title=INITIATIVE)
    members = council_members(province, 3)  # hoidong, hoidong1, hoidong2: the council role
    width = viewport_width

    # --- The unit head proposes the person, the engine explains --------------------------
    head = new_page()
    login(head, site, "gd_syt")
    _visit(head, f"{site}/to-chuc/can-bo/{person.pk}/")
    head.locator("#staff-emulation").click()
    expect(head).to_have_url(f"{site}/thi-dua/ca-nhan/{person.pk}/")
    _settled(head)
    expect(head.locator("#initiatives")).to_contain_text(INITIATIVE)
    head.locator("#propose").click()
    expect(head.locator("#nomination-form")).to_be_visible()
    _settled(head)
    form = head.locator("#nomination-form")
    form.locator("#id_award").select_option(rules.CSTDCS)
    expect(form.locator("#id_year")).to_have_value("2025")
    form.locator("#id_summary").fill(
        "Hoàn thành tốt nhiệm vụ; chủ trì sáng kiến số hóa hồ sơ bệnh án ngoại trú."
    )
    form.get_by_label(INITIATIVE, exact=False).check()
    form.get_by_role("button", name="Lập hồ sơ và kiểm tra điều kiện").click()
    expect(head).to_have_url(f"{site}/thi-dua/de-nghi/{Nomination.objects.get().pk}/")
    nomination = Nomination.objects.get()
    _settled(head)

    report = head.locator("#engine-report")
    expect(report.locator("[data-result]")).to_have_text("Đủ điều kiện")
    rating = report.locator("li.check", has_text="Xếp loại hoàn thành tốt nhiệm vụ trở lên")
    expect(rating).to_have_attribute("data-passed", "true")
    expect(rating).to_contain_text("✅")
    expect(rating.locator(".visually-hidden")).to_have_text("Đạt:")
    expect(rating).to_contain_text("năm 2025: HTT")
    expect(rating).to_contain_text("Luật Thi đua, khen thưởng")
    expect(rating).to_contain_text("Điều 24")
    idea_line = report.locator("li.check", has_text="sáng kiến được công nhận cấp cơ sở")
    expect(idea_line).to_have_attribute("data-passed", "true")
    expect(idea_line).to_contain_text("✅")
    expect(idea_line).to_contain_text("Điều 23")
    expect(idea_line).to_contain_text("xếp loại HTT")
    assert report.locator("li.check[data-passed=false]").count() == 0
    _shot(head, "engine", width)
    _move(head, "submit", rules.SUBMITTED)

    # --- Sở Nội vụ checks it and convenes the council ------------------------------------
    snv = new_page()
    login(snv, site, "sonoivu")
    _visit(snv, f"{site}/thi-dua/de-nghi/{nomination.pk}/")
    _move(snv, "check", rules.CHECKED)

    _visit(snv, f"{site}/thi-dua/hoi-dong/tao/")
    session_form = snv.locator("#session-form")
    session_form.locator("#id_title").fill("Phiên họp xét Chiến sĩ thi đua cơ sở năm 2025")
    session_form.locator("#id_unit").select_option(str(province.units["kh"].pk))
    expect(session_form.locator("#id_held_on")).to_have_value("21/11/2026")
    for member in members:
        session_form.locator(f"input[name=members][value='{member.pk}']").check()
    session_form.get_by_role("button", name="Tạo phiên họp").click()
    expect(snv.locator("#session-facts")).to_be_visible()
    _settled(snv)
    session_url = snv.url
    snv.locator("#add-items").get_by_label(NAME, exact=False).check()
    snv.locator("#add-items").get_by_role("button", name="Đưa vào phiên họp").click()
    expect(snv.locator("#session-items")).to_contain_text(NAME)
    expect(snv.locator("#session-items .threshold")).to_contain_text("80%")
    snv.locator("#session-open").click()
    expect(snv.locator("#cast-count")).to_have_text("0/3")
    _settled(snv)

    # --- Each member votes in the browser --------------------------------------------------
    for n, member in enumerate(members):
        voter = new_page()
        login(voter, site, member.username)
        _visit(voter, session_url)
        voter.locator("#ballot-link").click()
        expect(voter.locator("#ballot-form")).to_be_visible()
        _settled(voter)
        item = voter.locator("fieldset.ballot-item")
        expect(item).to_have_count(1)
        expect(item).to_contain_text(NAME)
        expect(item).to_contain_text("Chiến sĩ thi đua cơ sở 2025")
        item.locator("label", has_text="Đồng ý").first.click()
        expect(item.locator("input[value=yes]")).to_be_checked()
        if n == 0:
            _shot(voter, "ballot", width)
        voter.locator("#ballot-cast").click()
        expect(voter.locator("#ballot-done")).to_be_visible()
        _settled(voter)
        voter.context.close()

    # --- Sở Nội vụ closes the session: the tally against the threshold --------------------
    _visit(snv, session_url)
    expect(snv.locator("#cast-count")).to_have_text("3/3")
    snv.locator("#session-close").click()
    row = snv.locator("#session-items tbody tr", has_text=NAME)
    expect(row.locator(".tally-yes")).to_have_text("3")
    expect(row.locator(".threshold")).to_contain_text("80%")
    expect(row).to_contain_text("Đề nghị khen thưởng")
    _settled(snv)
    _shot(snv, "session-closed", width)

    # --- The decision: drafted, issued, with the bonus ---------------------------------------
    _visit(snv, f"{site}/thi-dua/quyet-dinh/lap/")
    draft = snv.locator("#decision-form")
    draft.locator("#id_unit").select_option(str(province.units["kh"].pk))
    draft.locator("#id_award").select_option(rules.CSTDCS)
    draft.locator("#id_year").fill("2025")
    draft.locator("#id_signer_name").fill("Nguyễn Văn Chủ")
    draft.get_by_role("button", name="Lập dự thảo").click()
    expect(snv.locator("#decision-pending")).to_contain_text(NAME)
    _settled(snv)
    issue = snv.locator("#issue-form")
    issue.locator("#id_number").fill("215/QĐ-UBND")
    issue.locator("#id_signed_on").fill("20/11/2026")
    issue.get_by_role("button", name="Ban hành quyết định").click()
    expect(snv.locator("h1")).to_have_text("Quyết định số 215/QĐ-UBND ngày 20/11/2026")
    _settled(snv)
    line = snv.locator("#decision-lines tbody tr", has_text=NAME)
    expect(line.locator(".money")).to_have_text("2.340.000")
    expect(line.locator(".bonus-basis")).to_contain_text("1,0 × 2.340.000")
    expect(snv.locator("#decision-total")).to_have_text("2.340.000")
    decision_url = snv.url
    _shot(snv, "decision", width)
    _visit(snv, f"{site}/thi-dua/de-nghi/{nomination.pk}/")
    expect(snv.locator("#nomination-state")).to_have_attribute("data-state", rules.DECIDED)
    expect(snv.locator("#nomination-outcome")).to_contain_text("215/QĐ-UBND")

    # --- The public honour board, no login ---------------------------------------------------
    public = new_page()
    _visit(public, f"{site}/thi-dua/bang-vang/")
    entry = public.locator("#board-entries article.entry", has_text=NAME)
    expect(entry).to_have_count(1)
    expect(entry.locator(".title")).to_have_text("Chiến sĩ thi đua cơ sở")
    expect(entry).to_contain_text("215/QĐ-UBND")
    _shot(public, "board", width)

    # --- Revocation: Sở Nội vụ's form on the decision page; the board drops the person -------
    _visit(snv, decision_url)
    line.get_by_role("link", name="Hủy bỏ").click()
    revoke = snv.locator("#revoke-form")
    expect(revoke).to_be_visible()
    _settled(snv)
    revoke.locator("input[name=ground][value=vi_pham_sau]").check()
    revoke.locator("#id_reason").fill("Kết luận thanh tra: vi phạm trong thời gian lập thành tích")
    revoke.locator("#id_document").fill("Quyết định 301/QĐ-UBND ngày 21/11/2026")
    revoke.get_by_role("button", name="Hủy bỏ khen thưởng").click()
    expect(snv).to_have_url(decision_url)
    expect(line.locator(".revoke-note")).to_contain_text("Đã hủy bỏ")
    expect(snv.locator("#decision-total")).to_have_text("0")
    _settled(snv)
    assert Achievement.objects.get(nomination=nomination).revoked_at is not None

    _visit(public, f"{site}/thi-dua/bang-vang/")
    expect(public.locator("#board-entries")).not_to_contain_text(NAME)
