"""The deliberation record: immutable value objects, frozen at the vote.

Members are referred to by their `id` everywhere else in a record. A value that is
not known is `None` (JSON `null`), never zero or an empty string. Field metadata:
`json` renames a field in JSON, `pattern` constrains a string, `doc` describes it
for the JSON Schema.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from registre.record.enums import (
    AssemblyKind,
    ChangeKind,
    Civility,
    CollectivityKind,
    MeetingMode,
    Outcome,
    ValueStatus,
    VoteChoice,
    VoteMode,
)

SCHEMA_VERSION = 1
# The name of the record's JSON attached to the PDFs registre renders (PDF/A-3).
EMBEDDED_NAME = "registre-record.json"

MemberId = str


def _doc(text: str, **extra: str) -> dict[str, str]:
    return {"doc": text, **extra}


@dataclass(frozen=True, slots=True, kw_only=True)
class Collectivity:
    """The public body whose assembly deliberates."""

    name: str | None
    kind: CollectivityKind
    siren: str | None = field(default=None, metadata=_doc("SIREN", pattern=r"^\d{9}$"))
    siret: str | None = field(default=None, metadata=_doc("SIRET", pattern=r"^\d{14}$"))
    population: int | None = field(
        default=None, metadata=_doc("inhabitants, where the law depends on it")
    )
    departement_code: str | None = field(
        default=None, metadata=_doc("code of the département", pattern=r"^(\d{2,3}|2A|2B)$")
    )


@dataclass(frozen=True, slots=True, kw_only=True)
class Assembly:
    """The body that votes (conseil, bureau, ...)."""

    kind: AssemblyKind
    name: str | None = field(default=None, metadata=_doc("as printed, e.g. Conseil métropolitain"))


@dataclass(frozen=True, slots=True, kw_only=True)
class Member:
    """A person holding a seat during a mandate, or a substitute (L5211-6)."""

    id: MemberId = field(metadata=_doc("stable reference used in the record"))
    last_name: str
    first_name: str | None = None
    civility: Civility | None = None
    birth_date: dt.date | None = field(default=None, metadata=_doc("the eldest wins a tie"))
    mandate_start: dt.date | None = None
    mandate_end: dt.date | None = None
    substitute_for: MemberId | None = field(
        default=None, metadata=_doc("set for a substitute: the titular member's id")
    )

    def in_office_on(self, day: dt.date | None) -> bool:
        """True when the mandate covers `day` (unknown bounds and dates are open)."""
        if self.substitute_for is not None:
            return False
        if day is None:
            return True
        if self.mandate_start is not None and day < self.mandate_start:
            return False
        return self.mandate_end is None or day <= self.mandate_end

    @property
    def display_name(self) -> str:
        """The name as documents print it: first name then last name."""
        return f"{self.first_name} {self.last_name}" if self.first_name else self.last_name


@dataclass(frozen=True, slots=True, kw_only=True)
class Proxy:
    """A written proxy: the giver, absent, votes through the holder (L2121-20)."""

    giver: MemberId
    holder: MemberId | None = field(default=None, metadata=_doc("null when not printed"))
    given_on: dt.date | None = None
    covers: tuple[dt.date, ...] | None = field(
        default=None, metadata=_doc("dates of the meetings the written proxy covers")
    )
    illness: bool | None = field(default=None, metadata=_doc("duly established illness"))


@dataclass(frozen=True, slots=True, kw_only=True)
class Substitution:
    """A substitute sitting with a vote for an absent titular member (L5211-6)."""

    titular: MemberId
    substitute: MemberId


@dataclass(frozen=True, slots=True, kw_only=True)
class AttendanceChange:
    """An attendance event, counted from the item `from_item` onwards."""

    member: MemberId
    change: ChangeKind
    from_item: str = field(metadata=_doc("number of the first item it counts for"))
    holder: MemberId | None = field(
        default=None, metadata=_doc("proxy holder, or the substitute who sits")
    )


@dataclass(frozen=True, slots=True, kw_only=True)
class DeclaredCounts:
    """Counts as printed by a document, kept to be compared with the lists."""

    present: int | None = None
    withdrawn: int | None = None
    represented: int | None = None
    absent: int | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class Attendance:
    """Who is where: at the opening of a meeting, or for one item.

    Lists of member ids; `None` when the document does not give the names.
    """

    present: tuple[MemberId, ...] | None = None
    absent: tuple[MemberId, ...] | None = None
    represented: tuple[MemberId, ...] | None = None
    withdrawn: tuple[MemberId, ...] | None = None
    proxies: tuple[Proxy, ...] = ()
    substitutes: tuple[Substitution, ...] = ()
    changes: tuple[AttendanceChange, ...] = field(
        default=(), metadata=_doc("events of the meeting (opening attendance only)")
    )
    declared: DeclaredCounts | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class NamedVote:
    """One member's vote; `on_behalf_of` is set when a holder votes for a giver."""

    member: MemberId
    choice: VoteChoice
    on_behalf_of: MemberId | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class Candidate:
    """A candidate to an appointment; birth date decides a tie (L2121-21)."""

    id: str
    name: str
    member: MemberId | None = None
    birth_date: dt.date | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class CandidateVotes:
    """Votes a candidate received in one round."""

    candidate: str
    votes: int


@dataclass(frozen=True, slots=True, kw_only=True)
class Round:
    """One round of an appointment ballot."""

    number: int
    votes: tuple[CandidateVotes, ...]
    elected: tuple[str, ...] = ()
    expressed: int | None = field(
        default=None,
        metadata=_doc("ballots expressed; needed when several seats are filled at once"),
    )
    blank: int | None = None
    void: int | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class Appointment:
    """An appointment (nomination) voted by the assembly."""

    seats: int
    candidates: tuple[Candidate, ...]
    rounds: tuple[Round, ...]


@dataclass(frozen=True, slots=True, kw_only=True)
class Vote:
    """How an item was voted: mode, tally, named votes, appointment rounds."""

    mode: VoteMode | None = None
    for_: int | None = field(default=None, metadata={"json": "for"})
    against: int | None = None
    abstention: int | None = None
    not_voting: int | None = None
    blank: int | None = None
    void: int | None = None
    proxies_counted: int | None = field(default=None, metadata=_doc('"dont N procurations"'))
    unanimous: bool | None = field(default=None, metadata=_doc('"à l\'unanimité" printed'))
    president_vote: VoteChoice | None = None
    public_requested_by: tuple[MemberId, ...] = ()
    secret_requested_by: tuple[MemberId, ...] = ()
    secret_waived: bool | None = field(
        default=None, metadata=_doc("secret ballot waived unanimously for an appointment")
    )
    named_votes: tuple[NamedVote, ...] = ()
    appointment: Appointment | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class DeliberationRecord:
    """One item as decided: its attendance snapshot, vote and outcome."""

    number: str
    subject: str
    heading: str | None = None
    act_id: str | None = field(default=None, metadata=_doc("@CTES act identifier"))
    matter_code: str | None = field(
        default=None, metadata=_doc("@CTES matter", pattern=r"^[1-9](\.[0-9]{1,2}){0,4}$")
    )
    matter_label: str | None = None
    rapporteur: MemberId | None = None
    statement: str | None = None
    operative_part: str | None = None
    in_camera: bool | None = None
    carried_over: bool | None = field(
        default=None, metadata=_doc("carried over from a meeting without quorum")
    )
    transmission_required: bool = field(
        default=True, metadata=_doc("to be sent to the prefect (L2131-2)")
    )
    interested: tuple[MemberId, ...] = field(
        default=(), metadata=_doc("members with a personal interest (L2131-11, L1111-6)")
    )
    attendance: Attendance | None = None
    vote: Vote | None = None
    outcome: Outcome | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class Meeting:
    """One sitting of an assembly."""

    date: dt.date | None = field(metadata=_doc("null when the document does not print it"))
    members_in_office: int | None = field(metadata=_doc("seats filled: the quorum base"))
    members: tuple[Member, ...] = field(default=(), metadata=_doc("the roster, if known"))
    time: dt.time | None = None
    place: str | None = None
    convocation_date: dt.date | None = None
    urgency: bool | None = None
    synthesis_note_sent: bool | None = None
    second_convocation: bool | None = field(
        default=None, metadata=_doc("follows a first convocation without quorum")
    )
    mode: MeetingMode | None = None
    president: MemberId | None = None
    secretaries: tuple[MemberId, ...] | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class Annotation:
    """Says what a value is (fact, placeholder, demo choice), by JSON pointer."""

    pointer: str
    status: ValueStatus
    note: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class MeetingRecord:
    """The meeting as it happened, with its deliberations."""

    schema_version: int = SCHEMA_VERSION
    collectivity: Collectivity
    assembly: Assembly
    meeting: Meeting
    attendance: Attendance
    deliberations: tuple[DeliberationRecord, ...]
    annotations: tuple[Annotation, ...] = ()

    def member(self, member_id: MemberId) -> Member | None:
        """The roster entry for `member_id`, or None."""
        for member in self.meeting.members:
            if member.id == member_id:
                return member
        return None

    def deliberation(self, number: str) -> DeliberationRecord | None:
        """The deliberation numbered `number`, or None."""
        for item in self.deliberations:
            if item.number == number:
                return item
        return None
