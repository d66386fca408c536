"""The Django command of a JSON contract (``core.json_contract``): ``--json FILE`` ("-" for
stdin); from the shell, bad input exits 2 with the problems on stderr and nothing on stdout;
from Python (``call_command``), it raises ``CommandError`` with ``returncode`` 2."""

from __future__ import annotations

import sys
from collections.abc import Callable, Mapping
from typing import Any, ClassVar

from django.core.management.base import BaseCommand, CommandError

from congvu.core.json_contract import EXIT_BAD_INPUT, InputError, dumps, read_source


class JsonContractCommand(BaseCommand):
    contract: ClassVar[Callable[[str], Mapping[str, object]]]
    requires_system_checks: list[str] = []  # noqa: RUF012 (Django's own attribute)

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--json",
            dest="json_file",
            required=True,
            metavar="FILE",
            help='Tệp JSON đầu vào; "-" để đọc từ stdin.',
        )

    def handle(self, *args: Any, json_file: str, **options: Any) -> None:
        try:
            output = type(self).contract(read_source(json_file, sys.stdin))
        except InputError as exc:
            if not getattr(self, "_called_from_command_line", False):
                raise CommandError(str(exc), returncode=EXIT_BAD_INPUT) from exc
            # Not CommandError from the shell: Django would prefix the message with the class name.
            self.stderr.write(str(exc))
            sys.exit(EXIT_BAD_INPUT)
        self.stdout.write(dumps(output))
