"""A rating's follow-up phone number: in full only for whoever calls back (the unit's handler,
``ratings.access.rating_check_call_back``), masked on the desk page for the unit head and Sở Nội vụ, and
in no export, API answer or other page."""

import json
from datetime import date

import pytest
from django.test import Client
from django.urls import reverse

from congvu.accounts.services import role_assign, token_create
from congvu.core.actors import SYSTEM
from congvu.ratings.tests.conftest import make_desk, submit
from congvu.testing import make_staff, make_user

pytestmark = pytest.mark.django_db

PHONE, MASKED = "0912345678", "09•••••678"
OTHER_PHONE = "0987654321"


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def handler(province):
    """Sở Y tế's handler of citizens' feedback: the one who calls back."""
    staff = make_staff(province.units["syt"], "Phan", "Thị", "Hoa")
    user = make_user("xuly_syt", staff)
    role_assign(
        actor=SYSTEM,
        user=user,
        role="handler",
        unit=province.units["syt"],
        valid_from=date(2024, 1, 1),
    )
    return user


@pytest.fixture
def rated(province):
    """A desk of Sở Y tế with a low rating that left a phone number, and one of Sở Tư pháp."""
    desk = make_desk(province, name="Quầy số 1")
    submit(desk, score=2, reason="Chờ quá lâu", phone=PHONE)
    other = make_desk(province, unit_key="stp", name="Quầy Tư pháp")
    submit(other, score=1, reason="Thái độ không tốt", phone=OTHER_PHONE)
    return desk, other


def test_the_unit_head_and_so_noi_vu_see_the_number_masked_on_the_desk_page(province, rated):
    desk, _ = rated
    for key in ("head_syt", "snv", "admin"):
        page = client_for(province.users[key]).get(reverse("ratings:desk_detail", args=[desk.pk]))
        html = page.content.decode()
        assert page.status_code == 200 and "Chờ quá lâu" in html, key
        assert PHONE not in html and MASKED in html, key


def test_a_superuser_sees_it_masked_too(province, rated):
    desk, _ = rated
    user = province.users["outsider"]
    user.is_superuser = True
    user.save()
    html = client_for(user).get(reverse("ratings:desk_detail", args=[desk.pk])).content.decode()
    assert PHONE not in html and MASKED in html


def test_the_handler_calls_back_from_the_follow_up_page_its_own_units_only(
    province, rated, handler, caplog
):
    with caplog.at_level("INFO", logger="congvu.audit"):
        page = client_for(handler).get(reverse("ratings:follow_up"))
    html = page.content.decode()
    assert page.status_code == 200
    assert PHONE in html and "Chờ quá lâu" in html and f'href="tel:{PHONE}"' in html
    assert OTHER_PHONE not in html and "Thái độ không tốt" not in html  # Sở Tư pháp's
    assert [r.getMessage() for r in caplog.records].count("rating.contact_view") == 1
    dashboard = client_for(handler).get(reverse("ratings:dashboard")).content.decode()
    assert reverse("ratings:follow_up") in dashboard  # the tab


def test_the_follow_up_page_is_the_handlers_alone(province, rated):
    for key in (
        "admin",
        "snv",
        "head_syt",
        "head_stp",
        "staff",
        "leader",
        "mttq",
        "inspector",
        "outsider",
    ):
        response = client_for(province.users[key]).get(reverse("ratings:follow_up"))
        assert response.status_code == 403, key
        assert PHONE not in response.content.decode()
    assert Client().get(reverse("ratings:follow_up")).status_code == 302  # to the login page


def test_a_handler_rated_as_the_official_never_sees_that_citizens_number(province, handler):
    own = make_desk(province, name="Quầy chị Hoa", kind="can_bo", staff=handler.staff)
    submit(own, score=1, reason="Chị Hoa cáu gắt", phone=OTHER_PHONE)
    html = client_for(handler).get(reverse("ratings:follow_up")).content.decode()
    assert OTHER_PHONE not in html and "Chị Hoa cáu gắt" not in html


def test_no_other_page_or_the_api_shows_the_number(province, rated, handler):
    desk, _ = rated
    head = client_for(province.users["head_syt"])
    for url in (
        reverse("ratings:dashboard"),
        reverse("ratings:desk_list"),
        reverse("ratings:review"),
        reverse("ratings_public:stats"),
        reverse("ratings:staff_index", args=[province.staff["syt_cc"].pk]),
    ):
        html = head.get(url).content.decode()
        assert PHONE not in html and MASKED not in html, url
    token = token_create(actor=SYSTEM, user=province.users["head_syt"])
    api = Client(HTTP_AUTHORIZATION=f"Bearer {token}")
    schema = json.dumps(api.get("/api/v1/openapi.json").json())
    assert "phone" not in schema.lower()
    answer = api.post(
        "/api/v1/ratings",
        [{"id": "x-1", "desk": desk.pk, "score": 5}],
        content_type="application/json",
    )
    assert PHONE not in answer.content.decode()


def test_the_follow_up_page_pages_its_list_with_the_shared_pager(province, handler, monkeypatch):
    from congvu.ratings import views

    monkeypatch.setattr(views, "PAGE_SIZE", 1)
    desk = make_desk(province, name="Quầy số 2")
    submit(desk, score=2, reason="Lần một", phone=PHONE)
    submit(make_desk(province, name="Quầy số 3"), score=1, reason="Lần hai", phone=OTHER_PHONE)
    client = client_for(handler)
    first = client.get(reverse("ratings:follow_up")).content.decode()
    assert "Trang 1/2" in first and "?trang=2" in first
    second = client.get(reverse("ratings:follow_up"), {"trang": 2}).content.decode()
    assert "Trang 2/2" in second and "?trang=1" in second
    shown = [text for text in ("Lần một", "Lần hai") if text in first + second]
    assert shown == ["Lần một", "Lần hai"] and ("Lần một" in first) != ("Lần một" in second)
