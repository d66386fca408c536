"""Who may handle a citizen's misconduct report, and see who filed it.

A report belongs to the unit it is about; the reported official never handles, reads or
counts a report about themself, whatever their role (a unit head reported on: the unit's
other handlers or Sở Nội vụ act).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from congvu.core.permissions import Action, Entity

if TYPE_CHECKING:
    from congvu.core.permissions import Actor
    from congvu.feedback.models import Report

REPORT = Entity(units=("unit_id",), not_about_self="official_id")


def report_check(user: Actor, action: Action, report: Report) -> bool:
    return REPORT.allows(user, action, report)


def report_check_handle(user: Actor, report: Report) -> bool:
    return REPORT.allows(user, Action.REPORT_HANDLE, report)


def report_check_identity(user: Actor, report: Report) -> bool:
    """See who reported: the designated reader over the report's unit, never the official."""
    return REPORT.allows(user, Action.REPORTER_IDENTITY, report)
