"""Rate limits of the public report pages: fixed windows counted in the database
(congvu.core.ratelimit), so every worker shares the counters with or without Redis.

Clients are told apart by address (the reverse proxy's CLIENT_IP_HEADER when set): mobile
networks put many people behind one address, so the limits are generous and aimed at
scripts, not at people (QUALITY.md S2). Filings that carry files have a lower limit of their
own: every photo is decoded and encoded again, which costs CPU time a script could pile up
(QUALITY.md S5).
"""

from django.conf import settings
from django.http import HttpRequest

from congvu.core import ratelimit

DEFAULTS = {
    "submit": (20, 3600),  # reports filed per client per hour
    "submit_files": (5, 3600),  # of them, filings with files (refused files count too)
    "lookup": (60, 600),  # tracking-code lookups per client per 10 minutes
    "lookup_failed": (15, 600),  # unknown or mistyped codes per client per 10 minutes
}


def client_key(request: HttpRequest) -> str:
    """A keyed hash of the client address (no raw address is kept in counters or logs)."""
    return ratelimit.client_hash(request)


def limit_of(name: str) -> tuple[int, int]:
    return getattr(settings, "REPORTS_RATE_LIMITS", {}).get(name, DEFAULTS[name])


def exceeded(name: str, client: str) -> bool:
    """True when ``client`` has used up ``name`` in this window (nothing is counted)."""
    limit, window = limit_of(name)
    return ratelimit.hits(f"reports.{name}", client, window) >= limit


def count(name: str, client: str) -> None:
    _, window = limit_of(name)
    ratelimit.count(f"reports.{name}", client, window)
