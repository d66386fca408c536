"""The inspections' writers and scoped reads, with the province's personas."""

import io
from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from congvu.core.models import Notification
from congvu.inspections import rules, selectors, services
from congvu.inspections.models import Answer, AnswerPhoto
from congvu.inspections.tests.factories import KEY, inspection_of_syt
from congvu.testing import make_staff, make_user

pytestmark = pytest.mark.django_db


def _key(n: int) -> str:
    return f"{KEY[:-4]}{n:04d}"


@pytest.fixture
def team(province):
    """Sở Nội vụ's officer leads; Sở Tư pháp's head is a member; neither works at Sở Y tế."""
    return province.users["snv"], province.users["head_stp"]


@pytest.fixture
def started(province, team, django_capture_on_commit_callbacks):
    inspection = inspection_of_syt(province)
    lead, member = team
    services.team_set(
        actor=province.users["snv"], inspection=inspection, lead=lead, members=[member]
    )
    return services.inspection_start(actor=lead, inspection=inspection)


def test_a_member_from_the_inspected_unit_or_below_it_is_refused_with_the_reason(province):
    inspection = inspection_of_syt(province)
    nurse = make_user("dieu_duong", province.staff["nurse"])  # Bệnh viện, under Sở Y tế
    for user in (province.users["head_syt"], nurse):
        with pytest.raises(
            ValidationError, match="đơn vị công tác của người này là đơn vị được kiểm tra"
        ):
            services.team_set(
                actor=province.users["snv"],
                inspection=inspection,
                lead=province.users["snv"],
                members=[user],
            )
    assert not inspection.team.exists()


def test_only_who_organises_the_inspection_sets_its_team(province, team):
    inspection = inspection_of_syt(province)
    for persona in ("head_syt", "head_stp", "inspector", "outsider"):
        with pytest.raises(PermissionDenied):
            services.team_set(
                actor=province.users[persona], inspection=inspection, lead=team[0], members=[]
            )


def _seen_by(province, persona, inspection) -> tuple[bool, bool, int]:
    user = province.users[persona]
    listed = selectors.inspection_list_for_user(user=user)
    return (
        inspection in listed,
        selectors.inspection_get_for_user(user=user, pk=inspection.pk) is not None,
        listed.count(),
    )


def test_an_unannounced_inspection_is_invisible_to_the_inspected_unit_until_it_starts(
    province, team, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        inspection = inspection_of_syt(province, kind=rules.UNANNOUNCED)
        services.team_set(
            actor=province.users["snv"], inspection=inspection, lead=team[0], members=[team[1]]
        )
    for persona in ("head_syt", "council", "staff", "outsider", "mttq", "leader"):
        assert _seen_by(province, persona, inspection) == (False, False, 0), persona
    for persona in ("admin", "snv", "head_stp"):  # the organiser and the team
        assert _seen_by(province, persona, inspection)[:2] == (True, True), persona
    head = province.users["head_syt"]
    assert not Notification.objects.filter(recipient=head).exists()

    with django_capture_on_commit_callbacks(execute=True):
        services.inspection_start(actor=team[0], inspection=inspection)
    assert _seen_by(province, "head_syt", inspection) == (True, True, 1)
    assert _seen_by(province, "leader", inspection)[:2] == (True, True)
    assert Notification.objects.filter(recipient=head, kind="inspection").count() == 1


def test_an_announced_inspection_is_seen_by_the_inspected_unit_and_told_to_its_head(
    province, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        inspection = inspection_of_syt(province)
    assert _seen_by(province, "head_syt", inspection)[:2] == (True, True)
    assert _seen_by(province, "head_stp", inspection)[:2] == (False, False)  # not on the team
    assert Notification.objects.filter(recipient=province.users["head_syt"]).count() == 1


def test_the_checklist_is_built_from_the_chosen_areas_and_the_free_items(province):
    inspection = inspection_of_syt(province)
    items = list(inspection.items.order_by("position"))
    assert [i.code for i in items] == ["B1", "B2", "B3", *[f"E{n}" for n in range(1, 8)], "G1"]
    assert items[0].person_level and items[0].basis.startswith("QĐ 129/2007 Điều 7")
    assert items[-1].text == "Sổ góp ý đặt tại bộ phận một cửa" and not items[-1].person_level
    with pytest.raises(ValidationError, match="Không có nhóm nội dung Z"):
        inspection_of_syt(province, areas=("Z",))


def test_an_answer_replayed_twice_is_stored_once(province, team, started):
    item = started.items.get(code="B1")
    staff = province.staff["syt_cc"]
    sent = {"item": item, "result": rules.NOT_COMPLIANT, "note": "Không đeo thẻ", "staff": staff}
    first, created = services.answer_record(actor=team[1], key=_key(1), **sent)
    again, created_again = services.answer_record(actor=team[1], key=_key(1), **sent)
    third, _ = services.answer_record(actor=team[1], key=_key(1), **sent)
    assert created and not created_again
    assert first.pk == again.pk == third.pk
    assert Answer.objects.filter(item=item).count() == 1
    with pytest.raises(ValidationError, match="đã dùng cho một kết quả khác"):
        services.answer_record(actor=team[1], key=_key(1), **{**sent, "note": "Khác"})
    changed, _ = services.answer_record(
        actor=team[0], key=_key(2), item=item, result=rules.COMPLIANT
    )
    assert list(Answer.objects.filter(item=item, current=True)) == [changed]
    assert Answer.objects.filter(item=item).count() == 2  # the earlier answer is kept


def test_nobody_records_answers_about_their_own_unit(province, team, started):
    item = started.items.get(code="B1")
    for persona in ("head_syt", "staff", "snv_admin_not_on_team"):
        user = province.users.get(persona) or province.users["admin"]
        with pytest.raises(PermissionDenied):
            services.answer_record(actor=user, key=_key(3), item=item, result=rules.COMPLIANT)
    # A member who has since moved to the inspected unit is refused at the next answer.
    moved = province.staff["head_stp"]
    moved.unit = province.units["bv"]
    moved.save()
    with pytest.raises(PermissionDenied):
        services.answer_record(actor=team[1], key=_key(4), item=item, result=rules.COMPLIANT)
    with pytest.raises(ValidationError, match="chính mình"):
        services.answer_record(
            actor=team[0],
            key=_key(5),
            item=item,
            result=rules.NOT_COMPLIANT,
            note="x",
            staff=province.staff["snv_cc"],
        )
    with pytest.raises(ValidationError, match="không công tác tại đơn vị được kiểm tra"):
        services.answer_record(
            actor=team[0],
            key=_key(6),
            item=item,
            result=rules.NOT_COMPLIANT,
            note="x",
            staff=province.staff["stp_cc"],
        )
    assert not Answer.objects.exists()


def test_answers_wait_for_the_start_and_stop_at_the_close(province, team):
    inspection = inspection_of_syt(province, areas=(), free_items=("Một nội dung",))
    services.team_set(actor=province.users["snv"], inspection=inspection, lead=team[0])
    item = inspection.items.get()
    with pytest.raises(ValidationError, match="đang diễn ra"):
        services.answer_record(actor=team[0], key=_key(7), item=item, result=rules.COMPLIANT)
    services.inspection_start(actor=team[0], inspection=inspection)
    with pytest.raises(ValidationError, match="Còn 1 nội dung"):
        services.inspection_close(actor=team[0], inspection=inspection)
    services.answer_record(actor=team[0], key=_key(8), item=item, result=rules.COMPLIANT)
    closed = services.inspection_close(actor=team[0], inspection=inspection, conclusion="Tốt")
    assert closed.status == rules.CLOSED and closed.closed_at is not None
    with pytest.raises(ValidationError, match="đang diễn ra"):
        services.answer_record(actor=team[0], key=_key(9), item=item, result=rules.COMPLIANT)


def test_only_the_lead_starts_and_closes(province, team):
    inspection = inspection_of_syt(province)
    services.team_set(
        actor=province.users["snv"], inspection=inspection, lead=team[0], members=[team[1]]
    )
    with pytest.raises(ValidationError, match="Chỉ trưởng đoàn"):
        services.inspection_start(actor=team[1], inspection=inspection)
    with pytest.raises(PermissionDenied):
        services.inspection_start(actor=province.users["admin"], inspection=inspection)


def _photo_with_gps() -> bytes:
    image = Image.new("RGB", (800, 600), (30, 120, 200))
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # the maker
    exif[0x0110] = "PhoneModel X"  # the model
    gps = exif.get_ifd(0x8825)
    gps[1], gps[2] = "N", (12.0, 14.0, 30.0)  # latitude: Nha Trang
    gps[3], gps[4] = "E", (109.0, 11.0, 40.0)
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif)
    return out.getvalue()


def test_a_photo_keeps_no_exif_location_or_device_and_has_a_thumbnail(
    province, team, started, settings, tmp_path
):
    settings.MEDIA_ROOT = str(tmp_path)
    item = started.items.get(code="E1")
    data = _photo_with_gps()
    assert b"PhoneMaker" in data and Image.open(io.BytesIO(data)).getexif().get_ifd(0x8825)
    photo = services.photo_attach(
        actor=team[1], item=item, upload=SimpleUploadedFile("quoc-huy.jpg", data)
    )
    kept = services.photo_path(photo).read_bytes()
    assert b"PhoneMaker" not in kept and b"PhoneModel" not in kept
    with Image.open(io.BytesIO(kept)) as image:
        assert not image.getexif() and not image.getexif().get_ifd(0x8825)
    with Image.open(services.photo_path(photo, thumb=True)) as thumb:
        assert max(thumb.size) == services.THUMB_SIDE
    with pytest.raises(ValidationError, match="Chỉ nhận ảnh JPEG hoặc PNG"):
        services.photo_attach(
            actor=team[1], item=item, upload=SimpleUploadedFile("a.pdf", b"%PDF-1.4\n%%EOF\n")
        )
    with pytest.raises(PermissionDenied):
        services.photo_attach(
            actor=province.users["head_syt"], item=item, upload=SimpleUploadedFile("b.jpg", data)
        )
    assert AnswerPhoto.objects.count() == 1
    assert sorted(p.name for p in (tmp_path / "inspections").iterdir()) == sorted(
        [photo.stored_name, photo.thumb_name]
    )


def test_findings_are_the_current_not_compliant_answers(province, team, started):
    b1, e1 = started.items.get(code="B1"), started.items.get(code="E1")
    services.answer_record(
        actor=team[0],
        key=_key(10),
        item=b1,
        result=rules.NOT_COMPLIANT,
        note="Không đeo thẻ",
        staff=province.staff["syt_cc"],
    )
    services.answer_record(
        actor=team[0], key=_key(11), item=e1, result=rules.NOT_COMPLIANT, note="Thiếu Quốc huy"
    )
    services.answer_record(actor=team[0], key=_key(12), item=e1, result=rules.COMPLIANT)
    found = list(selectors.findings(inspection=started))
    assert [(a.item.code, a.staff) for a in found] == [("B1", province.staff["syt_cc"])]


def test_plans_are_issued_by_who_organises_inspections(province):
    plan = services.plan_create(
        actor=province.users["snv"],
        owner=province.units["snv"],
        year=2026,
        title="Kế hoạch kiểm tra công vụ năm 2026",
        decision_code="3/QĐ-SNV",
        decision_date=date(2026, 1, 15),
    )
    assert list(selectors.plan_list_for_user(user=province.users["snv"])) == [plan]
    assert not selectors.plan_list_for_user(user=province.users["head_syt"]).exists()
    with pytest.raises(PermissionDenied):
        services.plan_create(
            actor=province.users["head_syt"],
            owner=province.units["snv"],
            year=2026,
            title="x",
            decision_code="1/QĐ",
            decision_date=date(2026, 1, 1),
        )
    assert make_staff  # the factory stays importable for other tests
