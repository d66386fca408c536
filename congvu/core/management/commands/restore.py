from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from congvu.core import backup


class Command(BaseCommand):
    help = (
        "Khôi phục cơ sở dữ liệu từ một bản sao lưu (thay toàn bộ dữ liệu hiện có), "
        "rồi đối chiếu với tệp kê khai."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path, help="Tệp sao lưu do lệnh backup tạo ra.")
        parser.add_argument(
            "--yes", action="store_true", help="Không hỏi xác nhận (dùng trong kịch bản)."
        )

    def handle(self, *args, path: Path, yes: bool, **options):
        try:
            manifest = backup.verify_file(path)
        except backup.BackupError as exc:
            raise CommandError(str(exc)) from exc
        if not yes:
            self._confirm(path, manifest)
        try:
            backup.restore(path)
        except backup.BackupError as exc:
            raise CommandError(str(exc)) from exc
        rows = sum(table["rows"] for table in manifest["tables"].values())
        self.stdout.write(
            f"Đã khôi phục {len(manifest['tables'])} bảng, {rows} dòng từ {path}; "
            "số dòng và tổng kiểm tra khớp tệp kê khai."
        )

    def _confirm(self, path: Path, manifest: dict) -> None:
        prompt = (
            f"Toàn bộ dữ liệu hiện tại sẽ bị thay bằng bản sao lưu {path.name} "
            f"(tạo lúc {manifest['created_at']}). Gõ 'yes' để tiếp tục: "
        )
        try:
            answer = input(prompt)
        except EOFError:
            answer = ""
        if answer.strip().lower() != "yes":
            raise CommandError("Đã hủy khôi phục.")
