from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from congvu.core.actors import COMMAND
from congvu.standards import services
from congvu.standards.rules import CatalogueError


class Command(BaseCommand):
    help = (
        "Nạp các danh mục tiêu chí (tệp YAML, docs/catalogues.md); mặc định mọi tệp có sẵn "
        "trong congvu/standards/catalogues/. Nạp lại cùng nội dung không thay đổi gì; nội dung "
        "khác dưới một phiên bản đã nạp bị từ chối."
    )

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="*", type=Path, metavar="PATH", help="Tệp YAML.")
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Kiểm tra và báo cáo như khi nạp thật, rồi hoàn tác (không ghi gì).",
        )

    def handle(self, *args, paths: list[Path], dry_run: bool, **options):
        try:
            results = services.catalogues_load(actor=COMMAND, paths=paths, dry_run=dry_run)
        except CatalogueError as exc:
            raise CommandError("Tệp danh mục không hợp lệ:\n" + "\n".join(exc.problems)) from exc
        except ValidationError as exc:
            raise CommandError("\n".join(exc.messages)) from exc
        for result in results:
            state = "đã nạp" if result.created else "không đổi (đã nạp trước đó)"
            self.stdout.write(f"{result.code} {result.version}: {state}, {result.items} mục")
        created = sum(result.created for result in results)
        suffix = " (chạy thử, đã hoàn tác)" if dry_run else ""
        self.stdout.write(
            self.style.SUCCESS(
                f"{created} phiên bản mới, {len(results) - created} không đổi{suffix}."
            )
        )
