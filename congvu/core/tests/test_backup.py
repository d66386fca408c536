"""R4: backup and restore round-trip on the configured engine (SQLite or PostgreSQL)."""

import json
import os
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from congvu.core import backup
from congvu.organisations.models import Membership, Staff, Unit, UnitType
from congvu.testing import make_unit

pytestmark = pytest.mark.django_db(transaction=True)


def _backup(tmp_path: Path, settings) -> Path:
    settings.BACKUP_DIR = tmp_path / "backups"
    out = StringIO()
    call_command("backup", stdout=out)
    (path,) = [p for p in settings.BACKUP_DIR.iterdir() if not p.name.endswith(".json")]
    assert str(path) in out.getvalue()
    return path


def test_backup_then_restore_brings_back_every_row(province, tmp_path, settings):
    original = backup.live_digests()
    staff_count = Staff.objects.count()
    path = _backup(tmp_path, settings)

    manifest = json.loads(backup.manifest_path(path).read_text())
    assert manifest["engine"] == connection.vendor
    assert manifest["tables"] == original
    assert manifest["tables"]["organisations_unit"]["rows"] == Unit.objects.count()
    assert manifest["sha256"] == backup.file_sha256(path)

    # Change, delete and add data after the backup.
    Unit.objects.filter(pk=province["syt"].pk).update(name="Đã đổi tên")
    nurse_pk = province["nurse"].pk
    Membership.objects.filter(staff_id=nurse_pk).delete()
    Staff.objects.filter(pk=nurse_pk).delete()
    make_unit("KHA-MOI", "Đơn vị mới sau sao lưu", UnitType.SO_BAN_NGANH, province["kh"])
    changed = backup.live_digests()
    assert changed != original
    assert backup.compare_digests(original, changed)

    out = StringIO()
    call_command("restore", str(path), "--yes", stdout=out)
    assert "khớp tệp kê khai" in out.getvalue()

    assert backup.live_digests() == original
    assert Staff.objects.count() == staff_count
    assert Unit.objects.get(pk=province["syt"].pk).name == "Sở Y tế"
    assert Staff.objects.filter(pk=nurse_pk).exists()
    assert not Unit.objects.filter(code="KHA-MOI").exists()


def test_backup_with_output_writes_private_files_there(province, tmp_path):
    target = tmp_path / "sub" / "ban-sao.bak"
    call_command("backup", "--output", str(target), stdout=StringIO())
    assert target.is_file()
    assert backup.manifest_path(target).is_file()
    assert target.stat().st_mode & 0o777 == 0o600
    assert backup.manifest_path(target).stat().st_mode & 0o777 == 0o600
    with pytest.raises(CommandError, match="đã tồn tại"):
        call_command("backup", "--output", str(target), stdout=StringIO())


def test_restore_refuses_an_altered_backup_and_leaves_the_database_alone(
    province, tmp_path, settings
):
    path = _backup(tmp_path, settings)
    Unit.objects.filter(pk=province["syt"].pk).update(name="Sau sao lưu")
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0xFF
    path.write_bytes(bytes(data))
    with pytest.raises(CommandError, match="không khớp tổng kiểm tra"):
        call_command("restore", str(path), "--yes", stdout=StringIO())
    assert Unit.objects.get(pk=province["syt"].pk).name == "Sau sao lưu"


def test_restore_refuses_a_backup_without_manifest_or_of_another_engine(
    province, tmp_path, settings
):
    path = _backup(tmp_path, settings)
    manifest_file = backup.manifest_path(path)
    manifest = json.loads(manifest_file.read_text())
    manifest["engine"] = "oracle"
    manifest_file.write_text(json.dumps(manifest))
    with pytest.raises(CommandError, match="dành cho oracle"):
        call_command("restore", str(path), "--yes", stdout=StringIO())
    manifest_file.unlink()
    with pytest.raises(CommandError, match="Thiếu tệp kê khai"):
        call_command("restore", str(path), "--yes", stdout=StringIO())


def test_restore_asks_for_confirmation(province, tmp_path, settings, monkeypatch):
    path = _backup(tmp_path, settings)
    Unit.objects.filter(pk=province["syt"].pk).update(name="Sau sao lưu")
    monkeypatch.setattr("builtins.input", lambda prompt: "no")
    with pytest.raises(CommandError, match="Đã hủy"):
        call_command("restore", str(path), stdout=StringIO())
    assert Unit.objects.get(pk=province["syt"].pk).name == "Sau sao lưu"
    monkeypatch.setattr("builtins.input", lambda prompt: "yes")
    call_command("restore", str(path), stdout=StringIO())
    assert Unit.objects.get(pk=province["syt"].pk).name == "Sở Y tế"


def test_postgres_password_goes_in_the_environment_not_the_command_line(monkeypatch):
    monkeypatch.setattr(backup.shutil, "which", lambda program: f"/usr/bin/{program}")
    args, env = backup._pg_command(
        {
            "NAME": "congvu",
            "USER": "congvu",
            "PASSWORD": "mat-khau-bi-mat",
            "HOST": "db.internal",
            "PORT": 5433,
            "OPTIONS": {"sslmode": "require"},
        },
        "pg_dump",
    )
    assert args == [
        "/usr/bin/pg_dump", "-h", "db.internal", "-p", "5433", "-U", "congvu",
        "-d", "congvu", "--no-password",
    ]  # fmt: skip
    assert not any("mat-khau-bi-mat" in arg for arg in args)
    assert env["PGPASSWORD"] == "mat-khau-bi-mat"
    assert env["PGSSLMODE"] == "require"


@pytest.mark.skipif(
    bool(os.environ.get("DATABASE_URL")), reason="the SQLite file path, run without DATABASE_URL"
)
def test_sqlite_file_backup_and_restore_across_processes(tmp_path):
    """The real file database (WAL), each step a separate `congvu` process."""
    env = {
        **os.environ,
        "DATABASE_URL": "",
        "CONGVU_VAR_DIR": str(tmp_path),
        "SECRET_KEY": "x" * 60,
        "HUEY_IMMEDIATE": "1",
    }

    def congvu(*args: str) -> str:
        result = subprocess.run(  # noqa: S603
            [sys.executable, "-m", "congvu", *args],
            env=env, capture_output=True, text=True, check=False, timeout=120,
        )  # fmt: skip
        assert result.returncode == 0, result.stderr
        return result.stdout

    def shell(code: str) -> str:
        return congvu("shell", "--no-imports", "-c", code)

    congvu("migrate", "--noinput", "-v", "0")
    shell(
        "from congvu.testing import make_unit, make_staff\n"
        "kh = make_unit('KHA', 'UBND tỉnh Khánh Hòa', 'ubnd_tinh')\n"
        "syt = make_unit('KHA-SYT', 'Sở Y tế', 'so_ban_nganh', kh)\n"
        "make_staff(syt); make_staff(syt, 'Trần', 'Thị', 'Bích')\n"
    )
    congvu("backup")
    (path,) = (tmp_path / "backups").glob("*.sqlite3")
    expected = json.loads(backup.manifest_path(path).read_text())["tables"]
    shell(
        "from congvu.organisations.models import Membership, Staff, Unit\n"
        "Membership.objects.all().delete(); Staff.objects.all().delete()\n"
        "Unit.objects.filter(code='KHA-SYT').update(name='Đổi')\n"
    )
    assert "khớp tệp kê khai" in congvu("restore", str(path), "--yes")
    after = shell(
        "import json\n"
        "from django.db import connection\n"
        "from congvu.core.backup import live_digests\n"
        "c = connection.cursor(); c.execute('PRAGMA journal_mode')\n"
        "print(json.dumps({'mode': c.fetchone()[0], 'tables': live_digests()}))\n"
    )
    assert json.loads(after) == {"mode": "wal", "tables": expected}
    assert expected["organisations_staff"]["rows"] == 2
