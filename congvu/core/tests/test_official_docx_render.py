"""An official document rendered as a reader sees it: LibreOffice (headless) converts the
Word file to PDF, pdftoppm the pages to PNG (`make test` installs both; skipped only where
they are missing). The PDF has A4 pages, the text of the header boxes, and page 2 starts
with its page number."""

import shutil
import subprocess
from datetime import date
from pathlib import Path

import pytest
from pypdf import PdfReader

from congvu.core.official_docx import Issuer, OfficialDocument, Signer

SOFFICE, PDFTOPPM = shutil.which("soffice"), shutil.which("pdftoppm")
pytestmark = pytest.mark.skipif(
    not (SOFFICE and PDFTOPPM), reason="LibreOffice or pdftoppm is not installed (make office)"
)


def sample() -> bytes:
    document = OfficialDocument(
        issuer=Issuer("Ủy ban nhân dân tỉnh Khánh Hòa"),
        code="6861/KH-UBND",
        day=date(2019, 7, 12),
        doc_type="Kế hoạch",
        summary="Triển khai thực hiện Đề án văn hóa công vụ",
        place="Khánh Hòa",
    )
    document.bases(["Thực hiện Quyết định số 1847/QĐ-TTg ngày 27/12/2018 của Thủ tướng Chính phủ"])
    document.heading("I. MỤC ĐÍCH, YÊU CẦU")
    for n in range(1, 40):
        document.paragraph(
            f"{n}. Đẩy mạnh công tác thông tin, tuyên truyền, phổ biến các quan điểm, mục tiêu, "
            "nội dung và các giải pháp tổ chức thực hiện văn hóa công vụ."
        )
    document.closing(
        recipients=["Bộ Nội vụ", "Lưu: VT"],
        signers=[Signer("Chủ tịch", "Nguyễn Văn A", on_behalf="TM. Ủy ban nhân dân")],
    )
    return document.to_bytes()


def text(pdf: Path, page: int) -> str:
    """One page's text as poppler reads it (it keeps Vietnamese diacritics whole)."""
    done = subprocess.run(  # noqa: S603 (fixed argv)
        [
            PDFTOPPM.replace("pdftoppm", "pdftotext"),
            "-f",
            str(page),
            "-l",
            str(page),
            str(pdf),
            "-",
        ],
        check=True,
        capture_output=True,
        timeout=60,
    )
    return done.stdout.decode()


def test_rendered_to_pdf_and_png(tmp_path: Path):
    source = tmp_path / "ke-hoach.docx"
    source.write_bytes(sample())
    subprocess.run(  # noqa: S603 (fixed argv)
        [
            SOFFICE,
            "--headless",
            f"-env:UserInstallation=file://{tmp_path}/lo",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path),
            str(source),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    pdf = PdfReader(tmp_path / "ke-hoach.pdf")
    assert len(pdf.pages) >= 2
    width, height = (float(v) * 25.4 / 72 for v in pdf.pages[0].mediabox.upper_right)
    assert (round(width), round(height)) == (210, 297)
    first, second = (text(tmp_path / "ke-hoach.pdf", page) for page in (1, 2))
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in first
    assert "Khánh Hòa, ngày 12 tháng 7 năm 2019" in first
    assert "Số: 6861/KH-UBND" in first
    assert second.strip().startswith("2")  # the page number, centred at the top
    subprocess.run(  # noqa: S603 (fixed argv)
        [PDFTOPPM, "-png", "-r", "60", str(tmp_path / "ke-hoach.pdf"), str(tmp_path / "trang")],
        check=True,
        capture_output=True,
        timeout=120,
    )
    assert sorted(p.name for p in tmp_path.glob("trang-*.png"))[:2] == [
        "trang-1.png",
        "trang-2.png",
    ]
