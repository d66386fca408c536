"""R1 (QUALITY.md): a crash during rating ingest loses nothing that was acknowledged.

The real app runs under gunicorn (2 sync workers) on a database of its own: a SQLite
file in a temporary directory, or, when DATABASE_URL points to PostgreSQL, a database
created on that server for this test (not pytest-django's test database). It is migrated
and seeded through the services (r1_seed.py). Client threads then send ratings with
unique idempotency keys, through the public QR form (POST /d/<token>/ with the CSRF
token, the key in ``khoa``) and through the one-stop API in batches (POST
/api/v1/ratings, the system's own ids), and retry each one until it is acknowledged: the
thank-you page, or a 200 whose per-item status is "created" or "existing". Meanwhile a
killer thread sends SIGKILL to gunicorn workers at random moments (the master respawns
them), once kills the whole server (master and workers) and starts it again, and on
PostgreSQL kills server backends serving the app.

Afterwards: every acknowledged key is stored exactly once, with what was sent; nothing is
stored that was not sent; a replay of an acknowledged key gets the same answer (the same
thank-you, the same rating id); a key reused with another body is refused (the form's
409 with its Vietnamese message, the API's per-item "rejected"); the pre-aggregated
tallies equal a recomputation from the raw rows (R5); on SQLite ``PRAGMA
integrity_check`` is ok.

"kill -9 PostgreSQL" is approximated by ``kill -9`` of the backend processes that serve
the app's connections (found in pg_stat_activity for the test's database). The server is
shared with other tests on the machine, so the postmaster itself is never stopped. The
approximation stands because PostgreSQL treats a backend that dies by a signal as a
crash of the whole server: the postmaster terminates every other backend, reinitialises
shared memory and runs crash recovery from the write-ahead log before it accepts
connections again. Every session is reset, uncommitted transactions are lost, and
committed ones must come back from the WAL — what a kill -9 of the server followed by a
restart tests, short of the postmaster process being replaced. Other sessions on the
server are reset too (other tests' connections): run this in the serial phase.

Rate limits: the app reads the citizen's address from X-Forwarded-For (CLIENT_IP_HEADER,
set in r1_settings.py as behind a reverse proxy), so each simulated phone is its own
client; only the per-desk burst limits are raised (RATINGS_LIMITS). Some phones rate the
same desk twice: those ratings are stored flagged and left out of the tallies. The served
settings also hold each POST's answer 0.15 s after it committed (r1_settings.AnswerDelay),
so that kills land between a commit and its acknowledgement, where idempotency matters.
"""

from __future__ import annotations

import os
import random
import re
import secrets
import signal
import threading
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date

import pytest
import requests
from served_app import AppDatabase, Server, seed

pytestmark = pytest.mark.e2e

INGEST_SECONDS = 20  # clients send for at least this long, and until the killer is done
KILLER_SECONDS = 150  # the killer's plan must be done by then
DRAIN_SECONDS = 60  # then each client retries what it has in hand until acknowledged
PLAN = {
    "sqlite": ("worker",) * 4 + ("server",) + ("worker",) * 4,
    # Each backend kill costs a crash recovery of the shared server (up to ~25 s here: it
    # first syncs the whole data directory): two of them, and fewer worker kills.
    "postgres": ("worker", "backend", "worker", "server", "backend", "worker"),
}
CLIENTS = 4
THANKS = "Cảm ơn bạn đã đánh giá!"
REUSED = "đã được dùng cho một đánh giá khác"  # services.MSG_KEY_REUSED
CONDUCT = (
    "chao",
    "xin_loi",
    "cam_on",
    "xin_phep",
    "mim_cuoi",
    "nhe_nhang",
    "lang_nghe",
    "giup_do",
    "khong_hach_dich",
    "khong_nhung_nhieu",
    "khong_cau_gat",
)
RETRY = {500, 502, 503, 504}  # retried like a lost answer; a 500 fails the test at the end


# --- Clients ------------------------------------------------------------------------------


@dataclass
class Sent:
    key: str
    kind: str  # "form" | "api"
    score: int
    reason: str
    desk: dict | None = None  # the form's desk, or the API item's desk (None: by unit)
    form: dict = field(default_factory=dict)  # the POST fields, as sent every time
    headers: dict = field(default_factory=dict)
    item: dict = field(default_factory=dict)  # the API item, as sent every time


@dataclass
class Ledger:
    """What the clients sent, what was acknowledged, and what went wrong on the way."""

    sent: dict[str, Sent] = field(default_factory=dict)
    acked: dict[str, object] = field(default_factory=dict)  # form: thank-you card; api: id
    unexpected: list[str] = field(default_factory=list)
    outcomes: Counter = field(default_factory=Counter)
    lock: threading.Lock = field(default_factory=threading.Lock)
    stopping: threading.Event = field(default_factory=threading.Event)
    drain_by: float = float("inf")  # clients give up on a rating after this

    def stop(self, drain_seconds: float) -> None:
        """No new ratings; what is in hand is retried for ``drain_seconds`` at most."""
        self.drain_by = time.monotonic() + drain_seconds
        self.stopping.set()

    def note(self, outcome: str) -> None:
        with self.lock:
            self.outcomes[outcome] += 1


def _card(html: str) -> str:
    match = re.search(r'<div class="card">.*?</div>', html, re.S)
    return match.group(0) if match else ""


class Client(threading.Thread):
    """One simulated source of ratings: phones at the desks and a one-stop system."""

    def __init__(self, n: int, server: Server, seeded: dict, ledger: Ledger):
        super().__init__(name=f"r1-client-{n}", daemon=True)
        self.n, self.server, self.seeded, self.ledger = n, server, seeded, ledger
        self.rng = random.Random(n)
        self.session = requests.Session()
        self.seq = 0
        self.phone = 0
        self.last: tuple[dict, dict] | None = None  # the last phone and its desk

    def run(self) -> None:
        try:
            while not self.ledger.stopping.is_set():
                if self.rng.random() < 0.75:
                    self.send_form()
                else:
                    self.send_batch()
        except Exception as exc:  # an error in the test itself must not pass unseen
            with self.ledger.lock:
                self.ledger.unexpected.append(f"{self.name}: {exc!r}")

    def new_key(self) -> str:
        self.seq += 1
        return f"r1-{self.n}-{self.seq:06d}-{secrets.token_hex(4)}"

    def content(self, key: str) -> tuple[int, str, dict]:
        score = self.rng.randint(1, 5)
        answers = {c: self.rng.random() < 0.8 for c in self.rng.sample(CONDUCT, 4)}
        return score, f"Kiểm thử R1 {key}", answers

    def attempt(self, method: str, path: str, **kwargs):
        """One request; None when the server did not answer (killed, restarting)."""
        try:
            response = self.session.request(
                method, self.server.url + path, timeout=(3, 20), **kwargs
            )
        except requests.RequestException:
            self.ledger.note("no answer")
            return None
        self.ledger.note(str(response.status_code))
        return response

    def until_acknowledged(self, send) -> None:
        """Retry ``send`` (True: acknowledged or given up on) until the drain deadline."""
        tries = 0
        while time.monotonic() < self.ledger.drain_by:
            tries += 1
            if send():
                if tries > 1:
                    self.ledger.note("acknowledged after a retry")
                return
            time.sleep(min(1.0, 0.05 * 2**tries) * self.rng.uniform(0.5, 1.0))  # back off
        with self.ledger.lock:
            self.ledger.unexpected.append(f"{self.name}: not acknowledged before the deadline")

    def csrf(self) -> str:
        while not self.session.cookies.get("csrftoken"):
            desk = self.seeded["desks"][0]
            response = self.attempt("GET", f"/d/{desk['token']}/")
            if response is None or response.status_code != 200:
                time.sleep(0.2)
            if time.monotonic() > self.ledger.drain_by:
                raise RuntimeError("no CSRF cookie")
        return self.session.cookies["csrftoken"]

    def send_form(self) -> None:
        key = self.new_key()
        score, reason, answers = self.content(key)
        if self.last is not None and self.rng.random() < 0.15:
            headers, desk = self.last  # the same phone rates the same desk again: flagged
        else:
            self.phone += 1
            p = self.phone
            headers = {
                "X-Forwarded-For": f"10.{self.n}.{p // 256 % 256}.{p % 256}",
                "User-Agent": f"R1Phone/{self.n}-{p}",
            }
            desk = self.rng.choice(self.seeded["desks"])
        self.last = (headers, desk)
        form = {
            "csrfmiddlewaretoken": self.csrf(),
            "khoa": key,
            "diem": str(score),
            "ly_do": reason,
            **{f"hv_{c}": "1" if v else "0" for c, v in answers.items()},
        }
        sent = Sent(key, "form", score, reason, desk, form, headers)
        with self.ledger.lock:
            self.ledger.sent[key] = sent

        def send() -> bool:
            response = self.attempt("POST", f"/d/{desk['token']}/", data=form, headers=headers)
            if response is None or response.status_code in RETRY:
                return False
            if response.status_code == 200 and THANKS in response.text:
                with self.ledger.lock:
                    self.ledger.acked[key] = _card(response.text)
                return True
            with self.ledger.lock:
                self.ledger.unexpected.append(
                    f"form {key}: {response.status_code} {response.text[:300]!r}"
                )
            return True  # a refusal of a sound rating is a failure, not something to retry

        self.until_acknowledged(send)

    def send_batch(self) -> None:
        items = []
        for _ in range(self.rng.randint(5, 40)):
            key = self.new_key()
            score, reason, answers = self.content(key)
            desk = self.rng.choice(self.seeded["desks"]) if self.rng.random() < 0.5 else None
            where = (
                {"desk": desk["id"]} if desk else {"unit": self.rng.choice(self.seeded["units"])}
            )
            item = {"id": key, "score": score, "reason": reason, "conduct": answers, **where}
            items.append(item)
            with self.ledger.lock:
                self.ledger.sent[key] = Sent(key, "api", score, reason, desk, item=item)
        auth = {"Authorization": f"Bearer {self.seeded['api_token']}"}

        def send() -> bool:
            response = self.attempt(
                "POST", "/api/v1/ratings", json={"ratings": items}, headers=auth
            )
            if response is None or response.status_code in RETRY:
                return False
            if response.status_code != 200:
                with self.ledger.lock:
                    self.ledger.unexpected.append(
                        f"api: {response.status_code} {response.text[:300]!r}"
                    )
                return True
            with self.ledger.lock:
                for result in response.json()["results"]:
                    self.ledger.outcomes[f"api {result['status']}"] += 1
                    if result["status"] in ("created", "existing"):
                        self.ledger.acked[result["id"]] = result["rating_id"]
                    else:
                        self.ledger.unexpected.append(f"api item refused: {result}")
            return True

        self.until_acknowledged(send)


# --- The killer ---------------------------------------------------------------------------


class Killer(threading.Thread):
    """Runs the engine's PLAN: each step waits until the app answers again, a random 0.5–2 s
    more (requests are then in flight), and kills: one or two workers, the whole server
    (then started again), or (PostgreSQL) a backend serving the app."""

    def __init__(self, server: Server, db: AppDatabase):
        super().__init__(name="r1-killer", daemon=True)
        self.server, self.db = server, db
        self.rng = random.Random(1)
        self.kills: Counter = Counter()
        self.log: list[str] = []  # when each kill happened and how long recovery took
        self.error: BaseException | None = None

    def run(self) -> None:
        try:
            self._run()
        except BaseException as exc:
            self.error = exc

    def _run(self) -> None:
        started = time.monotonic()
        for step in PLAN[self.db.engine]:
            waited = time.monotonic()
            self.server.wait_ready()
            time.sleep(self.rng.uniform(0.5, 2.0))
            self.log.append(
                f"{time.monotonic() - started:.1f} s: {step} (up again after "
                f"{time.monotonic() - waited:.1f} s)"
            )
            if step == "server":
                self.server.crash_and_restart()
                self.kills["server"] += 1
            elif step == "backend":
                self.kills["backends"] += self.kill_backend()
            else:
                self.kills["workers"] += self.server.kill_workers(
                    2 if self.rng.random() < 0.25 else 1
                )
        self.server.wait_ready()

    def kill_backend(self) -> int:
        """kill -9 one backend serving the app: the postmaster resets every session and
        recovers from the WAL. Waits until the server accepts connections again."""
        for _ in range(50):
            pids = [
                row[0]
                for row in self.db.admin(
                    "SELECT pid FROM pg_stat_activity WHERE datname = %s "
                    "AND backend_type = 'client backend'",
                    (self.db.name,),
                )
            ]
            if pids:
                break
            time.sleep(0.1)
        else:
            return 0
        os.kill(self.rng.choice(pids), signal.SIGKILL)
        time.sleep(0.5)
        self.db.wait_until_up()
        return 1


# --- Checks afterwards --------------------------------------------------------------------


def post_form(server: Server, sent: Sent, form: dict) -> requests.Response:
    """The form as the same phone posts it again (its CSRF cookie included)."""
    cookie = {"Cookie": f"csrftoken={sent.form['csrfmiddlewaretoken']}"}
    return requests.post(
        f"{server.url}/d/{sent.desk['token']}/",
        data=form,
        headers={**sent.headers, **cookie},
        timeout=20,
    )


def replay_forms(server: Server, ledger: Ledger, keys: list[str]) -> None:
    for key in keys:
        sent = ledger.sent[key]
        response = post_form(server, sent, sent.form)
        assert response.status_code == 200 and THANKS in response.text, (key, response.text[:500])
        assert _card(response.text) == ledger.acked[key], key  # the same rating, same answer


def refuse_changed_forms(server: Server, ledger: Ledger, keys: list[str]) -> None:
    for key in keys:
        sent = ledger.sent[key]
        response = post_form(server, sent, {**sent.form, "diem": str(sent.score % 5 + 1)})
        assert response.status_code == 409, (key, response.status_code)
        assert REUSED in response.text and THANKS not in response.text


def push(server: Server, seeded: dict, items: list[dict]) -> list[dict]:
    response = requests.post(
        f"{server.url}/api/v1/ratings",
        json={"ratings": items},
        timeout=60,
        headers={"Authorization": f"Bearer {seeded['api_token']}"},
    )
    assert response.status_code == 200, response.text[:500]
    return response.json()["results"]


def replay_api(server: Server, seeded: dict, ledger: Ledger, keys: list[str]) -> None:
    for start in range(0, len(keys), 500):
        part = keys[start : start + 500]
        results = push(server, seeded, [ledger.sent[k].item for k in part])
        assert [(r["id"], r["status"], r["rating_id"]) for r in results] == [
            (k, "existing", ledger.acked[k]) for k in part
        ]


def refuse_changed_api(server: Server, seeded: dict, ledger: Ledger, keys: list[str]) -> None:
    changed = [{**ledger.sent[k].item, "score": ledger.sent[k].score % 5 + 1} for k in keys]
    for result in push(server, seeded, changed):
        assert result["status"] == "rejected" and result["rating_id"] is None, result
        assert any(REUSED in e for e in result["errors"]), result


def stored_ratings(db: AppDatabase) -> list[dict]:
    from congvu.ratings.models import Rating

    columns = [
        "id",
        "key",
        "source",
        "score",
        "reason",
        "desk_id",
        "unit_id",
        "staff_id",
        "day",
        "status",
        "conduct_yes",
        "conduct_no",
    ]
    rows = db.query(f"SELECT {', '.join(columns)} FROM {Rating._meta.db_table}")  # noqa: S608
    return [dict(zip(columns, row, strict=True)) for row in rows]


def check_tallies(db: AppDatabase, ratings: list[dict]) -> int:
    """The tally table equals a recomputation from the counted rows (R5)."""
    from congvu.ratings import rules
    from congvu.ratings.models import TALLY_COLUMNS, RatingTally
    from congvu.ratings.tallies import keys_of

    expected: dict[tuple, rules.Tally] = defaultdict(rules.Tally)
    for r in ratings:
        if r["status"] != "counted":
            continue
        one = rules.Tally.of(r["score"], r["conduct_yes"], r["conduct_no"])
        day = date.fromisoformat(str(r["day"]))
        for grain, level, key_id, period in keys_of(
            desk_id=r["desk_id"], unit_id=r["unit_id"], staff_id=r["staff_id"], day=day
        ):
            expected[(str(grain), str(level), key_id, period.isoformat())] += one
    want = {k: (t.n, t.score_sum, *t.stars, *t.yes, *t.no) for k, t in expected.items()}
    rows = db.query(
        f"SELECT grain, level, key_id, period, {', '.join(TALLY_COLUMNS)} "  # noqa: S608
        f"FROM {RatingTally._meta.db_table}"
    )
    have = {(g, lv, k, str(p)): tuple(v) for g, lv, k, p, *v in rows if any(v)}
    assert have == want
    return len(want)


# --- The test -----------------------------------------------------------------------------


def test_nothing_acknowledged_is_lost_when_workers_and_the_database_are_killed():
    with AppDatabase.fresh() as db:
        try:
            _run(db)
        finally:
            if db.engine == "postgres":
                db.wait_until_up()
                from django.db import connections

                connections.close_all()  # this process's sessions were reset too


def _run(db: AppDatabase) -> None:
    started = time.monotonic()
    seeded = seed(db)
    server = Server(db)
    server.start()
    ledger = Ledger()
    try:
        clients = [Client(n, server, seeded, ledger) for n in range(CLIENTS)]
        killer = Killer(server, db)
        ingest_from = time.monotonic()
        for thread in [*clients, killer]:
            thread.start()
        killer.join(timeout=KILLER_SECONDS)
        time.sleep(max(0.0, INGEST_SECONDS - (time.monotonic() - ingest_from)))
        ledger.stop(DRAIN_SECONDS)
        for client in clients:
            client.join(timeout=DRAIN_SECONDS + 30)
        assert not killer.is_alive() and killer.error is None, (repr(killer.error), killer.log)
        assert not ledger.unexpected, ledger.unexpected[:10]
        assert ledger.outcomes["500"] == 0, "a crash must answer 503 (R2), not 500"
        assert set(ledger.acked) == set(ledger.sent), "sent but never acknowledged"
        plan = Counter(PLAN[db.engine])
        kills = killer.kills
        assert kills["workers"] >= plan["worker"] and kills["server"] == plan["server"], kills
        assert kills["backends"] == plan["backend"], (kills, killer.log)
        assert ledger.outcomes["no answer"] + sum(ledger.outcomes[str(s)] for s in RETRY) > 0, (
            "no request was ever cut off: the kills tested nothing"
        )
        forms = [k for k, s in ledger.sent.items() if s.kind == "form"]
        apis = [k for k, s in ledger.sent.items() if s.kind == "api"]
        assert len(forms) >= 10 and len(apis) >= 10, (len(forms), len(apis), ledger.outcomes)

        rng = random.Random(2)
        replay_forms(server, ledger, rng.sample(forms, min(100, len(forms))))
        refuse_changed_forms(server, ledger, rng.sample(forms, 10))
        replay_api(server, seeded, ledger, apis)
        refuse_changed_api(server, seeded, ledger, rng.sample(apis, 10))
    finally:
        ledger.stop(0)
        server.stop()

    ratings = stored_ratings(db)
    by_key = Counter(r["key"] for r in ratings)
    assert max(by_key.values()) == 1
    assert max(Counter(r["reason"] for r in ratings).values()) == 1  # no copy under another key
    prefix = {"form": "qr:", "api": f"api:{seeded['api_user_id']}:"}
    expected_keys = {prefix[s.kind] + k for k, s in ledger.sent.items()}
    assert set(by_key) == expected_keys  # every acknowledged key stored; nothing unsent stored
    desks = {d["id"]: d for d in seeded["desks"]}
    for r in ratings:
        key = r["key"].split(":")[-1]
        sent = ledger.sent[key]
        assert (r["source"], r["score"], r["reason"]) == (
            "qr" if sent.kind == "form" else "api",
            sent.score,
            sent.reason,
        ), r
        if sent.kind == "api":
            assert r["id"] == ledger.acked[key]
        if sent.desk is not None:
            assert desks[r["desk_id"]]["token"] == sent.desk["token"]
    statuses = Counter(r["status"] for r in ratings)
    assert statuses["flagged"] > 0 and statuses["counted"] > 0, statuses
    tally_rows = check_tallies(db, ratings)
    if db.engine == "sqlite":
        assert db.query("PRAGMA integrity_check") == [("ok",)]
        assert db.query("PRAGMA foreign_key_check") == []
    print(
        f"\nR1 {db.engine}: {len(ledger.acked)} acknowledged ({len(forms)} form, {len(apis)} API)"
        f", {len(ratings)} stored {dict(statuses)}, {tally_rows} tally rows; kills "
        f"{dict(killer.kills)}; answers {dict(ledger.outcomes)}; "
        f"{time.monotonic() - started:.0f} s"
    )
