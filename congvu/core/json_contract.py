"""The plumbing of a JSON command-line contract (``congvu classify``, ``congvu task-status``):
read FILE or stdin as UTF-8, answer a JSON document on stdout and exit 0, or report every
problem of bad input in Vietnamese on stderr, write nothing on stdout and exit 2. Pure: the
contract's own module parses and computes; this module only carries it."""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping
from datetime import date
from typing import IO, Any

EXIT_OK, EXIT_BAD_INPUT = 0, 2
MAX_ERRORS = 50
ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


class InputError(Exception):
    """Bad input: every problem found, each with its JSON path."""

    def __init__(self, errors: list[str]) -> None:
        super().__init__(errors)
        self.errors = errors

    def __str__(self) -> str:
        shown = self.errors[:MAX_ERRORS]
        more = len(self.errors) - len(shown)
        lines = ["Dữ liệu vào không hợp lệ:", *(f"- {e}" for e in shown)]
        if more:
            lines.append(f"- … và {more} lỗi khác")
        return "\n".join(lines)


class Errors(list[str]):
    """Problems collected while parsing, each prefixed with its JSON path."""

    def add(self, path: str, message: str) -> None:
        self.append(f"{path}: {message}")


def is_int(value: object) -> bool:
    """A JSON integer (``true`` and ``false`` are not)."""
    return isinstance(value, int) and not isinstance(value, bool)


def iso_day(value: object) -> date | None:
    """A real day written YYYY-MM-DD, else None."""
    if not isinstance(value, str) or not ISO_DATE.fullmatch(value):
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        return None


def day_field(value: object, path: str, errors: Errors, *, nullable: bool = False) -> date | None:
    """A day field of a contract's input: None when absent and ``nullable``; otherwise a real
    day written YYYY-MM-DD, or the Vietnamese reason added to ``errors``."""
    if value is None and nullable:
        return None
    if not isinstance(value, str) or not ISO_DATE.fullmatch(value):
        errors.add(path, "cần một ngày dạng YYYY-MM-DD")
        return None
    day = iso_day(value)
    if day is None:
        errors.add(path, f"ngày không có thật: {value}")
    return day


def _reject_constant(name: str) -> None:
    raise ValueError(f"giá trị {name} không hợp lệ trong JSON")


def load_object(text: str, **options: Any) -> dict[str, Any]:
    """The input document: a JSON object (NaN and Infinity refused), or ``InputError``.
    ``options`` go to ``json.loads`` (``parse_float=Decimal`` for exact scores)."""
    try:
        data = json.loads(text, parse_constant=_reject_constant, **options)
    except ValueError as exc:
        raise InputError([f"JSON không hợp lệ: {exc}"]) from exc
    if not isinstance(data, dict):
        raise InputError(["gốc JSON phải là một đối tượng"])
    return data


def dumps(output: Mapping[str, object]) -> str:
    return json.dumps(output, ensure_ascii=False, indent=2)


def read_source(name: str, stdin: IO[Any]) -> str:
    """The text of FILE, or of stdin for "-", decoded as UTF-8 (a BOM is allowed)."""
    try:
        if name == "-":
            raw = stdin.buffer.read() if hasattr(stdin, "buffer") else stdin.read()
        else:
            with open(name, "rb") as handle:
                raw = handle.read()
    except OSError as exc:
        raise InputError([f"không đọc được tệp {name}: {exc.strerror or exc}"]) from exc
    if isinstance(raw, str):
        return raw
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError([f"tệp {name} không phải văn bản UTF-8"]) from exc


def run(
    contract: Callable[[str], Mapping[str, object]],
    source: str,
    *,
    stdin: IO[Any],
    stdout: IO[str],
    stderr: IO[str],
) -> int:
    """Run ``contract`` on FILE (or stdin); the exit code, stdout untouched on bad input."""
    try:
        output = contract(read_source(source, stdin))
    except InputError as exc:
        stderr.write(f"{exc}\n")
        return EXIT_BAD_INPUT
    stdout.write(dumps(output) + "\n")
    return EXIT_OK
