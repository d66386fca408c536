"""What the evaluation pages share: the posted text, the criteria rows of a form, and the
scores posted for them (an official's self-assessment, a reviewer's changes)."""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TypeVar

from django.http import HttpRequest

from congvu.evaluations.models import CriterionScore, Evaluation
from congvu.evaluations.services.common import leaves_for
from congvu.standards.models import Criterion

TEXT_LIMIT = 4000
T = TypeVar("T")


@dataclass
class Row:
    """One line of the catalogue tree: a group, or an assessable criterion with its scores."""

    criterion: Criterion
    leaf: object = None  # LeafInfo for an assessable criterion
    score: CriterionScore | None = None
    value: str = ""  # the score in the input (posted value after an error)
    note: str = ""  # the official's comment, or the manager's reason
    evidence: list = field(default_factory=list)


def posted_text(request: HttpRequest, name: str) -> str:
    return request.POST.get(name, "").replace("\x00", "")[:TEXT_LIMIT]


def criterion_rows(evaluation: Evaluation) -> list[Row]:
    """The applicable criteria with the groups above them, in reading order."""
    leaves = {leaf.criterion_id: leaf for leaf in leaves_for(evaluation).values()}
    criteria = list(
        Criterion.objects.filter(version_id=evaluation.cycle.catalogue_version_id).order_by("order")
    )
    parent = {c.pk: c.parent_id for c in criteria}
    shown = set()
    for pk in leaves:
        while pk is not None and pk not in shown:
            shown.add(pk)
            pk = parent.get(pk)
    scores = {s.criterion_id: s for s in evaluation.scores.all()}
    files: dict[int, list] = {}
    for item in evaluation.evidence.order_by("uploaded_at", "pk"):
        files.setdefault(item.criterion_id, []).append(item)
    return [
        Row(c, leaves.get(c.pk), scores.get(c.pk), evidence=files.get(c.pk, []))
        for c in criteria
        if c.pk in shown
    ]


def posted_scores(
    request: HttpRequest, rows: list[Row], *, note_field: str, make: Callable[[str, str], T]
) -> dict[str, T]:
    """The scores posted for the rows' criteria (``diem_<id>`` and ``<note_field>_<id>``),
    by the criterion's stable id; kept on the rows too, to show again after an error. A
    blank score is no score; a decimal comma is read as a point."""
    found: dict[str, T] = {}
    for row in rows:
        if row.leaf is None:
            continue
        row.value = posted_text(request, f"diem_{row.criterion.pk}").strip()
        row.note = posted_text(request, f"{note_field}_{row.criterion.pk}")
        if row.value:
            found[row.leaf.stable_id] = make(row.value.replace(",", "."), row.note)
    return found
