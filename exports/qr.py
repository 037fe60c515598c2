"""QR codes printed on PST documents, as PNG bytes.

The texts we encode (digits, upper-case letters, space, hyphen) fit the QR alphanumeric mode, so the
code stays small and prints sharply; error correction M survives a crease or a smudge."""

from __future__ import annotations

import io

import qrcode
from qrcode.constants import ERROR_CORRECT_M


def qr_png(text: str, *, box_size: int = 8, border: int = 4) -> bytes:
    """PNG bytes of the QR code of ``text`` (black on white, ``border`` quiet-zone modules)."""
    if not text:
        raise ValueError("a QR code needs some text")
    code = qrcode.QRCode(error_correction=ERROR_CORRECT_M, box_size=box_size, border=border)
    code.add_data(text)
    code.make(fit=True)
    buffer = io.BytesIO()
    code.make_image(fill_color="black", back_color="white").save(buffer, format="PNG")
    return buffer.getvalue()
