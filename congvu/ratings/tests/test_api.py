"""POST /api/v1/ratings: bulk push by a one-stop system, idempotent, per-item results, scoped."""

import json

import pytest
from django.test import Client

from congvu.accounts.services import token_create
from congvu.core.actors import SYSTEM
from congvu.core.models import AuditLog
from congvu.ratings.models import Rating, RatingTally
from congvu.ratings.tests.conftest import make_desk

pytestmark = pytest.mark.django_db
URL = "/api/v1/ratings"


def api(province, persona="head_syt") -> Client:
    token = token_create(actor=SYSTEM, user=province.users[persona], label="một cửa")
    return Client(HTTP_AUTHORIZATION=f"Bearer {token}")


def push(client, ratings, status=200):
    response = client.post(URL, json.dumps({"ratings": ratings}), content_type="application/json")
    assert response.status_code == status, response.content
    return response.json()


def item(i, **extra):
    return {"id": f"MC-{i}", "unit": "KHA-SYT", "score": 5, **extra}


def test_a_batch_is_stored_with_a_result_per_item_in_order(province):
    client = api(province)
    body = push(
        client,
        [
            item(
                1,
                conduct={"chao": True, "khong_cau_gat": False},
                rated_at="2026-11-20T08:15:00+07:00",
            ),
            item(
                2,
                score=2,
                reason="Hẹn lại nhiều lần",
                staff=province.staff["syt_cc"].code,
                dossier="000.00.21.H32-261120-0002",
            ),
            item(3, score=2),  # no reason
            item(4, unit="KHA-STP"),  # another unit: not this token's
            item(5, unit="KHONG-CO"),
        ],
    )
    assert (body["created"], body["existing"], body["rejected"]) == (2, 0, 3)
    statuses = [(r["id"], r["status"]) for r in body["results"]]
    assert statuses == [
        ("MC-1", "created"),
        ("MC-2", "created"),
        ("MC-3", "rejected"),
        ("MC-4", "rejected"),
        ("MC-5", "rejected"),
    ]
    assert "lý do" in body["results"][2]["errors"][0]
    assert "phạm vi" in body["results"][3]["errors"][0]
    assert body["results"][3]["errors"] == [
        e.replace("KHONG-CO", "KHA-STP") for e in body["results"][4]["errors"]
    ]  # out of scope reads exactly like unknown: existence does not leak
    first = Rating.objects.get(pk=body["results"][0]["rating_id"])
    assert first.source == "api" and first.day.isoformat() == "2026-11-20"
    assert first.answers == {"chao": True, "khong_cau_gat": False}
    second = Rating.objects.get(pk=body["results"][1]["rating_id"])
    assert second.staff == province.staff["syt_cc"] and second.unit == province.units["syt"]
    assert RatingTally.objects.filter(level="unit", grain="m").get().n == 2
    assert AuditLog.objects.filter(action="ratings.ingest").count() == 1


def test_pushing_again_is_idempotent_by_the_systems_own_id(province):
    client = api(province)
    batch = [item(i, score=1 + i % 5, reason="x") for i in range(10)]
    first = push(client, batch)
    again = push(client, batch)
    assert first["created"] == 10 and again["created"] == 0 and again["existing"] == 10
    assert [r["rating_id"] for r in again["results"]] == [r["rating_id"] for r in first["results"]]
    assert Rating.objects.count() == 10
    assert RatingTally.objects.filter(level="unit", grain="m").get().n == 10
    changed = push(client, [item(0, score=5)])
    assert changed["rejected"] == 1 and "đã được dùng" in changed["results"][0]["errors"][0]
    # Another system may use the same ids: idempotency is per system account.
    other = push(api(province, "snv"), [item(0)])
    assert other["created"] == 1


def test_duplicates_within_one_batch(province):
    body = push(
        api(province),
        [
            item(1),
            item(1),
            item(2, score=4),
            item(2, score=3, reason="x"),
            item(3, dossier="HS-1"),
            item(4, dossier="HS-1"),
        ],
    )
    assert [r["status"] for r in body["results"]] == [
        "created",
        "existing",
        "created",
        "rejected",
        "created",
        "rejected",
    ]
    assert body["results"][1]["rating_id"] == body["results"][0]["rating_id"]
    assert Rating.objects.count() == 3


def test_a_desk_pushes_its_unit_and_official(province, official_desk):
    body = push(api(province), [{"id": "D1", "desk": official_desk.pk, "score": 4}])
    rating = Rating.objects.get(pk=body["results"][0]["rating_id"])
    assert rating.desk == official_desk and rating.staff == province.staff["syt_cc"]
    stp = make_desk(province, unit_key="stp", name="Quầy hộ tịch")
    refused = push(api(province), [{"id": "D2", "desk": stp.pk, "score": 4}])
    assert refused["rejected"] == 1


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ({"rated_at": "2030-01-01T00:00:00+07:00"}, "tương lai"),
        ({"rated_at": "2024-01-01T00:00:00+07:00"}, "quá cũ"),
        ({"staff": "KHONG-CO"}, "cán bộ"),
        ({"dossier": "<x>"}, "Mã hồ sơ"),
        ({"unit": ""}, "đơn vị"),
    ],
)
def test_items_with_bad_content_are_rejected_alone(province, extra, message):
    body = push(api(province), [item(1, **extra), item(2)])
    assert [r["status"] for r in body["results"]] == ["rejected", "created"]
    assert message in body["results"][0]["errors"][0]


@pytest.mark.parametrize(
    "payload",
    [
        {"ratings": []},
        {"ratings": [{"id": "x", "unit": "KHA-SYT", "score": 6}]},
        {"ratings": [{"id": "x", "unit": "KHA-SYT", "score": "5"}]},
        {"ratings": [{"id": "x", "unit": "KHA-SYT", "score": True}]},
        {"ratings": [{"id": "", "unit": "KHA-SYT", "score": 5}]},
        {"ratings": [{"id": "x", "unit": "KHA-SYT", "score": 5, "reason": "x" * 1001}]},
        {"ratings": [{"id": "x", "unit": "KHA-SYT", "score": 5, "conduct": {"hack": True}}]},
        {"ratings": [{"id": "x", "unit": "KHA-SYT", "score": 5, "rated_at": 1700000000}]},
        {"ratings": [{"id": "x", "unit": "KHA-SYT", "score": 5, "rated_at": "2026-11-20T08:00"}]},
        {"ratings": [{"id": "x", "unit": "KHA-SYT", "score": 5, "extra": 1}]},
        {"ratings": [item(i) for i in range(1001)]},
        {"rating": []},
    ],
)
def test_a_malformed_request_is_refused_whole(province, payload):
    response = api(province).post(URL, json.dumps(payload), content_type="application/json")
    assert response.status_code == 422
    assert not Rating.objects.exists()


def test_a_thousand_ratings_in_one_request(province, django_assert_max_num_queries):
    client = api(province)
    batch = [item(i, score=1 + i % 5, reason="Chờ lâu") for i in range(1000)]
    with django_assert_max_num_queries(50):  # SQLite inserts ~39 rows per statement
        body = push(client, batch)
    assert body["created"] == 1000 and Rating.objects.count() == 1000


def test_only_accounts_that_manage_desks_may_push(province):
    for persona in ("staff", "mttq", "leader", "outsider", "inspector"):
        response = api(province, persona).post(
            URL, json.dumps({"ratings": [item(1)]}), content_type="application/json"
        )
        assert response.status_code == 403, persona
    anonymous = Client().post(
        URL, json.dumps({"ratings": [item(1)]}), content_type="application/json"
    )
    assert anonymous.status_code == 401
    assert not Rating.objects.exists()


def test_the_endpoint_is_documented_in_the_openapi_schema(province):
    schema = Client().get("/api/v1/openapi.json").json()
    operation = schema["paths"]["/api/v1/ratings"]["post"]
    assert "1.000" in operation["summary"]
    body = operation["requestBody"]["content"]["application/json"]["schema"]
    assert body["$ref"].endswith("/RatingsIn")
    rating = schema["components"]["schemas"]["RatingIn"]
    assert rating["properties"]["score"]["maximum"] == 5
    assert set(schema["components"]["schemas"]["Conduct"]["properties"]) >= {"chao", "giup_do"}
