"""Sessions in the database that let a read-only database still serve pages (R2).

SESSION_SAVE_EVERY_REQUEST renews the session on every page: a write on every request.
Django turns a failed renewal into SessionInterrupted, a bare English "400 Bad Request",
so a read-only database refused every logged-in page.
"""

from django.contrib.sessions.backends.base import UpdateError
from django.contrib.sessions.backends.db import SessionStore as DatabaseSessionStore

from congvu.core.database import is_unavailable


class SessionStore(DatabaseSessionStore):
    """A renewal the database cannot store is skipped: the page is served and the session
    keeps its stored expiry. A changed session (a login, a logout) that cannot be stored
    raises the database's own error, which the 503 page answers."""

    def save(self, must_create: bool = False) -> None:
        try:
            super().save(must_create=must_create)
        except UpdateError as exc:
            cause = exc.__context__  # Django raises UpdateError while handling the database's error
            if cause is None or not is_unavailable(cause):
                raise  # e.g. the session was deleted meanwhile: Django's answer stands
            if self.modified:
                # The database's own error, still carrying the driver's (its code tells
                # a read-only database), for the 503 page.
                raise cause from cause.__cause__
