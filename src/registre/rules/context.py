"""What rules share: the item being checked, counts, names, French wording."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date

from registre.record import (
    Attendance,
    CollectivityKind,
    DeliberationRecord,
    MeetingRecord,
    MemberId,
    Outcome,
    Proxy,
)
from registre.rules.catalogue import article
from registre.rules.findings import Code, Finding, Severity

_MONTHS = (
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
)

STATUS_LABELS = {
    "present": "présents",
    "withdrawn": "retirés",
    "represented": "représentés",
    "absent": "absents",
}
STATUSES = tuple(STATUS_LABELS)


def french_date(day: date) -> str:
    """'23 novembre 2023'."""
    first = "1er" if day.day == 1 else str(day.day)
    return f"{first} {_MONTHS[day.month - 1]} {day.year}"


def plural(count: int, singular: str, many: str | None = None) -> str:
    """'1 voix', '2 membres': French counts (0 and 1 take the singular)."""
    word = singular if count <= 1 else (many or singular + "s")
    return f"{count} {word}"


def quorum_required(members_in_office: int) -> int:
    """More than half of the members in office (L2121-17)."""
    return members_in_office // 2 + 1


def finding(
    code: Code, severity: Severity, message: str, pointer: str, item: str | None = None
) -> Finding:
    """A finding with the article of its code."""
    return Finding(code, severity, article(code), message, pointer, item)


@dataclass(frozen=True, slots=True)
class MeetingContext:
    """The record being checked, with lookups computed once."""

    record: MeetingRecord
    names: dict[MemberId, str] = field(default_factory=dict)
    seated: frozenset[MemberId] = frozenset()

    @classmethod
    def of(cls, record: MeetingRecord) -> MeetingContext:
        """Build the context of a record."""
        meeting = record.meeting
        seated = frozenset(m.id for m in meeting.members if m.in_office_on(meeting.date))
        return cls(record, {m.id: m.display_name for m in meeting.members}, seated)

    def name(self, member: MemberId | None) -> str:
        """The member's printed name, or their id if the roster does not have them."""
        if member is None:
            return "(inconnu)"
        return self.names.get(member, f"« {member} »")

    @property
    def kind(self) -> CollectivityKind:
        """The collectivity's kind."""
        return self.record.collectivity.kind

    @property
    def in_office(self) -> int | None:
        """Members in office: as declared, else counted from a roster."""
        meeting = self.record.meeting
        if meeting.members_in_office is not None:
            return meeting.members_in_office
        roster = [m for m in meeting.members if m.in_office_on(meeting.date)]
        return len(roster) or None


@dataclass(frozen=True, slots=True)
class ItemContext:
    """One deliberation with the attendance its rules read."""

    meeting: MeetingContext
    item: DeliberationRecord
    index: int
    attendance: Attendance
    pointer: str

    def members(self, status: str) -> tuple[MemberId, ...] | None:
        """The ids listed with `status` (one of STATUSES), None if not known."""
        value: tuple[MemberId, ...] | None = getattr(self.attendance, status)
        return value

    def count(self, status: str) -> int | None:
        """How many members have `status`: from the list, else as declared."""
        listed = self.members(status)
        if listed is not None:
            return len(set(listed))
        declared = self.attendance.declared
        value: int | None = getattr(declared, status) if declared is not None else None
        return value

    def status_set(self, status: str) -> frozenset[MemberId]:
        """The ids with `status`, empty if unknown."""
        return frozenset(self.members(status) or ())

    @property
    def possible_voters(self) -> int | None:
        """Present + represented: those who may take part in the vote."""
        present, represented = self.members("present"), self.members("represented")
        if present is not None and represented is not None:
            return len(set(present) | set(represented))
        counts = (self.count("present"), self.count("represented"))
        return None if None in counts else sum(c for c in counts if c is not None)

    def used_proxies(self) -> Iterator[Proxy]:
        """Proxies whose giver is represented for this item."""
        represented = self.status_set("represented")
        return (p for p in self.attendance.proxies if p.giver in represented)

    @property
    def deliberated(self) -> bool:
        """False for items postponed or dropped: nothing was deliberated."""
        return self.item.outcome not in (Outcome.POSTPONED, Outcome.DROPPED)

    def find(self, code: Code, severity: Severity, message: str, where: str = "") -> Finding:
        """A finding about this item, at `where` under its pointer."""
        return finding(code, severity, message, self.pointer + where, self.item.number)
