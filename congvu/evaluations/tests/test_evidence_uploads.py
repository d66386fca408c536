"""Evidence photos go through the same sanitiser as citizens' photos (issue: defects 1, 5, 7):
no metadata is stored, oversize photos and bombs are refused with nothing left behind, a phone
photo is kept scaled, and a file downloads under the detected type's extension."""

import hashlib
import io
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from congvu.core.models import AuditLog
from congvu.core.tests import images
from congvu.core.uploads import JPEG, PNG
from congvu.evaluations import services
from congvu.evaluations.models import Evidence
from congvu.evaluations.tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def an(province, tmp_path):
    version = f.load(tmp_path, f.individual_doc())
    cycle = f.cycle(province["head_syt"], version, province.units["syt"])
    return f.evaluation_of(cycle, province.staff["syt_cc"])


def attach(province, evaluation, name: str, data: bytes) -> Evidence:
    return services.evidence_attach(
        actor=province["staff"],
        evaluation=evaluation,
        criterion="thu.a.2",
        upload=SimpleUploadedFile(name, data),
    )


def stored(evidence: Evidence) -> bytes:
    return services.evidence_path(evidence).read_bytes()


def nothing_stored() -> bool:
    folder = Path(settings.MEDIA_ROOT) / "evidence"
    return not Evidence.objects.exists() and not (folder.exists() and any(folder.iterdir()))


@pytest.mark.parametrize(
    ("name", "make", "kind"),
    [("IMG_0001.jpg", images.dirty_jpeg, JPEG), ("chup-man-hinh.png", images.dirty_png, PNG)],
)
def test_an_evidence_photo_keeps_no_comment_xmp_exif_iptc_icc_or_text(
    province, an, name, make, kind
):
    evidence = attach(province, an, name, make())
    data = stored(evidence)
    assert evidence.content_type == kind
    images.assert_no_metadata(data, kind)
    assert evidence.size == len(data) and evidence.sha256 == hashlib.sha256(data).hexdigest()
    audit = AuditLog.objects.get(action="evaluation.evidence_attach")
    assert audit.data["sha256"] == evidence.sha256


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda: images.flat_jpeg(8000, 5000), "Ảnh quá lớn: tối đa 16 triệu điểm ảnh."),
        (images.png_bomb, "Ảnh quá lớn: tối đa 8 triệu điểm ảnh."),
        (lambda: images.flat_jpeg(64, 48)[:-200], "Ảnh bị hỏng hoặc không đọc được."),
    ],
    ids=["40 megapixels", "20000 x 20000 png bomb", "truncated"],
)
def test_an_oversize_photo_a_bomb_or_a_broken_photo_is_refused_and_nothing_is_stored(
    province, an, make, message
):
    data = make()
    started = time.perf_counter()
    with pytest.raises(ValidationError) as refused:
        attach(province, an, "anh.jpg", data)
    assert time.perf_counter() - started < 0.5
    assert refused.value.messages == [message]
    assert nothing_stored()
    assert not AuditLog.objects.filter(action="evaluation.evidence_attach").exists()


def test_a_12_megapixel_phone_photo_is_kept_scaled_to_the_stored_side(province, an):
    evidence = attach(province, an, "IMG_1234.jpg", images.phone_jpeg())
    with Image.open(io.BytesIO(stored(evidence))) as image:
        assert image.format == "JPEG" and image.size == (2560, 1920)
    assert evidence.size == len(stored(evidence))


def refuse_everything(data: bytes) -> None:
    raise ValidationError("tệp có mã độc")


def test_evidence_refused_by_the_virus_scanner_stores_nothing(province, an, settings):
    settings.UPLOAD_SCANNER = f"{__name__}.refuse_everything"
    with pytest.raises(ValidationError, match="Tệp có mã độc."):
        attach(province, an, "chung-chi.pdf", f.PDF)
    assert nothing_stored()


def test_a_jpeg_html_polyglot_named_x_html_downloads_as_x_jpg(province, an, client):
    evidence = attach(province, an, "x.html", images.polyglot())
    assert evidence.content_type == JPEG and evidence.original_name == "x.html"
    client.force_login(province["staff"])
    response = client.get(reverse("evaluations:evidence_download", args=[evidence.pk]))
    assert response["Content-Disposition"] == 'attachment; filename="x.jpg"'
    assert response["Content-Type"] == "image/jpeg"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"] == "private, no-store"
    assert b"<html" not in b"".join(response.streaming_content)
