"""Vietnamese text: NFC storage, collation keys, diacritic-free search folding."""

import unicodedata
from functools import lru_cache

import icu

_SEPARATOR = " "


def nfc(value: str | None) -> str:
    """Normalise to NFC and collapse runs of whitespace; None becomes ''."""
    if not value:
        return ""
    return _SEPARATOR.join(unicodedata.normalize("NFC", str(value)).split())


def clean_text(value: object, limit: int | None = None) -> str:
    """Free text as written (a comment, a reason, a report): NFC, line breaks as ``\\n``, tabs
    kept, every other control or invisible formatting character dropped (NUL, which
    PostgreSQL refuses; bidi overrides that disguise text), trimmed, cut at ``limit``.
    The one cleaner of multi-line input; ``nfc`` is the one for a single line."""
    text = str(value or "").replace("\r\n", "\n").replace("\r", "\n")
    text = unicodedata.normalize("NFC", text)
    text = "".join(ch for ch in text if ch in "\n\t" or unicodedata.category(ch)[0] != "C")
    text = text.strip()
    return text[:limit] if limit else text


def fold(value: str | None) -> str:
    """Lower-case, strip diacritics (đ→d): "Nguyễn Văn Ân" → "nguyen van an"."""
    if not value:
        return ""
    decomposed = unicodedata.normalize("NFD", nfc(value).lower())
    stripped = "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn")
    return stripped.replace("đ", "d")


@lru_cache(maxsize=1)
def _collator() -> icu.Collator:
    # CLDR tailoring for Vietnamese: a < ă < â, d < đ, e < ê, o < ô < ơ, u < ư.
    return icu.Collator.createInstance(icu.Locale("vi_VN"))


def sort_key(*parts: str | None) -> str:
    """A memcmp-ordered key (hex) sorting by each part in turn, the Vietnamese way.

    Each ICU sort key ends with a 0x00 byte that occurs nowhere inside it, so the
    concatenation compares part by part. Stored as lower-case hex so that it orders
    identically under SQLite BINARY and PostgreSQL's C collation.
    """
    collator = _collator()
    return "".join(collator.getSortKey(nfc(part)).hex() for part in parts)


def person_sort_key(ho: str, dem: str, ten: str) -> str:
    """Vietnamese name order: tên, then họ, then đệm."""
    return sort_key(ten, ho, dem)


def full_name(ho: str, dem: str, ten: str) -> str:
    return " ".join(part for part in (nfc(ho), nfc(dem), nfc(ten)) if part)
