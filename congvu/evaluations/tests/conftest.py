"""Fixtures of the evaluation tests: evidence files go to a temporary directory."""

import pytest


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "private"
