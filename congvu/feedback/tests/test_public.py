"""The public pages: choosing a unit, filing a report, every bad input refused with a Vietnamese
message and nothing stored, cleaned attachments, idempotent retries, tracking by code."""

import io
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from PIL import ExifTags, Image
from pypdf import PdfReader, PdfWriter
from pypdf.generic import DictionaryObject, NameObject, TextStringObject

from congvu.core.models import AuditLog
from congvu.core.tests.test_db_unavailable import _assert_plain_503, database_down
from congvu.feedback import rules
from congvu.feedback.models import Report, ReportAttachment, ReporterContact
from congvu.feedback.tests.conftest import REPORTER

pytestmark = pytest.mark.django_db

FORM = reverse("feedback:public_form")
TRACK = reverse("feedback:public_track")
GOOD = {
    "don_vi": "KHA-SYT",
    "nhom": "gay-kho-khan",
    "ngay": "19/11/2026",
    "noi_dung": "Cán bộ một cửa bắt tôi đi lại ba lần để bổ sung một tờ giấy không cần thiết.",
    "an_danh": "1",
}


def form_key(client: Client, unit: str = "KHA-SYT") -> str:
    response = client.get(FORM, {"don_vi": unit})
    assert response.status_code == 200
    return re.search(r'name="khoa" value="([^"]+)"', response.content.decode()).group(1)


def submit(client: Client, key: str | None = None, files=(), **fields):
    data = {**GOOD, "khoa": key or form_key(client), **fields}
    if files:
        data["tep"] = list(files)
    return client.post(f"{FORM}?don_vi={data['don_vi']}", data)


def code_of(response) -> str:
    return re.search(r'id="tracking-code">([^<]+)<', response.content.decode()).group(1)


def stored_files() -> list[Path]:
    folder = Path(settings.MEDIA_ROOT) / "reports"
    return sorted(folder.iterdir()) if folder.exists() else []


def jpeg_with_gps(size=(64, 48)) -> bytes:
    image = Image.new("RGB", size, "red")
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "CameraCo"
    exif[ExifTags.Base.Orientation] = 6  # taken sideways: stored upright
    exif.get_ifd(ExifTags.IFD.GPSInfo).update(
        {
            ExifTags.GPS.GPSLatitudeRef: "N",
            ExifTags.GPS.GPSLatitude: (12.0, 15.0, 30.0),
            ExifTags.GPS.GPSLongitudeRef: "E",
            ExifTags.GPS.GPSLongitude: (109.0, 11.0, 0.0),
        }
    )
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif)
    return out.getvalue()


def pdf_with_metadata() -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(200, 200)
    writer.add_metadata({"/Author": "Nguyễn Văn Người Gửi", "/Title": "Biên lai"})
    script = DictionaryObject(
        {
            NameObject("/S"): NameObject("/JavaScript"),
            NameObject("/JS"): TextStringObject("app.alert('x');"),
        }
    )
    writer._root_object[NameObject("/OpenAction")] = writer._add_object(script)
    writer.pages[0][NameObject("/AA")] = DictionaryObject({NameObject("/O"): script})
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def upload(name: str, data: bytes, kind: str = "image/jpeg") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type=kind)


# --- Choosing the unit ----------------------------------------------------------------------


def test_the_unit_search_ignores_diacritics_and_case(province, client):
    body = client.get(reverse("feedback:public_start"), {"q": "so Y TE"}).content.decode()
    assert "Sở Y tế" in body and "Sở Tư pháp" not in body
    body = client.get(reverse("feedback:public_start"), {"q": "cam lam"}).content.decode()
    assert "UBND xã Cam Lâm" in body
    assert "UBND huyện Cam Lâm" not in body  # ended in 2025: not offered any more


def test_the_unit_search_without_javascript_links_to_the_form(province, client):
    body = client.get(reverse("feedback:public_start"), {"q": "tu phap"}).content.decode()
    assert f'href="{FORM}?don_vi=KHA-STP"' in body
    assert "<script" not in body


def test_an_unknown_unit_sends_back_to_the_search(province, client):
    response = client.get(FORM, {"don_vi": "KHONG-CO"})
    assert response.status_code == 404
    assert "Không tìm thấy đơn vị này" in response.content.decode()


def test_the_form_lists_the_units_staff_to_pick_and_the_categories(province, client):
    body = client.get(FORM, {"don_vi": "KHA-STP"}).content.decode()
    assert "Võ Thị Ánh" in body and "Trần Thị Bích" not in body  # Sở Tư pháp's own staff only
    assert "Vòi vĩnh, nhũng nhiễu" in body and "Sử dụng rượu, bia" in body


def test_the_public_pages_are_light_for_a_cheap_phone(province, client):
    from django.contrib.staticfiles import finders

    css = Path(finders.find("feedback/public.css")).stat().st_size
    for url in (reverse("feedback:public_start") + "?q=so", f"{FORM}?don_vi=KHA-SYT", TRACK):
        response = client.get(url)
        body = response.content.decode()
        assert "<script" not in body and "bootstrap" not in body
        assert len(response.content) + css < 50 * 1024, url


# --- Filing ---------------------------------------------------------------------------------


def test_a_citizen_files_a_report_and_gets_a_tracking_code(province, client):
    response = submit(client, an_danh="", ho_ten=REPORTER["name"], dien_thoai=REPORTER["phone"])
    assert response.status_code == 201
    code = code_of(response)
    report = Report.objects.get()
    assert code == rules.tracking_code_display(report.code)
    assert rules.tracking_code_problem(report.code) is None
    assert report.status == "received" and report.due_on.isoformat() == "2026-12-06"
    assert ReporterContact.objects.get(report=report).phone == "0912345678"
    assert "Hạn trả lời" in response.content.decode() and "06/12/2026" in response.content.decode()


def test_an_anonymous_report_stores_no_contact_even_if_typed(province, client):
    submit(client, an_danh="1", ho_ten="Tên vẫn gõ", dien_thoai="0912345678")
    assert Report.objects.get().anonymous and not ReporterContact.objects.exists()


def test_a_retried_post_with_the_same_key_creates_one_report(province, client):
    key = form_key(client)
    first = submit(client, key, files=[upload("a.jpg", jpeg_with_gps())])
    again = submit(client, key, files=[upload("a.jpg", jpeg_with_gps())])
    assert first.status_code == 201 and again.status_code == 200
    assert code_of(first) == code_of(again)
    assert Report.objects.count() == 1 and len(stored_files()) == 1


def test_the_same_key_with_other_content_is_refused_and_nothing_changes(province, client):
    key = form_key(client)
    submit(client, key)
    response = submit(client, key, noi_dung="Một nội dung khác hẳn, đủ dài để được nhận.")
    assert response.status_code == 409
    assert "đã được gửi trước đó" in response.content.decode()
    assert Report.objects.count() == 1
    assert "Một nội dung khác" not in Report.objects.get().description


def test_a_photo_is_stored_without_exif_or_gps_and_upright(province, client):
    original = jpeg_with_gps()
    submit(client, files=[upload("IMG_2026.jpg", original)])
    (path,) = stored_files()
    stored = path.read_bytes()
    assert stored != original and b"CameraCo" not in stored and b"Exif" not in stored
    with Image.open(io.BytesIO(stored)) as image:
        assert not image.getexif()
        assert image.getexif().get_ifd(ExifTags.IFD.GPSInfo) == {}
        assert image.size == (48, 64)  # turned as the EXIF orientation said, then dropped
    attachment = ReportAttachment.objects.get()
    assert attachment.content_type == "image/jpeg" and attachment.size == len(stored)
    assert path.parent.resolve().is_relative_to(Path(settings.MEDIA_ROOT).resolve())
    assert path.name != "IMG_2026.jpg" and re.fullmatch(r"[0-9a-f]{32}", path.name)


def test_a_png_keeps_no_text_chunks(province, client):
    from PIL.PngImagePlugin import PngInfo

    info = PngInfo()
    info.add_text("Author", "Nguyễn Văn Người Gửi")
    out = io.BytesIO()
    Image.new("RGBA", (20, 20), (0, 0, 255, 128)).save(out, "PNG", pnginfo=info)
    submit(client, files=[upload("a.png", out.getvalue(), "image/png")])
    (path,) = stored_files()
    assert b"Author" not in path.read_bytes() and path.read_bytes().startswith(b"\x89PNG")


def test_a_pdf_is_stored_without_metadata_or_scripts(province, client):
    original = pdf_with_metadata()
    assert b"Author" in original and b"JavaScript" in original
    submit(client, files=[upload("bien-lai.pdf", original, "application/pdf")])
    (path,) = stored_files()
    stored = path.read_bytes()
    assert b"Author" not in stored and b"JavaScript" not in stored and b"/JS" not in stored
    reader = PdfReader(io.BytesIO(stored))
    assert len(reader.pages) == 1 and not (reader.metadata or {}).get("/Author")


# --- Every bad input: a Vietnamese message, nothing stored ----------------------------------

EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 200
BAD_INPUTS = [
    ("no category", {"nhom": ""}, (), "Hãy chọn nhóm hành vi"),
    ("unknown category", {"nhom": "an-trom"}, (), "Hãy chọn nhóm hành vi"),
    ("no date", {"ngay": ""}, (), "Hãy nhập ngày xảy ra"),
    ("a date that is no date", {"ngay": "31/02/2026"}, (), "dd/mm/yyyy"),
    ("a date in the future", {"ngay": "22/11/2026"}, (), "không được sau hôm nay"),
    ("a date long ago", {"ngay": "01/01/2001"}, (), "5 năm gần đây"),
    ("no description", {"noi_dung": ""}, (), "Hãy mô tả sự việc"),
    ("a description too short", {"noi_dung": "Tệ quá"}, (), "ít nhất 20 ký tự"),
    ("100 KB of text", {"noi_dung": "Rất tệ. " * 12_800}, (), "Nội dung tối đa 4.000 ký tự"),
    ("a place too long", {"noi_xay_ra": "quầy " * 100}, (), "Nơi xảy ra tối đa 200 ký tự"),
    (
        "contact without a name",
        {"an_danh": "", "dien_thoai": "0912345678"},
        (),
        "Hãy nhập họ và tên",
    ),
    (
        "contact without a way to reach",
        {"an_danh": "", "ho_ten": "Lê Mai"},
        (),
        "số điện thoại hoặc thư",
    ),
    (
        "a bad phone",
        {"an_danh": "", "ho_ten": "Lê Mai", "dien_thoai": "12345"},
        (),
        "Số điện thoại không hợp lệ",
    ),
    (
        "a bad e-mail",
        {"an_danh": "", "ho_ten": "Lê Mai", "email": "mai@"},
        (),
        "thư điện tử không hợp lệ",
    ),
    ("a staff pick from another unit", {"can_bo": "999999"}, (), "không thuộc đơn vị này"),
    (
        "an .exe renamed .jpg",
        {},
        [("anh.jpg", EXE, "image/jpeg")],
        "chỉ nhận ảnh JPEG, PNG hoặc tệp PDF",
    ),
    (
        "a text file",
        {},
        [("ghi-chu.pdf", b"hello world" * 10, "application/pdf")],
        "chỉ nhận ảnh JPEG",
    ),
    (
        "a broken JPEG",
        {},
        [("a.jpg", b"\xff\xd8\xff\xe0" + b"\x00" * 64, "image/jpeg")],
        "ảnh bị hỏng",
    ),
    ("a broken PDF", {}, [("a.pdf", b"%PDF-1.4\n garbage", "application/pdf")], "PDF bị hỏng"),
    ("an empty file", {}, [("a.jpg", b"", "image/jpeg")], "tệp rỗng"),
    (
        "four files",
        {},
        [(f"{i}.jpg", b"\xff\xd8\xff", "image/jpeg") for i in range(4)],
        "tối đa 3 tệp",
    ),
]


@pytest.mark.parametrize(
    ("case", "fields", "files", "message"), BAD_INPUTS, ids=[b[0] for b in BAD_INPUTS]
)
def test_bad_input_is_refused_with_a_vietnamese_message_and_nothing_is_stored(
    province, client, case, fields, files, message
):
    audit_before = AuditLog.objects.count()
    response = submit(client, files=[upload(*f) for f in files], **fields)
    body = response.content.decode()
    assert response.status_code == 200, case
    assert message in body, (case, re.findall(r'class="error"[^>]*>([^<]+)', body))
    assert 'id="form-errors"' in body
    assert not Report.objects.exists() and not ReporterContact.objects.exists()
    assert not ReportAttachment.objects.exists() and stored_files() == []
    assert AuditLog.objects.count() == audit_before


def test_an_oversize_file_is_refused_before_anything_is_stored(province, client, settings):
    settings.REPORTS_UPLOAD_MAX_BYTES = 50 * 1024
    big = jpeg_with_gps() + b"\x00" * (60 * 1024)
    response = submit(client, files=[upload("to.jpg", big)])
    assert response.status_code == 200
    assert "Tệp 1 (to.jpg): tệp quá lớn, tối đa 50 KB." in response.content.decode()
    assert not Report.objects.exists() and stored_files() == []


def test_a_request_far_over_the_limits_is_refused_unread(province, client, settings):
    settings.REPORTS_UPLOAD_MAX_BYTES = 10 * 1024
    settings.REPORTS_UPLOAD_MAX_FILES = 1
    response = submit(client, files=[upload("a.jpg", b"\xff\xd8\xff" + b"\x00" * 400 * 1024)])
    assert response.status_code == 413
    assert "Các tệp gửi kèm quá lớn" in response.content.decode()
    assert not Report.objects.exists() and stored_files() == []


def test_a_file_refused_by_the_virus_scanner_stores_nothing(province, client, settings):
    settings.UPLOAD_SCANNER = "congvu.feedback.tests.test_public.refuse_everything"
    response = submit(client, files=[upload("a.jpg", jpeg_with_gps())])
    assert response.status_code == 200 and "có mã độc" in response.content.decode()
    assert not Report.objects.exists() and stored_files() == []


def refuse_everything(data: bytes) -> None:
    from django.core.exceptions import ValidationError

    raise ValidationError("tệp có mã độc")


def test_a_failure_while_saving_removes_the_files_already_written(province, client, monkeypatch):
    def broken(**kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr("congvu.feedback.services.audit_record", broken)
    client.raise_request_exception = False
    response = submit(client, files=[upload("a.jpg", jpeg_with_gps())])
    assert response.status_code == 500
    assert not Report.objects.exists() and stored_files() == []


def test_html_and_script_are_shown_escaped(province, client):
    script = "<script>alert('xss')</script><b>đậm</b> cán bộ gây khó khăn suốt buổi sáng"
    response = submit(client, noi_dung=script, ngay="")  # refused: the text comes back
    body = response.content.decode()
    assert "&lt;script&gt;alert(&#x27;xss&#x27;)&lt;/script&gt;" in body
    assert "<script>alert" not in body and "<b>đậm</b>" not in body
    submit(client, noi_dung=script)
    handler = Client()
    handler.force_login(province.users["head_syt"])
    detail = handler.get(reverse("feedback:handling_detail", args=[Report.objects.get().pk]))
    assert (
        "&lt;script&gt;" in detail.content.decode()
        and "<script>alert" not in detail.content.decode()
    )


def test_a_missing_or_forged_form_key_asks_to_reload(province, client):
    response = submit(client, key="x")
    assert response.status_code == 200
    assert "hãy tải lại trang" in response.content.decode()
    assert not Report.objects.exists()


def test_the_form_needs_a_csrf_token(province):
    client = Client(enforce_csrf_checks=True)
    response = client.post(f"{FORM}?don_vi=KHA-SYT", {**GOOD, "khoa": "k" * 24})
    assert response.status_code == 403 and not Report.objects.exists()


def test_submissions_are_rate_limited_per_client(province, client, settings):
    settings.REPORTS_RATE_LIMITS = {"submit": (2, 3600)}
    assert submit(client).status_code == 201
    assert submit(client).status_code == 201
    response = submit(client)
    assert response.status_code == 429 and "thử lại sau" in response.content.decode()
    assert Report.objects.count() == 2


def test_the_form_answers_503_while_the_database_is_down_and_stores_no_file(province):
    client = Client(raise_request_exception=False)
    key = form_key(client)
    with database_down():
        _assert_plain_503(submit(client, key, files=[upload("a.jpg", jpeg_with_gps())]))
    assert stored_files() == []
    assert submit(client, key).status_code == 201  # recovers by itself


# --- Following a report ------------------------------------------------------------------------


def test_the_citizen_follows_the_report_and_reads_the_answer(province, client):
    code = code_of(submit(client))
    body = client.get(TRACK, {"ma": code.lower().replace("-", " ")}).content.decode()
    assert "Đã tiếp nhận" in body and "Sở Y tế" in body
    report = Report.objects.get()
    from congvu.feedback import services

    head = province.users["head_syt"]
    services.report_move(actor=head, report=report, move="verify")
    conclusion = services.Conclusion(finding="Đúng: cán bộ yêu cầu giấy tờ thừa.")
    services.report_move(actor=head, report=report, move="conclude", conclusion=conclusion)
    services.report_move(
        actor=head,
        report=report,
        move="answer",
        answer="Đơn vị đã nhắc nhở cán bộ và xin lỗi ông/bà.",
    )
    response = client.get(TRACK, {"ma": code})
    body = response.content.decode()
    assert "Đã trả lời" in body and "Đơn vị đã nhắc nhở cán bộ" in body
    assert "cán bộ yêu cầu giấy tờ thừa" not in body  # the internal finding stays internal
    assert response["Cache-Control"].startswith("max-age=0")


def test_unknown_codes_all_get_the_same_answer(province, client):
    submit(client)
    other = rules.tracking_code_new()
    first = client.get(TRACK, {"ma": other}).content.decode()
    second = client.get(TRACK, {"ma": rules.tracking_code_new()}).content.decode()
    assert "Không tìm thấy phản ánh nào có mã này." in first
    strip = lambda body: re.sub(r'value="[^"]*"', "", body)  # noqa: E731
    assert strip(first) == strip(second)


def test_a_mistyped_code_is_caught_by_its_check_character(province, client):
    submit(client)
    code = Report.objects.get().code
    typo = code[:-1] + ("0" if code[-1] != "0" else "1")
    body = client.get(TRACK, {"ma": typo}).content.decode()
    assert "Mã theo dõi không đúng" in body and "Sở Y tế" not in body


def test_lookups_are_rate_limited_and_failures_logged(province, client, settings, caplog):
    settings.REPORTS_RATE_LIMITS = {"lookup_failed": (3, 600), "lookup": (100, 600)}
    for _ in range(3):
        assert client.get(TRACK, {"ma": rules.tracking_code_new()}).status_code == 200
    code = code_of(submit(client))
    response = client.get(TRACK, {"ma": code})  # even a good code waits out the window
    assert response.status_code == 429
    assert sum("report.lookup_failed" in r.getMessage() for r in caplog.records) == 3


# --- From a desk's rating page ------------------------------------------------------------


def test_a_report_from_a_desks_thank_you_page_links_the_desk(province):
    from congvu.ratings.tests.conftest import make_desk, token_of

    desk = make_desk(province, name="Quầy số 2", kind="can_bo", staff=province.staff["syt_cc"])
    citizen = Client()
    rate_url = reverse("ratings_public:rate", args=[token_of(desk)])
    page = citizen.get(rate_url).content.decode()
    key = re.search(r'name="khoa" value="([^"]+)"', page)[1]
    thanks = citizen.post(rate_url, {"khoa": key, "diem": "1", "ly_do": "Cáu gắt"})
    link = re.search(r'href="([^"]*/phan-anh/gui/[^"]*)"', thanks.content.decode())[1]
    link = link.replace("&amp;", "&")
    assert f"quay={token_of(desk)}" in link and "don_vi=KHA-SYT" in link
    form = citizen.get(link).content.decode()
    assert 'value="Quầy số 2"' in form  # the place
    assert f'<option value="{province.staff["syt_cc"].pk}" selected' in form  # the official
    key = re.search(r'name="khoa" value="([^"]+)"', form)[1]
    response = citizen.post(
        link, {**GOOD, "khoa": key, "quay": token_of(desk), "noi_xay_ra": "Quầy số 2"}
    )
    assert response.status_code == 201
    report = Report.objects.get()
    assert report.desk == desk and report.place == "Quầy số 2"
    handler = Client()
    handler.force_login(province.users["snv"])
    detail = handler.get(reverse("feedback:handling_detail", args=[report.pk])).content.decode()
    assert 'id="diem-danh-gia"' in detail
    assert reverse("ratings:desk_detail", args=[desk.pk]) in detail


@pytest.mark.parametrize("case", ["other_unit", "revoked", "garbage"])
def test_a_desk_token_that_does_not_fit_is_dropped_and_the_report_kept(province, case):
    from congvu.ratings import services as rating_services
    from congvu.ratings.tests.conftest import make_desk, token_of

    desk = make_desk(province, unit_key="stp", name="Quầy hộ tịch")
    token = token_of(desk)
    if case == "revoked":
        desk = make_desk(province, name="Quầy số 3")
        token = token_of(desk)
        rating_services.desk_token_rotate(actor=province.users["admin"], desk=desk)
    elif case == "garbage":
        token = "<script>x</script>" * 5
    client = Client()
    assert (
        'name="quay"' not in client.get(FORM, {"don_vi": "KHA-SYT", "quay": token}).content.decode()
    )
    response = submit(client, quay=token)
    assert response.status_code == 201
    assert Report.objects.get().desk is None
