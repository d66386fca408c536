"""A small closed-loop HTTP load driver: Python threads, one connection per request.

gunicorn's sync workers close the connection after each response, so every request
opens a new TCP connection, as a browser without keep-alive would. The client runs on
the same machine as the server: it takes CPU from it, equally for the baseline.
"""

import http.client
import re
import threading
import time
import urllib.parse
from collections import Counter
from dataclasses import dataclass, field
from http.cookies import SimpleCookie


@dataclass
class LoadResult:
    latencies_ms: list[float] = field(default_factory=list)
    ok: int = 0
    errors: int = 0
    seconds: float = 0.0
    statuses: Counter = field(default_factory=Counter)

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
