"""A unit's internal rules: versions typed or uploaded, mappings, coverage, and who may do
what. A refusal changes nothing."""

import io
from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from docx import Document
from PIL import Image

from congvu.core.models import AuditLog
from congvu.standards import selectors, services
from congvu.standards.models import RulesItem, RulesMapping, UnitRules

pytestmark = pytest.mark.django_db

TEXT = """NỘI QUY CƠ QUAN
Điều 1. Trang phục gọn gàng, lịch sự; đi giày hoặc dép có quai hậu.
Điều 2. Cán bộ, công chức phải đeo thẻ khi thực hiện nhiệm vụ.
Điều 3. Nghiêm cấm hút thuốc lá trong phòng làm việc.
"""


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    return tmp_path


def create(province, text=TEXT, *, user="head_stp", unit="stp", **kwargs) -> UnitRules:
    return services.rules_create(
        actor=province.users[user],
        unit=province.units[unit],
        title=kwargs.pop("title", "Nội quy Sở Tư pháp"),
        adopted_on=kwargs.pop("adopted_on", date(2026, 3, 1)),
        text=text,
        **kwargs,
    )


def _docx(*paragraphs: str) -> SimpleUploadedFile:
    document = Document()
    for p in paragraphs:
        document.add_paragraph(p)
    out = io.BytesIO()
    document.save(out)
    return SimpleUploadedFile("noi-quy.docx", out.getvalue())


def _png() -> SimpleUploadedFile:
    out = io.BytesIO()
    Image.new("RGB", (4, 4)).save(out, "PNG")
    return SimpleUploadedFile("anh.png", out.getvalue())


def _state() -> tuple:
    return (
        list(UnitRules.objects.values_list("pk", "version")),
        list(RulesItem.objects.values_list("pk", "text")),
        list(RulesMapping.objects.values_list("item_id", "code")),
        AuditLog.objects.filter(action__startswith="unit_rules.").count(),
    )


def test_a_unit_head_types_rules_split_into_articles(province):
    rules = create(province)
    assert rules.version == 1
    assert [(i.number, i.text[:20]) for i in selectors.rules_items(rules)] == [
        ("Điều 1", "Điều 1. Trang phục g"),
        ("Điều 2", "Điều 2. Cán bộ, công"),
        ("Điều 3", "Điều 3. Nghiêm cấm h"),
    ]
    log = AuditLog.objects.get(action="unit_rules.create")
    assert log.data["items"] == 3 and log.actor == province.users["head_stp"]


def test_mapping_suggestions_and_coverage(province):
    rules = create(province)
    items = selectors.rules_items(rules)
    suggested = {(s.item, s.code) for s in selectors.rules_suggestions(items)}
    first, second, third = (i.pk for i in items)
    assert {
        (first, "qd129.trang-phuc"),
        (first, "qd1847.trang-phuc"),
        (second, "qd129.the"),
        (third, "qd129.viec-cam"),
    } <= suggested
    added = services.item_map(
        actor=province.users["head_stp"],
        rules=rules,
        pairs=[(first, "qd129.trang-phuc"), (second, "qd129.the"), (third, "qd129.viec-cam")],
    )
    assert added == 3
    coverage = selectors.rules_coverage(rules, selectors.rules_items(rules))
    assert [(c.required.code, c.items) for c in coverage.covered] == [
        ("qd129.trang-phuc", ("Điều 1",)),
        ("qd129.the", ("Điều 2",)),
        ("qd129.viec-cam", ("Điều 3",)),
    ]
    assert "qd129.cho-de-xe" in [m.required.code for m in coverage.missing]
    assert coverage.percent == 25  # 3 of the 12 required contents
    # mapping again adds nothing; the suggestion is no longer offered
    assert (
        services.item_map(
            actor=province.users["head_stp"], rules=rules, pairs=[(second, "qd129.the")]
        )
        == 0
    )
    assert (second, "qd129.the") not in {
        (s.item, s.code) for s in selectors.rules_suggestions(selectors.rules_items(rules))
    }
    services.item_unmap(
        actor=province.users["head_stp"], rules=rules, item_id=second, code="qd129.the"
    )
    assert not RulesMapping.objects.filter(item_id=second).exists()
    assert AuditLog.objects.filter(action="unit_rules.unmap").count() == 1


def test_a_new_version_keeps_the_old_one_and_the_mappings_of_unchanged_articles(province):
    old = create(province)
    first = old.items.get(number="Điều 1")
    services.item_map(
        actor=province.users["head_stp"], rules=old, pairs=[(first.pk, "qd129.trang-phuc")]
    )
    new = create(
        province,
        "Điều 1. Trang phục gọn gàng, lịch sự; đi giày hoặc dép có quai hậu.\n"
        "Điều 2. Để xe đúng nơi quy định.",
    )
    assert new.version == 2
    assert old.items.count() == 3 and RulesMapping.objects.filter(item__rules=old).count() == 1
    assert list(RulesMapping.objects.filter(item__rules=new).values_list("code", flat=True)) == [
        "qd129.trang-phuc"
    ]
    with pytest.raises(ValidationError, match="phiên bản mới hơn"):
        services.item_map(
            actor=province.users["head_stp"], rules=old, pairs=[(first.pk, "qd129.the")]
        )


def test_an_uploaded_word_file_is_kept_and_read_into_articles(province, media):
    rules = create(
        province, "", upload=_docx("Nội quy", "Điều 1. Đeo thẻ.", "Điều 2. Không hút thuốc.")
    )
    assert rules.content_type == services.uploads.DOCX and rules.original_name == "noi-quy.docx"
    assert services.rules_file_path(rules).exists()
    assert [i.number for i in selectors.rules_items(rules)] == ["Điều 1", "Điều 2"]


def test_typed_text_wins_over_the_file_which_is_kept_as_the_signed_original(province):
    rules = create(province, "Điều 1. Đeo thẻ.", upload=_docx("Điều 9. Khác"))
    assert [i.number for i in selectors.rules_items(rules)] == ["Điều 1"]
    assert services.rules_file_path(rules).exists()


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"text": ""}, "Nhập nội dung nội quy"),
        ({"text": "Chương I"}, "chưa có điều, khoản nào"),
        ({"text": "Điều 1. A\nĐiều 1. B"}, "Điều 1 xuất hiện hai lần"),
        ({"title": "  "}, "Cần ghi tên văn bản"),
        ({"adopted_on": date(2026, 11, 22)}, "không được sau ngày hôm nay"),
        ({"text": "", "upload": SimpleUploadedFile("a.txt", b"Dieu 1. abc")}, "Chỉ nhận tệp PDF"),
        ({"text": "", "upload": _png()}, "Tệp nội quy phải là PDF hoặc Word"),
        ({"text": "", "upload": _docx("")}, "Không đọc được nội dung của tệp"),
    ],
)
def test_refused_rules_change_nothing_and_keep_no_file(province, media, kwargs, message):
    create(province)
    before, files = _state(), sorted(media.rglob("*"))
    with pytest.raises(ValidationError, match=message):
        create(province, **kwargs)
    assert _state() == before
    assert sorted(p for p in media.rglob("*") if p.is_file()) == [p for p in files if p.is_file()]


@pytest.mark.parametrize(
    ("pairs", "message"),
    [
        ([], "ít nhất một"),
        ([(0, "qd129.the")], "không thuộc nội quy này"),
        ("unknown-code", "Không có nội dung bắt buộc mã khong-co"),
    ],
)
def test_refused_mappings_change_nothing(province, pairs, message):
    rules = create(province)
    item = rules.items.get(number="Điều 2")
    if pairs == "unknown-code":
        pairs = [(item.pk, "qd129.the"), (item.pk, "khong-co")]
    before = _state()
    with pytest.raises(ValidationError, match=message):
        services.item_map(actor=province.users["head_stp"], rules=rules, pairs=pairs)
    assert _state() == before


def test_an_item_of_another_units_rules_cannot_be_mapped_through_mine(province):
    mine = create(province)
    theirs = create(province, user="head_syt", unit="syt", title="Nội quy Sở Y tế")
    before = _state()
    with pytest.raises(ValidationError, match="không thuộc nội quy này"):
        services.item_map(
            actor=province.users["head_stp"],
            rules=mine,
            pairs=[(theirs.items.first().pk, "qd129.the")],
        )
    assert _state() == before


@pytest.mark.parametrize("persona", ["head_syt", "snv", "inspector", "leader", "staff", "outsider"])
def test_only_the_units_head_edits_its_rules(province, persona):
    rules = create(province)
    item = rules.items.first()
    before = _state()
    user = province.users[persona]
    with pytest.raises(PermissionDenied):
        create(province, user=persona)
    with pytest.raises(PermissionDenied):
        services.item_map(actor=user, rules=rules, pairs=[(item.pk, "qd129.the")])
    with pytest.raises(PermissionDenied):
        services.item_unmap(actor=user, rules=rules, item_id=item.pk, code="qd129.the")
    assert _state() == before


def test_sở_nội_vụ_and_the_inspector_read_the_coverage_in_their_scope(province):
    rules = create(province)
    create(province, user="head_syt", unit="syt", title="Nội quy Sở Y tế")
    for persona in ("snv", "inspector", "leader", "head_stp", "admin"):
        user = province.users[persona]
        assert selectors.rules_get_for_user(user=user, pk=rules.pk) == rules, persona
    for persona in ("head_syt", "staff", "council", "mttq", "outsider"):
        user = province.users[persona]
        assert selectors.rules_get_for_user(user=user, pk=rules.pk) is None, persona
    units = {u.code for u in selectors.rules_units_for_user(user=province.users["inspector"])}
    assert province.units["stp"].code in units and province.units["syt"].code not in units
    rows = selectors.coverage_rows(list(selectors.rules_units_for_user(user=province.users["snv"])))
    by_unit = {row.unit.pk: row for row in rows}
    assert by_unit[province.units["stp"].pk].rules == rules
    assert by_unit[province.units["bv"].pk].rules is None
    assert by_unit[province.units["bv"].pk].coverage.percent == 0


def test_the_overview_reads_a_page_of_units_in_a_fixed_number_of_queries(
    province, django_assert_max_num_queries
):
    for unit, user in (("stp", "head_stp"), ("syt", "head_syt")):
        rules = create(province, user=user, unit=unit)
        services.item_map(
            actor=province.users[user],
            rules=rules,
            pairs=[(i.pk, "qd129.the") for i in rules.items.all()],
        )
    units = list(selectors.rules_units_for_user(user=province.users["snv"]))
    with django_assert_max_num_queries(2):
        rows = selectors.coverage_rows(units)
    assert len(rows) == len(units)


def test_the_demo_rules_of_sở_y_tế_lack_four_contents(province):
    from congvu.standards.demo import demo_unit_rules

    units = {"KHA-SYT": province.units["syt"]}
    province.users["head_syt"].username = "gd_soyte"
    province.users["head_syt"].save(update_fields=["username"])
    demo_unit_rules(actor=province.users["admin"], units=units)
    demo_unit_rules(actor=province.users["admin"], units=units)  # loaded once
    rules = UnitRules.objects.get()
    assert rules.created_by == province.users["head_syt"]
    coverage = selectors.rules_coverage(rules, selectors.rules_items(rules))
    assert [m.required.code for m in coverage.missing] == [
        "qd129.quoc-huy-quoc-ky",
        "qd129.bien-ten",
        "qd129.phong-lam-viec",
        "qd1847.dao-duc-loi-song",
    ]
    assert coverage.percent == 67
