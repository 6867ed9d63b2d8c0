"""Appointments: absolute majority at rounds 1 and 2, relative at round 3, eldest on a tie."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from factories import dijon_record, with_vote
from registre.record import Appointment, Candidate, CandidateVotes, Outcome, Round, Vote, VoteMode
from registre.rules import Code, Severity, check, decide, elect

A = Candidate(id="a", name="Anne", birth_date=date(1950, 1, 1))
B = Candidate(id="b", name="Bruno", birth_date=date(1970, 1, 1))
C = Candidate(id="c", name="Chloé")


def _round(number: int, votes: dict[str, int], elected: tuple[str, ...]) -> Round:
    return Round(
        number=number,
        votes=tuple(CandidateVotes(candidate=c, votes=v) for c, v in votes.items()),
        elected=elected,
    )


def _found(
    *rounds: Round, seats: int = 1, candidates: tuple[Candidate, ...] = (A, B, C)
) -> set[tuple[Code, Severity]]:
    appointment = Appointment(seats=seats, candidates=candidates, rounds=rounds)
    record = with_vote(
        dijon_record(),
        mode=VoteMode.SECRET,
        for_=None,
        against=None,
        abstention=None,
        not_voting=None,
        appointment=appointment,
    )
    return {(f.code, f.severity) for f in check(record) if f.code is Code.OUTCOME_INCONSISTENT}


ERR = {(Code.OUTCOME_INCONSISTENT, Severity.ERROR)}


@pytest.mark.parametrize(
    ("rounds", "expected"),
    [
        ((_round(1, {"a": 43, "b": 41}, ("a",)),), set()),
        ((_round(1, {"a": 42, "b": 42}, ("a",)),), ERR),  # no absolute majority at round 1
        ((_round(1, {"a": 40, "b": 30, "c": 14}, ()), _round(2, {"a": 42, "b": 42}, ())), set()),
        ((_round(2, {"a": 40, "b": 44}, ("a",)),), ERR),
        ((_round(3, {"a": 30, "b": 40, "c": 14}, ("b",)),), set()),  # relative majority
        ((_round(3, {"a": 30, "b": 40, "c": 14}, ("a",)),), ERR),
        ((_round(3, {"a": 42, "b": 42}, ("a",)),), set()),  # the eldest wins the tie
        ((_round(3, {"a": 42, "b": 42}, ("b",)),), ERR),
        ((_round(4, {"a": 42, "b": 42}, ("a",)),), ERR),  # no fourth round
    ],
)
def test_rounds(rounds: tuple[Round, ...], expected: set[tuple[Code, Severity]]) -> None:
    assert _found(*rounds) == expected


def test_tie_with_unknown_birth_date_is_information() -> None:
    found = _found(_round(3, {"a": 42, "c": 42}, ("a",)))
    assert found == {(Code.OUTCOME_INCONSISTENT, Severity.INFO)}


def test_two_seats_need_the_number_of_ballots() -> None:
    two = _round(1, {"a": 60, "b": 50, "c": 10}, ("a", "b"))
    assert _found(replace(two, expressed=84), seats=2) == set()
    assert _found(replace(two, expressed=84, elected=("a",)), seats=2) == ERR
    assert _found(replace(two, expressed=110), seats=2) == ERR  # b has 50 of 110: no majority
    assert _found(two, seats=2) == {(Code.OUTCOME_INCONSISTENT, Severity.INFO)}


@pytest.mark.parametrize(
    ("number", "votes", "expected"),
    [
        (1, {"a": 10, "b": 9}, {"a"}),  # 10 > 19 / 2
        (1, {"a": 9, "b": 9, "c": 1}, set()),  # nobody has the absolute majority
        (2, {"a": 10, "b": 10}, set()),  # 10 is not more than half of 20
        (3, {"a": 9, "b": 9, "c": 1}, {"a"}),  # relative, tie: the eldest (1950)
        (3, {"b": 9, "c": 3}, {"b"}),
    ],
)
def test_elect_computes_who_each_round_elects(
    number: int, votes: dict[str, int], expected: set[str]
) -> None:
    elected, undecided = elect(_round(number, votes, ()), 1, (A, B, C))
    assert (elected, undecided) == (expected, False)


def test_elect_says_when_a_tie_cannot_be_decided_by_age() -> None:
    # Chloé's birth date is unknown: a tie with her cannot be settled by age
    _, undecided = elect(_round(3, {"a": 4, "c": 4}, ()), 1, (A, B, C))
    assert undecided


def test_an_appointment_is_adopted_once_its_seats_are_filled() -> None:
    filled = Appointment(seats=1, candidates=(A, B), rounds=(_round(1, {"a": 3}, ("a",)),))
    empty = Appointment(seats=2, candidates=(A, B), rounds=(_round(1, {"a": 3}, ("a",)),))
    assert decide(Vote(mode=VoteMode.SECRET, appointment=filled)) is Outcome.ADOPTED
    assert decide(Vote(mode=VoteMode.SECRET, appointment=empty)) is Outcome.REJECTED
