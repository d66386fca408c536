"""The manager's bulk actions on the team page: accept several self-assessments as reviewed,
return several with one comment, remind several officials.

Each action is one transaction over the evaluations chosen: every one is locked, checked with
the permission module and moved by the same rules as one at a time (``manager_review``,
``return_to``), so a single refusal (wrong step, a foreign evaluation) rolls back them all and
the message names whose evaluation stopped it.
"""

from collections.abc import Callable, Sequence
from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from congvu.accounts.models import User
from congvu.core.audit import audit_record
from congvu.core.labels import translated
from congvu.core.logging import log_event
from congvu.core.models import Notification
from congvu.core.notifications import subject_of
from congvu.evaluations.models import Evaluation
from congvu.evaluations.services.assessment import manager_review, return_to
from congvu.evaluations.services.common import (
    clean_text,
    lock,
    require_open,
    roles_or_deny,
    self_users,
    utc_now,
)
from congvu.evaluations.workflow import MANAGER, STATE_NAMES, State

BULK_LIMIT = 500
"""At most this many evaluations per action (a team page never shows more)."""


def _name(evaluation: Evaluation) -> str:
    if evaluation.staff_id is not None:
        return evaluation.staff.full_name  # type: ignore[union-attr]  # staff_id is set
    return f"Tập thể {evaluation.unit.name}"


def _chosen(evaluations: Sequence[Evaluation]) -> list[Evaluation]:
    """Distinct, in id order (locks are always taken in the same order: no deadlock)."""
    unique = {e.pk: e for e in evaluations}
    if not unique:
        raise ValidationError(_("Chưa chọn phiếu đánh giá nào."))
    if len(unique) > BULK_LIMIT:
        raise ValidationError(
            _("Mỗi lần chỉ xử lý tối đa %(limit)s phiếu.") % {"limit": BULK_LIMIT}
        )
    return [unique[pk] for pk in sorted(unique)]


def _require_manager_step(actor: User, evaluation: Evaluation) -> frozenset[str]:
    """The actor is this evaluation's manager (or the council acting as one) and it waits on
    the manager: the bulk actions never take another role's step."""
    roles = roles_or_deny(actor, evaluation)
    if MANAGER not in roles:
        log_event("access.denied", user=getattr(actor, "pk", None), action="evaluation.bulk")
        raise PermissionDenied
    return roles


def _each(
    actor: User,
    evaluations: Sequence[Evaluation],
    action: str,
    step: Callable[[Evaluation], Evaluation],
    **details: object,
) -> list[Evaluation]:
    chosen = _chosen(evaluations)
    done = []
    with transaction.atomic():
        locked = [lock(item) for item in chosen]
        for evaluation in locked:  # every one is the actor's before anything moves
            _require_manager_step(actor, evaluation)
        for evaluation in locked:
            try:
                done.append(step(evaluation))
            except ValidationError as error:
                who = _name(evaluation)
                raise ValidationError([f"{who}: {m}" for m in error.messages]) from None
        audit_record(
            actor=actor, action=action, obj=None, evaluations=[e.pk for e in chosen], **details
        )
    return done


def review_accept_many(
    *, actor: User, evaluations: Sequence[Evaluation], comment: str = ""
) -> list[Evaluation]:
    """Accept the scores as they stand (the official's own, or an earlier change of the
    manager's) and complete the review of each, with one comment for all."""
    comment = clean_text(comment)

    def accept(evaluation: Evaluation) -> Evaluation:
        if evaluation.state != State.SUBMITTED:
            raise ValidationError(
                _("phiếu ở trạng thái «%(state)s», không chờ nhận xét.")
                % {"state": translated(STATE_NAMES)[evaluation.state]}
            )
        return manager_review(actor=actor, evaluation=evaluation, comment=comment)

    return _each(actor, evaluations, "evaluation.review_many", accept, comment=comment)


def return_many(
    *, actor: User, evaluations: Sequence[Evaluation], comment: str
) -> list[Evaluation]:
    """Send several submitted self-assessments back to their officials with one comment."""
    comment = clean_text(comment)
    if not comment:
        raise ValidationError(_("Cần ghi ý kiến khi trả lại."))

    def give_back(evaluation: Evaluation) -> Evaluation:
        if evaluation.state != State.SUBMITTED:  # the council's return is not the team's
            raise ValidationError(
                _("phiếu ở trạng thái «%(state)s», không trả lại được ở bước này.")
                % {"state": translated(STATE_NAMES)[evaluation.state]}
            )
        return return_to(actor=actor, evaluation=evaluation, comment=comment)

    return _each(actor, evaluations, "evaluation.return_many", give_back, comment=comment)


def remind_many(
    *,
    actor: User,
    evaluations: Sequence[Evaluation],
    comment: str = "",
    today: date | None = None,
) -> int:
    """Remind officials who have not yet submitted, at most once a day per evaluation.

    Returns how many reminders were written: those already reminded today, and officials
    without an account, are skipped.
    """
    comment = clean_text(comment)
    today = today or timezone.localdate()
    written = 0

    def remind(evaluation: Evaluation) -> Evaluation:
        nonlocal written
        require_open(evaluation.cycle)
        if evaluation.state != State.DRAFT:
            raise ValidationError(_("đã nộp bản tự đánh giá, không cần nhắc."))
        key = f"nhac:{evaluation.pk}:{today.isoformat()}"
        if Notification.objects.filter(key=key).exists():
            return evaluation
        due = evaluation.cycle.self_deadline
        text = (
            f"Người quản lý trực tiếp nhắc hoàn thành bản tự đánh giá ({evaluation.cycle.title}), "
        )
        text += f"hạn {due:%d/%m/%Y}."
        if comment:
            text += f" {comment}"
        recipients = [r for r in self_users(evaluation) if r is not None]
        if not recipients:  # nobody to tell (no account yet): skipped, not an error
            return evaluation
        now = utc_now()
        Notification.objects.bulk_create(
            Notification(
                recipient_id=r,
                **subject_of(evaluation),
                kind="reminder",
                message=text,
                key=key if i == 0 else None,
                created_at=now,
            )
            for i, r in enumerate(recipients)
        )
        audit_record(actor=actor, action="evaluation.remind", obj=evaluation, comment=comment)
        written += 1
        return evaluation

    _each(actor, evaluations, "evaluation.remind_many", remind, comment=comment)
    return written
