"""The opening beyond the roll call: substitutes (L5211-6), the written proxy with its
scan and the meetings it covers (L2121-20), found again at a later roll call."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from webfactories import CLOCK, make_collectivity, make_item, make_meeting, make_member, make_user

from registre.record import CollectivityKind
from registre.rules import Code, Severity, check
from registre.web.core.services import ServiceError
from registre.web.live import opening, services
from registre.web.live.models import OpeningProxy, Presence
from registre.web.live.record import sitting_record

pytestmark = pytest.mark.django_db(transaction=True)
PDF = b"%PDF-1.7\n% un pouvoir signe\n"


def _community(kind: CollectivityKind = CollectivityKind.COMMUNAUTE_DE_COMMUNES) -> Any:
    town = make_collectivity("Communauté de Test", kind=kind)
    clerk = make_user(town)
    members = [make_member(clerk, town, last=f"ELU{i}", first="Jo").member for i in range(5)]
    substitute = make_member(clerk, town, last="SUPPLEANT", first="Lou",
                             substitute_for=members[4]).member  # fmt: skip
    meeting = make_meeting(clerk, town)
    item = make_item(clerk, town, "Point 1", meeting=meeting)
    sitting = services.open_sitting(clerk, CLOCK, meeting, members[0], [members[1]])
    return clerk, sitting, members, substitute, item


def test_a_substitute_sits_for_the_absent_titular_and_votes() -> None:
    clerk, sitting, m, sub, item = _community()
    for member in m[:3]:
        services.call_roll(clerk, CLOCK, sitting, member, Presence.PRESENT)
    opening.seat_substitute(clerk, CLOCK, sitting, m[4], sub)
    record = sitting_record(sitting, item)
    att = record.attendance
    assert record.meeting.members_in_office == 5  # the substitute is not a sixth member
    assert len(att.present or ()) == 4 and att.substitutes[0].titular in (att.present or ())
    services.record_vote(clerk, CLOCK, sitting, item, for_=4, against=0, abstention=0,
                         not_voting=0)  # fmt: skip
    services.close_item(clerk, CLOCK, sitting, item)
    frozen = sitting_record(sitting)
    assert not [f for f in check(frozen) if f.severity is Severity.ERROR]
    assert not [f for f in check(frozen) if f.code is Code.SUBSTITUTE_NOT_ALLOWED]


def test_substitutes_are_refused_where_the_law_has_none_or_for_someone_else() -> None:
    clerk, sitting, m, sub, _ = _community()
    with pytest.raises(ServiceError, match=r"n'est pas le suppléant.*L5211-6"):
        opening.seat_substitute(clerk, CLOCK, sitting, m[3], sub)
    services.call_roll(clerk, CLOCK, sitting, m[4], Presence.PRESENT)
    with pytest.raises(ServiceError, match=r"présent.*L5211-6"):
        opening.seat_substitute(clerk, CLOCK, sitting, m[4], sub)
    services.call_roll(clerk, CLOCK, sitting, m[4], Presence.ABSENT)
    opening.seat_substitute(clerk, CLOCK, sitting, m[4], sub)
    services.call_roll(clerk, CLOCK, sitting, m[1], Presence.PRESENT)
    with pytest.raises(ServiceError, match=r"suppléant de .* siège à sa place.*L5211-6"):
        services.give_proxy(clerk, CLOCK, sitting, m[4], m[1])
    services.call_roll(clerk, CLOCK, sitting, m[4], Presence.PRESENT)  # the titular arrives
    assert not sitting.substitutes.exists()


def test_no_substitute_in_a_metropole() -> None:
    clerk, sitting, m, sub, _ = _community(CollectivityKind.COMMUNAUTE_DE_COMMUNES)
    sitting.meeting.collectivity.kind = CollectivityKind.METROPOLE.value
    sitting.meeting.collectivity.save()
    with pytest.raises(ServiceError, match=r"communauté de communes.*L5211-6"):
        opening.seat_substitute(clerk, CLOCK, sitting, m[4], sub)


def test_a_written_proxy_keeps_its_scan_and_covers_the_next_meetings() -> None:
    clerk, sitting, m, _, _ = _community()
    for member in m[:3]:
        services.call_roll(clerk, CLOCK, sitting, member, Presence.PRESENT)
    later = sitting.meeting.date + dt.timedelta(days=30)
    proxy = opening.written_proxy(clerk, CLOCK, sitting, m[3], m[1], given_on=dt.date(2026, 12, 1),
                                  covers=[later], scan=("pouvoir.pdf", PDF))  # fmt: skip
    with proxy.document.open("rb") as scan:
        assert scan.read() == PDF
    assert proxy.covers[-1] == later.isoformat()
    got = sitting_record(sitting).attendance.proxies[0]
    assert got.given_on == dt.date(2026, 12, 1) and got.covers == (sitting.meeting.date, later)
    # the next meeting of the assembly finds it at its own roll call
    second = make_meeting(clerk, sitting.meeting.collectivity, day=later)
    next_sitting = services.open_sitting(clerk, CLOCK, second, m[0], [m[1]])
    services.call_roll(clerk, CLOCK, next_sitting, m[1], Presence.PRESENT)
    assert opening.apply_standing_proxies(clerk, CLOCK, next_sitting) == []
    carried = OpeningProxy.objects.get(sitting=next_sitting)
    assert (carried.giver, carried.holder) == (m[3], m[1]) and carried.document.name


def test_written_proxy_refusals() -> None:
    clerk, sitting, m, _, _ = _community()
    services.call_roll(clerk, CLOCK, sitting, m[1], Presence.PRESENT)
    day = sitting.meeting.date
    too_many = [day + dt.timedelta(days=30 * i) for i in (1, 2, 3)]
    with pytest.raises(ServiceError, match=r"trois séances.*L2121-20"):
        opening.written_proxy(clerk, CLOCK, sitting, m[3], m[1], covers=too_many)
    with pytest.raises(ServiceError, match="ni un PDF"):
        opening.written_proxy(clerk, CLOCK, sitting, m[3], m[1], scan=("pouvoir.txt", b"texte"))
    assert not OpeningProxy.objects.filter(sitting=sitting).exists()  # nothing half-written
