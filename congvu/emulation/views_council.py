"""Pages of the council's sessions and secret ballot, of award decisions, certificates and
revocation. Thin: every read a selector with the check inside the query (outside the scope:
404), every write a service, POST then redirect. While a session votes, no page shows a
count other than how many members have voted."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from congvu.core import permissions
from congvu.core.labels import translated
from congvu.core.official_docx import DOCX_TYPE
from congvu.core.permissions import Action
from congvu.core.xlsx import xlsx_response
from congvu.emulation import documents_council, rules, selectors_council, services_council
from congvu.emulation.forms_council import (
    AddItemsForm,
    DecisionForm,
    IssueForm,
    RevokeForm,
    SessionForm,
)
from congvu.emulation.models import SessionItem

PAGE_SIZE = 25


def _errors(error: ValidationError) -> str:
    return " ".join(error.messages)


def _page(request: HttpRequest, rows: Any) -> Any:
    return Paginator(rows, PAGE_SIZE).get_page(request.GET.get("trang"))


# --- Sessions ----------------------------------------------------------------------------------


@login_required
def council_session_list(request: HttpRequest) -> HttpResponse:
    if not selectors_council.may_see_sessions(request.user):
        raise PermissionDenied
    rows = selectors_council.session_list_for_user(user=request.user).order_by("-held_on", "-pk")
    return render(
        request,
        "emulation/council_session_list.html",
        {
            "page": _page(request, rows),
            "manages": permissions.may(request.user, Action.EMULATION_MANAGE),
            "states": translated(rules.SESSION_STATE_NAMES),
        },
    )


@login_required
def council_session_create(request: HttpRequest) -> HttpResponse:
    permissions.require(request.user, Action.EMULATION_MANAGE)
    units = selectors_council.council_units_for_user(user=request.user)
    candidates = list(selectors_council.member_candidates_for_user(user=request.user)[:500])
    form = SessionForm(
        request.POST or None,
        units=units,
        candidates=candidates,
        initial={"held_on": timezone.localdate()},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        spec = services_council.SessionSpec(
            title=data["title"],
            unit=form.units[data["unit"]],
            held_on=data["held_on"],
            members=[form.candidates[k] for k in data["members"]],
        )
        try:
            session = services_council.session_create(actor=request.user, spec=spec)
        except PermissionDenied:
            form.add_error(None, _("Bạn không có quyền triệu tập Hội đồng này."))
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Đã tạo phiên họp."))
            return redirect("emulation:council_session_detail", pk=session.pk)
    return render(
        request,
        "emulation/council_session_form.html",
        {"form": form},
        status=400 if form.errors else 200,
    )


def _session(request: HttpRequest, pk: int) -> Any:
    session = selectors_council.session_get_for_user(user=request.user, pk=pk)
    if session is None:
        raise Http404
    return session


@login_required
def council_session_detail(request: HttpRequest, pk: int) -> HttpResponse:
    session = _session(request, pk)
    manages = selectors_council.session_manages(request.user, session)
    items = list(
        session.items.select_related(
            "nomination__unit", "nomination__staff", "nomination__subject_unit"
        )
    )
    closed = session.state == rules.CLOSED
    add_form = None
    if manages and session.state == rules.PREPARING:
        add_form = AddItemsForm(
            nominations=list(
                selectors_council.checked_nominations_for_user(user=request.user).exclude(
                    pk__in=[i.nomination_id for i in items]
                )[:200]
            )
        )
    member = selectors_council.session_is_member(request.user, session)
    return render(
        request,
        "emulation/council_session_detail.html",
        {
            "session": session,
            "items": items,
            "closed": closed,
            "manages": manages,
            "add_form": add_form,
            "member": member,
            "voted": member and session.receipts.filter(member=request.user).exists(),
            "members": session.members.select_related("staff").order_by("username"),
            "states": translated(rules.SESSION_STATE_NAMES),
            "quorum": rules.quorum(session.held_on),
        },
    )


def _post_session(request: HttpRequest, pk: int, act: Any, done: str) -> HttpResponse:
    session = _session(request, pk)
    try:
        act(session)
    except PermissionDenied:
        raise Http404 from None
    except ValidationError as error:
        messages.error(request, _errors(error))
    else:
        messages.success(request, done)
    return redirect("emulation:council_session_detail", pk=session.pk)


@login_required
@require_POST
def council_session_add(request: HttpRequest, pk: int) -> HttpResponse:
    def act(session: Any) -> None:
        form = AddItemsForm(
            request.POST,
            nominations=list(selectors_council.checked_nominations_for_user(user=request.user)),
        )
        if not form.is_valid():
            raise ValidationError(_("Cần chọn hồ sơ đề nghị để đưa ra Hội đồng."))
        chosen = [form.rows[k] for k in form.cleaned_data["nominations"]]
        services_council.session_add(actor=request.user, session=session, nominations=chosen)

    return _post_session(request, pk, act, _("Đã đưa hồ sơ vào phiên họp."))


@login_required
@require_POST
def council_session_remove(request: HttpRequest, pk: int, item: int) -> HttpResponse:
    def act(session: Any) -> None:
        row = SessionItem.objects.filter(session=session, pk=item).first()
        if row is None:
            raise ValidationError(_("Không có hồ sơ này trong phiên họp."))
        services_council.session_remove(actor=request.user, session=session, item=row)

    return _post_session(request, pk, act, _("Đã bỏ hồ sơ khỏi phiên họp."))


@login_required
@require_POST
def council_session_open(request: HttpRequest, pk: int) -> HttpResponse:
    return _post_session(
        request,
        pk,
        lambda s: services_council.session_open(actor=request.user, session=s),
        _("Đã mở bỏ phiếu."),
    )


@login_required
@require_POST
def council_session_close(request: HttpRequest, pk: int) -> HttpResponse:
    return _post_session(
        request,
        pk,
        lambda s: services_council.session_close(actor=request.user, session=s),
        _("Đã kết thúc bỏ phiếu và kiểm phiếu."),
    )


@login_required
def council_ballot(request: HttpRequest, pk: int) -> HttpResponse:
    """The member's secret ballot: one choice per nomination, cast once."""
    session = _session(request, pk)
    if not selectors_council.session_is_member(request.user, session) or not permissions.may(
        request.user, Action.EMULATION_VOTE
    ):
        raise Http404
    items = list(
        session.items.select_related(
            "nomination__unit", "nomination__staff", "nomination__subject_unit"
        )
    )
    voted = session.receipts.filter(member=request.user).exists()
    error = ""
    chosen: dict[str, str] = {}
    if request.method == "POST":
        chosen = {
            key[len("item-") :]: value[:16]
            for key, value in request.POST.items()
            if key.startswith("item-") and key[len("item-") :].isdigit()
        }
        try:
            services_council.ballot_cast(
                actor=request.user, session=session, choices={int(k): v for k, v in chosen.items()}
            )
        except PermissionDenied:
            raise Http404 from None
        except ValidationError as refusal:
            error = _errors(refusal)
        else:
            messages.success(request, _("Đã ghi nhận phiếu bầu của bạn."))
            return redirect("emulation:council_ballot", pk=session.pk)
    return render(
        request,
        "emulation/council_ballot.html",
        {
            "session": session,
            "items": items,
            "voted": voted,
            "voting": session.state == rules.VOTING,
            "choices": translated(rules.CHOICES),
            "chosen": chosen,
            "error": error,
        },
        status=400 if error else 200,
    )


@login_required
def council_minutes(request: HttpRequest, pk: int) -> HttpResponse:
    session = _session(request, pk)
    if session.state != rules.CLOSED:
        raise Http404
    items = list(session.items.select_related("nomination__staff", "nomination__subject_unit"))
    content = documents_council.minutes_docx(
        session=session, items=items, cast=session.receipts.count()
    )
    response = HttpResponse(content, content_type=DOCX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="bien-ban-hoi-dong-{session.pk}.docx"'
    return response


# --- Decisions ---------------------------------------------------------------------------------


@login_required
def decision_list(request: HttpRequest) -> HttpResponse:
    permissions.require(request.user, Action.EMULATION_VIEW)
    rows = selectors_council.decision_list_for_user(user=request.user).order_by("-issued_at", "-pk")
    return render(
        request,
        "emulation/decision_list.html",
        {
            "page": _page(request, rows),
            "manages": permissions.may(request.user, Action.EMULATION_MANAGE),
        },
    )


@login_required
def decision_create(request: HttpRequest) -> HttpResponse:
    permissions.require(request.user, Action.EMULATION_MANAGE)
    units = selectors_council.council_units_for_user(user=request.user)
    form = DecisionForm(
        request.POST or None, units=units, initial={"year": timezone.localdate().year - 1}
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        spec = services_council.DecisionSpec(
            unit=form.units[data["unit"]],
            award=data["award"],
            year=data["year"],
            issuer=data["issuer"],
            signer_title=data["signer_title"],
            signer_name=data["signer_name"],
            number=data["number"],
            signed_on=data["signed_on"],
        )
        try:
            decision = services_council.decision_draft(actor=request.user, spec=spec)
        except PermissionDenied:
            form.add_error(None, _("Bạn không có quyền lập quyết định này."))
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Đã lập dự thảo quyết định."))
            return redirect("emulation:decision_detail", pk=decision.pk)
    return render(
        request,
        "emulation/decision_form.html",
        {"form": form},
        status=400 if form.errors else 200,
    )


def _decision(request: HttpRequest, pk: int) -> Any:
    decision = selectors_council.decision_get_for_user(user=request.user, pk=pk)
    if decision is None:
        raise Http404
    return decision


@login_required
def decision_detail(request: HttpRequest, pk: int) -> HttpResponse:
    decision = _decision(request, pk)
    manages = selectors_council.decision_manages(request.user, decision)
    lines = selectors_council.decision_lines(decision)
    for line in lines:
        line.money = documents_council.money(line.bonus_amount)  # type: ignore[attr-defined]
        line.basis = documents_council.bonus_basis(line)  # type: ignore[attr-defined]
    pending = (
        []
        if decision.issued_at
        else list(
            decision.nominations.select_related("unit", "staff", "subject_unit").order_by(
                "unit__name", "pk"
            )
        )
    )
    issue_form = None
    if manages and not decision.issued_at:
        issue_form = IssueForm(
            initial={
                "number": decision.number,
                "signed_on": decision.signed_on or timezone.localdate(),
            }
        )
    return render(
        request,
        "emulation/decision_detail.html",
        {
            "decision": decision,
            "lines": lines,
            "pending": pending,
            "manages": manages,
            "issue_form": issue_form,
            "total": documents_council.money(
                sum(line.bonus_amount or 0 for line in lines if not line.revoked)
            ),
        },
    )


@login_required
@require_POST
def decision_issue(request: HttpRequest, pk: int) -> HttpResponse:
    decision = _decision(request, pk)
    form = IssueForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Cần ghi số và ngày ký (dd/mm/yyyy) của quyết định."))
        return redirect("emulation:decision_detail", pk=decision.pk)
    try:
        services_council.decision_issue(
            actor=request.user,
            decision=decision,
            number=form.cleaned_data["number"],
            signed_on=form.cleaned_data["signed_on"],
        )
    except PermissionDenied:
        raise Http404 from None
    except ValidationError as error:
        messages.error(request, _errors(error))
    else:
        messages.success(request, _("Đã ban hành quyết định khen thưởng."))
    return redirect("emulation:decision_detail", pk=decision.pk)


@login_required
def decision_docx(request: HttpRequest, pk: int) -> HttpResponse:
    decision = _decision(request, pk)
    content = documents_council.decision_docx(
        decision=decision, lines=selectors_council.decision_lines(decision)
    )
    response = HttpResponse(content, content_type=DOCX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="quyet-dinh-{decision.pk}.docx"'
    return response


@login_required
def decision_xlsx(request: HttpRequest, pk: int) -> HttpResponse:
    decision = _decision(request, pk)
    book = documents_council.decision_workbook(
        decision=decision, lines=selectors_council.decision_lines(decision)
    )
    return xlsx_response(book, f"danh-sach-khen-thuong-{decision.pk}.xlsx")


@login_required
def decision_certificates(request: HttpRequest, pk: int) -> HttpResponse:
    decision = _decision(request, pk)
    if not decision.issued_at:
        raise Http404
    lines = [line for line in selectors_council.decision_lines(decision) if not line.revoked]
    return render(
        request,
        "emulation/certificate.html",
        {"decision": decision, "lines": lines, "back": decision},
    )


# --- Achievements: a certificate, a revocation ---------------------------------------------------


def _achievement(request: HttpRequest, pk: int) -> Any:
    achievement = selectors_council.achievement_get_for_user(user=request.user, pk=pk)
    if achievement is None:
        raise Http404
    return achievement


@login_required
def achievement_certificate(request: HttpRequest, pk: int) -> HttpResponse:
    achievement = _achievement(request, pk)
    if achievement.revoked or achievement.decision_id is None:
        raise Http404
    return render(
        request,
        "emulation/certificate.html",
        {"decision": achievement.decision, "lines": [achievement], "back": achievement.decision},
    )


@login_required
def achievement_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    achievement = _achievement(request, pk)
    if not selectors_council.achievement_manages(request.user, achievement):
        raise Http404
    form = RevokeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services_council.achievement_revoke(
                actor=request.user, achievement=achievement, **form.cleaned_data
            )
        except PermissionDenied:
            raise Http404 from None
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Đã hủy bỏ khen thưởng."))
            if achievement.decision_id:
                return redirect("emulation:decision_detail", pk=achievement.decision_id)
            return redirect("emulation:decision_list")
    return render(
        request,
        "emulation/decision_revoke.html",
        {"achievement": achievement, "form": form},
        status=400 if form.errors else 200,
    )
