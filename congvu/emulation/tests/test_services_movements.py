"""Movements, registrations and clusters through the services: who may do what (a unit head
only for their own unit, Sở Nội vụ over the province, Lâm Đồng nobody's here), bad input
refused in Vietnamese with nothing changed, the ranking and the flag candidates, and the
sơ kết / tổng kết documents opened and their figures checked."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from io import BytesIO

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from congvu.core.actors import SYSTEM
from congvu.emulation import rules
from congvu.emulation import selectors_movements as selectors
from congvu.emulation import services_movements as services
from congvu.emulation.models import Achievement, ClusterScore, Movement, RegistrationList
from congvu.organisations.models import UnitType
from congvu.testing import make_staff, make_unit, make_user

pytestmark = pytest.mark.django_db


def spec(province, **more) -> services.MovementSpec:
    values = {
        "name": "Thi đua thực hiện văn hóa công vụ",
        "launch_document": "Kế hoạch 12/KH-UBND ngày 10/01/2026",
        "launched_on": date(2026, 1, 10),
        "start_year": 2026,
        "end_year": 2030,
        "owner": province.units["kh"],
        "milestones": (
            services.MilestoneSpec("phat_dong", 2026, held_on=date(2026, 1, 10)),
            services.MilestoneSpec("so_ket", 2028),
            services.MilestoneSpec("tong_ket", 2030),
        ),
    }
    values.update(more)
    return services.MovementSpec(**values)


# --- Movements ---------------------------------------------------------------------------------


def test_so_noi_vu_creates_and_edits_a_movement_with_milestones(province):
    snv = province.users["snv"]
    movement = services.movement_save(actor=snv, spec=spec(province))
    assert [m.kind for m in movement.milestones.all()] == ["phat_dong", "so_ket", "tong_ket"]
    changed = spec(province, name="Tên mới", milestones=(services.MilestoneSpec("so_ket", 2027),))
    services.movement_save(actor=snv, spec=changed, movement=movement)
    movement.refresh_from_db()
    assert movement.name == "Tên mới"
    assert [(m.kind, m.year) for m in movement.milestones.all()] == [("so_ket", 2027)]


def test_a_unit_head_cannot_create_a_movement(province):
    with pytest.raises(PermissionDenied):
        services.movement_save(actor=province.users["head_syt"], spec=spec(province))
    assert not Movement.objects.exists()


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"name": "  "}, "Cần ghi tên phong trào."),
        ({"launch_document": ""}, "Cần ghi văn bản phát động."),
        ({"end_year": 2025}, "Năm kết thúc không được trước năm bắt đầu."),
        ({"start_year": 1990}, "Năm bắt đầu phải là năm từ 2000 đến 2100."),
        ({"launched_on": date(2027, 1, 1)}, "Ngày phát động phải trước hoặc trong năm bắt đầu."),
        (
            {"for_collectives": False, "for_individuals": False},
            "Cần chọn ít nhất một đối tượng: tập thể hoặc cá nhân.",
        ),
        (
            {"milestones": (services.MilestoneSpec("so_ket", 2031),)},
            "Năm sơ kết phải trong giai đoạn 2026–2030.",
        ),
        (
            {
                "milestones": (
                    services.MilestoneSpec("so_ket", 2028),
                    services.MilestoneSpec("so_ket", 2029),
                )
            },
            "Mỗi loại mốc chỉ ghi một lần.",
        ),
        (
            {"milestones": (services.MilestoneSpec("so_ket", 2028, held_on=date(2029, 1, 2)),)},
            "Ngày tổ chức sơ kết phải trong năm 2028.",
        ),
    ],
)
def test_bad_movements_are_refused_in_vietnamese(province, change, message):
    with pytest.raises(ValidationError) as error:
        services.movement_save(actor=province.users["snv"], spec=spec(province, **change))
    assert error.value.messages == [message]
    assert not Movement.objects.exists()


def test_the_733_movement_is_seeded_once_and_a_successor_may_follow(province):
    snv = province.users["snv"]
    first = services.movement_733_seed(snv, province.units["kh"])
    again = services.movement_733_seed(snv, province.units["kh"])
    assert first.pk == again.pk
    assert (first.start_year, first.end_year) == (2019, 2025)
    assert [(m.kind, m.year) for m in first.milestones.all()] == [
        ("phat_dong", 2019),
        ("so_ket", 2022),
        ("tong_ket", 2025),
    ]
    successor = services.movement_save(actor=snv, spec=spec(province, predecessor=first))
    assert list(first.successors.all()) == [successor]
    with pytest.raises(ValidationError, match="Giai đoạn trước phải kết thúc"):
        services.movement_save(
            actor=snv,
            spec=spec(province, start_year=2025, launched_on=date(2025, 1, 2), predecessor=first),
        )


def test_movements_are_seen_by_the_province_and_not_by_lam_dong(province):
    movement = services.movement_733_seed(province.users["snv"], province.units["kh"])
    ld = make_unit("LDG", "UBND tỉnh Lâm Đồng", UnitType.UBND_TINH)
    ld_movement = services.movement_save(actor=SYSTEM, spec=spec(province, owner=ld))
    for key in ("snv", "head_stp", "head_syt", "council", "leader"):
        seen = set(selectors.movement_list_for_user(user=province.users[key]))
        assert seen == {movement}, key
    for key in ("staff", "mttq", "outsider"):
        assert not selectors.movement_list_for_user(user=province.users[key]).exists(), key
    assert set(selectors.movement_list_for_user(user=province.users["admin"])) == {
        movement,
        ld_movement,
    }


# --- Registrations -----------------------------------------------------------------------------


def test_a_unit_head_registers_submits_and_sno_noi_vu_returns_then_accepts(province):
    head = province.users["head_syt"]
    reg = services.registration_list_open(actor=head, unit=province.units["syt"], year=2027)
    services.registration_add(actor=head, registration_list=reg, award=rules.TTLDXS)
    services.registration_add(
        actor=head, registration_list=reg, award=rules.CSTDCS, staff=province.staff["syt_cc"]
    )
    services.registration_submit(actor=head, registration_list=reg)
    assert reg.state == "submitted" and reg.submitted_by == head
    with pytest.raises(ValidationError, match="chỉ sửa khi Sở Nội vụ trả lại"):
        services.registration_add(actor=head, registration_list=reg, award=rules.TTLDTT)
    snv = province.users["snv"]
    with pytest.raises(ValidationError, match="Cần ghi lý do"):
        services.registration_review(actor=snv, registration_list=reg, accept=False)
    services.registration_review(
        actor=snv, registration_list=reg, accept=False, comment="Bổ sung LĐTT"
    )
    assert (reg.state, reg.comment) == ("returned", "Bổ sung LĐTT")
    services.registration_add(
        actor=head, registration_list=reg, award=rules.LDTT, staff=province.staff["head_syt"]
    )
    services.registration_submit(actor=head, registration_list=reg)
    services.registration_review(actor=snv, registration_list=reg, accept=True)
    assert reg.state == "accepted"
    counts = selectors.registration_counts(RegistrationList.objects.all())
    assert counts[reg.pk] == {rules.TTLDXS: 1, rules.CSTDCS: 1, rules.LDTT: 1}


@pytest.mark.parametrize(
    ("award", "staff", "message"),
    [
        (rules.LDTT, None, "«Lao động tiên tiến» không xét cho tập thể."),
        (rules.TTLDXS, "syt_cc", "«Tập thể lao động xuất sắc» không xét cho cá nhân."),
        (
            rules.HCLD3,
            "syt_cc",
            "Chỉ đăng ký danh hiệu thi đua, Giấy khen hoặc Bằng khen; "
            "«Huân chương Lao động hạng Ba» không đăng ký.",
        ),
        (
            "XYZ",
            None,
            "Chỉ đăng ký danh hiệu thi đua, Giấy khen hoặc Bằng khen; «XYZ» không đăng ký.",
        ),
        (rules.LDTT, "stp_cc", "Chỉ đăng ký cho cán bộ đang công tác tại đơn vị."),
        (rules.LDTT, "nurse", "Chỉ đăng ký cho cán bộ đang công tác tại đơn vị."),
    ],
)
def test_bad_registration_lines_are_refused(province, award, staff, message):
    head = province.users["head_syt"]
    reg = services.registration_list_open(actor=head, unit=province.units["syt"], year=2027)
    with pytest.raises(ValidationError) as error:
        services.registration_add(
            actor=head,
            registration_list=reg,
            award=award,
            staff=province.staff[staff] if staff else None,
        )
    assert error.value.messages == [message]
    assert not reg.lines.exists()


def test_a_duplicate_line_and_an_empty_list_are_refused(province):
    head = province.users["head_syt"]
    reg = services.registration_list_open(actor=head, unit=province.units["syt"], year=2027)
    with pytest.raises(ValidationError, match="chưa có dòng nào"):
        services.registration_submit(actor=head, registration_list=reg)
    services.registration_add(actor=head, registration_list=reg, award=rules.TTLDTT)
    with pytest.raises(ValidationError, match="đã có trong bản đăng ký"):
        services.registration_add(actor=head, registration_list=reg, award=rules.TTLDTT)
    assert reg.lines.count() == 1


def test_a_unit_head_cannot_touch_another_units_list(province):
    head_syt, head_stp = province.users["head_syt"], province.users["head_stp"]
    with pytest.raises(PermissionDenied):
        services.registration_list_open(actor=head_stp, unit=province.units["syt"], year=2027)
    reg = services.registration_list_open(actor=head_syt, unit=province.units["syt"], year=2027)
    with pytest.raises(PermissionDenied):
        services.registration_add(actor=head_stp, registration_list=reg, award=rules.TTLDTT)
    services.registration_add(actor=head_syt, registration_list=reg, award=rules.TTLDTT)
    with pytest.raises(PermissionDenied):
        services.registration_submit(actor=head_stp, registration_list=reg)
    services.registration_submit(actor=head_syt, registration_list=reg)
    with pytest.raises(PermissionDenied):  # a unit head does not accept lists
        services.registration_review(actor=head_syt, registration_list=reg, accept=True)
    assert selectors.registration_list_get_for_user(user=head_stp, pk=reg.pk) is None
    assert selectors.registration_list_get_for_user(user=province.users["snv"], pk=reg.pk)


# --- Clusters ----------------------------------------------------------------------------------


CRITERIA = "tc1 | Hoàn thành nhiệm vụ | 60\ntc2 | Văn hóa công sở | 40"


@pytest.fixture
def cluster(province):
    third = make_unit("KHA-STC", "Sở Tài chính", UnitType.SO_BAN_NGANH, province.units["kh"])
    snv = province.users["snv"]
    group = services.cluster_create(actor=snv, name="Khối các sở", kind=rules.KHOI)
    head_stc = make_user("gd_stc", make_staff(third, "Lý", "Văn", "Tài"))
    from congvu.accounts.services import role_assign

    role_assign(
        actor=SYSTEM, user=head_stc, role="unit_head", unit=third, valid_from=date(2024, 1, 1)
    )
    year = services.cluster_year_save(
        actor=snv,
        cluster=group,
        year=2026,
        members=[province.units["syt"], province.units["stp"], third],
        leader=province.units["syt"],
        criteria_text=CRITERIA,
    )
    return year, third, head_stc


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "Cần ít nhất một tiêu chí chấm điểm."),
        ("tc1 | thiếu điểm", "Dòng 1: cần ghi «mã | nội dung | điểm tối đa»."),
        (
            "tc1 | a | 10\ntc2 | b | không",
            "Dòng 2: điểm tối đa phải là số lớn hơn 0, không quá 1000.",
        ),
        ("tc1 | a | 0", "Dòng 1: điểm tối đa phải là số lớn hơn 0, không quá 1000."),
        ("tc1 | a | 10\ntc1 | b | 5", "Dòng 2: mã tiêu chí trùng hoặc dài quá 32 ký tự."),
    ],
)
def test_bad_cluster_criteria_are_refused(text, message):
    with pytest.raises(ValidationError) as error:
        services.parse_criteria(text)
    assert error.value.messages == [message]


def test_a_cluster_needs_two_members_in_the_province(province):
    snv = province.users["snv"]
    group = services.cluster_create(actor=snv, name="Cụm 1", kind=rules.CUM)
    with pytest.raises(ValidationError, match="ít nhất hai"):
        services.cluster_year_save(
            actor=snv,
            cluster=group,
            year=2026,
            members=[province.units["syt"]],
            leader=None,
            criteria_text=CRITERIA,
        )
    ld = make_unit("LDG", "UBND tỉnh Lâm Đồng", UnitType.UBND_TINH)
    with pytest.raises(ValidationError, match="trong phạm vi quản lý"):
        services.cluster_year_save(
            actor=snv,
            cluster=group,
            year=2026,
            members=[province.units["syt"], ld],
            leader=None,
            criteria_text=CRITERIA,
        )
    with pytest.raises(PermissionDenied):
        services.cluster_create(actor=province.users["head_syt"], name="Cụm 2", kind=rules.CUM)


def test_members_score_each_other_and_the_ranking_marks_the_flag(province, cluster):
    year, third, head_stc = cluster
    syt, stp = province.units["syt"], province.units["stp"]
    head_syt, head_stp = province.users["head_syt"], province.users["head_stp"]
    with pytest.raises(ValidationError, match="chưa mở"):
        services.cluster_scores_set(
            actor=head_syt, cluster_year=year, scorer=syt, points={(stp.pk, "tc1"): "50"}
        )
    services.cluster_scoring_open(actor=province.users["snv"], cluster_year=year)
    sheets = {
        (head_syt, syt): {(stp.pk, "tc1"): "50", (stp.pk, "tc2"): "30", (third.pk, "tc1"): "40"},
        (head_stp, stp): {(syt.pk, "tc1"): "55", (syt.pk, "tc2"): "35", (third.pk, "tc1"): "45"},
        (head_stc, third): {(syt.pk, "tc1"): "60", (syt.pk, "tc2"): "40", (stp.pk, "tc1"): "20"},
    }
    for (user, unit), points in sheets.items():
        services.cluster_scores_set(actor=user, cluster_year=year, scorer=unit, points=points)
    # a change while open: Sở Tư pháp lowers Sở Y tế's second criterion
    services.cluster_scores_set(
        actor=head_stp, cluster_year=year, scorer=stp, points={(syt.pk, "tc2"): "25,5"}
    )
    assert ClusterScore.objects.get(scorer=stp, scored=syt, criterion="tc2").points == Decimal(
        "25.50"
    )
    services.cluster_scoring_close(actor=province.users["snv"], cluster_year=year)
    ranking = selectors.cluster_ranking(year)
    assert [
        (r.unit.pk, r.rank.place, r.rank.average, r.rank.may_propose_flag) for r in ranking
    ] == [
        (syt.pk, 1, Decimal("90.25"), True),  # (80.5 + 100) / 2
        (stp.pk, 2, Decimal("50.00"), False),  # (80 + 20) / 2
        (third.pk, 3, Decimal("42.50"), False),
    ]
    assert selectors.cluster_flag_candidates(2026) == {syt.pk}
    assert selectors.cluster_flag_candidates(2025) == set()


def test_the_provinces_override_gives_more_flag_places(province, cluster):
    from congvu.core.dated_store import setting_override_set

    year, third, head_stc = cluster
    syt, stp = province.units["syt"], province.units["stp"]
    setting_override_set(
        actor=province.users["admin"],
        name="emulation.cluster.flag_places",
        value="2",
        valid_from=date(2026, 1, 1),
        source="Quy chế thi đua của tỉnh",
    )
    services.cluster_scoring_open(actor=province.users["snv"], cluster_year=year)
    services.cluster_scores_set(
        actor=province.users["head_syt"],
        cluster_year=year,
        scorer=syt,
        points={(stp.pk, "tc1"): 10},
    )
    services.cluster_scores_set(
        actor=head_stc, cluster_year=year, scorer=third, points={(syt.pk, "tc1"): 20}
    )
    services.cluster_scoring_close(actor=province.users["snv"], cluster_year=year)
    assert selectors.cluster_flag_candidates(2026) == {syt.pk, stp.pk}


@pytest.mark.parametrize(
    ("points", "message"),
    [
        ({"self": "10"}, "Đơn vị không tự chấm điểm cho mình trong cụm, khối thi đua."),
        ({"tc1": "61"}, "Điểm phải từ 0 đến 60."),
        ({"tc1": "-1"}, "Điểm phải từ 0 đến 60."),
        ({"tc1": "abc"}, "Điểm «abc» không phải là số."),
        ({"tc1": "NaN"}, "Điểm «NaN» không phải là số."),
        ({"zz": "1"}, "Đơn vị hoặc tiêu chí không thuộc cụm, khối."),
    ],
)
def test_bad_scores_are_refused_and_nothing_is_kept(province, cluster, points, message):
    year, _third, _head = cluster
    syt, stp = province.units["syt"], province.units["stp"]
    services.cluster_scoring_open(actor=province.users["snv"], cluster_year=year)
    ((key, value),) = points.items()
    sheet = {(stp.pk, "tc2"): "10"}  # a good value beside the bad one is not kept either
    sheet[(syt.pk, "tc1") if key == "self" else (stp.pk, key)] = value
    with pytest.raises(ValidationError) as error:
        services.cluster_scores_set(
            actor=province.users["head_syt"], cluster_year=year, scorer=syt, points=sheet
        )
    assert error.value.messages == [message]
    assert not ClusterScore.objects.exists()


def test_only_a_members_own_head_scores_for_it(province, cluster):
    year, third, _head = cluster
    syt = province.units["syt"]
    services.cluster_scoring_open(actor=province.users["snv"], cluster_year=year)
    for user, scorer in (
        (province.users["head_stp"], syt),  # another member's head
        (province.users["snv"], syt),  # Sở Nội vụ's province-wide rights do not score
        (province.users["council"], syt),
    ):
        with pytest.raises(PermissionDenied):
            services.cluster_scores_set(
                actor=user, cluster_year=year, scorer=scorer, points={(third.pk, "tc1"): "1"}
            )
    assert not ClusterScore.objects.exists()
    assert selectors.cluster_year_get_for_user(user=province.users["head_stp"], pk=year.pk)
    assert selectors.cluster_year_get_for_user(user=province.users["staff"], pk=year.pk) is None


# --- Sơ kết / tổng kết -------------------------------------------------------------------------


def _achievement(staff=None, unit=None, award=rules.LDTT, year=2021, **more):
    return Achievement.objects.create(
        staff=staff,
        unit=unit,
        unit_then=staff.unit if staff else None,
        award=award,
        year=year,
        source_document="QĐ giấy",
        **more,
    )


def test_the_review_documents_hold_the_figures(province):
    from docx import Document
    from openpyxl import load_workbook

    from congvu.emulation import exports_movements as exports

    snv, head = province.users["snv"], province.users["head_syt"]
    movement = services.movement_733_seed(snv, province.units["kh"])
    for year in (2020, 2021):
        reg = services.registration_list_open(
            actor=head, unit=province.units["syt"], year=year, movement=movement
        )
        services.registration_add(actor=head, registration_list=reg, award=rules.TTLDTT)
        services.registration_add(
            actor=head, registration_list=reg, award=rules.LDTT, staff=province.staff["syt_cc"]
        )
        services.registration_submit(actor=head, registration_list=reg)
    draft = services.registration_list_open(
        actor=province.users["head_stp"], unit=province.units["stp"], year=2021
    )
    services.registration_add(
        actor=province.users["head_stp"], registration_list=draft, award=rules.TTLDTT
    )  # a draft is not counted
    _achievement(staff=province.staff["syt_cc"], year=2020)
    _achievement(staff=province.staff["syt_cc"], year=2021)
    _achievement(unit=province.units["syt"], award=rules.TTLDTT, year=2021)
    _achievement(staff=province.staff["stp_cc"], year=2021, revoked_at="2026-01-01T00:00Z")
    _achievement(staff=province.staff["syt_cc"], year=2023)  # after the sơ kết year
    stone = movement.milestones.get(kind="so_ket")
    figures = selectors.review_figures(user=snv, movement=movement, year=stone.year)
    assert (figures.total_registered, figures.total_achieved) == (4, 3)

    content = exports.review_docx(figures=figures, stone=stone, issuer_unit=province.units["snv"])
    document = Document(BytesIO(content))
    text = "\n".join(p.text for p in document.paragraphs)
    assert "BÁO CÁO" in text and "Sơ kết phong trào thi đua" in text
    assert "đã đăng ký 4 lượt" in text and "3 lượt được công nhận" in text
    tables = document.tables
    achieved = [[c.text for c in row.cells] for row in tables[2].rows]
    assert achieved[0] == ["Năm", "Lao động tiên tiến", "Tập thể lao động tiên tiến", "Tổng"]
    assert ["2021", "1", "1", "2"] in achieved and ["Cộng", "2", "1", "3"] in achieved
    by_unit = [[c.text for c in row.cells] for row in tables[3].rows]
    assert [province.units["syt"].code, "Sở Y tế", "2", "4", "3"] in by_unit
    assert not any("Sở Tư pháp" in row[1] for row in by_unit)

    workbook = load_workbook(BytesIO(exports.review_xlsx(figures=figures, stone=stone)))
    rows = list(workbook["Đăng ký"].iter_rows(values_only=True))
    assert ("Cộng", 2, 2, 4) in rows
    assert (2019, 0, 0, 0) in rows


def test_lam_dong_achievements_stay_out_of_the_provinces_review(province):
    snv = province.users["snv"]
    movement = services.movement_733_seed(snv, province.units["kh"])
    ld = make_unit("LDG", "UBND tỉnh Lâm Đồng", UnitType.UBND_TINH)
    _achievement(unit=ld, award=rules.TTLDTT, year=2021)
    figures = selectors.review_figures(user=snv, movement=movement, year=2025)
    assert figures.total_achieved == 0
    admin = selectors.review_figures(user=province.users["admin"], movement=movement, year=2025)
    assert admin.total_achieved == 1
