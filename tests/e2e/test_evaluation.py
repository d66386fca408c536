"""Issue 3 in a real browser: self-assessment with evidence → manager review → council
resolving the HTXS cap → publication → the official sees the result."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from congvu.evaluations.models import Evaluation
from congvu.evaluations.tests import factories as f
from congvu.testing import make_staff, make_user
from tests.e2e.conftest import login

pytestmark = pytest.mark.e2e


@pytest.fixture
def cycle_over_cap(province, tmp_path):
    """Sở Y tế: six colleagues already reviewed, one at 95 points (HTXS) and five at 80 (HTT)."""
    version = f.load(tmp_path, f.individual_doc())
    colleagues = []
    for i in range(6):
        staff = make_staff(province.units["syt"], "Phan", "Văn", f"Tư{i}")
        colleagues.append(make_user(f"cb{i}", staff))
    cycle = f.cycle(province["head_syt"], version, province.units["syt"])
    for i, user in enumerate(colleagues):
        evaluation = Evaluation.objects.get(cycle=cycle, staff_id=user.staff_id)
        f.to_reviewed(user, province["head_syt"], evaluation, task=65 if i == 0 else 50)
    return cycle, Evaluation.objects.get(cycle=cycle, staff_id=colleagues[0].staff_id)


@pytest.mark.viewport(1280)
def test_self_assessment_review_council_cap_and_publication(
    new_page, site, province, cycle_over_cap, tmp_path
):
    cycle, rival = cycle_over_cap
    official = new_page()
    login(official, site, "cb_syt")
    official.goto(f"{site}/danh-gia/cua-toi/")
    official.get_by_role("link", name=cycle.title).click()
    evidence = tmp_path / "chung-chi.pdf"
    evidence.write_bytes(f.PDF)
    official.locator("#tieu_chi").select_option("thu.a.2")
    official.locator("#tep").set_input_files(evidence)
    official.locator("#evidence-upload").get_by_role("button", name="Tải lên").click()
    expect(official.locator("#criteria")).to_contain_text("chung-chi.pdf")
    scores = official.locator("#criteria input[type=number]")
    scores.nth(0).fill("4")
    scores.nth(1).fill("6")
    official.locator("#nhiem_vu").fill("65")
    official.get_by_role("button", name="Nộp bản tự đánh giá").click()
    expect(official.locator("#evaluation-state")).not_to_have_text("Đang tự đánh giá")
    expect(official.locator("#self-form")).to_have_count(0)

    manager = new_page()
    login(manager, site, "gd_syt")
    manager.goto(f"{site}/danh-gia/can-bo/")
    manager.get_by_role("link", name="Nguyễn Văn An").click()
    manager.locator("#criteria input[type=number]").nth(0).fill("3")
    manager.get_by_role("button", name="Hoàn thành nhận xét, đánh giá").click()
    expect(manager.locator("main")).to_contain_text("lý do")  # a changed score needs a reason
    manager.locator("#criteria input[type=number]").nth(0).fill("3")
    manager.locator("#criteria textarea").nth(0).fill("Có buổi không đeo thẻ khi tiếp dân")
    manager.get_by_role("button", name="Hoàn thành nhận xét, đánh giá").click()
    expect(manager.locator("main")).not_to_contain_text("cần ghi lý do")

    council = new_page()
    login(council, site, "hoidong")
    council.goto(f"{site}/danh-gia/hoi-dong/")
    detail = reverse("evaluations:council_detail", args=[cycle.pk, province.units["syt"].pk])
    council.locator(f"main a[href='{detail}']").first.click()
    expect(council.locator("#caps")).to_contain_text("vượt tỷ lệ")
    council.get_by_role("button", name="Kết luận danh sách").click()
    expect(council.locator("main")).to_contain_text("vượt tỷ lệ tối đa 1")
    council.locator(f"#muc_{rival.pk}").select_option("HTT")
    council.locator("#y_kien").fill("Hội đồng bỏ phiếu: giữ mức xuất sắc cho anh An")
    council.get_by_role("button", name="Kết luận danh sách").click()
    council.get_by_role("button", name="Công bố kết quả đã kết luận").click()
    expect(council.locator("#council-form")).to_have_count(0)

    official.reload()
    expect(official.locator("#result")).to_contain_text("Hoàn thành xuất sắc")
    expect(official.locator("#history")).to_contain_text("Có buổi không đeo thẻ khi tiếp dân")
