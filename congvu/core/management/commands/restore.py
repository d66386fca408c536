from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from congvu.core import backup


class Command(BaseCommand):
    help = (
        "Khôi phục cơ sở dữ liệu và các tệp đã lưu từ một bản sao lưu (thay toàn bộ dữ liệu "
        "và tệp hiện có), rồi đối chiếu với tệp kê khai."
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
        if "files" in manifest:
            self.stdout.write(
                f"Đã khôi phục {len(manifest['files']['entries'])} tệp vào {settings.MEDIA_ROOT}; "
                "kích thước và tổng kiểm tra từng tệp khớp tệp kê khai."
            )
        else:
            self.stdout.write(
                "Bản sao lưu định dạng cũ (chỉ cơ sở dữ liệu): thư mục tệp "
                f"{settings.MEDIA_ROOT} được giữ nguyên."
            )

    def _confirm(self, path: Path, manifest: dict) -> None:
        what = "dữ liệu và tệp" if "files" in manifest else "dữ liệu"
        prompt = (
            f"Toàn bộ {what} hiện tại sẽ bị thay bằng bản sao lưu {path.name} "
            f"(tạo lúc {manifest['created_at']}). Gõ 'yes' để tiếp tục: "
        )
        try:
            answer = input(prompt)
        except EOFError:
            answer = ""
        if answer.strip().lower() != "yes":
            raise CommandError("Đã hủy khôi phục.")
