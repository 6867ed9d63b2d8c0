"""What each document shows, worded in French: the data handed to the Typst templates.

The templates only lay out; every word that depends on the record (dates in
words, names with civility, "X pouvoir à Y", tallies) is decided here, in
Python, where it is tested.
"""

from __future__ import annotations

from typing import Any

from registre.documents import french
from registre.record import (
    Attendance,
    AttendanceChange,
    ChangeKind,
    DeliberationRecord,
    MeetingRecord,
    Member,
    Vote,
    meeting_attendances,
)

# JSON handed to Typst: built and serialised inside this package only.
View = dict[str, Any]

_CHANGES = {
    ChangeKind.ARRIVAL: "arrive et prend part au vote à partir du point {item}",
    ChangeKind.DEPARTURE: "quitte la séance à partir du point {item}",
    ChangeKind.PROXY_ON_LEAVING: "quitte la séance et donne pouvoir à {holder} à partir du point {item}",
    ChangeKind.PROXY_ENDS_ON_ARRIVAL: "arrive et reprend son vote à partir du point {item}",
    ChangeKind.SUBSTITUTE_SITS: "est remplacé par son suppléant {holder} à partir du point {item}",
    ChangeKind.WITHDRAWAL: "intéressé à l'affaire, se retire et ne prend pas part au vote du point {item}",
}


class Names:
    """Names of the members of a record, as documents print them."""

    def __init__(self, record: MeetingRecord) -> None:
        self.members = {m.id: m for m in record.meeting.members}
        self.shorts = [french.short_name(m) for m in record.meeting.members]

    def member(self, member_id: str) -> Member:
        """The member of this id (an id not in the roster prints as itself)."""
        return self.members.get(member_id) or Member(id=member_id, last_name=member_id)

    def full(self, member_id: str | None) -> str:
        """'Monsieur François REBSAMEN'; '—' when unknown."""
        return french.full_name(self.member(member_id)) if member_id else "—"

    def short(self, member_id: str | None) -> str:
        """'Monsieur REBSAMEN'; the full name when another member has the same
        civility and last name; '—' when unknown."""
        if not member_id:
            return "—"
        short = french.short_name(self.member(member_id))
        return short if self.shorts.count(short) <= 1 else self.full(member_id)


def meeting_view(record: MeetingRecord, names: Names) -> View:
    """The facts every document of a meeting prints in its header."""
    meeting = record.meeting
    secretaries = meeting.secretaries or ()
    return {
        "collectivity": record.collectivity.name or "",
        "assembly": record.assembly.name or "Conseil",
        "date": french.date_words(meeting.date),
        "time": french.time_words(meeting.time),
        "place": meeting.place,
        "convocation": french.date_words(meeting.convocation_date, weekday=False),
        "in_office": meeting.members_in_office,
        "president": names.short(meeting.president),
        "president_full": names.full(meeting.president),
        "secretaries": [names.short(s) for s in secretaries],
        "secretaries_full": [names.full(s) for s in secretaries],
    }


def attendance_view(attendance: Attendance, names: Names) -> View:
    """Present, absent and represented members, proxies written out (unknown = empty)."""
    present, represented = attendance.present or (), attendance.represented or ()
    proxies = attendance.proxies or ()
    return {
        "present": [names.full(m) for m in present],
        "absent": [names.full(m) for m in attendance.absent or () if m not in represented],
        "proxies": [_proxy(p.giver, p.holder, names) for p in proxies],
        "present_count": len(present),
        "proxies_count": sum(1 for p in proxies if p.holder),
    }


def _proxy(giver: str, holder: str | None, names: Names) -> str:
    if holder is None:
        return f"{names.full(giver)} (pouvoir)"
    return f"{names.full(giver)} pouvoir à {names.full(holder)}"


def change_lines(changes: tuple[AttendanceChange, ...], names: Names) -> list[str]:
    """'Monsieur X arrive … à partir du point 12', one line per event."""
    return [
        f"{names.full(c.member)}{',' if c.change is ChangeKind.WITHDRAWAL else ''} "
        + _CHANGES[c.change].format(item=c.from_item, holder=names.full(c.holder))
        for c in changes
        if c.change in _CHANGES
    ]


def vote_view(vote: Vote | None, names: Names) -> View | None:
    """The tally as printed, or None when the record has no vote."""
    if vote is None:
        return None
    rounds = []
    if vote.appointment is not None:
        candidates = {c.id: c.name for c in vote.appointment.candidates}
        rounds = [
            {
                "number": r.number,
                "votes": [[candidates.get(v.candidate, v.candidate), v.votes] for v in r.votes],
                "elected": [candidates.get(e, e) for e in r.elected],
                "blank": r.blank,
                "void": r.void,
            }
            for r in vote.appointment.rounds
        ]
    return {
        "for": vote.for_, "against": vote.against, "abstention": vote.abstention,
        "not_voting": vote.not_voting, "proxies": vote.proxies_counted,
        "unanimous": bool(vote.unanimous), "rounds": rounds,
        "named": [[names.full(n.member), n.choice.value] for n in vote.named_votes],
    }  # fmt: skip


def item_view(item: DeliberationRecord, names: Names) -> View:
    """One deliberation: number, heading, subject, texts, tally and outcome."""
    return {
        "number": item.number,
        "heading": item.heading,
        "subject": item.subject,
        "statement": _paragraphs(item.statement),
        "operative": _paragraphs(item.operative_part),
        "rapporteur": names.full(item.rapporteur) if item.rapporteur else None,
        "act_id": item.act_id,
        "outcome": french.outcome(item.outcome),
        "vote": vote_view(item.vote, names),
    }


def extract_view(record: MeetingRecord, item: DeliberationRecord) -> View:
    """The extract of one deliberation: meeting, that item's attendance, the item."""
    names = Names(record)
    changes = tuple(c for c in record.attendance.changes if c.from_item == item.number)
    entering, derived = meeting_attendances(record)
    # with events: the lists as the item begins, then its events (as minutes print them)
    attendance = entering[item.number] if changes else item.attendance or derived[item.number]
    return {
        "meeting": meeting_view(record, names),
        "attendance": attendance_view(attendance, names),
        "changes": change_lines(changes, names),
        "item": item_view(item, names),
    }


def meeting_documents_view(record: MeetingRecord) -> View:
    """The list, the minutes, the convocation and the register: the whole meeting."""
    names = Names(record)
    return {
        "meeting": meeting_view(record, names),
        "attendance": attendance_view(record.attendance, names),
        "changes": change_lines(record.attendance.changes, names),
        "items": [item_view(item, names) for item in record.deliberations],
        "synthesis_note": bool(record.meeting.synthesis_note_sent),
    }


def _paragraphs(text: str | None) -> list[str]:
    if not text:
        return []
    return [p.strip() for p in text.split("\n") if p.strip()]


def year_tables_view(records: list[MeetingRecord], year: int) -> View:
    """The deliberations of a year's meetings, in date order (R2121-9's tables)."""
    meetings = sorted(
        (r for r in records if r.meeting.date is not None and r.meeting.date.year == year),
        key=lambda r: r.meeting.date or 0,
    )
    if not meetings:
        return {
            "year": str(year),
            "meeting": meeting_view(records[0], Names(records[0])),
            "rows": [],
        }
    rows = [
        {
            "date": french.date_words(r.meeting.date, weekday=False),
            "number": d.number,
            "subject": d.subject,
            "outcome": french.outcome(d.outcome),
        }
        for r in meetings
        for d in r.deliberations
    ]
    return {
        "year": str(year),
        "meeting": meeting_view(meetings[-1], Names(meetings[-1])),
        "rows": rows,
    }
