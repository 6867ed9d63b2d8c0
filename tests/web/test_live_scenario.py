"""A twenty-item meeting held through the services, each item's frozen register
entry and the rules' findings asserted one by one against what the law says:
arrivals and departures between items, a proxy given on leaving and one lapsing
with its holder, a withdrawal for interest, a casting vote and the same tie in a
secret ballot, appointments (the eldest at round 3; two seats at round 1), in
camera, a quorum lost (two items postponed, a second convocation prepared), named
votes, and a correction. The refusals name their article."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from webfactories import CLOCK, make_collectivity, make_item, make_meeting, make_member, make_user

from registre.record import (
    ChangeKind,
    DeliberationRecord,
    MeetingRecord,
    VoteChoice,
    VoteMode,
    item_attendances,
    loads,
)
from registre.register import verify
from registre.rules import Code, Severity, check
from registre.web.core.services import ServiceError
from registre.web.live import adjournment, appointments, services
from registre.web.live.models import ItemVote, Presence, SittingEvent
from registre.web.live.register import assembly_key, open_store

pytestmark = pytest.mark.django_db(transaction=True)
C = ChangeKind


class Meeting20:
    """The meeting, its clerk and eleven members (m0 presides, m1 is secretary)."""

    def __init__(self) -> None:
        town = make_collectivity()
        self.clerk = make_user(town)
        self.m = [make_member(self.clerk, town, last=f"ELU{i}", first="Jo",
                              birth_date=dt.date(1950 + i, 3, 1)).member for i in range(11)]  # fmt: skip
        self.meeting = make_meeting(self.clerk, town)
        self.items = [make_item(self.clerk, town, f"Point {i}", meeting=self.meeting)
                      for i in range(1, 21)]  # fmt: skip
        self.sitting = services.open_sitting(self.clerk, CLOCK, self.meeting, self.m[0],
                                             [self.m[1]])  # fmt: skip

    def at(self, n: int) -> Any:
        return self.items[n - 1]

    def event(self, kind: ChangeKind, who: int, n: int, holder: int | None = None) -> None:
        services.record_event(self.clerk, CLOCK, self.sitting, kind, self.m[who], self.at(n),
                              holder=self.m[holder] if holder is not None else None)  # fmt: skip

    def vote(self, n: int, **tally: Any) -> str:
        services.record_vote(self.clerk, CLOCK, self.sitting, self.at(n), **tally)
        return self.close(n)

    def close(self, n: int) -> str:
        return str(services.close_item(self.clerk, CLOCK, self.sitting, self.at(n)).outcome)

    def counts(self, for_: int, against: int, abstention: int, not_voting: int) -> dict[str, Any]:
        return {"for_": for_, "against": against, "abstention": abstention,
                "not_voting": not_voting}  # fmt: skip


def _hold_items_1_to_7(s: Meeting20) -> None:
    clerk, sitting, m = s.clerk, s.sitting, s.m
    for member in m[:10]:
        services.call_roll(clerk, CLOCK, sitting, member, Presence.PRESENT)
    services.call_roll(clerk, CLOCK, sitting, m[10], Presence.EXCUSED)
    services.give_proxy(clerk, CLOCK, sitting, m[10], m[9])
    assert s.vote(1, unanimous=True, **s.counts(11, 0, 0, 0)) == "adopted"
    s.event(C.PROXY_ENDS_ON_ARRIVAL, 10, 2)
    assert s.vote(2, **s.counts(11, 0, 0, 0)) == "adopted"
    s.event(C.DEPARTURE, 8, 3)
    assert s.vote(3, **s.counts(6, 3, 1, 0)) == "adopted"
    with pytest.raises(ServiceError, match=r"L2121-20"):  # to m8, who has left
        s.event(C.PROXY_ON_LEAVING, 7, 4, holder=8)
    s.event(C.PROXY_ON_LEAVING, 7, 4, holder=6)
    with pytest.raises(ServiceError, match=r"L2121-20"):  # m6 already holds m7's
        s.event(C.PROXY_ON_LEAVING, 5, 4, holder=6)
    assert SittingEvent.objects.filter(sitting=sitting).count() == 3  # refusals left nothing
    vote = services.record_named_votes(clerk, CLOCK, sitting, s.at(4), default=VoteChoice.FOR,
                                       exceptions={m[1].pk: VoteChoice.AGAINST})  # fmt: skip
    assert (vote.votes_for, vote.against) == (9, 1) and s.close(4) == "adopted"
    s.event(C.WITHDRAWAL, 5, 5)
    with pytest.raises(ServiceError, match=r"retiré.*L2131-11"):
        services.record_named_votes(clerk, CLOCK, sitting, s.at(5), default=VoteChoice.FOR,
                                    exceptions={m[5].pk: VoteChoice.FOR})  # fmt: skip
    with pytest.raises(ServiceError, match=r"L2121-20"):  # 8 present + 1 represented
        services.record_vote(clerk, CLOCK, sitting, s.at(5), **s.counts(10, 0, 0, 0))
    assert s.vote(5, **s.counts(9, 0, 0, 0)) == "adopted"
    assert s.vote(6, president_vote="for", **s.counts(4, 4, 2, 0)) == "adopted"
    assert s.vote(7, president_vote="for", mode="secret", **s.counts(4, 4, 2, 0)) == "rejected"


def _hold_items_8_to_15(s: Meeting20) -> None:
    clerk, sitting, m = s.clerk, s.sitting, s.m
    ballot = appointments.open_ballot(clerk, CLOCK, sitting, s.at(8), 1, [m[2], m[3]])
    older, younger = (c.pk for c in ballot.candidates.all())
    for tally, blank in (((4, 4), 2), ((5, 5), 0), ((5, 5), 0)):
        appointments.record_round(clerk, CLOCK, sitting, s.at(8),
                                  {older: tally[0], younger: tally[1]}, blank=blank)  # fmt: skip
    assert s.close(8) == "adopted"
    two = appointments.open_ballot(clerk, CLOCK, sitting, s.at(9), 2, [
        m[4], m[6], appointments.Outsider("Mme Camille EXTERIEURE", dt.date(1990, 1, 1))])  # fmt: skip
    a, b, c = (x.pk for x in two.candidates.all())
    done = appointments.record_round(clerk, CLOCK, sitting, s.at(9), {a: 7, b: 5, c: 6},
                                     expressed=10)  # fmt: skip
    assert sorted(x.pk for x in done.elected.all()) == [a, c] and s.close(9) == "adopted"
    services.set_state(clerk, CLOCK, sitting, in_camera=True)
    assert s.vote(10, unanimous=True, **s.counts(10, 0, 0, 0)) == "adopted"
    services.set_state(clerk, CLOCK, sitting, in_camera=False, suspended=True)
    services.set_state(clerk, CLOCK, sitting, suspended=False)
    assert s.vote(11, **s.counts(8, 2, 0, 0)) == "adopted"
    s.event(C.ARRIVAL, 8, 12)
    assert s.vote(12, unanimous=True, **s.counts(11, 0, 0, 0)) == "adopted"
    vote = services.record_named_votes(
        clerk, CLOCK, sitting, s.at(13), default=VoteChoice.FOR,
        exceptions={m[7].pk: VoteChoice.AGAINST, m[2].pk: VoteChoice.ABSTENTION})  # fmt: skip
    assert (vote.votes_for, vote.against, vote.abstention) == (9, 1, 1)
    by_proxy = vote.named.get(on_behalf_of=m[7])
    assert by_proxy.member == m[6] and by_proxy.choice == "against"  # not as its holder
    assert s.close(13) == "adopted"
    assert s.vote(14, mode="public", **s.counts(7, 1, 0, 3)) == "adopted"
    assert s.vote(15, **s.counts(3, 6, 2, 0)) == "rejected"


def _hold_items_16_to_20(s: Meeting20) -> None:
    clerk, sitting = s.clerk, s.sitting
    for who in (1, 2, 3, 4, 5):
        s.event(C.DEPARTURE, who, 16)
    for n in (16, 17):  # 5 present of 11 in office: 6 needed
        with pytest.raises(ServiceError, match=r"L2121-17"):
            services.record_vote(clerk, CLOCK, sitting, s.at(n), **s.counts(5, 0, 0, 0))
        services.postpone_item(clerk, CLOCK, sitting, s.at(n), for_quorum=True)
    s.event(C.ARRIVAL, 1, 18)
    s.event(C.ARRIVAL, 2, 18)
    assert s.vote(18, **s.counts(7, 0, 1, 0)) == "adopted"
    s.event(C.DEPARTURE, 6, 19)  # m6 leaves: the proxy m7 gave him lapses
    assert s.vote(19, president_vote="against", **s.counts(3, 3, 0, 0)) == "rejected"
    s.event(C.ARRIVAL, 6, 20)
    assert s.vote(20, unanimous=True, **s.counts(7, 0, 0, 0)) == "adopted"


# item: (present, represented, withdrawn, outcome, in camera)
EXPECTED = {
    1: (10, 1, 0, "adopted", None), 2: (11, 0, 0, "adopted", None),
    3: (10, 0, 0, "adopted", None), 4: (9, 1, 0, "adopted", None),
    5: (8, 1, 1, "adopted", None), 6: (9, 1, 0, "adopted", None),
    7: (9, 1, 0, "rejected", None), 8: (9, 1, 0, "adopted", None),
    9: (9, 1, 0, "adopted", None), 10: (9, 1, 0, "adopted", True),
    11: (9, 1, 0, "adopted", None), 12: (10, 1, 0, "adopted", None),
    13: (10, 1, 0, "adopted", None), 14: (10, 1, 0, "adopted", None),
    15: (10, 1, 0, "rejected", None), 18: (7, 1, 0, "adopted", None),
    19: (6, 0, 0, "rejected", None), 20: (7, 0, 0, "adopted", None),
}  # fmt: skip


def _frozen(assembly: Any) -> list[Any]:
    store = open_store()
    try:  # this assembly's chain: the register is shared by every test of the run
        entries = list(store.entries(assembly_key(assembly)))  # type: ignore[attr-defined]
    finally:
        store.close()  # type: ignore[attr-defined]
    assert verify(entries).ok
    return entries


def _item(record: MeetingRecord) -> DeliberationRecord:
    [item] = record.deliberations
    return item


def test_a_meeting_of_twenty_items_frozen_as_the_law_says() -> None:
    s = Meeting20()
    _hold_items_1_to_7(s)
    _hold_items_8_to_15(s)
    _hold_items_16_to_20(s)
    for n in (16, 17):  # closed without a vote, not registered, carried to the second
        vote = ItemVote.objects.get(item=s.at(n))
        assert (vote.outcome, vote.postponement, vote.register_sequence) == (
            "postponed",
            "quorum",
            None,
        )
    second = adjournment.prepare_second_convocation(s.clerk, CLOCK, s.sitting)
    assert [i.subject for i in second.items.order_by("position")] == ["Point 16", "Point 17"]
    services.correct_item(s.clerk, CLOCK, s.sitting, s.at(1), "Erreur matérielle dans l'objet")
    entries = _frozen(s.meeting.assembly)
    assert [e.kind.value for e in entries] == ["deliberation"] * 18 + ["event"]
    for entry in entries[:18]:
        record = loads(entry.payload.decode("utf-8"))
        item = _item(record)
        n = int(item.number.rsplit("_", 1)[1])
        # stated on the item, or (a record of one item) derived from the opening
        att = item.attendance or item_attendances(record)[item.number]
        got = (len(att.present or ()), len(att.represented or ()), len(att.withdrawn or ()),
               item.outcome.value if item.outcome else None, item.in_camera)  # fmt: skip
        assert got == EXPECTED[n], (n, got)
        findings = check(record)
        assert not [f for f in findings if f.severity is Severity.ERROR], (n, findings)
        _assert_item_specifics(n, item, {f.code for f in findings})
        if n == 19:  # the holder left: the proxy m7 gave him lapsed with him
            assert not att.proxies


def _assert_item_specifics(n: int, item: DeliberationRecord, codes: set[Code]) -> None:
    vote = item.vote
    assert vote is not None
    if n in (6, 7):  # the tie: decided by the casting vote, except in secret
        assert Code.TIE_CASTING_VOTE in codes
        assert (vote.mode is VoteMode.SECRET) == (n == 7)
    if n == 8:
        assert vote.appointment is not None
        assert [len(r.elected) for r in vote.appointment.rounds] == [0, 0, 1]
        eldest = min(vote.appointment.candidates, key=lambda c: c.birth_date or dt.date.max)
        assert vote.appointment.rounds[-1].elected == (eldest.id,)
    if n == 9:
        assert vote.appointment is not None and vote.appointment.seats == 2
        assert len(vote.appointment.rounds[0].elected) == 2
    if n == 13:
        assert len(vote.named_votes) == 11
