"""The only writers of evaluations: cycles, self-assessment, evidence and every workflow move.

Each service runs in one transaction, checks the actor's roles with the permission module and
the move with the pure workflow (``congvu.evaluations.workflow``), writes a ``Transition`` row
(moves) and an audit record, and sends its notifications after commit. Every change of a score
writes a ``ScoreChange``. Callers import from here: ``services.submit(...)``.
"""

from congvu.evaluations.services.assessment import (
    Circumstances,
    ManagerScore,
    SelfScore,
    evaluation_group_set,
    manager_review,
    return_to,
    self_assess,
    submit,
)
from congvu.evaluations.services.bulk import (
    BULK_LIMIT,
    remind_many,
    return_many,
    review_accept_many,
)
from congvu.evaluations.services.common import roles_of
from congvu.evaluations.services.council import council_conclude, publish, reopen
from congvu.evaluations.services.cycle import (
    GROUP_LEADERS,
    GROUP_STAFF,
    CycleSpec,
    cycle_close,
    cycle_create,
    cycle_delete,
    cycle_open,
    respondent_candidates,
    respondent_set,
)
from congvu.evaluations.services.evidence import evidence_attach, evidence_path, evidence_remove
from congvu.evaluations.services.reminders import REMIND_DAYS_BEFORE, reminders_send

__all__ = [
    "BULK_LIMIT",
    "GROUP_LEADERS",
    "GROUP_STAFF",
    "REMIND_DAYS_BEFORE",
    "Circumstances",
    "CycleSpec",
    "ManagerScore",
    "SelfScore",
    "council_conclude",
    "cycle_close",
    "cycle_create",
    "cycle_delete",
    "cycle_open",
    "evaluation_group_set",
    "evidence_attach",
    "evidence_path",
    "evidence_remove",
    "manager_review",
    "publish",
    "reminders_send",
    "remind_many",
    "reopen",
    "respondent_candidates",
    "respondent_set",
    "return_many",
    "return_to",
    "review_accept_many",
    "roles_of",
    "self_assess",
    "submit",
]
