"""The one function that applies a workflow move (``core.workflow``): refuses what the
machine refuses, sets the new state and the step's other fields, saves them and writes the
audit record with the states before and after. Called inside the capability's own
transaction, on the object it has locked; the capability adds its own trail row (an event,
a notification) around it."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models

from congvu.core.actors import KernelActor
from congvu.core.audit import audit_record
from congvu.core.workflow import Decision, Machine


@dataclass
class Step:
    """What a move changes besides the state (``fields``) and records (``data``)."""

    fields: dict[str, Any] = field(default_factory=dict)
    data: dict[str, Any] = field(default_factory=dict)


def transition_decide(
    *,
    obj: models.Model,
    machine: Machine,
    move: str,
    roles: Iterable[str] | None = None,
    texts: Mapping[str, str] | None = None,
    state_field: str = "status",
) -> Decision:
    """The machine's decision on ``move`` from ``obj``'s state, or ValidationError with the
    refusal. The first half of ``transition_apply``, for a capability that must decide
    before it does the move's other work (a council decides a whole list, then records)."""
    decision = machine.decide(getattr(obj, state_field), move, roles, **dict(texts or {}))
    if not decision.ok:
        raise ValidationError(decision.refusal)  # type: ignore[arg-type]  # set when refused
    return decision


def transition_record(
    *,
    actor: KernelActor,
    obj: models.Model,
    decision: Decision,
    action: str,
    state_field: str = "status",
    audit_keys: tuple[str, str] = ("from_status", "to_status"),
    fields: Mapping[str, Any] | None = None,
    save: bool = True,
    data: Mapping[str, Any] | None = None,
) -> None:
    """The second half: set the decided state (and ``fields``), save them unless the caller
    saves with more (``save=False``), and write the audit record with the states before and
    after and ``data``."""
    source = getattr(obj, state_field)
    for name, value in (fields or {}).items():
        setattr(obj, name, value)
    setattr(obj, state_field, decision.target)
    if save:
        obj.save(update_fields=[state_field, *(fields or {})])
    before, after = audit_keys
    audit_record(
        actor=actor,
        action=action,
        obj=obj,
        **{before: source, after: str(decision.target)},
        **dict(data or {}),
    )


def transition_apply(
    *,
    actor: KernelActor,
    obj: models.Model,
    machine: Machine,
    move: str,
    action: str,
    roles: Iterable[str] | None = None,
    texts: Mapping[str, str] | None = None,
    state_field: str = "status",
    audit_keys: tuple[str, str] = ("from_status", "to_status"),
    step: Callable[[], Step] | None = None,
) -> Decision:
    """Decide ``move`` on ``obj`` and apply it, or raise ValidationError with the refusal
    (nothing changed). ``step`` runs only once the move is allowed: it returns the other
    fields the move sets (it may refuse too) and the audit record's extra data."""
    decision = transition_decide(
        obj=obj, machine=machine, move=move, roles=roles, texts=texts, state_field=state_field
    )
    changes = step() if step is not None else Step()
    transition_record(
        actor=actor,
        obj=obj,
        decision=decision,
        action=action,
        state_field=state_field,
        audit_keys=audit_keys,
        fields=changes.fields,
        data=changes.data,
    )
    return decision
