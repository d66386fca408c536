"""Writers of the council's sessions and secret ballot, of award decisions and of revocations.
One transaction each, an audit record each; bad input is a ``ValidationError`` in Vietnamese
that changes nothing.

The ballot is secret by construction: casting creates a receipt (the member has voted in the
session, nothing more) and adds one to a counter of each item with an ``F()`` expression; no
row, history, log line or audit record ever holds a member's choice, and the counters are shown
only once the session is closed (docs/emulation.md)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from congvu.core import permissions
from congvu.core.actors import SystemActor, is_system, login_of
from congvu.core.audit import audit_record
from congvu.core.dated_store import setting_overrides
from congvu.core.logging import log_event
from congvu.core.permissions import Action
from congvu.core.text import clean_text, nfc
from congvu.emulation import rules, selectors_council
from congvu.emulation.models import (
    Achievement,
    AwardDecision,
    BallotReceipt,
    CouncilSession,
    Nomination,
    NominationStep,
    SessionItem,
)
from congvu.emulation.services import initiative_use
from congvu.emulation.services import nomination_step as _step
from congvu.emulation.services_board import board_changed

if TYPE_CHECKING:
    from congvu.accounts.models import User
    from congvu.organisations.models import Unit

TEXT_MAX = 4000
LINE_MAX = 255
EARLIEST = date(2024, 1, 1)  # Luật 06/2022 and ND 98/2023: the thresholds and bonuses known


def _denied(actor: Any, action: str) -> PermissionDenied:
    log_event("access.denied", user=getattr(actor, "pk", None), action=action)
    return PermissionDenied()


def _line(value: str, label: str, *, required: bool = True, limit: int = LINE_MAX) -> str:
    text = nfc(str(value or "")).strip()
    if required and not text:
        raise ValidationError(_("Cần ghi %(label)s.") % {"label": label})
    if len(text) > limit:
        raise ValidationError(
            _("%(label)s dài quá %(limit)s ký tự.") % {"label": label.capitalize(), "limit": limit}
        )
    return text


# --- Sessions ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class SessionSpec:
    title: str
    unit: Unit
    held_on: date
    members: Sequence[User]


def session_create(*, actor: User | SystemActor, spec: SessionSpec) -> CouncilSession:
    """Convene a session of ``spec.unit``'s council with its members on the day (the
    denominator of every threshold)."""
    if not is_system(actor) and not permissions.can(actor, Action.EMULATION_MANAGE, spec.unit):
        raise _denied(actor, "emulation.session_create")
    title = _line(spec.title, _("tên phiên họp"))
    today = timezone.localdate()
    if not EARLIEST <= spec.held_on <= date(today.year + 1, 12, 31):
        raise ValidationError(
            _("Ngày họp phải từ 01/01/2024 đến hết năm sau (Luật Thi đua, khen thưởng 2022).")
        )
    members = {m.pk: m for m in spec.members}
    if not members:
        raise ValidationError(_("Cần chọn thành viên Hội đồng."))
    if not is_system(actor):
        allowed = set(
            selectors_council.member_candidates_for_user(user=actor)
            .filter(pk__in=list(members))
            .values_list("pk", flat=True)
        )
        if set(members) - allowed:
            raise ValidationError(
                _("Thành viên Hội đồng phải là người dùng có vai trò trong phạm vi của bạn.")
            )
    with transaction.atomic():
        session = CouncilSession.objects.create(
            title=title,
            unit=spec.unit,
            held_on=spec.held_on,
            member_count=len(members),
            created_by=login_of(actor) or next(iter(members.values())),
        )
        session.members.set(list(members))
        audit_record(
            actor=actor,
            action="emulation.session_create",
            obj=session,
            unit=spec.unit.code,
            members=len(members),
        )
    return session


def _locked(session: CouncilSession) -> CouncilSession:
    return CouncilSession.objects.select_for_update().get(pk=session.pk)


def _require_manage(actor: Any, session: CouncilSession, action: str) -> None:
    if not is_system(actor) and not selectors_council.session_manages(actor, session):
        raise _denied(actor, action)


def session_add(
    *, actor: User | SystemActor, session: CouncilSession, nominations: Sequence[Nomination]
) -> int:
    """Put checked nominations on the ballot of a session being prepared, each with the
    threshold in force on the day of the session (a snapshot: a later change of the setting
    does not move a vote already prepared)."""
    _require_manage(actor, session, "emulation.session_add")
    if not nominations:
        raise ValidationError(_("Cần chọn hồ sơ đề nghị để đưa ra Hội đồng."))
    overrides = setting_overrides(session.held_on)
    with transaction.atomic():
        session = _locked(session)
        if session.state != rules.PREPARING:
            raise ValidationError(_("Chỉ thêm hồ sơ khi phiên họp đang chuẩn bị."))
        ids = [n.pk for n in nominations]
        scope = (
            Nomination.objects.filter(pk__in=ids, state=rules.CHECKED)
            if is_system(actor)
            else selectors_council.checked_nominations_for_user(user=actor).filter(pk__in=ids)
        )
        found = list(scope)
        if len(found) != len(set(ids)):
            raise ValidationError(
                _("Chỉ đưa ra Hội đồng hồ sơ đã thẩm định, trong phạm vi của bạn.")
            )
        elsewhere = SessionItem.objects.filter(
            nomination_id__in=ids, session__state__in=(rules.PREPARING, rules.VOTING)
        ).exclude(session=session)
        if elsewhere.exists():
            raise ValidationError(_("Có hồ sơ đã ở trong một phiên họp khác chưa kết thúc."))
        already = set(session.items.values_list("nomination_id", flat=True))
        made = SessionItem.objects.bulk_create(
            [
                SessionItem(
                    session=session,
                    nomination=n,
                    threshold=rules.vote_threshold(n.award, session.held_on, overrides),
                )
                for n in found
                if n.pk not in already
            ]
        )
        audit_record(
            actor=actor,
            action="emulation.session_add",
            obj=session,
            nominations=sorted(n.pk for n in found if n.pk not in already),
        )
    return len(made)


def session_remove(*, actor: User | SystemActor, session: CouncilSession, item: SessionItem):
    """Take a nomination off a session still being prepared."""
    _require_manage(actor, session, "emulation.session_remove")
    with transaction.atomic():
        session = _locked(session)
        if session.state != rules.PREPARING or item.session_id != session.pk:
            raise ValidationError(_("Chỉ bỏ hồ sơ khi phiên họp đang chuẩn bị."))
        nomination_id = item.nomination_id
        item.delete()
        audit_record(
            actor=actor,
            action="emulation.session_remove",
            obj=session,
            nomination=nomination_id,
        )


def session_open(*, actor: User | SystemActor, session: CouncilSession) -> CouncilSession:
    """Open the ballot: the nominations go to «đang bỏ phiếu»."""
    _require_manage(actor, session, "emulation.session_open")
    with transaction.atomic():
        session = _locked(session)
        if session.state != rules.PREPARING:
            raise ValidationError(_("Phiên họp không ở trạng thái chuẩn bị."))
        items = list(session.items.select_related("nomination"))
        if not items:
            raise ValidationError(_("Phiên họp chưa có hồ sơ nào để bỏ phiếu."))
        if session.member_count < 1:
            raise ValidationError(_("Phiên họp chưa có thành viên."))
        ids = [i.nomination_id for i in items]
        moved = Nomination.objects.filter(pk__in=ids, state=rules.CHECKED).update(
            state=rules.IN_SESSION, updated_at=timezone.now()
        )
        if moved != len(ids):
            raise ValidationError(
                _("Có hồ sơ không còn ở trạng thái đã thẩm định; hãy bỏ hồ sơ đó khỏi phiên họp.")
            )
        text = _("Đưa ra phiên họp «%(title)s» ngày %(day)s") % {
            "title": session.title,
            "day": f"{session.held_on:%d/%m/%Y}",
        }
        NominationStep.objects.bulk_create(
            [
                _step(i.nomination, "session", rules.CHECKED, rules.IN_SESSION, text, actor)
                for i in items
            ]
        )
        session.state = rules.VOTING
        session.opened_at = timezone.now()
        session.save(update_fields=["state", "opened_at"])
        audit_record(actor=actor, action="emulation.session_open", obj=session)
    return session


def ballot_cast(*, actor: User, session: CouncilSession, choices: Mapping[int, str]) -> None:
    """A member casts their secret ballot, whole and once: a receipt that they voted, and one
    more on a counter of every item. Nothing records which counter."""
    if not permissions.may(actor, Action.EMULATION_VOTE) or not (
        selectors_council.session_is_member(actor, session)
    ):
        raise _denied(actor, "emulation.ballot_cast")
    with transaction.atomic():
        session = _locked(session)
        if session.state != rules.VOTING:
            raise ValidationError(_("Phiên họp không trong thời gian bỏ phiếu."))
        items = list(
            SessionItem.objects.select_for_update()
            .filter(session=session)
            .values_list("pk", flat=True)
        )
        keyed = {str(k): v for k, v in choices.items()}
        refusal = rules.ballot_refusal(keyed, [str(i) for i in items])
        if refusal:
            raise ValidationError(_(refusal))
        if BallotReceipt.objects.filter(session=session, member=actor).exists():
            raise ValidationError(
                _("Bạn đã bỏ phiếu trong phiên họp này; mỗi thành viên bỏ phiếu một lần.")
            )
        try:
            with transaction.atomic():
                BallotReceipt.objects.create(session=session, member=actor)
        except IntegrityError:
            raise ValidationError(
                _("Bạn đã bỏ phiếu trong phiên họp này; mỗi thành viên bỏ phiếu một lần.")
            ) from None
        for column in (rules.YES, rules.NO, rules.ABSTAIN):
            chosen = [int(k) for k, v in keyed.items() if v == column]
            if chosen:
                SessionItem.objects.filter(pk__in=chosen).update(**{column: F(column) + 1})
        # Only that the member voted: no choice, no item.
        audit_record(actor=actor, action="emulation.ballot_cast", obj=session)


MOVE_BY_RESULT = {True: "approve", False: "reject", None: "void"}
STATE_BY_RESULT = {True: rules.APPROVED, False: rules.REJECTED, None: rules.CHECKED}


def session_close(*, actor: User | SystemActor, session: CouncilSession) -> CouncilSession:
    """Close the ballot and count it (``rules.tally``: the denominator is every member):
    approved → «Hội đồng đề nghị khen thưởng», rejected → «không đề nghị», a void vote (no
    quorum) → back to «đã thẩm định» for a later session."""
    _require_manage(actor, session, "emulation.session_close")
    with transaction.atomic():
        session = _locked(session)
        if session.state != rules.VOTING:
            raise ValidationError(_("Phiên họp không trong thời gian bỏ phiếu."))
        cast = session.receipts.count()
        share = rules.quorum(session.held_on, setting_overrides(session.held_on))
        items = list(session.items.select_for_update().select_related("nomination"))
        steps = []
        for item in items:
            result = rules.tally(
                session.member_count, cast, item.yes, item.no, item.threshold, share
            )
            item.approved, item.detail = result.approved, result.detail[:255]
            after = STATE_BY_RESULT[result.approved]
            Nomination.objects.filter(pk=item.nomination_id, state=rules.IN_SESSION).update(
                state=after, updated_at=timezone.now()
            )
            steps.append(
                _step(
                    item.nomination,
                    MOVE_BY_RESULT[result.approved],
                    rules.IN_SESSION,
                    after,
                    result.detail,
                    actor,
                )
            )
        SessionItem.objects.bulk_update(items, ["approved", "detail"])
        NominationStep.objects.bulk_create(steps)
        session.state = rules.CLOSED
        session.closed_at = timezone.now()
        session.save(update_fields=["state", "closed_at"])
        audit_record(
            actor=actor,
            action="emulation.session_close",
            obj=session,
            cast=cast,
            approved=sum(1 for i in items if i.approved),
        )
    return session


# --- Decisions ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class DecisionSpec:
    unit: Unit
    award: str
    year: int
    issuer: str
    signer_title: str
    signer_name: str
    number: str = ""
    signed_on: date | None = None
    session: CouncilSession | None = None


def decision_draft(*, actor: User, spec: DecisionSpec) -> AwardDecision:
    """Draft a decision over every approved nomination of ``spec.award`` and ``spec.year`` in
    the actor's scope that no other draft holds."""
    if not permissions.can(actor, Action.EMULATION_MANAGE, spec.unit):
        raise _denied(actor, "emulation.decision_draft")
    if spec.award not in rules.AWARD_NAMES:
        raise ValidationError(_("Danh hiệu, hình thức khen thưởng không hợp lệ."))
    today = timezone.localdate()
    if not 2000 <= spec.year <= today.year:
        raise ValidationError(_("Năm thành tích không hợp lệ."))
    fields = {
        "issuer": _line(spec.issuer, _("cơ quan ban hành")),
        "signer_title": _line(spec.signer_title, _("chức vụ người ký")),
        "signer_name": _line(spec.signer_name, _("họ tên người ký")),
        "number": _line(spec.number, _("số quyết định"), required=False, limit=64),
    }
    _signed_on_refusal(spec.signed_on, required=False)
    nominations = list(
        selectors_council.approved_nominations_for_user(
            user=actor, award=spec.award, year=spec.year
        )
    )
    if not nominations:
        raise ValidationError(
            _("Không có hồ sơ được Hội đồng đề nghị khen thưởng cho danh hiệu và năm đã chọn.")
        )
    with transaction.atomic():
        decision = AwardDecision.objects.create(
            unit=spec.unit,
            award=spec.award,
            year=spec.year,
            signed_on=spec.signed_on,
            session=spec.session,
            created_by=actor,
            **fields,
        )
        decision.nominations.set(nominations)
        audit_record(
            actor=actor,
            action="emulation.decision_draft",
            obj=decision,
            award=spec.award,
            year=spec.year,
            nominations=len(nominations),
        )
    return decision


def _signed_on_refusal(day: date | None, *, required: bool) -> None:
    if day is None:
        if required:
            raise ValidationError(_("Cần ghi ngày ký quyết định."))
        return
    if not EARLIEST <= day <= timezone.localdate():
        raise ValidationError(_("Ngày ký phải từ 01/01/2024 đến hôm nay."))


def decision_issue(
    *, actor: User, decision: AwardDecision, number: str, signed_on: date | None
) -> AwardDecision:
    """Issue a drafted decision: one achievement per nomination with its bonus (the base
    salary in force on the day signed × the multiplier), every initiative it relied on used
    (once: rules P8), the nominations «đã có quyết định». All or nothing."""
    if not selectors_council.decision_manages(actor, decision):
        raise _denied(actor, "emulation.decision_issue")
    number = _line(number, _("số quyết định"), limit=64)
    _signed_on_refusal(signed_on, required=True)
    assert signed_on is not None
    overrides = setting_overrides(signed_on)
    now = timezone.now()
    with transaction.atomic():
        decision = AwardDecision.objects.select_for_update().get(pk=decision.pk)
        if decision.issued_at is not None:
            raise ValidationError(_("Quyết định đã được ban hành."))
        clash = AwardDecision.objects.filter(
            issuer=decision.issuer, number=number, signed_on=signed_on
        ).exclude(pk=decision.pk)
        if clash.exists():
            raise ValidationError(_("Đã có quyết định cùng số, cùng ngày của cơ quan này."))
        nominations = list(
            decision.nominations.select_related("staff", "subject_unit").prefetch_related(
                "initiatives"
            )
        )
        if not nominations:
            raise ValidationError(_("Quyết định chưa có hồ sơ nào."))
        moved = Nomination.objects.filter(
            pk__in=[n.pk for n in nominations], state=rules.APPROVED
        ).update(state=rules.DECIDED, updated_at=now)
        if moved != len(nominations):
            raise ValidationError(
                _("Có hồ sơ không còn ở trạng thái được Hội đồng đề nghị khen thưởng.")
            )
        lines, steps = [], []
        for n in nominations:
            for initiative in n.initiatives.all():
                initiative_use(initiative=initiative, nomination=n, at=now)
            money = rules.bonus(n.award, n.subject_kind, signed_on, overrides)
            lines.append(
                Achievement(
                    staff=n.staff,
                    unit=n.subject_unit,
                    unit_then=n.unit,
                    award=n.award,
                    kind=n.kind,
                    year=n.year,
                    decision=decision,
                    nomination=n,
                    citation=n.summary,
                    bonus_base=money.base,
                    bonus_multiplier=money.multiplier,
                    bonus_amount=money.amount,
                )
            )
            steps.append(
                _step(
                    n,
                    "decide",
                    rules.APPROVED,
                    rules.DECIDED,
                    _("Quyết định số %(number)s ngày %(day)s")
                    % {"number": number, "day": f"{signed_on:%d/%m/%Y}"},
                    actor,
                )
            )
        for line in lines:  # one by one: the history keeps each line's creation
            line.save()
        NominationStep.objects.bulk_create(steps)
        decision.number, decision.signed_on, decision.issued_at = number, signed_on, now
        decision.save(update_fields=["number", "signed_on", "issued_at"])
        audit_record(
            actor=actor,
            action="emulation.decision_issue",
            obj=decision,
            lines=len(lines),
            total=sum(line.bonus_amount or 0 for line in lines),
        )
        board_changed()
    return decision


# --- Revocation (Luật Thi đua, khen thưởng 06/2022/QH15, Chương VII) ----------------------------


def achievement_revoke(
    *, actor: User, achievement: Achievement, ground: str, reason: str, document: str
) -> Achievement:
    """Revoke an achievement on one of the law's grounds with the revoking document: never
    deleted; from then on it no longer counts, and its history keeps what it was."""
    if not selectors_council.achievement_manages(actor, achievement):
        raise _denied(actor, "emulation.achievement_revoke")
    if ground not in rules.REVOCATION_GROUNDS:
        raise ValidationError(_("Căn cứ hủy bỏ không hợp lệ."))
    reason = clean_text(reason, TEXT_MAX)
    if not reason:
        raise ValidationError(_("Cần ghi lý do hủy bỏ."))
    document = _line(document, _("số, ngày quyết định hủy bỏ"))
    with transaction.atomic():
        achievement = Achievement.objects.select_for_update().get(pk=achievement.pk)
        if achievement.revoked_at is not None:
            raise ValidationError(_("Khen thưởng này đã bị hủy bỏ."))
        achievement.revoked_at = timezone.now()
        achievement.revoke_ground = ground
        achievement.revoke_reason = reason
        achievement.revoke_document = document
        achievement.save(
            update_fields=["revoked_at", "revoke_ground", "revoke_reason", "revoke_document"]
        )
        audit_record(
            actor=actor,
            action="emulation.achievement_revoke",
            obj=achievement,
            ground=ground,
            document=document,
        )
        board_changed()
    return achievement
