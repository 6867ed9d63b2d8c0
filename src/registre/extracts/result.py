"""What reading a document gives: the record, where each field came from, the
doubts, and what could not be interpreted."""

from __future__ import annotations

from dataclasses import dataclass

from registre.extracts.document import Method
from registre.record import LifecycleEvent, MeetingRecord


@dataclass(frozen=True, slots=True)
class Span:
    """Where a value was read: a page and the first and last line numbers."""

    page: int
    first_line: int
    last_line: int


@dataclass(frozen=True, slots=True)
class Doubt:
    """A field read with low confidence, and why (French, for the clerk)."""

    pointer: str
    reason: str


@dataclass(frozen=True, slots=True)
class Unread:
    """A passage that could not be interpreted, and why."""

    span: Span
    text: str
    reason: str


@dataclass(frozen=True, slots=True)
class ReadResult:
    """A document read into a MeetingRecord, with provenance, doubts and unread passages."""

    source: str
    method: Method
    pages: int
    record: MeetingRecord
    provenance: tuple[tuple[str, Span], ...]
    doubts: tuple[Doubt, ...]
    unread: tuple[Unread, ...]
    events: tuple[LifecycleEvent, ...] = ()

    def span_of(self, pointer: str) -> Span | None:
        """Where the value at `pointer` was read, if known."""
        for key, span in self.provenance:
            if key == pointer:
                return span
        return None
