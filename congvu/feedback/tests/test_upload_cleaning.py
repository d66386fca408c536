"""Citizens' attachments through the service and the public form (issue: defects 1, 5, 7): no
metadata survives, oversize photos and bombs are refused from their header, a phone photo is
kept scaled, downloads are named from the detected type, and filings with files have a lower
per-address limit."""

import io
import time

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from PIL import Image

from congvu.core.models import RateCounter
from congvu.core.tests import images
from congvu.core.uploads import JPEG, PNG
from congvu.feedback import services, uploads
from congvu.feedback.models import Report, ReportAttachment
from congvu.feedback.tests.conftest import file_report, report_input
from congvu.feedback.tests.test_public import stored_files, submit, upload

pytestmark = pytest.mark.django_db

DIRTY = [("IMG_0001.jpg", images.dirty_jpeg, JPEG), ("anh.png", images.dirty_png, PNG)]


def _stored(attachment: ReportAttachment) -> bytes:
    return (uploads.directory() / attachment.stored_name).read_bytes()


def test_the_service_stores_photos_with_no_comment_xmp_exif_iptc_icc_or_text(province):
    files = [SimpleUploadedFile(name, make()) for name, make, _ in DIRTY]
    report = file_report("KHA-SYT", uploads=files)
    for attachment, (_, _, kind) in zip(
        report.attachments.order_by("position"), DIRTY, strict=True
    ):
        assert attachment.content_type == kind
        images.assert_no_metadata(_stored(attachment), kind)


def test_the_public_form_stores_photos_with_no_comment_xmp_exif_iptc_icc_or_text(province, client):
    response = submit(client, files=[upload(name, make()) for name, make, _ in DIRTY])
    assert response.status_code == 201
    stored = {a.content_type: _stored(a) for a in ReportAttachment.objects.all()}
    assert set(stored) == {JPEG, PNG}
    for kind, data in stored.items():
        images.assert_no_metadata(data, kind)


@pytest.mark.parametrize(
    ("name", "make", "message"),
    [
        ("40mp.jpg", lambda: images.flat_jpeg(8000, 5000), "ảnh quá lớn: tối đa 16 triệu"),
        ("bom.png", images.png_bomb, "ảnh quá lớn: tối đa 8 triệu"),
    ],
    ids=["40 megapixels", "20000 x 20000 png bomb"],
)
def test_an_oversize_photo_or_a_bomb_is_refused_quickly_and_nothing_is_stored(
    province, client, name, make, message
):
    data = make()
    started = time.perf_counter()
    with pytest.raises(ValidationError, match=message):
        services.report_submit(data=report_input(uploads=[SimpleUploadedFile(name, data)]))
    assert time.perf_counter() - started < 0.5
    response = submit(client, files=[upload(name, data)])
    assert response.status_code == 200 and message in response.content.decode()
    assert not Report.objects.exists() and stored_files() == []


def test_a_12_megapixel_phone_photo_is_kept_scaled_to_the_stored_side(province, client):
    assert submit(client, files=[upload("IMG_1234.jpg", images.phone_jpeg())]).status_code == 201
    with Image.open(io.BytesIO(_stored(ReportAttachment.objects.get()))) as image:
        assert image.format == "JPEG" and image.size == (2560, 1920)


def test_a_jpeg_html_polyglot_downloads_as_a_plain_jpg_attachment(province, client, handlers):
    assert (
        submit(client, files=[upload("x.html", images.polyglot(), "text/html")]).status_code == 201
    )
    handler = Client()
    handler.force_login(handlers["syt"])
    report = Report.objects.get()
    response = handler.get(reverse("feedback:attachment_download", args=[report.pk, 1]))
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment;") and disposition.endswith('.jpg"')
    assert "html" not in disposition
    assert response["Content-Type"] == "image/jpeg"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"] == "private, no-store"
    assert b"<html" not in b"".join(response.streaming_content)


def test_filings_with_files_have_a_lower_limit_per_address(province, client, settings):
    settings.REPORTS_RATE_LIMITS = {"submit": (4, 3600), "submit_files": (2, 3600)}
    for _ in range(2):
        assert submit(client, files=[upload("a.jpg", images.dirty_jpeg())]).status_code == 201
    refused = submit(
        client,
        noi_dung="Lần thứ ba có ảnh: cán bộ vẫn bắt đi lại nhiều lần.",
        files=[upload("a.jpg", images.dirty_jpeg())],
    )
    body = refused.content.decode()
    assert refused.status_code == 429 and "nhiều phản ánh kèm tệp" in body
    assert "Lần thứ ba có ảnh" in body  # the typed text is kept to send again without the file
    assert Report.objects.count() == 2 and len(stored_files()) == 2
    assert RateCounter.objects.filter(key__startswith="reports.submit_files:").exists()
    assert submit(client).status_code == 201  # without files: up to the general limit
    assert submit(client).status_code == 201
    assert submit(client).status_code == 429
    assert Report.objects.count() == 4 and len(stored_files()) == 2


def test_a_refused_file_counts_against_the_limit_on_filings_with_files(province, client, settings):
    settings.REPORTS_RATE_LIMITS = {"submit_files": (1, 3600)}
    broken = submit(client, files=[upload("a.jpg", images.flat_jpeg(64, 48)[:-200])])
    assert broken.status_code == 200 and "ảnh bị hỏng" in broken.content.decode()
    response = submit(client, files=[upload("a.jpg", images.dirty_jpeg())])
    assert response.status_code == 429 and not Report.objects.exists()
    assert submit(client).status_code == 201
