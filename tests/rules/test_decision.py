"""The computed outcome: majority of expressed votes, casting vote on a tie except
in a secret ballot (L2121-20); the check agrees with it."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from factories import dijon_record, with_item, with_vote
from registre.record import Outcome, Vote, VoteChoice, VoteMode
from registre.rules import Code, Severity, check, decide


@pytest.mark.parametrize(
    ("vote", "expected"),
    [
        (Vote(for_=84, against=0, abstention=0), Outcome.ADOPTED),
        (Vote(for_=10, against=11), Outcome.REJECTED),
        (Vote(for_=10, against=10, president_vote=VoteChoice.FOR), Outcome.ADOPTED),
        (Vote(for_=10, against=10, president_vote=VoteChoice.AGAINST), Outcome.REJECTED),
        (Vote(for_=10, against=10), Outcome.REJECTED),  # the president did not vote for
        (Vote(for_=10, against=10, mode=VoteMode.SECRET, president_vote=VoteChoice.FOR),
         Outcome.REJECTED),  # no casting vote in a secret ballot
        (Vote(for_=0, against=0, abstention=30), Outcome.REJECTED),
        (Vote(unanimous=True), Outcome.ADOPTED),
    ],
)  # fmt: skip
def test_decide(vote: Vote, expected: Outcome) -> None:
    assert decide(vote) is expected


@given(st.integers(0, 80), st.integers(0, 80), st.sampled_from(list(VoteChoice)))
def test_the_decided_outcome_never_contradicts_the_check(
    pro: int, con: int, president: VoteChoice
) -> None:
    record = with_vote(dijon_record(), for_=pro, against=con, abstention=0, not_voting=0,
                       proxies_counted=None, president_vote=president)  # fmt: skip
    vote = record.deliberations[0].vote
    assert vote is not None
    decided = with_item(record, 0, outcome=decide(vote))
    errors = {f.code for f in check(decided) if f.severity is Severity.ERROR}
    assert not errors & {Code.OUTCOME_INCONSISTENT, Code.TIE_CASTING_VOTE}
