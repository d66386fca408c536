"""GET /api/v1/plans and /api/v1/plans/{id}: scoped by the caller's roles, 404 outside the
scope, tasks with their timing, and with ``as_of`` the derived status per unit in scope."""

from datetime import date

import pytest
from django.test import Client

from congvu.accounts.services import token_create
from congvu.core.actors import SYSTEM
from congvu.plans import services
from congvu.plans.models import Task
from congvu.plans.tests.factories import make_plan

pytestmark = pytest.mark.django_db


def api(province, persona: str) -> Client:
    token = token_create(actor=SYSTEM, user=province.users[persona])
    return Client(HTTP_AUTHORIZATION=f"Bearer {token}")


@pytest.fixture
def plans(province):
    u = province.units
    plan = make_plan(province)
    services.plan_assign(
        actor=SYSTEM, plan=plan, units=[u["syt"], u["stp"], u["xa_old"]], day=date(2019, 7, 12)
    )
    report = Task.objects.get(plan=plan, number="III.1.b")
    services.progress_record(
        actor=province.users["admin"],
        task=report,
        unit=u["syt"],
        on=date(2019, 11, 1),
        state="done",
        period=2019,
        text="Báo cáo năm 2019",
    )
    other = make_plan(province, code="99/KH-UBND")
    services.plan_assign(actor=SYSTEM, plan=other, units=[u["stp"]], day=date(2020, 1, 2))
    return plan, other


def test_the_list_holds_only_the_plans_in_scope(province, plans):
    plan, other = plans
    seen = {
        persona: {row["id"] for row in api(province, persona).get("/api/v1/plans").json()["items"]}
        for persona in ("snv", "head_syt", "head_stp", "staff", "outsider")
    }
    assert seen == {
        "snv": {plan.pk, other.pk},
        "head_syt": {plan.pk},
        "head_stp": {plan.pk, other.pk},
        "staff": set(),
        "outsider": set(),
    }
    row = next(
        r for r in api(province, "snv").get("/api/v1/plans").json()["items"] if r["id"] == plan.pk
    )
    assert row["code"] == "6861/KH-UBND" and row["issued_on"] == "2019-07-12"
    assert row["owner_code"] == "KHA"


def test_a_plan_outside_the_scope_is_404_like_an_unknown_one(province, plans):
    _, other = plans
    client = api(province, "head_syt")
    assert client.get(f"/api/v1/plans/{other.pk}").status_code == 404
    assert client.get("/api/v1/plans/999999").status_code == 404
    assert client.get(f"/api/v1/plans/{2**63}").status_code == 404
    assert Client().get(f"/api/v1/plans/{other.pk}").status_code == 401


def test_the_detail_gives_the_tasks_with_their_timing_in_the_commands_shape(province, plans):
    plan, _ = plans
    body = api(province, "head_syt").get(f"/api/v1/plans/{plan.pk}").json()
    tasks = {t["number"]: t for t in body["tasks"]}
    assert list(tasks) == ["III.1.a", "II.2", "III.1.b", "II.1", "II.6"]
    assert tasks["III.1.b"]["timing"] == {
        "kind": "yearly",
        "day": 15,
        "month": 11,
        "from_year": 2019,
        "to_year": None,
    }
    assert tasks["III.1.a"]["timing"] == {"kind": "by_date", "date": "2019-07-31"}
    assert tasks["II.6"]["timing"] == {
        "kind": "conditional",
        "event_date": None,
        "within_days": None,
    }
    assert body["units"] is None and body["as_of"] is None


def test_as_of_gives_the_status_per_unit_in_the_callers_scope(province, plans):
    plan, _ = plans
    body = api(province, "head_syt").get(f"/api/v1/plans/{plan.pk}?as_of=2020-06-30").json()
    assert [u["code"] for u in body["units"]] == ["KHA-SYT"]  # never another unit's progress
    statuses = {t["task_id"]: t for t in body["units"][0]["tasks"]}
    by_number = {t["number"]: t["id"] for t in body["tasks"]}
    assert statuses[by_number["III.1.b"]]["status"] == "not_started"  # 2019 done, 2020 ahead
    assert statuses[by_number["III.1.a"]]["status"] == "late"
    assert statuses[by_number["III.1.a"]]["days_late"] == 335
    assert statuses[by_number["II.6"]]["status"] == "waiting"
    assert statuses[by_number["III.1.a"]]["reasons"][0]["code"] == "LATE"
    officer = api(province, "snv").get(f"/api/v1/plans/{plan.pk}?as_of=2026-11-21").json()
    assert [u["code"] for u in officer["units"]] == ["KHA-STP", "KHA-SYT", "KHA-X-CL"]
    assert sum(officer["counts"].values()) == 3 * 5


@pytest.mark.parametrize("bad", ["21/11/2026", "2026-02-30", "0", "x"])
def test_a_bad_day_is_refused_as_bad_input(province, plans, bad):
    plan, _ = plans
    assert api(province, "snv").get(f"/api/v1/plans/{plan.pk}?as_of={bad}").status_code == 422


def test_the_openapi_schema_has_the_plans_paths_with_vietnamese_summaries(db):
    schema = Client().get("/api/v1/openapi.json").json()
    assert schema["paths"]["/api/v1/plans"]["get"]["summary"] == "Kế hoạch trong phạm vi"
    detail = schema["paths"]["/api/v1/plans/{plan_id}"]["get"]
    assert detail["summary"].startswith("Một kế hoạch")
    assert "as_of" in {p["name"] for p in detail["parameters"]}
