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
from registre.extracts.loaders.attached import attached_record
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


def read(
    path: str | Path, *, ocr_page_limit: int | None = None, embedded: bool = True
) -> ReadResult:
    """Read a document file: text, PDF (text layer or scanned), Word .doc/.docx/.odt.

    A PDF rendered by registre carries its record: it is taken as is unless
    `embedded` is False (then the printed text is read, as for any document).
    Raises `registre.errors.InputError` (French message) when the file cannot be read.
    """
    path = Path(path)
    if embedded and path.suffix.lower() == ".pdf":
        found = attached_record(path)
        if found is not None:
            record, pages = found
            return ReadResult(
                source=str(path), method=Method.EMBEDDED, pages=pages, record=record,
                provenance=(), doubts=(), unread=(), events=(),
            )  # fmt: skip
    return structure(load(path, ocr_page_limit=ocr_page_limit))
