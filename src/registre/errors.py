"""The small error hierarchy of registre.

Legal problems are never raised: rules return findings. These exceptions are for
input that cannot be read at all; each carries a French message for the clerk.
"""

from __future__ import annotations


class RegistreError(Exception):
    """Base of every error registre raises on purpose; its message is French."""


class InputError(RegistreError):
    """Raised when a file given to registre cannot be opened, decoded or is too large."""

    def __init__(self, message: str, *, path: str | None = None) -> None:
        self.path = path
        super().__init__(f"{path} : {message}" if path else message)


class RecordFormatError(RegistreError):
    """Raised when a JSON document is not a valid record: wrong shape, type or value.

    `pointer` is the JSON pointer (RFC 6901) of the offending value.
    """

    def __init__(self, message: str, *, pointer: str = "") -> None:
        self.pointer = pointer
        self.detail = message
        where = f"champ {pointer or '/'} : " if pointer is not None else ""
        super().__init__(f"{where}{message}")
