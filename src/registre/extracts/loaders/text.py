"""Plain text files: UTF-8 (with or without BOM), UTF-16 with BOM, else Windows-1252."""

from __future__ import annotations

import codecs
import re

# Control characters other than tab, line ends and form feed (page break). The C1
# range is left out: Latin-1 decodes there the bytes Windows-1252 leaves undefined.
_CONTROL = re.compile("[\x00-\x08\x0e-\x1f\x7f]")
# More control characters than this share of the text: a binary file.
_MAX_CONTROL_SHARE = 0.005


def decode(data: bytes) -> str:
    """Decode text bytes: BOM first, then strict UTF-8, then Windows-1252, then Latin-1.

    French files written on Windows are usually Windows-1252; Latin-1 accepts
    the few bytes Windows-1252 leaves undefined.
    """
    if data.startswith(codecs.BOM_UTF8):
        return data[len(codecs.BOM_UTF8) :].decode("utf-8", errors="replace")
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return data.decode("utf-16", errors="replace")
    for encoding in ("utf-8", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return data.decode("latin-1")


def looks_like_text(text: str) -> bool:
    """Whether decoded bytes are text rather than binary data (NUL, many controls)."""
    if "\x00" in text:
        return False
    controls = len(_CONTROL.findall(text))
    return controls <= _MAX_CONTROL_SHARE * max(len(text), 1)
