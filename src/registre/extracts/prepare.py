"""Clean the lines of a document before reading: the artefacts of extraction.

- Word tables rendered with "|" borders (antiword) interleave a margin column with
  the body line by line: each column is read as its own run of lines.
- Lost ligatures, non-breaking spaces, bullets, `#signatureN#` markers.
- Page furniture: page numbers, and lines repeated on most pages (headers,
  footers), which would otherwise split lists and sentences.
Each cleaned line keeps the page and line number it came from.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from typing import NamedTuple

from registre.extracts.document import Document, Line
from registre.extracts.names import fold

_LIGATURES = str.maketrans(
    {
        "ﬁ": "fi",
        "ﬂ": "fl",
        "ﬀ": "ff",
        "ﬃ": "ffi",
        "ﬄ": "ffl",
        "\u00a0": " ",
        "\u202f": " ",
        "\t": " ",
    }
)
_SIGNATURE = re.compile(r"#signature\d*#", re.IGNORECASE)
_BULLET = re.compile(r"^\s*(?:[+•▪●◦·>]|-(?=\s+[A-ZÀ-Ý]\w+\s*:))\s+")
_PAGE_NUMBER = re.compile(
    r"^\s*(?:-\s*)?(?:page\s+)?\d{1,3}(?:\s*(?:/|sur)\s*\d{1,3})?(?:\s*-)?\s*$", re.IGNORECASE
)
_PAGE_NUMBER_MAX = 24


def _is_page_number(text: str) -> bool:
    # the longest form, "- page 123 sur 123 -", has 20 characters: skip the pattern beyond
    return len(text) <= _PAGE_NUMBER_MAX and bool(_PAGE_NUMBER.match(text))


class TextLine(NamedTuple):
    """A cleaned line and the document line it comes from."""

    text: str
    source: Line


@lru_cache(maxsize=1 << 14)
def _clean(text: str) -> str:
    text = _SIGNATURE.sub("", text.translate(_LIGATURES))
    text = _BULLET.sub("", re.sub(r"^\s*\|\s*", "", text))  # a scan's column rule read as "|"
    return re.sub(r"\s+", " ", text).strip()


def _is_table_row(text: str) -> bool:
    return text.startswith("|") and text.rstrip().endswith("|") and text.count("|") >= 3


def _table_runs(rows: list[Line]) -> list[TextLine]:
    """Cells of a run of table rows, read column by column (widest column last)."""
    columns: dict[int, list[TextLine]] = {}
    widths: Counter[int] = Counter()
    for row in rows:
        cells = row.text.strip().strip("|").split("|")
        for index, cell in enumerate(cells):
            widths[index] = max(widths[index], len(cell))
            columns.setdefault(index, []).append(TextLine(_clean(cell), row))
    # the margin column (counts, "Objet :", footers) first, the body last, so that the
    # body runs on without interruption after the attendance lists
    order = sorted(columns, key=lambda i: widths[i])
    return [line for index in order for line in columns[index]]


def _furniture(lines: list[TextLine], pages: int) -> set[str]:
    """Texts repeated on most pages: headers and footers."""
    if pages < 3:
        return set()
    seen: Counter[str] = Counter()
    for text in {(ln.text, ln.source.page) for ln in lines if len(ln.text) > 3}:
        seen[text[0]] += 1
    return {text for text, count in seen.items() if count >= max(3, pages * 0.6)}


def prepare(doc: Document) -> list[TextLine]:
    """The document's lines, cleaned and in reading order; blank lines kept as ''."""
    out: list[TextLine] = []
    rows: list[Line] = []
    for line in split_layout_columns(doc):
        if _is_table_row(line.text):
            rows.append(line)
            continue
        if rows:
            out.extend(_table_runs(rows))
            rows = []
        out.append(TextLine(_clean(line.text), line))
    out.extend(_table_runs(rows))
    repeated = _furniture(out, doc.pages)
    return [
        ln if not (_is_page_number(ln.text) or ln.text in repeated) else TextLine("", ln.source)
        for ln in out
    ]


@dataclass(frozen=True, slots=True)
class Text:
    """The cleaned lines joined by newlines, with a folded copy of the same length,
    so that one regular expression runs over the whole document and its match maps
    back to lines."""

    lines: list[TextLine]
    raw: str
    folded: str
    starts: list[int]

    @classmethod
    def of(cls, lines: list[TextLine]) -> Text:
        """Join `lines` (fold keeps offsets: one character for one)."""
        starts, offset = [], 0
        for line in lines:
            starts.append(offset)
            offset += len(line.text) + 1
        raw = "\n".join(line.text for line in lines)
        return cls(lines, raw, fold(raw), starts)

    def slice(self, start: int, end: int) -> list[TextLine]:
        """All the lines (blank ones too) that the characters [start, end) touch."""
        first = max(bisect_right(self.starts, start) - 1, 0)
        last = bisect_right(self.starts, max(start, end - 1)) - 1
        return self.lines[first : last + 1]

    def lines_between(self, start: int, end: int) -> tuple[TextLine, ...]:
        """The non-blank lines that the characters [start, end) touch."""
        first = bisect_right(self.starts, start) - 1
        last = bisect_right(self.starts, max(start, end - 1)) - 1
        chosen = tuple(ln for ln in self.lines[max(first, 0) : last + 1] if ln.text)
        return chosen or tuple(self.lines[max(first, 0) : max(first, 0) + 1])


_TWO_COLUMNS = re.compile(r"^(?P<left>\s{0,8}\S.*?\S)\s{3,}(?P<right>\S.*)$")


def _gutter(lines: list[Line]) -> int | None:
    """The column where the right-hand column starts in text laid out with spaces
    (pdftotext -layout), if most two-part lines agree on it."""
    starts: Counter[int] = Counter()
    for line in lines:
        if "   " not in line.text or _is_table_row(line.text):
            continue
        match = _TWO_COLUMNS.match(line.text)
        if match and match.end("left") < 45 and match.start("right") >= 20:
            starts[match.start("right")] += 1
    if not starts:
        return None
    column, count = starts.most_common(1)[0]
    near = sum(n for c, n in starts.items() if abs(c - column) <= 2)
    return column if near >= 5 and count >= 3 else None


def _fits(text: str, gutter: int) -> bool:
    """A line of the two-column region: nothing written across the gutter."""
    if not text.strip():
        return True
    if _is_table_row(text):
        return False
    return text[max(gutter - 2, 0) : gutter - 1].strip() == "" or len(text) < gutter - 2


def split_layout_columns(doc: Document) -> list[Line]:
    """Lines of two-column regions read column by column (left, then right)."""
    gutter = _gutter(list(doc.lines))
    if gutter is None:
        return list(doc.lines)
    out: list[Line] = []
    region: list[Line] = []
    for line in [*doc.lines, None]:
        if (
            line is not None
            and _fits(line.text, gutter)
            and (region or line.text[: gutter - 2].strip())
        ):
            region.append(line)
            continue
        out.extend(_columns(region, gutter) if len(region) >= 5 else region)
        region = []
        if line is not None:
            out.append(line)
    return out


def _columns(region: list[Line], gutter: int) -> list[Line]:
    cut = gutter - 2
    left = [Line(ln.page, ln.number, ln.text[:cut]) for ln in region if ln.text[:cut].strip()]
    right = [Line(ln.page, ln.number, ln.text[cut:]) for ln in region]
    return [*left, Line(region[0].page, region[0].number, ""), *right]
