"""Pages that change the organisation: create a unit, rename, move, merge, dissolve."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from congvu.accounts.models import User
from congvu.core import permissions
from congvu.core.permissions import Action
from congvu.organisations import selectors, services
from congvu.organisations.forms import UnitChangeForm, UnitCreateForm
from congvu.organisations.models import LineageKind, Unit


def _manageable_units(user):
    return selectors.unit_list_for_user(user=user, action=Action.UNIT_MANAGE).filter(
        valid_to__isnull=True
    )


@login_required
def unit_create(request: HttpRequest) -> HttpResponse:
    permissions.require(request.user, Action.UNIT_MANAGE)
    units = _manageable_units(request.user)
    form = UnitCreateForm(request.POST or None, units=units)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if data["parent"] is None and "admin" not in permissions.roles_of(request.user):
            form.add_error("parent", _("Chọn đơn vị cấp trên trong phạm vi của bạn."))
        else:
            try:
                unit = services.unit_create(
                    actor=request.user,
                    spec=services.UnitSpec(
                        code=data["code"],
                        name=data["name"],
                        unit_type=data["unit_type"],
                        parent=data["parent"],
                    ),
                    valid_from=data["valid_from"],
                    basis=data["basis"],
                )
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, _("Đã thêm đơn vị %(name)s.") % {"name": unit.name})
                return redirect("organisations:unit_detail", pk=unit.pk)
    return render(request, "organisations/unit_create.html", {"form": form})


@login_required
def unit_change(request: HttpRequest, pk: int) -> HttpResponse:
    unit = selectors.unit_get_for_user(user=request.user, pk=pk, action=Action.UNIT_MANAGE)
    if unit is None or unit.valid_to is not None:
        raise Http404
    form = UnitChangeForm(request.POST or None, unit=unit, units=_manageable_units(request.user))
    if request.method == "POST" and form.is_valid():
        try:
            _apply(request.user, unit, form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Đã ghi nhận thay đổi tổ chức."))
            return redirect("organisations:unit_detail", pk=unit.pk)
    return render(request, "organisations/unit_change.html", {"form": form, "unit": unit})


def _apply(actor: User, unit: Unit, data: dict) -> None:
    kind, day, basis, target = data["kind"], data["day"], data["basis"], data.get("target")
    if kind == LineageKind.RENAME:
        services.unit_change(
            actor=actor, unit=unit, day=day, name=data["name"], code=data["code"], basis=basis
        )
    elif kind == LineageKind.MOVE:
        services.unit_change(actor=actor, unit=unit, day=day, parent=target, basis=basis)
    elif kind == LineageKind.MERGE:
        services.units_merge(
            actor=actor, predecessors=[unit, target], into=target, day=day, basis=basis
        )
    else:
        services.unit_dissolve(
            actor=actor, unit=unit, day=day, successors=[target] if target else [], basis=basis
        )
