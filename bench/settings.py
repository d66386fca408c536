"""Bench-only settings: the real settings plus a bare view (bench/urls.py) as a baseline."""

from congvu.config.settings import *  # noqa: F403

ROOT_URLCONF = "bench.urls"

CLIENT_IP_HEADER = "HTTP_X_FORWARDED_FOR"
"""B1 posts from one machine: the driver sends a different X-Forwarded-For per request, as a
reverse proxy passes citizens' addresses, so that the per-client and per-network limits of
ratings (views_public.client_of) run at their defaults without refusing the load."""
