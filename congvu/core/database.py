"""Telling a database that is down or read-only from other errors (QUALITY.md R2).

A read-only database is a SQLite file opened read-only or with ``PRAGMA query_only``, or a
PostgreSQL hot standby or ``default_transaction_read_only``. Reads go on; writes fail with
SQLite's SQLITE_READONLY (an OperationalError) or PostgreSQL's SQLSTATE 25006
(``ReadOnlySqlTransaction``, which Django raises as an InternalError).
"""

import os
import sqlite3

from django.db import DatabaseError, InterfaceError, OperationalError, connections

UNAVAILABLE = (OperationalError, InterfaceError)
_PG_READ_ONLY_SQL_TRANSACTION = "25006"


def is_read_only_error(exc: BaseException | None) -> bool:
    """A write refused because the database takes no writes. Django keeps the driver's
    exception as ``__cause__``; its code says why, whatever the message's language."""
    if not isinstance(exc, DatabaseError):
        return False
    cause = exc.__cause__
    code = getattr(cause, "sqlite_errorcode", None)
    if code is not None:  # extended codes (SQLITE_READONLY_*) keep the primary one in the low byte
        return code & 0xFF == sqlite3.SQLITE_READONLY
    return getattr(cause, "sqlstate", None) == _PG_READ_ONLY_SQL_TRANSACTION


def is_unavailable(exc: BaseException | None) -> bool:
    """The database cannot serve this request now: unreachable, locked or read-only."""
    return isinstance(exc, UNAVAILABLE) or is_read_only_error(exc)


def database_writable(alias: str = "default") -> bool:
    """Whether the database takes writes, asked without writing (no lock, no wait)."""
    connection = connections[alias]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # On on a hot standby and under default_transaction_read_only.
            cursor.execute("SELECT current_setting('transaction_read_only')")
            return cursor.fetchone()[0] == "off"
        if connection.vendor == "sqlite":
            cursor.execute("PRAGMA query_only")
            if cursor.fetchone()[0]:
                return False
            if connection.is_in_memory_db():  # type: ignore[attr-defined]  # SQLite's wrapper
                return True
            return os.access(connection.settings_dict["NAME"], os.W_OK)  # mode, read-only mount
    return True
