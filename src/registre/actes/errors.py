"""The errors of the @CTES transmission: each carries a French message for the clerk."""

from __future__ import annotations

from registre.errors import RegistreError


class ActesError(RegistreError):
    """Base of the errors of `registre.actes`."""


class ActIdError(ActesError):
    """Raised when an act identifier, or a part of it (département, SIREN, number),
    does not fit the ACTES pattern; the message says which part and which character."""


class PackageError(ActesError):
    """Raised when a package cannot be built or read: every missing or invalid piece
    is listed in `problems` (and in the message, one per line)."""

    def __init__(self, problems: list[str] | tuple[str, ...]) -> None:
        self.problems = tuple(problems)
        head = "le paquet @CTES ne peut pas être constitué"
        super().__init__(head + " :\n" + "\n".join(f"  - {p}" for p in self.problems))


class ClassificationError(ActesError):
    """Raised when a prefecture's classification message cannot be read."""


class OperatorError(ActesError):
    """Raised when the operator cannot be reached or answers something unreadable:
    the transmission may be retried (nothing is ever sent twice)."""


class OperatorTimeout(OperatorError):
    """Raised when the operator did not answer in time: it may or may not have
    received what was sent, so it is asked before anything is sent again."""


class OperatorRefusal(ActesError):
    """Raised when the operator (or the prefecture through it) refuses the act;
    `message` is the operator's own words."""

    def __init__(self, message: str) -> None:
        self.message = message
        super().__init__(f"l'opérateur a refusé l'acte : {message}")
