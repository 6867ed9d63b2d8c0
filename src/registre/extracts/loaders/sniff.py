"""What a file is, from its first bytes (magic numbers) rather than its name.

A name that promises a format the content does not hold (a web page saved as
`.pdf` after a failed download) is reported as such.
"""

from __future__ import annotations

import zipfile
from enum import StrEnum
from pathlib import Path

from registre.errors import InputError
from registre.extracts.loaders import text

HEAD_BYTES = 4096
_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ZIP = (b"PK\x03\x04", b"PK\x05\x06")
ODT_MIMETYPE = b"application/vnd.oasis.opendocument.text"

# Formats recognised but not read, by their first bytes, with a French name.
_UNSUPPORTED_MAGIC = (
    (b"{\\rtf", "document RTF"),
    (b"\x89PNG", "image PNG"),
    (b"\xff\xd8\xff", "image JPEG"),
    (b"GIF8", "image GIF"),
    (b"II*\x00", "image TIFF"),
    (b"MM\x00*", "image TIFF"),
    (b"%!PS", "fichier PostScript"),
    (b"\x1f\x8b", "archive gzip"),
    (b"7z\xbc\xaf\x27\x1c", "archive 7-Zip"),
    (b"Rar!", "archive RAR"),
)
# Formats a zip can hold, by a member that identifies them.
_ZIP_KINDS = (
    ("xl/workbook.xml", "classeur Excel (.xlsx)"),
    ("ppt/presentation.xml", "présentation PowerPoint (.pptx)"),
)
_EXPECTED = {".pdf": "PDF", ".doc": "Word .doc", ".docx": "Word .docx", ".odt": "OpenDocument .odt"}
_SUPPORTED = "fichiers texte, PDF, Word (.doc, .docx) et OpenDocument (.odt)"


class Format(StrEnum):
    """The formats the loaders read."""

    TEXT = "text"
    PDF = "pdf"
    DOC = "doc"
    DOCX = "docx"
    ODT = "odt"


def sniff(path: Path, head: bytes) -> Format:
    """The format of a file from its first bytes; InputError for anything unreadable."""
    found = _by_magic(path, head)
    if found is None:
        raise _unsupported(path, _UNKNOWN)
    if found == _PROTECTED:
        raise InputError(
            "ce document est protégé par un mot de passe (chiffré) : "
            "enregistrez-le sans mot de passe, ou en PDF.",
            path=str(path),
        )
    if not isinstance(found, Format):
        raise _unsupported(path, found)
    expected = _EXPECTED.get(path.suffix.lower())
    if found is Format.TEXT and expected is not None:
        raise _unsupported(path, "du texte")
    return found


_UNKNOWN = "des données dans un format inconnu"
_PROTECTED = "un document chiffré"


def _by_magic(path: Path, head: bytes) -> Format | str | None:
    """A readable Format, the French name of an unread format, or None (binary)."""
    if b"%PDF-" in head[:1024]:
        return Format.PDF
    if head.startswith(_OLE2):
        # Word and LibreOffice wrap a document they encrypt in an OLE2 container.
        return _PROTECTED if path.suffix.lower() in (".docx", ".odt") else Format.DOC
    if head.startswith(_ZIP):
        return _zip_kind(path)
    label = next((label for magic, label in _UNSUPPORTED_MAGIC if head.startswith(magic)), None)
    if label is None and head.lstrip()[:100].lower().startswith((b"<!doctype html", b"<html")):
        label = "page web (HTML)"
    if label is not None:
        return label
    return Format.TEXT if text.looks_like_text(text.decode(head)) else None


def _zip_kind(path: Path) -> Format | str:
    try:
        with zipfile.ZipFile(path) as archive:
            names = set(archive.namelist())
            if "word/document.xml" in names:
                return Format.DOCX
            if "content.xml" in names and _mimetype(archive).startswith(ODT_MIMETYPE):
                return Format.ODT
    except (zipfile.BadZipFile, OSError):
        return "archive ZIP endommagée"
    for member, label in _ZIP_KINDS:
        if member in names:
            return label
    if "mimetype" in names:
        return "document OpenDocument autre qu'un texte (.ods, .odp...)"
    return "archive ZIP"


def _mimetype(archive: zipfile.ZipFile) -> bytes:
    if "mimetype" not in archive.namelist() or archive.getinfo("mimetype").file_size > 200:
        return b""
    return archive.read("mimetype").strip()


def _unsupported(path: Path, found: str) -> InputError:
    suffix = path.suffix.lower()
    expected = _EXPECTED.get(suffix)
    if expected is not None:
        return InputError(
            f"ce fichier porte l'extension {suffix} mais ne contient pas un {expected} : il contient "
            f"{_article(found)} (fichier endommagé ou mal nommé ? un téléchargement qui a échoué ?).",
            path=str(path),
        )
    if found == _UNKNOWN:
        return InputError(
            f"format de fichier inconnu (extension {suffix or 'absente'}) : registre lit les {_SUPPORTED}.",
            path=str(path),
        )
    return InputError(
        f"format de fichier non pris en charge ({_article(found)}, extension "
        f"{suffix or 'absente'}) : registre lit les {_SUPPORTED}.",
        path=str(path),
    )


def _article(found: str) -> str:
    if found.startswith(("du ", "des ")):
        return found
    feminine = found.split(maxsplit=1)[0] in {"image", "archive", "page", "présentation"}
    return f"{'une' if feminine else 'un'} {found}"
