"""Services: desks and tokens, a citizen's rating, abuse handling, review, tallies, purge."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Sum
from django.utils import timezone

from congvu.core.models import AuditLog
from congvu.ratings import rules, selectors, services
from congvu.ratings.models import (
    DeskToken,
    Grain,
    Level,
    Rating,
    RatingContact,
    RatingStatus,
    RatingTally,
)
from congvu.ratings.services import ClientInfo, DeskUnavailable, KeyConflict, RatingRefused
from congvu.ratings.tallies import tallies_rebuild
from congvu.ratings.tests.conftest import citizen, make_desk, submit, token_of

pytestmark = pytest.mark.django_db


def tally_rows():
    return sorted(
        RatingTally.objects.values_list("grain", "level", "key_id", "period", "n", "score_sum")
    )


def unit_index(unit, year=2026):
    rows = RatingTally.objects.filter(grain=Grain.MONTH, level=Level.UNIT, key_id=unit.pk)
    from congvu.ratings.tallies import sums, tally_from_row

    return rules.satisfaction_index(tally_from_row(rows.aggregate(**sums())))


# --- Desks and tokens ------------------------------------------------------------------


def test_a_desk_is_created_with_a_token_and_an_audit_record(province):
    desk = make_desk(province, name="  Quầy   số 1 ", location="Tầng 1")
    assert desk.name == "Quầy số 1"  # NFC, whitespace collapsed
    token = DeskToken.objects.get(desk=desk)
    assert token.revoked_at is None and len(token.token) >= 22
    assert AuditLog.objects.filter(action="desk.create", object_id=str(desk.pk)).exists()


def test_a_unit_head_cannot_create_a_desk_in_another_unit(province):
    with pytest.raises(PermissionDenied):
        make_desk(province, unit_key="stp", actor_key="head_syt")
    for persona in ("staff", "mttq", "leader", "outsider", "inspector"):
        with pytest.raises(PermissionDenied):
            make_desk(province, actor_key=persona)
    make_desk(province, unit_key="bv", actor_key="head_syt")  # its own subtree


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ({"name": ""}, "Cần đặt tên"),
        ({"name": "x" * 121}, "120"),
        ({"kind": "can_bo"}, "cần chọn cán bộ"),
        ({"kind": "xyz"}, "không hợp lệ"),
        ({"kind": "quay", "staff_key": "syt_cc"}, "Chỉ điểm đánh giá loại"),
        ({"kind": "can_bo", "staff_key": "stp_cc"}, "phạm vi"),
        ({"unit_key": "huyen"}, "chấm dứt hoạt động"),
    ],
)
def test_bad_desks_are_refused_in_vietnamese_and_nothing_is_stored(province, extra, message):
    staff_key = extra.pop("staff_key", None)
    if staff_key:
        extra["staff"] = province.staff[staff_key]
    extra.setdefault("actor_key", "head_syt")
    if extra.get("unit_key") == "huyen":
        extra["actor_key"] = "admin"
    with pytest.raises(ValidationError) as error:
        make_desk(province, **extra)
    assert message in " ".join(error.value.messages)
    assert not DeskToken.objects.exists()


def test_two_active_desks_of_a_unit_cannot_share_a_name(province, desk):
    with pytest.raises(ValidationError, match="đã có điểm đánh giá"):
        make_desk(province, name="quầy số 1")
    services.desk_update(
        actor=province.users["admin"], desk=desk, name="Quầy số 1", location="", is_active=False
    )
    make_desk(province, name="Quầy số 1")  # the paused one no longer blocks the name


def test_rotating_the_token_cuts_off_old_posters_and_keeps_them_recorded(province, desk):
    old = token_of(desk)
    submit(desk)
    new = services.desk_token_rotate(actor=province.users["head_syt"], desk=desk)
    assert new.token != old and token_of(desk) == new.token
    revoked = DeskToken.objects.get(token=old)
    assert revoked.revoked_at is not None and revoked.revoked_by == province.users["head_syt"]
    with pytest.raises(DeskUnavailable) as error:
        services.rating_submit(
            token=old, key=services.new_form_key(), score=5, answers={}, client=citizen()
        )
    assert error.value.state == "revoked"
    assert Rating.objects.count() == 1
    submit(desk)  # the new poster works
    assert Rating.objects.count() == 2
    assert AuditLog.objects.filter(action="desk.token_rotate").count() == 1
    with pytest.raises(PermissionDenied):
        services.desk_token_rotate(actor=province.users["head_stp"], desk=desk)


def test_a_paused_desk_takes_no_ratings(province, desk):
    services.desk_update(
        actor=province.users["head_syt"], desk=desk, name=desk.name, location="", is_active=False
    )
    with pytest.raises(DeskUnavailable) as error:
        submit(desk)
    assert error.value.state == "inactive"
    with pytest.raises(ValidationError):
        services.desk_token_rotate(actor=province.users["head_syt"], desk=desk)
    assert not Rating.objects.exists()


# --- A citizen's rating -----------------------------------------------------------------


def test_a_rating_links_to_the_desk_unit_and_official_and_updates_the_tallies(
    province, official_desk
):
    submission = submit(official_desk, score=4, answers={"chao": "1"})
    rating = submission.rating
    assert submission.created
    assert rating.unit == province.units["syt"] and rating.staff == province.staff["syt_cc"]
    assert rating.status == RatingStatus.COUNTED and rating.day == timezone.localdate()
    levels = set(RatingTally.objects.values_list("grain", "level"))
    assert levels == {(g, lv) for g in "my" for lv in ("unit", "desk", "staff")}
    assert RatingTally.objects.aggregate(s=Sum("yes_chao"))["s"] == 6


def test_submission_is_idempotent_by_key(province, desk):
    client = citizen()
    first = submit(desk, score=2, reason="Chờ lâu", key="k" * 20, client=client)
    again = submit(desk, score=2, reason="Chờ lâu", key="k" * 20, client=client)
    assert first.created and not again.created
    assert again.rating.pk == first.rating.pk
    assert Rating.objects.count() == 1
    assert RatingTally.objects.get(grain="y", level="unit").n == 1


def test_a_key_reused_for_a_different_rating_is_refused(province, desk):
    submit(desk, score=5, key="k" * 20)
    with pytest.raises(KeyConflict):
        submit(desk, score=1, reason="khác", key="k" * 20)
    assert Rating.objects.count() == 1


BAD_INPUTS = [
    ({"score": ""}, "score"),
    ({"score": "7"}, "score"),
    ({"score": "2"}, "reason"),
    ({"score": "1", "reason": "x" * 100_000}, "reason"),
    ({"phone": "0123"}, "phone"),
    ({"dossier": "'; DROP TABLE"}, "dossier"),
    ({"answers": {"chao": "maybe"}}, "conduct"),
    ({"answers": {"khong_ton_tai": "1"}}, "conduct"),
    ({"key": "short"}, "key"),
    ({"key": ""}, "key"),
]


@pytest.mark.parametrize(("fields", "field"), BAD_INPUTS)
def test_every_bad_input_is_refused_with_a_vietnamese_message_and_nothing_is_stored(
    province, desk, fields, field
):
    fields = dict(fields)
    kwargs = {"score": fields.pop("score", "5"), "key": fields.pop("key", "a" * 20), **fields}
    with pytest.raises(ValidationError) as error:
        submit(desk, **kwargs)
    messages = error.value.message_dict[field]
    assert messages and all(any(ch in m for ch in "ạảãáàăâđêôơư") for m in messages)
    assert not Rating.objects.exists() and not RatingTally.objects.exists()
    assert not RatingContact.objects.exists()


def test_an_unknown_token_stores_nothing(province, desk):
    for token in ("khong-co-ma-nay", "", "x" * 500):
        with pytest.raises(DeskUnavailable) as error:
            services.rating_submit(token=token, key="a" * 20, score=5, answers={}, client=citizen())
        assert error.value.state == "unknown"
    assert not Rating.objects.exists()


def test_html_in_a_reason_is_stored_as_text(province, desk):
    rating = submit(desk, score=1, reason="<script>alert(1)</script>").rating
    assert rating.reason == "<script>alert(1)</script>"  # escaped where shown (test_views)


def test_one_rating_per_dossier(province, desk, official_desk):
    submit(desk, score=5, dossier="000.00.21.H32-261121-0001")
    with pytest.raises(ValidationError) as error:
        submit(official_desk, score=4, dossier="000.00.21.h32-261121-0001")
    assert "đã được đánh giá" in error.value.message_dict["dossier"][0]
    assert Rating.objects.count() == 1


def test_a_phone_number_is_kept_apart_from_the_rating(province, desk):
    rating = submit(desk, score=2, reason="Sai hẹn", phone="+84 912 345 678").rating
    assert rating.contact.phone == "0912345678"
    assert "0912345678" not in str(Rating.objects.filter(pk=rating.pk).values().get())


def test_client_keys_are_keyed_hashes_not_addresses(province, desk):
    rating = submit(desk, client=ClientInfo(ip="203.0.113.7", user_agent="Zalo")).rating
    assert "203.0.113.7" not in rating.client_key + rating.network_key
    assert len(rating.client_key) == 32 and rating.client_key != rating.network_key
    a = ClientInfo(ip="2001:db8:1:2::1", user_agent="x")
    b = ClientInfo(ip="2001:db8:1:2:ffff::9", user_agent="x")
    assert a.network_key == b.network_key and a.client_key != b.client_key


# --- Abuse: limits, duplicates, flags -------------------------------------------------------


def test_the_same_phone_rating_the_same_desk_twice_within_30_minutes_is_flagged(province, desk):
    client = citizen()
    assert submit(desk, client=client).rating.status == RatingStatus.COUNTED
    second = submit(desk, score=3, reason="lại", client=client).rating
    assert second.status == RatingStatus.FLAGGED and "lap_lai" in second.flags
    assert RatingTally.objects.get(grain="y", level="desk").n == 1  # excluded from indexes


def test_a_new_browser_on_the_same_address_is_the_same_client(province, desk):
    assert submit(desk, client=ClientInfo("198.51.100.2", "Zalo")).rating.status == "counted"
    second = submit(desk, score=4, client=ClientInfo("198.51.100.2", "Chrome")).rating
    assert second.status == RatingStatus.FLAGGED and "lap_lai" in second.flags
    third = submit(desk, score=3, reason="x", client=ClientInfo("2001:db8:7:7::1", "A")).rating
    fourth = submit(desk, score=3, reason="y", client=ClientInfo("2001:db8:7:7::2", "B")).rating
    assert third.status == "counted" and "lap_lai" in fourth.flags  # one IPv6 /64


def test_identical_content_from_one_network_is_flagged(province, desk):
    same = {"score": 1, "reason": "Thái độ kém"}
    submit(desk, client=ClientInfo("198.51.100.1", "A"), **same)
    second = submit(desk, client=ClientInfo("198.51.100.1", "B"), **same).rating
    assert "trung_noi_dung" in second.flags


def test_the_same_phone_number_twice_at_a_desk_in_a_day_is_flagged(province, desk):
    submit(desk, phone="0912345678")
    assert "trung_so_dt" in submit(desk, phone="0912 345 678").rating.flags


def test_too_many_from_one_client_are_refused_and_not_stored(province, desk, settings):
    settings.RATINGS_LIMITS = {"refuse_client_hour": 3}
    client = citizen()
    for _ in range(3):
        submit(desk, client=client)
    with pytest.raises(RatingRefused, match="thử lại"):
        submit(desk, client=client)
    assert Rating.objects.count() == 3


def test_a_burst_at_one_desk_is_flagged_then_refused(province, desk, settings):
    settings.RATINGS_LIMITS = {"flag_desk_minute": 2, "refuse_desk_minute": 4}
    statuses = [submit(desk).rating.status for _ in range(4)]
    assert statuses == ["counted", "counted", "flagged", "flagged"]
    with pytest.raises(RatingRefused):
        submit(desk)
    later = timezone.now() + timedelta(minutes=2)
    assert (
        services.rating_submit(
            token=token_of(desk),
            key=services.new_form_key(),
            score=5,
            answers={},
            client=citizen(),
            now=later,
        ).rating.status
        == "counted"
    )


ATTACKERS = {
    "one browser": lambda i: ClientInfo(ip="192.0.2.66", user_agent="curl/8"),
    "a new User-Agent every post": lambda i: ClientInfo(ip="192.0.2.66", user_agent=f"UA/{i}"),
    "a new IPv6 address in one /64 every post": lambda i: ClientInfo(
        ip=f"2001:db8:66:1:{i:x}::{i + 1:x}", user_agent=f"UA/{i}"
    ),
}


@pytest.mark.parametrize("attacker", ATTACKERS.values(), ids=ATTACKERS.keys())
def test_s4_one_clients_thousand_posts_barely_move_the_index(province, desk, settings, attacker):
    """QUALITY.md S4: 1,000 one-star posts from one client against 200 genuine five-star
    ratings. Budget (docs/feedback.md): at most 5 counted per client, one address or IPv6
    /64, per 24 hours, whatever browser each post claims to come from."""
    settings.RATINGS_LIMITS = {"flag_desk_minute": 10_000, "refuse_desk_minute": 10_000}
    for i in range(200):
        submit(desk, score=5, client=citizen(10_000 + i))
    before = unit_index(province.units["syt"])
    outcomes = {"stored": 0, "refused": 0}
    now = timezone.now()
    for i in range(1000):
        try:
            services.rating_submit(
                token=token_of(desk),
                key=services.new_form_key(),
                score=1,
                reason=f"Tệ {i}",
                answers={},
                client=attacker(i),
                now=now + timedelta(minutes=3 * i),
            )
            outcomes["stored"] += 1
        except RatingRefused:
            outcomes["refused"] += 1
    after = unit_index(province.units["syt"])
    network = attacker(0).network_key
    assert all(attacker(i).network_key == network for i in range(1000))
    counted = Rating.objects.filter(network_key=network, status="counted").count()
    assert counted <= rules.LIMITS.flag_client_day * (3000 // (24 * 60) + 1)  # ≤ 5 per 24 h
    budget = rules.abuse_budget(200, counted)
    bound = Decimal(100 * budget.numerator) / budget.denominator + Decimal("0.05")  # rounding
    assert before.satisfied - after.satisfied <= bound
    assert before.satisfied - after.satisfied < Decimal("5.0")
    assert outcomes["refused"] > 0 and outcomes["stored"] + outcomes["refused"] == 1000


# --- Review of flagged ratings -----------------------------------------------------------


def _flagged(desk, n=2):
    client = citizen()
    submit(desk, client=client)
    return [submit(desk, score=2, reason=f"lặp {i}", client=client).rating for i in range(n)]


def test_accepting_a_flagged_rating_counts_it_and_is_audited(province, desk):
    flagged = _flagged(desk)
    assert RatingTally.objects.get(grain="m", level="unit").n == 1
    changed = services.ratings_review(
        actor=province.users["head_syt"], ids=[flagged[0].pk], accept=True, note="Đã gọi lại"
    )
    assert changed == 1
    rating = Rating.objects.get(pk=flagged[0].pk)
    assert rating.status == "counted" and rating.reviewed_by == province.users["head_syt"]
    assert RatingTally.objects.get(grain="m", level="unit").n == 2
    assert AuditLog.objects.filter(action="rating.accept", object_id=str(rating.pk)).exists()


def test_rejecting_keeps_it_out_of_the_index(province, desk):
    flagged = _flagged(desk)
    services.ratings_review(actor=province.users["snv"], ids=[r.pk for r in flagged], accept=False)
    assert set(
        Rating.objects.filter(pk__in=[r.pk for r in flagged]).values_list("status", flat=True)
    ) == {"rejected"}
    assert RatingTally.objects.get(grain="m", level="unit").n == 1
    assert AuditLog.objects.filter(action="rating.reject").count() == 2
    with pytest.raises(ValidationError, match="Không còn"):
        services.ratings_review(actor=province.users["snv"], ids=[flagged[0].pk], accept=True)


def test_a_unit_head_cannot_review_another_units_ratings(province, desk):
    flagged = _flagged(desk)
    for persona in ("head_stp", "mttq", "leader", "outsider"):
        with pytest.raises(PermissionDenied):
            services.ratings_review(actor=province.users[persona], ids=[flagged[0].pk], accept=True)
    assert Rating.objects.get(pk=flagged[0].pk).status == "flagged"


def test_tallies_always_equal_a_recomputation_from_the_ratings(province, desk, official_desk):
    for score in (5, 4, 1, 3):
        submit(desk, score=score, reason="x", answers={"chao": str(score % 2)})
    submit(official_desk, score=2, reason="y", answers={"giup_do": "0"})
    flagged = _flagged(official_desk)
    services.ratings_review(actor=province.users["snv"], ids=[flagged[0].pk], accept=True)
    kept = list(RatingTally.objects.order_by("grain", "level", "key_id", "period").values())
    tallies_rebuild()
    rebuilt = list(RatingTally.objects.order_by("grain", "level", "key_id", "period").values())
    strip = [{k: v for k, v in row.items() if k != "id"} for row in kept]
    assert strip == [{k: v for k, v in row.items() if k != "id"} for row in rebuilt]


# --- Personal data ------------------------------------------------------------------------


def test_old_phone_numbers_and_client_keys_are_purged(province, desk):
    rating = submit(desk, score=2, reason="x", phone="0912345678").rating
    services.ratings_personal_data_purge(now=timezone.now() + timedelta(days=8))
    rating.refresh_from_db()
    assert rating.client_key == "" and rating.network_key == ""
    assert RatingContact.objects.count() == 1
    contacts, _ = services.ratings_personal_data_purge(now=timezone.now() + timedelta(days=91))
    assert contacts == 1 and not RatingContact.objects.exists()
    assert Rating.objects.filter(pk=rating.pk).exists()  # the rating itself stays


def test_desk_figures_selector_reads_the_tallies(province, desk):
    submit(desk, score=5)
    submit(desk, score=3, reason="Bình thường")
    figures = selectors.desk_figures(desk=desk, period=rules.Period("year", 2026))
    assert figures.index.count == 2 and figures.index.satisfied == Decimal("50.0")


def test_the_nightly_task_purges_old_phone_numbers(province, desk):
    from congvu.ratings import tasks

    rating = submit(desk, score=2, reason="x", phone="0912345678").rating
    RatingContact.objects.filter(rating=rating).update(
        created_at=timezone.now() - timedelta(days=120)
    )
    tasks.ratings_purge_personal_data.call_local()
    assert not RatingContact.objects.exists()


def test_a_bulk_push_for_a_desk_does_not_lock_its_qr_code(province, desk):
    items = [services.IngestItem(id=f"b{i}", score=5, desk=desk.pk) for i in range(100)]
    services.ratings_ingest(actor=province.users["admin"], items=items)
    assert submit(desk).rating.status == RatingStatus.COUNTED


@pytest.mark.parametrize("dossier", [True, False])
@pytest.mark.parametrize("phone", [True, False])
def test_the_one_read_of_a_public_post_uses_indexes_only(province, desk, dossier, phone):
    """Every lookup of services.public._checks is an index search on SQLite: no scan of the
    ratings, whose count grows without bound (the dossier check must repeat the partial
    index's condition word for word)."""
    from django.db import connection

    from congvu.ratings.services.public import _checks_sql, _token_sql

    if connection.vendor != "sqlite":
        pytest.skip("SQLite's plan; PostgreSQL proves the partial index's condition itself")
    params = {
        "key": "qr:x",
        "token": 1,
        "dossier": "H1",
        "phone": "0912345678",
        "desk": desk.pk,
        "network": "n",
        "content": "h",
        "day_ago": "2026-11-20 00:00:00",
        "hour_ago": "2026-11-21 00:00:00",
        "half_hour_ago": "2026-11-21 00:30:00",
        "minute_ago": "2026-11-21 00:59:00",
    }
    with connection.cursor() as cursor:
        for sql, args in ((_checks_sql(dossier, phone), params), (_token_sql(), ["t"])):
            cursor.execute("EXPLAIN QUERY PLAN " + sql, args)
            plan = [row[-1] for row in cursor.fetchall()]
            # "SCAN n" reads the one row of the aggregate over the network's ratings
            scans = [step for step in plan if step.startswith("SCAN ") and step != "SCAN n"]
            assert scans == [], plan
