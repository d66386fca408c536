"""Settings of the app served under gunicorn by the R3 rolling-restart test.

R1's (r1_settings: addresses from X-Forwarded-For, per-desk burst limits raised, each POST's
answer held 0.15 s after its commit, so that a signal finds requests in flight), plus one
instrument: every answer names the worker process that gave it (``X-Worker-Pid``), so the
test can tell that a worker it asked to stop still answered what it had started.
"""

import os

from r1_settings import *  # noqa: F403
from r1_settings import MIDDLEWARE


class WorkerPid:
    """Outermost middleware: add the answering worker's process id to every response."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response["X-Worker-Pid"] = str(os.getpid())
        return response


MIDDLEWARE = ["r3_settings.WorkerPid", *MIDDLEWARE]
