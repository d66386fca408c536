"""English pages through Django's i18n; Vietnamese stays the source and the default."""

import ast
import gettext
import re
from datetime import date
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from congvu.core.actors import SYSTEM
from congvu.core.i18n import vietnamese_labels
from congvu.organisations.models import ImportJob, ImportStatus, UnitType
from congvu.standards.models import Catalogue
from congvu.standards.services import catalogues_load, supplement_version_create

LOCALE = Path(settings.LOCALE_PATHS[0])
EN_PO = LOCALE / "en" / "LC_MESSAGES" / "django.po"
EN_MO = EN_PO.with_suffix(".mo")

# (url name, Vietnamese label, English label) for a Sở Nội vụ user
PAGES = [
    ("home", "Hồ sơ của tôi", "My profile"),
    ("home", "Cán bộ, công chức", "Staff"),
    ("organisations:unit_tree", "Cơ cấu tổ chức", "Organisation structure"),
    ("organisations:unit_tree", "Xem vào ngày (dd/mm/yyyy)", "View as of (dd/mm/yyyy)"),
    ("organisations:staff_list", "Cán bộ, công chức, viên chức", "Officials, civil servants"),
    ("organisations:staff_list", "Họ và tên", "Full name"),
    ("organisations:staff_list", "Tìm theo tên hoặc mã (không cần dấu)", "Search by name or code"),
    ("organisations:import_start", "Nhập dữ liệu từ Excel", "Import data from Excel"),
    ("organisations:import_start", "Tải lên và kiểm tra", "Upload and check"),
    ("profile", "Vai trò hiện tại", "Current roles"),
    ("profile", "Đổi mật khẩu", "Change password"),
    ("password_change", "Đổi mật khẩu", "Change password"),
    ("password_change", "Mật khẩu của bạn phải chứa ít nhất", "Your password must contain"),
    ("evaluations:my_list", "Đánh giá của tôi", "My evaluations"),
    ("evaluations:team_list", "Đánh giá cán bộ", "Staff evaluations"),
    ("evaluations:progress_index", "Tiến độ đánh giá", "Evaluation progress"),
    ("evaluations:cycle_list", "Tạo kỳ đánh giá", "Create an evaluation cycle"),
    ("evaluations:cycle_list", "Đã công bố / số phiếu", "Published / forms"),
    ("evaluations:cycle_create", "Hạn kết luận của hội đồng", "Council conclusion deadline"),
    ("evaluations:collective_index", "Đánh giá tập thể", "Collective evaluations"),
    ("discipline:record_list", "Sổ theo dõi kỷ luật", "Discipline register"),
    ("discipline:record_list", "Tên, mã cán bộ, số quyết định", "Name, staff code"),
    ("standards:catalogue_list", "Chuẩn mực và tiêu chí", "Standards and criteria"),
    ("standards:catalogue_list", "Ban hành hoặc sửa nội quy", "Issue or amend a unit"),
    ("standards:rules_overview", "Nội quy của các đơn vị", "Units' internal rules"),
    ("standards:rules_overview", "Chưa có nội quy", "No internal rules"),
    ("ratings:dashboard", "Mức độ hài lòng của người dân", "Citizen satisfaction"),
    ("ratings:dashboard", "Tỷ lệ hài lòng (4–5 sao)", "Satisfaction rate (4–5 stars)"),
    ("ratings:desk_list", "Thêm điểm đánh giá", "Add a rating point"),
    ("ratings:review", "Đánh giá chờ xem xét", "Ratings awaiting review"),
    ("feedback:handling_list", "Xử lý phản ánh, kiến nghị", "Handling reports and recommendations"),
    ("feedback:supervision_reports", "Số ngày xử lý (trung vị)", "Handling days (median)"),
    ("feedback:finding_list", "Kiến nghị giám sát", "Supervision recommendations"),
    (
        "feedback:public_start",
        "Phản ánh cán bộ, công chức có hành vi sai trái",
        "Report misconduct",
    ),
    ("feedback:public_track", "Mã theo dõi", "Tracking code"),
    ("ratings_public:stats", "Kết quả đánh giá sự hài lòng", "Satisfaction rating results"),
]


def english(client) -> None:
    response = client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert response.status_code == 302
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"


def page(client, name: str, args=(), **kwargs) -> str:
    response = client.get(reverse(name, args=args), **kwargs)
    assert response.status_code == 200, name
    return response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "vi", "en"), PAGES)
def test_pages_are_vietnamese_without_a_language_choice(client, province, name, vi, en):
    client.force_login(province["snv"])
    html = page(client, name)
    assert '<html lang="vi">' in html
    assert vi in html
    assert en not in html


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "vi", "en"), PAGES)
def test_pages_are_english_after_choosing_english(client, province, name, vi, en):
    client.force_login(province["snv"])
    english(client)
    html = page(client, name)
    assert '<html lang="en">' in html
    assert en in html
    assert vi not in html


@pytest.mark.django_db
def test_navigation_and_footer_follow_the_language(client, province):
    client.force_login(province["snv"])
    html = page(client, "organisations:unit_tree")
    assert ">Cán bộ, công chức</a>" in html
    assert "Đăng xuất" in html
    english(client)
    html = page(client, "organisations:unit_tree")
    for label in ("Overview", "Organisation structure", "Staff", "Import data", "Sign out"):
        assert f">{label}<" in html, label
    for label in (
        "Evaluation progress",
        "Evaluation cycles",
        "Discipline register",
        "Violations, discipline",
        "Report handling",
        "Report supervision",
        "Citizen satisfaction",
        "Organisation and staff",
        "Evaluation and classification",
        "Citizens",
    ):
        assert f">{label}<" in html, label
    assert "Public Service Culture Scheme" in html
    assert "Đăng xuất" not in html


@pytest.mark.django_db
def test_login_page_in_both_languages(client):
    html = page(client, "login")
    assert "Đăng nhập" in html and "Tên đăng nhập" in html and "Mật khẩu" in html
    assert "Sign in" not in html
    english(client)
    html = page(client, "login")
    assert "Sign in" in html and "Username" in html and "Password" in html
    assert "Đăng nhập" not in html


@pytest.mark.django_db
def test_language_cookie_and_accept_language_choose_english(client, province):
    assert "Sign in" in page(client, "login", headers={"Accept-Language": "en"})
    assert "Đăng nhập" in page(client, "login", headers={"Accept-Language": "vi"})
    client.force_login(province["snv"])
    assert "My profile" in page(client, "home", headers={"Accept-Language": "en-GB,en;q=0.9"})
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    html = page(client, "organisations:staff_list")
    assert "Officials, civil servants and public employees" in html


@pytest.mark.django_db
def test_htmx_partials_are_translated(client, province):
    """``{% load i18n %}`` at the top of the file reaches inside ``{% partialdef %}``."""
    user = province["snv"]
    client.force_login(user)
    job = ImportJob.objects.create(
        kind="staff",
        created_by=user,
        original_name="lon.xlsx",
        stored_name="x.xlsx",
        status=ImportStatus.RUNNING,
        total_rows=200,
        processed_rows=50,
    )
    hx = {"HX-Request": "true", "HX-Target": "staff-results"}
    results = page(client, "organisations:staff_list", headers=hx)
    status = client.get(
        reverse("organisations:import_detail", args=[job.pk]), headers={"HX-Request": "true"}
    ).content.decode()
    assert "Họ và tên" in results and " người</span>" in results
    assert "Tiến độ: 25%" in status and "Tải lại trang" in status
    english(client)
    results = page(client, "organisations:staff_list", headers=hx)
    status = client.get(
        reverse("organisations:import_detail", args=[job.pk]), headers={"HX-Request": "true"}
    ).content.decode()
    assert "<html" not in results and "Full name" in results
    assert re.search(r"\d+ people</span>", results)
    assert "Progress: 25%" in status and "Reload the page</a>" in status


@pytest.mark.django_db
def test_messages_and_form_errors_are_translated(client, province):
    client.force_login(province["snv"])
    english(client)
    html = page(client, "organisations:staff_list", data={"don_vi": "KHONG-CO"})
    assert "Unit KHONG-CO was not found within your scope." in html
    html = page(client, "organisations:unit_tree", data={"ngay": "31/02/2026"})
    assert "Invalid date; enter it as dd/mm/yyyy." in html
    url = reverse("organisations:unit_change", args=[province["stp"].pk])
    html = client.post(url, {"kind": "rename", "day": "01/01/2027"}).content.decode()
    assert "Enter a new name or a new code." in html
    assert "Type of change" in html


@pytest.mark.django_db
def test_catalogue_versions_and_a_units_rules_in_english(client, province):
    """Counts, dates and links go into the English sentences; the criteria stay as written."""
    catalogues_load(actor=SYSTEM)
    for version, text in (
        ("2026.1", "# Giờ làm việc\nCó mặt trước 7 giờ 30"),
        ("2026.2", "# Giờ làm việc\nCó mặt trước 7 giờ 15\nKhông về sớm"),
    ):
        supplement_version_create(
            actor=province["head_syt"],
            unit=province["syt"],
            title="Nội quy Sở Y tế",
            version=version,
            effective_from=date(2026, 12, 1),
            rules_text=text,
        )
    code = Catalogue.objects.get(owner_unit=province["syt"]).code
    client.force_login(province["head_syt"])
    english(client)
    html = page(client, "standards:version_diff", args=[code])
    assert "From <strong>2026.1</strong> to <strong>2026.2</strong>:" in html
    assert "1 item(s) added, 0 removed, 1 with changed text" in html
    assert "<ins>Có mặt trước 7 giờ 15</ins>" in html and "mục thêm" not in html
    html = page(client, "standards:version_detail", args=[code, "2026.2"])
    assert "Criteria tree" in html and "2026.2, in force from 01/12/2026" in html
    html = page(client, "standards:supplement_create", args=[province["syt"].pk])
    latest = reverse("standards:version_detail", args=[code, "2026.2"])
    assert f'Current version: <a href="{latest}">2026.2</a>, in force from 01/12/2026.' in html
    assert "One rule per line." in html and "Mỗi dòng một quy định" not in html


# --- the English catalogue -------------------------------------------------------------


def po_entries(path: Path) -> list[dict]:
    """A small .po reader: each entry's flags, msgid, msgid_plural and msgstr(s)."""
    entries = []
    for block in path.read_text(encoding="utf-8").strip().split("\n\n"):
        entry: dict = {"flags": set(), "obsolete": False}
        key = None
        for line in block.splitlines():
            if line.startswith("#~"):
                entry["obsolete"] = True
            elif line.startswith("#,"):
                entry["flags"] |= {f.strip() for f in line[2:].split(",")}
            elif line.startswith("#"):
                continue
            elif line.startswith('"'):
                entry[key] += ast.literal_eval(line)
            else:
                key, _, value = line.partition(" ")
                entry[key] = ast.literal_eval(value)
        entries.append(entry)
    return entries


def test_english_catalogue_is_complete_and_compiled():
    entries = po_entries(EN_PO)
    header, messages = entries[0], entries[1:]
    assert header["msgid"] == "" and "Language: en" in header["msgstr"]
    assert len(messages) > 100
    catalogue = gettext.GNUTranslations(EN_MO.open("rb"))
    for entry in messages:
        msgid = entry["msgid"]
        assert not entry["obsolete"], msgid
        assert "fuzzy" not in entry["flags"] and "fuzzy" not in header["flags"], msgid
        strs = [v for k, v in entry.items() if k.startswith("msgstr")]
        assert strs and all(strs), f"untranslated: {msgid!r}"
        for value in strs:  # the same placeholders, or formatting breaks at run time
            assert sorted(re.findall(r"%\(\w+\)[sd]", value)) == sorted(
                re.findall(r"%\(\w+\)[sd]", msgid)
            ), msgid
        if "msgid_plural" in entry:
            assert catalogue.ngettext(msgid, entry["msgid_plural"], 2) == entry["msgstr[1]"]
        elif "msgctxt" in entry:  # {% translate "…" context "…" %}: one word, two meanings
            translated = catalogue.pgettext(entry["msgctxt"], msgid)
            assert translated == entry["msgstr"], f"recompile: {msgid!r}"
        else:  # the committed .mo matches the .po
            assert catalogue.gettext(msgid) == entry["msgstr"], f"recompile: {msgid!r}"


def test_vietnamese_catalogue_keeps_the_simple_history_strings():
    messages = {
        e["msgid"]: e.get("msgstr")
        for e in po_entries(EN_PO.parents[2] / "vi" / "LC_MESSAGES" / "django.po")
    }
    assert messages["View history: %s"] == "Xem lịch sử: %s"
    assert messages["Revert %(verbose_name)s"] == "Khôi phục %(verbose_name)s"


# --- messages from Python code: services, refusals, model labels ------------------------


@pytest.mark.django_db
def test_a_service_refusal_shows_in_english_on_a_form_page(client, province):
    client.force_login(province["snv"])
    form = {
        "code": province["stp"].code,
        "name": "Sở mới",
        "unit_type": "so_ban_nganh",
        "parent": province["kh"].pk,
        "valid_from": "01/12/2026",
    }
    html = client.post(reverse("organisations:unit_create"), form).content.decode()
    assert f"Mã đơn vị {province['stp'].code} đang được dùng cho đơn vị khác." in html
    english(client)
    html = client.post(reverse("organisations:unit_create"), form).content.decode()
    assert f"Unit code {province['stp'].code} is used by another unit." in html
    assert "đang được dùng" not in html


@pytest.mark.django_db
def test_a_permission_refusal_shows_in_english(client, province):
    """``role_grant_refusal``: the message ``role_assign`` raises as PermissionDenied."""
    client.force_login(province["snv"])
    english(client)
    response = client.post(
        "/quan-tri/accounts/roleassignment/add/",
        {
            "user": province["outsider"].pk,
            "role": "admin",
            "unit": province["syt"].pk,
            "valid_from": "01/12/2026",
        },
    )
    html = response.content.decode()
    assert "Only system administrators can grant this role." in html
    assert "Chỉ quản trị hệ thống" not in html


def test_model_choice_labels_and_verbose_names_follow_the_language():
    job = ImportJob(kind="staff", status=ImportStatus.RUNNING)
    with translation.override("vi"):
        assert job.get_status_display() == "Đang xử lý"
        assert str(ImportJob._meta.get_field("status").verbose_name) == "trạng thái"
    with translation.override("en"):
        assert job.get_status_display() == "Processing"
        assert str(ImportJob._meta.get_field("status").verbose_name) == "status"
        assert str(UnitType.SO_BAN_NGANH.label) == "Department, agency or sector"


def test_excel_imports_and_exports_keep_vietnamese_labels_in_english():
    with translation.override("en"):
        labels = vietnamese_labels(UnitType.choices)
        assert labels["so_ban_nganh"] == "Sở, ban, ngành"
        assert all(isinstance(label, str) for label in labels.values())
        assert translation.get_language() == "en"
