from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from congvu.core import backup


class Command(BaseCommand):
    help = (
        "Sao lưu toàn bộ cơ sở dữ liệu và các tệp đã lưu (tệp đính kèm, minh chứng) kèm tệp "
        "kê khai (số dòng, tổng kiểm tra từng bảng và từng tệp)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--output",
            type=Path,
            help="Đường dẫn tệp sao lưu (mặc định: BACKUP_DIR, theo giờ UTC).",
        )

    def handle(self, *args, output: Path | None, **options):
        try:
            path, manifest = backup.backup(output)
        except backup.BackupError as exc:
            raise CommandError(str(exc)) from exc
        rows = sum(table["rows"] for table in manifest["tables"].values())
        files = manifest["files"]["entries"]
        size = sum(entry["size"] for entry in files.values())
        self.stdout.write(
            f"Đã sao lưu {len(manifest['tables'])} bảng, {rows} dòng vào {path}\n"
            f"Đã sao lưu {len(files)} tệp ({size / 1e6:.1f} MB) vào {backup.files_path(path)}\n"
            f"Tệp kê khai: {backup.manifest_path(path)}"
        )
