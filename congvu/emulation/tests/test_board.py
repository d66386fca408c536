"""The public honour board and the good models: only issued, non-revoked achievements of
the province's units; drafts, revoked rows and Lâm Đồng never; good models recorded by a unit
head, published and withdrawn by Sở Nội vụ; the cache is bumped and never what hides a row."""

from datetime import date, datetime
from itertools import count
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from congvu.core.models import AuditLog, SettingOverride
from congvu.emulation import board_rules, selectors_board, services_board
from congvu.emulation.models import Achievement, AwardDecision, GoodModel
from congvu.organisations.models import UnitType
from congvu.testing import make_staff, make_unit

pytestmark = pytest.mark.django_db

ISSUED = datetime(2026, 3, 1, 9, 0, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))
BOARD = reverse("emulation:board")


_numbers = count(100)


def decision(province, award, *, number="", issued=True, year=2025, by=None):
    return AwardDecision.objects.create(
        number=number or f"{next(_numbers)}/QĐ-UBND",
        signed_on=date(2026, 2, 27),
        issuer="UBND tỉnh Khánh Hòa",
        signer_title="Chủ tịch",
        signer_name="Nguyễn Văn Chủ",
        award=award,
        year=year,
        unit=by or province.units["kh"],
        issued_at=ISSUED if issued else None,
        created_by=province.users["snv"],
    )


def person(province, staff_key, award, *, unit_key=None, citation="Hoàn thành xuất sắc", **kw):
    staff = province.staff[staff_key] if isinstance(staff_key, str) else staff_key
    year = kw.pop("year", 2025)
    return Achievement.objects.create(
        staff=staff,
        unit_then=province.units[unit_key] if unit_key else staff.unit,
        award=award,
        year=year,
        decision=decision(province, award, year=year, **kw),
        citation=citation,
    )


def collective(province, unit, award, **kw):
    year = kw.pop("year", 2025)
    return Achievement.objects.create(
        unit=unit, award=award, year=year, decision=decision(province, award, year=year, **kw)
    )


def _page(client, query=""):
    response = client.get(BOARD + query)
    assert response.status_code == 200
    return response.content.decode()


# --- Rules ---------------------------------------------------------------------------------------


def test_board_awards_default_and_a_province_list_with_typos():
    day = date(2026, 11, 21)
    assert board_rules.board_awards(day) == (
        "CSTDCS",
        "CSTD_TINH",
        "CSTD_TQ",
        "TTLDXS",
        "CO_TINH",
        "BK_TINH",
        "BK_TTG",
        "HCLD3",
    )
    override = {"emulation.board.awards": "hcld3; bk_tinh, KHONG_CO, BK_TINH"}
    assert board_rules.board_awards(day, override) == ("HCLD3", "BK_TINH")
    assert board_rules.parse_year("2025", day) == 2025
    assert board_rules.parse_year("2027", day) is None
    assert board_rules.parse_year("abc", day) is None


# --- The public board ----------------------------------------------------------------------------


def test_board_shows_issued_achievements_with_the_decision_and_no_other_personal_data(
    client, province
):
    person(
        province,
        "syt_cc",
        "CSTDCS",
        number="12/QĐ-UBND",
        citation="Sáng kiến rút ngắn thời gian khám",
    )
    collective(province, province.units["stp"], "TTLDXS", number="15/QĐ-UBND")
    page = _page(client)
    assert "Nguyễn Văn An" in page and "Sở Y tế" in page
    assert "Sáng kiến rút ngắn thời gian khám" in page
    assert "Chiến sĩ thi đua cơ sở" in page and "Tập thể lao động xuất sắc" in page
    assert "12/QĐ-UBND" in page and "27/02/2026" in page and "15/QĐ-UBND" in page
    assert "Năm 2025" in page
    staff = province.staff["syt_cc"]
    assert staff.code not in page and str(staff.birth_year) not in page


def test_drafts_never_appear_on_the_board(client, province):
    person(province, "syt_cc", "CSTDCS", issued=False)
    collective(province, province.units["stp"], "TTLDXS", issued=False)
    Achievement.objects.create(  # an earlier paper decision, not issued in the system
        staff=province.staff["nurse"], award="CSTDCS", year=2024, source_document="5/QĐ"
    )
    page = _page(client)
    assert "Nguyễn Văn An" not in page and "Sở Tư pháp" not in page and "Lê Văn Đức" not in page
    assert "Chưa có gương điển hình" in page


def test_titles_not_on_the_board_are_left_out(client, province):
    person(province, "syt_cc", "LDTT")  # Lao động tiên tiến: not in the default list
    assert "Nguyễn Văn An" not in _page(client)


def test_a_revoked_achievement_disappears_from_the_board_at_once(client, province):
    row = person(province, "syt_cc", "CSTDCS")
    assert "Nguyễn Văn An" in _page(client)  # now cached
    Achievement.objects.filter(pk=row.pk).update(
        revoked_at=ISSUED, revoke_ground="gian_doi", revoke_reason="Kê khai sai"
    )
    services_board.board_changed()  # helper B's revocation calls it
    assert "Nguyễn Văn An" not in _page(client)


def test_the_query_excludes_revoked_rows_even_from_a_stale_cache(province):
    row = person(province, "syt_cc", "CSTDCS")
    board = selectors_board.board_for(date(2026, 11, 21))
    assert list(selectors_board.board_achievements(board=board)) == [row]
    Achievement.objects.filter(pk=row.pk).update(revoked_at=ISSUED)  # no board_changed()
    assert not selectors_board.board_achievements(board=board).exists()


def test_issuing_a_decision_shows_it_after_board_changed(client, province):
    row = person(province, "syt_cc", "CSTDCS", issued=False)
    assert "Nguyễn Văn An" not in _page(client)
    AwardDecision.objects.filter(pk=row.decision_id).update(issued_at=ISSUED)
    services_board.board_changed()
    assert "Nguyễn Văn An" in _page(client)


def test_only_the_province_units_appear_not_lam_dong(client, province):
    ld = make_unit("LDG", "UBND tỉnh Lâm Đồng", UnitType.UBND_TINH)
    ld_stc = make_unit("LDG-STC", "Sở Tài chính Lâm Đồng", UnitType.SO_BAN_NGANH, ld)
    ld_cc = make_staff(ld_stc, "Đoàn", "Thị", "Lâm")
    person(province, ld_cc, "CSTDCS", by=ld)
    collective(province, ld_stc, "TTLDXS", by=ld)
    # Ninh Thuận's Sở Nội vụ lives on in Khánh Hòa since the 2025 merger: its people stay.
    person(province, "nt_cc", "CSTDCS", unit_key="nt_snv", year=2024)
    page = _page(client)
    assert "Đoàn Thị Lâm" not in page and "Sở Tài chính Lâm Đồng" not in page
    assert "Bùi Thị Giang" in page and "Sở Nội vụ Ninh Thuận" in page


def test_a_province_setting_names_the_board_root(client, province):
    ld = make_unit("LDG", "UBND tỉnh Lâm Đồng", UnitType.UBND_TINH)
    ld_cc = make_staff(ld, "Đoàn", "Thị", "Lâm")
    person(province, ld_cc, "CSTDCS", by=ld)
    person(province, "syt_cc", "CSTDCS")
    SettingOverride.objects.create(
        name="emulation.board.province", value="LDG", valid_from=date(2026, 1, 1)
    )
    page = _page(client)
    assert "Đoàn Thị Lâm" in page and "Nguyễn Văn An" not in page


def test_filters_by_year_and_title_and_refuses_bad_input_in_vietnamese(client, province):
    person(province, "syt_cc", "CSTDCS", year=2025)
    person(province, "nurse", "BK_TINH", year=2024)
    page = _page(client, "?nam=2024")
    assert "Lê Văn Đức" in page and "Nguyễn Văn An" not in page
    page = _page(client, "?danh_hieu=CSTDCS")
    assert "Nguyễn Văn An" in page and "Lê Văn Đức" not in page
    page = _page(client, "?nam=abcd&danh_hieu=XYZ")
    assert "Năm không hợp lệ" in page and "Danh hiệu không hợp lệ" in page
    assert "Nguyễn Văn An" in page and "Lê Văn Đức" in page
    assert "Năm không hợp lệ" not in _page(client)  # the message is not cached for others
    page = _page(client, "?danh_hieu=LDTT")
    assert "không có trên bảng vàng" in page


def test_board_paginates_and_groups_by_year(client, province, monkeypatch):
    monkeypatch.setattr(selectors_board, "PAGE_SIZE", 2)
    for year in (2023, 2024, 2025):
        person(province, "syt_cc", "CSTDCS", year=year)
    first, second = _page(client), _page(client, "?trang=2")
    assert "Năm 2025" in first and "Năm 2024" in first and "Năm 2023" not in first
    assert "Năm 2023" in second and "Trang 2/2" in second
    assert first.index("Năm 2025") < first.index("Năm 2024")


def test_board_page_is_three_queries_whatever_the_rows(province, django_assert_max_num_queries):
    for key in ("syt_cc", "nurse", "stp_cc", "snv_cc"):
        person(province, key, "CSTDCS")
    for unit in ("syt", "stp", "bv"):
        collective(province, province.units[unit], "TTLDXS")
    day = date(2026, 11, 21)
    selectors_board.board_for(day)  # the organisation graph is cached
    with django_assert_max_num_queries(3):
        _, page = selectors_board.board_page(day=day, year=None, award="", number="1")
        rendered = [
            (a.staff.full_name if a.staff_id else a.unit.name, a.unit_then, a.decision.number)
            for a in page
        ]
    assert len(rendered) == 7


def test_board_page_is_small_and_needs_no_login(client, province):
    for key in ("syt_cc", "nurse", "stp_cc"):
        person(province, key, "CSTDCS")
    response = client.get(BOARD)
    assert response.status_code == 200
    assert b"<script" not in response.content and b"<img" not in response.content
    assert len(response.content) < 12_000


def test_board_is_served_from_the_cache_until_it_changes(
    client, province, django_assert_max_num_queries
):
    person(province, "syt_cc", "CSTDCS")
    _page(client)
    with django_assert_max_num_queries(0):
        assert "Nguyễn Văn An" in _page(client)


# --- Good models -------------------------------------------------------------------------------


def test_unit_head_records_a_good_model_and_it_reaches_the_board_when_published(client, province):
    head = province.users["head_syt"]
    with pytest.raises(ValidationError):
        services_board.goodmodel_record(
            actor=head, unit=province.units["syt"], year=2026, title=" ", description="x"
        )
    with pytest.raises(ValidationError):
        services_board.goodmodel_record(
            actor=head, unit=province.units["syt"], year=2030, title="A", description="x"
        )
    with pytest.raises(PermissionDenied):
        services_board.goodmodel_record(
            actor=head, unit=province.units["stp"], year=2026, title="A", description="x"
        )
    assert not GoodModel.objects.exists()
    model = services_board.goodmodel_record(
        actor=head,
        unit=province.units["syt"],
        year=2026,
        title="Một cửa không chờ",
        description="Tiếp nhận hồ sơ trong ngày",
    )
    assert "Một cửa không chờ" not in _page(client)
    with pytest.raises(PermissionDenied):
        services_board.goodmodel_publish(actor=head, model=model)
    services_board.goodmodel_publish(actor=province.users["snv"], model=model)
    assert "Một cửa không chờ" in _page(client)
    assert "Một cửa không chờ" in client.get(reverse("emulation:board_models")).content.decode()
    with pytest.raises(ValidationError):
        services_board.goodmodel_withdraw(actor=province.users["snv"], model=model, reason=" ")
    services_board.goodmodel_withdraw(
        actor=province.users["snv"], model=model, reason="Chưa được kiểm chứng"
    )
    assert "Một cửa không chờ" not in _page(client)
    assert GoodModel.objects.filter(pk=model.pk, withdrawn_at__isnull=False).exists()
    actions = list(
        AuditLog.objects.filter(object_type="emulation.goodmodel")
        .order_by("pk")
        .values_list("action", flat=True)
    )
    assert actions == [
        "emulation.goodmodel_record",
        "emulation.goodmodel_publish",
        "emulation.goodmodel_withdraw",
    ]


def test_goodmodel_pages_record_publish_and_withdraw(client, province):
    client.force_login(province.users["head_syt"])
    url = reverse("emulation:goodmodel_create")
    assert client.get(url).status_code == 200
    data = {
        "unit": province.units["syt"].pk,
        "year": 2026,
        "title": "Khám bệnh không giấy",
        "description": "Số hóa hồ sơ",
    }
    bad = client.post(url, {**data, "title": ""})
    assert bad.status_code == 400 and not GoodModel.objects.exists()
    done = client.post(url, data)
    model = GoodModel.objects.get()
    detail = reverse("emulation:goodmodel_detail", args=[model.pk])
    assert done.status_code == 302 and done.url == detail
    page = client.get(detail).content.decode()
    assert "Chờ công bố" in page and "goodmodel-publish" not in page
    client.post(reverse("emulation:goodmodel_publish", args=[model.pk]))
    model.refresh_from_db()
    assert model.published_at is None  # a unit head does not publish
    client.force_login(province.users["snv"])
    assert (
        "Khám bệnh không giấy" in client.get(reverse("emulation:goodmodel_list")).content.decode()
    )
    client.post(reverse("emulation:goodmodel_publish", args=[model.pk]))
    model.refresh_from_db()
    assert model.published_at is not None
    client.post(reverse("emulation:goodmodel_withdraw", args=[model.pk]), {"reason": ""})
    model.refresh_from_db()
    assert model.withdrawn_at is None
    client.post(reverse("emulation:goodmodel_withdraw", args=[model.pk]), {"reason": "Trùng"})
    model.refresh_from_db()
    assert model.withdrawn_at is not None
    page = client.get(detail).content.decode()
    assert "Đã gỡ" in page and "Trùng" in page


def test_goodmodel_list_is_scoped(client, province):
    services_board.goodmodel_record(
        actor=province.users["head_stp"],
        unit=province.units["stp"],
        year=2026,
        title="Mô hình Tư pháp",
        description="x",
    )
    client.force_login(province.users["head_syt"])
    assert "Mô hình Tư pháp" not in client.get(reverse("emulation:goodmodel_list")).content.decode()
    model = GoodModel.objects.get()
    detail = reverse("emulation:goodmodel_detail", args=[model.pk])
    assert client.get(detail).status_code == 404
    client.force_login(province.users["head_stp"])
    assert "Mô hình Tư pháp" in client.get(reverse("emulation:goodmodel_list")).content.decode()
