"""Reading order of a page from the positions of its text runs (no PDF library here).

A run is a piece of text on one line with its box, as a PDF draws it (pdfium's
text objects). The page is segmented with a recursive XY-cut: a block is split
on wide horizontal blank bands (read top to bottom), else on vertical blank
gutters that run through all its lines (read left to right), until no cut is
left; each final block is then read line by line, and blocks are separated by
an empty line. Thresholds are multiples of the type size (of the lines around a
band, or the page's median), so they follow the document rather than one
publisher's margins.

Side-by-side parts whose lines share their baselines row by row (a label and its
value, the cells of a table row) are not columns: cutting them would separate
"Envoi Préfecture :" from its date, so such parts stay one block, read by rows.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from itertools import pairwise
from statistics import median
from typing import NamedTuple

# Blank band that separates two blocks vertically, in type sizes of the lines on
# either side: wider than the leading between the lines of a paragraph.
ROW_GAP = 0.7
# Blank gutter that separates two columns, in page units (median type size):
# wider than any word space.
COLUMN_GAP = 1.5
# Share of lines that must find a partner on the same baseline, on both sides
# of a gutter, for the two sides to be read as rows of one table.
ROW_ALIGNED = 0.75
# Two lines are in one table row when their middles differ by less than this
# share of the shorter one's height.
ROW_MIDDLE = 0.25
# A gap between the ink of two runs of a line wider than this share of the type
# size is a space (a space is about a quarter of an em; side bearings less).
SPACE_GAP = 0.25
# Two runs whose vertical overlap exceeds this share of the smaller are on one line.
SAME_LINE = 0.3

# Whitespace and C0 controls collapse to one space. pdfium reports a hyphen that
# ends a line as U+0002: it is put back first.
_SPACES = re.compile(r"[\x00-\x20]+")
# A list marker drawn apart from its item: a bullet, a number, a letter, a roman numeral.
_MARKER = re.compile(r"^(?:[-–—•·▪●◦*>]|\(?\d{1,3}[.)°]?|\(?[IVXivx]{1,4}[.)]|\(?[a-zA-Z][.)])$")


class Run(NamedTuple):
    """A piece of text drawn on one line; y grows upwards (PDF space).

    The box bounds the ink of the glyphs (a lone hyphen has a flat box);
    `size` is the type size (the em) in the same units, the scale for gaps.
    """

    x0: float
    y0: float
    x1: float
    y1: float
    text: str
    size: float


def reading_order(runs: Sequence[Run]) -> list[str]:
    """The lines of one page, in reading order, from its text runs."""
    kept = [run for run in runs if run.text.strip()]
    if not kept:
        return []
    unit = median(run.size for run in kept)
    lines: list[str] = []
    for block in xy_cut(kept, unit):
        if lines:
            lines.append("")  # blocks apart on the page stay apart: a list ends before a title
        lines.extend(block_lines(block))
    return lines


def xy_cut(runs: list[Run], unit: float) -> list[list[Run]]:
    """Segment runs into blocks in reading order (recursive XY-cut, iterative)."""
    blocks: list[list[Run]] = []
    stack = [runs]
    while stack:
        block = stack.pop()
        parts = split_rows(block, unit)
        if len(parts) == 1:
            parts = split_columns(block, unit)
        if len(parts) == 1:
            blocks.append(block)
        else:
            stack.extend(reversed(parts))
    return blocks


def split_rows(runs: list[Run], unit: float) -> list[list[Run]]:
    """Split on wide horizontal blank bands, top to bottom.

    A band is wide relative to the smaller type on either side of it (at least
    half the page's usual height), so the leading of large type is not taken
    for a break, nor the space under a title for leading.
    """
    ordered = sorted(runs, key=lambda run: -run.y1)
    parts: list[list[Run]] = [[ordered[0]]]
    lowest = ordered[0]
    for run in ordered[1:]:
        height = max(min(lowest.size, run.size), 0.5 * unit)
        if lowest.y0 - run.y1 >= ROW_GAP * height:
            parts.append([])
        parts[-1].append(run)
        if run.y0 < lowest.y0:
            lowest = run
    return parts


def split_columns(runs: list[Run], unit: float) -> list[list[Run]]:
    """Split on vertical blank gutters that run through the whole block, left to right.

    Neighbouring parts aligned row by row (a table row, a label and its value,
    list markers and their items) are kept together.
    """
    ordered = sorted(runs, key=lambda run: run.x0)
    columns: list[list[Run]] = [[ordered[0]]]
    right = ordered[0].x1
    for run in ordered[1:]:
        if run.x0 - right >= COLUMN_GAP * unit:
            columns.append([])
        columns[-1].append(run)
        right = max(right, run.x1)
    parts = [columns[0]]
    for column in columns[1:]:
        if rows_aligned(parts[-1], column, unit):
            parts[-1] = parts[-1] + column
        else:
            parts.append(column)
    return parts


def rows_aligned(left: list[Run], right: list[Run], unit: float) -> bool:
    """Whether two side-by-side parts are rows of one table rather than columns.

    Most lines on each side must share their height with a line on the other;
    a part made only of list markers ("-", "1)", "II)") needs a line for each.
    """
    left_bands, right_bands = line_bands(left), line_bands(right)
    left_share = _share_matched(left_bands, right_bands, unit)
    if all(_MARKER.match(run.text.strip()) for run in left):
        return left_share >= ROW_ALIGNED
    return (
        left_share >= ROW_ALIGNED and _share_matched(right_bands, left_bands, unit) >= ROW_ALIGNED
    )


def line_bands(runs: list[Run]) -> list[tuple[float, float]]:
    """The vertical extents (bottom, top) of the lines that runs form, top first."""
    bands: list[tuple[float, float]] = []
    for run in sorted(runs, key=lambda run: -run.y1):
        if bands and _overlaps(bands[-1], (run.y0, run.y1)):
            low, high = bands[-1]
            bands[-1] = (min(low, run.y0), max(high, run.y1))
        else:
            bands.append((run.y0, run.y1))
    return bands


def _share_matched(
    bands: list[tuple[float, float]], others: list[tuple[float, float]], unit: float
) -> float:
    matched = sum(1 for band in bands if any(_same_row(band, other, unit) for other in others))
    return matched / len(bands)


def _same_row(a: tuple[float, float], b: tuple[float, float], unit: float) -> bool:
    """Lines of one table row: their middles at the same height.

    Mere overlap is not enough: a title in large type overlaps two lines of
    small type beside it without being in a row with either. The box of a lone
    dash is flat, hence the floor on the height compared with.
    """
    middle_gap = abs((a[0] + a[1]) - (b[0] + b[1])) / 2
    height = max(min(a[1] - a[0], b[1] - b[0]), 0.6 * unit)
    return middle_gap <= ROW_MIDDLE * height


def _overlaps(a: tuple[float, float], b: tuple[float, float]) -> bool:
    overlap = min(a[1], b[1]) - max(a[0], b[0])
    return overlap >= SAME_LINE * max(min(a[1] - a[0], b[1] - b[0]), 0.1)


def block_lines(runs: list[Run]) -> list[str]:
    """The lines of one block: runs grouped by vertical overlap, top to bottom."""
    lines: list[list[Run]] = []
    band = (0.0, 0.0)
    for run in sorted(runs, key=lambda run: (-run.y1, run.x0)):
        if lines and _overlaps(band, (run.y0, run.y1)):
            lines[-1].append(run)
            band = (min(band[0], run.y0), max(band[1], run.y1))
        else:
            lines.append([run])
            band = (run.y0, run.y1)
    texts: list[str] = []
    for line in lines:
        texts.extend(line_texts(line))
    return [text for text in texts if text]


def line_texts(runs: list[Run]) -> list[str]:
    """Join the runs of a line left to right.

    A run drawn over another one (a stamp printed twice) is dropped when its text
    is the same, and read as a line of its own when it differs.
    """
    placed: list[Run] = []
    overprinted: list[Run] = []
    for run in sorted(runs, key=lambda run: run.x0):
        if placed and _collides(placed[-1], run):
            if run.text.strip() != placed[-1].text.strip():
                overprinted.append(run)
            continue
        placed.append(run)
    texts = [_join(placed)]
    if overprinted:
        texts.extend(line_texts(overprinted))
    return texts


def _collides(a: Run, b: Run) -> bool:
    overlap = min(a.x1, b.x1) - max(a.x0, b.x0)
    return overlap > 0.5 * min(a.x1 - a.x0, b.x1 - b.x0)


def _join(runs: list[Run]) -> str:
    text = runs[0].text
    for before, run in pairwise(runs):
        if _spaced(before, run):
            text += " "
        text += run.text
    return _SPACES.sub(" ", text.replace("\x02", "-")).strip()


def _spaced(before: Run, run: Run) -> bool:
    """Whether a space separates two runs of a line that do not hold one."""
    # A space takes the size of the text before it: "1" then a small raised
    # "er" is one word.
    if run.x0 - before.x1 > SPACE_GAP * before.size:
        return True
    # Word processors end a raised ordinal ("3ème", "2nd") with a space in the
    # small type, too narrow to see: a word after one is another word.
    raised = before.size < 0.8 * run.size and before.y0 > run.y0 + 0.2 * run.size
    return raised and run.text[:1].isalnum()
