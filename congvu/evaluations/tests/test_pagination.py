"""Lists at province scale (issue 10): the team page 50 rows a page with its search and bulk
actions on the rows chosen there; the council page one group at a time, 100 rows a page,
the caps and the conclusion over the whole unit. Constant queries per page."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from congvu.core.models import Notification
from congvu.evaluations import services
from congvu.evaluations.models import Evaluation
from congvu.evaluations.tests import factories as f
from congvu.testing import make_staff, make_user

pytestmark = pytest.mark.django_db

TEAM = reverse("evaluations:team_list")


def _team(province, tmp_path, n: int):
    """n more officials in Sở Y tế, all reviewed by its head, in one open cycle."""
    version = f.load(tmp_path, f.individual_doc())
    syt = province.units["syt"]
    for i in range(n):
        make_staff(syt, "Trần", "Văn", f"Số{i:03d}")
    cycle = f.cycle(province["head_syt"], version, syt)
    return cycle, Evaluation.objects.filter(cycle=cycle, manager_id=province["head_syt"].pk)


REVIEW = reverse("evaluations:team_review", args=[0]).replace("/0/", "/(\\d+)/")


def _ids(html: str) -> set[int]:
    """The evaluations listed (linked to their review page)."""
    return {int(pk) for pk in re.findall(f'href="{REVIEW}"', html)}


def test_the_team_page_shows_50_rows_a_page_with_the_range_and_the_total(
    client, province, tmp_path
):
    _cycle, team = _team(province, tmp_path, 60)
    total = team.count()
    assert total > 50
    client.force_login(province["head_syt"])
    first = client.get(TEAM).content.decode()
    second = client.get(TEAM, {"trang": 2}).content.decode()
    one, two = _ids(first), _ids(second)
    assert len(one) == 50 and len(two) == total - 50
    assert not one & two and one | two == set(team.values_list("pk", flat=True))
    assert f"1–50 / {total}" in first and f"51–{total} / {total}" in second
    assert "trang=2" in first
    # Past the last page: the last page, as on every list of the site.
    assert _ids(client.get(TEAM, {"trang": 99}).content.decode()) == two


def test_the_search_and_the_state_stay_in_the_page_links(client, province, tmp_path):
    _cycle, team = _team(province, tmp_path, 60)
    client.force_login(province["head_syt"])
    page = client.get(TEAM, {"q": "so", "trang_thai": "draft"}).content.decode()
    assert "?q=so&amp;trang_thai=draft&amp;trang=2" in page
    second = client.get(TEAM, {"q": "so", "trang_thai": "draft", "trang": 2}).content.decode()
    assert _ids(second) and len(_ids(second)) == 60 - 50
    narrowed = client.get(TEAM, {"q": "so005"}).content.decode()
    assert _ids(narrowed) == {team.get(staff__ten="Số005").pk}
    nothing = client.get(TEAM, {"trang_thai": "submitted"}).content.decode()
    assert "Không có phiếu nào khớp bộ lọc." in nothing


def test_a_bulk_action_on_page_2_acts_on_the_rows_chosen_there_only(client, province, tmp_path):
    _cycle, team = _team(province, tmp_path, 60)
    client.force_login(province["head_syt"])
    second = sorted(_ids(client.get(TEAM, {"trang": 2}).content.decode()))
    for evaluation in team.select_related("staff").filter(pk__in=second):
        make_user(f"cb_{evaluation.pk}", evaluation.staff)
    chosen = second[:3]
    response = client.post(
        f"{TEAM}?trang=2", {"chon": chosen, "thao_tac": "nhac", "y_kien": "Hạn 25/11"}
    )
    assert response.status_code == 302 and response["Location"] == f"{TEAM}?trang=2"
    keys = Notification.objects.filter(key__startswith="nhac:").values_list("key", flat=True)
    assert sorted(int(key.split(":")[1]) for key in keys) == chosen
    page = client.get(response["Location"]).content.decode()
    assert "Đã gửi nhắc việc cho 3 người." in page and _ids(page) == set(second)


def test_the_team_page_costs_the_same_queries_for_10_and_120_evaluations(
    client, province, tmp_path, django_assert_max_num_queries
):
    cycle, team = _team(province, tmp_path, 10)
    client.force_login(province["head_syt"])
    an = f.self_assess_all(province["staff"], f.evaluation_of(cycle, province.staff["syt_cc"]))
    services.submit(actor=province["staff"], evaluation=an)  # scores to total
    with CaptureQueriesContext(connection) as small:
        assert len(_ids(client.get(TEAM).content.decode())) == team.count()
    queries = len(small.captured_queries)  # now: the log is a bounded deque
    for i in range(110):
        make_staff(province.units["syt"], "Lê", "Thị", f"Mới{i:03d}")
    later = f.cycle(province["head_syt"], cycle.catalogue_version, province.units["syt"], year=2027)
    assert Evaluation.objects.filter(cycle=later).count() >= 120
    with django_assert_max_num_queries(queries):
        assert len(_ids(client.get(TEAM, {"trang": 2}).content.decode())) == 50


# --- The council page, one group at a time ----------------------------------------------


def _council_url(cycle, unit) -> str:
    return reverse("evaluations:council_detail", args=[cycle.pk, unit.pk])


def _names(html: str) -> list[str]:
    return re.findall(r'<td class="stack-title">([^<]+)</td>', html)


def test_the_council_page_shows_one_group_at_a_time_and_100_rows_a_page(
    client, province, tmp_path, django_assert_max_num_queries
):
    cycle, _team_rows = _team(province, tmp_path, 10)
    syt = province.units["syt"]
    url = _council_url(cycle, syt)
    unit_rows = Evaluation.objects.filter(cycle=cycle, unit=syt, staff__isnull=False)
    unit_rows.update(group="Công chức")
    leader = unit_rows.order_by("pk").first()
    unit_rows.filter(pk=leader.pk).update(group="Lãnh đạo, quản lý")
    client.force_login(province["council"])
    with CaptureQueriesContext(connection) as small:
        first = client.get(url).content.decode()
    queries = len(small.captured_queries)
    assert "?nhom=C%C3%B4ng%20ch%E1%BB%A9c" in first and "L%C3%A3nh%20%C4%91%E1%BA%A1o" in first
    assert len(_names(first)) == unit_rows.count() - 1
    leaders = client.get(url, {"nhom": "Lãnh đạo, quản lý"}).content.decode()
    assert _names(leaders) == [leader.staff.full_name]
    assert f"1–1 / 1 người của nhóm · {unit_rows.count()} người của đơn vị" in leaders

    for i in range(110):
        make_staff(syt, "Lê", "Thị", f"Mới{i:03d}")
    later = f.cycle(province["head_syt"], cycle.catalogue_version, syt, year=2027)
    big = Evaluation.objects.filter(cycle=later, unit=syt, staff__isnull=False)
    big.update(group="Công chức")
    url = _council_url(later, syt)
    with django_assert_max_num_queries(queries):
        one = _names(client.get(url).content.decode())
    two_page = client.get(url, {"nhom": "Công chức", "trang": 2}).content.decode()
    two = _names(two_page)
    assert len(one) == 100 and len(two) == big.count() - 100 and not set(one) & set(two)
    assert f"101–{big.count()} / {big.count()} người của nhóm" in two_page
    assert "nhom=C%C3%B4ng+ch%E1%BB%A9c&amp;trang=1" in two_page  # the group kept
    assert _names(client.get(url, {"nhom": "Công chức", "trang": 9}).content.decode()) == two


def test_the_conclusion_covers_the_whole_unit_and_keeps_levels_chosen_elsewhere(
    client, province, tmp_path
):
    """Seven reviewed in Sở Y tế, two at HTXS where 20% of the group allows one; one
    official alone in a second group. Concluded from that group's tab, the whole unit is
    concluded, the cap counted over the unit, and a level lowered on the other tab kept."""
    users = [province["staff"]]
    for i in range(6):
        users.append(
            make_user(f"cb{i}", make_staff(province.units["syt"], "Phan", "Văn", f"Tư{i}"))
        )
    version = f.load(tmp_path, f.individual_doc())
    cycle = f.cycle(province["head_syt"], version, province.units["syt"])
    evaluations = []
    for i, user in enumerate(users):
        evaluation = Evaluation.objects.get(cycle=cycle, staff_id=user.staff_id)
        f.to_reviewed(user, province["head_syt"], evaluation, task=65 if i < 2 else 50)
        evaluations.append(evaluation)
    second, alone = evaluations[1], evaluations[6]
    Evaluation.objects.filter(pk=alone.pk).update(group="Z nhóm riêng")
    url = _council_url(cycle, province.units["syt"])
    client.force_login(province["council"])
    page = client.get(url, {"nhom": "Z nhóm riêng"}).content.decode()
    assert _names(page) == [alone.staff.full_name] and "cap-exceeded" in page  # unit's caps
    assert "toàn bộ danh sách của đơn vị: 7 phiếu" in page
    response = client.post(f"{url}?nhom=Z+nh%C3%B3m+ri%C3%AAng", {"ket_luan": "1"})
    assert response.status_code == 200 and 'id="form-errors"' in response.content.decode()
    assert not Evaluation.objects.filter(cycle=cycle, state="concluded").exists()  # the cap

    main = evaluations[0].group
    response = client.post(
        f"{url}?nhom={main}", {"ket_luan": "1", f"muc_{second.pk}": "HTT", "y_kien": "Giữ An"}
    )
    assert response.status_code == 302 and "nhom=" in response["Location"]
    response = client.post(f"{url}?nhom=Z+nh%C3%B3m+ri%C3%AAng", {"ket_luan": "1", "y_kien": "Lại"})
    assert response.status_code == 302
    done = Evaluation.objects.filter(pk__in=[e.pk for e in evaluations])
    assert set(done.values_list("state", flat=True)) == {"concluded"}
    assert done.get(pk=second.pk).final_level == "HTT"
