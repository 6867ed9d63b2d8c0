"""Path converters of the portal's stable URLs."""

from __future__ import annotations


class Siren:
    """A collectivity's SIREN: nine digits."""

    regex = r"\d{9}"

    def to_python(self, value: str) -> str:
        """As written."""
        return value

    def to_url(self, value: str) -> str:
        """As written."""
        return value


class ActNumber:
    """A deliberation's number: anything but a slash (numbers are stored without)."""

    regex = r"[^/]+"

    def to_python(self, value: str) -> str:
        """As written."""
        return value

    def to_url(self, value: str) -> str:
        """As written."""
        return value
