"""Rate limits of the public report pages: fixed windows counted in the cache.

With Redis (production) every worker shares the counters; with the local-memory cache of the
embedded mode each process counts alone, which still bounds one client per process. Clients are
told apart by address: mobile networks put many people behind one address, so the limits are
generous and aimed at scripts, not at people (QUALITY.md S2).
"""

import hashlib
import time

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest

DEFAULTS = {
    "submit": (20, 3600),  # reports filed per client per hour
    "lookup": (60, 600),  # tracking-code lookups per client per 10 minutes
    "lookup_failed": (15, 600),  # unknown or mistyped codes per client per 10 minutes
}


def client_key(request: HttpRequest) -> str:
    """A short hash of the client address (no raw address is kept in the cache or logs)."""
    address = request.META.get("REMOTE_ADDR", "") or "unknown"
    return hashlib.sha256(f"{settings.SECRET_KEY[:16]}:{address}".encode()).hexdigest()[:16]


def limit_of(name: str) -> tuple[int, int]:
    return getattr(settings, "REPORTS_RATE_LIMITS", {}).get(name, DEFAULTS[name])


def _key(name: str, client: str) -> str:
    _, window = limit_of(name)
    return f"congvu:rl:{name}:{client}:{int(time.time() // window)}"


def exceeded(name: str, client: str) -> bool:
    """True when ``client`` has used up ``name`` in this window (nothing is counted)."""
    limit, _ = limit_of(name)
    return (cache.get(_key(name, client)) or 0) >= limit


def count(name: str, client: str) -> None:
    _, window = limit_of(name)
    key = _key(name, client)
    cache.add(key, 0, window)
    try:
        cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, window)
