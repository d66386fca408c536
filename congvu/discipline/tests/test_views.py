"""The register's pages: list (scoped, filtered, diacritic-free search, paginated), record,
recording a decision (forms lawful for the person and date), revoking, Excel export."""

import io
from datetime import date

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from congvu.core.actors import SYSTEM
from congvu.core.models import AuditLog, Job
from congvu.discipline import services
from congvu.discipline.models import DisciplineRecord
from congvu.discipline.services import DecisionSpec
from congvu.testing import export_via_job, make_staff

pytestmark = pytest.mark.django_db

LIST = reverse("discipline:record_list")
EXPORT = reverse("discipline:record_export")


def spec(**overrides) -> DecisionSpec:
    values = {
        "form": "khien_trach",
        "decision_number": "12/QĐ-SYT",
        "decision_date": date(2026, 3, 1),
        "issuer": "Sở Y tế",
        "effective_from": date(2026, 3, 1),
        "violation": "Vi phạm quy chế văn hóa công sở",
    }
    values.update(overrides)
    return DecisionSpec(**values)


@pytest.fixture
def register(province):
    """An (Sở Y tế) reprimanded in 2026, Đức (hospital) warned in 2024, Ánh (Sở Tư pháp)."""
    head = province["head_syt"]
    return {
        "an": services.discipline_record(actor=head, staff=province.staff["syt_cc"], spec=spec()),
        "duc": services.discipline_record(
            actor=head,
            staff=province.staff["nurse"],
            spec=spec(
                form="canh_cao",
                decision_number="3/QĐ-BV",
                decision_date=date(2024, 5, 2),
                effective_from=date(2024, 5, 2),
                issuer="Bệnh viện Đa khoa tỉnh",
            ),
        ),
        "anh": services.discipline_record(
            actor=province["head_stp"],
            staff=province.staff["stp_cc"],
            spec=spec(decision_number="5/QĐ-STP", issuer="Sở Tư pháp"),
        ),
    }


def page_of(client, user, url=LIST, **params):
    client.force_login(user)
    response = client.get(url, params)
    return response, response.content.decode()


def test_the_register_lists_only_the_scope(client, province, register):
    _, page = page_of(client, province["head_syt"])
    assert "Nguyễn Văn An" in page and "Lê Văn Đức" in page and "Võ Thị Ánh" not in page
    _, page = page_of(client, province["snv"])
    assert all(n in page for n in ("Nguyễn Văn An", "Lê Văn Đức", "Võ Thị Ánh"))
    assert "Sổ kỷ luật" in page  # the menu entry


@pytest.mark.parametrize("who", ["staff", "mttq", "outsider"])
def test_those_without_discipline_view_are_refused(client, province, register, who):
    client.force_login(province[who])
    assert client.get(LIST).status_code == 403
    assert client.post(EXPORT).status_code == 403


@pytest.mark.parametrize(
    ("params", "shown", "hidden"),
    [
        ({"q": "nguyen van an"}, ["Nguyễn Văn An"], ["Lê Văn Đức"]),
        ({"q": "DUC"}, ["Lê Văn Đức"], ["Nguyễn Văn An"]),
        ({"q": "3/QĐ-BV"}, ["Lê Văn Đức"], ["Nguyễn Văn An"]),
        ({"nam": "2024"}, ["Lê Văn Đức"], ["Nguyễn Văn An"]),
        ({"hinh_thuc": "khien_trach"}, ["Nguyễn Văn An"], ["Lê Văn Đức"]),
        ({"don_vi": "KHA-BVDK"}, ["Lê Văn Đức"], ["Nguyễn Văn An"]),
        ({"trang_thai": "hieu_luc"}, ["Nguyễn Văn An"], ["Lê Văn Đức"]),
        ({"trang_thai": "het_hieu_luc"}, ["Lê Văn Đức"], ["Nguyễn Văn An"]),
    ],
)
def test_filters(client, province, register, params, shown, hidden):
    _, page = page_of(client, province["head_syt"], **params)
    assert all(n in page for n in shown) and not any(n in page for n in hidden)


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"nam": "20x6"}, "Năm không hợp lệ"),
        ({"nam": "1850"}, "Năm không hợp lệ"),
        ({"hinh_thuc": "tu_hinh"}, "không có trong danh mục"),
        ({"trang_thai": "?"}, "Trạng thái không hợp lệ"),
        ({"don_vi": "KHA-STP"}, "Không tìm thấy đơn vị KHA-STP"),  # outside gd_syt's scope
        ({"can_bo": "abc"}, "Không tìm thấy cán bộ"),
    ],
)
def test_bad_filters_say_so_and_show_nothing(client, province, register, params, message):
    response, page = page_of(client, province["head_syt"], **params)
    assert response.status_code == 200 and message in page
    assert "Nguyễn Văn An" not in page
    client.force_login(province["head_syt"])
    assert client.post(EXPORT, params).status_code == 404


def test_a_staff_filter_outside_the_scope_is_refused(client, province, register):
    _, page = page_of(client, province["head_syt"], can_bo=province.staff["stp_cc"].pk)
    assert "Không tìm thấy cán bộ" in page and "Võ Thị Ánh" not in page


def test_the_list_is_paginated(client, province, register):
    for i in range(55):
        services.discipline_record(
            actor=SYSTEM,
            staff=province.staff["syt_cc"],
            spec=spec(decision_number=f"{100 + i}/QĐ-SYT", decision_date=date(2025, 1, 2)),
        )
    _, page = page_of(client, province["head_syt"])
    assert "Trang 1/2" in page and "trang=2" in page
    _, page = page_of(client, province["head_syt"], trang=2)
    assert "Trang 2/2" in page


def test_the_export_is_scoped_and_filtered_like_the_list(
    client, province, register, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    client.force_login(province["head_syt"])
    page = client.get(LIST, {"q": "nguyen"}).content.decode()
    assert '<input type="hidden" name="q" value="nguyen">' in page  # the form posts the filter
    response, content = export_via_job(client, EXPORT, {"q": "nguyen"})
    job = Job.objects.get(pk=int(response["Location"].rstrip("/").rsplit("/", 1)[1]))
    assert job.kind == "discipline.register" and job.parameters["q"] == "nguyen"
    download = client.get(reverse("jobs:download", args=[job.pk]))
    assert download["Content-Disposition"] == f'attachment; filename="so-ky-luat-{job.pk}.xlsx"'
    book = load_workbook(io.BytesIO(content))
    rows = list(book.active.iter_rows(values_only=True))
    assert rows[0][:2] == ("Mã CB", "Họ và tên")
    assert [r[1] for r in rows[1:]] == ["Nguyễn Văn An"]
    assert rows[1][8].date() == date(2026, 3, 1)
    client.force_login(province["snv"])
    rows = list(load_workbook(io.BytesIO(export_via_job(client, EXPORT)[1])).active.values)
    assert len(rows) == 4


def test_the_export_is_a_form_post(client, province, register):
    client.force_login(province["head_syt"])
    assert client.get(EXPORT).status_code == 405


def test_the_record_page_is_scoped(client, province, register):
    url = reverse("discipline:record_detail", args=[register["anh"].pk])
    response, page = page_of(client, province["head_stp"], url)
    assert response.status_code == 200 and "5/QĐ-STP" in page and 'id="revoke"' in page
    response, page = page_of(client, province["inspector"], url)  # reads, cannot revoke
    assert response.status_code == 200 and 'id="revoke"' not in page
    client.force_login(province["head_syt"])
    assert client.get(url).status_code == 404
    assert client.post(url, {"ly_do": "Hủy"}).status_code == 404
    assert DisciplineRecord.objects.get(pk=register["anh"].pk).revoked_at is None


def test_revoking_needs_a_reason_and_is_audited(client, province, register):
    url = reverse("discipline:record_detail", args=[register["an"].pk])
    client.force_login(province["head_syt"])
    page = client.post(url, {"ly_do": "  "}).content.decode()
    assert "Cần ghi lý do hủy bỏ" in page
    assert DisciplineRecord.objects.get(pk=register["an"].pk).revoked_at is None
    response = client.post(url, {"ly_do": "Hủy theo kết quả giải quyết khiếu nại"}, follow=True)
    assert "Đã hủy bỏ quyết định" in response.content.decode()
    record = DisciplineRecord.objects.get(pk=register["an"].pk)
    assert record.revoke_reason == "Hủy theo kết quả giải quyết khiếu nại"
    assert AuditLog.objects.filter(action="discipline.revoke", object_id=str(record.pk)).exists()


def test_a_reader_cannot_revoke(client, province, register):
    url = reverse("discipline:record_detail", args=[register["an"].pk])
    client.force_login(province["council"])
    client.post(url, {"ly_do": "Không đồng ý"})
    assert DisciplineRecord.objects.get(pk=register["an"].pk).revoked_at is None


def form_data(**overrides) -> dict:
    data = {
        "kind": "administrative:khien_trach",
        "decision_number": "20/QĐ-SYT",
        "decision_date": "10/11/2026",
        "issuer": "Giám đốc Sở Y tế",
        "effective_from": "10/11/2026",
        "violation": "Gây phiền hà cho người dân",
        "duty_related": "on",
    }
    data.update(overrides)
    return data


def test_recording_a_decision_through_the_form(client, province):
    url = reverse("discipline:record_create", args=[province.staff["syt_cc"].pk])
    client.force_login(province["head_syt"])
    page = client.get(url).content.decode()
    assert "Nghị định 172/2025/NĐ-CP" in page
    assert "Hạ bậc lương (chỉ trước 01/07/2025)" in page
    assert "Giáng chức" not in page  # not for a non-leader công chức under any regime
    response = client.post(url, form_data())
    record = DisciplineRecord.objects.get()
    assert response.status_code == 302 and response["Location"].endswith(f"/{record.pk}/")
    assert (record.form, record.system, record.effective_to) == (
        "khien_trach",
        "administrative",
        date(2027, 11, 10),
    )
    assert AuditLog.objects.filter(action="discipline.record").exists()


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"kind": "administrative:ha_bac_luong"}, "không áp dụng cho công chức"),
        ({"kind": "administrative:giang_chuc"}, "Hãy chọn một lựa chọn hợp lệ"),
        ({"kind": "party:ha_bac_luong"}, "Hãy chọn một lựa chọn hợp lệ"),
        ({"decision_date": "31/02/2026"}, "Nhập một ngày hợp lệ"),
        ({"decision_date": "01/12/2026", "effective_from": "01/12/2026"}, "không được sau ngày"),
        ({"effective_from": "01/11/2026"}, "không được trước ngày quyết định"),
        ({"violation": ""}, "Trường này là bắt buộc"),
    ],
)
def test_bad_decisions_are_refused_in_vietnamese(client, province, overrides, message):
    url = reverse("discipline:record_create", args=[province.staff["syt_cc"].pk])
    client.force_login(province["head_syt"])
    response = client.post(url, form_data(**overrides))
    assert response.status_code == 200 and message in response.content.decode()
    assert not DisciplineRecord.objects.exists()


def test_a_duplicate_decision_is_refused(client, province):
    url = reverse("discipline:record_create", args=[province.staff["syt_cc"].pk])
    client.force_login(province["head_syt"])
    client.post(url, form_data())
    page = client.post(url, form_data()).content.decode()
    assert "đã được ghi nhận cho cán bộ này" in page
    assert DisciplineRecord.objects.count() == 1


def test_hạ_bậc_lương_dated_before_the_change_is_accepted(client, province):
    url = reverse("discipline:record_create", args=[province.staff["syt_cc"].pk])
    client.force_login(province["head_syt"])
    client.post(
        url,
        form_data(
            kind="administrative:ha_bac_luong",
            decision_date="02/05/2024",
            effective_from="02/05/2024",
        ),
    )
    assert DisciplineRecord.objects.get().form == "ha_bac_luong"


@pytest.mark.parametrize("who", ["head_stp", "council", "inspector", "leader", "staff"])
def test_only_managers_in_scope_record(client, province, who):
    url = reverse("discipline:record_create", args=[province.staff["syt_cc"].pk])
    client.force_login(province[who])
    assert client.get(url).status_code == 404
    assert client.post(url, form_data()).status_code == 404
    assert not DisciplineRecord.objects.exists()


def test_nobody_records_a_decision_about_themself(client, province):
    url = reverse("discipline:record_create", args=[province.staff["head_syt"].pk])
    client.force_login(province["head_syt"])
    assert client.post(url, form_data()).status_code == 404
    assert not DisciplineRecord.objects.exists()


def test_người_lao_động_are_not_in_this_register(client, province):
    worker = make_staff(province.units["syt"], "Mai", "Văn", "Tài", category="nguoi_lao_dong")
    client.force_login(province["head_syt"])
    url = reverse("discipline:record_create", args=[worker.pk])
    assert "Bộ luật Lao động" in client.get(url).content.decode()
    client.post(url, form_data())
    assert not DisciplineRecord.objects.exists()


def test_the_staff_page_links_the_register(client, province, register):
    url = reverse("organisations:staff_detail", args=[province.staff["syt_cc"].pk])
    _, page = page_of(client, province["head_syt"], url)
    assert f"/ky-luat/?can_bo={province.staff['syt_cc'].pk}" in page
    assert "1 quyết định kỷ luật" in page
    assert reverse("discipline:record_create", args=[province.staff["syt_cc"].pk]) in page
    _, page = page_of(client, province["staff"], url)  # their own record: no register link
    assert "quyết định kỷ luật" not in page
    _, page = page_of(client, province["council"], url)  # reads, does not record
    assert "1 quyết định kỷ luật" in page and "/them/" not in page


def test_a_persons_page_shows_the_effects_in_force_and_revoking_removes_them(
    client, province, register
):
    """An (công chức) reprimanded from 01/03/2026: on 21/11/2026 the appointment bar (to
    28/02/2027), the emulation bar (to the end of the discipline period) and the year's KHT
    hold; the 6-month salary-raise delay ran to 31/08/2026. Revoked: none shows."""
    an = province.staff["syt_cc"]
    url = reverse("organisations:staff_detail", args=[an.pk])
    _, page = page_of(client, province["head_syt"], url)
    assert 'id="staff-effects"' in page
    assert 'data-effect="no_appointment"' in page and "28/02/2027" in page
    assert 'data-effect="evaluation_kht"' in page and 'data-effect="emulation_blocked"' in page
    assert 'data-effect="salary_raise_delay"' not in page  # ended 31/08/2026
    services.discipline_revoke(
        actor=SYSTEM, record=register["an"], reason="Khiếu nại được chấp nhận"
    )
    _, page = page_of(client, province["head_syt"], url)
    assert 'id="staff-effects"' not in page
    # another unit's head does not see the person's discipline, nor its effects
    _, other = page_of(client, province["head_stp"], url)
    assert 'id="staff-effects"' not in other


def test_the_salary_raise_delay_shows_while_it_runs(client, province):
    an = province.staff["syt_cc"]
    services.discipline_record(
        actor=province["head_syt"],
        staff=an,
        spec=spec(decision_date=date(2026, 9, 1), effective_from=date(2026, 9, 1)),
    )
    _, page = page_of(
        client, province["head_syt"], reverse("organisations:staff_detail", args=[an.pk])
    )
    assert 'data-effect="salary_raise_delay"' in page and "28/02/2027" in page
