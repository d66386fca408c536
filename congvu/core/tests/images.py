"""Images for the upload tests of every capability: photos full of metadata naming their author,
bombs, a phone-size photo, a JPEG/HTML polyglot; and the check that a stored image kept none of
it (segments and chunks walked, the identifying bytes searched)."""

import io
import struct
import zlib
from functools import cache

from PIL import ExifTags, Image, ImageCms
from PIL.PngImagePlugin import PngInfo

from congvu.core.uploads import JPEG, jpeg_markers, png_chunks

COMMENT = "Chụp bởi Nguyễn Văn A, SĐT 0912345678"
IDENTIFYING = [
    b"0912345678",
    "Nguyễn Văn A".encode(),
    b"Nguyen Van A",
    b"CameraCo",
    b"Exif",
    b"ICC_PROFILE",
    b"Photoshop 3.0",
    b"ns.adobe.com/xap",
    b"<html",
]
PNG_CRITICAL = {b"IHDR", b"PLTE", b"tRNS", b"IDAT", b"IEND"}
POLYGLOT_HTML = b"<html><body><script>alert(document.cookie)</script></body></html>"


def _segment(marker: int, payload: bytes) -> bytes:
    return bytes((0xFF, marker)) + struct.pack(">H", len(payload) + 2) + payload


def _exif() -> Image.Exif:
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "CameraCo"
    exif[ExifTags.Base.Artist] = "Nguyen Van A 0912345678"
    exif.get_ifd(ExifTags.IFD.GPSInfo).update(
        {
            ExifTags.GPS.GPSLatitudeRef: "N",
            ExifTags.GPS.GPSLatitude: (12.0, 15.0, 30.0),
            ExifTags.GPS.GPSLongitudeRef: "E",
            ExifTags.GPS.GPSLongitude: (109.0, 11.0, 0.0),
        }
    )
    return exif


@cache
def dirty_jpeg(size: tuple[int, int] = (64, 48)) -> bytes:
    """A JPEG with a COM comment naming its author, XMP (APP1), EXIF with GPS (APP1), IPTC
    (APP13) and an ICC profile (APP2)."""
    out = io.BytesIO()
    icc = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    Image.new("RGB", size, "red").save(
        out, "JPEG", exif=_exif(), icc_profile=icc, comment=COMMENT.encode()
    )
    xmp = _segment(
        0xE1,
        b"http://ns.adobe.com/xap/1.0/\x00<x:xmpmeta><dc:creator>Nguyen Van A"
        b" 0912345678</dc:creator></x:xmpmeta>",
    )
    byline = "Nguyễn Văn A".encode()
    iptc = b"\x1c\x02\x50" + struct.pack(">H", len(byline)) + byline
    resource = b"8BIM\x04\x04\x00\x00" + struct.pack(">I", len(iptc)) + iptc
    photoshop = _segment(0xED, b"Photoshop 3.0\x00" + resource)
    data = out.getvalue()
    return data[:2] + xmp + photoshop + data[2:]


@cache
def dirty_png() -> bytes:
    """A PNG with tEXt, iTXt, zTXt, eXIf, iCCP and pHYs chunks naming its author."""
    info = PngInfo()
    info.add_text("Author", "Nguyen Van A 0912345678")
    info.add_itxt("Description", COMMENT)
    info.add_text("Comment", "Nguyen Van A 0912345678", zip=True)
    out = io.BytesIO()
    icc = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    Image.new("RGBA", (20, 20), (0, 0, 255, 128)).save(
        out, "PNG", pnginfo=info, exif=_exif(), icc_profile=icc, dpi=(300, 300)
    )
    return out.getvalue()


@cache
def flat_jpeg(width: int, height: int) -> bytes:
    """A real, highly compressible JPEG (8000 × 5000: 40 megapixels in a few hundred KB)."""
    out = io.BytesIO()
    Image.new("L", (width, height), 128).save(out, "JPEG", quality=50)
    return out.getvalue()


@cache
def png_bomb(width: int = 20_000, height: int = 20_000) -> bytes:
    """A valid 1-bit PNG of width × height black pixels: 400 megapixels in about 100 KB."""
    compressor = zlib.compressobj(9)
    row = b"\x00" * (1 + (width + 7) // 8)
    idat = b"".join(compressor.compress(row) for _ in range(height)) + compressor.flush()

    def chunk(kind: bytes, body: bytes) -> bytes:
        return (
            struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))
        )

    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", idat) + chunk(b"IEND", b"")
    )


@cache
def phone_jpeg() -> bytes:
    """A 12-megapixel photo (4000 × 3000) as a phone takes it."""
    red = Image.linear_gradient("L").resize((4000, 3000))
    green = red.transpose(Image.Transpose.FLIP_LEFT_RIGHT)
    out = io.BytesIO()
    Image.merge("RGB", (red, green, red)).save(out, "JPEG", quality=90)
    return out.getvalue()


@cache
def polyglot() -> bytes:
    """A JPEG that is also an HTML page: the page sits in a comment segment."""
    out = io.BytesIO()
    Image.new("RGB", (16, 16), "white").save(out, "JPEG")
    data = out.getvalue()
    return data[:2] + _segment(0xFE, POLYGLOT_HTML) + data[2:]


def assert_no_metadata(data: bytes, kind: str) -> None:
    """Nothing but pixels: no COM or APP1–APP15 segment (APP0 JFIF only), only critical PNG
    chunks, none of the identifying bytes, nothing in Pillow's ``info`` either."""
    if kind == JPEG:
        markers, end = jpeg_markers(data)
        assert [m for m in markers if m == 0xFE or 0xE1 <= m <= 0xEF] == [], markers
        assert end == len(data)
    else:
        assert set(png_chunks(data)) <= PNG_CRITICAL, png_chunks(data)
    for found in IDENTIFYING:
        assert found not in data, found
    with Image.open(io.BytesIO(data)) as image:
        kept = {"comment", "icc_profile", "exif", "xmp", "dpi", "photoshop", "Author", "Comment"}
        assert not kept & set(image.info), image.info
        assert not image.getexif()
