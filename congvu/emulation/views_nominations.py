"""Pages of nominations (the engine's explanation, the dossier), and of a person's and a unit's
emulation history (initiatives, earlier achievements). Thin: every read a selector with the
check inside the query (outside the scope: 404), every write a service, POST then redirect."""

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
from congvu.core.permissions import Action
from congvu.core.uploads import download_stem, stored_file_response
from congvu.emulation import access, documents, history, rules, selectors
from congvu.emulation import services_nominations as services
from congvu.emulation.forms import (
    EvidenceForm,
    InitiativeForm,
    MoveForm,
    NominationForm,
    PastAchievementForm,
)
from congvu.emulation.models import Achievement, Initiative, NominationEvidence, SessionItem
from congvu.organisations import selectors as org_selectors
from congvu.organisations.models import Staff, Unit

PAGE_SIZE = 25


def _int(request: HttpRequest, name: str) -> int | None:
    raw = request.GET.get(name, "")[:12]
    return int(raw) if raw.isdigit() else None


def _refused(request: HttpRequest, error: ValidationError | PermissionDenied) -> None:
    if isinstance(error, PermissionDenied):
        messages.error(request, _("Bạn không có quyền thực hiện thao tác này."))
    else:
        messages.error(request, " ".join(error.messages))


def _nomination_or_404(request: HttpRequest, pk: int) -> Any:
    row = selectors.nomination_get_for_user(user=request.user, pk=pk)
    if row is None:
        raise Http404
    return row


@login_required
def nomination_list(request: HttpRequest) -> HttpResponse:
    permissions.require(request.user, Action.EMULATION_VIEW)
    rows = selectors.nomination_list_for_user(user=request.user)
    year, state, award = _int(request, "nam"), request.GET.get("tt", ""), request.GET.get("dh", "")
    if year:
        rows = rows.filter(year=year)
    if state in rules.NOMINATION_STATES:
        rows = rows.filter(state=state)
    if award in rules.AWARDS:
        rows = rows.filter(award=award)
    page = Paginator(rows.order_by("-year", "-pk"), PAGE_SIZE).get_page(request.GET.get("trang"))
    query = request.GET.copy()
    query.pop("trang", None)
    return render(
        request,
        "emulation/nomination_list.html",
        {
            "page": page,
            "year": year,
            "state": state,
            "award": award,
            "states": translated(rules.NOMINATION_STATE_NAMES),
            "awards": translated(rules.AWARD_NAMES),
            "paging": query.urlencode(),
            "proposes": permissions.may(request.user, Action.EMULATION_PROPOSE),
        },
    )


def _subjects(request: HttpRequest) -> tuple[list[tuple[str, str]], dict[str, Any]]:
    staff = list(selectors.proposable_staff(user=request.user).order_by("sort_key")[:2000])
    units = list(
        org_selectors.unit_list_for_user(user=request.user, action=Action.EMULATION_PROPOSE)
        .filter(valid_to__isnull=True)
        .order_by("sort_key")
    )
    found: dict[str, Any] = {f"s:{s.pk}": s for s in staff}
    found.update({f"u:{u.pk}": u for u in units})
    choices = [("", "—")]
    choices += [(f"s:{s.pk}", f"{s.full_name} — {s.unit.name}") for s in staff]
    choices += [(f"u:{u.pk}", _("Tập thể %(name)s") % {"name": u.name}) for u in units]
    return choices, found


def _free_initiatives(subject: Any) -> list[Initiative]:
    if subject is None:
        return []
    owner = {"staff": subject} if isinstance(subject, Staff) else {"unit": subject}
    return list(Initiative.objects.filter(used_for="", **owner).order_by("-year", "pk"))


@login_required
def nomination_create(request: HttpRequest) -> HttpResponse:
    permissions.require(request.user, Action.EMULATION_PROPOSE)
    choices, found = _subjects(request)
    key = (request.POST.get("subject") or request.GET.get("doi_tuong", ""))[:24]
    subject = found.get(key)
    initial = {"subject": key, "year": timezone.localdate().year - 1, "kind": rules.MERIT}
    if request.GET.get("dh", "") in rules.AWARDS:
        initial["award"] = request.GET["dh"]
    form = NominationForm(
        request.POST or None,
        subjects=choices,
        initiatives=_free_initiatives(subject),
        initial=initial,
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        spec = services.NominationSpec(
            award=data["award"],
            year=data["year"],
            summary=data["summary"],
            kind=data["kind"],
            staff=subject if isinstance(subject, Staff) else None,
            subject_unit=subject if isinstance(subject, Unit) else None,
            initiatives=[int(i) for i in data["initiatives"]],
            pending=data["pending"],
        )
        try:
            nomination = services.nomination_create(actor=request.user, spec=spec)
        except (ValidationError, PermissionDenied) as error:
            _refused(request, error)
        else:
            messages.success(request, _("Đã lập hồ sơ đề nghị; xem kết quả kiểm tra điều kiện."))
            return redirect("emulation:nomination_detail", nomination.pk)
    return render(
        request, "emulation/nomination_form.html", {"form": form, "subject": subject, "key": key}
    )


@login_required
def nomination_edit(request: HttpRequest, pk: int) -> HttpResponse:
    nomination = _nomination_or_404(request, pk)
    if rules.PROPOSER not in access.nomination_roles(request.user, nomination):
        raise PermissionDenied
    subject = nomination.staff or nomination.subject_unit
    free = _free_initiatives(subject)
    chosen = list(nomination.initiatives.all())
    form = NominationForm(
        request.POST or None,
        subjects=[("", str(subject))],
        initiatives=chosen + [i for i in free if i not in chosen],
        editing=True,
        initial={
            "subject": "",
            "award": nomination.award,
            "year": nomination.year,
            "kind": nomination.kind,
            "summary": nomination.summary,
            "initiatives": [str(i.pk) for i in chosen],
            "pending": nomination.pending,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.nomination_update(
                actor=request.user,
                nomination=nomination,
                summary=form.cleaned_data["summary"],
                initiatives=[int(i) for i in form.cleaned_data["initiatives"]],
                pending=form.cleaned_data["pending"],
            )
        except (ValidationError, PermissionDenied) as error:
            _refused(request, error)
        else:
            messages.success(request, _("Đã lưu hồ sơ và kiểm tra lại điều kiện."))
            return redirect("emulation:nomination_detail", nomination.pk)
    return render(
        request,
        "emulation/nomination_form.html",
        {"form": form, "subject": subject, "nomination": nomination},
    )


@login_required
def nomination_detail(request: HttpRequest, pk: int) -> HttpResponse:
    nomination = _nomination_or_404(request, pk)
    roles = access.nomination_roles(request.user, nomination)
    subject = services.subject_of(nomination)
    return render(
        request,
        "emulation/nomination_detail.html",
        {
            "nomination": nomination,
            "result": nomination.report.get("result", ""),
            "checks": nomination.report.get("checks", []),
            "parameters": nomination.report.get("parameters", []),
            "moves": rules.NOMINATION_MACHINE.moves_for(nomination.state, roles),
            "move_names": translated(rules.NOMINATION_MOVE_NAMES),
            "states": translated(rules.NOMINATION_STATE_NAMES),
            "years": documents.history_rows(subject),
            "initiatives": nomination.initiatives.all(),
            "evidence": nomination.evidence.all(),
            "steps": nomination.steps.select_related("actor"),
            "achievement": Achievement.objects.filter(nomination=nomination)
            .select_related("decision")
            .first(),
            "votes": SessionItem.objects.filter(
                nomination=nomination, session__state=rules.CLOSED
            ).select_related("session"),
            "proposer": rules.PROPOSER in roles,
            "editable": rules.PROPOSER in roles
            and nomination.state in (rules.DRAFT, rules.RETURNED),
            "evidence_form": EvidenceForm(),
            "regime": next(
                (r.title for r in rules.REGIMES if r.code == nomination.report.get("regime")),
                nomination.report.get("regime", "—"),
            ),
        },
    )


@login_required
@require_POST
def nomination_move(request: HttpRequest, pk: int) -> HttpResponse:
    nomination = _nomination_or_404(request, pk)
    form = MoveForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Thao tác không hợp lệ."))
        return redirect("emulation:nomination_detail", pk)
    try:
        services.nomination_move(
            actor=request.user,
            nomination=nomination,
            move=form.cleaned_data["move"],
            comment=form.cleaned_data["comment"],
        )
    except (ValidationError, PermissionDenied) as error:
        _refused(request, error)
    else:
        messages.success(request, _("Đã cập nhật hồ sơ."))
    return redirect("emulation:nomination_detail", pk)


@login_required
@require_POST
def nomination_evaluate(request: HttpRequest, pk: int) -> HttpResponse:
    nomination = _nomination_or_404(request, pk)
    try:
        services.nomination_evaluate(actor=request.user, nomination=nomination)
    except (ValidationError, PermissionDenied) as error:
        _refused(request, error)
    else:
        messages.success(request, _("Đã kiểm tra lại điều kiện với dữ liệu hiện có."))
    return redirect("emulation:nomination_detail", pk)


@login_required
@require_POST
def nomination_evidence(request: HttpRequest, pk: int) -> HttpResponse:
    nomination = _nomination_or_404(request, pk)
    form = EvidenceForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, _("Chọn một tệp để đính kèm."))
        return redirect("emulation:nomination_detail", pk)
    try:
        services.nomination_evidence_add(
            actor=request.user, nomination=nomination, upload=form.cleaned_data["file"]
        )
    except (ValidationError, PermissionDenied) as error:
        _refused(request, error)
    else:
        messages.success(request, _("Đã đính kèm tệp."))
    return redirect("emulation:nomination_detail", pk)


@login_required
def evidence_download(request: HttpRequest, pk: int) -> HttpResponse:
    item = NominationEvidence.objects.filter(pk=pk).select_related("nomination").first()
    if (
        item is None
        or selectors.nomination_get_for_user(user=request.user, pk=item.nomination_id) is None
    ):
        raise Http404
    try:
        return stored_file_response(
            services.evidence_path(item), item.content_type, download_stem(item.original_name)
        )
    except FileNotFoundError as error:
        raise Http404 from error


@login_required
def nomination_dossier(request: HttpRequest, pk: int) -> HttpResponse:
    nomination = _nomination_or_404(request, pk)
    data = documents.dossier_docx(
        nomination,
        services.subject_of(nomination),
        day=timezone.localdate(),
        initiatives=list(nomination.initiatives.all()),
    )
    response = HttpResponse(
        data,
        content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    )
    stem = download_stem(f"ho-so-{nomination.award}-{nomination.year}-{nomination.pk}")
    response["Content-Disposition"] = f'attachment; filename="{stem}.docx"'
    return response


# --- A person's and a unit's history ----------------------------------------------------------


def _staff_or_404(request: HttpRequest, pk: int) -> Staff:
    staff = org_selectors.staff_get_for_user(user=request.user, pk=pk, action=Action.EMULATION_VIEW)
    if staff is None:
        raise Http404
    return staff


@login_required
def staff_history(request: HttpRequest, pk: int) -> HttpResponse:
    staff = _staff_or_404(request, pk)
    year = timezone.localdate().year
    subject = history.staff_subject(staff, year=year)
    unit = staff.unit
    manages = unit is not None and permissions.can(request.user, Action.EMULATION_MANAGE, unit)
    proposes = (
        unit is not None
        and permissions.can(request.user, Action.EMULATION_PROPOSE, unit)
        and staff.pk != getattr(request.user, "staff_id", None)
    )
    return render(
        request,
        "emulation/staff_history.html",
        {
            "staff": staff,
            "years": documents.history_rows(subject),
            "achievements": selectors.achievement_list_for_user(user=request.user).filter(
                staff=staff
            ),
            "initiatives": selectors.initiative_list_for_user(user=request.user).filter(
                staff=staff
            ),
            "nominations": selectors.nomination_list_for_user(user=request.user).filter(
                staff=staff
            ),
            "manages": manages,
            "proposes": proposes,
            "initiative_form": InitiativeForm() if manages or proposes else None,
            "past_form": PastAchievementForm(kind=rules.INDIVIDUAL) if manages else None,
        },
    )


@login_required
@require_POST
def staff_initiative_add(request: HttpRequest, pk: int) -> HttpResponse:
    staff = _staff_or_404(request, pk)
    form = InitiativeForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Kiểm tra lại các trường của sáng kiến."))
        return redirect("emulation:staff_history", pk)
    try:
        services.initiative_record(
            actor=request.user, spec=services.InitiativeSpec(staff=staff, **form.cleaned_data)
        )
    except (ValidationError, PermissionDenied) as error:
        _refused(request, error)
    else:
        messages.success(request, _("Đã ghi sáng kiến."))
    return redirect("emulation:staff_history", pk)


@login_required
@require_POST
def staff_achievement_add(request: HttpRequest, pk: int) -> HttpResponse:
    staff = _staff_or_404(request, pk)
    form = PastAchievementForm(request.POST, kind=rules.INDIVIDUAL)
    if not form.is_valid():
        messages.error(request, _("Kiểm tra lại các trường của thành tích."))
        return redirect("emulation:staff_history", pk)
    try:
        services.achievement_record_past(
            actor=request.user,
            spec=services.PastAchievementSpec(staff=staff, **form.cleaned_data),
        )
    except (ValidationError, PermissionDenied) as error:
        _refused(request, error)
    else:
        messages.success(request, _("Đã ghi thành tích."))
    return redirect("emulation:staff_history", pk)


@login_required
def unit_history(request: HttpRequest, pk: int) -> HttpResponse:
    unit = org_selectors.unit_get_for_user(user=request.user, pk=pk, action=Action.EMULATION_VIEW)
    if unit is None:
        raise Http404
    subject = history.unit_subject(unit, year=timezone.localdate().year)
    years = [
        {
            "year": y.year,
            "rating": documents.RATING_NAMES.get(y.rating or "", "—"),
            "titles": "; ".join(rules.AWARD_NAMES.get(t, t) for t in y.titles) or "—",
            "awards": "; ".join(rules.AWARD_NAMES.get(a.code, a.code) for a in y.awards) or "—",
            "members": y.members,
            "first": y.cluster_leader,
        }
        for y in subject.history
        if y.rating or y.titles or y.awards or y.members
    ]
    return render(
        request,
        "emulation/unit_history.html",
        {
            "unit": unit,
            "years": years,
            "proposes": unit.is_current
            and permissions.can(request.user, Action.EMULATION_PROPOSE, unit),
        },
    )
