"""Shared checks of the evaluation services: locking, roles, moves, notifications, scores."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from congvu.accounts.models import User
from congvu.core.logging import log_event
from congvu.core.notifications import notifications_send
from congvu.core.text import clean_text as clean_text  # the services use it from here
from congvu.core.transitions import transition_decide, transition_record
from congvu.core.workflow import Decision
from congvu.evaluations import classification, cycles, rules, workflow
from congvu.evaluations.access import evaluation_roles_of
from congvu.evaluations.classification import LeafInfo
from congvu.evaluations.models import (
    CycleStatus,
    Evaluation,
    EvaluationCycle,
    Transition,
)
from congvu.evaluations.workflow import Edit, Move, State

if TYPE_CHECKING:
    from congvu.core.permissions import Actor


def utc_now() -> datetime:
    return timezone.now()


def lock(evaluation: Evaluation | int) -> Evaluation:
    pk = evaluation if isinstance(evaluation, int) else evaluation.pk
    return (
        Evaluation.objects.select_for_update(of=("self",))
        .select_related("cycle", "cycle__catalogue_version")
        .get(pk=pk)
    )


def roles_of(actor: Actor, evaluation: Evaluation) -> frozenset[str]:
    return evaluation_roles_of(actor, evaluation)


def roles_or_deny(actor: Actor, evaluation: Evaluation) -> frozenset[str]:
    roles = roles_of(actor, evaluation)
    if not roles:
        log_event("access.denied", user=getattr(actor, "pk", None), action="evaluation")
        raise PermissionDenied
    return roles


def require_open(cycle: EvaluationCycle) -> None:
    if cycle.status == CycleStatus.DRAFT:
        raise ValidationError(_("Kỳ đánh giá chưa mở."))
    if cycle.status == CycleStatus.CLOSED:
        raise ValidationError(_("Kỳ đánh giá đã kết thúc."))


def require_edit(evaluation: Evaluation, edit: Edit, roles: frozenset[str]) -> None:
    refusal = workflow.may_edit(evaluation.state, edit, roles)
    if refusal:
        raise ValidationError(refusal)


def decide(evaluation: Evaluation, move: Move, roles: frozenset[str], comment: str) -> State:
    """The workflow's decision (``core.transitions``), or ValidationError with the refusal."""
    decision = transition_decide(
        obj=evaluation,
        machine=workflow.MACHINE,
        move=move,
        roles=roles,
        texts={"comment": comment},
        state_field="state",
    )
    assert decision.target is not None  # set when allowed
    return State(decision.target)


def record_move(
    actor: User, evaluation: Evaluation, move: Move, target: State, comment: str, **data: Any
) -> None:
    """The trail of one move: the Transition row, then the new state and the audit record
    (``core.transitions``); the caller saves the evaluation with the move's other fields."""
    now = utc_now()
    Transition.objects.create(
        evaluation=evaluation,
        move=move,
        from_state=evaluation.state,
        to_state=target,
        actor=actor,
        at=now,
        comment=comment,
    )
    transition_record(
        actor=actor,
        obj=evaluation,
        decision=Decision(target),
        action=f"evaluation.{move}",
        state_field="state",
        audit_keys=("from_state", "to_state"),
        fields={"updated_at": now},
        save=False,
        data={"comment": comment, **data},
    )


def notify(
    recipients: Sequence[int | None], evaluation: Evaluation, kind: str, message: str
) -> None:
    """Inbox rows written after commit (nothing is announced for a move that rolled back)."""
    notifications_send(recipient_ids=recipients, kind=kind, message=message, subject=evaluation)


def self_users(evaluation: Evaluation) -> list[int | None]:
    if evaluation.staff_id is None:
        return [evaluation.respondent_id]
    return list(User.objects.filter(staff_id=evaluation.staff_id).values_list("pk", flat=True))


def parse_score(raw: object, maximum: Decimal, where: str) -> Decimal:
    try:
        value = Decimal(str(raw))
    except (InvalidOperation, ValueError):
        raise ValidationError(_("%(where)s: điểm phải là một số.") % {"where": where}) from None
    if not value.is_finite():
        raise ValidationError(_("%(where)s: điểm phải là một số.") % {"where": where})
    if value < 0 or value > maximum:
        raise ValidationError(
            _("%(where)s: điểm phải từ 0 đến %(maximum)s.")
            % {"where": where, "maximum": rules.vn_number(maximum)}
        )
    if value.as_tuple().exponent < -2:  # type: ignore[operator]
        raise ValidationError(
            _("%(where)s: điểm chỉ có tối đa hai chữ số thập phân.") % {"where": where}
        )
    return value


def leaves_for(evaluation: Evaluation) -> dict[str, LeafInfo]:
    """The criteria this evaluation is scored on, by stable id."""
    leaves = classification.leaves_of(evaluation.cycle.catalogue_version_id)
    own = classification.applicable_leaves(leaves, evaluation)
    return {leaf.stable_id: leaf for leaf in own.values()}


def leaf_of(leaves: dict[str, LeafInfo], stable_id: str) -> LeafInfo:
    leaf = leaves.get(stable_id)
    if leaf is None:
        raise ValidationError(
            _(
                "Tiêu chí «%(stable_id)s» không thuộc bộ tiêu chí của phiếu này hoặc không được chấm trực tiếp (chấm theo các tiêu chí con)."
            )
            % {"stable_id": stable_id}
        )
    return leaf


def task_max_of(evaluation: Evaluation) -> Decimal:
    return cycles.task_max(evaluation.cycle.culture_points)
