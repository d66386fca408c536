import sys

from django.core.management.base import BaseCommand, CommandError

from congvu.evaluations import cli


class Command(BaseCommand):
    help = (
        "Xếp loại chất lượng theo quy tắc của từng chế độ (nd90, nd335, nd233) từ tệp JSON; "
        "lược đồ trong docs/classify.md."
    )
    requires_system_checks: list[str] = []

    def add_arguments(self, parser):
        parser.add_argument(
            "--json",
            dest="json_file",
            required=True,
            metavar="FILE",
            help='Tệp JSON đầu vào; "-" để đọc từ stdin.',
        )

    def handle(self, *args, json_file: str, **options):
        try:
            output = cli.classify_text(cli.read_source(json_file, sys.stdin))
        except cli.InputError as exc:
            if not self._called_from_command_line:
                raise CommandError(str(exc), returncode=cli.EXIT_BAD_INPUT) from exc
            # Not CommandError from the shell: Django would prefix the message with the class name.
            self.stderr.write(str(exc))
            sys.exit(cli.EXIT_BAD_INPUT)
        self.stdout.write(cli.dumps(output))
