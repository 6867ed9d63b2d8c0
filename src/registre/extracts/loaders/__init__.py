"""Load a document file into a `Document`: lines of text with page and line numbers.

`load(path)` recognises the format from the file's first bytes, not its name:

- plain text (UTF-8 with or without BOM, UTF-16 with BOM, else Windows-1252);
  form feeds separate pages (`Method.TEXT`);
- PDF with a text layer, in a reading order computed from the positions of the
  text (`layout`: recursive XY-cut), `Method.PDF_TEXT`;
- scanned PDF pages (no text, or a stamp only, over a page image): OCR with
  Tesseract in French, `Method.OCR`;
- Word `.doc` (antiword), `.docx` and `.odt` (their XML), `Method.WORD`.

Anything else raises `registre.errors.InputError` with a French message that
names the file and says what to do. A document from which no text could be
read (an image of a blank page) is returned with empty lines: the caller says
that no text was found.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

from registre.errors import InputError
from registre.extracts.document import Document, Method
from registre.extracts.loaders import text, word
from registre.extracts.loaders.pdf import load_pdf
from registre.extracts.loaders.sniff import HEAD_BYTES, Format, sniff

__all__ = ["MAX_BYTES", "Format", "load"]

# Larger files are refused before being read: no council document comes close.
MAX_BYTES = 50 * 1024 * 1024


def load(path: Path, *, ocr_page_limit: int | None = None) -> Document:
    """Read a text, PDF, .doc, .docx or .odt file into a Document.

    `ocr_page_limit` caps how many scanned pages are OCR'd (None: all of them).
    Raises InputError (French message naming the file) when it cannot be read.
    """
    path = Path(path)
    try:
        head = _head(path)
        found = sniff(path, head)
        if found is Format.PDF:
            return load_pdf(path, ocr_page_limit=ocr_page_limit)
        if found is Format.TEXT:
            return _document(path, text.decode(path.read_bytes()), Method.TEXT)
        return _document(path, _word_text(path, found), Method.WORD)
    except OSError as error:
        raise InputError(
            f"le fichier ne peut pas être lu ({error.strerror or error}).", path=str(path)
        ) from None
    except RecursionError:
        raise InputError("document trop imbriqué pour être lu.", path=str(path)) from None


def _document(path: Path, content: str, method: Method) -> Document:
    # The newline that ends the last line of a file is not an empty line.
    return Document.from_text(str(path), content.rstrip("\r\n"), method)


def _head(path: Path) -> bytes:
    """The first bytes of a file, after checking it exists and is not too large."""
    if not path.exists():
        raise InputError("fichier introuvable : vérifiez le chemin.", path=str(path))
    if path.is_dir():
        raise InputError(
            "c'est un dossier, pas un fichier : donnez le chemin d'un document.", path=str(path)
        )
    size = path.stat().st_size
    if size > MAX_BYTES:
        raise InputError(
            f"fichier trop volumineux ({size / 1024 / 1024:.0f} Mo, limite {MAX_BYTES // 1024 // 1024} Mo) : "
            "découpez le document ou réduisez la résolution des pages numérisées.",
            path=str(path),
        )
    if size == 0:
        raise InputError("le fichier est vide (0 octet).", path=str(path))
    with path.open("rb") as stream:
        return stream.read(HEAD_BYTES)


def _word_text(path: Path, found: Format) -> str:
    if found is Format.DOC:
        return word.doc_text(path)
    try:
        with zipfile.ZipFile(path) as archive:
            if found is Format.DOCX:
                return word.docx_text(archive, str(path))
            return word.odt_text(archive, str(path))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError):
        raise InputError(
            "archive du document endommagée ou compressée d'une façon non prise en charge.",
            path=str(path),
        ) from None
