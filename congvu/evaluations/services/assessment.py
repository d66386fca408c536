"""The official's self-assessment and submission, the manager's review, returns, groups."""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from congvu.accounts.models import User
from congvu.core.audit import audit_record
from congvu.evaluations import classification, cli, cycles, regimes
from congvu.evaluations.models import CriterionScore, Evaluation, ScoreChange
from congvu.evaluations.services.common import (
    clean_text,
    decide,
    leaf_of,
    leaves_for,
    lock,
    notify,
    parse_score,
    record_move,
    require_edit,
    require_open,
    roles_or_deny,
    self_users,
    task_max_of,
    utc_now,
)
from congvu.evaluations.workflow import Edit, Move, State


@dataclass(frozen=True)
class SelfScore:
    score: Decimal | int | str
    comment: str = ""


def self_assess(
    *,
    actor: User,
    evaluation: Evaluation,
    scores: Mapping[str, SelfScore] | None = None,
    task_points: Decimal | int | str | None = None,
    comment: str | None = None,
) -> Evaluation:
    """Save the official's own scores (by criterion stable id), task points and comment."""
    with transaction.atomic():
        evaluation = lock(evaluation)
        roles = roles_or_deny(actor, evaluation)
        require_open(evaluation.cycle)
        require_edit(evaluation, Edit.SELF_SCORE, roles)
        leaves, now = leaves_for(evaluation), utc_now()
        wanted: dict[int, tuple[Decimal, str]] = {}
        for sid, given in (scores or {}).items():
            leaf = leaf_of(leaves, sid)
            wanted[leaf.criterion_id] = (
                parse_score(given.score, leaf.maximum, sid),
                clean_text(given.comment),
            )
        existing = {
            row.criterion_id: row
            for row in CriterionScore.objects.filter(evaluation=evaluation, criterion_id__in=wanted)
        }
        changes, new, updated = [], [], []
        for criterion_id, (value, note) in wanted.items():
            row = existing.get(criterion_id)
            if row is None:
                row = CriterionScore(evaluation=evaluation, criterion_id=criterion_id)
                new.append(row)
            elif row.self_score == value and row.self_comment == note:
                continue
            else:
                updated.append(row)
            if row.self_score != value:
                changes.append(
                    ScoreChange(
                        evaluation=evaluation,
                        criterion_id=criterion_id,
                        actor=actor,
                        at=now,
                        step="self",
                        before=row.self_score,
                        after=value,
                    )
                )
            row.self_score, row.self_comment = value, note
        CriterionScore.objects.bulk_create(new)
        CriterionScore.objects.bulk_update(updated, ["self_score", "self_comment"])
        fields = []
        if task_points is not None:
            if task_max_of(evaluation) == 0:
                raise ValidationError(_("Kỳ đánh giá này không chấm điểm kết quả nhiệm vụ."))
            value = parse_score(
                task_points, task_max_of(evaluation), "Điểm kết quả thực hiện nhiệm vụ"
            )
            if value != evaluation.self_task_points:
                changes.append(
                    ScoreChange(
                        evaluation=evaluation,
                        actor=actor,
                        at=now,
                        step="self",
                        before=evaluation.self_task_points,
                        after=value,
                    )
                )
                evaluation.self_task_points = value
                fields.append("self_task_points")
        if comment is not None and clean_text(comment) != evaluation.self_comment:
            evaluation.self_comment = clean_text(comment)
            fields.append("self_comment")
        ScoreChange.objects.bulk_create(changes)
        if fields or new or updated:
            evaluation.updated_at = now
            evaluation.save(update_fields=[*fields, "updated_at"])
            audit_record(
                actor=actor,
                action="evaluation.self_assess",
                obj=evaluation,
                scores=len(new) + len(updated),
                score_changes=len(changes),
            )
    return evaluation


def _missing(evaluation: Evaluation) -> list[str]:
    """What the self-assessment still lacks before it can be submitted."""
    leaves = leaves_for(evaluation)
    scored = set(
        CriterionScore.objects.filter(evaluation=evaluation, self_score__isnull=False).values_list(
            "criterion_id", flat=True
        )
    )
    with_files = set(evaluation.evidence.values_list("criterion_id", flat=True))
    problems = []
    unscored = [sid for sid, leaf in leaves.items() if leaf.criterion_id not in scored]
    if unscored:
        shown = ", ".join(unscored[:5]) + (" …" if len(unscored) > 5 else "")
        problems.append(
            _("Còn %(count)s tiêu chí chưa tự chấm: %(shown)s.")
            % {"count": len(unscored), "shown": shown}
        )
    no_file = [
        sid
        for sid, leaf in leaves.items()
        if leaf.evidence_required and leaf.criterion_id not in with_files
    ]
    if no_file:
        shown = ", ".join(no_file[:5]) + (" …" if len(no_file) > 5 else "")
        problems.append(
            _("Còn %(count)s tiêu chí bắt buộc có minh chứng chưa có tệp: %(shown)s.")
            % {"count": len(no_file), "shown": shown}
        )
    if task_max_of(evaluation) > 0 and evaluation.self_task_points is None:
        problems.append(_("Chưa tự chấm điểm kết quả thực hiện nhiệm vụ."))
    return problems


def submit(*, actor: User, evaluation: Evaluation, comment: str | None = None) -> Evaluation:
    """The official (or the unit) hands in the self-assessment, complete with its evidence."""
    with transaction.atomic():
        evaluation = lock(evaluation)
        roles = roles_or_deny(actor, evaluation)
        require_open(evaluation.cycle)
        target = decide(evaluation, Move.SUBMIT, roles, "")
        problems = _missing(evaluation)
        if problems:
            raise ValidationError(problems)
        if comment is not None:
            evaluation.self_comment = clean_text(comment)
        record_move(actor, evaluation, Move.SUBMIT, target, "")
        evaluation.save(update_fields=["state", "updated_at", "self_comment"])
        notify(
            [evaluation.manager_id],
            evaluation,
            "submitted",
            f"Có bản tự đánh giá chờ nhận xét: {evaluation}.",
        )
    return evaluation


@dataclass(frozen=True)
class ManagerScore:
    score: Decimal | int | str
    reason: str


@dataclass(frozen=True)
class Circumstances:
    """Facts the manager confirms for the rules (None: unchanged)."""

    months_absent: int | None = None
    months_worked: int | None = None
    flags: Sequence[str] | None = None
    nd90_facts: Mapping[str, object] | None = None


def _apply_circumstances(evaluation: Evaluation, facts: Circumstances) -> dict:
    changed: dict[str, object] = {}
    for name in ("months_absent", "months_worked"):
        value = getattr(facts, name)
        if value is None:
            continue
        if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 12:
            raise ValidationError(_("Số tháng phải là số nguyên từ 0 đến 12."))
        if name == "months_worked" and evaluation.cycle.period_kind != cycles.YEAR:
            raise ValidationError(_("Số tháng công tác chỉ xét khi đánh giá năm."))
        changed[name] = [getattr(evaluation, name), value]
        setattr(evaluation, name, value)
    if facts.flags is not None:
        unknown = sorted(set(facts.flags) - set(regimes.FLAG_NAMES))
        if unknown:
            raise ValidationError(
                _("Tình tiết không có trong danh mục: %(items)s.") % {"items": ", ".join(unknown)}
            )
        changed["flags"] = [evaluation.flags, sorted(set(facts.flags))]
        evaluation.flags = sorted(set(facts.flags))
    if facts.nd90_facts is not None:
        if regimes.REGIMES[evaluation.regime].method != "nd90_criteria":
            raise ValidationError(
                _("Dữ kiện theo Nghị định 90/2020/NĐ-CP không dùng cho phiếu này.")
            )
        errors = cli._Errors()
        data = classification.facts_with_decimals(dict(facts.nd90_facts))
        cli._parse_facts(data, "nd90_facts", errors)
        if errors:
            raise ValidationError(list(errors))
        stored = {k: str(v) if isinstance(v, Decimal) else v for k, v in data.items()}
        changed["nd90_facts"] = [evaluation.nd90_facts, stored]
        evaluation.nd90_facts = stored
    return changed


def manager_review(
    *,
    actor: User,
    evaluation: Evaluation,
    changes: Mapping[str, ManagerScore] | None = None,
    task_points: ManagerScore | None = None,
    comment: str = "",
    circumstances: Circumstances | None = None,
) -> Evaluation:
    """The direct manager reviews: may change any score, each change with a reason."""
    with transaction.atomic():
        evaluation = lock(evaluation)
        roles = roles_or_deny(actor, evaluation)
        require_open(evaluation.cycle)
        target = decide(evaluation, Move.REVIEW, roles, "")
        require_edit(evaluation, Edit.MANAGER_SCORE, roles)
        leaves, now = leaves_for(evaluation), utc_now()
        rows = {r.criterion_id: r for r in CriterionScore.objects.filter(evaluation=evaluation)}
        log, updated = [], []
        for sid, change in (changes or {}).items():
            leaf = leaf_of(leaves, sid)
            value = parse_score(change.score, leaf.maximum, sid)
            row = rows.get(leaf.criterion_id)
            if row is None:
                raise ValidationError(_("%(sid)s: tiêu chí chưa được tự chấm.") % {"sid": sid})
            if value == row.effective:
                continue
            reason = clean_text(change.reason)
            if not reason:
                raise ValidationError(_("%(sid)s: cần ghi lý do khi thay đổi điểm.") % {"sid": sid})
            log.append(
                ScoreChange(
                    evaluation=evaluation,
                    criterion_id=leaf.criterion_id,
                    actor=actor,
                    at=now,
                    step="manager",
                    before=row.effective,
                    after=value,
                    reason=reason,
                )
            )
            row.manager_score, row.manager_reason = value, reason
            updated.append(row)
        CriterionScore.objects.bulk_update(updated, ["manager_score", "manager_reason"])
        if task_points is not None:
            value = parse_score(task_points.score, task_max_of(evaluation), "Điểm kết quả nhiệm vụ")
            before = classification.effective_task_points(evaluation)
            if value != before:
                reason = clean_text(task_points.reason)
                if not reason:
                    raise ValidationError(_("Cần ghi lý do khi thay đổi điểm kết quả nhiệm vụ."))
                log.append(
                    ScoreChange(
                        evaluation=evaluation,
                        actor=actor,
                        at=now,
                        step="manager",
                        before=before,
                        after=value,
                        reason=reason,
                    )
                )
                evaluation.manager_task_points = value
        ScoreChange.objects.bulk_create(log)
        facts = _apply_circumstances(evaluation, circumstances) if circumstances else {}
        outcome = classification.classify_evaluations([evaluation])[evaluation.pk]
        evaluation.culture_score = outcome.culture_score
        evaluation.period_score = outcome.period_score
        evaluation.proposed_level = outcome.level if outcome.problem is None else ""
        evaluation.manager_comment = clean_text(comment)
        record_move(
            actor,
            evaluation,
            Move.REVIEW,
            target,
            evaluation.manager_comment,
            score_changes=len(log),
            facts=facts,
        )
        evaluation.save()
        notify(
            self_users(evaluation),
            evaluation,
            "reviewed",
            f"Người quản lý trực tiếp đã nhận xét: {evaluation}.",
        )
    return evaluation


def return_to(*, actor: User, evaluation: Evaluation, comment: str) -> Evaluation:
    """Send back one step: the manager to the official, the council to the manager."""
    with transaction.atomic():
        evaluation = lock(evaluation)
        roles = roles_or_deny(actor, evaluation)
        require_open(evaluation.cycle)
        comment = clean_text(comment)
        target = decide(evaluation, Move.RETURN, roles, comment)
        record_move(actor, evaluation, Move.RETURN, target, comment)
        evaluation.save(update_fields=["state", "updated_at"])
        who = self_users(evaluation) if target == State.DRAFT else [evaluation.manager_id]
        notify(who, evaluation, "returned", f"Phiếu được trả lại: {comment}")
    return evaluation


def evaluation_group_set(*, actor: User, evaluations: Sequence[Evaluation], group: str) -> int:
    """The council puts officials in a group of similar tasks (the HTXS cap is per group)."""
    group = clean_text(group)
    if not group or len(group) > 128:
        raise ValidationError(_("Tên nhóm không được để trống, tối đa 128 ký tự."))
    with transaction.atomic():
        for item in evaluations:
            evaluation = lock(item)
            roles = roles_or_deny(actor, evaluation)
            require_open(evaluation.cycle)
            require_edit(evaluation, Edit.GROUP, roles)
            if evaluation.staff_id is None or evaluation.group == group:
                continue
            audit_record(
                actor=actor,
                action="evaluation.group_set",
                obj=evaluation,
                before=evaluation.group,
                after=group,
            )
            evaluation.group, evaluation.updated_at = group, utc_now()
            evaluation.save(update_fields=["group", "updated_at"])
    return len(evaluations)
