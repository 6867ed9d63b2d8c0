"""A document as lines of text, each with its page and line number.

Every loader (plain text, PDF text layer, OCR, Word) produces a `Document`; the
structurer reads only this, so provenance (page, line) is the same for all.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import NamedTuple


class Method(StrEnum):
    """How the text was obtained."""

    TEXT = "text"
    PDF_TEXT = "pdf_text"
    OCR = "ocr"
    WORD = "word"
    EMBEDDED = "embedded"  # the record attached to a PDF that registre rendered


class Line(NamedTuple):
    """One line of text: `number` counts from 1 across the whole document.

    A named tuple rather than a frozen dataclass, as are the other values made by
    the thousand in a reading: as immutable, four times faster to make.
    """

    page: int
    number: int
    text: str


@dataclass(frozen=True, slots=True)
class Document:
    """The text of a document, in reading order."""

    source: str
    lines: tuple[Line, ...]
    pages: int
    method: Method

    @classmethod
    def from_pages(cls, source: str, pages: list[str], method: Method) -> Document:
        """Number the lines of page texts (pages in order, 1-based)."""
        lines: list[Line] = []
        for page_no, text in enumerate(pages, start=1):
            for raw in text.split("\n"):
                lines.append(Line(page_no, len(lines) + 1, raw.rstrip()))
        return cls(source, tuple(lines), max(len(pages), 1), method)

    @classmethod
    def from_text(cls, source: str, text: str, method: Method = Method.TEXT) -> Document:
        """Split a text on form feeds into pages (as pdftotext and OCR write them)."""
        pages = text.replace("\r\n", "\n").replace("\r", "\n").split("\f")
        if len(pages) > 1 and not pages[-1].strip():
            pages = pages[:-1]
        return cls.from_pages(source, pages, method)

    @property
    def text(self) -> str:
        """The whole text, lines joined by newlines."""
        return "\n".join(line.text for line in self.lines)
