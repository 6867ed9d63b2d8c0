"""The Dijon record checks clean; each single-fact perturbation yields exactly its codes.

Findings are compared as exact sets of (code, severity): a perturbation that
produced one code too many, or the right code at the wrong severity, fails.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import date

import pytest

from factories import (
    add_proxy,
    dijon_record,
    earlier_meeting,
    holders,
    item,
    move,
    named_votes_for_all,
    plain_present,
    with_attendance,
    with_item,
    with_meeting,
    with_vote,
)
from registre.record import (
    Appointment,
    Candidate,
    CandidateVotes,
    DeclaredCounts,
    DocumentKind,
    EventKind,
    LifecycleEvent,
    MeetingRecord,
    Member,
    Outcome,
    Proxy,
    Round,
    SignerCapacity,
    Substitution,
    VoteChoice,
    VoteMode,
)
from registre.rules import Code, Severity, check

E, W, I = Severity.ERROR, Severity.WARNING, Severity.INFO
BASE = {(Code.SYNTHESIS_NOTE_MISSING, I)}  # the extract does not say whether it was sent
RETY, TONOT, RUET = "jean-marc-rety", "celine-tonot", "guillaume-ruet"
MASSON = "jean-patrick-masson"


def codes(record: MeetingRecord, **kwargs: object) -> set[tuple[Code, Severity]]:
    return {(f.code, f.severity) for f in check(record, **kwargs)}  # type: ignore[arg-type]


def test_dijon_checks_clean() -> None:
    assert codes(dijon_record()) == BASE


def _quorum_broken(r: MeetingRecord) -> MeetingRecord:
    r = move(r, plain_present(r, 32), "present", "absent")
    return with_vote(r, for_=52)


def _appointment(
    younger_wins: bool, mode: VoteMode | None = VoteMode.SECRET
) -> Callable[[MeetingRecord], MeetingRecord]:
    def build(r: MeetingRecord) -> MeetingRecord:
        elder = Candidate(id="a", name="Anne AÎNÉE", birth_date=date(1950, 1, 1))
        younger = Candidate(id="b", name="Bruno CADET", birth_date=date(1970, 1, 1))
        tied = (CandidateVotes(candidate="a", votes=42), CandidateVotes(candidate="b", votes=42))
        rounds = (
            Round(number=1, votes=tied),
            Round(number=2, votes=tied),
            Round(number=3, votes=tied, elected=("b",) if younger_wins else ("a",)),
        )
        appointment = Appointment(seats=1, candidates=(elder, younger), rounds=rounds)
        return with_vote(
            r,
            mode=mode,
            for_=None,
            against=None,
            abstention=None,
            not_voting=None,
            appointment=appointment,
        )

    return build


def _tie(
    president: VoteChoice | None, outcome: Outcome, mode: VoteMode | None = None
) -> Callable[[MeetingRecord], MeetingRecord]:
    def build(r: MeetingRecord) -> MeetingRecord:
        r = with_vote(r, for_=42, against=42, president_vote=president, mode=mode)
        return with_item(r, outcome=outcome)

    return build


def _requesters(count: int) -> Callable[[MeetingRecord], tuple[str, ...]]:
    def pick(r: MeetingRecord) -> tuple[str, ...]:
        present = item(r).attendance.present  # type: ignore[union-attr]
        return tuple(present[:count])  # type: ignore[index]

    return pick


def _stranger_replaces(r: MeetingRecord) -> MeetingRecord:
    present = tuple(
        "jean-dupont" if m == "francois-deseille" else m for m in item(r).attendance.present
    )  # type: ignore[union-attr]
    return with_attendance(r, present=present)


def _mandate_ended(r: MeetingRecord) -> MeetingRecord:
    members = tuple(
        replace(m, mandate_end=date(2023, 10, 1)) if m.id == "francois-deseille" else m
        for m in r.meeting.members
    )
    return with_meeting(r, members=members)


def _substitute(r: MeetingRecord) -> MeetingRecord:
    sub = Member(
        id="paul-supplant",
        last_name="SUPPLANT",
        first_name="Paul",
        substitute_for="catherine-victor",
    )
    r = with_meeting(r, members=(*r.meeting.members, sub))
    r = move(r, ["catherine-victor"], "absent", "present")
    r = with_vote(r, for_=85)
    return with_attendance(
        r, substitutes=(Substitution(titular="catherine-victor", substitute="paul-supplant"),)
    )


def _old_proxy(r: MeetingRecord) -> tuple[MeetingRecord, dict[str, object]]:
    signed = date(2023, 9, 1)
    proxies = tuple(
        replace(p, given_on=signed) if p.giver == TONOT else p for p in r.attendance.proxies
    )
    r = replace(r, attendance=replace(r.attendance, proxies=proxies))
    history = [
        earlier_meeting(r, d) for d in (date(2023, 9, 21), date(2023, 10, 12), date(2023, 11, 9))
    ]
    return r, {"history": history}


def _covers_four(r: MeetingRecord) -> MeetingRecord:
    days = tuple(date(2023, m, 20) for m in (9, 10, 11, 12))
    proxies = tuple(
        replace(p, covers=days) if p.giver == TONOT else p for p in r.attendance.proxies
    )
    return replace(r, attendance=replace(r.attendance, proxies=proxies))


def _events(*, complete: bool) -> list[LifecycleEvent]:
    number = "20231123_01"
    signed = [
        LifecycleEvent(
            kind=EventKind.SIGNED,
            on=date(2023, 11, 24),
            deliberation=number,
            signer="francois-rebsamen",
            capacity=SignerCapacity.PRESIDENT,
        ),
        LifecycleEvent(
            kind=EventKind.SIGNED,
            on=date(2023, 11, 24),
            deliberation=number,
            signer="antoine-hoareau",
            capacity=SignerCapacity.SECRETARY,
        ),
    ]
    rest = [
        LifecycleEvent(
            kind=EventKind.PUBLISHED, on=date(2023, 11, 27), document=DocumentKind.DELIBERATION_LIST
        ),
        LifecycleEvent(kind=EventKind.MINUTES_ADOPTED, on=date(2023, 12, 14)),
        LifecycleEvent(
            kind=EventKind.PUBLISHED, on=date(2023, 12, 18), document=DocumentKind.MINUTES
        ),
        LifecycleEvent(
            kind=EventKind.PUBLISHED,
            on=date(2023, 11, 28),
            deliberation=number,
            document=DocumentKind.EXTRACT,
        ),
        LifecycleEvent(
            kind=EventKind.TRANSMITTED,
            on=date(2023, 11, 27),
            deliberation=number,
            act_id="021-242100410-20231123-20231123_01-DE",
        ),
    ]
    return signed + rest if complete else signed[:1]


Perturb = Callable[[MeetingRecord], MeetingRecord | tuple[MeetingRecord, dict[str, object]]]

PERTURBATIONS: list[tuple[str, Perturb, set[tuple[Code, Severity]]]] = [
    (
        "proxy holder made absent",
        lambda r: move(r, [RETY], "present", "absent"),
        BASE | {(Code.PROXY_HOLDER_ABSENT, E), (Code.TALLY_EXCEEDS_VOTERS, E)},
    ),
    (
        "second proxy to the same holder",
        lambda r: with_attendance(
            r,
            proxies=tuple(
                replace(p, holder=RETY) if p.giver == RUET else p
                for p in item(r).attendance.proxies
            ),
        ),  # type: ignore[union-attr]
        BASE | {(Code.PROXY_HOLDER_OVERLOADED, E)},
    ),
    ("43 present", _quorum_broken, BASE | {(Code.QUORUM_NOT_REACHED, E)}),
    (
        "43 present on a second convocation",
        lambda r: with_meeting(_quorum_broken(r), second_convocation=True),
        BASE | {(Code.QUORUM_SECOND_CONVOCATION, I)},
    ),
    (
        "43 present but the item is postponed",
        lambda r: with_item(_quorum_broken(r), outcome=Outcome.POSTPONED),
        BASE,
    ),
    ("a tally of 85", lambda r: with_vote(r, for_=85), BASE | {(Code.TALLY_EXCEEDS_VOTERS, E)}),
    ("a tally of 80", lambda r: with_vote(r, for_=80), BASE | {(Code.TALLY_INCOMPLETE, W)}),
    (
        "a tally of 80, not voting unknown",
        lambda r: with_vote(r, for_=80, not_voting=None),
        BASE | {(Code.TALLY_INCOMPLETE, I)},
    ),
    (
        "a tie with the president voting for",
        _tie(VoteChoice.FOR, Outcome.ADOPTED),
        BASE | {(Code.TIE_CASTING_VOTE, I)},
    ),
    (
        "a tie rejected although the president voted for",
        _tie(VoteChoice.FOR, Outcome.REJECTED),
        BASE | {(Code.TIE_CASTING_VOTE, E)},
    ),
    (
        "the same tie in a secret ballot",
        _tie(None, Outcome.ADOPTED, VoteMode.SECRET),
        BASE | {(Code.TIE_CASTING_VOTE, E)},
    ),
    (
        "a tie, president's vote unknown",
        _tie(None, Outcome.ADOPTED),
        BASE | {(Code.TIE_CASTING_VOTE, I)},
    ),
    (
        "an appointment tied at round 3, the younger elected",
        _appointment(younger_wins=True),
        BASE | {(Code.OUTCOME_INCONSISTENT, E)},
    ),
    ("an appointment tied at round 3, the eldest elected", _appointment(younger_wins=False), BASE),
    (
        "an appointment by show of hands",
        _appointment(False, VoteMode.SHOW_OF_HANDS),
        BASE | {(Code.SECRET_BALLOT_REQUIRED, E)},
    ),
    (
        "rejected with 84 for",
        lambda r: with_item(r, outcome=Outcome.REJECTED),
        BASE | {(Code.OUTCOME_INCONSISTENT, E)},
    ),
    (
        "unanimity claimed with one against",
        lambda r: with_vote(r, for_=83, against=1, unanimous=True),
        BASE | {(Code.UNANIMITY_CLAIM_FALSE, E)},
    ),
    (
        "a convocation sent 4 clear days before",
        lambda r: with_meeting(r, convocation_date=date(2023, 11, 18)),
        BASE | {(Code.CONVOCATION_TOO_LATE, E)},
    ),
    (
        "a convocation sent after the meeting",
        lambda r: with_meeting(r, convocation_date=date(2023, 11, 24)),
        BASE | {(Code.CONVOCATION_TOO_LATE, E)},
    ),
    (
        "no note of synthesis",
        lambda r: with_meeting(r, synthesis_note_sent=False),
        {(Code.SYNTHESIS_NOTE_MISSING, E)},
    ),
    (
        "no secretary",
        lambda r: with_meeting(r, secretaries=()),
        BASE | {(Code.SECRETARY_MISSING, E)},
    ),
    (
        "a member both present and represented",
        lambda r: add_proxy(r, "pierre-pribetich", "thierry-falconnet"),
        BASE
        | {
            (Code.MEMBER_LISTED_TWICE, E),
            (Code.PROXY_GIVER_PRESENT, E),
            (Code.PROXY_COUNT_MISMATCH, E),
        },
    ),
    (
        "a member listed twice as present",
        lambda r: with_attendance(r, present=(*item(r).attendance.present, MASSON)),  # type: ignore[union-attr]
        BASE | {(Code.MEMBER_LISTED_TWICE, E)},
    ),
    (
        "a proxy giver listed present",
        lambda r: move(r, [TONOT], "represented", "present"),
        BASE | {(Code.PROXY_GIVER_PRESENT, E), (Code.PROXY_COUNT_MISMATCH, E)},
    ),
    (
        "dont 10 procurations",
        lambda r: with_vote(r, proxies_counted=10),
        BASE | {(Code.PROXY_COUNT_MISMATCH, E)},
    ),
    (
        "named votes for everyone",
        lambda r: with_vote(named_votes_for_all(r), mode=VoteMode.PUBLIC),
        BASE,
    ),
    (
        "a withdrawn member who votes",
        lambda r: with_item(
            move(
                with_vote(named_votes_for_all(r), mode=VoteMode.PUBLIC),
                [MASSON],
                "present",
                "withdrawn",
            ),
            interested=(MASSON,),
        ),
        BASE | {(Code.INTERESTED_MEMBER_VOTED, E), (Code.TALLY_EXCEEDS_VOTERS, E)},
    ),
    (
        "an interested member who stays",
        lambda r: with_item(r, interested=(MASSON,)),
        BASE | {(Code.INTERESTED_MEMBER_VOTED, E)},
    ),
    (
        "a proxy holder withdrawn for interest",
        lambda r: move(r, [RETY], "present", "withdrawn"),
        BASE | {(Code.PROXY_INTERESTED_HOLDER, E), (Code.TALLY_EXCEEDS_VOTERS, E)},
    ),
    (
        "a named vote changed",
        lambda r: with_vote(
            named_votes_for_all(r),
            mode=VoteMode.PUBLIC,
            named_votes=tuple(
                replace(n, choice=VoteChoice.AGAINST) if n.member == MASSON else n
                for n in item(named_votes_for_all(r)).vote.named_votes
            ),
        ),  # type: ignore[union-attr]
        BASE | {(Code.NAMED_VOTES_INCONSISTENT, E)},
    ),
    (
        "a public ballot without names",
        lambda r: with_vote(r, mode=VoteMode.PUBLIC),
        BASE | {(Code.NAMED_VOTES_MISSING, W)},
    ),
    (
        "a public ballot requested by a quarter, not held",
        lambda r: with_vote(r, mode=VoteMode.SHOW_OF_HANDS, public_requested_by=_requesters(19)(r)),
        BASE | {(Code.NAMED_VOTES_MISSING, E)},
    ),
    (
        "a public ballot requested by fewer than a quarter",
        lambda r: with_vote(r, mode=VoteMode.SHOW_OF_HANDS, public_requested_by=_requesters(18)(r)),
        BASE,
    ),
    (
        "a secret ballot requested by a third, not held",
        lambda r: with_vote(r, mode=VoteMode.SHOW_OF_HANDS, secret_requested_by=_requesters(25)(r)),
        BASE | {(Code.SECRET_BALLOT_REQUIRED, E)},
    ),
    ("a stranger in the present list", _stranger_replaces, BASE | {(Code.MEMBER_NOT_IN_OFFICE, E)}),
    (
        "a present member whose mandate ended",
        _mandate_ended,
        BASE | {(Code.MEMBER_NOT_IN_OFFICE, E), (Code.ATTENDANCE_TOTAL_MISMATCH, E)},
    ),
    (
        "an absent member forgotten",
        lambda r: with_attendance(r, absent=("frederic-goulier",)),
        BASE | {(Code.ATTENDANCE_TOTAL_MISMATCH, E)},
    ),
    (
        "87 members in office",
        lambda r: with_meeting(r, members_in_office=87),
        BASE | {(Code.ATTENDANCE_TOTAL_MISMATCH, E)},
    ),
    (
        "76 present declared at the opening",
        lambda r: replace(
            r, attendance=replace(r.attendance, declared=DeclaredCounts(present=76, represented=9))
        ),
        BASE | {(Code.ATTENDANCE_TOTAL_MISMATCH, E)},
    ),
    (
        "present members not named",
        lambda r: with_attendance(r, present=None),
        BASE | {(Code.QUORUM_NOT_REACHED, I), (Code.ATTENDANCE_TOTAL_MISMATCH, I)},
    ),
    ("a substitute in a métropole", _substitute, BASE | {(Code.SUBSTITUTE_NOT_ALLOWED, E)}),
    # the 8 other proxies recur too, but without a date of signature nobody can
    # tell a renewed proxy from the same one: information only
    (
        "a proxy used for a 4th consecutive meeting",
        _old_proxy,
        BASE | {(Code.PROXY_TOO_OLD, E), (Code.PROXY_TOO_OLD, I)},
    ),
    ("a proxy covering 4 meetings", _covers_four, BASE | {(Code.PROXY_TOO_OLD, E)}),
    (
        "a proxy used again, illness",
        lambda r: replace(
            _covers_four(r),
            attendance=replace(
                _covers_four(r).attendance,
                proxies=tuple(replace(p, illness=True) for p in _covers_four(r).attendance.proxies),
            ),
        ),
        BASE,
    ),
    (
        "a member answering present at the roll call keeps a proxy",
        lambda r: replace(
            r,
            attendance=replace(
                r.attendance,
                present=(*r.attendance.present, TONOT),  # type: ignore[misc]
                represented=tuple(m for m in r.attendance.represented if m != TONOT),  # type: ignore[union-attr]
            ),
        ),
        BASE | {(Code.PROXY_GIVER_PRESENT, E), (Code.ATTENDANCE_TOTAL_MISMATCH, E)},
    ),
    (
        "a stranger requests a public ballot",
        lambda r: with_vote(r, public_requested_by=("jean-dupont",)),
        BASE | {(Code.MEMBER_NOT_IN_OFFICE, E)},
    ),
    (
        "an interested member votes by proxy",
        lambda r: with_item(r, interested=(TONOT,)),
        BASE | {(Code.INTERESTED_MEMBER_VOTED, E)},
    ),
    (
        "a stranger as rapporteur",
        lambda r: with_item(r, rapporteur="jean-dupont"),
        BASE | {(Code.MEMBER_NOT_IN_OFFICE, E)},
    ),
    (
        "a secret ballot asked by 23 present and 2 absent members (a third needs 25 present)",
        lambda r: with_vote(
            r,
            mode=VoteMode.SHOW_OF_HANDS,
            secret_requested_by=("catherine-victor", "frederic-goulier", *_requesters(23)(r)),
        ),
        BASE,
    ),
    (
        "holder of no proxy made absent",
        lambda r: move(r, plain_present(r, 1), "present", "absent"),
        BASE | {(Code.TALLY_EXCEEDS_VOTERS, E)},
    ),
]


@pytest.mark.parametrize(
    ("name", "perturb", "expected"), PERTURBATIONS, ids=[p[0] for p in PERTURBATIONS]
)
def test_perturbation_yields_exactly(
    name: str, perturb: Perturb, expected: set[tuple[Code, Severity]]
) -> None:
    result = perturb(dijon_record())
    record, kwargs = result if isinstance(result, tuple) else (result, {})
    assert codes(record, **kwargs) == expected


def test_table_covers_enough_codes() -> None:
    covered = {code for _, _, expected in PERTURBATIONS for code, _ in expected}
    assert len(PERTURBATIONS) >= 25
    assert len(covered) >= 22


LIFECYCLE = [
    (
        "nothing done three weeks later",
        date(2023, 12, 15),
        [],
        {
            (Code.LIST_NOT_PUBLISHED, W),
            (Code.MINUTES_NOT_PUBLISHED, I),
            (Code.SIGNATURE_MISSING, W),
            (Code.NOT_ENFORCEABLE_YET, I),
        },
    ),
    (
        "the day after, signed by the president only",
        date(2023, 11, 24),
        _events(complete=False),
        {
            (Code.MINUTES_NOT_PUBLISHED, I),
            (Code.SIGNATURE_MISSING, W),
            (Code.NOT_ENFORCEABLE_YET, I),
        },
    ),
    ("everything done in time", date(2024, 1, 10), _events(complete=True), set()),
    (
        "events after the date judged are ignored",
        date(2023, 11, 25),
        _events(complete=True),
        {(Code.MINUTES_NOT_PUBLISHED, I), (Code.NOT_ENFORCEABLE_YET, I)},
    ),
]


@pytest.mark.parametrize(
    ("name", "as_of", "events", "expected"), LIFECYCLE, ids=[x[0] for x in LIFECYCLE]
)
def test_lifecycle_as_of(
    name: str, as_of: date, events: list[LifecycleEvent], expected: set[tuple[Code, Severity]]
) -> None:
    assert codes(dijon_record(), as_of=as_of, events=events) == BASE | expected


def test_holders_fixture_sanity() -> None:
    record = dijon_record()
    assert RETY in holders(record)
    assert Proxy(giver=TONOT, holder=RETY) in item(record).attendance.proxies  # type: ignore[union-attr]
