from datetime import date

import pytest
from django.core.exceptions import ValidationError

from congvu.core.actors import SYSTEM
from congvu.core.models import AuditLog
from congvu.discipline import selectors, services
from congvu.discipline.models import DisciplineRecord
from congvu.discipline.services import DecisionSpec

pytestmark = pytest.mark.django_db


def _spec(**overrides) -> DecisionSpec:
    values = {
        "form": "khien_trach",
        "decision_number": "12/QĐ-SYT",
        "decision_date": date(2026, 3, 1),
        "issuer": "Sở Y tế",
        "effective_from": date(2026, 3, 1),
        "violation": "Vi phạm quy chế văn hóa công sở",
        "duty_related": True,
    }
    values.update(overrides)
    return DecisionSpec(**values)


def test_a_lawful_decision_is_recorded_with_its_snapshot_and_audit(province):
    staff = province.staff["syt_cc"]
    record = services.discipline_record(actor=province["head_syt"], staff=staff, spec=_spec())
    assert (record.unit_id, record.category, record.is_leader) == (
        province["syt"].pk,
        "cong_chuc",
        False,
    )
    assert record.effective_to is not None and record.effective_to > record.effective_from
    assert AuditLog.objects.filter(action="discipline.record", object_id=str(record.pk)).exists()


def test_ha_bac_luong_is_refused_for_cong_chuc_after_1_july_2025(province):
    """ND 172/2025 removed hạ bậc lương for công chức (docs/legal/discipline.md#d-2)."""
    staff = province.staff["syt_cc"]
    with pytest.raises(ValidationError, match="không áp dụng"):
        services.discipline_record(actor=SYSTEM, staff=staff, spec=_spec(form="ha_bac_luong"))
    assert not DisciplineRecord.objects.exists()


def test_ha_bac_luong_was_valid_for_cong_chuc_in_2024(province):
    staff = province.staff["syt_cc"]
    spec = _spec(
        form="ha_bac_luong", decision_date=date(2024, 5, 1), effective_from=date(2024, 5, 1)
    )
    assert services.discipline_record(actor=SYSTEM, staff=staff, spec=spec).form == "ha_bac_luong"


def test_effective_date_before_decision_is_refused(province):
    with pytest.raises(ValidationError, match="không được trước"):
        services.discipline_record(
            actor=SYSTEM,
            staff=province.staff["syt_cc"],
            spec=_spec(effective_from=date(2026, 2, 1)),
        )


def test_revoked_decision_stays_but_no_longer_counts(province):
    staff = province.staff["syt_cc"]
    record = services.discipline_record(actor=SYSTEM, staff=staff, spec=_spec())
    assert (
        selectors.disciplines_for_classification(staff_ids=[staff.pk])[staff.pk][0].form
        == "khien_trach"
    )
    services.discipline_revoke(
        actor=SYSTEM, record=record, reason="Hủy theo kết quả giải quyết khiếu nại"
    )
    assert DisciplineRecord.objects.filter(pk=record.pk).exists()
    assert selectors.disciplines_for_classification(staff_ids=[staff.pk]) == {}


def test_register_is_scoped_to_the_unit(province):
    services.discipline_record(actor=SYSTEM, staff=province.staff["syt_cc"], spec=_spec())
    assert selectors.discipline_list_for_user(user=province["head_syt"]).count() == 1
    assert selectors.discipline_list_for_user(user=province["head_stp"]).count() == 0
    assert selectors.discipline_list_for_user(user=province["outsider"]).count() == 0
    assert selectors.discipline_list_for_user(user=province["mttq"]).count() == 0


def test_an_actor_outside_the_scope_records_and_revokes_nothing(province):
    from django.core.exceptions import PermissionDenied

    staff = province.staff["syt_cc"]
    with pytest.raises(PermissionDenied):
        services.discipline_record(actor=province["head_stp"], staff=staff, spec=_spec())
    assert not DisciplineRecord.objects.exists()
    record = services.discipline_record(actor=province["head_syt"], staff=staff, spec=_spec())
    for outsider in (province["head_stp"], province["council"], province["staff"]):
        with pytest.raises(PermissionDenied):
            services.discipline_revoke(actor=outsider, record=record, reason="Không hợp lệ")
    assert DisciplineRecord.objects.get(pk=record.pk).revoked_at is None


def test_a_decision_dated_in_the_future_is_refused(province):
    with pytest.raises(ValidationError, match="không được sau ngày hôm nay"):
        services.discipline_record(
            actor=SYSTEM,
            staff=province.staff["syt_cc"],
            spec=_spec(decision_date=date(2026, 12, 1), effective_from=date(2026, 12, 1)),
        )
    assert not DisciplineRecord.objects.exists()


def test_a_decision_cannot_be_revoked_twice(province):
    record = services.discipline_record(actor=SYSTEM, staff=province.staff["syt_cc"], spec=_spec())
    services.discipline_revoke(actor=province["head_syt"], record=record, reason="Khiếu nại")
    with pytest.raises(ValidationError, match="đã bị hủy bỏ"):
        services.discipline_revoke(actor=province["head_syt"], record=record, reason="Lần hai")
    assert DisciplineRecord.objects.get(pk=record.pk).revoke_reason == "Khiếu nại"
