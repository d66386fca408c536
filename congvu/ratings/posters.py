"""Printable QR posters of a desk, A4 or A5, as PDF (reportlab) or PNG (Pillow).

The layout is computed once, in millimetres, with the font's own metrics; both renderers
draw the same boxes. The QR code (segno) is drawn as vector squares in the PDF and as
pixel blocks in the PNG, so it stays sharp at any print size. Fonts need the Vietnamese
glyphs: DejaVu Sans (Debian fonts-dejavu-core) by default, or CONGVU_POSTER_FONT and
CONGVU_POSTER_FONT_BOLD (paths to TrueType files).
"""

from __future__ import annotations

import io
import os
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from pathlib import Path

import segno
from PIL import Image, ImageDraw, ImageFont
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas

SIZES = {"a4": (210.0, 297.0), "a5": (148.0, 210.0)}
FORMATS = ("pdf", "png")
PNG_DPI = 150
RED = (139, 26, 26)
GREY = (90, 90, 90)
BLACK = (0, 0, 0)
WHITE = (255, 255, 255)
FONT_CANDIDATES = [
    (
        "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
        "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf",
    ),
    (
        "/usr/share/fonts/truetype/noto/NotoSans-Regular.ttf",
        "/usr/share/fonts/truetype/noto/NotoSans-Bold.ttf",
    ),
    (
        "/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf",
        "/usr/share/fonts/truetype/liberation/LiberationSans-Bold.ttf",
    ),
]
REGULAR, BOLD = "CongVuPoster", "CongVuPoster-Bold"


class PosterUnavailable(Exception):
    """No font with Vietnamese glyphs on this machine."""


@dataclass(frozen=True)
class PosterContent:
    unit: str
    desk: str
    official: str  # "" unless the desk is one official's
    location: str
    url: str
    token_hint: str  # the token's first characters: which printing this is
    printed_on: date


@dataclass(frozen=True)
class Text:
    x: float  # mm from the left (the centre when centred)
    y: float  # mm from the top, baseline
    size: float  # pt
    bold: bool
    color: tuple[int, int, int]
    text: str
    centre: bool = True


@dataclass(frozen=True)
class Box:
    x: float
    y: float
    w: float
    h: float
    color: tuple[int, int, int]


@dataclass(frozen=True)
class Qr:
    x: float
    y: float
    size: float
    modules: tuple[tuple[int, ...], ...]


@lru_cache(maxsize=1)
def font_files() -> tuple[str, str]:
    regular = os.environ.get("CONGVU_POSTER_FONT", "")
    bold = os.environ.get("CONGVU_POSTER_FONT_BOLD", "") or regular
    candidates = ([(regular, bold)] if regular else []) + FONT_CANDIDATES
    for pair in candidates:
        if all(Path(p).is_file() for p in pair):
            return pair
    raise PosterUnavailable(
        "Máy chủ chưa có phông chữ tiếng Việt để in áp phích (cài gói fonts-dejavu-core "
        "hoặc đặt CONGVU_POSTER_FONT)."
    )


@lru_cache(maxsize=1)
def _register_fonts() -> None:
    regular, bold = font_files()
    pdfmetrics.registerFont(TTFont(REGULAR, regular))
    pdfmetrics.registerFont(TTFont(BOLD, bold))


def _width_mm(text: str, size: float, bold: bool) -> float:
    _register_fonts()
    return pdfmetrics.stringWidth(text, BOLD if bold else REGULAR, size) / mm


def _wrap(text: str, size: float, bold: bool, width: float) -> list[str]:
    lines: list[str] = []
    line = ""
    for word in text.split():
        candidate = f"{line} {word}".strip()
        if line and _width_mm(candidate, size, bold) > width:
            lines.append(line)
            line = word
        else:
            line = candidate
    if line:
        lines.append(line)
    return lines[:3]  # a name longer than three lines is cut rather than pushed off the page


def layout(content: PosterContent, size: str) -> tuple[float, float, list]:
    """Page width and height (mm) and what to draw on it."""
    width, height = SIZES[size]
    k = width / 210.0  # A5 is A4 scaled by 1/√2
    centre = width / 2
    ops: list = [Box(0, 0, width, 34 * k, RED)]
    ops.append(Text(centre, 15 * k, 26 * k, True, WHITE, "ĐÁNH GIÁ SỰ HÀI LÒNG"))
    ops.append(
        Text(centre, 25 * k, 12 * k, False, WHITE, "về thái độ phục vụ của cán bộ, công chức")
    )
    y = 46 * k
    for line in _wrap(content.unit.upper(), 15 * k, True, width - 24 * k):
        ops.append(Text(centre, y, 15 * k, True, BLACK, line))
        y += 7 * k
    y += 1.5 * k
    for line in _wrap(content.desk, 14 * k, False, width - 24 * k):
        ops.append(Text(centre, y, 14 * k, False, BLACK, line))
        y += 6.5 * k
    if content.official:
        ops.append(Text(centre, y, 14 * k, True, RED, f"Cán bộ: {content.official}"))
        y += 6.5 * k
    if content.location:
        ops.append(Text(centre, y, 10.5 * k, False, GREY, content.location[:90]))
        y += 5 * k
    qr = segno.make(content.url, error="m", micro=False)
    modules = tuple(tuple(row) for row in qr.matrix_iter(scale=1, border=0))
    side = 115 * k
    y += 6 * k  # with the margin below: the quiet zone a scanner needs around the code
    ops.append(Qr(centre - side / 2, y, side, modules))
    y += side + 9 * k
    ops.append(Text(centre, y, 10 * k, False, GREY, content.url))
    y += 11 * k
    steps = [
        "1. Mở camera hoặc Zalo trên điện thoại, quét mã QR.",
        "2. Chọn số sao và đánh dấu cách cán bộ tiếp đón bạn.",
        "3. Bấm «Gửi đánh giá». Không cần đăng nhập.",
    ]
    for step in steps:
        for line in _wrap(step, 12.5 * k, False, width - 30 * k):
            ops.append(Text(15 * k, y, 12.5 * k, False, BLACK, line, centre=False))
            y += 6.5 * k
    y = height - 14 * k
    ops.append(
        Text(centre, y, 10.5 * k, True, RED, "Miễn phí · Không cần đăng nhập · Ý kiến được giữ kín")
    )
    ops.append(
        Text(
            centre,
            height - 7 * k,
            8 * k,
            False,
            GREY,
            f"Mã áp phích {content.token_hint}… · in ngày {content.printed_on:%d/%m/%Y}. "
            "Áp phích in trước đó không còn hiệu lực.",
        )
    )
    return width, height, ops


def render_pdf(content: PosterContent, size: str) -> bytes:
    width, height, ops = layout(content, size)
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=(width * mm, height * mm), pageCompression=1)
    pdf.setTitle(f"Áp phích đánh giá — {content.desk}")
    pdf.setAuthor("CôngVụ")
    for op in ops:
        if isinstance(op, Box):
            pdf.setFillColorRGB(*(c / 255 for c in op.color))
            pdf.rect(op.x * mm, (height - op.y - op.h) * mm, op.w * mm, op.h * mm, 0, 1)
        elif isinstance(op, Text):
            pdf.setFillColorRGB(*(c / 255 for c in op.color))
            pdf.setFont(BOLD if op.bold else REGULAR, op.size)
            x, y = op.x * mm, (height - op.y) * mm
            (pdf.drawCentredString if op.centre else pdf.drawString)(x, y, op.text)
        else:
            _pdf_qr(pdf, op, height)
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()


def _pdf_qr(pdf: canvas.Canvas, qr: Qr, height: float) -> None:
    count = len(qr.modules)
    unit = qr.size / count
    pdf.setFillColorRGB(0, 0, 0)
    path = pdf.beginPath()
    for row, cells in enumerate(qr.modules):
        col = 0
        while col < count:  # one rectangle per run of dark modules
            if not cells[col]:
                col += 1
                continue
            start = col
            while col < count and cells[col]:
                col += 1
            top = qr.y + row * unit
            path.rect(
                (qr.x + start * unit) * mm,
                (height - top - unit) * mm,
                (col - start) * unit * mm,
                unit * mm * 1.01,  # no hairline gaps between rows
            )
    pdf.drawPath(path, stroke=0, fill=1)


def render_png(content: PosterContent, size: str, dpi: int = PNG_DPI) -> bytes:
    width, height, ops = layout(content, size)
    px = dpi / 25.4
    image = Image.new("RGB", (round(width * px), round(height * px)), WHITE)
    draw = ImageDraw.Draw(image)
    regular, bold = font_files()
    fonts: dict[tuple[bool, int], ImageFont.FreeTypeFont] = {}
    for op in ops:
        if isinstance(op, Box):
            draw.rectangle(
                [op.x * px, op.y * px, (op.x + op.w) * px - 1, (op.y + op.h) * px - 1],
                fill=op.color,
            )
        elif isinstance(op, Text):
            size_px = round(op.size * dpi / 72)
            font = fonts.get((op.bold, size_px))
            if font is None:
                font = ImageFont.truetype(bold if op.bold else regular, size_px)
                fonts[(op.bold, size_px)] = font
            anchor = "ms" if op.centre else "ls"  # middle or left, on the baseline
            draw.text((op.x * px, op.y * px), op.text, font=font, fill=op.color, anchor=anchor)
        else:
            _png_qr(draw, op, px)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=True, dpi=(dpi, dpi))
    return buffer.getvalue()


def _png_qr(draw: ImageDraw.ImageDraw, qr: Qr, px: float) -> None:
    count = len(qr.modules)
    unit = max(1, int(qr.size * px / count))  # whole pixels per module: crisp edges
    left = round(qr.x * px + (qr.size * px - unit * count) / 2)
    top = round(qr.y * px + (qr.size * px - unit * count) / 2)
    for row, cells in enumerate(qr.modules):
        for col, dark in enumerate(cells):
            if dark:
                x, y = left + col * unit, top + row * unit
                draw.rectangle([x, y, x + unit - 1, y + unit - 1], fill=BLACK)


def render(content: PosterContent, size: str, fmt: str) -> bytes:
    if size not in SIZES or fmt not in FORMATS:
        raise ValueError(f"poster {size}.{fmt}")
    return render_pdf(content, size) if fmt == "pdf" else render_png(content, size)


def qr_svg(url: str) -> str:
    """The QR code alone as inline SVG for the desk page (no style attributes: CSP)."""
    buffer = io.BytesIO()
    segno.make(url, error="m", micro=False).save(
        buffer,
        kind="svg",
        scale=4,
        border=2,
        xmldecl=False,
        svgns=True,
        nl=False,
        title="Mã QR đánh giá",
    )
    return buffer.getvalue().decode()
