"""Login lock-out (QUALITY.md S3): django-axes' database handler, plus a lock of a username
at every address.

Axes locks a username at one address after AXES_FAILURE_LIMIT failures there
(AXES_LOCKOUT_PARAMETERS). Alone, that lets a guesser with many addresses (a botnet, a phone
network's pool) try AXES_FAILURE_LIMIT passwords per address. ``LockoutHandler`` also counts
the username's failures from every address within the cool-off, the rows axes keeps anyway
(``AccessAttempt``): at AXES_USERNAME_FAILURE_LIMIT the username is locked everywhere, the
right password included, until the cool-off has passed, and its owner finds a notice in the
inbox. Locked-out requests get axes' own page (AXES_LOCKOUT_TEMPLATE). API tokens are not
passwords: they never pass through here.
"""

from __future__ import annotations

from axes.attempts import get_cool_off_threshold
from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username, get_cool_off, get_failure_limit
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Count, Sum
from django.http import HttpRequest
from django.utils import timezone

from congvu.accounts.models import User
from congvu.core.logging import log_event
from congvu.core.notifications import notifications_send

MSG_LOCKED = (
    "Tài khoản của bạn bị tạm khóa đăng nhập từ {time}: có {failures} lần nhập sai mật khẩu "
    "từ {addresses} địa chỉ mạng trong {minutes} phút. Khóa tự mở chậm nhất {minutes} phút sau "
    "lần nhập sai cuối cùng. Nếu không phải bạn nhập, có người đang dò mật khẩu của bạn: hãy "
    "đổi mật khẩu khi đăng nhập lại được và báo quản trị hệ thống."
)


def username_failures(request: HttpRequest, credentials: dict | None = None) -> tuple[int, int]:
    """(failures, addresses): the failed logins of the request's username within the
    cool-off, from every address, and from how many addresses."""
    username = get_client_username(request, credentials)
    if not username:
        return 0, 0
    found = AccessAttempt.objects.filter(
        username=username, attempt_time__gte=get_cool_off_threshold(request)
    ).aggregate(failures=Sum("failures_since_start"), addresses=Count("ip_address", distinct=True))
    return found["failures"] or 0, found["addresses"]


class LockoutHandler(AxesDatabaseHandler):
    """Axes' database handler with the username-wide limit (settings.AXES_HANDLER)."""

    def get_failures(self, request: HttpRequest, credentials: dict | None = None) -> int:
        """Axes locks when this reaches AXES_FAILURE_LIMIT: the failures of the username at
        this address, raised to that limit once the username-wide limit is reached."""
        failures = super().get_failures(request, credentials)
        if username_failures(request, credentials)[0] >= settings.AXES_USERNAME_FAILURE_LIMIT:
            return max(failures, get_failure_limit(request, credentials))
        return failures

    def user_login_failed(self, sender, credentials: dict, request=None, **kwargs) -> None:
        if request is None:  # axes logs it and records nothing
            return super().user_login_failed(sender, credentials, request=request, **kwargs)
        before, _ = username_failures(request, credentials)
        super().user_login_failed(sender, credentials, request=request, **kwargs)
        after, addresses = username_failures(request, credentials)
        if before < settings.AXES_USERNAME_FAILURE_LIMIT <= after:
            username_locked(request, get_client_username(request, credentials), after, addresses)


def username_locked(request: HttpRequest, username: str, failures: int, addresses: int) -> None:
    """Log the lock of ``username`` at every address and tell its owner in the inbox (the
    project sends no e-mail). A username nobody holds is only logged."""
    user_id = User.objects.filter(username=username).values_list("pk", flat=True).first()
    log_event(
        "login.username_locked",
        user=user_id,
        known=user_id is not None,
        failures=failures,
        addresses=addresses,
    )
    if user_id is None:
        return
    now = timezone.localtime()
    cool_off = get_cool_off(request)
    minutes = int(cool_off.total_seconds() // 60) if cool_off else 0
    message = MSG_LOCKED.format(
        time=f"{now:%H:%M} ngày {now:%d/%m/%Y}",
        failures=failures,
        addresses=addresses,
        minutes=minutes,
    )
    notifications_send(
        recipient_ids=[user_id],
        kind="login_lock",
        message=message,
        key=f"login-lock:{now:%Y%m%d%H%M}",
    )
