"""R3 (QUALITY.md): a rolling restart under load fails no request.

The real app runs under gunicorn (2 sync workers, ``--graceful-timeout 30`` as in
production) on a database of its own, seeded like R1's (served_app.py, r1_seed.py). Client
threads keep up a steady load of posts, each with a unique key and each sent once, never
retried: ratings through the public QR form (POST /d/<token>/ with the CSRF token, the key
in ``khoa``), batches of ratings through the one-stop API (POST /api/v1/ratings) and
misconduct reports through the public form (POST /phan-anh/gui/, the key in ``khoa``).
Meanwhile the test restarts the app the way a deployment does: SIGHUP to the gunicorn
master (it reloads: new workers load the app, the old ones get SIGTERM, finish the request
in hand and exit) and SIGTERM to one worker (it finishes its request and exits; the master
starts another) — twice each, every time once the previous restart is over.

Why nothing fails: the master keeps the listening socket through all of this, so a
connection made while no worker is free waits in the kernel's accept queue until one is;
SIGTERM to a sync worker only stops its loop after the request in hand, whose answer is
sent first; and a sync worker closes every connection after its answer, so no client ever
reuses a kept-alive connection that a stopping worker closes. (SIGQUIT or SIGINT to a
worker, SIGKILL, or stopping the master would cut requests off: R1 covers those with
idempotent retries.) The served settings (r3_settings.py) hold each POST's answer 0.15 s
after its commit, so signals land on requests in flight, and name the answering worker.

Afterwards: no request failed (no connection error, no timeout, no 5xx, no refusal); some
were in flight at each signal and signalled workers answered requests after their signal;
every acknowledged post is stored exactly once, with what was sent, and nothing else.
"""

from __future__ import annotations

import os
import random
import secrets
import signal
import threading
import time
from collections import Counter
from dataclasses import dataclass, field

import pytest
import requests
from served_app import AppDatabase, Server, alive, seed

pytestmark = pytest.mark.e2e

CLIENTS = 6  # busy threads against 2 workers: requests are always queued or in flight
PLAN = ("reload", "worker", "reload", "worker")
STEADY_SECONDS = 2.0  # load before the first step and after the last
RESTART_SECONDS = 60  # each step must be over by then: old workers gone, new ones answering
TIMEOUT = (10, 60)  # connect, read: a request may wait while the new workers load the app
THANKS = "Cảm ơn bạn đã đánh giá!"
CONDUCT = ("chao", "xin_loi", "cam_on", "lang_nghe", "giup_do", "khong_hach_dich")


@dataclass
class Answer:
    kind: str  # "form" | "api" | "report" | "csrf" (the first GET) | "client" (a test error)
    started: float
    ended: float
    pid: int  # the worker that answered (0: no answer)
    problem: str = ""  # empty when the post was acknowledged


@dataclass
class Ledger:
    """What the clients sent, what was acknowledged, every request's answer."""

    sent: dict[str, dict] = field(default_factory=dict)  # key -> kind and what was sent
    acked: dict[str, object] = field(default_factory=dict)  # key -> True, or the rating id
    answers: list[Answer] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)
    stopping: threading.Event = field(default_factory=threading.Event)

    def pids_since(self, moment: float) -> set[int]:
        """Workers that answered a request sent after ``moment``."""
        with self.lock:
            return {a.pid for a in self.answers if a.started > moment and not a.problem}

    def failures(self) -> list[Answer]:
        return [a for a in self.answers if a.problem]


class Client(threading.Thread):
    """One simulated stream of posts: phones at the desks, a one-stop system, citizens
    reporting misconduct. Each post is sent once; anything but its acknowledgement fails."""

    def __init__(self, n: int, server: Server, seeded: dict, category: str, ledger: Ledger):
        super().__init__(name=f"r3-client-{n}", daemon=True)
        self.n, self.server, self.seeded, self.ledger = n, server, seeded, ledger
        self.category = category
        self.rng = random.Random(n)
        self.session = requests.Session()
        self.seq = 0

    def run(self) -> None:
        try:
            self.request("csrf", "GET", f"/d/{self.seeded['desks'][0]['token']}/")
            while not self.ledger.stopping.is_set():
                roll = self.rng.random()
                if roll < 0.6:
                    self.send_form()
                elif roll < 0.85:
                    self.send_batch()
                else:
                    self.send_report()
        except Exception as exc:  # an error in the test itself must not pass unseen
            now = time.monotonic()
            with self.ledger.lock:
                self.ledger.answers.append(Answer("client", now, now, 0, f"{self.name}: {exc!r}"))

    def new_key(self) -> str:
        self.seq += 1
        return f"r3-{self.n}-{self.seq:05d}-{secrets.token_hex(4)}"

    def phone(self) -> dict[str, str]:
        """A new phone: its own address (as the reverse proxy passes it) and browser."""
        return {
            "X-Forwarded-For": f"10.{self.n}.{self.seq // 256 % 256}.{self.seq % 256}",
            "User-Agent": f"R3Phone/{self.n}-{self.seq}",
        }

    def request(self, kind: str, method: str, path: str, check=None, **kwargs) -> None:
        """Send once; record the answer, and a problem unless ``check`` accepts it."""
        started = time.monotonic()
        try:
            response = self.session.request(
                method, self.server.url + path, timeout=TIMEOUT, **kwargs
            )
        except requests.RequestException as exc:
            answer = Answer(kind, started, time.monotonic(), 0, f"no answer: {exc!r}")
        else:
            pid = int(response.headers.get("X-Worker-Pid", 0))
            problem = "" if response.ok else f"{response.status_code} {response.text[:300]!r}"
            if not problem and check is not None:
                problem = check(response)
            answer = Answer(kind, started, time.monotonic(), pid, problem)
        with self.ledger.lock:
            self.ledger.answers.append(answer)

    def send_form(self) -> None:
        key = self.new_key()
        desk = self.rng.choice(self.seeded["desks"])
        score, reason = self.rng.randint(1, 5), f"Kiểm thử R3 {key}"
        form = {
            "csrfmiddlewaretoken": self.session.cookies["csrftoken"],
            "khoa": key,
            "diem": str(score),
            "ly_do": reason,
            **{f"hv_{c}": str(self.rng.randint(0, 1)) for c in CONDUCT},
        }
        with self.ledger.lock:
            self.ledger.sent[key] = {
                "kind": "form",
                "score": score,
                "reason": reason,
                "desk": desk["id"],
            }

        def check(response: requests.Response) -> str:
            if response.status_code != 200 or THANKS not in response.text:
                return f"form {key}: {response.status_code} {response.text[:300]!r}"
            with self.ledger.lock:
                self.ledger.acked[key] = True
            return ""

        self.request("form", "POST", f"/d/{desk['token']}/", check, data=form, headers=self.phone())

    def send_batch(self) -> None:
        items = []
        for _ in range(self.rng.randint(3, 15)):
            key = self.new_key()
            score, reason = self.rng.randint(1, 5), f"Kiểm thử R3 {key}"
            item = {
                "id": key,
                "score": score,
                "reason": reason,
                "conduct": {c: self.rng.random() < 0.8 for c in CONDUCT[:3]},
                "unit": self.rng.choice(self.seeded["units"]),
            }
            items.append(item)
            with self.ledger.lock:
                self.ledger.sent[key] = {"kind": "api", "score": score, "reason": reason}

        def check(response: requests.Response) -> str:
            results = response.json()["results"]
            if [(r["id"], r["status"]) for r in results] != [(i["id"], "created") for i in items]:
                return f"api: {results!r:.500}"
            with self.ledger.lock:
                for result in results:
                    self.ledger.acked[result["id"]] = result["rating_id"]
            return ""

        auth = {"Authorization": f"Bearer {self.seeded['api_token']}"}
        self.request("api", "POST", "/api/v1/ratings", check, json={"ratings": items}, headers=auth)

    def send_report(self) -> None:
        key = self.new_key().replace("-", "_")  # the form's keys: [A-Za-z0-9_-]{16,64}
        description = f"Kiểm thử R3: cán bộ hẹn lại nhiều lần không rõ lý do ({key})."
        # A day well in the past wherever the test runs (the app's today is in Hanoi).
        day = time.localtime(time.time() - 3 * 86400)
        form = {
            "csrfmiddlewaretoken": self.session.cookies["csrftoken"],
            "khoa": key,
            "don_vi": self.rng.choice(self.seeded["units"]),
            "nhom": self.category,
            "ngay": time.strftime("%d/%m/%Y", day),
            "noi_dung": description,
            "an_danh": "1",
        }
        with self.ledger.lock:
            self.ledger.sent[key] = {
                "kind": "report",
                "description": description,
                "unit": form["don_vi"],
            }

        def check(response: requests.Response) -> str:
            if response.status_code != 201:
                return f"report {key}: {response.status_code} {response.text[:300]!r}"
            with self.ledger.lock:
                self.ledger.acked[key] = True
            return ""

        self.request("report", "POST", "/phan-anh/gui/", check, data=form, headers=self.phone())


# --- The restarts -------------------------------------------------------------------------


@dataclass
class Step:
    name: str  # "reload" | "worker"
    at: float  # when the signal was sent
    signalled: set[int]  # the workers told to stop
    took: float = 0.0  # until they were gone and every new worker had answered


def restart(step: str, server: Server, ledger: Ledger, rng: random.Random) -> Step:
    """Send the step's signal while requests are in flight; wait until the restart is over:
    the signalled workers have exited and each of the 2 workers now running has answered."""
    time.sleep(rng.uniform(1.0, 2.0))
    workers = set(server.workers())
    assert len(workers) == 2, workers
    if step == "reload":
        done = Step(step, time.monotonic(), workers)
        os.kill(server.proc.pid, signal.SIGHUP)  # graceful reload by the master
    else:
        victim = rng.choice(sorted(workers))
        done = Step(step, time.monotonic(), {victim})
        os.kill(victim, signal.SIGTERM)  # graceful stop of one worker
    deadline = done.at + RESTART_SECONDS
    while True:
        now = set(server.workers())
        if (
            len(now) == 2
            and not now & done.signalled
            and not any(alive(pid) for pid in done.signalled)
            and now <= ledger.pids_since(done.at)
        ):
            done.took = time.monotonic() - done.at
            return done
        assert time.monotonic() < deadline, f"{step}: not over in time\n{server.log_tail()}"
        time.sleep(0.1)


# --- Checks afterwards --------------------------------------------------------------------


def stored(db: AppDatabase) -> tuple[list[tuple], list[tuple]]:
    from congvu.feedback.models import Report
    from congvu.ratings.models import Rating

    ratings = db.query(
        f"SELECT id, key, source, score, reason FROM {Rating._meta.db_table}"  # noqa: S608
    )
    reports = db.query(f"SELECT form_key, description FROM {Report._meta.db_table}")  # noqa: S608
    return ratings, reports


def report_category() -> str:
    from django.utils import timezone

    from congvu.feedback import categories

    return categories.in_force(timezone.localdate()).items[0].id  # as the app checks it


# --- The test -----------------------------------------------------------------------------


def test_a_rolling_restart_under_load_fails_no_request_and_stores_each_post_once():
    with AppDatabase.fresh("r3", settings="r3_settings") as db:
        _run(db)


def _run(db: AppDatabase) -> None:
    began = time.monotonic()
    seeded = seed(db)
    server = Server(db, graceful_timeout=30)
    server.start()
    ledger = Ledger()
    steps: list[Step] = []
    try:
        server.wait_ready()
        category = report_category()
        clients = [Client(n, server, seeded, category, ledger) for n in range(CLIENTS)]
        for client in clients:
            client.start()
        time.sleep(STEADY_SECONDS)
        rng = random.Random(3)
        for step in PLAN:
            steps.append(restart(step, server, ledger, rng))
        time.sleep(STEADY_SECONDS)
        ledger.stopping.set()  # each client finishes the request in hand
        for client in clients:
            client.join(timeout=TIMEOUT[0] + TIMEOUT[1] + 10)
        assert not any(client.is_alive() for client in clients)
    finally:
        ledger.stopping.set()
        server.stop()

    failures = ledger.failures()
    kinds = Counter(a.kind for a in ledger.answers)
    assert not failures, (
        f"{len(failures)} of {len(ledger.answers)} requests failed",
        [a.problem for a in failures[:10]],
    )
    assert kinds["form"] >= 20 and kinds["api"] >= 5 and kinds["report"] >= 5, kinds
    in_flight = [sum(a.started < s.at < a.ended for a in ledger.answers) for s in steps]
    assert all(in_flight), ("a signal found no request in flight", in_flight)
    finished = [sum(a.pid in s.signalled and a.ended > s.at for a in ledger.answers) for s in steps]
    assert sum(finished) > 0, "no signalled worker answered after its signal: nothing tested"

    ratings, reports = stored(db)
    by_kind = Counter(s["kind"] for s in ledger.sent.values())
    assert set(ledger.acked) == set(ledger.sent)  # every post sent was acknowledged
    prefix = {"form": "qr:", "api": f"api:{seeded['api_user_id']}:"}
    rating_keys = Counter(r[1] for r in ratings)
    expected = {prefix[s["kind"]] + k for k, s in ledger.sent.items() if s["kind"] in prefix}
    assert set(rating_keys) == expected and max(rating_keys.values()) == 1
    for rating_id, key, source, score, reason in ratings:
        sent_key = key.split(":")[-1]
        sent = ledger.sent[sent_key]
        assert (source, score, reason) == (
            "qr" if sent["kind"] == "form" else "api",
            sent["score"],
            sent["reason"],
        )
        if sent["kind"] == "api":
            assert rating_id == ledger.acked[sent_key]
    report_keys = Counter(r[0] for r in reports)
    assert set(report_keys) == {k for k, s in ledger.sent.items() if s["kind"] == "report"}
    assert max(report_keys.values()) == 1
    assert all(ledger.sent[key]["description"] == text for key, text in reports)

    slowest = max(a.ended - a.started for a in ledger.answers)
    print(
        f"\nR3 {db.engine}: {len(ledger.answers)} requests {dict(kinds)}, 0 failed; "
        f"{len(ledger.acked)} posts acknowledged {dict(by_kind)}, {len(ratings)} ratings and "
        f"{len(reports)} reports stored, each once; steps "
        + ", ".join(
            f"{s.name} over in {s.took:.1f} s ({n} in flight, {f} answered after the signal "
            f"by signalled workers)"
            for s, n, f in zip(steps, in_flight, finished, strict=True)
        )
        + f"; slowest answer {slowest:.1f} s; {time.monotonic() - began:.0f} s"
    )
