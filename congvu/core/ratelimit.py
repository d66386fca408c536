"""Fixed-window rate limits counted in the database (table RateCounter).

Every gunicorn worker counts in the same row, with or without Redis: one upsert
``INSERT … ON CONFLICT (key) DO UPDATE SET hits = hits + 1`` per counted hit, the same
SQL on SQLite and PostgreSQL. Windows that ended are deleted now and then by the writer.
Clients are told apart by a keyed hash of their address (``client_ip``; an IPv6 address by its
/64, one subscriber's block): no raw address is stored.
"""

from __future__ import annotations

import functools
import hashlib
import hmac
import ipaddress
import logging
import random
from datetime import UTC, datetime, timedelta

from django.conf import settings
from django.db import connection
from django.http import HttpRequest
from django.utils import timezone

from congvu.core.models import RateCounter

PURGE_ONE_IN = 200
"""About one counted hit in this many also deletes the windows that have ended."""


log = logging.getLogger(__name__)

FORWARDED_FOR = "HTTP_X_FORWARDED_FOR"
"""The one list-valued header understood: each proxy appends the address that connected to it."""


def canonical_ip(value: str) -> str | None:
    """``value`` as an IP address in canonical form, or None if it is not one. An IPv4-mapped
    IPv6 address (``::ffff:203.0.113.5``, from a dual-stack socket) is its IPv4 address."""
    try:
        address = ipaddress.ip_address(value.strip())
    except ValueError:
        return None
    if address.version == 6 and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    return str(address)


def address_from_header(value: str, *, listed: bool, proxies: int = 1) -> str | None:
    """The client's address in a proxy's header, or None if the header holds none.

    A single-valued header (X-Real-IP) is written whole by the proxy. In a list
    (X-Forwarded-For) each proxy appends the address that connected to it, after whatever the
    client sent: with ``proxies`` trusted proxies in front, the client is the ``proxies``-th
    value from the right, and everything left of it is the client's own writing.
    """
    if not listed:
        return canonical_ip(value)
    hops = value.split(",")
    if len(hops) < proxies:
        return None
    return canonical_ip(hops[-proxies])


def client_ip(request: HttpRequest) -> str:
    """The caller's address, canonical, or "" if unknown: from CLIENT_IP_HEADER when the app
    runs behind reverse proxies (TRUSTED_PROXIES of them for X-Forwarded-For), else
    REMOTE_ADDR. Behind a proxy REMOTE_ADDR is the proxy's, and every citizen would share one
    limit. A header without a usable address (missing, too few hops, not an address) falls
    back to REMOTE_ADDR and is logged: the request did not come the configured way."""
    remote = canonical_ip(request.META.get("REMOTE_ADDR", "")) or ""
    header = getattr(settings, "CLIENT_IP_HEADER", "")
    if not header:
        return remote
    value = request.META.get(header, "")
    listed = header == FORWARDED_FOR
    found = address_from_header(
        value, listed=listed, proxies=getattr(settings, "TRUSTED_PROXIES", 1)
    )
    if found is None:
        hops = len(value.split(",")) if value else 0
        log.warning("client_ip.header_unusable", extra={"data": {"header": header, "hops": hops}})
        return remote
    return found


def client_network(address: str) -> str:
    """What the limits count by: the address, or its /64 for IPv6 (one subscriber's block,
    whose addresses a phone may change at will). Anything else is kept as it is."""
    canonical = canonical_ip(address)
    if canonical is None:
        return address.strip()[:64]
    if ":" in canonical:  # by its number: a scope (fe80::1%eth0) is no part of a network
        return str(ipaddress.IPv6Network((int(ipaddress.IPv6Address(canonical)), 64), strict=False))
    return canonical


def client_hash(request: HttpRequest) -> str:
    """A keyed hash of the caller's address (an IPv6 /64), for counters and logs."""
    network = client_network(client_ip(request)) or "unknown"
    key = settings.SECRET_KEY.encode()
    return hmac.new(key, f"ratelimit|{network}".encode(), hashlib.sha256).hexdigest()[:20]


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
