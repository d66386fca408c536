"""Fixtures of the report tests: attachments go to a temporary directory; handlers per unit."""

import io
import secrets
from datetime import date, timedelta

import pytest
from django.utils import timezone
from PIL import Image

from congvu.accounts.services import role_assign
from congvu.core.actors import SYSTEM
from congvu.feedback import services
from congvu.feedback.services import ReportInput
from congvu.testing import make_staff, make_user

REPORTER = {"name": "Lê Thị Mai Phương", "phone": "0912 345 678", "email": "mai.phuong@example.vn"}
"""A reporter whose name, phone and email must never reach the unit or the official."""


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "private"


def report_input(unit_code: str = "KHA-SYT", **changes) -> ReportInput:
    values = dict(
        form_key=secrets.token_urlsafe(24),
        unit_code=unit_code,
        category="gay-kho-khan",
        happened_on=(timezone.localdate() - timedelta(days=2)).strftime("%d/%m/%Y"),
        description="Cán bộ một cửa bắt tôi đi lại ba lần để bổ sung một tờ giấy không cần thiết.",
        anonymous=False,
        name=REPORTER["name"],
        phone=REPORTER["phone"],
        email=REPORTER["email"],
    )
    values.update(changes)
    return ReportInput(**values)


def file_report(unit_code: str = "KHA-SYT", **changes):
    return services.report_submit(data=report_input(unit_code, **changes)).report


@pytest.fixture
def handlers(province):
    """A report handler in Sở Y tế and one in Sở Tư pháp (role "handler", own unit only)."""
    users = {}
    for key, unit, name in (("syt", "syt", "Hoa"), ("stp", "stp", "Khang")):
        staff = make_staff(province.units[unit], "Phan", "Thị", name)
        users[key] = make_user(f"xuly_{key}", staff)
        role_assign(
            actor=SYSTEM,
            user=users[key],
            role="handler",
            unit=province.units[unit],
            valid_from=date(2024, 1, 1),
        )
    return users


def jpeg_bytes(size: tuple[int, int] = (32, 24)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, "green").save(out, "JPEG")
    return out.getvalue()
