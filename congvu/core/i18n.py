"""Choice labels for files that stay Vietnamese whatever the page's language: the Excel
imports read Vietnamese labels and the exports write them under Vietnamese headers, while
the models' labels are lazy and follow the request (decision 60 in docs/decisions.md)."""

from collections.abc import Iterable
from typing import Any

from django.utils import translation


def vietnamese_labels(choices: Iterable[tuple[Any, Any]]) -> dict[Any, str]:
    """``{value: label}`` of a model's ``choices`` with each label in Vietnamese, as text."""
    with translation.override("vi"):
        return {value: str(label) for value, label in choices}
