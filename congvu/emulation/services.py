"""Writers shared by the emulation areas. Each one runs inside the caller's transaction (or
its own) and changes nothing on bad input."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from congvu.core.actors import login_of
from congvu.emulation.models import Initiative, NominationStep

if TYPE_CHECKING:
    from congvu.emulation.models import Nomination


# --- Initiatives: one initiative, one title or award (rules P8) --------------------------------


def initiative_use(*, initiative: Initiative, nomination: Nomination, at: datetime) -> None:
    """Mark ``initiative`` as used for ``nomination``'s award: written once, by a conditional
    update (two decisions issued at the same moment cannot both take it). Refused with a
    Vietnamese message naming the initiative when it was already used. Call it inside the
    transaction that issues the award, so a refusal undoes the whole issue."""
    done = Initiative.objects.filter(pk=initiative.pk, used_for="").update(
        used_for=nomination.award, used_by=nomination, used_at=at
    )
    if done != 1:
        raise ValidationError(
            _("Sáng kiến «%(title)s» đã được dùng để xét khen thưởng khác.")
            % {"title": initiative.title}
        )


# --- A dossier's steps ----------------------------------------------------------------------


def nomination_step(
    nomination: Nomination, move: str, before: str, after: str, text: str, actor: Any
) -> NominationStep:
    """One move of a dossier, unsaved (the caller saves it, or bulk-creates many)."""
    return NominationStep(
        nomination=nomination,
        move=move,
        from_state=before,
        to_state=after,
        text=text,
        actor=login_of(actor),
        at=timezone.now(),
    )
