"""The audit record every service writes inside its transaction."""

from typing import Any

from django.db import models

from congvu.core.actors import KernelActor, SystemActor, login_of
from congvu.core.models import AuditLog


def audit_record(
    *, actor: KernelActor, action: str, obj: models.Model | None = None, **data: Any
) -> AuditLog:
    """``actor``: the user, or a ``SystemActor`` (recorded by name in ``data["system"]``)."""
    if actor is None:
        raise TypeError("audit_record(actor=None): name the actor, or pass a SystemActor")
    if isinstance(actor, SystemActor):
        data = {"system": actor.name, **data}
    return AuditLog.objects.create(
        actor=login_of(actor),
        action=action,
        object_type=obj._meta.label_lower if obj is not None else "",
        object_id=str(obj.pk) if obj is not None else "",
        object_repr=str(obj)[:255] if obj is not None else "",
        data=data,
    )
