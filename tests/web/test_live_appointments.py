"""Appointments by secret ballot (L2121-21): absolute majority at rounds 1 and 2,
relative at round 3, the eldest winning a tie; computed, frozen, checked."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from webfactories import CLOCK, make_collectivity, make_item, make_meeting, make_member, make_user

from registre.rules import Code, Severity, check
from registre.web.core.services import ServiceError
from registre.web.live import appointments, services
from registre.web.live.models import Presence
from registre.web.live.record import sitting_record

pytestmark = pytest.mark.django_db(transaction=True)


def _sitting(count: int = 9) -> tuple[Any, Any, list[Any], Any]:
    town = make_collectivity()
    clerk = make_user(town)
    members = [make_member(clerk, town, last=f"ELU{i}", first="Jo",
                           birth_date=dt.date(1950 + i, 1, 1)).member for i in range(count)]  # fmt: skip
    meeting = make_meeting(clerk, town)
    item = make_item(clerk, town, "Désignation d'un représentant au syndicat", meeting=meeting)
    sitting = services.open_sitting(clerk, CLOCK, meeting, members[0], [members[1]])
    for member in members:
        services.call_roll(clerk, CLOCK, sitting, member, Presence.PRESENT)
    return clerk, sitting, members, item


def test_the_eldest_wins_a_tie_at_the_third_round() -> None:
    clerk, sitting, m, item = _sitting()
    ballot = appointments.open_ballot(clerk, CLOCK, sitting, item, 1, [m[2], m[5]])
    older, younger = ballot.candidates.all()  # m2 born 1952, m5 born 1955
    first = appointments.record_round(clerk, CLOCK, sitting, item, {older.pk: 4, younger.pk: 4},
                                      blank=1)  # fmt: skip
    assert list(first.elected.all()) == []  # 4 of 8 expressed: no absolute majority
    second = appointments.record_round(clerk, CLOCK, sitting, item,
                                       {older.pk: 4, younger.pk: 4}, void=1)  # fmt: skip
    assert list(second.elected.all()) == []
    third = appointments.record_round(clerk, CLOCK, sitting, item, {older.pk: 4, younger.pk: 4},
                                      blank=1)  # fmt: skip
    assert list(third.elected.all()) == [older]  # relative majority, tie: the eldest
    with pytest.raises(ServiceError, match="L2121-21"):
        appointments.record_round(clerk, CLOCK, sitting, item, {older.pk: 9})
    closed = services.close_item(clerk, CLOCK, sitting, item)
    assert closed.outcome == "adopted"
    frozen = sitting_record(sitting)
    appointment = frozen.deliberations[0].vote.appointment  # type: ignore[union-attr]
    assert appointment is not None and [r.elected for r in appointment.rounds] == [
        (), (), (f"c{older.pk}",)]  # fmt: skip
    assert not [f for f in check(frozen) if f.severity is Severity.ERROR]


def test_an_absolute_majority_elects_at_the_first_round() -> None:
    clerk, sitting, m, item = _sitting()
    ballot = appointments.open_ballot(clerk, CLOCK, sitting, item, 1, [
        m[2], appointments.Outsider("Mme Camille EXTERIEURE", dt.date(1980, 5, 1))])  # fmt: skip
    member, outsider = ballot.candidates.all()
    done = appointments.record_round(clerk, CLOCK, sitting, item, {member.pk: 3, outsider.pk: 5},
                                     blank=1)  # fmt: skip
    assert list(done.elected.all()) == [outsider]
    assert services.close_item(clerk, CLOCK, sitting, item).outcome == "adopted"


def test_ballots_never_exceed_the_voters_and_ties_need_birth_dates() -> None:
    clerk, sitting, _, item = _sitting(5)
    ballot = appointments.open_ballot(clerk, CLOCK, sitting, item, 1, [
        appointments.Outsider("Alix"), appointments.Outsider("Béa")])  # fmt: skip
    a, b = ballot.candidates.all()
    with pytest.raises(ServiceError, match=r"6 bulletins pour 5 votant.*L2121-21"):
        appointments.record_round(clerk, CLOCK, sitting, item, {a.pk: 3, b.pk: 3})
    appointments.record_round(clerk, CLOCK, sitting, item, {a.pk: 2, b.pk: 2}, blank=1)
    appointments.record_round(clerk, CLOCK, sitting, item, {a.pk: 2, b.pk: 2}, blank=1)
    with pytest.raises(ServiceError, match=r"date de naissance.*L2121-21"):
        appointments.record_round(clerk, CLOCK, sitting, item, {a.pk: 2, b.pk: 2}, blank=1)


def test_a_rule_check_catches_a_wrong_winner_in_the_frozen_record() -> None:
    from dataclasses import replace  # noqa: PLC0415

    clerk, sitting, m, item = _sitting()
    ballot = appointments.open_ballot(clerk, CLOCK, sitting, item, 1, [m[2], m[5]])
    older, younger = ballot.candidates.all()
    appointments.record_round(clerk, CLOCK, sitting, item, {older.pk: 3, younger.pk: 6})
    record = sitting_record(sitting, item)
    vote = record.deliberations[0].vote
    assert vote is not None and vote.appointment is not None
    wrong = replace(vote.appointment, rounds=(replace(vote.appointment.rounds[0],
                                                      elected=(f"c{older.pk}",)),))  # fmt: skip
    tampered = replace(record, deliberations=(replace(record.deliberations[0],
                                                      vote=replace(vote, appointment=wrong)),))  # fmt: skip
    assert Code.OUTCOME_INCONSISTENT in {f.code for f in check(tampered)
                                         if f.severity is Severity.ERROR}  # fmt: skip
