"""The real settings with the feedback app installed as it was released: label ``reports``."""

from congvu.config.settings import *  # noqa: F403
from congvu.config.settings import INSTALLED_APPS

LATER_APPS = {"congvu.violations"}  # added after the relabel; they refer to feedback.Report
INSTALLED_APPS = [
    "congvu.feedback.tests.legacy_reports.apps.LegacyReportsConfig"
    if app == "congvu.feedback"
    else app
    for app in INSTALLED_APPS
    if app not in LATER_APPS
]
MIGRATION_MODULES = {"reports": "congvu.feedback.tests.legacy_reports.migrations"}
ROOT_URLCONF = "congvu.feedback.tests.legacy_reports.urls"
