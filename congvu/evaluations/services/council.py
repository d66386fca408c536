"""The council's conclusion with the HTXS cap, publication (locking) and reopening."""

from collections.abc import Mapping, Sequence
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _

from congvu.accounts.models import User
from congvu.core.audit import audit_record
from congvu.core.labels import translated
from congvu.evaluations import classification, regimes, rules
from congvu.evaluations.models import (
    CouncilDecision,
    CriterionScore,
    CycleStatus,
    Evaluation,
    EvaluationCycle,
)
from congvu.evaluations.services.common import (
    clean_text,
    decide,
    lock,
    notify,
    record_move,
    require_open,
    roles_or_deny,
    self_users,
    utc_now,
)
from congvu.evaluations.workflow import Move


def _lock_batch(evaluations: Sequence[Evaluation]) -> list[Evaluation]:
    ids = sorted({e.pk for e in evaluations})
    if not ids:
        raise ValidationError(_("Chưa chọn phiếu nào."))
    found = list(
        Evaluation.objects.select_for_update(of=("self",))
        .select_related("cycle", "staff", "unit")
        .filter(pk__in=ids)
        .order_by("pk")
    )
    if len({e.cycle_id for e in found}) != 1 or len({e.unit_id for e in found}) != 1:
        raise ValidationError(_("Hội đồng kết luận từng đơn vị trong một kỳ đánh giá."))
    return found


def _name(evaluation: Evaluation) -> str:
    return evaluation.staff.full_name if evaluation.staff_id else evaluation.unit.name  # type: ignore[union-attr]  # staff_id is set


def _chosen_level(outcome: classification.Outcome, chosen: str | None, who: str) -> str:
    if chosen is None or chosen == outcome.level:
        return outcome.level
    if outcome.level == regimes.KXL:
        raise ValidationError(
            _("%(who)s: không xếp loại theo quy định, không chọn được mức khác.") % {"who": who}
        )
    if chosen not in regimes.LEVELS:
        raise ValidationError(
            _("%(who)s: mức «%(chosen)s» không hợp lệ.") % {"who": who, "chosen": chosen}
        )
    if rules.RANK[chosen] > rules.RANK[outcome.level]:
        raise ValidationError(
            _("%(who)s: không được xếp cao hơn mức theo quy định (%(level)s).")
            % {"who": who, "level": translated(regimes.LEVEL_NAMES)[outcome.level]}
        )
    return chosen


def _cap_checks(
    cycle: EvaluationCycle,
    unit_id: int,
    batch: list[Evaluation],
    levels: dict[int, str],
    scores: dict[int, Decimal | None],
) -> list[rules.CapCheck]:
    """The cap of every group touched by the batch, counting results already concluded."""
    individuals = [e for e in batch if e.staff_id is not None]
    if not individuals:
        return []
    keys = {(e.regime, e.group) for e in individuals}
    members: dict[tuple[str, str], list[rules.Result]] = {k: [] for k in keys}
    for e in individuals:
        members[(e.regime, e.group)].append(
            rules.Result(
                e.pk, e.group, levels[e.pk], classification.score_fraction(scores[e.pk]), ()
            )
        )
    others = (
        Evaluation.objects.filter(
            cycle=cycle, unit_id=unit_id, staff__isnull=False, state__in=classification.DONE
        )
        .exclude(pk__in=[e.pk for e in batch])
        .values_list("pk", "regime", "group", "final_level", "final_score")
    )
    for pk, regime, group, level, score in others:
        if (regime, group) in members and level:
            members[(regime, group)].append(
                rules.Result(pk, group, level, classification.score_fraction(score), ())
            )
    unit_level = classification.unit_levels(cycle, {unit_id}).get(unit_id)
    checks = []
    for (regime, _group), results in sorted(members.items()):
        share, source = rules.cap_share(regimes.REGIMES[regime], cycle.year, unit_level, None)
        checks += rules.cap_check(results, share=share, source=source)
    return checks


def _cap_json(check: rules.CapCheck, names: dict[int, str]) -> dict:
    return {
        "group": check.group,
        "htt": check.htt,
        "htxs": check.htxs,
        "allowed": check.allowed,
        "share": str(check.share),
        "exceeded": check.exceeded,
        "must_change": check.must_change,
        "candidates": list(check.candidates),
        "beyond": list(check.beyond),
        "names": [names.get(pk, str(pk)) for pk in check.candidates],  # type: ignore[call-overload]  # ids: int
        "source": check.source,
    }


def _cap_message(check: rules.CapCheck, names: dict[int, str]) -> str:
    who = ", ".join(names.get(pk, str(pk)) for pk in check.candidates)  # type: ignore[call-overload]  # ids: int
    return (
        f"Nhóm «{check.group}»: {check.htxs} người Hoàn thành xuất sắc nhiệm vụ, vượt tỷ lệ "
        f"tối đa {check.allowed} ({rules.vn_number(check.share * 100)}% của {check.htt} người "
        f"Hoàn thành tốt nhiệm vụ; {check.source}). Hội đồng cần chuyển ít nhất "
        f"{check.must_change} người sang mức thấp hơn hoặc xác nhận danh sách có ghi ý kiến. "
        f"Danh sách: {who}."
    )


def council_conclude(
    *,
    actor: User,
    evaluations: Sequence[Evaluation],
    levels: Mapping[int, str] | None = None,
    confirm_over_cap: bool = False,
    comment: str = "",
) -> CouncilDecision:
    """The council (or head) concludes a unit's list: the rules give each level and every
    reason; the council may only lower a level (``levels``: evaluation id → level). Where a
    group exceeds the HTXS cap the conclusion is refused until the council lowers enough
    levels or confirms the list (``confirm_over_cap`` with a comment). Nobody is demoted
    silently."""
    comment, chosen = clean_text(comment), dict(levels or {})
    with transaction.atomic():
        batch = _lock_batch(evaluations)
        # One conclusion at a time per cycle: the cap counts results concluded by others.
        cycle = EvaluationCycle.objects.select_for_update().get(pk=batch[0].cycle_id)
        targets = {}
        for evaluation in batch:
            roles = roles_or_deny(actor, evaluation)
            require_open(cycle)
            targets[evaluation.pk] = decide(evaluation, Move.CONCLUDE, roles, comment)
        unknown = set(chosen) - set(targets)
        if unknown:
            raise ValidationError(_("Có mức xếp loại cho phiếu không thuộc danh sách kết luận."))
        outcomes = classification.classify_evaluations(batch)
        problems = [
            f"{_name(e)}: {outcomes[e.pk].problem}" for e in batch if outcomes[e.pk].problem
        ]
        if problems:
            raise ValidationError(problems)
        names = {e.pk: _name(e) for e in batch}
        final = {e.pk: _chosen_level(outcomes[e.pk], chosen.get(e.pk), names[e.pk]) for e in batch}
        scores = {e.pk: outcomes[e.pk].score for e in batch}
        checks = _cap_checks(cycle, batch[0].unit_id, batch, final, scores)
        exceeded = [c for c in checks if c.exceeded]
        if exceeded and not confirm_over_cap:
            raise ValidationError([_cap_message(c, names) for c in exceeded])
        if exceeded and not comment:
            raise ValidationError(
                _("Cần ghi ý kiến của hội đồng khi xác nhận danh sách vượt tỷ lệ.")
            )
        now = utc_now()
        changed = {
            str(pk): [outcomes[pk].level, lvl]
            for pk, lvl in final.items()
            if lvl != outcomes[pk].level
        }
        decision = CouncilDecision.objects.create(
            cycle=cycle,
            unit_id=batch[0].unit_id,
            actor=actor,
            at=now,
            comment=comment,
            over_cap_confirmed=bool(exceeded),
            caps=[_cap_json(c, names) for c in checks],
            changed_levels=changed,
        )
        over = {pk for c in exceeded for pk in c.candidates}
        CriterionScore.objects.filter(evaluation_id__in=list(targets)).update(
            final_score=Coalesce(F("manager_score"), F("self_score"))
        )
        for evaluation in batch:
            outcome = outcomes[evaluation.pk]
            reasons = list(outcome.reasons)
            if str(evaluation.pk) in changed:
                reasons.append(_council_reason(outcome.level, final[evaluation.pk], comment))
            if evaluation.pk in over and final[evaluation.pk] == "HTXS":
                reasons.append(_over_cap_reason(comment))
            evaluation.culture_score = outcome.culture_score
            evaluation.period_score = outcome.period_score
            evaluation.proposed_level = outcome.level
            evaluation.final_level = final[evaluation.pk]
            evaluation.final_score = outcome.score
            evaluation.reasons, evaluation.inputs = reasons, outcome.inputs
            evaluation.decision, evaluation.council_comment = decision, comment
            record_move(
                actor,
                evaluation,
                Move.CONCLUDE,
                targets[evaluation.pk],
                comment,
                level=evaluation.final_level,
                decision=decision.pk,
            )
            evaluation.save()
        audit_record(
            actor=actor,
            action="evaluation.council_decision",
            obj=decision,
            unit=batch[0].unit_id,
            evaluations=len(batch),
            over_cap_confirmed=decision.over_cap_confirmed,
            changed_levels=changed,
        )
    return decision


def _council_reason(level: str, chosen: str, comment: str) -> dict:
    text = (
        f"Hội đồng quyết định mức {regimes.LEVEL_NAMES[chosen]} (mức theo quy định: "
        f"{regimes.LEVEL_NAMES[level]})" + (f": {comment}" if comment else ".")
    )
    return {
        "code": "COUNCIL_LEVEL",
        "kind": "limit",
        "text": text,
        "source": "Kết luận của hội đồng",
    }


def _over_cap_reason(comment: str) -> dict:
    text = f"Hội đồng xác nhận danh sách Hoàn thành xuất sắc nhiệm vụ vượt tỷ lệ: {comment}"
    return {
        "code": "CAP_CONFIRMED",
        "kind": "info",
        "text": text,
        "source": "Kết luận của hội đồng",
    }


def publish(*, actor: User, evaluations: Sequence[Evaluation]) -> int:
    """Publish concluded results to the officials; they are locked from then on."""
    with transaction.atomic():
        batch = _lock_batch(evaluations)
        for evaluation in batch:
            roles = roles_or_deny(actor, evaluation)
            require_open(evaluation.cycle)
            target = decide(evaluation, Move.PUBLISH, roles, "")
            record_move(actor, evaluation, Move.PUBLISH, target, "", level=evaluation.final_level)
            evaluation.locked, evaluation.published_at = True, evaluation.updated_at
            evaluation.save(update_fields=["state", "locked", "published_at", "updated_at"])
            notify(
                self_users(evaluation),
                evaluation,
                "published",
                f"Kết quả đánh giá đã được công bố: {evaluation}.",
            )
    return len(batch)


def reopen(*, actor: User, evaluation: Evaluation, reason: str) -> Evaluation:
    """Unlock a published result (council or head, or Sở Nội vụ), with a reason; it goes
    back to the council's step and must be concluded and published again."""
    with transaction.atomic():
        evaluation = lock(evaluation)
        roles = roles_or_deny(actor, evaluation)
        reason = clean_text(reason)
        target = decide(evaluation, Move.REOPEN, roles, reason)
        cycle = evaluation.cycle
        if cycle.status == CycleStatus.CLOSED:
            cycle.status, cycle.closed_at = CycleStatus.OPEN, None
            cycle.save(update_fields=["status", "closed_at"])
            audit_record(actor=actor, action="evaluation.cycle_reopen", obj=cycle, reason=reason)
        previous = {
            "level": evaluation.final_level,
            "score": str(evaluation.final_score),
            "published_at": evaluation.published_at.isoformat()
            if evaluation.published_at
            else None,
            "reasons": evaluation.reasons,
        }
        record_move(actor, evaluation, Move.REOPEN, target, reason, previous=previous)
        evaluation.locked, evaluation.published_at = False, None
        evaluation.final_level, evaluation.final_score, evaluation.reasons = "", None, []
        evaluation.decision = None
        evaluation.save()
        notify(
            self_users(evaluation),
            evaluation,
            "reopened",
            f"Kết quả đánh giá được mở lại để xem xét: {reason}",
        )
    return evaluation
