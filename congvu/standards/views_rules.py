"""A unit's internal rules (nội quy) against the required contents (seed 003 item 1): the
unit's page (items, mappings, suggestions, coverage, versions), a new version, mapping, the
signed file, and Sở Nội vụ's overview of the units' coverage."""

from pathlib import PurePath

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from congvu.core import permissions
from congvu.core.logging import log_event
from congvu.core.permissions import Action
from congvu.core.text import fold
from congvu.core.uploads import stored_file_response
from congvu.organisations.models import Unit
from congvu.standards import selectors, services
from congvu.standards.forms import UnitRulesForm
from congvu.standards.models import UnitRules

PAGE_SIZE = 50


def _page(
    request: HttpRequest, unit: Unit, form: UnitRulesForm | None = None, status: int = 200
) -> HttpResponse:
    versions = selectors.rules_versions_for_user(user=request.user, unit=unit)
    current = versions[0] if versions else None
    items = selectors.rules_items(current) if current else []
    can_manage = permissions.can(request.user, Action.UNIT_RULES_MANAGE, unit)
    required = selectors.required_contents()
    coverage = selectors.rules_coverage(current, items)
    suggestions = []
    if can_manage and request.GET.get("goi_y"):
        by_pk = {item.pk: item for item in items}
        by_code = required.by_code()
        suggestions = [
            {"item": by_pk[s.item], "required": by_code[s.code], "s": s}
            for s in selectors.rules_suggestions(items)
        ]
    if form is None and can_manage:
        form = UnitRulesForm(
            initial={
                "title": current.title if current else _("Nội quy của %(unit)s") % {"unit": unit},
                "adopted_on": timezone.localdate(),
                "text": current.text if current else "",
            }
        )
    titles = {r.code: r.title for r in required.items}
    rows = [
        {
            "item": item,
            # "Điều 1. …" already starts with its number; a line numbered by position does not.
            "number": "" if fold(item.text).startswith(fold(item.number)) else item.number,
            "mapped": [(m.code, titles.get(m.code, m.code)) for m in item.mappings.all()],
        }
        for item in items
    ]
    return render(
        request,
        "standards/unit_rules.html",
        {
            "unit": unit,
            "current": current,
            "versions": versions,
            "rows": rows,
            "required": required,
            "coverage": coverage,
            "suggestions": suggestions,
            "can_manage": can_manage,
            "form": form,
        },
        status=status,
    )


def _unit_or_404(request: HttpRequest, unit_id: int, action: Action) -> Unit:
    unit = selectors.rules_unit_get_for_user(user=request.user, unit_id=unit_id, action=action)
    if unit is None:
        raise Http404
    return unit


@login_required
def rules_unit(request: HttpRequest, unit_id: int) -> HttpResponse:
    return _page(request, _unit_or_404(request, unit_id, Action.UNIT_RULES_VIEW))


@login_required
@require_POST
def rules_create(request: HttpRequest, unit_id: int) -> HttpResponse:
    unit = _unit_or_404(request, unit_id, Action.UNIT_RULES_MANAGE)
    form = UnitRulesForm(request.POST, request.FILES)
    if not form.is_valid():
        return _page(request, unit, form, status=400)
    data = form.cleaned_data
    try:
        rules = services.rules_create(
            actor=request.user,
            unit=unit,
            title=data["title"],
            adopted_on=data["adopted_on"],
            text=data["text"],
            upload=data["file"],
        )
    except ValidationError as exc:
        form.add_error(None, exc)
        return _page(request, unit, form, status=400)
    messages.success(
        request,
        _("Đã lưu nội quy phiên bản %(version)s: %(n)s điều, khoản.")
        % {"version": rules.version, "n": rules.items.count()},
    )
    return redirect("standards:rules_unit", unit_id=unit.pk)


def _rules_or_404(request: HttpRequest, pk: int, action: Action) -> UnitRules:
    rules = selectors.rules_get_for_user(user=request.user, pk=pk, action=action)
    if rules is None:
        raise Http404
    return rules


def _pairs(values: list[str]) -> list[tuple[int, str]] | None:
    """ "<item id>:<code>" values; None when one is malformed."""
    pairs = []
    for value in values:
        item, sep, code = value.partition(":")
        if not sep or not item.isdigit() or not code:
            return None
        pairs.append((int(item), code))
    return pairs


def _back(rules: UnitRules) -> HttpResponse:
    return redirect(reverse("standards:rules_unit", args=[rules.unit_id]) + "#coverage")


@login_required
@require_POST
def rules_map(request: HttpRequest, pk: int) -> HttpResponse:
    """Map items to required contents: one select per item, or the accepted suggestions."""
    rules = _rules_or_404(request, pk, Action.UNIT_RULES_MANAGE)
    pairs = _pairs(request.POST.getlist("gan"))
    try:
        if pairs is None:
            raise ValidationError(_("Lựa chọn không hợp lệ."))
        added = services.item_map(actor=request.user, rules=rules, pairs=pairs)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("Đã gắn %(n)s nội dung bắt buộc.") % {"n": added})
    return _back(rules)


@login_required
@require_POST
def rules_unmap(request: HttpRequest, pk: int) -> HttpResponse:
    rules = _rules_or_404(request, pk, Action.UNIT_RULES_MANAGE)
    pairs = _pairs(request.POST.getlist("gan"))
    try:
        if not pairs or len(pairs) != 1:
            raise ValidationError(_("Lựa chọn không hợp lệ."))
        (item_id, code) = pairs[0]
        services.item_unmap(actor=request.user, rules=rules, item_id=item_id, code=code)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("Đã bỏ gắn."))
    return _back(rules)


@login_required
def rules_file(request: HttpRequest, pk: int) -> HttpResponse:
    rules = _rules_or_404(request, pk, Action.UNIT_RULES_VIEW)
    if not rules.stored_name:
        raise Http404
    stem = PurePath(rules.original_name).stem or "noi-quy"
    try:
        return stored_file_response(services.rules_file_path(rules), rules.content_type, stem)
    except FileNotFoundError:
        log_event("unit_rules.file_missing", user=request.user.pk, rules=pk)
        raise Http404 from None


@login_required
def rules_overview(request: HttpRequest) -> HttpResponse:
    """The current units in the reader's scope with their coverage, a page at a time."""
    permissions.require(request.user, Action.UNIT_RULES_VIEW)
    units = selectors.rules_units_for_user(user=request.user)
    page = Paginator(units, PAGE_SIZE).get_page(request.GET.get("trang"))
    return render(
        request,
        "standards/unit_rules_overview.html",
        {
            "page": page,
            "rows": selectors.coverage_rows(list(page.object_list)),
            "required_count": len(selectors.required_contents().items),
        },
    )
