"""The province's overrides of dated settings and the admin page that lists them."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client

from congvu.core import dated_store
from congvu.core.models import AuditLog, SettingOverride

pytestmark = pytest.mark.django_db
PAGE = "/quan-tri/tham-so/"
NAME = "discipline.duration_months"


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_an_override_holds_over_its_interval_only_and_is_audited(province):
    admin = province.users["admin"]
    dated_store.setting_override_set(
        actor=admin,
        name=NAME,
        value="18",
        valid_from=date(2026, 1, 1),
        valid_to=date(2027, 1, 1),
        source="Quyết định 12/QĐ-UBND của tỉnh",
    )
    assert dated_store.setting_overrides(date(2025, 12, 31)) == {}
    assert dated_store.setting_overrides(date(2026, 6, 1)) == {NAME: 18}
    assert dated_store.setting_overrides(date(2027, 1, 1)) == {}
    log = AuditLog.objects.get(action="setting.override")
    assert log.actor == admin and log.data["value"] == 18 and log.data["national"] == "12"


@pytest.mark.parametrize(
    ("name", "value", "start", "source", "message"),
    [
        ("no.such.setting", "1", date(2026, 1, 1), "QĐ 1", "Không có tham số"),
        (NAME, "mười tám", date(2026, 1, 1), "QĐ 1", "số nguyên"),
        (NAME, "18", date(2026, 1, 1), "  ", "Cần ghi căn cứ"),
        (NAME, "18", date(2010, 1, 1), "QĐ 1", "chưa có hiệu lực"),
        ("plans.unit_report_due", "31/11", date(2026, 1, 1), "QĐ 1", "dạng dd/mm"),
        ("plans.unit_report_due", "15-11", date(2026, 1, 1), "QĐ 1", "dạng dd/mm"),
        ("plans.reminder_days_before", "bảy", date(2026, 1, 1), "QĐ 1", "cách nhau bằng dấu phẩy"),
    ],
)
def test_bad_overrides_are_refused_in_vietnamese_and_change_nothing(
    province, name, value, start, source, message
):
    with pytest.raises(ValidationError, match=message):
        dated_store.setting_override_set(
            actor=province.users["admin"], name=name, value=value, valid_from=start, source=source
        )
    assert (
        not SettingOverride.objects.exists()
        and not AuditLog.objects.filter(action="setting.override").exists()
    )


@pytest.mark.parametrize("who", ["snv", "head_syt", "outsider"])
def test_only_a_system_administrator_sets_an_override(province, who):
    with pytest.raises(PermissionDenied):
        dated_store.setting_override_set(
            actor=province.users[who],
            name=NAME,
            value="18",
            valid_from=date(2026, 1, 1),
            source="QĐ 1",
        )
    assert not SettingOverride.objects.exists()


def test_the_admin_page_lists_every_setting_in_force_on_a_day_with_its_source(province):
    page = client_for(province.users["snv"]).get(PAGE, {"ngay": "21/11/2026"})
    assert page.status_code == 200
    text = page.content.decode()
    assert "discipline.duration_months.vien_chuc" in text
    assert "Nghị định 234/2026/NĐ-CP" in text  # the row in force on 21/11/2026
    assert 'id="dat-tham-so"' not in text  # Sở Nội vụ reads, the administrator writes
    before = client_for(province.users["snv"]).get(PAGE, {"ngay": "01/01/2026"}).content.decode()
    assert "Nghị định 234/2026/NĐ-CP" not in before  # ND 234 takes effect on 01/07/2026


def test_the_administrator_records_a_value_from_the_page(province):
    client = client_for(province.users["admin"])
    refused = client.post(
        PAGE, {"ten": NAME, "gia_tri": "x", "tu_ngay": "01/01/2026", "can_cu": "QĐ 1"}, follow=True
    )
    assert "số nguyên" in refused.content.decode() and not SettingOverride.objects.exists()
    done = client.post(
        PAGE,
        {"ten": NAME, "gia_tri": "18", "tu_ngay": "01/01/2026", "can_cu": "Quyết định 12/QĐ-UBND"},
        follow=True,
    )
    assert "Đã ghi giá trị riêng của tỉnh." in done.content.decode()
    assert "Quyết định 12/QĐ-UBND" in done.content.decode()
    assert SettingOverride.objects.get().value == 18


@pytest.mark.parametrize("who", ["head_syt", "staff", "outsider"])
def test_others_do_not_reach_the_page(province, who):
    response = client_for(province.users[who]).get(PAGE)
    assert response.status_code in (302, 403, 404)


def test_a_province_deadline_for_citizens_reports_applies_to_new_reports(
    province, settings, tmp_path
):
    from datetime import timedelta

    from congvu.feedback.tests.conftest import file_report

    settings.MEDIA_ROOT = tmp_path / "private"
    before = file_report("KHA-SYT")
    assert before.sla_days == 15 and before.due_on == before.received_on + timedelta(days=15)
    dated_store.setting_override_set(
        actor=province.users["admin"],
        name="feedback.sla_days",
        value="10",
        valid_from=date(2026, 1, 1),
        source="Quyết định 5/QĐ-UBND về thời hạn xử lý phản ánh",
    )
    after = file_report("KHA-SYT")
    assert after.sla_days == 10 and after.due_on == after.received_on + timedelta(days=10)
    drinking = file_report("KHA-SYT", category="ruou-bia")  # its own row is not overridden
    assert drinking.sla_days == 7


def test_a_yearly_deadline_and_the_reminder_days_take_a_province_value(province):
    from congvu.plans import rules

    admin = province.users["admin"]
    for name, value in (
        ("plans.unit_report_due", "10/11"),
        ("plans.reminder_days_before", "10, 3, 1"),
    ):
        dated_store.setting_override_set(
            actor=admin, name=name, value=value, valid_from=date(2026, 1, 1), source="QĐ 5/QĐ-UBND"
        )
    overrides = dated_store.setting_overrides(date(2026, 6, 1))
    assert rules.yearly_due("plans.unit_report_due", 2026, overrides) == date(2026, 11, 10)
    assert rules.reminder_days(date(2026, 6, 1), overrides) == (10, 3, 1)
