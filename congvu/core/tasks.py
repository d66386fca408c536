"""The kernel's Huey tasks, found by djhuey's autodiscovery of ``<app>.tasks``: the background
file jobs and their upkeep (``core.jobs``)."""

from congvu.core.jobs import job_task, jobs_maintain

__all__ = ["job_task", "jobs_maintain"]
