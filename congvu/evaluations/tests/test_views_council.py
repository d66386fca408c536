"""The pages "Hội đồng đánh giá" (the council's list, the HTXS cap, conclusion, publication,
minutes and export) and "Tiến độ đánh giá" (Sở Nội vụ) through the test client."""

from datetime import datetime
from io import BytesIO
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse
from docx import Document
from openpyxl import load_workbook

from congvu.evaluations.models import CouncilDecision, Evaluation
from congvu.evaluations.tests import factories as f
from congvu.testing import make_staff, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def seven(province, tmp_path):
    """Sở Y tế: seven officials in one group reviewed, two at 95 points (HTXS), five at 80
    (HTT): 20% of 5 allows one. The head stays in draft; the hospital's nurse too."""
    users = [province["staff"]]
    for i in range(6):
        staff = make_staff(province.units["syt"], "Phan", "Văn", f"Tư{i}")
        users.append(make_user(f"cb{i}", staff))
    version = f.load(tmp_path, f.individual_doc())
    cycle = f.cycle(province["head_syt"], version, province.units["syt"])
    evaluations = []
    for i, user in enumerate(users):
        evaluation = Evaluation.objects.get(cycle=cycle, staff_id=user.staff_id)
        f.to_reviewed(user, province["head_syt"], evaluation, task=65 if i < 2 else 50)
        evaluations.append(evaluation)
    return province, cycle, evaluations


def detail_url(cycle, unit, name: str = "council_detail") -> str:
    return reverse(f"evaluations:{name}", args=[cycle.pk, unit.pk])


def states(evaluations) -> list[str]:
    return sorted(
        Evaluation.objects.filter(pk__in=[e.pk for e in evaluations]).values_list(
            "state", flat=True
        )
    )


def test_the_council_sees_the_cap_and_must_lower_or_confirm_then_publishes(client, seven):
    province, cycle, evaluations = seven
    an, second = evaluations[0], evaluations[1]
    client.force_login(province["council"])
    assert "Hội đồng đánh giá" in client.get("/").content.decode()  # the menu entry
    index = client.get(reverse("evaluations:council_index")).content.decode()
    url = detail_url(cycle, province.units["syt"])
    assert url in index
    page = client.get(url).content.decode()
    assert "cap-exceeded" in page and "vượt tỷ lệ" in page and "Nguyễn Văn An" in page
    assert f'name="muc_{an.pk}"' in page

    response = client.post(url, {"ket_luan": "1", "y_kien": ""})  # over the cap: refused
    assert response.status_code == 200
    assert "vượt tỷ lệ tối đa 1" in response.content.decode()
    assert states(evaluations) == ["reviewed"] * 7
    response = client.post(url, {"ket_luan": "1", "xac_nhan": "1", "y_kien": ""})
    assert response.status_code == 200 and "ghi ý kiến" in response.content.decode()
    assert states(evaluations) == ["reviewed"] * 7 and not CouncilDecision.objects.exists()

    response = client.post(  # lowering one level resolves it
        url, {"ket_luan": "1", f"muc_{second.pk}": "HTT", "y_kien": "Bỏ phiếu: giữ anh An"}
    )
    assert response.status_code == 302
    levels = dict(
        Evaluation.objects.filter(pk__in=[e.pk for e in evaluations]).values_list(
            "pk", "final_level"
        )
    )
    assert levels[an.pk] == "HTXS" and levels[second.pk] == "HTT"
    assert sorted(levels.values()) == ["HTT"] * 6 + ["HTXS"]
    decision = CouncilDecision.objects.get()
    assert decision.changed_levels == {str(second.pk): ["HTXS", "HTT"]}
    assert not decision.over_cap_confirmed
    page = client.get(url).content.decode()
    assert "cap-exceeded" not in page and 'name="cong_bo"' in page

    assert client.post(url, {"cong_bo": "1"}).status_code == 302
    published = Evaluation.objects.filter(pk__in=[e.pk for e in evaluations])
    assert all(e.state == "published" and e.locked for e in published)
    page = client.get(url).content.decode()
    assert 'name="muc_' not in page and 'name="cong_bo"' not in page  # locked: no form
    client.post(url, {"ket_luan": "1", f"muc_{an.pk}": "HTT", "y_kien": "Đổi"})
    assert Evaluation.objects.get(pk=an.pk).final_level == "HTXS"
    assert CouncilDecision.objects.count() == 1


def test_the_minutes_and_the_export_name_everyone_with_the_decision(client, seven):
    province, cycle, evaluations = seven
    client.force_login(province["head_syt"])  # the head concludes like the council
    url = detail_url(cycle, province.units["syt"])
    response = client.post(
        url, {"ket_luan": "1", "xac_nhan": "1", "y_kien": "Đơn vị được công nhận xuất sắc"}
    )
    assert response.status_code == 302
    assert CouncilDecision.objects.get().over_cap_confirmed

    response = client.get(detail_url(cycle, province.units["syt"], "council_minutes"))
    assert response.status_code == 200
    assert "wordprocessingml" in response["Content-Type"]
    document = Document(BytesIO(response.content))
    text = "\n".join(p.text for p in document.paragraphs)
    cells = "\n".join(
        cell.text for table in document.tables for row in table.rows for cell in row.cells
    )
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in cells and "Độc lập - Tự do - Hạnh phúc" in cells
    assert "SỞ Y TẾ" in cells
    assert "BIÊN BẢN HỌP HỘI ĐỒNG ĐÁNH GIÁ, XẾP LOẠI" in text
    assert "Đơn vị được công nhận xuất sắc" in text and "vượt tỷ lệ" in text
    assert "Nguyễn Văn An" in cells and "Phan Văn Tư5" in cells
    assert "Hoàn thành xuất sắc nhiệm vụ" in cells

    response = client.get(detail_url(cycle, province.units["syt"], "council_export"))
    assert response.status_code == 200
    rows = list(load_workbook(BytesIO(response.content)).active.iter_rows(values_only=True))
    assert rows[0][2] == "Họ và tên" and len(rows) == 9  # seven and the head
    assert {r[2] for r in rows[1:]} >= {"Nguyễn Văn An", "Phan Văn Tư0"}


def test_another_units_head_and_the_staff_get_404(client, seven):
    province, cycle, evaluations = seven
    syt = province.units["syt"]
    for user in (province["head_stp"], province["staff"], province["outsider"]):
        client.force_login(user)
        for name in ("council_detail", "council_minutes", "council_export"):
            assert client.get(detail_url(cycle, syt, name)).status_code == 404, (user, name)
        response = client.post(
            detail_url(cycle, syt), {"ket_luan": "1", "xac_nhan": "1", "y_kien": "x"}
        )
        assert response.status_code == 404
    assert states(evaluations) == ["reviewed"] * 7
    client.force_login(province["head_stp"])
    index = client.get(reverse("evaluations:council_index")).content.decode()
    assert detail_url(cycle, syt) not in index
    client.force_login(province["staff"])
    assert client.get(reverse("evaluations:council_index")).status_code == 403
    assert "Hội đồng đánh giá" not in client.get("/").content.decode()


def test_the_progress_counts_states_and_lateness_per_unit(client, seven):
    province, cycle, evaluations = seven
    client.force_login(province["snv"])
    assert "Tiến độ đánh giá" in client.get("/").content.decode()
    index = client.get(reverse("evaluations:progress_index")).content.decode()
    url = reverse("evaluations:progress_detail", args=[cycle.pk])
    assert url in index
    moment = datetime(2026, 11, 27, 9, 0, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))  # self step late
    with time_machine.travel(moment, tick=False):
        client.force_login(province["snv"])  # a session of that day
        response = client.get(url)
    client.force_login(province["snv"])
    assert response.status_code == 200
    rows = {p.code: (p, counts) for p, counts in response.context["rows"]}
    syt, syt_counts = rows["KHA-SYT"]
    assert syt_counts == [1, 0, 7, 0, 0]  # draft, submitted, reviewed, concluded, published
    assert (syt.total, syt.late) == (8, 1)  # the head's own draft is late
    bv, bv_counts = rows["KHA-BVDK"]
    assert bv_counts == [1, 0, 0, 0, 0] and bv.late == 1
    page = response.content.decode()
    drill = detail_url(cycle, province.units["syt"])
    assert drill in page
    # Drill-down: Sở Nội vụ reads the list but neither concludes nor publishes.
    listing = client.get(drill).content.decode()
    assert "Nguyễn Văn An" in listing and 'name="muc_' not in listing
    client.post(drill, {"ket_luan": "1", "xac_nhan": "1", "y_kien": "x"})
    assert states(evaluations) == ["reviewed"] * 7

    export = client.get(reverse("evaluations:progress_export", args=[cycle.pk]))
    assert export.status_code == 200
    table = list(load_workbook(BytesIO(export.content)).active.iter_rows(values_only=True))
    by_code = {r[0]: list(r[1:]) for r in table[1:]}
    assert by_code["KHA-SYT"][:7] == ["Sở Y tế", 1, 0, 7, 0, 0, 8]


def test_outsiders_get_no_progress(client, seven):
    province, cycle, _ = seven
    for user in (province["outsider"], province["head_syt"], province["council"]):
        client.force_login(user)
        assert client.get(reverse("evaluations:progress_index")).status_code == 403
        for name in ("progress_detail", "progress_export"):
            assert client.get(reverse(f"evaluations:{name}", args=[cycle.pk])).status_code == 404


def test_the_head_concludes_the_list_but_never_her_own_evaluation(client, seven):
    province, cycle, evaluations = seven
    own = Evaluation.objects.get(cycle=cycle, staff=province.staff["head_syt"])
    f.to_reviewed(province["head_syt"], province["council"], own)  # no manager: the council
    client.force_login(province["head_syt"])
    url = detail_url(cycle, province.units["syt"])
    assert f'name="muc_{own.pk}"' not in client.get(url).content.decode()
    second = evaluations[1]
    response = client.post(url, {"ket_luan": "1", f"muc_{second.pk}": "HTT", "y_kien": "Họp"})
    assert response.status_code == 302
    assert states(evaluations) == ["concluded"] * 7
    own.refresh_from_db()
    assert own.state == "reviewed" and not own.final_level


def test_the_progress_shows_levels_and_the_groups_over_the_cap(client, seven):
    """Seven reviewed in one group: two at 95 points (HTXS), five at 80 (HTT): 20% of 5 HTT
    allows 1 HTXS, so the group is over the cap before the council decides."""
    province, cycle, evaluations = seven
    client.force_login(province["snv"])
    response = client.get(reverse("evaluations:progress_detail", args=[cycle.pk]))
    rows = {p.code: (counts, over) for p, counts, over in response.context["level_rows"]}
    counts, over = rows["KHA-SYT"]
    assert counts == [2, 5, 0, 0, 0]  # HTXS, HTT, HTNV, KHT, KXL
    assert [(c.htt, c.htxs, c.allowed) for c in over] == [(5, 2, 1)]
    assert "KHA-BVDK" not in rows  # its only evaluation is a draft
    page = response.content.decode()
    assert "Xếp loại và tỷ lệ Hoàn thành xuất sắc nhiệm vụ" in page and "2/1" in page
