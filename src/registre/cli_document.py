"""Reading one published document (PDF, text, Word) for `registre read` and `check`.

The reader (registre.extracts, with its PDF and OCR libraries) is imported only
when a document is read, so that the other commands start fast.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from registre.cli import load_record
from registre.errors import InputError, RegistreError
from registre.record import LifecycleEvent, MeetingRecord

if TYPE_CHECKING:
    from registre.extracts import ReadResult

DOCUMENT_SUFFIXES = (".pdf", ".txt", ".doc", ".docx", ".odt")
EXIT_INTERRUPTED = 130


def read_document(
    path: str, *, ocr_page_limit: int | None = None, embedded: bool = True
) -> ReadResult:
    """Read a published document; any failure becomes an InputError naming `path`.

    A PDF rendered by registre gives its attached record unless `embedded` is False.
    """
    from registre.extracts import read  # noqa: PLC0415 (see the module's docstring)

    try:
        return read(path, ocr_page_limit=ocr_page_limit, embedded=embedded)
    except InputError:
        raise
    except RegistreError as exc:
        raise InputError(f"lecture impossible ({exc})", path=path) from None
    except Exception as exc:  # the reader must never end the command with a traceback
        raise InputError(
            f"erreur inattendue pendant la lecture ({type(exc).__name__} : {exc})", path=path
        ) from None


def is_document(path: str) -> bool:
    """True when `path` is a published document to read, False for a record (JSON).

    A `.json` file, or a file whose first visible character is `{`, is a record.
    """
    if Path(path).suffix.lower() == ".json":
        return False
    try:
        with open(path, "rb") as handle:
            head = handle.read(256)
    except OSError:
        return Path(path).suffix.lower() in DOCUMENT_SUFFIXES
    return not head.removeprefix(b"\xef\xbb\xbf").lstrip().startswith(b"{")


def load_checked(path: str) -> tuple[MeetingRecord, list[LifecycleEvent]]:
    """The record to check at `path`, and the lifecycle events the document states.

    A record (JSON) has no events of its own; a published document is read.
    """
    if not is_document(path):
        return load_record(path), []
    result = read_document(path)
    return result.record, list(result.events)
