"""Fixed-window rate limits counted in the database (table RateCounter).

Every gunicorn worker counts in the same row, with or without Redis: one upsert
``INSERT … ON CONFLICT (key) DO UPDATE SET hits = hits + 1`` per counted hit, the same
SQL on SQLite and PostgreSQL. Windows that ended are deleted now and then by the writer.
Clients are told apart by a keyed hash of their address (``client_ip``): no raw address is
stored.
"""

from __future__ import annotations

import functools
import hashlib
import hmac
import random
from datetime import UTC, datetime, timedelta

from django.conf import settings
from django.db import connection
from django.http import HttpRequest
from django.utils import timezone

from congvu.core.models import RateCounter

PURGE_ONE_IN = 200
"""About one counted hit in this many also deletes the windows that have ended."""


def client_ip(request: HttpRequest) -> str:
    """The caller's address: from CLIENT_IP_HEADER when the app runs behind a reverse proxy
    (say HTTP_X_REAL_IP set by nginx), else REMOTE_ADDR. Behind a proxy REMOTE_ADDR is the
    proxy's, and every citizen would share one limit."""
    header = getattr(settings, "CLIENT_IP_HEADER", "")
    forwarded = request.META.get(header, "") if header else ""
    return (forwarded.split(",")[0].strip() or request.META.get("REMOTE_ADDR", ""))[:64]


def client_hash(request: HttpRequest) -> str:
    """A keyed hash of the caller's address, for counters and logs."""
    address = client_ip(request) or "unknown"
    key = settings.SECRET_KEY.encode()
    return hmac.new(key, f"ratelimit|{address}".encode(), hashlib.sha256).hexdigest()[:20]


def _window(action: str, client: str, seconds: int) -> tuple[str, datetime]:
    now = timezone.now()
    number = int(now.timestamp() // seconds)
    expires = datetime.fromtimestamp((number + 1) * seconds, tz=UTC)
    return f"{action}:{client}:{seconds}:{number}"[:120], expires


def hits(action: str, client: str, seconds: int) -> int:
    """How many hits ``client`` has counted on ``action`` in the current window."""
    key, _ = _window(action, client, seconds)
    found = RateCounter.objects.filter(key=key).values_list("hits", flat=True).first()
    return found or 0


@functools.cache
def _upsert_sql() -> str:
    table = connection.ops.quote_name(RateCounter._meta.db_table)
    return (
        f"INSERT INTO {table} ({connection.ops.quote_name('key')}, expires_at, hits) "  # noqa: S608
        f"VALUES (%s, %s, 1) ON CONFLICT ({connection.ops.quote_name('key')}) "
        f"DO UPDATE SET hits = {table}.hits + 1"
    )


def count(action: str, client: str, seconds: int) -> None:
    """Count one hit of ``client`` on ``action`` in the current window."""
    key, expires = _window(action, client, seconds)
    with connection.cursor() as cursor:  # one statement: atomic by itself
        cursor.execute(_upsert_sql(), [key, connection.ops.adapt_datetimefield_value(expires)])
    if random.randrange(PURGE_ONE_IN) == 0:  # noqa: S311 (not a secret)
        purge()


def purge() -> int:
    """Delete the counters of windows that have ended; returns how many."""
    deleted, _ = RateCounter.objects.filter(
        expires_at__lt=timezone.now() - timedelta(seconds=1)
    ).delete()
    return deleted
