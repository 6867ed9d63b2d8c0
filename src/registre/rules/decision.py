"""The outcome of an ordinary vote, computed, never typed (L2121-20)."""

from __future__ import annotations

from registre.record import Outcome, Vote, VoteChoice, VoteMode


def decide(vote: Vote) -> Outcome:
    """Adopted when the votes for exceed the votes against (absolute majority of the
    votes expressed); on a tie, the president's vote decides, except in a secret
    ballot where a tie rejects (L2121-20). Unanimity counts as adopted. An appointment
    is adopted once its rounds have filled every seat (L2121-21)."""
    if vote.appointment is not None:
        elected = {c for r in vote.appointment.rounds for c in r.elected}
        return Outcome.ADOPTED if len(elected) >= vote.appointment.seats else Outcome.REJECTED
    if vote.unanimous and not vote.against:
        return Outcome.ADOPTED
    pro, con = vote.for_ or 0, vote.against or 0
    if pro != con:
        return Outcome.ADOPTED if pro > con else Outcome.REJECTED
    if pro and vote.mode is not VoteMode.SECRET and vote.president_vote is VoteChoice.FOR:
        return Outcome.ADOPTED
    return Outcome.REJECTED
