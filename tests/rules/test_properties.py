"""Property tests: consistent meetings check clean; any one injected fault is caught.

`consistent_meetings()` (tests/strategies.py) draws meetings of 5 to 150 members
with random attendance, events, proxies and tallies. None may yield an error or
a warning. Each injection below changes one fact of such a meeting (adjusting
only what must follow from it, such as a tally when members leave) and names the
code that must then appear among the errors and warnings; other codes may come
with it.

Run longer with HYPOTHESIS_PROFILE=full (see tests/conftest.py).
"""

from __future__ import annotations

import random
from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import timedelta

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from registre.record import (
    AttendanceChange,
    ChangeKind,
    DeclaredCounts,
    MeetingRecord,
    MemberId,
    NamedVote,
    Outcome,
    Proxy,
    Substitution,
    Vote,
    VoteChoice,
    VoteMode,
)
from registre.rules import Code, Finding, Severity, check
from strategies import (
    CHOICES,
    VOTED,
    ballots,
    consistent_meetings,
    item_attendance,
    named_votes,
    quorum,
    tally_of,
    with_attendance,
    with_item,
    with_meeting,
    with_vote,
)

Injection = Callable[[MeetingRecord, st.DataObject], MeetingRecord]
STRANGER = "personne-inconnue"
FIELDS = {
    VoteChoice.FOR: "for_",
    VoteChoice.AGAINST: "against",
    VoteChoice.ABSTENTION: "abstention",
    VoteChoice.NOT_VOTING: "not_voting",
}


def _serious(findings: Sequence[Finding]) -> list[Finding]:
    return [f for f in findings if f.severity is not Severity.INFO]


def _explain(findings: Sequence[Finding]) -> list[tuple[str, str, str | None, str]]:
    return [(f.code.value, f.severity.value, f.deliberation, f.message) for f in findings]


@given(consistent_meetings())
def test_consistent_meetings_check_clean(record: MeetingRecord) -> None:
    serious = _serious(check(record))
    assert not serious, _explain(serious)


# --- choosing what to break -----------------------------------------------------------


def _rnd(data: st.DataObject) -> random.Random:
    return random.Random(data.draw(st.integers(0, 2**32 - 1), label="seed"))


def _voted_item(
    record: MeetingRecord, data: st.DataObject, where: Callable[[int], bool] = lambda i: True
) -> int:
    """The index of an item decided by a vote (adopted or rejected) that satisfies `where`."""
    indices = [
        i
        for i, item in enumerate(record.deliberations)
        if item.vote is not None and item.outcome in VOTED and where(i)
    ]
    assume(indices)
    return data.draw(st.sampled_from(indices), label="item")


def _with_proxy(record: MeetingRecord, data: st.DataObject) -> tuple[int, Proxy]:
    """A voted item and one proxy used for it."""
    index = _voted_item(record, data, lambda i: bool(item_attendance(record, i).proxies))
    proxy = data.draw(st.sampled_from(item_attendance(record, index).proxies), label="proxy")
    return index, proxy


def _move(
    record: MeetingRecord, index: int, members: Sequence[MemberId], src: str, dst: str
) -> MeetingRecord:
    """Move members of an item between lists, keeping any declared counts in step."""
    att = item_attendance(record, index)
    lists = {
        src: tuple(m for m in getattr(att, src) if m not in members),
        dst: (*getattr(att, dst), *members),
    }
    declared = att.declared and replace(att.declared, **{k: len(v) for k, v in lists.items()})
    return with_attendance(record, index, declared=declared, **lists)


def _without_voters(vote: Vote, gone: set[MemberId]) -> Vote:
    """The vote once `gone` (present, holding no proxy) no longer take part."""
    counts = tally_of(vote)
    if vote.named_votes:
        lost = [n.choice for n in vote.named_votes if n.member in gone]
        kept = tuple(n for n in vote.named_votes if n.member not in gone)
    else:
        lost, kept = [], ()
        for _ in gone:
            lost.append(next(c for c in reversed(CHOICES) if counts[c] > lost.count(c)))
    for choice in lost:
        counts[choice] -= 1
    fields = {
        FIELDS[c]: counts[c] if getattr(vote, FIELDS[c]) is not None else None for c in CHOICES
    }
    return replace(vote, named_votes=kept, **fields)


# --- the injections: one fact changed each --------------------------------------------


def break_quorum(record: MeetingRecord, data: st.DataObject) -> MeetingRecord:
    """Members leave until the item is one short of the quorum; the tally follows."""
    index = _voted_item(record, data)
    att = item_attendance(record, index)
    holders = {p.holder for p in att.proxies}
    movable = [m for m in att.present or () if m not in holders]
    count = len(att.present or ()) - quorum(record.meeting.members_in_office or 0) + 1
    gone = set(_rnd(data).sample(movable, count))
    record = _move(record, index, sorted(gone), "present", "absent")
    vote = record.deliberations[index].vote
    assert vote is not None
    return with_item(record, index, vote=_without_voters(vote, gone))


def tally_plus_one(record: MeetingRecord, data: st.DataObject) -> MeetingRecord:
    """One vote too many in one of the four counts."""
    index = _voted_item(record, data)
    choice = data.draw(st.sampled_from(CHOICES), label="count")
    vote = record.deliberations[index].vote
    assert vote is not None
    return with_vote(record, index, **{FIELDS[choice]: tally_of(vote)[choice] + 1})


def tally_minus_one(record: MeetingRecord, data: st.DataObject) -> MeetingRecord:
    """One vote missing, every count printed (so the gap is certain)."""
    index = _voted_item(record, data)
    vote = record.deliberations[index].vote
    assert vote is not None
    counts = tally_of(vote)
    choice = data.draw(st.sampled_from([c for c in CHOICES if counts[c] > 0]), label="count")
    counts[choice] -= 1
    return with_vote(record, index, **{FIELDS[c]: counts[c] for c in CHOICES})


def flip_outcome(record: MeetingRecord, data: st.DataObject) -> MeetingRecord:
    """Adopted said rejected or the reverse (not on a tie: that is the casting vote's case)."""

    def untied(i: int) -> bool:
        vote = record.deliberations[i].vote
        return vote is not None and (vote.for_ != vote.against or vote.for_ == 0)

    index = _voted_item(record, data, untied)
    flipped = {Outcome.ADOPTED: Outcome.REJECTED, Outcome.REJECTED: Outcome.ADOPTED}
    return with_item(record, index, outcome=flipped[record.deliberations[index].outcome])


def holder_absent(record: MeetingRecord, data: st.DataObject) -> MeetingRecord:
    """A proxy holder listed absent while the giver is still represented."""
    index, proxy = _with_proxy(record, data)
    assert proxy.holder is not None
    return _move(record, index, [proxy.holder], "present", "absent")


def holder_withdrawn(record: MeetingRecord, data: st.DataObject) -> MeetingRecord:
    """A proxy holder withdraws for an interest yet still represents the giver."""
    index, proxy = _with_proxy(record, data)
    assert proxy.holder is not None
    record = _move(record, index, [proxy.holder], "present", "withdrawn")
    interested = record.deliberations[index].interested
    return with_item(record, index, interested=(*interested, proxy.holder))


def holder_overloaded(record: MeetingRecord, data: st.DataObject) -> MeetingRecord:
    """A holder given a second proxy: retargeted, or from an absent or present member."""
    index, proxy = _with_proxy(record, data)
    att = item_attendance(record, index)
    others = [p for p in att.proxies if p.giver != proxy.giver]
    if others:
        other = data.draw(st.sampled_from(others), label="other proxy")
        moved = tuple(replace(p, holder=proxy.holder) if p == other else p for p in att.proxies)
        return with_attendance(record, index, proxies=moved)
    holders = {p.holder for p in att.proxies}
    pool, src = list(att.absent or ()), "absent"
    if not pool:
        pool, src = [m for m in att.present or () if m not in holders], "present"
    giver = data.draw(st.sampled_from(pool), label="giver")
    record = _move(record, index, [giver], src, "represented")
    extra = Proxy(giver=giver, holder=proxy.holder)
    return with_attendance(record, index, proxies=(*att.proxies, extra))


def giver_present(record: MeetingRecord, data: st.DataObject) -> MeetingRecord:
    """A proxy listed for a member who is present."""
    index = _voted_item(record, data)
    present = item_attendance(record, index).present or ()
    giver, holder = _rnd(data).sample(list(present), 2)
    proxies = item_attendance(record, index).proxies
    return with_attendance(record, index, proxies=(*proxies, Proxy(giver=giver, holder=holder)))


def proxies_counted_plus_one(record: MeetingRecord, data: st.DataObject) -> MeetingRecord:
    """'Dont N procurations' one more than the members represented."""
    index = _voted_item(record, data)
    represented = item_attendance(record, index).represented or ()
    return with_vote(record, index, proxies_counted=len(represented) + 1)


def listed_twice(record: MeetingRecord, data: st.DataObject) -> MeetingRecord:
    """A member of the item listed a second time, in another list."""
    index = _voted_item(record, data)
    att = item_attendance(record, index)
    lists = ("present", "absent", "represented", "withdrawn")
    src = data.draw(st.sampled_from([s for s in lists if getattr(att, s)]), label="from")
    dst = data.draw(st.sampled_from([s for s in lists if s != src]), label="to")
    member = data.draw(st.sampled_from(getattr(att, src)), label="member")
    return with_attendance(record, index, **{dst: (*getattr(att, dst), member)})


def listed_twice_at_opening(record: MeetingRecord, data: st.DataObject) -> MeetingRecord:
    """A member present at the roll call also listed absent."""
    present = record.attendance.present or ()
    member = data.draw(st.sampled_from(present), label="member")
    opening = replace(record.attendance, absent=(*(record.attendance.absent or ()), member))
    return replace(record, attendance=opening)


def stranger_present(record: MeetingRecord, data: st.DataObject) -> MeetingRecord:
    """Someone who holds no seat listed present for an item."""
    index = _voted_item(record, data)
    present = item_attendance(record, index).present or ()
    return with_attendance(record, index, present=(*present, STRANGER))


def stranger_event(record: MeetingRecord, data: st.DataObject) -> MeetingRecord:
    """An event of the meeting about someone who holds no seat."""
    item = data.draw(st.sampled_from(record.deliberations), label="item")
    change = AttendanceChange(member=STRANGER, change=ChangeKind.ARRIVAL, from_item=item.number)
    opening = replace(record.attendance, changes=(*record.attendance.changes, change))
    return replace(record, attendance=opening)


def mandate_ended(record: MeetingRecord, data: st.DataObject) -> MeetingRecord:
    """A member present at the roll call whose mandate ended the day before."""
    member_id = data.draw(st.sampled_from(record.attendance.present or ()), label="member")
    day = record.meeting.date - timedelta(days=1)
    members = tuple(
        replace(m, mandate_start=None, mandate_end=day) if m.id == member_id else m
        for m in record.meeting.members
    )
    return with_meeting(record, members=members)


def in_office_plus_one(record: MeetingRecord, data: st.DataObject) -> MeetingRecord:
    """Members in office one more than the roster."""
    return with_meeting(record, members_in_office=(record.meeting.members_in_office or 0) + 1)


def declared_off_by_one(record: MeetingRecord, data: st.DataObject) -> MeetingRecord:
    """A printed count that differs by one from the names listed."""
    index = _voted_item(record, data)
    att = item_attendance(record, index)
    status = data.draw(st.sampled_from(("present", "absent", "represented", "withdrawn")))
    declared = att.declared or DeclaredCounts()
    listed = len(getattr(att, status) or ())
    count = listed + 1 if listed == 0 else listed + data.draw(st.sampled_from((1, -1)))
    return with_attendance(record, index, declared=replace(declared, **{status: count}))


def no_secretary(record: MeetingRecord, data: st.DataObject) -> MeetingRecord:
    """No secretary appointed."""
    return with_meeting(record, secretaries=())


def no_synthesis_note(record: MeetingRecord, data: st.DataObject) -> MeetingRecord:
    """The convocation went without the note of synthesis."""
    return with_meeting(record, synthesis_note_sent=False)


def convocation_late(record: MeetingRecord, data: st.DataObject) -> MeetingRecord:
    """The convocation sent 2 clear days before the meeting."""
    return with_meeting(record, convocation_date=record.meeting.date - timedelta(days=3))


def proxy_too_old(record: MeetingRecord, data: st.DataObject) -> MeetingRecord:
    """A written proxy (no illness) covering four meetings."""
    proxies = record.attendance.proxies
    assume(proxies)
    target = data.draw(st.sampled_from(proxies), label="proxy")
    day = record.meeting.date
    covers = tuple(day + timedelta(days=30 * k) for k in range(4))
    old = replace(target, covers=covers, illness=None)
    opening = replace(record.attendance, proxies=tuple(old if p == target else p for p in proxies))
    return replace(record, attendance=opening)


def unanimity_with_against(record: MeetingRecord, data: st.DataObject) -> MeetingRecord:
    """'À l'unanimité' printed while votes are against (one added if there were none)."""
    index = _voted_item(record, data)
    vote = record.deliberations[index].vote
    assert vote is not None
    return with_vote(record, index, unanimous=True, against=max(1, vote.against or 0))


def interested_took_part(record: MeetingRecord, data: st.DataObject) -> MeetingRecord:
    """An interested member present rather than withdrawn (or a present member interested)."""
    index = _voted_item(record, data)
    att = item_attendance(record, index)
    if att.withdrawn:
        member = data.draw(st.sampled_from(att.withdrawn), label="member")
        return _move(record, index, [member], "withdrawn", "present")
    member = data.draw(st.sampled_from(att.present or ()), label="member")
    interested = record.deliberations[index].interested
    return with_item(record, index, interested=(*interested, member))


def _tied(voters: int) -> dict[str, int]:
    half = voters // 2
    return {"for_": half, "against": half, "abstention": voters % 2, "not_voting": 0}


def secret_tie_adopted(record: MeetingRecord, data: st.DataObject) -> MeetingRecord:
    """A secret ballot split evenly, said adopted."""
    index = _voted_item(record, data)
    vote = record.deliberations[index].vote
    assert vote is not None
    voters = len(ballots(item_attendance(record, index)))
    secret = Vote(mode=VoteMode.SECRET, proxies_counted=vote.proxies_counted, **_tied(voters))
    return with_item(record, index, vote=secret, outcome=Outcome.ADOPTED)


def casting_vote_ignored(record: MeetingRecord, data: st.DataObject) -> MeetingRecord:
    """A show of hands split evenly, the president against, said adopted."""
    index = _voted_item(record, data)
    vote = record.deliberations[index].vote
    assert vote is not None
    voters = len(ballots(item_attendance(record, index)))
    tied = Vote(
        mode=VoteMode.SHOW_OF_HANDS,
        proxies_counted=vote.proxies_counted,
        president_vote=VoteChoice.AGAINST,
        **_tied(voters),
    )
    return with_item(record, index, vote=tied, outcome=Outcome.ADOPTED)


def public_without_names(record: MeetingRecord, data: st.DataObject) -> MeetingRecord:
    """A public ballot whose minutes do not name the voters."""
    index = _voted_item(record, data)
    return with_vote(record, index, mode=VoteMode.PUBLIC, named_votes=(), secret_requested_by=())


def public_requested_ignored(record: MeetingRecord, data: st.DataObject) -> MeetingRecord:
    """A quarter of the present asked for a public ballot; the vote was by show of hands."""
    index = _voted_item(record, data)
    present = list(item_attendance(record, index).present or ())
    askers = _rnd(data).sample(present, (len(present) + 3) // 4)
    return with_vote(
        record,
        index,
        mode=VoteMode.SHOW_OF_HANDS,
        public_requested_by=tuple(askers),
        secret_requested_by=(),
    )


def secret_requested_ignored(record: MeetingRecord, data: st.DataObject) -> MeetingRecord:
    """A third of the present asked for a secret ballot; the vote was by show of hands."""
    index = _voted_item(record, data)
    present = list(item_attendance(record, index).present or ())
    askers = _rnd(data).sample(present, (len(present) + 2) // 3)
    return with_vote(record, index, mode=VoteMode.SHOW_OF_HANDS, secret_requested_by=tuple(askers))


def named_vote_changed(record: MeetingRecord, data: st.DataObject) -> MeetingRecord:
    """One named vote says something else than the tally (named votes added if none)."""
    index = _voted_item(record, data)
    vote = record.deliberations[index].vote
    assert vote is not None
    votes = vote.named_votes or named_votes(
        item_attendance(record, index), tally_of(vote), _rnd(data)
    )
    position = data.draw(st.integers(0, len(votes) - 1), label="named vote")
    old = votes[position]
    choice = data.draw(st.sampled_from([c for c in CHOICES if c is not old.choice]))
    changed = (*votes[:position], replace(old, choice=choice), *votes[position + 1 :])
    return with_vote(record, index, named_votes=changed)


def named_vote_for_absent_giver(record: MeetingRecord, data: st.DataObject) -> MeetingRecord:
    """A present member votes 'on behalf of' an absent member who gave no proxy."""
    index = _voted_item(record, data, lambda i: bool(item_attendance(record, i).absent))
    att = item_attendance(record, index)
    vote = record.deliberations[index].vote
    assert vote is not None
    votes = vote.named_votes or named_votes(att, tally_of(vote), _rnd(data))
    member = data.draw(st.sampled_from(att.present or ()), label="member")
    giver = data.draw(st.sampled_from(att.absent or ()), label="giver")
    extra = NamedVote(member=member, choice=VoteChoice.ABSTENTION, on_behalf_of=giver)
    counts = tally_of(vote)
    counts[VoteChoice.ABSTENTION] += 1
    return with_vote(
        record, index, named_votes=(*votes, extra), abstention=counts[VoteChoice.ABSTENTION]
    )


def substitute_not_theirs(record: MeetingRecord, data: st.DataObject) -> MeetingRecord:
    """A member listed as sitting for another one whose substitute they are not."""
    index = _voted_item(record, data)
    att = item_attendance(record, index)
    titular, substitute = _rnd(data).sample([m.id for m in record.meeting.members], 2)
    sub = Substitution(titular=titular, substitute=substitute)
    return with_attendance(record, index, substitutes=(*att.substitutes, sub))


# --- events of the meeting: the items' attendance is derived again ---------------------


def _derived(record: MeetingRecord) -> MeetingRecord:
    """Every item's attendance left to derive from the roll call and the events.

    A no-op for a consistent meeting: stored attendances are the derived ones.
    """
    items = tuple(replace(item, attendance=None) for item in record.deliberations)
    return replace(record, deliberations=items)


def _with_events(record: MeetingRecord, *changes: AttendanceChange) -> MeetingRecord:
    opening = replace(record.attendance, changes=(*record.attendance.changes, *changes))
    return _derived(replace(record, attendance=opening))


def departures_break_quorum(record: MeetingRecord, data: st.DataObject) -> MeetingRecord:
    """Departures recorded before an item, leaving it one short of the quorum."""
    index = _voted_item(record, data)
    att = item_attendance(record, index)
    holders = {p.holder for p in att.proxies}
    movable = [m for m in att.present or () if m not in holders]
    count = len(att.present or ()) - quorum(record.meeting.members_in_office or 0) + 1
    assume(len(movable) >= count)
    number = record.deliberations[index].number
    changes = [
        AttendanceChange(member=m, change=ChangeKind.DEPARTURE, from_item=number)
        for m in _rnd(data).sample(movable, count)
    ]
    return _with_events(record, *changes)


def leaving_proxy_to_holder(record: MeetingRecord, data: st.DataObject) -> MeetingRecord:
    """A member leaving gives a proxy to someone who already holds one."""
    index, proxy = _with_proxy(record, data)
    present = item_attendance(record, index).present or ()
    leaver = data.draw(st.sampled_from([m for m in present if m != proxy.holder]), label="leaver")
    change = AttendanceChange(
        member=leaver,
        change=ChangeKind.PROXY_ON_LEAVING,
        from_item=record.deliberations[index].number,
        holder=proxy.holder,
    )
    return _with_events(record, change)


def leaving_proxy_to_absent(record: MeetingRecord, data: st.DataObject) -> MeetingRecord:
    """A member leaving gives a proxy to someone absent for the item."""
    index = _voted_item(record, data, lambda i: bool(item_attendance(record, i).absent))
    att = item_attendance(record, index)
    change = AttendanceChange(
        member=data.draw(st.sampled_from(att.present or ()), label="leaver"),
        change=ChangeKind.PROXY_ON_LEAVING,
        from_item=record.deliberations[index].number,
        holder=data.draw(st.sampled_from(att.absent or ()), label="holder"),
    )
    return _with_events(record, change)


# --- the roll call, ballot requests, substitutes, interest by proxy --------------------


def opening_giver_present(record: MeetingRecord, data: st.DataObject) -> MeetingRecord:
    """At the roll call, a proxy's giver listed present (the proxy still printed)."""
    opening = record.attendance
    giver = data.draw(st.sampled_from(opening.represented or ()), label="giver")
    opening = replace(
        opening,
        present=(*(opening.present or ()), giver),
        represented=tuple(m for m in opening.represented or () if m != giver),
        declared=None,
    )
    return _derived(replace(record, attendance=opening))


def stranger_requests_public(record: MeetingRecord, data: st.DataObject) -> MeetingRecord:
    """Someone who holds no seat among those asking for a public ballot."""
    index = _voted_item(record, data)
    vote = record.deliberations[index].vote
    assert vote is not None
    return with_vote(record, index, public_requested_by=(*vote.public_requested_by, STRANGER))


def stranger_substitute(record: MeetingRecord, data: st.DataObject) -> MeetingRecord:
    """Someone who holds no seat (and is no one's substitute) sitting for a member."""
    index = _voted_item(record, data)
    att = item_attendance(record, index)
    titular = data.draw(st.sampled_from([m.id for m in record.meeting.members]), label="titular")
    sub = Substitution(titular=titular, substitute=STRANGER)
    return with_attendance(record, index, substitutes=(*att.substitutes, sub))


def interested_votes_by_proxy(record: MeetingRecord, data: st.DataObject) -> MeetingRecord:
    """A represented member, interested in the item, whose holder votes for them."""
    index, proxy = _with_proxy(record, data)
    interested = record.deliberations[index].interested
    return with_item(record, index, interested=(*interested, proxy.giver))


INJECTIONS: tuple[tuple[Injection, Code], ...] = (
    (break_quorum, Code.QUORUM_NOT_REACHED),
    (tally_plus_one, Code.TALLY_EXCEEDS_VOTERS),
    (tally_minus_one, Code.TALLY_INCOMPLETE),
    (flip_outcome, Code.OUTCOME_INCONSISTENT),
    (holder_absent, Code.PROXY_HOLDER_ABSENT),
    (holder_withdrawn, Code.PROXY_INTERESTED_HOLDER),
    (holder_overloaded, Code.PROXY_HOLDER_OVERLOADED),
    (giver_present, Code.PROXY_GIVER_PRESENT),
    (proxies_counted_plus_one, Code.PROXY_COUNT_MISMATCH),
    (proxy_too_old, Code.PROXY_TOO_OLD),
    (listed_twice, Code.MEMBER_LISTED_TWICE),
    (listed_twice_at_opening, Code.MEMBER_LISTED_TWICE),
    (stranger_present, Code.MEMBER_NOT_IN_OFFICE),
    (stranger_event, Code.MEMBER_NOT_IN_OFFICE),
    (mandate_ended, Code.MEMBER_NOT_IN_OFFICE),
    (in_office_plus_one, Code.ATTENDANCE_TOTAL_MISMATCH),
    (declared_off_by_one, Code.ATTENDANCE_TOTAL_MISMATCH),
    (substitute_not_theirs, Code.SUBSTITUTE_NOT_ALLOWED),
    (no_secretary, Code.SECRETARY_MISSING),
    (no_synthesis_note, Code.SYNTHESIS_NOTE_MISSING),
    (convocation_late, Code.CONVOCATION_TOO_LATE),
    (unanimity_with_against, Code.UNANIMITY_CLAIM_FALSE),
    (interested_took_part, Code.INTERESTED_MEMBER_VOTED),
    (secret_tie_adopted, Code.TIE_CASTING_VOTE),
    (casting_vote_ignored, Code.TIE_CASTING_VOTE),
    (public_without_names, Code.NAMED_VOTES_MISSING),
    (public_requested_ignored, Code.NAMED_VOTES_MISSING),
    (secret_requested_ignored, Code.SECRET_BALLOT_REQUIRED),
    (named_vote_changed, Code.NAMED_VOTES_INCONSISTENT),
    (named_vote_for_absent_giver, Code.NAMED_VOTES_INCONSISTENT),
    (departures_break_quorum, Code.QUORUM_NOT_REACHED),
    (leaving_proxy_to_holder, Code.PROXY_HOLDER_OVERLOADED),
    (leaving_proxy_to_absent, Code.PROXY_HOLDER_ABSENT),
    (opening_giver_present, Code.PROXY_GIVER_PRESENT),
    (stranger_requests_public, Code.MEMBER_NOT_IN_OFFICE),
    (stranger_substitute, Code.SUBSTITUTE_NOT_ALLOWED),
    (interested_votes_by_proxy, Code.INTERESTED_MEMBER_VOTED),
)


@pytest.mark.parametrize(
    ("inject", "code"), INJECTIONS, ids=[inject.__name__ for inject, _ in INJECTIONS]
)
@given(record=consistent_meetings(min_proxies=1), data=st.data())
def test_injected_fault_is_reported(
    inject: Injection, code: Code, record: MeetingRecord, data: st.DataObject
) -> None:
    broken = inject(record, data)
    findings = check(broken)
    assert code in {f.code for f in _serious(findings)}, _explain(findings)


def test_injections_cover_at_least_twelve_codes() -> None:
    assert len({code for _, code in INJECTIONS}) >= 12
