"""Read a QR code back from a PDF page for the tests: poppler's pdftoppm renders the page to a greyscale
PGM and Debian's libzbar0 (through ctypes, no Python binding needed) decodes it. Both are system
packages; ``available()`` says whether this machine has them (the test skips, saying why, otherwise)."""

import ctypes
import ctypes.util
import shutil
import subprocess  # nosec B404 - fixed argument list, test helper only
import tempfile
from pathlib import Path


def _zbar():
    name = ctypes.util.find_library("zbar") or "libzbar.so.0"
    try:
        return ctypes.CDLL(name)
    except OSError:
        return None


def available() -> bool:
    return shutil.which("pdftoppm") is not None and _zbar() is not None


def _pgm(pdf: bytes, page: int) -> tuple[int, int, bytes]:
    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / "slips.pdf"
        source.write_bytes(pdf)
        subprocess.run(  # nosec B603 B607
            ["pdftoppm", "-gray", "-r", "150", "-f", str(page), "-l", str(page), str(source), str(Path(folder) / "p")],
            check=True,
        )
        data = next(Path(folder).glob("p*.pgm")).read_bytes()
    header, rest = data.split(b"\n", 1)
    assert header == b"P5"
    size, rest = rest.split(b"\n", 1)
    _maxval, pixels = rest.split(b"\n", 1)
    width, height = (int(v) for v in size.split())
    return width, height, pixels


def decode_qr_codes(pdf: bytes, page: int = 1) -> list[str]:
    """Every QR code's text on the page."""
    zbar = _zbar()
    width, height, pixels = _pgm(pdf, page)
    zbar.zbar_image_scanner_create.restype = ctypes.c_void_p
    zbar.zbar_image_create.restype = ctypes.c_void_p
    zbar.zbar_image_first_symbol.restype = ctypes.c_void_p
    zbar.zbar_symbol_next.restype = ctypes.c_void_p
    zbar.zbar_symbol_get_data.restype = ctypes.c_char_p
    for name in ("zbar_image_scanner_set_config", "zbar_image_set_format", "zbar_image_set_size", "zbar_image_set_data"):
        getattr(zbar, name).restype = None
    scanner = ctypes.c_void_p(zbar.zbar_image_scanner_create())
    zbar.zbar_image_scanner_set_config(scanner, 0, 0, 1)  # every symbology, ZBAR_CFG_ENABLE
    image = ctypes.c_void_p(zbar.zbar_image_create())
    zbar.zbar_image_set_format(image, ctypes.c_ulong(int.from_bytes(b"Y800", "little")))
    zbar.zbar_image_set_size(image, ctypes.c_uint(width), ctypes.c_uint(height))
    buffer = ctypes.create_string_buffer(pixels, len(pixels))
    zbar.zbar_image_set_data(image, buffer, ctypes.c_ulong(len(pixels)), None)
    zbar.zbar_scan_image(scanner, image)
    found, symbol = [], zbar.zbar_image_first_symbol(image)
    while symbol:
        found.append(zbar.zbar_symbol_get_data(ctypes.c_void_p(symbol)).decode())
        symbol = zbar.zbar_symbol_next(ctypes.c_void_p(symbol))
    return found
