"""The project settings with this app installed, for running the command before it is wired in."""

from congvu.config.settings import *  # noqa: F403
from congvu.config.settings import INSTALLED_APPS as _APPS

INSTALLED_APPS = [*_APPS, "congvu.evaluations"] if "congvu.evaluations" not in _APPS else _APPS
