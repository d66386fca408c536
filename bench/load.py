"""A small HTTP load driver: one connection per request.

gunicorn's sync workers close the connection after each response, so every request
opens a new TCP connection, as a browser without keep-alive would. The client runs on
the same machine as the server: it takes CPU from it, equally for the baseline.

``drive``: closed-loop GETs from Python threads. ``closed_loop`` and ``open_loop``: any
request (POSTs), from one asyncio loop (less client CPU than threads); the open loop
sends each request at its scheduled time whatever the server does and measures from
that time, so that queueing counts in the latency.
"""

import asyncio
import http.client
import itertools
import re
import threading
import time
import urllib.parse
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from http.cookies import SimpleCookie


@dataclass
class LoadResult:
    latencies_ms: list[float] = field(default_factory=list)
    ok: int = 0
    errors: int = 0
    seconds: float = 0.0
    statuses: Counter = field(default_factory=Counter)
    ok_ids: list[int] = field(default_factory=list)  # closed_loop/open_loop: request numbers

    @property
    def rps(self) -> float:
        return self.ok / self.seconds if self.seconds else 0.0


def _cookies(response: http.client.HTTPResponse, jar: dict[str, str]) -> None:
    for header in response.headers.get_all("Set-Cookie") or []:
        for name, morsel in SimpleCookie(header).items():
            jar[name] = morsel.value


def _cookie_header(jar: dict[str, str]) -> str:
    return "; ".join(f"{k}={v}" for k, v in jar.items())


def login(port: int, username: str, password: str, path: str = "/tai-khoan/dang-nhap/") -> str:
    """Sign in through the real login form; returns the Cookie header to send."""
    jar: dict[str, str] = {}
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    conn.request("GET", path)
    response = conn.getresponse()
    page = response.read().decode()
    _cookies(response, jar)
    conn.close()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    if token is None:
        raise RuntimeError("no CSRF token on the login page")
    body = urllib.parse.urlencode(
        {"username": username, "password": password, "csrfmiddlewaretoken": token.group(1)}
    )
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    conn.request(
        "POST",
        path,
        body=body,
        headers={
            "Content-Type": "application/x-www-form-urlencoded",
            "Cookie": _cookie_header(jar),
            "Referer": f"http://127.0.0.1:{port}{path}",
        },
    )
    response = conn.getresponse()
    response.read()
    _cookies(response, jar)
    conn.close()
    if response.status != 302 or "sessionid" not in jar:
        raise RuntimeError(f"login as {username} failed: HTTP {response.status}")
    return _cookie_header(jar)


def drive(
    port: int,
    path: str,
    *,
    cookie: str = "",
    concurrency: int = 4,
    duration: float = 10.0,
    expect: bytes = b"",
) -> LoadResult:
    """``concurrency`` clients GET ``path`` back to back for ``duration`` seconds.

    A response counts as ok when it is 200 and contains ``expect``.
    """
    result = LoadResult()
    lock = threading.Lock()
    start = threading.Barrier(concurrency + 1)
    headers = {"Cookie": cookie} if cookie else {}
    deadline = 0.0

    def client() -> None:
        start.wait()
        local: list[tuple[float, int, bool]] = []
        while time.perf_counter() < deadline:
            began = time.perf_counter()
            try:
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
                conn.request("GET", path, headers=headers)
                response = conn.getresponse()
                body = response.read()
                conn.close()
                status, good = response.status, response.status == 200 and expect in body
            except OSError:
                status, good = 0, False
            local.append(((time.perf_counter() - began) * 1000, status, good))
        with lock:
            for latency, status, good in local:
                result.latencies_ms.append(latency)
                result.statuses[status] += 1
                if good:
                    result.ok += 1
                else:
                    result.errors += 1

    threads = [threading.Thread(target=client) for _ in range(concurrency)]
    for thread in threads:
        thread.start()
    began = time.perf_counter()
    deadline = began + duration
    start.wait()
    for thread in threads:
        thread.join()
    result.seconds = time.perf_counter() - began
    return result


# --- Raw HTTP from asyncio: closed and open loop ----------------------------------------


def raw_request(method: str, path: str, *, body: bytes = b"", headers: dict | None = None) -> bytes:
    """An HTTP/1.1 request with ``Connection: close``, as bytes."""
    lines = [f"{method} {path} HTTP/1.1", "Host: 127.0.0.1", "Connection: close"]
    if body or method == "POST":
        lines.append(f"Content-Length: {len(body)}")
    lines += [f"{name}: {value}" for name, value in (headers or {}).items()]
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + body


async def _exchange(port: int, raw: bytes, timeout: float) -> tuple[int, bytes]:
    reader, writer = await asyncio.wait_for(asyncio.open_connection("127.0.0.1", port), timeout)
    try:
        writer.write(raw)
        await writer.drain()
        data = await asyncio.wait_for(reader.read(), timeout)
    finally:
        writer.close()
    head, _, body = data.partition(b"\r\n\r\n")
    status = int(head[9:12]) if head.startswith(b"HTTP/1.") and len(head) >= 12 else 0
    return status, body


Judge = Callable[[int, bytes], bool]
"""(status, body) → whether the response is the expected success."""


def _note(result: LoadResult, i: int, latency_ms: float, status: int, good: bool) -> None:
    result.latencies_ms.append(latency_ms)
    result.statuses[status] += 1
    if good:
        result.ok += 1
        result.ok_ids.append(i)
    else:
        result.errors += 1


def closed_loop(
    port: int,
    make: Callable[[int], bytes],
    *,
    judge: Judge,
    concurrency: int = 4,
    duration: float = 10.0,
    start: int = 0,
    timeout: float = 60.0,
) -> LoadResult:
    """``concurrency`` clients send ``make(i)`` (i = start, start+1, …) back to back for
    ``duration`` seconds; latency from send to the end of the response."""

    async def run() -> LoadResult:
        result = LoadResult()
        numbers = itertools.count(start)
        loop = asyncio.get_running_loop()
        began = loop.time()
        deadline = began + duration

        async def client() -> None:
            while loop.time() < deadline:
                i = next(numbers)
                raw = make(i)
                sent = loop.time()
                try:
                    status, body = await _exchange(port, raw, timeout)
                except (OSError, TimeoutError):
                    status, body = 0, b""
                _note(result, i, (loop.time() - sent) * 1000, status, judge(status, body))

        await asyncio.gather(*(client() for _ in range(concurrency)))
        result.seconds = loop.time() - began
        return result

    return asyncio.run(run())


def open_loop(
    port: int,
    make: Callable[[int], bytes],
    *,
    judge: Judge,
    rate: float = 50.0,
    duration: float = 10.0,
    start: int = 0,
    timeout: float = 60.0,
) -> LoadResult:
    """``rate`` requests per second for ``duration`` seconds, request i sent at
    ``i / rate`` whatever the answers; latency from that scheduled time (so a late
    send or a queue in the server counts) to the end of the response."""

    async def run() -> LoadResult:
        result = LoadResult()
        loop = asyncio.get_running_loop()
        count = int(rate * duration)
        requests = [make(start + k) for k in range(count)]  # built before the clock starts
        began = loop.time() + 0.1

        async def one(k: int) -> None:
            at = began + k / rate
            await asyncio.sleep(max(0.0, at - loop.time()))
            try:
                status, body = await _exchange(port, requests[k], timeout)
            except (OSError, TimeoutError):
                status, body = 0, b""
            _note(result, start + k, (loop.time() - at) * 1000, status, judge(status, body))

        await asyncio.gather(*(one(k) for k in range(count)))
        result.seconds = loop.time() - began
        return result

    return asyncio.run(run())
