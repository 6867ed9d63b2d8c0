"""PDF files: the text layer in reading order, or OCR for scanned pages.

A page is read by OCR when its text layer holds almost no text for its size and
images cover much of it: a scan, perhaps with a prefecture stamp added as text.
A page without text or images is an empty page, not a scan.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from pathlib import Path

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from registre.errors import InputError
from registre.extracts.document import Document, Method
from registre.extracts.loaders import ocr
from registre.extracts.loaders.layout import reading_order
from registre.extracts.loaders.textlayer import PageContent, page_content, page_size

# pdfium is not thread-safe: every call into it, from any thread, holds this lock.
PDFIUM = threading.Lock()
# Fewer visible characters than this on an A4 page, over an image, mean a scan.
SCAN_MAX_CHARS_A4 = 200
SCAN_MIN_IMAGE_SHARE = 0.3
_A4_AREA = 595 * 842
_NO_PAGE = "ce PDF ne contient aucune page : le document est vide ou endommagé."
# Where the end-of-file marker must be found (writers may add a little after it).
_TAIL_BYTES = 4096


@dataclass(frozen=True, slots=True)
class _Page:
    """A page read from its text layer, or its image when it must be OCR'd."""

    text: str
    scanned: bool
    image: bytes | None


def load_pdf(path: Path, *, ocr_page_limit: int | None = None) -> Document:
    """Read a PDF: text layer in reading order, OCR for scanned pages.

    `ocr_page_limit` caps how many pages are OCR'd; scanned pages beyond it are
    left empty (the page count stays that of the file).
    """
    name = str(path)
    with PDFIUM:
        pdf = _open(path)
    try:
        texts, scanned = _read_pages(pdf, name, ocr_page_limit)
    finally:
        with PDFIUM:
            pdf.close()
    return Document.from_pages(name, texts, Method.OCR if scanned else Method.PDF_TEXT)


def _read_pages(
    pdf: pdfium.PdfDocument, name: str, ocr_page_limit: int | None
) -> tuple[list[str], bool]:
    with PDFIUM:
        count = len(pdf)
    if count == 0:
        raise InputError(_NO_PAGE, path=name)
    limit = count if ocr_page_limit is None else max(ocr_page_limit, 0)
    texts: list[str] = []
    recognized = 0
    any_scanned = False
    for index in range(count):
        with PDFIUM:
            page = _read_page(pdf, index, name, render=recognized < limit)
        any_scanned = any_scanned or page.scanned
        if page.image is None:
            texts.append(page.text)
            continue
        if recognized == 0:
            ocr.check_tesseract(name)
        recognized += 1
        # Tesseract runs without the lock: other threads may use pdfium meanwhile.
        texts.append(ocr.recognize(page.image, path=name, page=index + 1))
    return texts, any_scanned


def _open(path: Path) -> pdfium.PdfDocument:
    # pdfium rebuilds a truncated file from what is left and would read only the
    # first pages: a PDF must end with its end-of-file marker.
    if not _has_end_marker(path):
        raise InputError(_open_error(pdfium_c.FPDF_ERR_FORMAT), path=str(path))
    _reset_last_error()
    try:
        return pdfium.PdfDocument(str(path))
    except pdfium.PdfiumError as error:
        raise InputError(_open_error(error.err_code), path=str(path)) from None


def _has_end_marker(path: Path) -> bool:
    with path.open("rb") as stream:
        stream.seek(max(path.stat().st_size - _TAIL_BYTES, 0))
        return b"%%EOF" in stream.read()


def _reset_last_error() -> None:
    """Make pdfium's last error FPDF_ERR_FILE, which then means "no error reported".

    The last error is global and only some failures set it (a PDF without pages
    sets none): a stale code would call an empty PDF protected by a password.
    Opening a file that cannot exist sets it, and pdfium is only used under PDFIUM.
    """
    handle = pdfium_c.FPDF_LoadDocument(b"", None)
    if handle:
        pdfium_c.FPDF_CloseDocument(handle)


def _open_error(code: int | None) -> str:
    # No code set by this failure (see _reset_last_error): pdfium found no pages.
    if code in (None, pdfium_c.FPDF_ERR_SUCCESS, pdfium_c.FPDF_ERR_FILE):
        return _NO_PAGE
    if code in (pdfium_c.FPDF_ERR_PASSWORD, pdfium_c.FPDF_ERR_SECURITY):
        return (
            "ce PDF est protégé par un mot de passe : demandez au service qui l'a publié "
            "une version sans protection, ou enregistrez-le sans mot de passe."
        )
    if code == pdfium_c.FPDF_ERR_FORMAT:
        return (
            "ce PDF est endommagé ou incomplet (téléchargement interrompu ?) : "
            "téléchargez-le à nouveau ou demandez une nouvelle copie."
        )
    return "ce PDF ne peut pas être ouvert : vérifiez qu'il s'ouvre dans un lecteur PDF."


def _read_page(pdf: pdfium.PdfDocument, index: int, name: str, *, render: bool) -> _Page:
    """Read one page (caller holds PDFIUM), through raw handles: the text layer
    needs no wrapper objects, only a scan to render does."""
    damaged = f"la page {index + 1} de ce PDF est endommagée et ne peut pas être lue."
    page = pdfium_c.FPDF_LoadPage(pdf.raw, index)
    if not page:
        raise InputError(damaged, path=name)
    try:
        textpage = pdfium_c.FPDFText_LoadPage(page)
        if not textpage:
            raise InputError(damaged, path=name)
        try:
            content = page_content(page, textpage)
        finally:
            pdfium_c.FPDFText_ClosePage(textpage)
        if not _is_scan(content, page):
            return _Page("\n".join(reading_order(content.runs)), False, None)
    finally:
        pdfium_c.FPDF_ClosePage(page)
    return _Page("", True, _render(pdf, index) if render else None)


def _render(pdf: pdfium.PdfDocument, index: int) -> bytes:
    page = pdf[index]
    try:
        return ocr.render_page(page)
    finally:
        page.close()


def _is_scan(content: PageContent, page: object) -> bool:
    width, height = page_size(page)
    max_chars = SCAN_MAX_CHARS_A4 * (width * height) / _A4_AREA
    return content.chars < max_chars and content.image_share >= SCAN_MIN_IMAGE_SHARE
