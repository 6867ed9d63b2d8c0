"""Reading published extracts and minutes (text, PDF, scans, Word) into checked records.

`read(path)` and `read_text(text)` return a `ReadResult`: the MeetingRecord, the
provenance of its fields (page, lines), the doubts and the passages that could
not be interpreted. The reader records what the document says and never fixes
it; `registre.rules` reports what does not add up.
"""

from __future__ import annotations

from pathlib import Path

from registre.extracts.document import Document, Line, Method
from registre.extracts.loaders import load
from registre.extracts.result import Doubt, ReadResult, Span, Unread
from registre.extracts.structure import structure

__all__ = [
    "Document",
    "Doubt",
    "Line",
    "Method",
    "ReadResult",
    "Span",
    "Unread",
    "read",
    "read_text",
]


def read_text(text: str, *, source: str = "texte") -> ReadResult:
    """Read plain text (as extracted from a PDF: form feeds separate pages)."""
    return structure(Document.from_text(source, text))


def read(path: str | Path, *, ocr_page_limit: int | None = None) -> ReadResult:
    """Read a document file: text, PDF (text layer or scanned), Word .doc/.docx/.odt.

    Raises `registre.errors.InputError` (French message) when the file cannot be read.
    """
    return structure(load(Path(path), ocr_page_limit=ocr_page_limit))
