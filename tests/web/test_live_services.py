"""The live meeting through its services: the Dijon meeting replayed gives back its
attendance, proxies and vote in the register; the law's refusals name their article."""

from __future__ import annotations

from typing import Any

import pytest
from webfactories import CLOCK, make_collectivity, make_item, make_meeting, make_member, make_user

from registre.record import ChangeKind, loads
from registre.register import verify
from registre.rules import Severity, check
from registre.web.core.services import ServiceError
from registre.web.demo import demo_record, load_demo
from registre.web.live import services
from registre.web.live.models import ItemVote, Presence
from registre.web.live.record import references
from registre.web.live.register import assembly_key, open_store
from registre.web.meetings.models import Meeting
from registre.web.members.models import Member

# the register keeps its own connection: the application's tables must be committed
pytestmark = pytest.mark.django_db(transaction=True)


def _members_by_ref(collectivity: Any) -> dict[str, Member]:
    members = list(Member.objects.filter(collectivity=collectivity))
    refs = references(members)
    return {refs[m.pk]: m for m in members}


def test_the_dijon_meeting_replayed_through_the_services() -> None:
    demo, expected = load_demo(CLOCK), demo_record()
    meeting = Meeting.objects.get(pk=demo.meeting_id)
    clerk = meeting.collectivity.memberships.get().user
    by_ref = _members_by_ref(meeting.collectivity)
    opening = expected.attendance
    sitting = services.open_sitting(clerk, CLOCK, meeting, by_ref[expected.meeting.president],
                                    [by_ref[s] for s in expected.meeting.secretaries or ()])  # fmt: skip
    for ref in opening.present or ():
        services.call_roll(clerk, CLOCK, sitting, by_ref[ref], Presence.PRESENT)
    for ref in opening.absent or ():
        services.call_roll(clerk, CLOCK, sitting, by_ref[ref], Presence.EXCUSED)
    for proxy in opening.proxies:
        services.give_proxy(clerk, CLOCK, sitting, by_ref[proxy.giver], by_ref[proxy.holder])
    item = meeting.items.get()
    vote = expected.deliberations[0].vote
    assert vote is not None
    services.record_vote(clerk, CLOCK, sitting, item, for_=vote.for_, against=vote.against,
                         abstention=vote.abstention, not_voting=vote.not_voting)  # fmt: skip
    closed = services.close_item(clerk, CLOCK, sitting, item)
    assert closed.outcome == "adopted" and closed.register_sequence == 1
    store = open_store()
    try:
        [entry] = list(store.entries(assembly_key(meeting.assembly)))  # type: ignore[attr-defined]
        assert verify(store.entries()).ok  # type: ignore[attr-defined]
    finally:
        store.close()  # type: ignore[attr-defined]
    frozen = loads(entry.payload.decode("utf-8"))
    got = frozen.attendance
    assert len(got.present or ()) == 75 and len(got.proxies) == 9
    assert got.present == opening.present and got.absent == opening.absent
    assert got.represented == opening.represented and got.proxies == opening.proxies
    assert frozen.meeting.president == expected.meeting.president
    assert frozen.meeting.secretaries == expected.meeting.secretaries
    [item_record] = frozen.deliberations
    assert item_record.number == expected.deliberations[0].number
    assert item_record.subject == expected.deliberations[0].subject
    assert (item_record.vote.for_, item_record.vote.against, item_record.vote.abstention,  # type: ignore[union-attr]
            item_record.vote.not_voting) == (84, 0, 0, 0)  # type: ignore[union-attr]  # fmt: skip
    assert item_record.outcome == expected.deliberations[0].outcome
    assert not [f for f in check(frozen) if f.severity is Severity.ERROR]


def _opened(count: int = 5) -> tuple[Any, Any, list[Any], Any, Any]:
    town = make_collectivity()
    clerk = make_user(town)
    members = [make_member(clerk, town, last=f"ELU{i}", first="Jo").member for i in range(count)]
    meeting = make_meeting(clerk, town)
    items = [make_item(clerk, town, f"Point {i}", meeting=meeting) for i in (1, 2)]
    sitting = services.open_sitting(clerk, CLOCK, meeting, members[0], [members[1]])
    return clerk, sitting, members, items, town


def test_refusals_name_their_article() -> None:
    clerk, sitting, m, items, _ = _opened(6)
    for member in m[:4]:
        services.call_roll(clerk, CLOCK, sitting, member, Presence.PRESENT)
    with pytest.raises(ServiceError, match=r"mandataire doit être présent.*L2121-20"):
        services.give_proxy(clerk, CLOCK, sitting, m[4], m[5])  # to an absent member
    services.give_proxy(clerk, CLOCK, sitting, m[4], m[2])
    with pytest.raises(ServiceError, match=r"un seul pouvoir.*L2121-20"):
        services.give_proxy(clerk, CLOCK, sitting, m[5], m[2])  # a second one to the same holder
    with pytest.raises(ServiceError, match=r"L2121-20"):
        services.record_vote(clerk, CLOCK, sitting, items[0], for_=6, against=0, abstention=0,
                             not_voting=0)  # 4 present + 1 represented: 5 voters  # fmt: skip
    assert not ItemVote.objects.filter(item=items[0]).exists()  # the refused vote left nothing


def test_a_departure_with_proxy_counts_from_its_item() -> None:
    clerk, sitting, m, items, _ = _opened(5)
    for member in m:
        services.call_roll(clerk, CLOCK, sitting, member, Presence.PRESENT)
    services.record_vote(clerk, CLOCK, sitting, items[0], unanimous=True, for_=5, against=0,
                         abstention=0, not_voting=0)  # fmt: skip
    services.close_item(clerk, CLOCK, sitting, items[0])
    services.record_event(clerk, CLOCK, sitting, ChangeKind.PROXY_ON_LEAVING, m[4], items[1],
                          holder=m[3])  # fmt: skip
    services.record_vote(clerk, CLOCK, sitting, items[1], for_=3, against=2, abstention=0,
                         not_voting=0)  # fmt: skip
    closed = services.close_item(clerk, CLOCK, sitting, items[1])
    assert closed.outcome == "adopted" and closed.register_sequence == 2
    with pytest.raises(ServiceError, match="clos"):
        services.record_vote(clerk, CLOCK, sitting, items[1], for_=1, against=4, abstention=0,
                             not_voting=0)  # fmt: skip


def test_a_tie_is_decided_by_the_president_except_in_secret() -> None:
    clerk, sitting, m, items, _ = _opened(4)
    for member in m:
        services.call_roll(clerk, CLOCK, sitting, member, Presence.PRESENT)
    services.record_vote(clerk, CLOCK, sitting, items[0], for_=2, against=2, abstention=0,
                         not_voting=0, president_vote="for")  # fmt: skip
    assert services.close_item(clerk, CLOCK, sitting, items[0]).outcome == "adopted"
    services.record_vote(clerk, CLOCK, sitting, items[1], for_=2, against=2, abstention=0,
                         not_voting=0, president_vote="for", mode="secret")  # fmt: skip
    assert services.close_item(clerk, CLOCK, sitting, items[1]).outcome == "rejected"


def test_without_quorum_the_item_cannot_be_voted() -> None:
    clerk, sitting, m, items, _ = _opened(5)
    for member in m[:2]:  # 2 present of 5 in office: no quorum (L2121-17)
        services.call_roll(clerk, CLOCK, sitting, member, Presence.PRESENT)
    with pytest.raises(ServiceError, match="L2121-17"):
        services.record_vote(clerk, CLOCK, sitting, items[0], for_=2, against=0, abstention=0,
                             not_voting=0)  # fmt: skip


def test_named_votes_all_for_except_and_proxies_follow_their_holder() -> None:
    from registre.record import VoteChoice  # noqa: PLC0415

    clerk, sitting, m, items, _ = _opened(6)
    for member in m[:5]:
        services.call_roll(clerk, CLOCK, sitting, member, Presence.PRESENT)
    services.give_proxy(clerk, CLOCK, sitting, m[5], m[2])  # m5 votes with m2 by default
    vote = services.record_named_votes(
        clerk, CLOCK, sitting, items[0], default=VoteChoice.FOR,
        exceptions={m[2].pk: VoteChoice.AGAINST, m[3].pk: VoteChoice.ABSTENTION},
    )  # fmt: skip
    assert (vote.votes_for, vote.against, vote.abstention) == (3, 2, 1)
    proxy_vote = vote.named.get(on_behalf_of=m[5])
    assert proxy_vote.member == m[2] and proxy_vote.choice == "against"
    closed = services.close_item(clerk, CLOCK, sitting, items[0])
    assert closed.outcome == "adopted"
    store = open_store()
    try:
        entry = list(store.entries(assembly_key(sitting.meeting.assembly)))[-1]  # type: ignore[attr-defined]
    finally:
        store.close()  # type: ignore[attr-defined]
    frozen = loads(entry.payload.decode("utf-8")).deliberations[0].vote
    assert frozen is not None and len(frozen.named_votes) == 6


def test_a_withdrawn_member_may_not_vote() -> None:
    from registre.record import VoteChoice  # noqa: PLC0415

    clerk, sitting, m, items, _ = _opened(5)
    for member in m:
        services.call_roll(clerk, CLOCK, sitting, member, Presence.PRESENT)
    services.record_event(clerk, CLOCK, sitting, ChangeKind.WITHDRAWAL, m[4], items[0])
    with pytest.raises(ServiceError, match=r"retiré.*L2131-11"):
        services.record_named_votes(clerk, CLOCK, sitting, items[0], default=VoteChoice.FOR,
                                    exceptions={m[4].pk: VoteChoice.FOR})  # fmt: skip
    vote = services.record_named_votes(clerk, CLOCK, sitting, items[0], default=VoteChoice.FOR,
                                       exceptions={})  # fmt: skip
    assert vote.votes_for == 4 and not vote.named.filter(member=m[4]).exists()


def test_votes_read_the_attendance_once_until_a_write_changes_it() -> None:
    from django.db import connection  # noqa: PLC0415
    from django.test.utils import CaptureQueriesContext  # noqa: PLC0415

    from registre.record import VoteChoice  # noqa: PLC0415

    clerk, sitting, m, items, _ = _opened(6)
    for member in m[:5]:
        services.call_roll(clerk, CLOCK, sitting, member, Presence.PRESENT)
    services.start_item(clerk, CLOCK, sitting, items[0])
    vote = services.record_named_votes(clerk, CLOCK, sitting, items[0], default=VoteChoice.FOR,
                                       exceptions={})  # fmt: skip
    assert vote.votes_for == 5
    with CaptureQueriesContext(connection) as again:  # a vote leaves the attendance as it was
        vote = services.record_named_votes(clerk, CLOCK, sitting, items[0],
                                           default=VoteChoice.FOR, exceptions={})  # fmt: skip
    assert not [q for q in again.captured_queries if "live_rollcall" in q["sql"]]
    # an arrival moves the attendance on: the next vote counts the member arrived
    services.record_event(clerk, CLOCK, sitting, ChangeKind.ARRIVAL, m[5], items[0])
    vote = services.record_named_votes(clerk, CLOCK, sitting, items[0], default=VoteChoice.FOR,
                                       exceptions={m[5].pk: VoteChoice.AGAINST})  # fmt: skip
    assert (vote.votes_for, vote.against) == (5, 1)
    services.record_event(clerk, CLOCK, sitting, ChangeKind.DEPARTURE, m[4], items[0])
    vote = services.record_named_votes(clerk, CLOCK, sitting, items[0], default=VoteChoice.FOR,
                                       exceptions={})  # fmt: skip
    assert vote.votes_for == 5 and not vote.named.filter(member=m[4]).exists()


def test_members_declare_their_absence_and_proxy_in_advance() -> None:
    from registre.web.core.models import Membership, Role  # noqa: PLC0415

    town = make_collectivity()
    clerk = make_user(town)
    m = [make_member(clerk, town, last=f"ELU{i}", first="Jo").member for i in range(5)]
    meeting = make_meeting(clerk, town)
    make_item(clerk, town, "Point", meeting=meeting)
    elected = make_user(town, Role.MEMBER)
    Membership.objects.filter(user=elected).update(member=m[3])
    services.declare_absence(elected, CLOCK, meeting, m[3], m[1])
    with pytest.raises(ServiceError, match="sa propre absence"):
        services.declare_absence(elected, CLOCK, meeting, m[4], m[1])
    with pytest.raises(ServiceError, match=r"un seul pouvoir.*L2121-20"):
        services.declare_absence(clerk, CLOCK, meeting, m[4], m[1])
    sitting = services.open_sitting(clerk, CLOCK, meeting, m[0], [m[2]])
    for member in (m[0], m[1], m[2]):
        services.call_roll(clerk, CLOCK, sitting, member, Presence.PRESENT)
    assert services.apply_declarations(clerk, CLOCK, sitting) == []
    proxy = sitting.proxies.get()
    assert (proxy.giver, proxy.holder) == (m[3], m[1])
    assert sitting.roll.get(member=m[3]).status == Presence.ABSENT


def test_a_meeting_of_seven_items_frozen_as_the_law_says() -> None:
    """Departures with and without proxy between items, a withdrawal for interest, a
    casting vote, a secret tie, quorum lost and the item postponed, a correction."""
    town = make_collectivity()
    clerk = make_user(town)
    m = [make_member(clerk, town, last=f"ELU{i}", first="Jo").member for i in range(7)]
    meeting = make_meeting(clerk, town)
    items = [make_item(clerk, town, f"Point {i}", meeting=meeting) for i in range(1, 8)]
    sitting = services.open_sitting(clerk, CLOCK, meeting, m[0], [m[1]])
    for member in m:
        services.call_roll(clerk, CLOCK, sitting, member, Presence.PRESENT)

    def vote(item: Any, **tally: Any) -> str:
        services.record_vote(clerk, CLOCK, sitting, item, **tally)
        return str(services.close_item(clerk, CLOCK, sitting, item).outcome)

    assert (
        vote(items[0], unanimous=True, for_=7, against=0, abstention=0, not_voting=0) == "adopted"
    )
    services.record_event(
        clerk, CLOCK, sitting, ChangeKind.PROXY_ON_LEAVING, m[6], items[1], holder=m[0]
    )
    assert vote(items[1], for_=7, against=0, abstention=0, not_voting=0) == "adopted"
    services.record_event(clerk, CLOCK, sitting, ChangeKind.WITHDRAWAL, m[5], items[2])
    with pytest.raises(ServiceError):  # 5 present + 1 represented: 6 voters, not 7
        services.record_vote(clerk, CLOCK, sitting, items[2], for_=7, against=0, abstention=0,
                             not_voting=0)  # fmt: skip
    assert vote(items[2], for_=6, against=0, abstention=0, not_voting=0) == "adopted"
    assert vote(items[3], for_=3, against=3, abstention=1, not_voting=0,
                president_vote="for") == "adopted"  # fmt: skip  # casting vote (L2121-20)
    assert vote(items[4], for_=3, against=3, abstention=1, not_voting=0, president_vote="for",
                mode="secret") == "rejected"  # fmt: skip  # no casting vote in secret
    services.set_state(clerk, CLOCK, sitting, in_camera=True)  # registered like any other
    assert (
        vote(items[6], unanimous=True, for_=6, against=0, abstention=0, not_voting=0) == "adopted"
    )
    services.set_state(clerk, CLOCK, sitting, in_camera=False)
    for member in m[1:5]:
        services.record_event(clerk, CLOCK, sitting, ChangeKind.DEPARTURE, member, items[5])
    with pytest.raises(ServiceError, match="L2121-17"):  # 2 present of 7: no quorum
        services.record_vote(clerk, CLOCK, sitting, items[5], for_=3, against=0, abstention=0,
                             not_voting=0)  # fmt: skip
    assert services.postpone_item(clerk, CLOCK, sitting, items[5]).outcome == "postponed"
    correction = services.correct_item(clerk, CLOCK, sitting, items[0], "Coquille dans l'objet")
    store = open_store()
    try:
        entries = list(store.entries(assembly_key(meeting.assembly)))  # type: ignore[attr-defined]
    finally:
        store.close()  # type: ignore[attr-defined]
    assert [e.kind.value for e in entries] == ["deliberation"] * 6 + ["event"]
    assert correction.register_sequence == 7 and verify(entries).ok
    assert loads(entries[5].payload.decode("utf-8")).deliberations[0].in_camera is True
    for entry in entries[:6]:  # each frozen record is lawful on its own
        frozen = loads(entry.payload.decode("utf-8"))
        assert not [f for f in check(frozen) if f.severity is Severity.ERROR], entry.sequence
    third = loads(entries[2].payload.decode("utf-8"))
    att = third.deliberations[0].attendance
    assert att is not None and len(att.present or ()) == 5 and len(att.withdrawn or ()) == 1
