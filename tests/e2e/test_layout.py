"""Every page, at a desktop and a phone width: it loads without CSP or script errors,
has a heading, and never makes the phone scroll sideways. The screenshots of this
tour (var/screenshots/test_every_page_*) are the ones to look at after a layout change.
"""

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from congvu.core.actors import SYSTEM
from congvu.core.models import Notification
from congvu.standards import services as standards
from tests.e2e.conftest import login

pytestmark = pytest.mark.e2e


def assert_fits(page: Page) -> None:
    """No sideways scrolling: wide tables must scroll inside their own box or stack."""
    overflow = page.evaluate(
        """() => {
            const root = document.documentElement;
            if (root.scrollWidth <= root.clientWidth) return null;
            const wide = [...document.querySelectorAll('body *')]
                .filter(el => el.getBoundingClientRect().right > root.clientWidth + 1)
                .filter(el => !el.closest('.table-responsive'))
                .slice(0, 3)
                .map(el => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '')
                     + (el.className && typeof el.className === 'string'
                        ? '.' + el.className.trim().split(/\\s+/).join('.') : ''));
            return {width: root.scrollWidth, viewport: root.clientWidth, wide};
        }"""
    )
    assert overflow is None, f"{page.url} scrolls sideways: {overflow}"


def visit(page: Page, url: str, status: int = 200) -> None:
    response = page.goto(url)
    assert response is not None and response.status == status, f"{url}: {response.status}"
    expect(page.locator("h1").first).to_be_visible()
    assert_fits(page)


def test_every_page_fits_the_screen_without_console_errors(
    page: Page, site, province, browser_watch
):
    standards.catalogues_load(actor=SYSTEM)
    syt, huyen, kh = (province.units[key] for key in ("syt", "huyen", "kh"))
    now = timezone.now()
    Notification.objects.bulk_create(
        Notification(
            recipient=province.users["snv"],
            kind="test",
            created_at=now,
            message=f"Phiếu đánh giá số {i} của Sở Y tế đã được gửi để nhận xét.",
            read_at=now if i % 2 else None,
        )
        for i in range(30)
    )

    visit(page, f"{site}/tai-khoan/dang-nhap/")
    login(page, site, "sonoivu")
    assert_fits(page)
    for path in (
        "/to-chuc/don-vi/",
        "/to-chuc/don-vi/?ngay=30/06/2025",
        f"/to-chuc/don-vi/{kh.pk}/",
        f"/to-chuc/don-vi/{syt.pk}/",
        f"/to-chuc/don-vi/{huyen.pk}/",
        "/to-chuc/don-vi/them/",
        f"/to-chuc/don-vi/{syt.pk}/thay-doi/",
        "/to-chuc/can-bo/",
        "/to-chuc/can-bo/?q=zzz",
        f"/to-chuc/can-bo/{province.staff['head_syt'].pk}/",
        f"/to-chuc/can-bo/{province.staff['xa_cc'].pk}/",
        "/to-chuc/nhap-du-lieu/",
        "/tieu-chi/",
        "/tieu-chi/ca-nhan/",
        "/tieu-chi/noi-quy/",
        f"/tieu-chi/noi-quy/don-vi/{syt.pk}/",
        "/tai-khoan/ho-so/",
        "/tai-khoan/doi-mat-khau/",
        "/danh-gia/thong-bao/",
        "/danh-gia/thong-bao/?chua-doc=1&trang=2",
    ):
        visit(page, site + path)

    browser_watch.allow(r"status of 404")
    visit(page, f"{site}/to-chuc/can-bo/999999/", status=404)


def test_every_admin_page_loads_without_console_errors(page: Page, site, province):
    login(page, site, "quantri")
    unit = province.units["syt"].pk
    for path in (
        "/quan-tri/",
        "/quan-tri/organisations/unit/",
        f"/quan-tri/organisations/unit/{unit}/change/",
        f"/quan-tri/organisations/unit/{unit}/history/",
        "/quan-tri/organisations/staff/",
        "/quan-tri/accounts/user/",
    ):
        response = page.goto(site + path)
        assert response is not None and response.status == 200, path
        expect(page.locator("#content h1, #content h2").first).to_be_visible()


def test_a_user_without_a_role_is_refused_the_staff_list_with_a_page_that_fits(
    page: Page, site, province, browser_watch
):
    browser_watch.allow(r"status of 403")
    login(page, site, "nguoingoai")
    assert_fits(page)
    visit(page, f"{site}/to-chuc/can-bo/", status=403)
    expect(page.get_by_role("heading", level=1)).to_have_text("Không có quyền truy cập")


def test_every_evaluation_and_discipline_page_fits_the_screen(page: Page, site, province, tmp_path):
    """Each role's pages of an open cycle (official, manager, council, Sở Nội vụ) and the
    discipline register, with real rows in them."""
    from datetime import date

    from congvu.discipline.services import DecisionSpec, discipline_record
    from congvu.evaluations import services as evaluations
    from congvu.evaluations.tests import factories as f

    version = f.load(tmp_path, f.individual_doc())
    syt = province.units["syt"]
    cycle = f.cycle(province["head_syt"], version, syt)
    an = f.evaluation_of(cycle, province.staff["syt_cc"])
    f.self_assess_all(province["staff"], an)
    nurse = f.evaluation_of(cycle, province.staff["nurse"])
    record = discipline_record(
        actor=province["head_syt"],
        staff=province.staff["syt_cc"],
        spec=DecisionSpec(
            form="khien_trach",
            decision_number="12/QĐ-SYT",
            decision_date=date(2026, 3, 1),
            issuer="Giám đốc Sở Y tế",
            effective_from=date(2026, 3, 1),
            violation="Không đeo thẻ công chức khi tiếp công dân",
        ),
    )

    login(page, site, "cb_syt")
    for path in ("/danh-gia/cua-toi/", f"/danh-gia/cua-toi/{an.pk}/"):  # a draft, editable
        visit(page, site + path)
    evaluations.submit(actor=province["staff"], evaluation=an)
    visit(page, f"{site}/danh-gia/cua-toi/{an.pk}/")  # submitted: read only
    page.context.clear_cookies()
    login(page, site, "gd_syt")
    for path in (
        "/danh-gia/can-bo/",
        f"/danh-gia/can-bo/{an.pk}/",
        f"/danh-gia/can-bo/{nurse.pk}/",
        "/ky-luat/",
        "/ky-luat/?q=nguyen&nam=2026",
        f"/ky-luat/{record.pk}/",
        f"/ky-luat/can-bo/{province.staff['nurse'].pk}/them/",
    ):
        visit(page, site + path)
    evaluations.manager_review(actor=province["head_syt"], evaluation=an, comment="Đồng ý")
    page.context.clear_cookies()
    login(page, site, "hoidong")
    for path in ("/danh-gia/hoi-dong/", f"/danh-gia/hoi-dong/{cycle.pk}/{syt.pk}/"):
        visit(page, site + path)
    page.context.clear_cookies()
    login(page, site, "sonoivu")
    for path in ("/danh-gia/tien-do/", f"/danh-gia/tien-do/{cycle.pk}/"):
        visit(page, site + path)


def test_every_cycle_and_collective_page_fits_the_screen(page: Page, site, province, tmp_path):
    """Cycle management (a cycle in preparation and an open one with forms in several states)
    and the units' own assessments, as Sở Nội vụ and as a unit head see them."""
    from decimal import Decimal

    from congvu.evaluations import services as evaluations
    from congvu.evaluations.models import Evaluation
    from congvu.evaluations.tests import factories as f

    individual = f.load(tmp_path, f.individual_doc())
    collective = f.load(tmp_path, f.collective_doc())
    syt, bv = province.units["syt"], province.units["bv"]
    cycle = f.cycle(province["head_syt"], individual, syt)
    an = f.evaluation_of(cycle, province.staff["syt_cc"])
    f.to_reviewed(province["staff"], province["head_syt"], an)
    draft = f.cycle(province["snv"], individual, province.units["stp"], open_it=False)
    units = f.cycle(
        province["snv"], collective, syt, subject="collective", culture_points=Decimal(100)
    )
    own = Evaluation.objects.get(cycle=units, unit=syt)
    evaluations.self_assess(
        actor=province["head_syt"],
        evaluation=own,
        scores={
            "thu-tap-the.a.1": evaluations.SelfScore(9, "Niêm yết đủ"),
            "thu-tap-the.a.2": evaluations.SelfScore(8),
        },
    )
    evaluations.submit(actor=province["head_syt"], evaluation=own)

    login(page, site, "sonoivu")
    for path in (
        "/danh-gia/ky/",
        "/danh-gia/ky/them/",
        f"/danh-gia/ky/{draft.pk}/",
        f"/danh-gia/ky/{cycle.pk}/",
        f"/danh-gia/ky/{units.pk}/",
        "/danh-gia/tap-the/",
        f"/danh-gia/tap-the/?ky={units.pk}&trang_thai=draft",
        f"/danh-gia/tap-the/{units.pk}/{syt.pk}/",  # to review
        f"/danh-gia/tap-the/{units.pk}/{bv.pk}/",  # nobody answers for it yet
    ):
        visit(page, site + path)
    page.context.clear_cookies()
    login(page, site, "gd_syt")
    for path in ("/danh-gia/ky/", f"/danh-gia/ky/{cycle.pk}/", f"/danh-gia/cua-toi/{own.pk}/"):
        visit(page, site + path)


def test_every_report_and_supervision_page_fits_the_screen(
    page: Page, site, province, settings, tmp_path
):
    """Issue 4: the public report pages (no login), the handler's list and report, and the
    supervision pages of the Front, with reports in several states and a finding."""
    from congvu.feedback import services as reports
    from congvu.feedback import supervision
    from congvu.feedback.tests.conftest import file_report

    settings.MEDIA_ROOT = tmp_path / "private"
    snv = province["snv"]
    fresh = file_report("KHA-SYT", description="Cán bộ quầy 3 bắt đi lại ba lần " * 5)
    answered = file_report("KHA-STP", official_id=str(province.staff["stp_cc"].pk))
    reports.report_move(actor=snv, report=answered, move="verify")
    reports.report_move(
        actor=snv,
        report=answered,
        move="conclude",
        conclusion=reports.Conclusion(
            "Đúng.", staff=province.staff["stp_cc"], criterion="vhcv.tinh-than.c"
        ),
    )
    reports.report_move(actor=snv, report=answered, move="answer", answer="Đã chấn chỉnh. " * 20)
    from congvu.ratings.tests.conftest import make_desk, token_of

    desk = make_desk(province, name="Quầy số 2", kind="can_bo", staff=province.staff["syt_cc"])
    from_desk = file_report("KHA-SYT", desk_token=token_of(desk), place="Quầy số 2")
    assert from_desk.desk_id == desk.pk
    finding = supervision.finding_file(
        actor=province["mttq"],
        unit=province.units["syt"],
        title="Giám sát tiếp dân tại Sở Y tế",
        content="Thời gian chờ dài. " * 30,
        due_on=None,
    )
    for path in (
        "/phan-anh/",
        "/phan-anh/?q=so",
        "/phan-anh/gui/?don_vi=KHA-STP",
        f"/phan-anh/gui/?don_vi=KHA-SYT&quay={token_of(desk)}",
        "/phan-anh/theo-doi/",
        f"/phan-anh/theo-doi/?ma={answered.code}",
        f"/phan-anh/theo-doi/?ma={fresh.code[:-1]}0",
    ):
        visit(page, site + path)
    login(page, site, "sonoivu")
    for path in (
        "/xu-ly-phan-anh/",
        "/xu-ly-phan-anh/?trang_thai=open&qua_han=1",
        f"/xu-ly-phan-anh/{fresh.pk}/",
        f"/xu-ly-phan-anh/{answered.pk}/",
        f"/xu-ly-phan-anh/{from_desk.pk}/",
        "/giam-sat/",
        f"/giam-sat/phan-anh/{answered.pk}/",
        "/giam-sat/kien-nghi/",
        f"/giam-sat/kien-nghi/{finding.pk}/",
    ):
        visit(page, site + path)
    page.context.clear_cookies()
    login(page, site, "mttq")
    for path in ("/giam-sat/kien-nghi/them/", f"/giam-sat/kien-nghi/{finding.pk}/"):
        visit(page, site + path)


def test_every_ratings_page_fits_the_screen(page: Page, site, province, browser_watch):
    """Citizens' pages (QR rating form, thanks, a dead code, statistics) and the staff pages
    of satisfaction ratings (dashboard, desks, posters, review, an official's index)."""
    from congvu.ratings import services as ratings

    def desk(name, **extra):
        spec = ratings.DeskSpec(
            unit=province.units["syt"],
            kind=extra.pop("kind", "quay"),
            name=name,
            location="Tầng 1, Trung tâm Phục vụ hành chính công",
            **extra,
        )
        return ratings.desk_create(actor=province["head_syt"], spec=spec)

    counter = desk("Quầy số 1 – Tiếp nhận và trả kết quả")
    official = desk("Quầy số 2", kind="can_bo", staff=province.staff["syt_cc"])
    token = official.tokens.get().token
    for i, score in enumerate((5, 4, 2, 5, 1, 3)):
        ratings.rating_submit(
            token=token,
            key=ratings.new_form_key(),
            score=score,
            reason="Chờ lâu, thái độ chưa tốt",
            answers={"chao": str(i % 2), "giup_do": "1"},
            client=ratings.ClientInfo(f"10.0.0.{i % 2}", "tour"),
        )
    dead = counter.tokens.get().token
    ratings.desk_token_rotate(actor=province["head_syt"], desk=counter)

    visit(page, f"{site}/d/{token}/")
    page.get_by_text("4 sao – Hài lòng").click()
    page.get_by_role("button", name="Gửi đánh giá").click()
    expect(page.locator("h1").first).to_have_text("Cảm ơn bạn đã đánh giá!")
    assert_fits(page)
    visit(page, f"{site}/hai-long/")
    browser_watch.allow(r"status of 410")
    visit(page, f"{site}/d/{dead}/", status=410)

    login(page, site, "sonoivu")
    syt = province.units["syt"].pk
    for path in (
        "/danh-gia-hai-long/",
        f"/danh-gia-hai-long/?don-vi={syt}&ky=2026-q4",
        "/danh-gia-hai-long/diem-danh-gia/",
        "/danh-gia-hai-long/diem-danh-gia/them/",
        f"/danh-gia-hai-long/diem-danh-gia/{official.pk}/",
        f"/danh-gia-hai-long/diem-danh-gia/{official.pk}/sua/",
        "/danh-gia-hai-long/xem-xet/",
        f"/danh-gia-hai-long/can-bo/{province.staff['syt_cc'].pk}/",
        f"/to-chuc/can-bo/{province.staff['syt_cc'].pk}/",
    ):
        visit(page, site + path)
