"""In Chromium at 1280 and 360 px: every page of issue 12 that the flows do not walk through
fits the screen — inspections (list, new plan, new inspection, team, inspection, checklist),
discipline cases (list, a case with a pause), a unit's internal rules and Sở Nội vụ's
overview, violations (list, record form, statistics)."""

from datetime import date

import pytest
from playwright.sync_api import Page, expect

from congvu.core.actors import SYSTEM
from congvu.discipline import cases
from congvu.inspections import services as inspections
from congvu.inspections.tests.factories import inspection_of_syt
from congvu.standards.services import catalogues_load
from tests.e2e.conftest import login
from tests.e2e.test_layout import assert_fits
from tests.e2e.test_violations import VHCS

pytestmark = pytest.mark.e2e


@pytest.fixture
def issue12(province):
    catalogues_load(actor=SYSTEM, paths=[VHCS])  # the standards findings and violations name
    inspection = inspection_of_syt(province)
    snv = province.users["snv"]
    inspections.team_set(
        actor=snv, inspection=inspection, lead=snv, members=[province.users["head_stp"]]
    )
    inspections.inspection_start(actor=snv, inspection=inspection)
    case = cases.case_open(
        actor=province["head_syt"],
        staff=province.staff["nurse"],
        spec=cases.CaseSpec(
            committed_on=date(2026, 9, 1),
            detected_on=date(2026, 10, 1),
            level="khien_trach",
            description="Không đeo thẻ khi làm việc tại khoa khám bệnh",
        ),
    )
    cases.case_pause(
        actor=province["head_syt"],
        case=case,
        reason="illness",
        start=date(2026, 10, 5),
        end=date(2026, 10, 20),
    )
    closed = inspection_of_syt(province, kind="unannounced")
    inspections.team_set(actor=snv, inspection=closed, lead=snv, members=[])
    inspections.inspection_start(actor=snv, inspection=closed)
    for n, item in enumerate(closed.items.order_by("position")):
        bad = item.code.startswith("G")  # the free item: a finding the lead ties by hand
        inspections.answer_record(
            actor=snv,
            key=f"e2e-closed-{n:04d}-0a1b2c3d",
            item=item,
            result="not_compliant" if bad else "compliant",
            note="Không có sổ góp ý" if bad else "",
        )
    inspections.inspection_close(actor=snv, inspection=closed)
    return inspection, case, closed


def test_every_issue_12_page_fits_the_screen(page: Page, site, province, issue12):
    inspection, case, closed = issue12
    login(page, site, "sonoivu")
    for path in (
        "/kiem-tra/",
        "/kiem-tra/ke-hoach/moi/",
        "/kiem-tra/moi/",
        f"/kiem-tra/{inspection.pk}/",
        f"/kiem-tra/{inspection.pk}/doan/",
        f"/kiem-tra/{inspection.pk}/phieu/",
        f"/kiem-tra/{closed.pk}/",  # closed: its free finding with the form to name a standard
        "/ky-luat/vu-viec/",
        f"/ky-luat/vu-viec/{case.pk}/",
        "/vi-pham/",
        "/vi-pham/ghi/",
        "/vi-pham/thong-ke/",
        "/tieu-chi/noi-quy/",
        f"/tieu-chi/noi-quy/don-vi/{province.units['syt'].pk}/",
    ):
        response = page.goto(site + path)
        assert response is not None and response.status == 200, path
        expect(page.locator("h1").first).to_be_visible()
        page.wait_for_load_state("load")
        assert_fits(page)
