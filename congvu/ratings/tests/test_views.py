"""Pages: the citizen's QR page (idempotent, every bad input answered in Vietnamese, light),
the public statistics, and the staff pages over desks, posters, reviews and indexes."""

import io
import re
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders
from django.test import Client
from django.urls import reverse

from congvu.ratings import services
from congvu.ratings.models import DeskToken, Rating, RatingContact, RatingTally, ServicePoint
from congvu.ratings.tests.conftest import citizen, make_desk, submit, token_of

pytestmark = pytest.mark.django_db


def rate_url(desk) -> str:
    return reverse("ratings_public:rate", args=[token_of(desk)])


def form_key(response) -> str:
    return re.search(r'name="khoa" value="([^"]+)"', response.content.decode())[1]


def text(response) -> str:
    return response.content.decode()


# --- The citizen's page -------------------------------------------------------------------


def test_a_citizen_rates_from_the_qr_page_without_logging_in(province, official_desk):
    client = Client()
    page = client.get(rate_url(official_desk))
    html = text(page)
    assert page.status_code == 200
    assert "Sở Y tế" in html and "Quầy số 2" in html and "Nguyễn Văn An" in html
    assert html.count('type="radio" name="diem"') == 5
    assert len(set(re.findall(r'name="hv_(\w+)"', html))) == 11
    response = client.post(
        rate_url(official_desk),
        {
            "khoa": form_key(page),
            "diem": "2",
            "ly_do": "Phải chờ quá lâu",
            "hv_chao": "1",
            "hv_khong_cau_gat": "0",
            "dien_thoai": "0912 345 678",
            "ma_ho_so": "H32-0001",
        },
    )
    assert response.status_code == 200
    assert "Cảm ơn bạn đã đánh giá" in text(response)
    rating = Rating.objects.get()
    assert (rating.score, rating.reason, rating.dossier_code) == (2, "Phải chờ quá lâu", "H32-0001")
    assert rating.answers == {"chao": True, "khong_cau_gat": False}
    assert rating.contact.phone == "0912345678"


def test_a_retried_post_stores_one_rating_and_answers_the_same_page(province, desk):
    client = Client()
    data = {"khoa": form_key(client.get(rate_url(desk))), "diem": "4", "hv_chao": "1"}
    first = client.post(rate_url(desk), data)
    second = client.post(rate_url(desk), data)
    assert first.status_code == second.status_code == 200
    assert first.content == second.content
    assert Rating.objects.count() == 1


def test_a_reused_key_with_other_answers_is_refused_with_a_new_form(province, desk):
    client = Client()
    key = form_key(client.get(rate_url(desk)))
    client.post(rate_url(desk), {"khoa": key, "diem": "5"})
    response = client.post(rate_url(desk), {"khoa": key, "diem": "1", "ly_do": "Đổi ý"})
    assert response.status_code == 409
    assert "đã được dùng cho một đánh giá khác" in text(response)
    assert form_key(response) != key and Rating.objects.count() == 1


HUGE = "Chậm " * 20_480  # 100 KB


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({}, "Vui lòng chọn mức độ hài lòng"),
        ({"diem": "abc"}, "Vui lòng chọn mức độ hài lòng"),
        ({"diem": "6"}, "Vui lòng chọn mức độ hài lòng"),
        ({"diem": "2"}, "Vui lòng cho biết lý do"),
        ({"diem": "3", "ly_do": "   "}, "Vui lòng cho biết lý do"),
        ({"diem": "1", "ly_do": HUGE}, "Lý do quá dài"),
        ({"diem": "5", "dien_thoai": "12345"}, "Số điện thoại không đúng định dạng"),
        ({"diem": "5", "ma_ho_so": "<b>x</b>"}, "Mã hồ sơ không hợp lệ"),
        ({"diem": "5", "hv_chao": "2"}, "không hợp lệ"),
        ({"diem": "5", "hv_hack": "1"}, "không thuộc phiếu"),
        ({"diem": "5", "khoa": "x"}, "Phiên đánh giá không hợp lệ"),
    ],
)
def test_every_bad_input_gets_a_vietnamese_message_and_nothing_is_stored(
    province, desk, data, message
):
    client = Client()
    data = {"khoa": form_key(client.get(rate_url(desk))), **data}
    response = client.post(rate_url(desk), data)
    assert response.status_code == 200
    assert message in text(response)
    assert 'role="alert"' in text(response) and 'name="khoa"' in text(response)
    assert not Rating.objects.exists() and not RatingTally.objects.exists()
    assert not RatingContact.objects.exists()
    assert len(response.content) < 20_000  # a 100 KB reason is not echoed back in full


def test_html_and_script_are_shown_escaped(province, desk):
    client = Client()
    attack = '<script>alert("x")</script><img src=x onerror=alert(1)>'
    response = client.post(
        rate_url(desk), {"khoa": form_key(client.get(rate_url(desk))), "ly_do": attack}
    )
    assert attack not in text(response) and "&lt;script&gt;" in text(response)
    submit(desk, score=1, reason=attack, client=citizen())
    staff = Client()
    staff.force_login(province.users["head_syt"])
    page = staff.get(reverse("ratings:desk_detail", args=[desk.pk]))
    assert attack not in text(page) and "&lt;script&gt;alert" in text(page)


@pytest.mark.parametrize(
    ("state", "status", "title"),
    [
        ("unknown", 404, "Không tìm thấy điểm đánh giá"),
        ("revoked", 410, "Mã QR này đã được thay mới"),
        ("inactive", 410, "Điểm đánh giá đang tạm dừng"),
    ],
)
def test_a_dead_qr_code_gets_a_clear_page_and_stores_nothing(province, desk, state, status, title):
    url = rate_url(desk)
    assert Client().get(url).status_code == 200  # the desk now sits in the token cache
    if state == "unknown":
        url = reverse("ratings_public:rate", args=["ma-khong-ton-tai"])
    elif state == "revoked":
        services.desk_token_rotate(actor=province.users["admin"], desk=desk)
    else:
        services.desk_update(
            actor=province.users["admin"], desk=desk, name=desk.name, location="", is_active=False
        )
    client = Client()
    for response in (client.get(url), client.post(url, {"khoa": "a" * 20, "diem": "5"})):
        assert response.status_code == status
        assert title in text(response) and "Không có đánh giá nào được ghi nhận" in text(response)
    assert not Rating.objects.exists()


def test_a_missing_csrf_token_gets_a_vietnamese_page_and_stores_nothing(province, desk):
    client = Client(enforce_csrf_checks=True)
    response = client.post(rate_url(desk), {"khoa": "a" * 20, "diem": "5"})
    assert response.status_code == 403
    assert "Phiên làm việc đã hết hạn" in text(response) and 'name="diem"' in text(response)
    assert not Rating.objects.exists()
    page = client.get(rate_url(desk))
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', text(page))[1]
    ok = client.post(
        rate_url(desk), {"khoa": form_key(page), "diem": "5", "csrfmiddlewaretoken": token}
    )
    assert ok.status_code == 200 and Rating.objects.count() == 1


def test_too_many_ratings_get_a_429_page(province, desk, settings):
    settings.RATINGS_LIMITS = {"refuse_client_hour": 1}
    client = Client(REMOTE_ADDR="203.0.113.9")
    client.post(rate_url(desk), {"khoa": form_key(client.get(rate_url(desk))), "diem": "5"})
    response = client.post(
        rate_url(desk), {"khoa": form_key(client.get(rate_url(desk))), "diem": "4"}
    )
    assert response.status_code == 429 and "thử lại sau" in text(response)
    assert Rating.objects.count() == 1


def test_behind_a_proxy_the_client_address_comes_from_the_configured_header(
    province, desk, settings
):
    settings.CLIENT_IP_HEADER = "HTTP_X_REAL_IP"
    client = Client(REMOTE_ADDR="127.0.0.1", HTTP_X_REAL_IP="198.51.100.23")
    client.post(rate_url(desk), {"khoa": form_key(client.get(rate_url(desk))), "diem": "5"})
    expected = services.ClientInfo(ip="198.51.100.23", user_agent="").network_key
    assert Rating.objects.get().network_key == expected


def _asset_bytes(url: str) -> int:
    path = finders.find(url.removeprefix("/static/"))
    assert path, url
    return Path(path).stat().st_size


def test_the_rating_page_weighs_under_50_kb_with_everything_it_loads(province, official_desk):
    response = Client().get(rate_url(official_desk))
    html = text(response)
    assets = re.findall(r'<(?:link|script|img)\b[^>]*(?:href|src)="(/static/[^"]+)"', html)
    total = len(response.content) + sum(_asset_bytes(url) for url in assets)
    assert total < 50 * 1024, total
    assert "<script" not in html  # works with no JavaScript at all
    assert "bootstrap" not in html
    thanks = Client().post(rate_url(official_desk), {"khoa": form_key(response), "diem": "5"})
    assert len(thanks.content) + sum(_asset_bytes(u) for u in assets) < 50 * 1024


def test_the_public_statistics_page_needs_no_login(province, desk, official_desk):
    for i in range(5):
        submit(desk, score=5 - i % 2, client=citizen())
    make_desk(province, unit_key="stp", name="Quầy hộ tịch")
    stp_desk = ServicePoint.objects.get(name="Quầy hộ tịch")
    submit(stp_desk, score=5)
    response = Client().get(reverse("ratings_public:stats"))
    html = text(response)
    assert response.status_code == 200
    assert "Sở Y tế" in html and "Sở Tư pháp" in html
    assert "chưa đủ số đánh giá" in html  # Sở Tư pháp has one rating
    assert "Phản ánh đã trả lời" in html  # the reports app's figures, same period
    bad = Client().get(reverse("ratings_public:stats") + "?ky=2026-99")
    assert bad.status_code == 200 and "Kỳ không hợp lệ" in text(bad)


# --- Staff pages ----------------------------------------------------------------------------


def staff_client(province, persona: str) -> Client:
    client = Client()
    client.force_login(province.users[persona])
    return client


def test_a_unit_head_sets_up_a_desk_for_an_official(province):
    client = staff_client(province, "head_syt")
    form = client.get(reverse("ratings:desk_create"))
    assert "Bệnh viện Đa khoa tỉnh" in text(form) and "Sở Tư pháp" not in text(form)
    response = client.post(
        reverse("ratings:desk_create"),
        {
            "unit": province.units["syt"].pk,
            "kind": "can_bo",
            "name": "Quầy 5",
            "staff_code": province.staff["syt_cc"].code,
            "location": "Tầng 2",
        },
    )
    desk = ServicePoint.objects.get()
    assert response.status_code == 302 and response["Location"].endswith(f"/{desk.pk}/")
    assert desk.staff == province.staff["syt_cc"]
    forged = client.post(
        reverse("ratings:desk_create"),
        {"unit": province.units["stp"].pk, "kind": "quay", "name": "Quầy lạ"},
    )
    assert forged.status_code == 200 and ServicePoint.objects.count() == 1
    wrong = client.post(
        reverse("ratings:desk_create"),
        {
            "unit": province.units["syt"].pk,
            "kind": "can_bo",
            "name": "Quầy 6",
            "staff_code": province.staff["stp_cc"].code,
        },
    )
    assert "phạm vi" in text(wrong) and ServicePoint.objects.count() == 1


def test_another_units_desk_is_not_found(province, desk):
    client = staff_client(province, "head_stp")
    for name in ("desk_detail", "desk_edit"):
        assert client.get(reverse(f"ratings:{name}", args=[desk.pk])).status_code == 404
    assert client.post(reverse("ratings:desk_rotate", args=[desk.pk])).status_code == 404
    url = reverse("ratings:desk_poster", args=[desk.pk, "a4", "pdf"])
    assert client.get(url).status_code == 404
    assert DeskToken.objects.count() == 1


def test_rotating_from_the_desk_page(province, desk):
    client = staff_client(province, "head_syt")
    old = token_of(desk)
    assert client.get(reverse("ratings:desk_rotate", args=[desk.pk])).status_code == 405
    response = client.post(reverse("ratings:desk_rotate", args=[desk.pk]), follow=True)
    assert "Đã cấp mã QR mới" in text(response)
    assert token_of(desk) != old and token_of(desk) in text(response)
    assert old not in text(response).replace(old[:6] + "…", "")


def test_posters_download_as_pdf_and_png_in_vietnamese(province, official_desk):
    from PIL import Image
    from pypdf import PdfReader

    client = staff_client(province, "head_syt")
    pdf = client.get(reverse("ratings:desk_poster", args=[official_desk.pk, "a4", "pdf"]))
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    assert "attachment" in pdf["Content-Disposition"]
    page = PdfReader(io.BytesIO(pdf.content)).pages[0]
    words = page.extract_text()
    for expected in ("ĐÁNH GIÁ SỰ HÀI LÒNG", "SỞ Y TẾ", "Quầy số 2", "Nguyễn Văn An"):
        assert expected in words
    assert token_of(official_desk) in words  # the URL under the code
    assert round(float(page.mediabox.width) / 72 * 25.4) == 210  # A4
    png = client.get(reverse("ratings:desk_poster", args=[official_desk.pk, "a5", "png"]))
    image = Image.open(io.BytesIO(png.content))
    assert png["Content-Type"] == "image/png" and image.size == (874, 1240)  # A5 at 150 dpi
    bad = client.get(reverse("ratings:desk_poster", args=[official_desk.pk, "a3", "pdf"]))
    assert bad.status_code == 404


def test_reviewing_flagged_ratings_from_the_page(province, desk):
    client_info = citizen()
    submit(desk, client=client_info)
    flagged = submit(desk, score=1, reason="<b>Quầy XYZ</b>", client=client_info).rating
    client = staff_client(province, "head_syt")
    page = client.get(reverse("ratings:review"))
    assert "&lt;b&gt;Quầy XYZ&lt;/b&gt;" in text(page) and "30 phút" in text(page)
    response = client.post(
        reverse("ratings:review"), {"ids": [flagged.pk], "quyet_dinh": "tinh"}, follow=True
    )
    assert "Đã tính 1 đánh giá" in text(response)
    assert Rating.objects.get(pk=flagged.pk).status == "counted"
    other = staff_client(province, "head_stp").get(reverse("ratings:review"))
    assert "Quầy XYZ" not in text(other)


def test_the_dashboard_pages_answer_by_scope(province, desk):
    submit(desk, score=5)
    url = reverse("ratings:dashboard")
    syt = province.units["syt"].pk
    assert staff_client(province, "head_syt").get(url).status_code == 200
    assert staff_client(province, "head_stp").get(f"{url}?don-vi={syt}").status_code == 404
    assert staff_client(province, "outsider").get(url).status_code == 403
    page = staff_client(province, "mttq").get(f"{url}?don-vi={syt}&ky=2026-11")
    assert page.status_code == 200 and "Quầy số 1" in text(page) and "Tháng 11/2026" in text(page)
    assert reverse("ratings:desk_list") not in text(page)  # read-only: no desk management
    bad = staff_client(province, "snv").get(f"{url}?ky=abc&don-vi=zz")
    assert bad.status_code == 200 and "Kỳ không hợp lệ" in text(bad)


def test_an_official_sees_their_own_index_on_their_record(province, official_desk):
    submit(official_desk, score=5)
    staff = province.staff["syt_cc"]
    own = staff_client(province, "staff")
    assert own.get(reverse("ratings:staff_index", args=[staff.pk])).status_code == 200
    record = own.get(reverse("organisations:staff_detail", args=[staff.pk]))
    assert "Đánh giá của người dân" in text(record) and "hài lòng 100,0%" in text(record)
    other = staff_client(province, "head_stp")
    assert other.get(reverse("ratings:staff_index", args=[staff.pk])).status_code == 404


@pytest.mark.parametrize("first", ["snv", "mttq"])
def test_the_cached_dashboard_body_is_not_shared_across_permissions(
    province, desk, settings, first
):
    """Sở Nội vụ and the Front see the same province: one cached dashboard, but only Sở Nội
    vụ's page links the desks it manages, whoever opened the page first."""
    settings.RATINGS_DASHBOARD_CACHE_SECONDS = 60
    submit(desk, score=5)
    url = f"{reverse('ratings:dashboard')}?don-vi={province.units['syt'].pk}"
    link = reverse("ratings:desk_detail", args=[desk.pk])
    order = [first, "mttq" if first == "snv" else "snv"]
    pages = {persona: text(staff_client(province, persona).get(url)) for persona in order}
    assert link in pages["snv"] and link not in pages["mttq"]
    assert "Quầy số 1" in pages["mttq"] and "Số liệu tính lúc" in pages["mttq"]
    submit(desk, score=1, reason="Chờ lâu")  # within the minute: the computed figures stay
    again = text(staff_client(province, "snv").get(url))
    assert re.search(r'id="tinh-luc"', again) and again.count("Quầy số 1") >= 1
    assert _count_cell(again) == _count_cell(pages["snv"]) == "1"


def _count_cell(page: str) -> str:
    return re.search(r'id="tong-hop".*?fs-4 fw-semibold">(\d+)<', page, re.S)[1]
