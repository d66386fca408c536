"""The one upload sanitiser (QUALITY.md S5): nothing but pixels is kept, bombs and oversize
images are refused from their header before any decoding, JPEGs decode at reduced scale, and
stored files download under a name whose extension comes from the detected type."""

import io
import time

import pytest
from django.core.exceptions import ValidationError
from PIL import Image, ImageFile, JpegImagePlugin

from congvu.core import uploads
from congvu.core.tests import images
from congvu.core.uploads import JPEG, PDF, PNG


def _no_decoding(monkeypatch) -> None:
    def refuse(self):
        raise AssertionError("pixels were decoded")

    monkeypatch.setattr(ImageFile.ImageFile, "load", refuse)


def test_a_jpeg_keeps_no_comment_xmp_exif_iptc_or_icc_profile():
    dirty = images.dirty_jpeg()
    markers, _ = uploads.jpeg_markers(dirty)
    assert {0xFE, 0xE1, 0xE2, 0xED} <= set(markers)  # COM, EXIF + XMP, ICC, IPTC
    cleaned = uploads.image_clean(dirty, JPEG)
    images.assert_no_metadata(cleaned, JPEG)
    with Image.open(io.BytesIO(cleaned)) as image:
        assert image.size == (64, 48) and image.getpixel((10, 10))[0] > 200  # still red


def test_a_png_keeps_only_its_critical_chunks():
    dirty = images.dirty_png()
    assert {b"tEXt", b"iTXt", b"zTXt", b"eXIf", b"iCCP", b"pHYs"} <= set(uploads.png_chunks(dirty))
    cleaned = uploads.image_clean(dirty, PNG)
    images.assert_no_metadata(cleaned, PNG)
    with Image.open(io.BytesIO(cleaned)) as image:
        assert image.mode == "RGBA" and image.getpixel((5, 5)) == (0, 0, 255, 128)


def test_a_40_megapixel_jpeg_is_refused_from_its_header_without_decoding(monkeypatch):
    data = images.flat_jpeg(8000, 5000)
    assert len(data) < 1024 * 1024
    _no_decoding(monkeypatch)
    started = time.perf_counter()
    with pytest.raises(ValidationError, match="ảnh quá lớn: tối đa 16 triệu điểm ảnh"):
        uploads.image_clean(data, JPEG)
    assert time.perf_counter() - started < 0.5


@pytest.mark.parametrize(("width", "height"), [(20_000, 20_000), (4000, 2500)])
def test_a_png_bomb_or_a_png_over_its_lower_cap_is_refused_without_decoding(
    monkeypatch, width, height
):
    data = images.png_bomb(width, height)
    _no_decoding(monkeypatch)
    started = time.perf_counter()
    with pytest.raises(ValidationError, match="ảnh quá lớn: tối đa 8 triệu điểm ảnh"):
        uploads.image_clean(data, PNG)
    assert time.perf_counter() - started < 0.5


def test_a_12_megapixel_phone_photo_passes_scaled_to_the_stored_side():
    cleaned = uploads.image_clean(images.phone_jpeg(), JPEG)
    with Image.open(io.BytesIO(cleaned)) as image:
        assert image.format == "JPEG" and image.size == (2560, 1920)


def test_a_photo_carrying_a_second_picture_keeps_only_the_first():
    out = io.BytesIO()  # MPO: phones append previews and depth maps after the main picture
    Image.new("RGB", (64, 48), "red").save(
        out, "MPO", save_all=True, append_images=[Image.new("RGB", (32, 24), "blue")]
    )
    cleaned = uploads.image_clean(out.getvalue(), JPEG)
    images.assert_no_metadata(cleaned, JPEG)  # the MPF index (APP2) and the second picture too
    with Image.open(io.BytesIO(cleaned)) as image:
        assert image.format == "JPEG" and image.size == (64, 48)


def test_the_caps_and_the_stored_side_are_settings(settings):
    settings.UPLOAD_IMAGE_MAX_SIDE = 100
    with Image.open(io.BytesIO(uploads.image_clean(images.dirty_jpeg(), JPEG))) as image:
        assert image.size == (64, 48)  # smaller images are not enlarged
    with Image.open(io.BytesIO(uploads.image_clean(images.phone_jpeg(), JPEG))) as image:
        assert image.size == (100, 75)
    settings.UPLOAD_IMAGE_MAX_PIXELS = 2_500_000
    with pytest.raises(ValidationError, match="tối đa 2,5 triệu điểm ảnh"):
        uploads.image_clean(images.phone_jpeg(), JPEG)


def test_a_large_jpeg_is_decoded_at_the_smallest_scale_covering_the_stored_side(
    monkeypatch, settings
):
    settings.UPLOAD_IMAGE_MAX_SIDE = 1000
    decoded = []
    draft = JpegImagePlugin.JpegImageFile.draft

    def spy(self, mode, size):
        result = draft(self, mode, size)
        decoded.append(self.size)
        return result

    monkeypatch.setattr(JpegImagePlugin.JpegImageFile, "draft", spy)
    uploads.image_clean(images.phone_jpeg(), JPEG)
    assert decoded[0] == (1000, 750)  # libjpeg at 1/4 scale, not 4000 × 3000


def _progressive_with_scans(extra: int) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (64, 64), "gray").save(out, "JPEG", progressive=True)
    data = out.getvalue()
    last_scan = data[data.rfind(b"\xff\xda") : -2]
    return data[:-2] + last_scan * extra + b"\xff\xd9"


def test_a_jpeg_with_too_many_scans_is_refused_before_decoding(monkeypatch):
    uploads.image_clean(_progressive_with_scans(0), JPEG)  # a normal progressive JPEG passes
    _no_decoding(monkeypatch)
    with pytest.raises(ValidationError, match="ảnh bị hỏng"):
        uploads.image_clean(_progressive_with_scans(uploads.MAX_JPEG_SCANS), JPEG)


@pytest.mark.parametrize(
    ("data", "kind"),
    [
        (images.flat_jpeg(64, 48)[:-200], JPEG),  # cut short
        (b"\xff\xd8\xff\xe0" + b"\x00" * 64, JPEG),
        (images.dirty_png()[:100], PNG),
        (b"\xff\xd8\xff" + b"\xff\xe1\x00\x04xx" * 1000 + b"\xff\xd9", JPEG),  # segment flood
    ],
    ids=["truncated jpeg", "jpeg header only", "truncated png", "a thousand empty segments"],
)
def test_a_broken_image_is_refused(data, kind):
    with pytest.raises(ValidationError, match="ảnh bị hỏng hoặc không đọc được"):
        uploads.image_clean(data, kind)


def test_a_stored_file_downloads_under_the_detected_type_as_an_attachment(tmp_path):
    path = tmp_path / "a1b2"
    path.write_bytes(images.polyglot())
    response = uploads.stored_file_response(path, JPEG, "x")
    assert response["Content-Disposition"] == 'attachment; filename="x.jpg"'
    assert response["Content-Type"] == "image/jpeg"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"] == "private, no-store"
    response.file_to_stream.close()  # not close(): that signals a finished request
    for content_type, stem, name in [
        (PDF, "Báo cáo Quý 1/2026 — Đợt 2", "bao-cao-quy-1-2026-dot-2.pdf"),
        (PNG, "..", "tep.png"),
        ("text/html", "trang", "trang.bin"),  # a type never accepted is served as bytes
    ]:
        response = uploads.stored_file_response(path, content_type, stem)
        assert response["Content-Disposition"] == f'attachment; filename="{name}"'
        response.file_to_stream.close()
    assert response["Content-Type"] == "application/octet-stream"


def test_a_missing_stored_file_raises_for_the_view_to_answer_404(tmp_path):
    with pytest.raises(FileNotFoundError):
        uploads.stored_file_response(tmp_path / "gone", JPEG, "x")
