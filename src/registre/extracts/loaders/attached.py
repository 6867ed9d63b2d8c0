"""The record that registre attaches to the PDFs it renders (PDF/A-3 associated file).

A document rendered by registre carries its exact record: reading it back needs
no interpretation of the text.
"""

from __future__ import annotations

from pathlib import Path

import pypdfium2 as pdfium

from registre.errors import InputError, RecordFormatError
from registre.extracts.loaders.pdf import PDFIUM
from registre.record import EMBEDDED_NAME, MeetingRecord, loads


def attached_record(path: Path) -> tuple[MeetingRecord, int] | None:
    """The record attached to a PDF and its page count, or None when it has none."""
    with PDFIUM:
        try:
            pdf = pdfium.PdfDocument(str(path))
        except pdfium.PdfiumError:
            return None  # the loader reports why the file cannot be opened
        try:
            data = _attachment(pdf)
            pages = len(pdf)
        finally:
            pdf.close()
    if data is None:
        return None
    try:
        return loads(data.decode("utf-8")), pages
    except (UnicodeDecodeError, RecordFormatError) as error:
        raise InputError(
            f"l'enregistrement joint à ce PDF ({EMBEDDED_NAME}) est illisible ({error}) : "
            "relisez le texte du document avec --ignore-embedded.",
            path=str(path),
        ) from None


def _attachment(pdf: pdfium.PdfDocument) -> bytes | None:
    for index in range(pdf.count_attachments()):
        attachment = pdf.get_attachment(index)
        if attachment.get_name() == EMBEDDED_NAME:
            return bytes(attachment.get_data())
    return None
