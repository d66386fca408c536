"""Rating ingest (B1, B6): citizens' public POSTs and one-stop systems' API bulk pushes.

The demo province (5,000 staff; about 200 units, 101 of them current outside the party
bodies) with 5,000 service points (one in four an official's desk), each with its QR
token, inserted in bulk (not timed). Served by gunicorn (2 sync workers) on a loopback
port, driven from one asyncio client process.

- Public POSTs to /d/<token>/: the form's fields (``khoa`` a fresh idempotency key each,
  ``diem``, the ``hv_*`` conduct answers for 6 in 10, ``ly_do`` at 3 stars or below, a
  phone number for 1 in 10, a dossier code for 1 in 5) and Django's CSRF token (cookie +
  field, fetched once). Round-robin over the desks, each request from its own address
  (X-Forwarded-For, see bench/settings.py). Closed loop with 4 clients (throughput), then
  open loop at 50 requests/s for 10 s (latency from each request's scheduled time).
- API: POST /api/v1/ratings with 1,000 ratings per request (half by desk, half by unit
  code; a dossier code for 3 in 10; rated within the last two hours), Bearer token of
  the Sở Nội vụ account, 2 clients (two one-stop systems), closed loop.

Baselines in the same run, same server and middleware (bench/bare.py): a bare Django
view parsing the same form and inserting the same row (the columns of ratings_rating)
into a table with only a primary key, in one transaction; and a bare view parsing the
same JSON and inserting the same 1,000 rows with one ``executemany``.
"""

import cProfile
import http.client
import io
import json
import pstats
import re
import secrets
import time
import urllib.parse
from collections import Counter
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from bench import harness, load

ID = "ratings"
TITLE = "Rating ingest: public POSTs and API bulk pushes (B1)"
CONCURRENCY = 4
API_CLIENTS = 2
RATE = 50.0
BATCH = 1000
THANKS = "Cảm ơn bạn đã đánh giá".encode()
UA = (
    "Mozilla/5.0 (Linux; Android 12; SM-A135F) AppleWebKit/537.36 Chrome/120.0 Mobile Safari/537.36"
)
SCORES = (5, 4, 5, 3, 5, 4, 2, 5, 4, 1)
REASON = "Phải chờ lâu, cán bộ hướng dẫn hồ sơ chưa rõ ràng."
LOCKED = re.compile(rb"database is locked|database table is locked")


@dataclass(frozen=True)
class Desk:
    id: int
    unit_id: int
    staff_id: int | None
    token: str
    token_id: int


def make_desks(count: int) -> list[Desk]:
    """``count`` service points over the current units, in bulk (not timed)."""
    from django.db import transaction
    from django.utils import timezone

    from congvu.accounts.models import User
    from congvu.organisations.models import Staff, Unit
    from congvu.ratings.models import DeskKind, DeskToken, ServicePoint

    units = list(
        Unit.objects.filter(valid_to__isnull=True).exclude(unit_type="dang_doan_the").order_by("pk")
    )
    one_official: dict[int, int] = {}
    for staff_id, unit_id in (
        Staff.objects.filter(is_active=True).order_by("pk").values_list("pk", "unit_id")
    ):
        one_official.setdefault(unit_id, staff_id)
    admin = User.objects.get(username="quantri")
    now = timezone.now()
    points = []
    for i in range(count):
        unit = units[i % len(units)]
        staff_id = one_official.get(unit.pk) if i % 4 == 3 else None
        points.append(
            ServicePoint(
                unit=unit,
                kind=DeskKind.OFFICIAL if staff_id else DeskKind.DESK,
                name=f"Quầy số {i // len(units) + 1}" + (" – cán bộ" if staff_id else ""),
                staff_id=staff_id,
                created_at=now,
                created_by=admin,
            )
        )
    with transaction.atomic():
        points = ServicePoint.objects.bulk_create(points, batch_size=1000)
        tokens = DeskToken.objects.bulk_create(
            [
                DeskToken(desk=p, token=secrets.token_urlsafe(16), issued_at=now, issued_by=admin)
                for p in points
            ],
            batch_size=1000,
        )
    return [
        Desk(p.pk, p.unit_id, p.staff_id, t.token, t.pk)
        for p, t in zip(points, tokens, strict=True)
    ]


# --- Requests -----------------------------------------------------------------------


def csrf_pair(port: int, path: str) -> tuple[str, str]:
    """The csrftoken cookie and the form's token, from one GET of a rating page."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    conn.request("GET", path)
    response = conn.getresponse()
    page = response.read().decode()
    conn.close()
    cookie = re.search(r"csrftoken=([^;]+)", response.headers.get("Set-Cookie", ""))
    field = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    if response.status != 200 or cookie is None or field is None:
        raise RuntimeError(f"no CSRF token on {path}: HTTP {response.status}")
    return cookie.group(1), field.group(1)


def address(i: int) -> str:
    return f"10.{i >> 16 & 255}.{i >> 8 & 255}.{i & 255}"


def form_key(i: int) -> str:
    return f"bench-{i:012d}"


def form_fields(i: int, csrf_field: str) -> dict[str, str]:
    from congvu.ratings.rules import CONDUCT_CODES

    score = SCORES[i % len(SCORES)]
    fields = {"csrfmiddlewaretoken": csrf_field, "khoa": form_key(i), "diem": str(score)}
    if i % 10 < 6:
        for j, code in enumerate(CONDUCT_CODES):
            fields[f"hv_{code}"] = "0" if score <= 3 and j == i % len(CONDUCT_CODES) else "1"
    if score <= 3:
        fields["ly_do"] = REASON
    if i % 10 == 0:
        fields["dien_thoai"] = f"09{i % 10**8:08d}"
    if i % 5 == 1:
        fields["ma_ho_so"] = f"HS-2026-{i:08d}"
    return fields


def public_maker(desks: list[Desk], csrf: tuple[str, str], *, bare: bool):
    cookie, field = csrf

    def make(i: int) -> bytes:
        desk = desks[i % len(desks)]
        path = f"/bench/bare-rating/{desk.id}/{desk.unit_id}/" if bare else f"/d/{desk.token}/"
        body = urllib.parse.urlencode(form_fields(i, field)).encode()
        headers = {
            "Content-Type": "application/x-www-form-urlencoded",
            "Cookie": f"csrftoken={cookie}",
            "X-Forwarded-For": address(i),
            "User-Agent": UA,
        }
        return load.raw_request("POST", path, body=body, headers=headers)

    return make


def thanked(status: int, body: bytes) -> bool:
    return status == 200 and THANKS in body


def api_items(start: int, desks: list[Desk], units: list[tuple[int, str]], now: datetime):
    """1,000 items for the API, and the same items pre-resolved for the bare view."""
    from congvu.ratings.rules import CONDUCT_CODES

    items, resolved = [], []
    for j in range(start, start + BATCH):
        score = SCORES[j % len(SCORES)]
        item: dict[str, object] = {"id": f"mc-{j:010d}", "score": score}
        extra: dict[str, object] = {}
        if j % 2:
            unit_id, code = units[j % len(units)]
            item["unit"] = code
            extra["unit_id"] = unit_id
        else:
            desk = desks[j % len(desks)]
            item["desk"] = desk.id
            extra.update(unit_id=desk.unit_id, desk_id=desk.id, staff_id=desk.staff_id)
        if j % 2 == 0 or j % 3 == 0:
            item["conduct"] = {
                code: not (score <= 3 and k == j % 11) for k, code in enumerate(CONDUCT_CODES)
            }
        if score <= 3:
            item["reason"] = REASON
        if j % 10 < 3:
            item["dossier"] = f"MC-{j:09d}"
        item["rated_at"] = (now - timedelta(seconds=j % 7200)).isoformat(timespec="seconds")
        items.append(item)
        resolved.append({**item, **extra})
    return items, resolved


def api_maker(desks, units, token: str, *, bare: bool):
    from django.utils import timezone

    now = timezone.localtime()

    def make(i: int) -> bytes:
        items, resolved = api_items(i * BATCH, desks, units, now)
        body = json.dumps({"ratings": resolved if bare else items}).encode()
        headers = {"Content-Type": "application/json"}
        if not bare:
            headers["Authorization"] = f"Bearer {token}"
        path = "/bench/bare-ratings/" if bare else "/api/v1/ratings"
        return load.raw_request("POST", path, body=body, headers=headers)

    return make


def all_created(status: int, body: bytes) -> bool:
    if status != 200:
        return False
    try:
        return json.loads(body).get("created") == BATCH
    except ValueError:
        return False


# --- Diagnosis: where one request's time goes ------------------------------------------


def _profile(profiler: cProfile.Profile, path: Path) -> None:
    text = io.StringIO()
    stats = pstats.Stats(profiler, stream=text)
    stats.sort_stats("cumulative").print_stats(40)
    stats.sort_stats("tottime").print_stats(25)
    harness.OUT.mkdir(parents=True, exist_ok=True)
    path.write_text(text.getvalue())


def in_process(desks: list[Desk], units, engine: str, *, posts: int, pushes: int):
    """One request at a time through the test client (no HTTP, no concurrency, so less
    sensitive to other work on the machine): the public POST against the bare view,
    interleaved, and the API push against its bare view; the queries and SQL time of one
    POST; cProfiles in bench/out/ratings-profile[-api]-<engine>.txt. Returns (cases, notes)."""
    from django.test import Client
    from django.utils import timezone

    from congvu.accounts.models import User
    from congvu.accounts.services import token_create
    from congvu.core.actors import SYSTEM

    client = Client(HTTP_USER_AGENT=UA)
    base = 900_000_000

    def post(i: int, *, bare: bool = False):
        desk = desks[i % len(desks)]
        path = f"/bench/bare-rating/{desk.id}/{desk.unit_id}/" if bare else f"/d/{desk.token}/"
        response = client.post(path, form_fields(i, ""), HTTP_X_FORWARDED_FOR=address(i))
        if not thanked(response.status_code, response.content):
            raise RuntimeError(f"in-process POST to {path}: HTTP {response.status_code}")
        return response

    post(base)
    post(base, bare=True)
    app, bare, sqls = [], [], []
    for k in range(1, posts + 1):
        with harness.sql_timer() as stats:
            began = time.perf_counter()
            post(base + k)
            app.append((time.perf_counter() - began) * 1000)
        sqls.append(stats["seconds"] * 1000)
        began = time.perf_counter()
        post(base + k, bare=True)
        bare.append((time.perf_counter() - began) * 1000)
    kinds = Counter(sql.split()[0].upper() for _, sql in stats["statements"])
    notes = [
        f"one public POST in-process: {stats['queries']} queries "
        f"({', '.join(f'{n} {k}' for k, n in kinds.most_common())}), median "
        f"{harness.summary(sqls)['median']:.1f} ms in SQL of {harness.summary(app)['median']:.1f} ms"
    ]
    profiler = cProfile.Profile()
    profiler.enable()
    for k in range(100):
        post(base + posts + 1 + k)
    profiler.disable()
    _profile(profiler, harness.OUT / f"ratings-profile-{engine}.txt")

    token = token_create(
        actor=SYSTEM, user=User.objects.get(username="sonoivu"), label="in-process"
    )
    now = timezone.localtime()
    api, api_bare = [], []
    for k in range(pushes + 1):
        items, resolved = api_items((base // BATCH + k) * BATCH, desks, units, now)
        for target, body, headers, out in (
            ("/api/v1/ratings", items, {"HTTP_AUTHORIZATION": f"Bearer {token}"}, api),
            ("/bench/bare-ratings/", resolved, {}, api_bare),
        ):
            began = time.perf_counter()
            response = client.post(
                target, json.dumps({"ratings": body}), content_type="application/json", **headers
            )
            if not all_created(response.status_code, response.content):
                raise RuntimeError(f"in-process push to {target}: HTTP {response.status_code}")
            if k:  # the first is a warm-up
                out.append((time.perf_counter() - began) * 1000)
    items, _ = api_items((base // BATCH + pushes + 1) * BATCH, desks, units, now)
    profiler = cProfile.Profile()
    with harness.sql_timer() as stats:
        began = time.perf_counter()
        profiler.enable()
        client.post(
            "/api/v1/ratings",
            json.dumps({"ratings": items}),
            content_type="application/json",
            HTTP_AUTHORIZATION=f"Bearer {token}",
        )
        profiler.disable()
        wall = (time.perf_counter() - began) * 1000
    _profile(profiler, harness.OUT / f"ratings-profile-api-{engine}.txt")
    notes.append(
        f"one API push of {BATCH:,} in-process (under cProfile): {stats['queries']} queries, "
        f"{stats['seconds'] * 1000:.0f} ms in SQL of {wall:.0f} ms"
    )
    label = f"{len(desks):,} desks"
    cases = [
        harness.Case(
            "public POST in-process (test client, one at a time): time per request",
            label,
            "ms",
            app,
            "bare view, same form (interleaved)",
            bare,
        ),
        harness.Case(
            f"API push of {BATCH:,} in-process (test client, one at a time): time per request",
            label,
            "ms",
            api,
            "bare view, same JSON (interleaved)",
            api_bare,
        ),
    ]
    return cases, notes


# --- Checks after the load ---------------------------------------------------------------


def verify(public_ok: set[int], api_ok: set[int], bare_public: int, bare_api: int) -> list[str]:
    """Stored rows against acknowledged posts; tallies against counted ratings."""
    from django.db import connection
    from django.db.models import Sum

    from bench import bare
    from congvu.ratings.models import Rating, RatingStatus, RatingTally

    problems, notes = [], []
    stored = set(Rating.objects.filter(key__startswith="qr:bench-").values_list("key", flat=True))
    acknowledged = {"qr:" + form_key(i) for i in public_ok}
    if stored != acknowledged:
        problems.append(
            f"public: {len(stored - acknowledged)} stored but not acknowledged, "
            f"{len(acknowledged - stored)} acknowledged but not stored"
        )
    api_stored = Rating.objects.filter(key__contains=":mc-").count()
    if api_stored != len(api_ok) * BATCH:
        problems.append(f"API: {api_stored} stored for {len(api_ok) * BATCH} acknowledged")
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT source, COUNT(*) FROM {bare.TABLE} GROUP BY source")
        bare_rows = dict(cursor.fetchall())
    if bare_rows.get("qr", 0) != bare_public or bare_rows.get("api", 0) != bare_api * BATCH:
        problems.append(f"bare table {bare_rows} for {bare_public} + {bare_api * BATCH}")
    statuses = Counter(Rating.objects.values_list("status", flat=True))
    flags = Counter(
        f
        for row in Rating.objects.exclude(flags="").values_list("flags", flat=True)
        for f in row.split(",")
    )
    counted = statuses.get(RatingStatus.COUNTED, 0)
    tallied = RatingTally.objects.filter(grain="y", level="unit").aggregate(n=Sum("n"))["n"] or 0
    if tallied != counted:
        problems.append(f"unit tallies hold {tallied} ratings, {counted} are counted")
    notes.append(
        f"checked after the load: {len(stored):,} public ratings stored = acknowledged, "
        f"{api_stored:,} API ratings stored = acknowledged, no duplicate keys (unique), "
        f"bare table {bare_rows}; statuses {dict(statuses)}, flags {dict(flags) or 'none'}; "
        f"daily unit tallies sum to {tallied:,} = counted ratings"
        if not problems
        else "CHECK FAILED: " + "; ".join(problems)
    )
    return notes


def main(argv: list[str] | None = None) -> None:
    args = harness.parse_args(__doc__, argv)
    staff, n_desks = (3000, 1000) if args.quick else (5000, 5000)
    duration, runs = (3.0, 1) if args.quick else (6.0, 5)
    open_duration, open_runs = (4.0, 1) if args.quick else (10.0, 2)
    api_duration, api_runs = (4.0, 1) if args.quick else (12.0, 3)
    started = time.perf_counter()
    with harness.fresh_database(args.engine, ID) as db:
        harness.setup_django(static=True)
        from django.db import connections

        from bench import bare
        from congvu.accounts.models import User
        from congvu.accounts.services import token_create
        from congvu.core.actors import SYSTEM
        from congvu.organisations import demo
        from congvu.organisations.models import Unit

        demo.demo_load(staff=staff, seed=11, apps=())
        desks = make_desks(n_desks)
        units = list(
            Unit.objects.filter(valid_to__isnull=True)
            .exclude(unit_type="dang_doan_the")
            .order_by("pk")
            .values_list("pk", "code")
        )
        bare.create_table()
        token = token_create(actor=SYSTEM, user=User.objects.get(username="sonoivu"), label="bench")
        connections.close_all()
        log = Path(db.var_dir) / "gunicorn.log"
        seq = 0
        closed: dict[str, list[load.LoadResult]] = {"app": [], "bare": []}
        opened: dict[str, list[load.LoadResult]] = {"app": [], "bare": []}
        api: dict[str, list[load.LoadResult]] = {"app": [], "bare": []}
        warm: dict[str, list[load.LoadResult]] = {"app": [], "bare": []}
        with harness.gunicorn(db, log=log) as port:
            csrf = csrf_pair(port, f"/d/{desks[0].token}/")
            makers = {
                "app": public_maker(desks, csrf, bare=False),
                "bare": public_maker(desks, csrf, bare=True),
            }
            for name, make in makers.items():  # warm both workers (counted in the checks)
                warm[name].append(
                    load.closed_loop(port, make, judge=thanked, duration=1.0, start=seq)
                )
                seq += len(warm[name][-1].latencies_ms)
            for _ in range(runs):
                for name, make in makers.items():
                    result = load.closed_loop(
                        port,
                        make,
                        judge=thanked,
                        concurrency=CONCURRENCY,
                        duration=duration,
                        start=seq,
                    )
                    seq += len(result.latencies_ms)
                    closed[name].append(result)
                    print(f"closed {name}: {result.rps:.0f}/s, {result.errors} errors", flush=True)
            for _ in range(open_runs):
                for name, make in makers.items():
                    result = load.open_loop(
                        port, make, judge=thanked, rate=RATE, duration=open_duration, start=seq
                    )
                    seq += len(result.latencies_ms)
                    opened[name].append(result)
                    p99 = harness.percentile(result.latencies_ms, 99)
                    print(f"open {name}: p99 {p99:.0f} ms, {result.errors} errors", flush=True)
            api_makers = {
                "app": api_maker(desks, units, token, bare=False),
                "bare": api_maker(desks, units, token, bare=True),
            }
            batch_no = 0
            for _ in range(api_runs):
                for name, make in api_makers.items():
                    result = load.closed_loop(
                        port,
                        make,
                        judge=all_created,
                        concurrency=API_CLIENTS,
                        duration=api_duration,
                        start=batch_no,
                        timeout=120,
                    )
                    batch_no += len(result.latencies_ms)
                    api[name].append(result)
                    print(
                        f"api {name}: {result.rps * BATCH:.0f} ratings/s, {result.errors} errors",
                        flush=True,
                    )
        public_ok = {i for r in warm["app"] + closed["app"] + opened["app"] for i in r.ok_ids}
        api_ok = {i for r in api["app"] for i in r.ok_ids}
        notes = [
            f"{staff:,} staff, {len(units)} current units, {n_desks:,} desks (one in four an "
            f"official's). Closed loop: {runs} runs × {duration:.0f} s per case, app and bare view "
            f"interleaved; open loop: {open_runs} runs × {open_duration:.0f} s at {RATE:.0f}/s; "
            f"API: {api_runs} runs × {api_duration:.0f} s with {API_CLIENTS} clients.",
            "Each public request comes from its own address (X-Forwarded-For, CLIENT_IP_HEADER "
            "set in bench/settings.py) and the load goes round-robin over the desks, so the "
            "per-client, per-network and per-desk limits run at their defaults without refusing "
            "or flagging it (one machine would otherwise be one abusive client).",
            "The form's GET (which sets the CSRF cookie) is fetched once and not timed; every "
            "POST carries the same CSRF cookie and field, as a citizen's browser would.",
        ]
        log_text = log.read_bytes() if log.exists() else b""
        locked = len(LOCKED.findall(log_text))
        unavailable = log_text.count(b"database.unavailable")
        cases = []
        label = f"{n_desks:,} desks"
        statuses = {
            name: sum((r.statuses for r in closed[name] + opened[name]), Counter())
            for name in ("app", "bare")
        }
        cases.append(
            harness.Case(
                f"public POST, {CONCURRENCY} clients closed loop: throughput",
                label,
                "req/s",
                [r.rps for r in closed["app"]],
                "bare view: same row, one INSERT",
                [r.rps for r in closed["bare"]],
                notes=f"statuses {dict(statuses['app'])} (bare {dict(statuses['bare'])})",
            )
        )
        cases.append(
            harness.Case(
                f"public POST, {CONCURRENCY} clients closed loop: latency",
                label,
                "ms",
                [x for r in closed["app"] for x in r.latencies_ms],
                "bare view",
                [x for r in closed["bare"] for x in r.latencies_ms],
            )
        )
        open_errors = sum(r.errors for r in opened["app"])
        cases.append(
            harness.Case(
                f"public POST, open loop {RATE:.0f}/s: latency from the scheduled time",
                label,
                "ms",
                [x for r in opened["app"] for x in r.latencies_ms],
                "bare view",
                [x for r in opened["bare"] for x in r.latencies_ms],
                notes=f"{open_errors} errors of {sum(len(r.latencies_ms) for r in opened['app'])} "
                f"(bare {sum(r.errors for r in opened['bare'])})",
            )
        )
        cases.append(
            harness.Case(
                f"API push, {BATCH:,} ratings per request, {API_CLIENTS} clients: ratings/s",
                label,
                "req/s",
                [r.rps * BATCH for r in api["app"]],
                "bare view: same JSON, one executemany",
                [r.rps * BATCH for r in api["bare"]],
                notes=f"{sum(r.errors for r in api['app'])} failed requests; request latency "
                f"median {harness.summary([x for r in api['app'] for x in r.latencies_ms])['median']:.0f} ms "
                f"(bare {harness.summary([x for r in api['bare'] for x in r.latencies_ms])['median']:.0f} ms)",
            )
        )
        pairs = [a.rps / b.rps for a, b in zip(closed["app"], closed["bare"], strict=True) if b.rps]
        api_pairs = [a.rps / b.rps for a, b in zip(api["app"], api["bare"], strict=True) if b.rps]
        notes.append(
            "Ratios of each interleaved pair of runs (app ÷ the bare run right after it), less "
            "sensitive to other work on the machine than the ratio of medians: public POST "
            f"{', '.join(f'{x:.2f}' for x in pairs)} (median {harness.summary(pairs)['median']:.2f}); "
            f"API {', '.join(f'{x:.2f}' for x in api_pairs)} "
            f"(median {harness.summary(api_pairs)['median']:.2f})."
        )
        p99 = harness.percentile([x for r in opened["app"] for x in r.latencies_ms], 99)
        ratio = cases[0].as_record()["ratio"]
        notes.append(
            f"Aims (issue 4, QUALITY B1): throughput ≥ 0.7× the bare view: "
            f"{ratio:.2f}× — {'met' if ratio >= 0.7 else 'NOT met'}; p99 ≤ 150 ms at 50/s: "
            f"{p99:.0f} ms — {'met' if p99 <= 150 else 'NOT met'}; 0 'database is locked': "
            f"{locked} in the server log, {unavailable} 503s logged (database.unavailable), "
            f"{statuses['app'].get(503, 0)} 503 and {statuses['app'].get(500, 0)} 500 responses "
            f"— {'met' if not (locked or unavailable) else 'NOT met'}."
        )
        bare_public = sum(r.ok for r in warm["bare"] + closed["bare"] + opened["bare"])
        notes += verify(public_ok, api_ok, bare_public, sum(r.ok for r in api["bare"]))
        more_cases, more_notes = in_process(
            desks,
            units,
            args.engine,
            posts=50 if args.quick else 300,
            pushes=2 if args.quick else 5,
        )
        cases += more_cases
        notes += more_notes
        harness.record(
            ID,
            args.engine,
            title=TITLE,
            description=__doc__.strip().split("\n\n", 1)[1],
            cases=cases,
            notes=notes,
            started=started,
            quick=args.quick,
        )


if __name__ == "__main__":
    main()
