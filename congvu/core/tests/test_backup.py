"""R4: backup and restore round-trip on the configured engine (SQLite or PostgreSQL)."""

import hashlib
import io
import json
import os
import subprocess
import sys
import tarfile
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


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "var" / "private"


def _backup(tmp_path: Path, settings) -> Path:
    settings.BACKUP_DIR = tmp_path / "backups"
    out = StringIO()
    call_command("backup", stdout=out)
    (path,) = [p for p in settings.BACKUP_DIR.iterdir() if not p.name.endswith((".json", ".tar"))]
    assert str(path) in out.getvalue()
    assert str(backup.files_path(path)) in out.getvalue()
    return path


def _tree(root: Path) -> dict[str, str]:
    """Every file under ``root``: relative name → SHA-256."""
    return {
        p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


def _store_files(settings) -> tuple[int, Path]:
    """A citizen's report with a photo (row and file, through the service), and an evidence
    file and an import sheet as bare files; the attachment's id and the evidence path."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from congvu.feedback import services as reports
    from congvu.feedback.tests.conftest import jpeg_bytes, report_input

    photo = SimpleUploadedFile("anh.jpg", jpeg_bytes(), content_type="image/jpeg")
    report = reports.report_submit(data=report_input("KHA-SYT", uploads=[photo])).report
    media = Path(settings.MEDIA_ROOT)
    evidence = media / "evidence" / ("ab" * 16)
    evidence.parent.mkdir(parents=True, exist_ok=True)
    evidence.write_bytes(b"%PDF-1.4\n" + os.urandom(3000) + b"\n%%EOF\n")
    (media / "imports" / "2026").mkdir(parents=True)
    (media / "imports" / "2026" / "danh-sach.xlsx").write_bytes(b"PK\x03\x04" + b"x" * 100)
    return report.attachments.get().pk, evidence


def _rewrite_archive(path: Path, members: list[tuple[tarfile.TarInfo, bytes]]) -> None:
    """Replace the backup's archive, and its checksum in the manifest, as an attacker who
    can write both files would: only the per-file checks and the names remain."""
    archive = backup.files_path(path)
    with tarfile.open(archive, "w", format=tarfile.PAX_FORMAT) as tar:
        for member, data in members:
            tar.addfile(member, io.BytesIO(data) if member.isreg() else None)
    manifest_file = backup.manifest_path(path)
    manifest = json.loads(manifest_file.read_text())
    manifest["files"]["sha256"] = backup.file_sha256(archive)
    manifest_file.write_text(json.dumps(manifest))


def _member(name: str, data: bytes = b"", kind: bytes = tarfile.REGTYPE, link: str = ""):
    member = tarfile.TarInfo(name)
    member.type, member.size, member.linkname = kind, len(data), link
    return member, data


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


def test_backup_then_restore_brings_back_the_stored_files_with_their_rows(
    province, tmp_path, settings
):
    from congvu.feedback.models import ReportAttachment

    attachment_pk, evidence = _store_files(settings)
    media = Path(settings.MEDIA_ROOT)
    files = _tree(media)
    assert len(files) == 3
    tables = backup.live_digests()
    path = _backup(tmp_path, settings)
    manifest = json.loads(backup.manifest_path(path).read_text())
    assert manifest["format"] == 2
    assert {name: entry["sha256"] for name, entry in manifest["files"]["entries"].items()} == files
    assert manifest["files"]["sha256"] == backup.file_sha256(backup.files_path(path))

    # After the backup: the photo and its row deleted, the evidence altered, a file added.
    attachment = ReportAttachment.objects.get(pk=attachment_pk)
    (media / "reports" / attachment.stored_name).unlink()
    attachment.delete()
    evidence.write_bytes(b"da bi sua")
    (media / "evidence" / "moi").write_bytes(b"tep moi sau sao luu")
    assert _tree(media) != files

    out = StringIO()
    call_command("restore", str(path), "--yes", stdout=out)
    assert "3 tệp" in out.getvalue()

    assert _tree(media) == files
    assert backup.live_digests() == tables
    attachment = ReportAttachment.objects.get(pk=attachment_pk)
    photo = media / "reports" / attachment.stored_name
    assert hashlib.sha256(photo.read_bytes()).hexdigest() == attachment.sha256
    assert photo.stat().st_mode & 0o777 == 0o600
    # Nothing left beside MEDIA_ROOT: neither the unpacked copy nor the old files.
    assert sorted(p.name for p in media.parent.iterdir()) == ["private"]


def test_an_altered_archive_is_refused_before_anything_is_touched(province, tmp_path, settings):
    _store_files(settings)
    path = _backup(tmp_path, settings)
    media = Path(settings.MEDIA_ROOT)
    (media / "evidence" / "moi").write_bytes(b"sau sao luu")
    Unit.objects.filter(pk=province["syt"].pk).update(name="Sau sao lưu")
    files, tables = _tree(media), backup.live_digests()
    archive = backup.files_path(path)
    data = bytearray(archive.read_bytes())
    data[700] ^= 0xFF  # inside the first file's content
    archive.write_bytes(bytes(data))

    with pytest.raises(CommandError, match="files.tar không khớp tổng kiểm tra"):
        call_command("restore", str(path), "--yes", stdout=StringIO())

    # With the archive's checksum forged too, the file's own checksum refuses it.
    manifest_file = backup.manifest_path(path)
    manifest = json.loads(manifest_file.read_text())
    manifest["files"]["sha256"] = backup.file_sha256(archive)
    manifest_file.write_text(json.dumps(manifest))
    with pytest.raises(CommandError, match="không khớp tổng kiểm tra trong tệp kê khai"):
        call_command("restore", str(path), "--yes", stdout=StringIO())

    assert _tree(media) == files
    assert backup.live_digests() == tables
    assert sorted(p.name for p in media.parent.iterdir()) == ["private"]


@pytest.mark.parametrize(
    ("member", "message"),
    [
        (_member("../ngoai.txt", b"x"), "không an toàn"),
        (_member("/etc/ngoai.txt", b"x"), "không an toàn"),
        (_member("reports/./a", b"x"), "không an toàn"),
        (_member("reports/lien-ket", kind=tarfile.SYMTYPE, link="/etc/passwd"), "không an toàn"),
        (_member("reports/cung", kind=tarfile.LNKTYPE, link="evidence/x"), "không an toàn"),
        (_member("reports", kind=tarfile.DIRTYPE), "không an toàn"),
        (_member("reports/khong-ke-khai", b"x"), "không có trong tệp kê khai"),
    ],
    ids=["parent", "absolute", "dot", "symlink", "hardlink", "directory", "unlisted"],
)
def test_an_archive_with_unsafe_or_unlisted_members_is_refused(
    province, tmp_path, settings, member, message
):
    _store_files(settings)
    path = _backup(tmp_path, settings)
    media = Path(settings.MEDIA_ROOT)
    (media / "evidence" / "moi").write_bytes(b"sau sao luu")
    Unit.objects.filter(pk=province["syt"].pk).update(name="Sau sao lưu")
    files, tables = _tree(media), backup.live_digests()
    _rewrite_archive(path, [member])

    with pytest.raises(CommandError, match=message):
        call_command("restore", str(path), "--yes", stdout=StringIO())

    assert _tree(media) == files
    assert backup.live_digests() == tables
    assert sorted(p.name for p in media.parent.iterdir()) == ["private"]
    assert not (tmp_path / "var" / "ngoai.txt").exists()


def test_an_archive_missing_a_listed_file_is_refused(province, tmp_path, settings):
    _store_files(settings)
    path = _backup(tmp_path, settings)
    _rewrite_archive(path, [])
    with pytest.raises(CommandError, match="thiếu 3 tệp"):
        call_command("restore", str(path), "--yes", stdout=StringIO())


def test_backup_refuses_a_link_under_the_stored_files(province, tmp_path, settings):
    media = Path(settings.MEDIA_ROOT)
    (media / "reports").mkdir(parents=True)
    (media / "reports" / "lien-ket").symlink_to("/etc/passwd")
    with pytest.raises(CommandError, match="không phải tệp thường"):
        _backup(tmp_path, settings)
    assert not any(p.name.endswith(".tar") for p in (tmp_path / "backups").iterdir())


def test_a_database_only_backup_of_format_1_still_restores_and_leaves_the_files(
    province, tmp_path, settings
):
    path = _backup(tmp_path, settings)
    manifest_file = backup.manifest_path(path)
    manifest = json.loads(manifest_file.read_text())
    manifest["format"] = 1
    del manifest["files"]
    manifest_file.write_text(json.dumps(manifest))
    backup.files_path(path).unlink()
    _store_files(settings)
    files = _tree(Path(settings.MEDIA_ROOT))
    Unit.objects.filter(pk=province["syt"].pk).update(name="Sau sao lưu")

    out = StringIO()
    call_command("restore", str(path), "--yes", stdout=out)
    assert "định dạng cũ" in out.getvalue()
    assert backup.live_digests() == manifest["tables"]
    assert _tree(Path(settings.MEDIA_ROOT)) == files


def test_backup_with_output_writes_private_files_there(province, tmp_path):
    target = tmp_path / "sub" / "ban-sao.bak"
    call_command("backup", "--output", str(target), stdout=StringIO())
    assert target.is_file()
    assert backup.manifest_path(target).is_file()
    assert backup.files_path(target).is_file()
    for written in (target, backup.manifest_path(target), backup.files_path(target)):
        assert written.stat().st_mode & 0o777 == 0o600
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
        "/usr/bin/pg_dump",
        "-h",
        "db.internal",
        "-p",
        "5433",
        "-U",
        "congvu",
        "-d",
        "congvu",
        "--no-password",
    ]
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
            env=env,
            capture_output=True,
            text=True,
            check=False,
            timeout=120,
        )
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
    evidence = tmp_path / "private" / "evidence" / ("cd" * 16)  # MEDIA_ROOT = VAR_DIR/private
    evidence.parent.mkdir(parents=True)
    evidence.write_bytes(b"minh chung")
    congvu("backup")
    (path,) = (tmp_path / "backups").glob("*.sqlite3")
    expected = json.loads(backup.manifest_path(path).read_text())["tables"]
    shell(
        "from congvu.organisations.models import Membership, Staff, Unit\n"
        "Membership.objects.all().delete(); Staff.objects.all().delete()\n"
        "Unit.objects.filter(code='KHA-SYT').update(name='Đổi')\n"
    )
    evidence.unlink()
    assert "khớp tệp kê khai" in congvu("restore", str(path), "--yes")
    assert evidence.read_bytes() == b"minh chung"
    after = shell(
        "import json\n"
        "from django.db import connection\n"
        "from congvu.core.backup import live_digests\n"
        "c = connection.cursor(); c.execute('PRAGMA journal_mode')\n"
        "print(json.dumps({'mode': c.fetchone()[0], 'tables': live_digests()}))\n"
    )
    assert json.loads(after) == {"mode": "wal", "tables": expected}
    assert expected["organisations_staff"]["rows"] == 2
