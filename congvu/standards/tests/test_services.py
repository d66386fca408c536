"""Loading catalogue versions: idempotent, refusing changed content, never touching old versions."""

from datetime import date
from io import StringIO
from pathlib import Path

import pytest
import yaml
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import CommandError, call_command

from congvu.core.actors import SYSTEM
from congvu.core.models import AuditLog
from congvu.standards import selectors, services
from congvu.standards.models import Catalogue, CatalogueVersion, Criterion
from congvu.standards.rules import CatalogueError

pytestmark = pytest.mark.django_db


def catalogue_doc(version: str = "1", **changes) -> dict:
    data = {
        "code": "thu",
        "title": "Danh mục thử",
        "kind": "individual",
        "version": version,
        "effective_from": "2026-01-01",
        "source": {"document": "Văn bản thử"},
        "items": [
            {
                "id": "thu.a",
                "text": "Nhóm A",
                "source": "A",
                "items": [
                    {
                        "id": "thu.a.1",
                        "text": "Đeo thẻ khi làm nhiệm vụ",
                        "source": "A.1",
                        "points": 4,
                    },
                    {
                        "id": "thu.a.2",
                        "text": "Đi giày hoặc dép có quai hậu",
                        "source": "A.2",
                        "points": 6,
                    },
                ],
                "points": 10,
            },
        ],
    }
    data.update(changes)
    return data


def write(path: Path, data: dict) -> Path:
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def snapshot(version: CatalogueVersion) -> list[tuple]:
    return list(
        Criterion.objects.filter(version=version)
        .order_by("order")
        .values_list("pk", "stable_id", "parent_id", "text", "points", "weight", "source")
    )


def test_loading_the_shipped_catalogues_twice_changes_nothing():
    first = services.catalogues_load(actor=SYSTEM)
    assert {(r.code, r.version, r.created, r.items) for r in first} == {
        ("ca-nhan", "2019.1", True, 46),
        ("tap-the", "2019.1", True, 23),
        ("vhcv", "2019.1", True, 29),
        ("vhcs", "2007.1", True, 25),
    }
    rows = list(Criterion.objects.order_by("pk").values_list())
    audits = AuditLog.objects.count()
    second = services.catalogues_load(actor=SYSTEM)
    assert [r.created for r in second] == [False] * 4
    assert list(Criterion.objects.order_by("pk").values_list()) == rows
    assert AuditLog.objects.count() == audits
    assert CatalogueVersion.objects.count() == 4


def test_a_load_is_audited_with_its_checksum_and_source(province, tmp_path):
    result = services.catalogues_load(
        actor=province["admin"], paths=[write(tmp_path / "1.yaml", catalogue_doc())]
    )[0]
    version = CatalogueVersion.objects.get(pk=result.version_id)
    log = AuditLog.objects.get(action="catalogue.load")
    assert (log.actor, log.object_id) == (province["admin"], str(version.pk))
    assert log.data["checksum"] == version.checksum
    assert log.data["items"] == 3
    assert version.loaded_by == province["admin"]


def test_the_same_content_in_another_layout_is_the_same_version(tmp_path):
    services.catalogues_load(actor=SYSTEM, paths=[write(tmp_path / "a.yaml", catalogue_doc())])
    relaid = (tmp_path / "a.yaml").read_text(encoding="utf-8")
    (tmp_path / "b.yaml").write_text("# chú thích mới\n" + relaid + "\n\n", encoding="utf-8")
    [result] = services.catalogues_load(actor=SYSTEM, paths=[tmp_path / "b.yaml"])
    assert result.created is False


def test_a_changed_file_under_a_loaded_version_is_refused_and_nothing_changes(tmp_path):
    services.catalogues_load(actor=SYSTEM, paths=[write(tmp_path / "1.yaml", catalogue_doc())])
    before = snapshot(CatalogueVersion.objects.get())
    changed = catalogue_doc()
    changed["items"][0]["items"][0]["text"] = "Đeo thẻ đúng quy định"
    with pytest.raises(ValidationError) as refused:
        services.catalogues_load(actor=SYSTEM, paths=[write(tmp_path / "1.yaml", changed)])
    message = refused.value.messages[0]
    assert "Danh mục thu phiên bản 1 đã được nạp" in message
    assert "hãy đặt chuỗi phiên bản mới" in message
    assert snapshot(CatalogueVersion.objects.get()) == before


def test_a_new_version_leaves_the_old_criteria_untouched(tmp_path):
    services.catalogues_load(actor=SYSTEM, paths=[write(tmp_path / "1.yaml", catalogue_doc())])
    old = CatalogueVersion.objects.get(version="1")
    before = snapshot(old)
    new_doc = catalogue_doc(version="2", effective_from="2027-01-01", title="Danh mục thử (2027)")
    new_doc["items"][0]["items"][0]["text"] = "Đeo thẻ đúng quy định"
    services.catalogues_load(actor=SYSTEM, paths=[write(tmp_path / "2.yaml", new_doc)])
    new = CatalogueVersion.objects.get(version="2")
    assert snapshot(old) == before
    assert (
        Criterion.objects.get(version=old, stable_id="thu.a.1").text == "Đeo thẻ khi làm nhiệm vụ"
    )
    assert Criterion.objects.get(version=new, stable_id="thu.a.1").text == "Đeo thẻ đúng quy định"
    assert Catalogue.objects.get(code="thu").title == "Danh mục thử (2027)"
    assert selectors.version_in_force(code="thu", day=date(2026, 6, 1)) == old
    assert selectors.version_in_force(code="thu", day=date(2027, 1, 1)) == new
    diff = selectors.version_diff(old=old, new=new)
    assert [(c.stable_id, c.field) for c in diff.changes] == [("thu.a.1", "text")]


def test_loaded_rows_cannot_be_saved_again():
    services.catalogues_load(actor=SYSTEM)
    criterion = Criterion.objects.get(stable_id="ca-nhan.ky-cuong.1")
    criterion.text = "Sửa lén"
    with pytest.raises(ValidationError):
        criterion.save()
    version = criterion.version
    version.checksum = "0" * 64
    with pytest.raises(ValidationError):
        version.save()


def test_one_invalid_file_loads_nothing(tmp_path):
    good = write(tmp_path / "good.yaml", catalogue_doc())
    bad = write(tmp_path / "bad.yaml", catalogue_doc(code="khac", version=None))
    with pytest.raises(CatalogueError) as refused:
        services.catalogues_load(actor=SYSTEM, paths=[good, bad])
    assert any(str(bad) in p and "version" in p for p in refused.value.problems)
    assert not CatalogueVersion.objects.exists()


def test_a_key_written_twice_in_yaml_is_refused(tmp_path):
    path = tmp_path / "twice.yaml"
    path.write_text("code: thu\ncode: khac\n", encoding="utf-8")
    with pytest.raises(CatalogueError, match="khóa «code» xuất hiện hai lần"):
        services.read_document(path)


def test_a_dry_run_reports_and_writes_nothing():
    out = StringIO()
    call_command("load_catalogues", "--dry-run", stdout=out)
    assert "ca-nhan 2019.1: đã nạp, 46 mục" in out.getvalue()
    assert "chạy thử" in out.getvalue()
    assert not Catalogue.objects.exists()


def test_the_command_loads_given_paths_and_explains_a_refusal(tmp_path):
    path = write(tmp_path / "1.yaml", catalogue_doc())
    out = StringIO()
    call_command("load_catalogues", str(path), stdout=out)
    assert "thu 1: đã nạp, 3 mục" in out.getvalue()
    changed = catalogue_doc(title="Tên khác")
    with pytest.raises(CommandError, match="hãy đặt chuỗi phiên bản mới"):
        call_command("load_catalogues", str(write(path, changed)), stdout=StringIO())


def test_the_command_lists_every_problem_of_an_invalid_file(tmp_path):
    path = write(tmp_path / "1.yaml", catalogue_doc(kind="khac", effective_from="hôm nay"))
    with pytest.raises(CommandError) as failed:
        call_command("load_catalogues", str(path), stdout=StringIO())
    assert "kind" in str(failed.value) and "effective_from" in str(failed.value)


def test_a_catalogue_kind_cannot_change_between_versions(tmp_path):
    services.catalogues_load(actor=SYSTEM, paths=[write(tmp_path / "1.yaml", catalogue_doc())])
    other = catalogue_doc(version="2", kind="collective")
    with pytest.raises(ValidationError, match="không nạp được phiên bản loại"):
        services.catalogues_load(actor=SYSTEM, paths=[write(tmp_path / "2.yaml", other)])


# --- A unit's own rules ----------------------------------------------------------


RULES = "# Giờ làm việc\nCó mặt trước 7 giờ 30\nKhông rời vị trí khi chưa được phép\n# Tài sản\nTắt điện khi ra về"


def issue(province, user="head_syt", unit="syt", version="2026.1", text=RULES):
    return services.supplement_version_create(
        actor=province[user],
        unit=province[unit],
        title="Nội quy cơ quan",
        version=version,
        effective_from=date(2026, 12, 1),
        rules_text=text,
    )


def test_a_unit_head_issues_the_units_own_rules(province):
    result = issue(province)
    catalogue = Catalogue.objects.get(code=result.code)
    assert (catalogue.kind, catalogue.owner_unit) == ("unit_supplement", province["syt"])
    texts = list(
        Criterion.objects.filter(version_id=result.version_id).values_list("stable_id", "text")
    )
    code = services.supplement_code(province["syt"])
    assert texts == [
        (f"{code}.1", "Giờ làm việc"),
        (f"{code}.1.1", "Có mặt trước 7 giờ 30"),
        (f"{code}.1.2", "Không rời vị trí khi chưa được phép"),
        (f"{code}.2", "Tài sản"),
        (f"{code}.2.1", "Tắt điện khi ra về"),
    ]
    assert AuditLog.objects.filter(
        action="catalogue.supplement", actor=province["head_syt"]
    ).exists()


def test_issuing_the_same_rules_again_changes_nothing_and_new_content_needs_a_new_version(province):
    assert issue(province).created is True
    assert issue(province).created is False
    with pytest.raises(ValidationError, match="hãy đặt chuỗi phiên bản mới"):
        issue(province, text=RULES + "\nGiữ gìn vệ sinh chung")
    assert issue(province, version="2026.2", text=RULES + "\nGiữ gìn vệ sinh chung").created


def test_another_units_head_cannot_issue_rules_for_the_unit(province):
    for user in ("head_stp", "staff", "outsider", "council"):
        with pytest.raises(PermissionDenied):
            issue(province, user=user)
    assert not Catalogue.objects.exists()


def test_a_unit_head_may_issue_rules_for_a_unit_below(province):
    assert issue(province, unit="bv").created


def test_invalid_rules_are_refused_with_the_reasons(province):
    with pytest.raises(ValidationError) as refused:
        issue(province, text="# \n")
    assert any("thiếu nội dung" in m for m in refused.value.messages)
