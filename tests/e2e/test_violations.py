"""In Chromium: Sở Y tế's head records a violation on an official, enters the discipline
decision from the official's page; the page shows the effects in force (the salary-raise delay
among them); once the council concludes and publishes, the official's own evaluation for the
year reads "không hoàn thành nhiệm vụ" with the discipline as its reason. Sở Nội vụ sees the
statistics. At 1280 and 360 px."""

from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from congvu.core.actors import SYSTEM
from congvu.evaluations import services as evaluations
from congvu.evaluations.tests import factories as f
from congvu.standards.models import Criterion
from congvu.standards.services import catalogues_load
from congvu.violations.models import Violation
from tests.e2e.conftest import login, menu_link
from tests.e2e.test_layout import assert_fits

pytestmark = pytest.mark.e2e

VHCS = Path(__file__).resolve().parents[2] / "congvu/standards/catalogues/vhcs/2007.1.yaml"


@pytest.fixture
def reviewed(province, tmp_path):
    """An (Sở Y tế) self-assessed and reviewed in the 2026 cycle; QĐ 129's catalogue loaded."""
    catalogues_load(actor=SYSTEM, paths=[VHCS])
    version = f.load(tmp_path, f.individual_doc())
    cycle = f.cycle(province["head_syt"], version, province.units["syt"])
    an = f.evaluation_of(cycle, province.staff["syt_cc"])
    return f.to_reviewed(province["staff"], province["head_syt"], an)


def test_a_violation_a_decision_and_their_effects(new_page, site, province, reviewed):
    an = province.staff["syt_cc"]
    head: Page = new_page()
    login(head, site, "gd_syt")
    menu_link(head, "Vi phạm và khắc phục").click()
    head.get_by_role("link", name="Ghi nhận vi phạm").click()
    form = head.locator("#violation-form")
    form.get_by_label("Đơn vị", exact=True).select_option(label="KHA-SYT — Sở Y tế")
    form.get_by_label("Mã cán bộ vi phạm").fill(an.code)
    card = Criterion.objects.filter(stable_id="vhcs.the.1").latest("pk")
    form.get_by_label("Tiêu chuẩn bị vi phạm").select_option(value=str(card.pk))
    form.get_by_label("Ngày vi phạm").fill("03/11/2026")
    form.get_by_label("Ngày phát hiện").fill("03/11/2026")
    form.get_by_label("Nội dung vi phạm").fill("Không đeo thẻ công chức khi tiếp công dân")
    assert_fits(head)
    form.get_by_role("button", name="Ghi nhận").click()
    expect(head.locator("main")).to_contain_text("Đã ghi nhận vi phạm.")
    expect(head.locator("#violation-facts")).to_contain_text("Nguyễn Văn An")
    assert Violation.objects.get().staff == an
    assert_fits(head)

    head.locator("#violation-facts").get_by_role("link", name="Nguyễn Văn An").click()
    head.get_by_role("link", name="Ghi nhận quyết định kỷ luật").click()
    decision = head.locator("#decision-form")
    decision.get_by_label("Hình thức kỷ luật").select_option(label="Khiển trách")
    decision.get_by_label("Số quyết định").fill("21/QĐ-SYT")
    decision.get_by_label("Ngày quyết định").fill("10/11/2026")
    decision.get_by_label("Cơ quan, người ra quyết định").fill("Giám đốc Sở Y tế")
    decision.get_by_label("Có hiệu lực từ ngày").fill("10/11/2026")
    decision.get_by_label("Hành vi vi phạm").fill("Không đeo thẻ công chức khi tiếp công dân")
    decision.get_by_role("button", name="Ghi nhận").click()
    expect(head.locator("main")).to_contain_text("Đã ghi nhận quyết định kỷ luật")

    head.goto(f"{site}/to-chuc/can-bo/{an.pk}/")
    effects = head.locator("#staff-effects")
    delay = effects.locator("[data-effect='salary_raise_delay']")
    expect(delay).to_contain_text("Kéo dài thời hạn nâng bậc lương thường xuyên")
    expect(delay).to_contain_text("09/05/2027")  # 6 months from 10/11/2026
    expect(effects.locator("[data-effect='no_appointment']")).to_contain_text("09/11/2027")
    assert_fits(head)

    council = province["council"]
    evaluations.council_conclude(
        actor=council, evaluations=[reviewed], confirm_over_cap=True, comment="Thống nhất"
    )
    evaluations.publish(actor=council, evaluations=[reviewed])
    official: Page = new_page()
    login(official, site, "cb_syt")
    official.goto(f"{site}/danh-gia/cua-toi/{reviewed.pk}/")
    main = official.locator("main")
    expect(main).to_contain_text("Không hoàn thành nhiệm vụ")
    expect(main).to_contain_text("kỷ luật")
    assert_fits(official)

    snv: Page = new_page()
    login(snv, site, "sonoivu")
    menu_link(snv, "Thống kê vi phạm").click()
    expect(snv.locator("#stats-unit")).to_contain_text("Sở Y tế")
    expect(snv.locator("#stats-standard")).to_contain_text("vhcs.the.1")
    assert_fits(snv)
