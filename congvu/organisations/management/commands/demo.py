"""`congvu demo`: load the demo province if the database is empty, then serve it.

    congvu demo                          # load (3,000 staff) if empty, serve on :8000
    congvu demo --no-serve --staff 50000 --seed 7
    congvu demo --reset                  # wipe every table, load again

The demo password is $CONGVU_DEMO_PASSWORD, else ``KhanhHoa-demo-2025``.
Serving runs gunicorn (2 workers) and the Huey consumer as child processes.
"""

import importlib.util
import os
import signal
import subprocess
import sys

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from congvu.organisations import demo


def _vn_number(value: float, digits: int = 0) -> str:
    """1234567.8 → "1.234.567,8" (Vietnamese separators)."""
    text = f"{value:,.{digits}f}"
    return text.replace(",", "_").replace(".", ",").replace("_", ".")


def _no_control_socket() -> list[str]:
    """gunicorn ≥ 24 opens one control socket per user; two demos would fight over it."""
    from gunicorn.config import KNOWN_SETTINGS

    return (
        ["--no-control-socket"]
        if any(s.name == "control_socket_disable" for s in KNOWN_SETTINGS)
        else []
    )


class Command(BaseCommand):
    help = (
        "Nạp dữ liệu mẫu tỉnh Khánh Hòa (sau hợp nhất với Ninh Thuận) nếu cơ sở dữ liệu "
        "còn trống, in tài khoản đăng nhập cho mỗi vai trò rồi chạy máy chủ."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--no-serve", action="store_true", help="Chỉ nạp dữ liệu, không chạy máy chủ."
        )
        parser.add_argument(
            "--staff", type=int, default=3000, help="Số cán bộ cần tạo (mặc định 3000)."
        )
        parser.add_argument(
            "--seed",
            type=int,
            default=1,
            help="Hạt giống ngẫu nhiên: cùng hạt giống, cùng dữ liệu.",
        )
        parser.add_argument(
            "--reset", action="store_true", help="Xóa toàn bộ dữ liệu hiện có rồi nạp lại."
        )
        parser.add_argument(
            "--bind", default="127.0.0.1:8000", help="Địa chỉ máy chủ (mặc định 127.0.0.1:8000)."
        )
        parser.add_argument("--workers", type=int, default=2, help="Số tiến trình gunicorn.")

    def handle(self, *args, **options) -> None:
        password = demo.demo_password()
        try:
            demo.check_password(password)
        except ValidationError as exc:
            raise CommandError(
                f"Mật khẩu mẫu trong {demo.PASSWORD_ENV} không đạt yêu cầu: "
                + " ".join(exc.messages)
            ) from exc
        if options["staff"] < 1:
            raise CommandError("Số cán bộ phải lớn hơn 0.")
        call_command("migrate", interactive=False, verbosity=0)
        if options["reset"]:
            call_command("flush", interactive=False, verbosity=0)
            cache.clear()
            self.stdout.write("Đã xóa toàn bộ dữ liệu cũ.")
        loaded = False
        if demo.is_empty():
            self.stdout.write(f"Đang nạp dữ liệu mẫu ({_vn_number(options['staff'])} cán bộ)…")
            try:
                result = demo.demo_load(
                    staff=options["staff"], seed=options["seed"], password=password
                )
            except ValueError as exc:
                raise CommandError(str(exc)) from exc
            loaded = True
            self.stdout.write(
                self.style.SUCCESS(
                    f"Đã nạp {_vn_number(result.units)} đơn vị, {_vn_number(result.staff)} cán bộ, "
                    f"{_vn_number(result.memberships)} quá trình công tác trong "
                    f"{_vn_number(result.seconds, 1)} giây."
                )
            )
        else:
            self.stdout.write(
                "Cơ sở dữ liệu đã có dữ liệu: không nạp lại (dùng --reset để xóa và nạp lại)."
            )
        self._print_logins(password, loaded)
        if not options["no_serve"]:
            self._serve(options["bind"], options["workers"])

    def _print_logins(self, password: str, loaded: bool) -> None:
        rows = demo.login_rows()
        if not rows:
            self.stdout.write("Không có tài khoản mẫu nào trong cơ sở dữ liệu này.")
            return
        self.stdout.write("")
        self.stdout.write(
            self.style.MIGRATE_HEADING("Tài khoản đăng nhập (mỗi vai trò một tài khoản):")
        )
        width = max(len(role) for _, role, _ in rows)
        self.stdout.write(
            f"  {'Vai trò':<{width}}  {'Tên đăng nhập':<14}  {'Mật khẩu':<20}  Người dùng"
        )
        for username, role, who in rows:
            self.stdout.write(f"  {role:<{width}}  {username:<14}  {password:<20}  {who}")
        if not loaded:
            self.stdout.write(
                f"  (Mật khẩu là mật khẩu đặt khi nạp dữ liệu: {demo.PASSWORD_ENV} lúc đó, "
                f"mặc định {demo.DEFAULT_PASSWORD}.)"
            )
        self.stdout.write("")

    def _serve(self, bind: str, workers: int) -> None:
        manifest = settings.STATIC_ROOT / "staticfiles.json"
        if not manifest.exists():
            call_command("collectstatic", interactive=False, verbosity=0)
        python = sys.executable
        if importlib.util.find_spec("gunicorn"):
            server = [
                python,
                "-m",
                "gunicorn",
                "congvu.config.wsgi",
                "--workers",
                str(workers),
                "--bind",
                bind,
                "--graceful-timeout",
                "5",
                *_no_control_socket(),
            ]
        else:
            server = [python, "-m", "congvu", "runserver", "--noreload", bind]
        children = [
            subprocess.Popen([python, "-m", "congvu", "run_huey"], env=os.environ.copy()),  # noqa: S603
            subprocess.Popen(server, env=os.environ.copy()),  # noqa: S603
        ]
        self.stdout.write(
            self.style.SUCCESS(f"Mở http://{bind}/ trên trình duyệt. Nhấn Ctrl+C để dừng.")
        )

        def _stop(signum, frame):
            raise KeyboardInterrupt

        signal.signal(signal.SIGTERM, _stop)
        try:
            children[1].wait()
        except KeyboardInterrupt:
            pass
        finally:
            for child in children:
                if child.poll() is None:
                    child.terminate()
            for child in children:
                try:
                    child.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    child.kill()
            self.stdout.write("Đã dừng máy chủ.")
