"""Explained results: every rule engine (classification, task status, eligibility) returns its
answer with the reasons that led to it, each with a stable code, a kind, the text shown to
people and the legal source it applies (docs/legal/). Pure: no database."""

from __future__ import annotations

from dataclasses import dataclass

KINDS = ("exclude", "level", "limit", "force", "info", "status", "condition")


@dataclass(frozen=True, slots=True)
class Reason:
    """One reason. ``code`` is stable (integrators and tests key on it); ``text`` is the
    Vietnamese sentence shown, ``text_en`` its English where the engine gives one; ``source``
    names the document and article, ``link`` where to read it."""

    code: str
    kind: str
    text: str
    source: str
    text_en: str = ""
    link: str = ""

    def as_json(self) -> dict[str, str]:
        """The published shape of a reason (docs/classify.md): code, kind, text, source."""
        return {"code": self.code, "kind": self.kind, "text": self.text, "source": self.source}

    def shown(self, language: str = "vi") -> str:
        """The text for a page in ``language`` (Vietnamese when no English is given)."""
        return self.text_en if language == "en" and self.text_en else self.text


@dataclass(frozen=True, slots=True)
class Explained:
    """An answer and why: ``value`` (a level, a status, eligible or not) with its reasons."""

    value: object
    reasons: tuple[Reason, ...] = ()

    def codes(self) -> tuple[str, ...]:
        return tuple(r.code for r in self.reasons)
