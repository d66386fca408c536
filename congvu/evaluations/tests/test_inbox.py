"""The inbox: each user's own notifications, unread marked, marked read one by one or all."""

import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from congvu.core.models import AuditLog, Notification
from congvu.core.notifications import notifications_mark_read

pytestmark = pytest.mark.django_db
INBOX = reverse("evaluations:inbox")


def notify(user, count: int, text: str = "Phiếu đánh giá") -> list[Notification]:
    now = timezone.now()
    return [
        Notification.objects.create(
            recipient=user, kind="test", message=f"{text} {i}", created_at=now
        )
        for i in range(count)
    ]


def test_marking_read_touches_only_the_actors_own(province):
    mine = notify(province.users["staff"], 3)
    theirs = notify(province.users["head_syt"], 2)
    assert (
        notifications_mark_read(actor=province.users["staff"], ids=[mine[0].pk, theirs[0].pk]) == 1
    )
    assert notifications_mark_read(actor=province.users["staff"]) == 2
    assert notifications_mark_read(actor=province.users["staff"]) == 0
    assert (
        Notification.objects.filter(
            recipient=province.users["head_syt"], read_at__isnull=True
        ).count()
        == 2
    )
    assert list(
        AuditLog.objects.filter(action="notifications.read").values_list("data", flat=True)
    ) in (
        [{"count": 1}, {"count": 2}],
        [{"count": 2}, {"count": 1}],
    )


def badge(html: str) -> str | None:
    found = re.search(r'id="nav-thong-bao"[^>]*>[^<]*<span class="badge[^"]*">(\d+)', html)
    return found[1] if found else None


def test_the_inbox_page_lists_marks_and_counts(province):
    user = province.users["staff"]
    notes = notify(user, 30)
    notify(province.users["head_syt"], 1, "Của người khác")
    client = Client()
    client.force_login(user)
    page = client.get(INBOX).content.decode()
    assert badge(page) == "30" and "Của người khác" not in page
    assert 'id="menu-chua-doc">30<' in page  # on the phone's menu button too
    assert page.count("list-group-item-primary") == 25  # a page of 25, all unread
    assert 'id="so-chua-doc">30<' in page
    second = client.get(INBOX, {"trang": "2"}).content.decode()
    assert second.count("list-group-item-primary") == 5
    response = client.post(INBOX + "?chua-doc=1", {"id": str(notes[0].pk), "trang": "1"})
    assert response.status_code == 302 and response["Location"] == INBOX + "?chua-doc=1&trang=1"
    assert badge(client.get(INBOX).content.decode()) == "29"
    other = Notification.objects.get(message="Của người khác 0")
    client.post(INBOX, {"id": str(other.pk)})  # another's: ignored
    assert Notification.objects.get(pk=other.pk).read_at is None
    bad = client.post(INBOX, {"id": "abc"}, follow=True).content.decode()
    assert "Thông báo không hợp lệ." in bad
    done = client.post(INBOX, follow=True).content.decode()
    assert "Đã đánh dấu 29 thông báo là đã đọc." in done and badge(done) is None
    assert "Không có thông báo chưa đọc." in client.get(INBOX, {"chua-doc": "1"}).content.decode()


def test_the_inbox_needs_a_login(province):
    response = Client().get(INBOX)
    assert response.status_code == 302 and reverse("login") in response["Location"]
