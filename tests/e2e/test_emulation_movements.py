"""In Chromium at 1280 and 360 px: the movements, registrations and clusters pages fit the
screen — the movement list, detail and form, a unit head's registration list being edited,
Sở Nội vụ's overview of the year, a member's scoring sheet and the closed ranking."""

from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from congvu.emulation import rules
from congvu.emulation import services_movements as services
from tests.e2e.conftest import login
from tests.e2e.test_layout import assert_fits

pytestmark = pytest.mark.e2e
SHOTS = Path("/tmp/shots/movements")


@pytest.fixture
def emulation(province):
    snv, head = province.users["snv"], province.users["head_syt"]
    movement = services.movement_733_seed(snv, province.units["kh"])
    reg = services.registration_list_open(actor=head, unit=province.units["syt"], year=2026)
    services.registration_add(actor=head, registration_list=reg, award=rules.TTLDXS)
    services.registration_add(
        actor=head, registration_list=reg, award=rules.CSTDCS, staff=province.staff["syt_cc"]
    )
    cluster = services.cluster_create(actor=snv, name="Khối các sở, ban, ngành", kind=rules.KHOI)
    year = services.cluster_year_save(
        actor=snv,
        cluster=cluster,
        year=2026,
        members=[province.units["syt"], province.units["stp"], province.units["snv"]],
        leader=province.units["syt"],
        criteria_text=(
            "tc1 | Hoàn thành nhiệm vụ chính trị được giao | 60\n"
            "tc2 | Thực hiện văn hóa công sở, văn hóa công vụ | 40"
        ),
    )
    services.cluster_scoring_open(actor=snv, cluster_year=year)
    services.cluster_scores_set(
        actor=province.users["head_stp"],
        cluster_year=year,
        scorer=province.units["stp"],
        points={(province.units["syt"].pk, "tc1"): "55"},
    )
    return movement, reg, year


def _visit(page: Page, url: str, shot: str, width: int) -> None:
    response = page.goto(url)
    assert response is not None and response.status == 200, url
    expect(page.locator("h1").first).to_be_visible()
    page.wait_for_load_state("load")
    assert_fits(page)
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SHOTS / f"{shot}-{width}.png", full_page=True)


def test_the_movements_pages_fit_the_screen(
    page: Page, new_page, site, province, emulation, viewport_width
):
    movement, reg, year = emulation
    login(page, site, "gd_syt")
    _visit(page, f"{site}/thi-dua/phong-trao/{movement.pk}/", "movement-detail", viewport_width)
    _visit(page, f"{site}/thi-dua/dang-ky/{reg.pk}/", "registration-edit", viewport_width)
    _visit(
        page, f"{site}/thi-dua/cum-khoi/nam/{year.pk}/cham-diem/", "cluster-score", viewport_width
    )
    page.fill(f"#d-{province.units['stp'].pk}-tc1", "50")
    page.click("#score-save")
    expect(page.locator(".alert-success, .alert").first).to_be_visible()
    assert_fits(page)

    snv = new_page()
    login(snv, site, "sonoivu")
    _visit(snv, f"{site}/thi-dua/phong-trao/", "movement-list", viewport_width)
    _visit(snv, f"{site}/thi-dua/phong-trao/{movement.pk}/sua/", "movement-form", viewport_width)
    _visit(snv, f"{site}/thi-dua/dang-ky/?nam=2026", "registration-index", viewport_width)
    _visit(snv, f"{site}/thi-dua/cum-khoi/", "cluster-list", viewport_width)
    _visit(snv, f"{site}/thi-dua/cum-khoi/nam/{year.pk}/", "cluster-detail", viewport_width)
    snv.click("#cluster-close")
    _visit(
        snv, f"{site}/thi-dua/cum-khoi/nam/{year.pk}/xep-hang/", "cluster-ranking", viewport_width
    )
    expect(snv.locator("#ranking")).to_contain_text("Được đề nghị")
