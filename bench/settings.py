"""Bench-only settings: the real settings plus a bare view (bench/urls.py) as a baseline."""

from congvu.config.settings import *  # noqa: F403

ROOT_URLCONF = "bench.urls"
