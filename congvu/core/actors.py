"""Who acts when no user does: the system actor.

A service is called by a user (a request, an API token) or by the system itself: a seed,
the demo, the command line, a background job, a citizen's anonymous filing recorded on the
citizen's behalf. The system is named explicitly (``actor=SYSTEM`` or a named
``SystemActor``), never as ``None``: ``None`` is refused by every service, so a forgotten
actor can no longer mean "skip the checks" (issue 10).

The system holds no role and no unit scope: every permission check refuses it
(``is_authenticated`` is false), so it can only act through services that trust it
explicitly, and every audit record it writes names it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeAlias

from typing_extensions import TypeIs

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser, AnonymousUser


@dataclass(frozen=True)
class SystemActor:
    """A process acting on its own authority; ``name`` says which, in the audit trail."""

    name: str
    pk: None = None
    is_authenticated: bool = False
    is_active: bool = False
    is_superuser: bool = False
    staff_id: None = None

    def __str__(self) -> str:
        return f"system:{self.name}"


KernelActor: TypeAlias = "AbstractBaseUser | AnonymousUser | SystemActor"
"""Who acts, as the kernel sees it (it knows no app's User model): a login, the anonymous
visitor, or the system. The permission module's ``Actor`` is the same with the project's
User."""

SYSTEM = SystemActor("system")
"""Seeds, fixtures, migrations of data: the system in general."""
COMMAND = SystemActor("command")
"""An operator at the command line (``congvu token``, ``load_catalogues``)."""
DEMO = SystemActor("demo")
"""The demo province's loader."""
CITIZEN = SystemActor("citizen")
"""A citizen's anonymous filing or rating, recorded by the public pages on their behalf."""


def is_system(actor: KernelActor | None) -> TypeIs[SystemActor]:
    """True for the system actor; refuses ``None``, which no longer means "the system"."""
    if actor is None:
        raise TypeError("actor=None is not accepted: pass a user or congvu.core.actors.SYSTEM")
    return isinstance(actor, SystemActor)


def login_of(actor: KernelActor) -> Any:
    """The login to store in a "by whom" column: the user, or None for the system and the
    anonymous visitor (who are named in the audit record instead)."""
    return actor if getattr(actor, "pk", None) else None
