"""A quorum lost: the item postponed, then the second convocation prepared three
days later at least, where the carried-over items go without a quorum (L2121-17)."""

from __future__ import annotations

import datetime as dt

import pytest
from webfactories import CLOCK, make_collectivity, make_item, make_meeting, make_member, make_user

from registre.rules import Code, Severity, check
from registre.web.core.services import ServiceError
from registre.web.live import adjournment, services
from registre.web.live.models import Presence
from registre.web.live.record import sitting_record

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_second_convocation_carries_the_postponed_items_and_needs_no_quorum() -> None:
    town = make_collectivity()
    clerk = make_user(town)
    m = [make_member(clerk, town, last=f"ELU{i}", first="Jo").member for i in range(5)]
    meeting = make_meeting(clerk, town)
    items = [make_item(clerk, town, f"Point {i}", meeting=meeting) for i in (1, 2)]
    sitting = services.open_sitting(clerk, CLOCK, meeting, m[0], [m[1]])
    for member in m[:2]:  # 2 of 5: no quorum
        services.call_roll(clerk, CLOCK, sitting, member, Presence.PRESENT)
    with pytest.raises(ServiceError, match="Aucun point"):
        adjournment.prepare_second_convocation(clerk, CLOCK, sitting)
    services.postpone_item(clerk, CLOCK, sitting, items[0], for_quorum=True)
    services.postpone_item(clerk, CLOCK, sitting, items[1])  # by decision: not carried over
    with pytest.raises(ServiceError, match=r"trois jours.*L2121-17"):
        adjournment.prepare_second_convocation(clerk, CLOCK, sitting,
                                               on=meeting.date + dt.timedelta(days=2))  # fmt: skip
    second = adjournment.prepare_second_convocation(clerk, CLOCK, sitting)
    assert second.second_convocation and second.first_meeting == meeting
    assert second.date == meeting.date + dt.timedelta(days=3)
    [carried] = second.items.all()
    assert carried.subject == "Point 1" and carried.carried_from == items[0]
    with pytest.raises(ServiceError, match="déjà préparée"):
        adjournment.prepare_second_convocation(clerk, CLOCK, sitting)
    # at the second meeting, two present of five: the carried-over item is voted
    fresh = make_item(clerk, town, "Point nouveau", meeting=second)
    again = services.open_sitting(clerk, CLOCK, second, m[0], [m[1]])
    for member in m[:2]:
        services.call_roll(clerk, CLOCK, again, member, Presence.PRESENT)
    services.record_vote(clerk, CLOCK, again, carried, for_=2, against=0, abstention=0,
                         not_voting=0)  # fmt: skip
    assert services.close_item(clerk, CLOCK, again, carried).outcome == "adopted"
    findings = check(sitting_record(again))
    assert Code.QUORUM_SECOND_CONVOCATION in {f.code for f in findings}
    assert not [f for f in findings if f.severity is Severity.ERROR]
    with pytest.raises(ServiceError, match="L2121-17"):  # a new item still needs the quorum
        services.record_vote(clerk, CLOCK, again, fresh, for_=2, against=0, abstention=0,
                             not_voting=0)  # fmt: skip
