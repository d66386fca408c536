"""Catalogue pages: browse, compare two versions, export, issue a unit's own rules."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from congvu.core import permissions
from congvu.core.logging import log_event
from congvu.core.permissions import Action
from congvu.standards import rules, selectors, services
from congvu.standards.exports import version_xlsx
from congvu.standards.forms import SupplementForm
from congvu.standards.models import CatalogueVersion, subjects_label

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@login_required
def catalogue_list(request: HttpRequest) -> HttpResponse:
    permissions.require(request.user, Action.UNIT_VIEW)
    unit_id = request.GET.get("don_vi", "")
    if unit_id.isdigit():  # the unit picker: open that unit's rules (scope checked there)
        return redirect("standards:supplement_create", unit_id=int(unit_id))
    catalogues = selectors.catalogue_list_for_user(user=request.user)
    return render(
        request,
        "standards/catalogue_list.html",
        {
            "shared": [c for c in catalogues if c.owner_unit_id is None],
            "supplements": [c for c in catalogues if c.owner_unit_id is not None],
            "supplement_units": selectors.supplement_units_for_user(user=request.user),
        },
    )


def _tree(version: CatalogueVersion) -> list[dict]:
    return [
        {"c": c, "subjects": subjects_label(c.subjects)}
        for c in selectors.version_criteria(version)
    ]


def _version_page(request: HttpRequest, version: CatalogueVersion) -> HttpResponse:
    catalogue = version.catalogue
    versions = selectors.versions_of(catalogue)
    return render(
        request,
        "standards/version_detail.html",
        {
            "catalogue": catalogue,
            "version": version,
            "versions": versions,
            "rows": _tree(version),
            "can_issue": catalogue.owner_unit is not None
            and permissions.can(request.user, services.SUPPLEMENT_ACTION, catalogue.owner_unit),
        },
    )


@login_required
def catalogue_detail(request: HttpRequest, code: str) -> HttpResponse:
    """The version in force today (else the earliest), with the list of all versions."""
    catalogue = selectors.catalogue_get_for_user(user=request.user, code=code)
    if catalogue is None:
        raise Http404
    version = selectors.version_in_force(code=code, day=timezone.localdate())
    version = version or catalogue.versions.order_by("effective_from", "loaded_at").first()
    if version is None:
        raise Http404
    return _version_page(request, version)


@login_required
def version_detail(request: HttpRequest, code: str, version: str) -> HttpResponse:
    found = selectors.version_get_for_user(user=request.user, code=code, version=version)
    if found is None:
        raise Http404
    return _version_page(request, found)


@login_required
def version_export(request: HttpRequest, code: str, version: str) -> HttpResponse:
    found = selectors.version_get_for_user(user=request.user, code=code, version=version)
    if found is None:
        raise Http404
    with translation.override("vi"):  # an official table, Vietnamese in either language
        content = version_xlsx(found)
    log_event("export.catalogue", user=request.user.pk, code=code, version=version)
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="tieu-chi-{code}-{version}.xlsx"'
    return response


@login_required
def version_diff(request: HttpRequest, code: str) -> HttpResponse:
    catalogue = selectors.catalogue_get_for_user(user=request.user, code=code)
    if catalogue is None:
        raise Http404
    versions = selectors.versions_of(catalogue)
    by_name = {v.version: v for v in versions}
    old = by_name.get(request.GET.get("tu", ""))
    new = by_name.get(request.GET.get("den", ""))
    if old is None and new is None and len(versions) >= 2:
        old, new = versions[-2], versions[-1]
    error = ""
    diff: rules.VersionDiff | None = None
    if old is not None and new is not None:
        diff = selectors.version_diff(old=old, new=new)
    elif request.GET:
        error = _("Chọn hai phiên bản của danh mục để so sánh.")
    return render(
        request,
        "standards/version_diff.html",
        {
            "catalogue": catalogue,
            "versions": versions,
            "old": old,
            "new": new,
            "diff": diff,
            "error": error,
        },
    )


@login_required
def supplement_create(request: HttpRequest, unit_id: int) -> HttpResponse:
    """Issue the first or a new version of a unit's own rules (nội quy)."""
    permissions.require(request.user, services.SUPPLEMENT_ACTION)
    unit = selectors.supplement_unit_get_for_user(user=request.user, unit_id=unit_id)
    if unit is None:
        raise Http404
    code = services.supplement_code(unit)
    catalogue = selectors.catalogue_get_for_user(user=request.user, code=code)
    latest = (
        catalogue.versions.order_by("-effective_from", "-loaded_at").first() if catalogue else None
    )
    initial = {"title": f"Nội quy của {unit.name}", "effective_from": timezone.localdate()}
    if latest is not None:
        rows = selectors.version_rows(latest)
        initial.update(title=latest.title, rules_text=rules.lines_from_rows(rows))
    form = SupplementForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            result = services.supplement_version_create(
                actor=request.user,
                unit=unit,
                title=data["title"],
                version=data["version"],
                effective_from=data["effective_from"],
                rules_text=data["rules_text"],
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            if result.created:
                messages.success(
                    request,
                    _("Đã ban hành nội quy phiên bản %(version)s.") % {"version": result.version},
                )
            else:
                messages.info(
                    request,
                    _("Phiên bản %(version)s đã có đúng nội dung này.")
                    % {"version": result.version},
                )
            return redirect("standards:version_detail", code=code, version=result.version)
    return render(
        request,
        "standards/supplement_form.html",
        {"form": form, "unit": unit, "catalogue": catalogue, "latest": latest},
    )
