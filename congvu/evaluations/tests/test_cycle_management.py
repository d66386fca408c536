"""Cycle management: the services' guards (one form per official and period, a unit's own
rules only for that unit, deleting a cycle in preparation) and the pages "Kỳ đánh giá"."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from congvu.core.actors import SYSTEM
from congvu.core.models import AuditLog
from congvu.evaluations import services
from congvu.evaluations.models import CycleStatus, Evaluation, EvaluationCycle
from congvu.evaluations.tests import factories as f
from congvu.standards import services as standards

pytestmark = pytest.mark.django_db


@pytest.fixture
def version(tmp_path):
    return f.load(tmp_path, f.individual_doc())


@pytest.fixture
def collective(tmp_path):
    return f.load(tmp_path, f.collective_doc())


def login(client, user):
    client.force_login(user)
    return client


def form_data(province, version, **changes) -> dict:
    data = {
        "title": "Đánh giá năm 2026 — Sở Y tế",
        "subject": "individual",
        "period_kind": "year",
        "year": "2026",
        "period_number": "",
        "catalogue_version": str(version.pk),
        "root_unit": str(province.units["syt"].pk),
        "include_subtree": "on",
        "self_deadline": "25/11/2026",
        "manager_deadline": "28/11/2026",
        "council_deadline": "05/12/2026",
        "culture_points": "30",
        "unit_has_regulation": "on",
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


# --- Services ------------------------------------------------------------------------------


def test_a_second_cycle_for_the_same_people_and_period_is_refused(province, version):
    first = f.cycle(province["head_syt"], version, province.units["syt"], open_it=False)
    with pytest.raises(ValidationError, match="Đánh giá thử 2026"):
        f.cycle(province["snv"], version, province.units["kh"])  # the province covers Sở Y tế
    assert EvaluationCycle.objects.get() == first
    # Another period, or units the first cycle does not cover, are fine.
    f.cycle(province["head_syt"], version, province.units["syt"], kind="quarter", number=4)
    f.cycle(province["snv"], version, province.units["stp"])
    assert EvaluationCycle.objects.count() == 3


def test_a_unit_may_only_have_one_collective_form_per_period(province, collective):
    f.cycle(
        province["snv"],
        collective,
        province.units["syt"],
        subject="collective",
        culture_points=Decimal(100),
    )
    with pytest.raises(ValidationError, match="một số đơn vị"):
        f.cycle(
            province["snv"],
            collective,
            province.units["bv"],
            subject="collective",
            culture_points=Decimal(100),
        )
    assert Evaluation.objects.filter(unit=province.units["bv"]).count() == 1


def test_a_units_own_rules_serve_only_that_units_cycles(province):
    standards.catalogues_load(actor=SYSTEM)
    rules = standards.supplement_version_create(
        actor=province["head_stp"],
        unit=province.units["stp"],
        title="Nội quy Sở Tư pháp",
        version="2026.1",
        effective_from=date(2026, 1, 1),
        rules_text="Cất hồ sơ vào tủ khóa",
    )
    from congvu.standards.models import CatalogueVersion

    supplement = CatalogueVersion.objects.get(pk=rules.version_id)
    with pytest.raises(ValidationError, match="Nội quy của Sở Tư pháp"):
        f.cycle(province["snv"], supplement, province.units["syt"])
    cycle = f.cycle(province["head_stp"], supplement, province.units["stp"])
    assert cycle.evaluations.count() == 2


def test_a_cycle_in_preparation_is_deleted_with_its_forms_and_logged(province, version):
    cycle = f.cycle(province["head_syt"], version, province.units["syt"], open_it=False)
    with pytest.raises(PermissionDenied):
        services.cycle_delete(actor=province["head_stp"], cycle=cycle)
    assert services.cycle_delete(actor=province["head_syt"], cycle=cycle) == 3
    assert not EvaluationCycle.objects.exists() and not Evaluation.objects.exists()
    record = AuditLog.objects.get(action="evaluation.cycle_delete")
    assert record.data["evaluations"] == 3 and record.actor == province["head_syt"]
    f.cycle(province["head_syt"], version, province.units["syt"])  # the period is free again


def test_an_opened_cycle_cannot_be_deleted(province, version):
    cycle = f.cycle(province["head_syt"], version, province.units["syt"])
    with pytest.raises(ValidationError, match="chưa mở"):
        services.cycle_delete(actor=province["head_syt"], cycle=cycle)
    assert Evaluation.objects.filter(cycle=cycle).count() == 3


def test_the_fast_insert_stores_the_same_rows_as_the_orm(province, version):
    cycle = f.cycle(province["head_syt"], version, province.units["syt"])
    an = f.evaluation_of(cycle, province.staff["syt_cc"])
    assert (an.flags, an.reasons, an.inputs, an.nd90_facts) == ([], [], {}, None)
    assert (an.state, an.locked, an.months_absent, an.months_worked) == ("draft", False, 0, 12)
    assert an.created_at == an.updated_at == cycle.created_at
    assert an.group == services.GROUP_STAFF and an.manager == province["head_syt"]


# --- Pages: the list, a new cycle ------------------------------------------------------------


@pytest.mark.parametrize("persona", ["staff", "council", "leader", "outsider", "mttq"])
def test_only_cycle_managers_reach_the_cycle_pages(client, province, persona):
    login(client, province[persona])
    assert client.get(reverse("evaluations:cycle_list")).status_code == 403
    assert client.get(reverse("evaluations:cycle_create")).status_code == 403
    assert "Kỳ đánh giá" not in client.get("/").content.decode()


def test_each_manager_lists_the_cycles_of_their_own_units(client, province, version, monkeypatch):
    f.cycle(province["head_syt"], version, province.units["syt"])
    f.cycle(province["head_stp"], version, province.units["stp"])
    login(client, province["head_syt"])
    page = client.get(reverse("evaluations:cycle_list")).content.decode()
    assert "Sở Y tế" in page and "Sở Tư pháp" not in page
    assert "Kỳ đánh giá" in client.get("/").content.decode()  # the menu entry
    login(client, province["snv"])
    page = client.get(reverse("evaluations:cycle_list")).content.decode()
    assert "Sở Y tế" in page and "Sở Tư pháp" in page
    monkeypatch.setattr("congvu.evaluations.views_cycles.PAGE_SIZE", 1)
    first = client.get(reverse("evaluations:cycle_list")).content.decode()
    second = client.get(reverse("evaluations:cycle_list") + "?trang=2").content.decode()
    assert "Trang 1/2" in first and "Trang 2/2" in second
    assert ("Sở Tư pháp" in first) != ("Sở Tư pháp" in second)


def test_so_noi_vu_creates_a_cycle_through_the_form(client, province, version):
    login(client, province["snv"])
    page = client.get(reverse("evaluations:cycle_create")).content.decode()
    assert "— Sở Y tế" in page and "Tiêu chí thử" in page
    response = client.post(reverse("evaluations:cycle_create"), form_data(province, version))
    cycle = EvaluationCycle.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("evaluations:cycle_detail", args=[cycle.pk])
    assert (cycle.status, cycle.created_by, cycle.self_deadline) == (
        CycleStatus.DRAFT,
        province["snv"],
        date(2026, 11, 25),
    )
    assert cycle.evaluations.count() == 3  # the head, An and the nurse
    page = client.get(response["Location"]).content.decode()
    assert "Đã tạo kỳ đánh giá với 3 phiếu" in page and 'id="cycle-total">3<' in page


def test_a_unit_head_cannot_create_a_cycle_over_another_unit(client, province, version):
    login(client, province["head_syt"])
    page = client.get(reverse("evaluations:cycle_create")).content.decode()
    assert "Sở Tư pháp" not in page
    data = form_data(province, version, root_unit=str(province.units["stp"].pk))
    response = client.post(reverse("evaluations:cycle_create"), data)
    assert response.status_code == 200
    assert "Bạn không quản lý kỳ đánh giá của đơn vị này." in response.content.decode()
    assert not EvaluationCycle.objects.exists() and not Evaluation.objects.exists()


BAD_INPUT = [
    ({"title": "  "}, "Cần đặt tên kỳ đánh giá."),
    ({"year": "hai nghìn"}, "Năm phải là một số."),
    ({"period_kind": "quarter", "period_number": "5"}, "Hãy nhập quý từ 1 đến 4."),
    ({"period_kind": "month", "period_number": ""}, "Hãy nhập tháng từ 1 đến 12."),
    ({"period_number": "3"}, "Đánh giá năm thì bỏ trống quý hoặc tháng."),
    ({"self_deadline": "31/02/2026"}, "Hạn tự đánh giá phải là ngày dạng dd/mm/yyyy."),
    ({"manager_deadline": "20/11/2026"}, "Các hạn phải theo thứ tự"),
    ({"culture_points": "120"}, "không quá 100"),
    ({"culture_points": "1e400"}, "Điểm"),
    ({"catalogue_version": "999999"}, "Bộ tiêu chí không có hoặc chưa có hiệu lực."),
    ({"root_unit": "abc"}, "Bạn không quản lý kỳ đánh giá của đơn vị này."),
    ({"subject": "both"}, "Đối tượng đánh giá không hợp lệ."),
    ({"subject": "collective"}, "Kỳ đánh giá tập thể cần bộ tiêu chí tập thể."),
]


@pytest.mark.parametrize(("changes", "message"), BAD_INPUT)
def test_bad_input_gets_a_vietnamese_message_and_creates_nothing(
    client, province, version, changes, message
):
    login(client, province["snv"])
    response = client.post(
        reverse("evaluations:cycle_create"), form_data(province, version, **changes)
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not EvaluationCycle.objects.exists() and not Evaluation.objects.exists()
    assert not AuditLog.objects.filter(action__startswith="evaluation.").exists()


def test_an_overlapping_cycle_is_refused_on_the_form_with_the_other_cycle_named(
    client, province, version
):
    f.cycle(province["head_syt"], version, province.units["syt"])
    login(client, province["snv"])
    data = form_data(province, version, root_unit=str(province.units["kh"].pk))
    page = client.post(reverse("evaluations:cycle_create"), data).content.decode()
    assert "Đã có kỳ đánh giá năm 2026" in page and "Đánh giá thử 2026" in page
    assert EvaluationCycle.objects.count() == 1


def test_a_catalogue_version_not_yet_in_force_is_not_offered(client, province, tmp_path):
    later = f.load(tmp_path, f.individual_doc(version="2", effective_from="2027-01-01"))
    login(client, province["snv"])
    page = client.get(reverse("evaluations:cycle_create")).content.decode()
    assert "hiệu lực từ 01/01/2027" not in page
    response = client.post(reverse("evaluations:cycle_create"), form_data(province, later))
    assert "Bộ tiêu chí không có hoặc chưa có hiệu lực." in response.content.decode()
    assert not EvaluationCycle.objects.exists()


def test_a_collective_cycle_scores_the_hundred_points_whatever_was_typed(
    client, province, collective
):
    login(client, province["snv"])
    data = form_data(province, collective, subject="collective", culture_points="abc")
    response = client.post(reverse("evaluations:cycle_create"), data)
    assert response.status_code == 302
    cycle = EvaluationCycle.objects.get()
    assert (cycle.subject, cycle.culture_points) == ("collective", Decimal(100))
    assert cycle.evaluations.filter(staff__isnull=True).count() == 2  # Sở Y tế and its hospital


# --- Pages: a cycle, opening, closing, deleting -----------------------------------------------


def test_the_cycle_page_counts_by_state_and_links_to_the_progress(client, province, version):
    cycle = f.cycle(province["head_syt"], version, province.units["syt"])
    an = f.evaluation_of(cycle, province.staff["syt_cc"])
    f.self_assess_all(province["staff"], an)
    services.submit(actor=province["staff"], evaluation=an)
    login(client, province["snv"])
    page = client.get(reverse("evaluations:cycle_detail", args=[cycle.pk])).content.decode()
    assert '<tr data-state="submitted"><th scope="row" class="fw-normal">' in page
    assert 'id="cycle-total">3<' in page
    assert reverse("evaluations:progress_detail", args=[cycle.pk]) in page
    login(client, province["head_syt"])  # manages it, does not oversee: no progress link
    page = client.get(reverse("evaluations:cycle_detail", args=[cycle.pk])).content.decode()
    assert reverse("evaluations:progress_detail", args=[cycle.pk]) not in page
    assert reverse("evaluations:council_index") in page


def test_opening_closing_and_deleting_through_the_pages(client, province, version):
    cycle = f.cycle(province["head_syt"], version, province.units["syt"], open_it=False)
    login(client, province["head_syt"])
    detail = reverse("evaluations:cycle_detail", args=[cycle.pk])
    assert client.get(reverse("evaluations:cycle_open", args=[cycle.pk])).status_code == 405
    assert client.post(reverse("evaluations:cycle_open", args=[cycle.pk]))["Location"] == detail
    cycle.refresh_from_db()
    assert cycle.status == CycleStatus.OPEN
    response = client.post(reverse("evaluations:cycle_close", args=[cycle.pk]), follow=True)
    assert "Còn 3 phiếu chưa công bố kết quả." in response.content.decode()
    response = client.post(reverse("evaluations:cycle_delete", args=[cycle.pk]), follow=True)
    assert "Chỉ xóa được kỳ đánh giá đang chuẩn bị" in response.content.decode()
    cycle.refresh_from_db()
    assert cycle.status == CycleStatus.OPEN and cycle.evaluations.count() == 3

    draft = f.cycle(
        province["head_syt"], version, province.units["syt"], kind="month", number=11, open_it=False
    )
    response = client.post(reverse("evaluations:cycle_delete", args=[draft.pk]))
    assert response["Location"] == reverse("evaluations:cycle_list")
    assert not EvaluationCycle.objects.filter(pk=draft.pk).exists()


@pytest.mark.parametrize("name", ["cycle_detail", "cycle_open", "cycle_close", "cycle_delete"])
def test_another_units_cycle_does_not_exist_for_a_unit_head(client, province, version, name):
    cycle = f.cycle(province["head_stp"], version, province.units["stp"], open_it=False)
    login(client, province["head_syt"])
    url = reverse(f"evaluations:{name}", args=[cycle.pk])
    assert client.get(url).status_code == 404
    assert client.post(url).status_code == 404
    cycle.refresh_from_db()
    assert cycle.status == CycleStatus.DRAFT


def test_only_the_cycles_manager_names_a_units_respondent(province, version, collective):
    from congvu.testing import make_user

    units = f.cycle(
        province["snv"],
        collective,
        province.units["syt"],
        subject="collective",
        culture_points=Decimal(100),
    )
    hospital = Evaluation.objects.get(cycle=units, unit=province.units["bv"])
    nurse = make_user("dieuduong", province.staff["nurse"])
    with pytest.raises(PermissionDenied):
        services.respondent_set(actor=province["head_stp"], evaluation=hospital, user=nurse)
    with pytest.raises(ValidationError, match="cán bộ đang công tác tại đơn vị"):
        # She works at Sở Y tế, not at the hospital.
        services.respondent_set(
            actor=province["snv"], evaluation=hospital, user=province["head_syt"]
        )
    people = f.cycle(province["snv"], version, province.units["syt"])
    an = f.evaluation_of(people, province.staff["syt_cc"])
    with pytest.raises(ValidationError, match="tập thể"):
        services.respondent_set(actor=province["snv"], evaluation=an, user=nurse)
    hospital.refresh_from_db()
    assert hospital.respondent is None
    services.respondent_set(actor=province["head_syt"], evaluation=hospital, user=nurse)
    assert Evaluation.objects.get(pk=hospital.pk).respondent == nurse


@pytest.mark.django_db(transaction=True)
def test_two_overlapping_cycles_created_at_once_cannot_both_pass(province, version, monkeypatch):
    """The overlap check and the INSERT are one critical section: two managers creating
    overlapping cycles in the same instant get one cycle and one refusal, not two."""
    import threading
    import time

    from django.db import connection, connections

    from congvu.evaluations.services import cycle as cycle_module

    if connection.vendor != "postgresql":
        pytest.skip("SQLite has one writer: the second transaction to write fails anyway")
    original = cycle_module._check_overlap

    def slow_check(spec, units):
        original(spec, units)
        time.sleep(0.3)  # both would pass here without the lock

    monkeypatch.setattr(cycle_module, "_check_overlap", slow_check)
    start = threading.Barrier(2, timeout=10)
    outcomes: list[str] = []

    def create(actor, root):
        try:
            start.wait()
            f.cycle(actor, version, root, open_it=False)
            outcomes.append("created")
        except ValidationError:
            outcomes.append("refused")
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=create, args=(province["head_syt"], province.units["syt"])),
        threading.Thread(target=create, args=(province["snv"], province.units["kh"])),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(outcomes) == ["created", "refused"]
    assert EvaluationCycle.objects.count() == 1
