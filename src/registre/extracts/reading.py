"""The state of one reading: the cleaned lines, the roster, and what was found where."""

from __future__ import annotations

from dataclasses import dataclass, field

from registre.extracts import header
from registre.extracts.attendance import Block
from registre.extracts.document import Document
from registre.extracts.names import Roster
from registre.extracts.prepare import Text, TextLine
from registre.extracts.result import Doubt, Span, Unread
from registre.record import LifecycleEvent


def span(lines: tuple[TextLine, ...] | list[TextLine]) -> Span:
    """The page and line numbers covered by `lines`."""
    first, last = lines[0].source, lines[-1].source
    return Span(first.page, first.number, last.number)


@dataclass(slots=True)
class Reading:
    """The state of one reading: what was found, where, and what is doubtful."""

    doc: Document
    lines: list[TextLine]
    roster: Roster = field(default_factory=Roster)
    provenance: dict[str, Span] = field(default_factory=dict)
    doubts: list[Doubt] = field(default_factory=list)
    unread: list[Unread] = field(default_factory=list)
    events: list[LifecycleEvent] = field(default_factory=list)
    blocks: list[Block] = field(default_factory=list)
    president_id: str | None = None
    act_ids: list[header.Found] | None = None

    def printed_act_ids(self) -> list[header.Found]:
        """The act identifiers the document prints (searched once)."""
        if self.act_ids is None:
            self.act_ids = header.act_ids(self.text)
        return self.act_ids

    text: Text = field(default_factory=lambda: Text([], "", "", []))

    def note(self, pointer: str, found: header.Found | None) -> object | None:
        """Record where a found value came from; return the value."""
        if found is None:
            return None
        self.provenance[pointer] = span(found.lines)
        return found.value

    def doubt(self, pointer: str, reason: str) -> None:
        """Say that a field is uncertain, and why."""
        self.doubts.append(Doubt(pointer, reason))
