"""Settings of the app served under gunicorn by the R1 crash test (test_r1_ingest_crash).

The real settings, plus what a deployment behind a reverse proxy sets: the citizen's
address comes from X-Forwarded-For (CLIENT_IP_HEADER, read by views_public.client_of), so
each simulated phone is its own client for the per-client and per-network limits, as in
production. Only the per-desk burst limits are raised (RATINGS_LIMITS): the test pushes
hundreds of ratings to four desks within a minute, which a real desk never sees.

One instrument: ``AnswerDelay`` holds every POST's answer for a moment after the view has
committed. A worker killed then has stored the rating without acknowledging it, the case
idempotency keys exist for; without the delay a random kill almost never lands there.
"""

import time

from congvu.config.settings import *  # noqa: F403
from congvu.config.settings import MIDDLEWARE

CLIENT_IP_HEADER = "HTTP_X_FORWARDED_FOR"
RATINGS_LIMITS = {"refuse_desk_minute": 1_000_000, "flag_desk_minute": 1_000_000}
ANSWER_DELAY_SECONDS = 0.15


class AnswerDelay:
    """Outermost middleware: sleep after a POST's response is ready (its writes committed)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if request.method == "POST":
            time.sleep(ANSWER_DELAY_SECONDS)
        return response


MIDDLEWARE = ["r1_settings.AnswerDelay", *MIDDLEWARE]
