"""Hypothesis strategies: legally consistent meetings, and helpers to edit one fact.

`consistent_meetings()` draws a meeting of a commune of 3,500 inhabitants or more
(or an EPCI) that the CGCT rules must accept without any error or warning:
5 to 150 members, quorum held for every item, proxies to distinct present
holders, events during the meeting (arrivals, departures, proxies given on
leaving, withdrawals for a personal interest) and, for each item, a tally that
accounts for every present or represented member, with its outcome.

The meeting is built in two passes. The first simulates the roll call and the
events item by item, choosing only events that keep the record consistent (the
same semantics as `registre.record.derive`). The second derives each item's
attendance with `item_attendances` and draws a vote from it.

Bulk choices (names, who holds which proxy, who voted what) come from one seeded
`random.Random`; the facts that matter for shrinking (sizes, counts, modes, who
takes part in an event) are drawn directly.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import date, time, timedelta
from typing import TypeVar

from hypothesis import strategies as st

from registre.record import (
    Assembly,
    AssemblyKind,
    Attendance,
    AttendanceChange,
    AttendanceStatus,
    ChangeKind,
    Civility,
    Collectivity,
    CollectivityKind,
    DeclaredCounts,
    DeliberationRecord,
    Meeting,
    MeetingMode,
    MeetingRecord,
    Member,
    MemberId,
    NamedVote,
    Outcome,
    Proxy,
    Vote,
    VoteChoice,
    VoteMode,
    item_attendances,
)

S = AttendanceStatus
T = TypeVar("T")
MIN_MEMBERS, MAX_MEMBERS = 5, 150
EPCI_KINDS = tuple(kind for kind in CollectivityKind if kind.is_epci)
VOTED = (Outcome.ADOPTED, Outcome.REJECTED)
NOT_VOTED = (Outcome.POSTPONED, Outcome.DROPPED, Outcome.NOTED)
CHOICES = (VoteChoice.FOR, VoteChoice.AGAINST, VoteChoice.ABSTENTION, VoteChoice.NOT_VOTING)

_FIRST_NAMES = {
    Civility.MADAME: ("Anne", "Céline", "Claire", "Nathalie", "Sladana", "Françoise", "Lou"),
    Civility.MONSIEUR: ("Jean", "Pierre", "Rémi", "Thierry", "François", "Antoine", "Marc"),
}
_LAST_NAMES = (
    "MARTIN", "BERNARD", "DUBOIS", "THOMAS", "ROBERT", "RICHARD", "PETIT", "DURAND",
    "LEROY", "MOREAU", "SIMON", "LAURENT", "LEFEBVRE", "MICHEL", "GARCIA", "DAVID",
)  # fmt: skip
_ASCII = str.maketrans("éèçà", "eeca")
# Built once: composed strategies are not cached by hypothesis.
_LARGE = st.integers(3500, 2_000_000)
_LARGE_OR_UNKNOWN = st.none() | _LARGE
_SIREN = st.none() | st.integers(10**8, 10**9 - 1).map(str)


def quorum(members_in_office: int) -> int:
    """More than half of the members in office (L2121-17), computed independently."""
    return members_in_office // 2 + 1


# --- editing one fact of a record -------------------------------------------------


def item_attendance(record: MeetingRecord, index: int) -> Attendance:
    """The attendance the rules read for an item: stored, else derived."""
    stored = record.deliberations[index].attendance
    return (
        stored
        if stored is not None
        else item_attendances(record)[record.deliberations[index].number]
    )


def with_meeting(record: MeetingRecord, **changes: object) -> MeetingRecord:
    """The record with fields of the meeting replaced."""
    return replace(record, meeting=replace(record.meeting, **changes))  # type: ignore[arg-type]


def with_item(record: MeetingRecord, index: int, **changes: object) -> MeetingRecord:
    """The record with fields of one deliberation replaced."""
    items = list(record.deliberations)
    items[index] = replace(items[index], **changes)  # type: ignore[arg-type]
    return replace(record, deliberations=tuple(items))


def with_attendance(record: MeetingRecord, index: int, **changes: object) -> MeetingRecord:
    """The record with fields of one item's attendance replaced (stored from then on)."""
    att = replace(item_attendance(record, index), **changes)  # type: ignore[arg-type]
    return with_item(record, index, attendance=att)


def with_vote(record: MeetingRecord, index: int, **changes: object) -> MeetingRecord:
    """The record with fields of one item's vote replaced."""
    vote = record.deliberations[index].vote or Vote()
    return with_item(record, index, vote=replace(vote, **changes))  # type: ignore[arg-type]


def ballots(att: Attendance) -> list[tuple[MemberId, MemberId | None]]:
    """Who may vote for an item: (member, on_behalf_of) for the present and the holders."""
    holders = {p.giver: p.holder for p in att.proxies}
    own: list[tuple[MemberId, MemberId | None]] = [(m, None) for m in att.present or ()]
    return own + [(holders[g], g) for g in att.represented or () if holders.get(g) is not None]


def tally_of(vote: Vote) -> dict[VoteChoice, int]:
    """The four counts of a vote, unknown ones as 0."""
    values = (vote.for_, vote.against, vote.abstention, vote.not_voting)
    return {choice: value or 0 for choice, value in zip(CHOICES, values, strict=True)}


def named_votes(
    att: Attendance, counts: dict[VoteChoice, int], rnd: random.Random
) -> tuple[NamedVote, ...]:
    """Named votes matching `counts`: each present member once, each holder once per giver."""
    slots = ballots(att)
    assert sum(counts.values()) == len(slots), (counts, len(slots))
    rnd.shuffle(slots)
    choices = [c for c in CHOICES for _ in range(counts[c])]
    chosen = dict(zip(slots, choices, strict=True))
    return tuple(NamedVote(member=m, choice=chosen[m, g], on_behalf_of=g) for m, g in ballots(att))


# --- the first pass: roll call and events -------------------------------------------


def _pick(draw: st.DrawFn, pool: Sequence[T]) -> T:
    """One element of a non-empty pool (cheaper than a new `sampled_from` each time)."""
    return pool[draw(st.integers(0, len(pool) - 1))]


def _pick_some(draw: st.DrawFn, rnd: random.Random, pool: Sequence[T], most: int) -> list[T]:
    """Up to `most` distinct elements of `pool`, in pool order: how many is drawn."""
    count = draw(st.integers(0, max(0, min(most, len(pool)))))
    chosen = set(rnd.sample(range(len(pool)), count))
    return [x for i, x in enumerate(pool) if i in chosen]


@dataclass(slots=True)
class _Sim:
    """The attendance state between items, with derive's semantics."""

    status: dict[MemberId, AttendanceStatus]
    holder_of: dict[MemberId, MemberId]
    officers: frozenset[MemberId]
    quorum: int
    events: list[AttendanceChange] = field(default_factory=list)

    def having(self, status: AttendanceStatus) -> list[MemberId]:
        return [m for m, s in self.status.items() if s is status]

    def holders(self) -> set[MemberId]:
        return set(self.holder_of.values())

    def lapse(self, holder: MemberId) -> None:
        for giver, held_by in list(self.holder_of.items()):
            if held_by == holder:
                del self.holder_of[giver]
                self.status[giver] = S.ABSENT

    def apply(self, change: AttendanceChange) -> None:
        member = change.member
        if change.change in (ChangeKind.ARRIVAL, ChangeKind.PROXY_ENDS_ON_ARRIVAL):
            self.holder_of.pop(member, None)
            self.status[member] = S.PRESENT
        elif change.change is ChangeKind.DEPARTURE:
            self.status[member] = S.ABSENT
            self.lapse(member)
        elif change.change is ChangeKind.PROXY_ON_LEAVING:
            assert change.holder is not None
            self.lapse(member)
            self.status[member] = S.REPRESENTED
            self.holder_of[member] = change.holder
        self.events.append(change)


def _draw_event(draw: st.DrawFn, sim: _Sim, number: str) -> AttendanceChange | None:
    """One arrival, end of proxy, departure or proxy on leaving that keeps the quorum."""
    present = sim.having(S.PRESENT)
    leavers = [m for m in present if m not in sim.officers] if len(present) > sim.quorum else []
    options = {
        ChangeKind.ARRIVAL: sim.having(S.ABSENT),
        ChangeKind.PROXY_ENDS_ON_ARRIVAL: sim.having(S.REPRESENTED),
        ChangeKind.DEPARTURE: leavers,
        ChangeKind.PROXY_ON_LEAVING: leavers,
    }
    kinds = [kind for kind, pool in options.items() if pool]
    if not kinds:
        return None
    kind = _pick(draw, kinds)
    member = _pick(draw, options[kind])
    holder = None
    if kind is ChangeKind.PROXY_ON_LEAVING:
        free = [m for m in present if m != member and m not in sim.holders()]
        if not free:
            kind = ChangeKind.DEPARTURE
        else:
            holder = _pick(draw, free)
    return AttendanceChange(member=member, change=kind, from_item=number, holder=holder)


def _draw_item_events(
    draw: st.DrawFn, rnd: random.Random, sim: _Sim, number: str, max_events: int
) -> tuple[MemberId, ...]:
    """Apply the events of one item to `sim`; return the members withdrawn for it."""
    for _ in range(draw(st.integers(0, max_events))):
        change = _draw_event(draw, sim, number)
        if change is None:
            break
        sim.apply(change)
    present = sim.having(S.PRESENT)
    candidates = [m for m in present if m not in sim.officers]
    room = min(len(present) - sim.quorum, len(candidates), 3)
    if room <= 0:
        return ()
    withdrawn = _pick_some(draw, rnd, candidates, room)
    for member in withdrawn:
        sim.events.append(
            AttendanceChange(member=member, change=ChangeKind.WITHDRAWAL, from_item=number)
        )
    return tuple(withdrawn)


# --- the second pass: votes -----------------------------------------------------------


def _draw_counts(draw: st.DrawFn, voters: int) -> dict[VoteChoice, int]:
    """For, against, abstention, not voting, adding up to `voters`; ties now and then."""
    not_voting = draw(st.integers(0, min(3, voters)))
    abstention = draw(st.integers(0, voters - not_voting))
    expressed = voters - not_voting - abstention
    if expressed >= 2 and draw(st.integers(0, 7)) == 0:
        pro = con = expressed // 2
        abstention += expressed % 2
    else:
        pro = draw(st.integers(0, expressed))
        con = expressed - pro
    return dict(zip(CHOICES, (pro, con, abstention, not_voting), strict=True))


def _requesters(
    draw: st.DrawFn, rnd: random.Random, present: Sequence[MemberId], low: int, high: int
) -> tuple[MemberId, ...]:
    """Between `low` and `high` present members (none if the range is empty)."""
    if high < max(low, 1):
        return ()
    count = draw(st.integers(max(low, 1), high))
    chosen = set(rnd.sample(list(present), count))
    return tuple(m for m in present if m in chosen)


def _draw_requests(
    draw: st.DrawFn, rnd: random.Random, mode: VoteMode | None, present: Sequence[MemberId]
) -> dict[str, tuple[MemberId, ...]]:
    """Requests for a public or secret ballot that the mode honours.

    A quarter of the present may ask for a public ballot, a third for a secret one;
    in any other mode, fewer than that asked.
    """
    p = len(present)
    public = secret = 0, 0
    if draw(st.booleans()):
        public = ((p + 3) // 4, p) if mode is VoteMode.PUBLIC else (1, (p - 1) // 4)
    if draw(st.booleans()):
        secret = ((p + 2) // 3, p) if mode is VoteMode.SECRET else (1, (p - 1) // 3)
    return {
        "public_requested_by": _requesters(draw, rnd, present, *public),
        "secret_requested_by": _requesters(draw, rnd, present, *secret),
    }


def _maybe_none(draw: st.DrawFn, value: int) -> int | None:
    """A zero count printed or left out (unknown)."""
    return None if value == 0 and draw(st.booleans()) else value


def _draw_vote(
    draw: st.DrawFn, rnd: random.Random, att: Attendance, president: MemberId
) -> tuple[Vote, Outcome]:
    """A vote consistent with the item's attendance, and its outcome."""
    slots = ballots(att)
    counts = _draw_counts(draw, len(slots))
    mode = draw(
        st.sampled_from((VoteMode.SHOW_OF_HANDS,) * 3 + (VoteMode.PUBLIC, VoteMode.SECRET, None))
    )
    named = mode is VoteMode.PUBLIC or (mode is not VoteMode.SECRET and draw(st.booleans()))
    named_list = named_votes(att, counts, rnd)
    president_choice = next(
        n.choice for n in named_list if (n.member, n.on_behalf_of) == (president, None)
    )
    pro, con = counts[VoteChoice.FOR], counts[VoteChoice.AGAINST]
    tie = pro == con and pro > 0
    if tie and mode is not VoteMode.SECRET:
        adopted = president_choice is VoteChoice.FOR
    else:
        adopted = pro > con
    printed_president = mode is not VoteMode.SECRET and ((tie and not named) or draw(st.booleans()))
    unanimous = draw(
        st.sampled_from((None, True, False) if con == 0 and pro > 0 else (None, False))
    )
    vote = Vote(
        mode=mode,
        for_=pro,
        against=con,
        abstention=_maybe_none(draw, counts[VoteChoice.ABSTENTION]),
        not_voting=_maybe_none(draw, counts[VoteChoice.NOT_VOTING]),
        proxies_counted=draw(st.sampled_from((len(att.represented or ()), None))),
        unanimous=unanimous,
        president_vote=president_choice if printed_president else None,
        named_votes=named_list if named else (),
        **_draw_requests(draw, rnd, mode, att.present or ()),
    )
    return vote, Outcome.ADOPTED if adopted else Outcome.REJECTED


def _declared(att: Attendance) -> DeclaredCounts:
    return DeclaredCounts(
        present=len(att.present or ()),
        withdrawn=len(att.withdrawn or ()),
        represented=len(att.represented or ()),
        absent=len(att.absent or ()),
    )


# --- the meeting -----------------------------------------------------------------------


def _members(rnd: random.Random, n: int, day: date) -> tuple[Member, ...]:
    members = []
    for i in range(n):
        civility = rnd.choice((Civility.MADAME, Civility.MONSIEUR))
        first, last = rnd.choice(_FIRST_NAMES[civility]), rnd.choice(_LAST_NAMES)
        slug = f"{first}-{last}-{i + 1}".lower().translate(_ASCII)
        start = day - timedelta(days=rnd.randint(0, 6 * 365)) if rnd.random() < 0.5 else None
        end = day + timedelta(days=rnd.randint(0, 6 * 365)) if rnd.random() < 0.2 else None
        birth = date(1940, 1, 1) + timedelta(days=rnd.randint(0, 60 * 365))
        members.append(
            Member(
                id=slug,
                last_name=last,
                first_name=first,
                civility=civility,
                birth_date=birth,
                mandate_start=start,
                mandate_end=end,
            )
        )
    return tuple(members)


@st.composite
def collectivities(draw: st.DrawFn) -> Collectivity:
    """A commune of 3,500 inhabitants or more, or an EPCI (5 clear days, synthesis note)."""
    kind = draw(st.sampled_from((CollectivityKind.COMMUNE, *EPCI_KINDS)))
    population = draw(_LARGE if kind is CollectivityKind.COMMUNE else _LARGE_OR_UNKNOWN)
    siren = draw(_SIREN)
    return Collectivity(
        name=f"Collectivité ({kind.value})",
        kind=kind,
        siren=siren,
        population=population,
        departement_code=draw(st.sampled_from(("21", "2A", "974"))),
    )


def _opening_proxies(
    rnd: random.Random, givers: Sequence[MemberId], present: Sequence[MemberId], meeting: Meeting
) -> tuple[Proxy, ...]:
    """Written proxies to distinct present holders, covering at most 3 meetings."""
    day, convocation = meeting.date, meeting.convocation_date or meeting.date
    holders = rnd.sample(list(present), len(givers))
    proxies = []
    for giver, holder in zip(givers, holders, strict=True):
        signed = convocation + timedelta(days=rnd.randint(0, (day - convocation).days))
        meetings = rnd.randint(0, 3)  # 0: not printed
        covers = tuple(day + timedelta(days=30 * k) for k in range(meetings)) or None
        proxy = Proxy(
            giver=giver,
            holder=holder,
            given_on=rnd.choice((None, signed)),
            covers=covers,
            illness=rnd.choice((None, False, True)),
        )
        proxies.append(proxy)
    return tuple(proxies)


def _draw_meeting(draw: st.DrawFn, rnd: random.Random, n: int) -> Meeting:
    """The sitting, its roster of `n` members all in office, convened 5 to 10 clear days before."""
    day = draw(st.dates(date(2021, 1, 1), date(2030, 12, 31)))
    return Meeting(
        date=day,
        members_in_office=n,
        members=_members(rnd, n, day),
        time=draw(st.sampled_from((None, time(18, 30), time(9)))),
        convocation_date=day - timedelta(days=draw(st.integers(6, 11))),
        urgency=draw(st.sampled_from((None, False))),
        synthesis_note_sent=True,
        second_convocation=draw(st.sampled_from((None, False))),
        mode=draw(st.sampled_from((None, *MeetingMode))),
    )


def _draw_items(
    draw: st.DrawFn, rnd: random.Random, sim: _Sim, year: int, *, max_items: int, max_events: int
) -> list[DeliberationRecord]:
    """The items, undecided yet, with the events of the meeting applied to `sim`."""
    n_items = draw(st.integers(1, max_items))
    first = draw(st.integers(1, 300))
    voted = [draw(st.integers(0, 7)) > 0 for _ in range(n_items)]
    voted[draw(st.integers(0, n_items - 1))] = True
    rank = {m: i for i, m in enumerate(sim.status)}
    items = []
    for i, is_voted in enumerate(voted):
        number = f"{year}_{first + i:03d}"
        withdrawn = _draw_item_events(draw, rnd, sim, number, max_events)
        also = _pick_some(draw, rnd, sim.having(S.ABSENT), 2)
        item = DeliberationRecord(
            number=number,
            subject=f"Délibération {number}",
            matter_code=draw(st.sampled_from((None, "1.1", "7.1", "8.4.2"))),
            interested=tuple(sorted({*withdrawn, *also}, key=rank.__getitem__)),
            outcome=None if is_voted else draw(st.sampled_from(NOT_VOTED)),
        )
        items.append(item)
    return items


@st.composite
def consistent_meetings(
    draw: st.DrawFn,
    *,
    min_members: int = MIN_MEMBERS,
    max_members: int = MAX_MEMBERS,
    max_items: int = 8,
    max_events_per_item: int = 3,
    min_proxies: int = 0,
) -> MeetingRecord:
    """A meeting the rules must accept without error or warning (see the module doc)."""
    rnd = random.Random(draw(st.integers(0, 2**32 - 1)))
    n = draw(st.integers(min_members, max_members))
    meeting = _draw_meeting(draw, rnd, n)
    order = [m.id for m in meeting.members]
    roll = rnd.sample(order, n)
    n_present = draw(st.integers(quorum(n), n - min(min_proxies, n - quorum(n))))
    absent_seats = n - n_present
    n_represented = draw(st.integers(min(min_proxies, absent_seats), min(n_present, absent_seats)))
    present = set(roll[:n_present])
    givers = set(roll[n_present : n_present + n_represented])
    officers = roll[: 1 + draw(st.integers(1, 2))]
    meeting = replace(meeting, president=officers[0], secretaries=tuple(officers[1:]))
    proxies = _opening_proxies(rnd, [m for m in order if m in givers], roll[:n_present], meeting)

    def status(member: MemberId) -> AttendanceStatus:
        return S.PRESENT if member in present else S.REPRESENTED if member in givers else S.ABSENT

    sim = _Sim(
        {m: status(m) for m in order},
        {p.giver: p.holder for p in proxies if p.holder},
        frozenset(officers),
        quorum(n),
    )
    items = _draw_items(
        draw, rnd, sim, meeting.date.year, max_items=max_items, max_events=max_events_per_item
    )
    opening = Attendance(
        present=tuple(m for m in order if status(m) is S.PRESENT),
        absent=tuple(m for m in order if status(m) is S.ABSENT),
        represented=tuple(m for m in order if status(m) is S.REPRESENTED),
        withdrawn=(),
        proxies=proxies,
        changes=tuple(sim.events),
    )
    if draw(st.booleans()):
        opening = replace(opening, declared=_declared(opening))
    record = MeetingRecord(
        collectivity=draw(collectivities()),
        assembly=Assembly(kind=AssemblyKind.CONSEIL, name=draw(st.sampled_from((None, "Conseil")))),
        meeting=meeting,
        attendance=opening,
        deliberations=tuple(items),
    )
    return _with_votes(draw, rnd, record)


def _with_votes(draw: st.DrawFn, rnd: random.Random, record: MeetingRecord) -> MeetingRecord:
    """Store each item's derived attendance (now and then left to derive) and its vote."""
    derived = item_attendances(record)
    president = record.meeting.president
    assert president is not None
    items = []
    for undecided in record.deliberations:
        att = derived[undecided.number]
        item = undecided
        if item.outcome is None:
            vote, outcome = _draw_vote(draw, rnd, att, president)
            item = replace(item, vote=vote, outcome=outcome)
        if draw(st.integers(0, 4)) == 0:
            items.append(item)  # left for `check` to derive
            continue
        if draw(st.booleans()):
            att = replace(att, declared=_declared(att))
        items.append(replace(item, attendance=att))
    return replace(record, deliberations=tuple(items))
