"""Labels of the pure modules, translated where they are shown (decision 62 in docs/decisions.md).

The pure modules (``rules.py``, ``workflow.py``, …) import no Django, so their Vietnamese
label dicts stay plain text: they are the source of truth, and the ``congvu classify`` output,
documents and Excel files use them as they are. ``makemessages`` only extracts literals, so
each app's ``labels.py`` repeats every label as a ``gettext_noop`` literal and registers the
dicts it covers; models and views show them through ``translated``. A test checks that every
value of every registered dict has its literal.
"""

from collections.abc import Iterable, Mapping
from typing import TypeVar

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy

K = TypeVar("K")

REGISTERED: list[tuple[Mapping, frozenset[str]]] = []
"""(a pure module's dict, the app's extracted literals), one per registered dict."""


def register(*mappings: Mapping, messages: Iterable[str]) -> None:
    literals = frozenset(messages)
    REGISTERED.extend((mapping, literals) for mapping in mappings)


def translated(mapping: Mapping[K, str]) -> dict[K, Promise]:
    """``{key: label}`` with each label lazily in the request's language."""
    return {key: gettext_lazy(label) for key, label in mapping.items()}
