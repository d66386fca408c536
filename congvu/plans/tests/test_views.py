"""The plans pages for the personas: the list and search, the plan page with its matrix in the
user's scope and the downloads, a unit's obligations (404 outside the scope), recording
progress (refused on bad input, changing nothing; refused to outsiders), assigning a plan and
recording an event's date, and the documents' library."""

import io
from datetime import date

import pytest
from django.urls import reverse
from docx import Document
from openpyxl import load_workbook

from congvu.core.actors import SYSTEM
from congvu.plans import services
from congvu.plans.models import Assignment, ProgressEntry, Task
from congvu.plans.tests.factories import make_plan

pytestmark = pytest.mark.django_db


@pytest.fixture
def plan(province):
    u = province.units
    made = make_plan(province)
    services.plan_assign(actor=SYSTEM, plan=made, units=[u["syt"], u["stp"]], day=date(2019, 7, 12))
    return made


def _task(plan, number: str) -> Task:
    return Task.objects.get(plan=plan, number=number)


def _client(client, province, persona: str):
    client.force_login(province.users[persona])
    return client


def _obligations(province, key: str) -> str:
    return reverse("plans:obligations", kwargs={"unit_id": province.units[key].pk})


def _progress_url(province, key: str, task: Task) -> str:
    return reverse(
        "plans:progress_create", kwargs={"unit_id": province.units[key].pk, "task_pk": task.pk}
    )


def test_the_plan_list_shows_the_plans_in_scope_and_searches_without_diacritics(
    client, province, plan
):
    c = _client(client, province, "head_syt")
    page = c.get(reverse("plans:plan_list"))
    assert page.status_code == 200 and "6861/KH-UBND" in page.content.decode()
    found = c.get(reverse("plans:plan_list"), {"q": "de an van hoa cong vu"}).content.decode()
    assert "6861/KH-UBND" in found
    missing = c.get(reverse("plans:plan_list"), {"q": "khong co"}).content.decode()
    assert "6861/KH-UBND" not in missing


def test_the_outsider_and_a_plain_staff_member_get_no_plan_pages(client, province, plan):
    for persona in ("outsider", "staff", "mttq"):
        client.force_login(province.users[persona])
        assert client.get(reverse("plans:plan_list")).status_code == 403
        assert client.get(reverse("plans:plan_detail", args=[plan.pk])).status_code == 404
        assert client.get(reverse("plans:document_list")).status_code == 403


def test_the_plan_page_shows_the_document_the_tasks_and_the_matrix_in_scope(client, province, plan):
    body = (
        _client(client, province, "head_syt")
        .get(reverse("plans:plan_detail", args=[plan.pk]), {"ngay": "21/11/2026"})
        .content.decode()
    )
    assert "12/07/2019" in body and "Cụ thể hóa kế hoạch của đơn vị" in body
    assert "trước ngày 31/07/2019" in body  # the timing in words
    assert 'id="plan-matrix"' in body and "Chưa bắt đầu" in body
    matrix = body.split('id="plan-matrix"')[1].split("</table>")[0]
    assert "Sở Y tế" in matrix and "Sở Tư pháp" not in matrix  # only the units in scope
    assert 'id="plan-assign-form"' not in body  # a unit head does not manage the plan


def test_sở_nội_vụ_sees_every_assigned_unit_in_the_matrix(client, province, plan):
    body = (
        _client(client, province, "snv")
        .get(reverse("plans:plan_detail", args=[plan.pk]))
        .content.decode()
    )
    matrix = body.split('id="plan-matrix"')[1].split("</table>")[0]
    assert "Sở Y tế" in matrix and "Sở Tư pháp" in matrix
    assert 'id="plan-assign-form"' in body and "Ngày xảy ra sự kiện" in body


def test_a_bad_reference_day_falls_back_to_today_with_a_message(client, province, plan):
    body = (
        _client(client, province, "snv")
        .get(reverse("plans:plan_detail", args=[plan.pk]), {"ngay": "31/02/2026"})
        .content.decode()
    )
    assert "Ngày không hợp lệ" in body and "21/11/2026" in body


def test_the_plan_downloads_as_word_and_its_tasks_as_excel(client, province, plan):
    c = _client(client, province, "head_stp")
    docx = c.get(reverse("plans:plan_docx", args=[plan.pk]))
    assert docx.status_code == 200 and "attachment" in docx["Content-Disposition"]
    text = "\n".join(p.text for p in Document(io.BytesIO(docx.content)).paragraphs)
    assert "Kế hoạch triển khai Đề án văn hóa công vụ" in text and "II.6" in text
    xlsx = c.get(reverse("plans:plan_xlsx", args=[plan.pk]))
    cells = [
        str(v)
        for row in load_workbook(io.BytesIO(xlsx.content)).active.iter_rows(values_only=True)
        for v in row
        if v is not None
    ]
    assert "Rà soát nội quy, quy chế" in cells


def test_a_unit_head_sees_their_obligations_and_not_another_units(client, province, plan):
    c = _client(client, province, "head_syt")
    body = c.get(_obligations(province, "syt")).content.decode()
    assert "Rà soát nội quy, quy chế" in body and "Ghi tiến độ" in body
    assert "Quá hạn" in body  # by_date 31/07/2019 without progress, seen on 21/11/2026
    yearly = body.split(f'id="task-{_task(plan, "III.1.b").pk}"')[1].split("</section>")[0]
    assert yearly.count('title="Hạn 15/11/') == 8  # one badge a year, 2019 to 2026
    assert c.get(_obligations(province, "stp")).status_code == 404
    assert c.get(reverse("plans:my_obligations")).url == _obligations(province, "syt")


def test_the_shortcut_is_a_404_without_an_own_unit(client, province, plan):
    client.force_login(province.users["leader"])
    assert client.get(reverse("plans:my_obligations")).status_code == 404


def test_a_unit_head_records_progress_and_the_status_changes(client, province, plan):
    c = _client(client, province, "head_syt")
    task = _task(plan, "II.2")
    response = c.post(
        _progress_url(province, "syt", task),
        {
            f"t{task.pk}-on": "20/11/2026",
            f"t{task.pk}-state": "done",
            f"t{task.pk}-text": "Đã rà soát nội quy",
            f"t{task.pk}-ten_1": "Văn bản rà soát",
            f"t{task.pk}-so_1": "4",
        },
    )
    assert response.status_code == 302 and response.url.endswith(f"#task-{task.pk}")
    entry = ProgressEntry.objects.get(task=task)
    assert entry.quantities == {"Văn bản rà soát": 4} and entry.unit == province.units["syt"]
    body = c.get(_obligations(province, "syt")).content.decode()
    section = body.split(f'id="task-{task.pk}"')[1].split("</section>")[0]
    assert 'data-status="done_late"' in section and "Đã rà soát nội quy" in section


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"on": "25/12/2026", "state": "done", "text": "x"}, "Ngày ghi tiến độ"),
        ({"on": "20/11/2026", "state": "done", "text": "   "}, "This field is required"),
        ({"on": "20/11/2026", "state": "done", "text": "x", "period": "2026"}, "không chia"),
        ({"on": "20/11/2026", "state": "done", "text": "x", "ten_1": "Lớp"}, "Số liệu «Lớp»"),
        (
            {"on": "20/11/2026", "state": "done", "text": "x", "ten_1": "A", "so_1": "1"}
            | {"ten_2": "A", "so_2": "2"},
            "bị trùng",
        ),
    ],
)
def test_bad_progress_shows_the_message_and_changes_nothing(
    client, province, plan, data, message, settings
):
    settings.LANGUAGE_CODE = "vi"
    task = _task(plan, "II.2")
    response = _client(client, province, "head_syt").post(
        _progress_url(province, "syt", task),
        {f"t{task.pk}-{key}": value for key, value in data.items()},
        HTTP_ACCEPT_LANGUAGE="vi",
    )
    body = response.content.decode()
    assert response.status_code == 400
    assert message in body or "Trường này là bắt buộc" in body
    assert not ProgressEntry.objects.exists()


def test_outsiders_cannot_record_progress_for_a_unit(client, province, plan):
    task = _task(plan, "II.2")
    data = {f"t{task.pk}-on": "20/11/2026", f"t{task.pk}-state": "done", f"t{task.pk}-text": "x"}
    for persona, unit in (("head_stp", "syt"), ("leader", "syt"), ("outsider", "syt")):
        client.force_login(province.users[persona])
        assert client.post(_progress_url(province, unit, task), data).status_code == 404
    client.force_login(province.users["head_syt"])
    other = make_plan(province, code="99/KH-UBND")  # not assigned to Sở Y tế
    task_other = Task.objects.filter(plan=other).first()
    assert client.post(_progress_url(province, "syt", task_other), data).status_code == 404
    assert not ProgressEntry.objects.exists()


def test_sở_nội_vụ_assigns_the_plan_and_records_an_event_date(client, province, plan):
    c = _client(client, province, "snv")
    bad = c.post(reverse("plans:plan_assign", args=[plan.pk]), {"units": [], "day": "20/11/2026"})
    assert bad.status_code == 400
    ok = c.post(
        reverse("plans:plan_assign", args=[plan.pk]),
        {"units": [province.units["snv"].pk], "day": "20/11/2026"},
    )
    assert ok.status_code == 302
    assert Assignment.objects.filter(plan=plan, unit=province.units["snv"]).exists()
    task = _task(plan, "II.6")
    url = reverse("plans:task_event_date", args=[plan.pk, task.pk])
    assert c.post(url, {"day": "01/01/2030"}).status_code == 400  # in the future
    assert c.post(url, {"day": "01/10/2026"}).status_code == 302
    task.refresh_from_db()
    assert task.event_date == date(2026, 10, 1)


def test_a_unit_head_cannot_assign_or_set_an_event_date(client, province, plan):
    c = _client(client, province, "head_syt")
    assert (
        c.post(
            reverse("plans:plan_assign", args=[plan.pk]),
            {"units": [province.units["syt"].pk], "day": "20/11/2026"},
        ).status_code
        == 404
    )
    task = _task(plan, "II.6")
    url = reverse("plans:task_event_date", args=[plan.pk, task.pk])
    assert c.post(url, {"day": "01/10/2026"}).status_code == 404
    task.refresh_from_db()
    assert task.event_date is None


def test_the_document_library_searches_and_filters(client, province, plan):
    services.document_create(
        actor=SYSTEM,
        doc_type="quyet_dinh",
        code="1847/QĐ-TTg",
        issued_on=date(2018, 12, 27),
        issuer="Thủ tướng Chính phủ",
        summary="Phê duyệt Đề án văn hóa công vụ",
    )
    c = _client(client, province, "head_syt")

    def table(query: dict) -> str:
        body = c.get(reverse("plans:document_list"), query).content.decode()
        return body.split('id="document-table"')[1].split("</table>")[0]

    found = table({"q": "thu tuong"})
    assert "1847/QĐ-TTg" in found and "6861/KH-UBND" not in found
    typed = table({"loai": "ke_hoach"})
    assert "6861/KH-UBND" in typed and "1847/QĐ-TTg" not in typed


def test_the_menu_shows_plans_to_plan_view_holders_only(client, province, plan):
    body = _client(client, province, "head_syt").get("/").content.decode()
    assert reverse("plans:plan_list") in body and reverse("plans:my_obligations") in body
    client.force_login(province.users["staff"])
    assert reverse("plans:plan_list") not in client.get("/").content.decode()


def test_the_plan_page_speaks_english_when_asked(client, province, plan):
    c = _client(client, province, "snv")
    body = c.get(
        reverse("plans:plan_detail", args=[plan.pk]), headers={"Accept-Language": "en"}
    ).content.decode()
    assert "Download the plan (.docx)" in body and "Assign the plan to units" in body
    obligations = c.get(
        _obligations(province, "syt"), headers={"Accept-Language": "en"}
    ).content.decode()
    assert "Tasks of Sở Y tế" in obligations and "Record progress" in obligations
