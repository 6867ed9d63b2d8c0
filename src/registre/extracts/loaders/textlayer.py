"""The text runs of a PDF page, read from pdfium's text objects.

One text object is one text-showing operation: a piece of one line. Its text
comes from the text page (so a hyphen that ends a line, spaces and encodings are
decoded by pdfium) and its box from the object itself. Reading objects rather
than characters keeps a page to about a hundred calls into pdfium instead of
thousands, and avoids the characters that `get_text_bounded` catches from the
neighbouring box. pdfium gives no text to an object drawn twice at the same
place, so stamps printed twice come out once.

Callers hold `registre.extracts.loaders.pdf.PDFIUM` (pdfium is not thread-safe).
"""

from __future__ import annotations

import ctypes
import math
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pypdfium2.raw as pdfium_c

from registre.extracts.loaders.layout import Run

_TEXT = pdfium_c.FPDF_PAGEOBJ_TEXT
_IMAGE = pdfium_c.FPDF_PAGEOBJ_IMAGE
_FORM = pdfium_c.FPDF_PAGEOBJ_FORM
_BUFFER_BYTES = 4096
Box = tuple[float, float, float, float]


@dataclass(frozen=True, slots=True)
class PageContent:
    """What a page draws: its text runs and how much of it images cover."""

    runs: list[Run]
    image_share: float

    @property
    def chars(self) -> int:
        """Number of non-blank characters of text."""
        return sum(len(run.text) - run.text.count(" ") for run in self.runs)


Matrix = tuple[float, float, float, float, float, float]
IDENTITY: Matrix = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)


def page_content(page: Any, textpage: Any) -> PageContent:
    """Text runs (in page display orientation) and image coverage of a page.

    `page` and `textpage` are raw pdfium handles (FPDF_PAGE, FPDF_TEXTPAGE): the
    wrapper objects' finalizers cost a millisecond a document.
    """
    reader = _ObjectReader(textpage)
    runs: list[Run] = []
    image_area = 0.0
    rotation = pdfium_c.FPDFPage_GetRotation(page) * 90
    for kind, obj, matrix in _objects(page, reader):
        if kind == _TEXT:
            box = reader.box(obj)
            # Text objects that draw nothing have an empty box: skip them before
            # asking for their text, the costly call (it scans the whole page).
            if box[2] <= box[0] or box[3] <= box[1]:
                continue
            text = reader.text(obj)
            if text.strip():
                size = reader.font_size(obj, matrix)
                runs.append(_rotate(_transform(box, matrix), text, size, rotation))
        else:
            x0, y0, x1, y1 = _transform(reader.box(obj), matrix)
            image_area += (x1 - x0) * (y1 - y0)
    width, height = page_size(page)
    return PageContent(runs, image_area / max(width * height, 1.0))


def page_size(page: Any) -> tuple[float, float]:
    """Width and height of a raw page, in points."""
    return pdfium_c.FPDF_GetPageWidthF(page), pdfium_c.FPDF_GetPageHeightF(page)


def _objects(page: Any, reader: _ObjectReader) -> Iterator[tuple[int, Any, Matrix]]:
    """Text and image objects in drawing order with the matrix from their space to
    the page's (paths and shadings, most of a page's objects, are left out).

    pdfium gives the boxes of objects inside a Form XObject in the space of the
    form's invocation: the form object's own matrix (and its parents') maps them
    onto the page.
    """
    count = pdfium_c.FPDFPage_CountObjects(page)
    stack = [(pdfium_c.FPDFPage_GetObject(page, i), IDENTITY) for i in reversed(range(count))]
    get_type = pdfium_c.FPDFPageObj_GetType
    while stack:
        obj, matrix = stack.pop()
        kind = get_type(obj)
        if kind in (_TEXT, _IMAGE):
            yield kind, obj, matrix
        elif kind == _FORM:
            inner = _compose(reader.matrix(obj), matrix)
            count = pdfium_c.FPDFFormObj_CountObjects(obj)
            stack.extend(
                (pdfium_c.FPDFFormObj_GetObject(obj, i), inner) for i in reversed(range(count))
            )


def _compose(first: Matrix, then: Matrix) -> Matrix:
    """The matrix applying `first`, then `then` (PDF row-vector convention)."""
    a, b, c, d, e, f = first
    a2, b2, c2, d2, e2, f2 = then
    return (
        a * a2 + b * c2, a * b2 + b * d2,
        c * a2 + d * c2, c * b2 + d * d2,
        e * a2 + f * c2 + e2, e * b2 + f * d2 + f2,
    )  # fmt: skip


def _transform(box: Box, matrix: Matrix) -> Box:
    """The box (left, bottom, right, top) enclosing `box` mapped by `matrix`."""
    if matrix == IDENTITY:
        return box
    a, b, c, d, e, f = matrix
    x0, y0, x1, y1 = box
    xs = [a * x + c * y + e for x in (x0, x1) for y in (y0, y1)]
    ys = [b * x + d * y + f for x in (x0, x1) for y in (y0, y1)]
    return min(xs), min(ys), max(xs), max(ys)


class _ObjectReader:
    """Buffers for reading the objects of one page (made per page, never shared)."""

    def __init__(self, textpage: Any) -> None:
        self.textpage = textpage
        self._allocate(_BUFFER_BYTES)
        self.coords = (ctypes.c_float(), ctypes.c_float(), ctypes.c_float(), ctypes.c_float())
        self.refs = tuple(ctypes.byref(c) for c in self.coords)
        self.fs_matrix = pdfium_c.FS_MATRIX()
        self.matrix_ref = ctypes.byref(self.fs_matrix)

    def _allocate(self, size: int) -> None:
        self.size = size
        self.buffer = ctypes.create_string_buffer(size)
        self.pointer = ctypes.cast(self.buffer, ctypes.POINTER(pdfium_c.FPDF_WCHAR))

    def text(self, obj: Any) -> str:
        """The text of a text object, as the text page decoded it."""
        # The returned size counts bytes, with the two of the final NUL.
        wanted = int(pdfium_c.FPDFTextObj_GetText(obj, self.textpage, self.pointer, self.size))
        if wanted <= 2:
            return ""
        if wanted > self.size:
            self._allocate(wanted)
            wanted = int(pdfium_c.FPDFTextObj_GetText(obj, self.textpage, self.pointer, self.size))
        return ctypes.string_at(self.buffer, wanted - 2).decode("utf-16-le", errors="replace")

    def matrix(self, obj: Any) -> Matrix:
        """The matrix of a (form) object; identity if pdfium cannot tell."""
        if not pdfium_c.FPDFPageObj_GetMatrix(obj, self.matrix_ref):
            return IDENTITY
        m = self.fs_matrix
        return (m.a, m.b, m.c, m.d, m.e, m.f)

    def font_size(self, obj: Any, matrix: Matrix) -> float:
        """The type size of a text object on the page (its em, in points)."""
        if not pdfium_c.FPDFTextObj_GetFontSize(obj, self.refs[0]):
            return 0.0
        size = self.coords[0].value
        # The size is in text space: the object's matrix (then its forms') scales it.
        _, _, c, d, _, _ = _compose(self.matrix(obj), matrix)
        return abs(size) * math.hypot(c, d)

    def box(self, obj: Any) -> Box:
        """Bounds of an object: left, bottom, right, top."""
        pdfium_c.FPDFPageObj_GetBounds(obj, *self.refs)
        left, bottom, right, top = self.coords
        return left.value, bottom.value, right.value, top.value


def _rotate(box: Box, text: str, size: float, rotation: int) -> Run:
    """A run in the orientation the page is displayed in (/Rotate, clockwise).

    The reading order only compares positions, so the translation is left out.
    """
    x0, y0, x1, y1 = box
    if rotation == 90:
        x0, y0, x1, y1 = y0, -x1, y1, -x0
    elif rotation == 180:
        x0, y0, x1, y1 = -x1, -y1, -x0, -y0
    elif rotation == 270:
        x0, y0, x1, y1 = -y1, x0, -y0, x1
    return Run(x0, y0, x1, y1, text, size or y1 - y0)
