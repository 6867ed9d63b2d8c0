"""The meeting as registre's record, derived from what the clerk recorded: roster,
opening attendance and proxies, events, and the closed items with their votes.
Each item's attendance is then derived by `registre.record` itself, never typed."""

from __future__ import annotations

import re
import threading
import unicodedata
from collections import OrderedDict
from datetime import date

from registre import record as r
from registre.rules import decide
from registre.web.live.models import Ballot, ItemVote, OpeningSubstitute, Presence, Sitting
from registre.web.meetings.models import AgendaItem
from registre.web.members.models import RECORD_CIVILITY, Mandate, Member, members_in_office


def slug(text: str) -> str:
    """ASCII, lower case, words joined by hyphens: "Marie-Hélène Juillard" ->
    "marie-helene-juillard"."""
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", folded.lower()).strip("-")


def references(members: list[Member]) -> dict[int, r.MemberId]:
    """Each member's stable reference in the record: first and last name as a slug,
    numbered when two members share one."""
    found: dict[int, r.MemberId] = {}
    taken: set[str] = set()
    for member in sorted(members, key=lambda m: m.pk):
        base = slug(f"{member.first_name} {member.last_name}") or f"membre-{member.pk}"
        ref, n = base, 2
        while ref in taken:
            ref, n = f"{base}-{n}", n + 1
        taken.add(ref)
        found[member.pk] = r.MemberId(ref)
    return found


def item_number(item: AgendaItem) -> str:
    """The deliberation's number: the meeting's date and the item's rank (20231123_01)."""
    assert item.meeting is not None
    return f"{item.meeting.date:%Y%m%d}_{item.position or 0:02d}"


def sitting_record(sitting: Sitting, closing: AgendaItem | None = None) -> r.MeetingRecord:
    """The record of the meeting so far: the closed items, and `closing` (the item
    being closed) with its recorded vote and computed outcome."""
    return record_and_references(sitting, closing)[0]


def attendance_record(sitting: Sitting, mandates: list[Mandate] | None = None) -> r.MeetingRecord:
    """The record of the meeting so far without any vote, the current item last: enough
    to derive each item's attendance (which the votes do not change)."""
    return attendance_and_references(sitting, sitting.current_item, mandates)[0]


# (sitting, its opening, its attendance version, item) -> the record without votes.
# Each vote and each screens' update needs the item's attendance; reading it again
# (the roster, the roll call, proxies, events) was half of their cost. Kept per
# process, for as long as the sitting's `attendance_version` stays: every write of
# the sitting but a vote moves it on (`live.services.touch`). A member's name or
# mandate edited during the sitting shows from its next write; the register's
# entries are always read afresh (`sitting_record`).
_ATTENDANCE: OrderedDict[tuple[int, object, int, int | None],
                         tuple[r.MeetingRecord, dict[int, r.MemberId]]] = OrderedDict()  # fmt: skip
_KEPT = 64
_KEEPING = threading.Lock()


def attendance_and_references(
    sitting: Sitting, item: AgendaItem | None, mandates: list[Mandate] | None = None
) -> tuple[r.MeetingRecord, dict[int, r.MemberId]]:
    """`attendance_record` with `item` last (the item voted), and each member's
    reference (by member id); read once per attendance version of the sitting."""
    key = (sitting.pk, sitting.opened_at, sitting.attendance_version, item.pk if item else None)
    found = _ATTENDANCE.get(key)
    if found is None:
        found = record_and_references(sitting, item, mandates=mandates, votes=False)
        with _KEEPING:  # request threads and the screens' thread share it
            _ATTENDANCE[key] = found
            while len(_ATTENDANCE) > _KEPT:
                _ATTENDANCE.popitem(last=False)
    return found


def forget_attendances() -> None:
    """Empty the attendances kept (a test's database rolled back reuses the ids)."""
    _ATTENDANCE.clear()


def record_and_references(
    sitting: Sitting, closing: AgendaItem | None = None, *,
    mandates: list[Mandate] | None = None, votes: bool = True,
) -> tuple[r.MeetingRecord, dict[int, r.MemberId]]:  # fmt: skip
    """`sitting_record`, with each member's reference in it (by member id); `mandates`
    when the caller has read them already; without the items' votes unless `votes`."""
    meeting = sitting.meeting
    collectivity, assembly = meeting.collectivity, meeting.assembly
    if mandates is None:
        mandates = members_in_office(meeting.assembly, meeting.date)
    seated = list(sitting.substitutes.select_related("substitute"))
    refs = references([m.member for m in mandates] + [s.substitute for s in seated])
    stands_for = {s.substitute_id: refs[s.titular_id] for s in seated if s.titular_id in refs}
    roster = tuple(_member(m, refs, stands_for.get(m.pk))
                   for m in [m.member for m in mandates] + [s.substitute for s in seated])  # fmt: skip
    decided = [v.item for v in ItemVote.objects.filter(item__meeting=meeting, closed_at__isnull=False)
               .select_related("item", "item__meeting")]  # fmt: skip
    items = sorted({*decided, *([closing] if closing else [])}, key=lambda i: i.position or 0)
    record = r.MeetingRecord(
        collectivity=r.Collectivity(name=collectivity.name, kind=collectivity.kind_enum,
                                    siren=collectivity.siren, population=collectivity.population),
        assembly=r.Assembly(kind=r.AssemblyKind(assembly.kind), name=assembly.name),
        meeting=r.Meeting(
            date=meeting.date, time=meeting.time, place=meeting.place,
            members_in_office=len(mandates), members=roster,
            second_convocation=meeting.second_convocation or None,
            president=refs.get(sitting.president_id),
            secretaries=tuple(refs[s.pk] for s in sitting.secretaries.all() if s.pk in refs),
        ),
        attendance=_opening(sitting, refs, seated),
        deliberations=tuple(_deliberation(item, refs, votes) for item in items),
    )  # fmt: skip
    return record, refs


def _member(member: Member, refs: dict[int, r.MemberId], stands_for: r.MemberId | None) -> r.Member:
    return r.Member(id=refs[member.pk], last_name=member.last_name.upper(),
                    first_name=member.first_name, civility=RECORD_CIVILITY.get(member.civility),
                    birth_date=member.birth_date, substitute_for=stands_for)  # fmt: skip


def _opening(
    sitting: Sitting, refs: dict[int, r.MemberId], seated: list[OpeningSubstitute]
) -> r.Attendance:
    answers = dict(sitting.roll.values_list("member_id", "status"))
    seats = {s.titular_id: s.substitute_id for s in seated}
    # a seat held by its substitute counts as present (L5211-6); the substitute is
    # named beside it, not counted twice
    answers |= dict.fromkeys(seats, Presence.PRESENT)
    proxies = tuple(r.Proxy(giver=refs[p.giver_id], holder=refs[p.holder_id],
                            given_on=p.given_on,
                            covers=tuple(date.fromisoformat(d) for d in p.covers) or None)
                    for p in sitting.proxies.order_by("id"))  # fmt: skip
    represented = {p.giver for p in proxies}
    in_roster_order = [(pk, ref) for pk, ref in refs.items() if pk not in seats.values()]
    present = tuple(ref for pk, ref in in_roster_order if answers.get(pk) == Presence.PRESENT)
    absent = tuple(ref for pk, ref in in_roster_order
                   if answers.get(pk, Presence.ABSENT) != Presence.PRESENT and ref not in represented)  # fmt: skip
    events = tuple(
        r.AttendanceChange(member=refs[e.member_id], change=r.ChangeKind(e.kind),
                           from_item=item_number(e.item),
                           holder=refs.get(e.holder_id) if e.holder_id else None)
        for e in sitting.events.select_related("item", "item__meeting")
    )  # fmt: skip
    return r.Attendance(present=present, absent=absent,
                        represented=tuple(ref for _, ref in in_roster_order if ref in represented),
                        proxies=proxies, changes=events,
                        substitutes=tuple(r.Substitution(titular=refs[t], substitute=refs[s])
                                          for t, s in seats.items()))  # fmt: skip


def _deliberation(
    item: AgendaItem, refs: dict[int, r.MemberId], with_vote: bool
) -> r.DeliberationRecord:
    postponed = hasattr(item, "vote") and item.vote.outcome == r.Outcome.POSTPONED.value
    voted = hasattr(item, "vote") and not postponed and with_vote
    vote = record_vote(item.vote, refs) if voted else None
    return r.DeliberationRecord(
        number=item_number(item), subject=item.subject, heading=item.heading or None,
        matter_code=item.matter_code or None, statement=item.statement or None,
        operative_part=item.operative_part or None,
        rapporteur=refs.get(item.rapporteur_id) if item.rapporteur_id else None,
        vote=vote, outcome=r.Outcome.POSTPONED if postponed else (decide(vote) if vote else None),
        in_camera=True if hasattr(item, "vote") and item.vote.in_camera else None,
        # on a second convocation only the items carried over go without a quorum
        carried_over=(item.carried_from_id is not None) if item.meeting.second_convocation else None,
    )  # fmt: skip


def record_vote(vote: ItemVote, refs: dict[int, r.MemberId]) -> r.Vote:
    """The recorded vote as the record's value, with its named votes."""
    named = tuple(
        r.NamedVote(member=refs[n.member_id], choice=r.VoteChoice(n.choice),
                    on_behalf_of=refs[n.on_behalf_of_id] if n.on_behalf_of_id else None)
        for n in vote.named.all() if n.member_id in refs
    )  # fmt: skip
    return r.Vote(
        mode=r.VoteMode(vote.mode) if vote.mode else None,
        for_=vote.votes_for, against=vote.against, abstention=vote.abstention,
        not_voting=vote.not_voting, unanimous=vote.unanimous or None,
        president_vote=r.VoteChoice(vote.president_vote) if vote.president_vote else None,
        named_votes=named, appointment=appointment(vote, refs),
    )  # fmt: skip


def appointment(vote: ItemVote, refs: dict[int, r.MemberId]) -> r.Appointment | None:
    """The rounds of an appointment by secret ballot, as recorded (L2121-21)."""
    ballot = Ballot.objects.filter(vote=vote).first() if vote.pk else None
    if ballot is None:
        return None
    candidates = tuple(
        r.Candidate(id=f"c{c.pk}", name=c.name, birth_date=c.birth_date,
                    member=refs.get(c.member_id) if c.member_id else None)
        for c in ballot.candidates.all()
    )  # fmt: skip
    rounds = tuple(
        r.Round(number=n.number, blank=n.blank, void=n.void,
                votes=tuple(r.CandidateVotes(candidate=f"c{v.candidate_id}", votes=v.votes)
                            for v in n.votes.all()),
                expressed=n.expressed,
                elected=tuple(sorted(f"c{c.pk}" for c in n.elected.all())))
        for n in ballot.rounds.prefetch_related("votes", "elected")
    )  # fmt: skip
    return r.Appointment(seats=ballot.seats, candidates=candidates, rounds=rounds)
