"""Appointments by secret ballot (L2121-21): the candidates, then up to three rounds;
who each round elects is computed by `registre.rules.elect`, never typed."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction

from registre import record as r
from registre.record import VoteMode, item_attendances
from registre.rules import elect
from registre.web.clock import Clock
from registre.web.core.services import ServiceError, require_role
from registre.web.live.models import (
    Ballot,
    BallotRound,
    Candidate,
    CandidateVotes,
    ItemVote,
    Sitting,
)
from registre.web.live.record import item_number, sitting_record
from registre.web.live.services import CLERKS, touch
from registre.web.meetings.models import AgendaItem
from registre.web.members.models import Member

LAST_ROUND = 3


@dataclass(frozen=True, slots=True)
class Outsider:
    """A candidate who is not a member (a person named to an outside body)."""

    name: str
    birth_date: dt.date | None = None


@transaction.atomic
def open_ballot(
    actor: AbstractBaseUser, clock: Clock, sitting: Sitting, item: AgendaItem, seats: int,
    candidates: list[Member | Outsider],
) -> Ballot:  # fmt: skip
    """The item is an appointment: a secret ballot for `seats` seats among the
    candidates (members, or outsiders with their birth date)."""
    require_role(actor, sitting.meeting.collectivity, CLERKS)
    if item.meeting_id != sitting.meeting_id:
        raise ServiceError("Ce point n'est pas à l'ordre du jour de cette séance.")
    vote = ItemVote.objects.filter(item=item).first()
    if vote is not None and (vote.closed_at or Ballot.objects.filter(vote=vote).exists()):
        raise ServiceError("Ce point a déjà son scrutin, ou il est clos.")
    if seats < 1 or len(candidates) < 1:
        raise ServiceError("Indiquez au moins un siège à pourvoir et un candidat.")
    vote, _ = ItemVote.objects.update_or_create(item=item, defaults={
        "mode": VoteMode.SECRET.value, "in_camera": sitting.in_camera, "unanimous": False,
        "votes_for": None, "against": None, "abstention": None, "not_voting": None})  # fmt: skip
    ballot = Ballot.objects.create(vote=vote, seats=seats)
    Candidate.objects.bulk_create(
        Candidate(ballot=ballot, member=c, name=c.full_name, birth_date=c.birth_date)
        if isinstance(c, Member) else Candidate(ballot=ballot, name=c.name, birth_date=c.birth_date)
        for c in candidates
    )  # fmt: skip
    touch(actor, clock, sitting, "sitting.ballot", ballot,
          f"Point {item.position} : scrutin secret pour {seats} siège(s), "
          f"{len(candidates)} candidat(s)")  # fmt: skip
    return ballot


@transaction.atomic
def record_round(
    actor: AbstractBaseUser, clock: Clock, sitting: Sitting, item: AgendaItem,
    votes: dict[int, int], *, blank: int = 0, void: int = 0, expressed: int | None = None,
) -> BallotRound:  # fmt: skip
    """One round's count (votes by candidate id, blank and void ballots; with several
    seats, the valid ballots `expressed`), checked against the voters; who it elects
    is computed."""
    require_role(actor, sitting.meeting.collectivity, CLERKS)
    ballot = Ballot.objects.select_for_update().filter(vote__item=item).first()
    if ballot is None or ballot.vote.closed_at is not None:
        raise ServiceError("Ce point n'a pas de scrutin ouvert.")
    done = list(ballot.rounds.all())
    filled = sum(len(r.elected.all()) for r in done)
    if filled >= ballot.seats or len(done) >= LAST_ROUND:
        raise ServiceError("Tous les sièges sont pourvus, ou les trois tours ont eu lieu "
                           "(L2121-21) : clôturez le point.")  # fmt: skip
    candidates = {c.pk: c for c in ballot.candidates.all()}
    if unknown := set(votes) - set(candidates):
        raise ServiceError(f"Candidat(s) inconnu(s) dans ce scrutin : {sorted(unknown)}.")
    elected = {c.pk for r in done for c in r.elected.all()}
    if again := [candidates[pk].name for pk in set(votes) & elected if votes[pk]]:
        raise ServiceError(f"{', '.join(again)} est déjà élu(e) : seuls les sièges restants "
                           "sont en jeu à ce tour.")  # fmt: skip
    expressed = _expressed(ballot.seats, votes, expressed)
    _check_ballots(sitting, item, expressed + blank + void)
    number = len(done) + 1
    chosen = _elected(number, votes, expressed, ballot.seats - filled, candidates)
    counted = BallotRound.objects.create(ballot=ballot, number=number, blank=blank, void=void,
                                         expressed=expressed)  # fmt: skip
    CandidateVotes.objects.bulk_create(CandidateVotes(round=counted, candidate_id=pk, votes=n)
                                       for pk, n in votes.items())  # fmt: skip
    counted.elected.set(chosen)
    names = ", ".join(candidates[pk].name for pk in chosen) or "personne"
    touch(actor, clock, sitting, "sitting.round", counted,
          f"Point {item.position}, tour n° {number} : élu(s) {names}")  # fmt: skip
    return counted


def _check_ballots(sitting: Sitting, item: AgendaItem, ballots: int) -> None:
    """No more ballots than voters: the members present and represented."""
    att = item_attendances(sitting_record(sitting, item))[item_number(item)]
    voters = len(att.present or ()) + len(att.represented or ())
    if ballots > voters:
        raise ServiceError(f"{ballots} bulletins pour {voters} votant(s) (présents et "
                           "représentés) : recomptez les bulletins (L2121-21).")  # fmt: skip


def _expressed(seats: int, votes: dict[int, int], expressed: int | None) -> int:
    """The valid ballots: the sum of the votes for one seat; counted apart for several,
    each ballot naming at most one candidate per seat."""
    total = sum(votes.values())
    if seats == 1:
        if expressed not in (None, total):
            raise ServiceError(f"Pour un siège, les suffrages exprimés ({expressed}) sont la "
                               f"somme des voix des candidats ({total}).")  # fmt: skip
        return total
    if expressed is None:
        raise ServiceError("Plusieurs sièges : indiquez le nombre de suffrages exprimés "
                           "(bulletins valables), base de la majorité absolue.")  # fmt: skip
    if total > expressed * seats or max(votes.values(), default=0) > expressed:
        raise ServiceError(f"{total} voix pour {expressed} bulletins valables et {seats} "
                           "sièges : recomptez (L2121-21).")  # fmt: skip
    return expressed


def _elected(number: int, votes: dict[int, int], expressed: int, seats: int,
             candidates: dict[int, Candidate]) -> list[int]:  # fmt: skip
    """Who the round elects, by the rules; a tie age cannot settle is refused."""
    counted = r.Round(number=number, expressed=expressed, votes=tuple(
        r.CandidateVotes(candidate=str(pk), votes=n) for pk, n in votes.items()))  # fmt: skip
    people = tuple(r.Candidate(id=str(pk), name=c.name, birth_date=c.birth_date)
                   for pk, c in candidates.items())  # fmt: skip
    chosen, undecided = elect(counted, seats, people)
    if undecided:
        raise ServiceError("Égalité de voix entre candidats dont la date de naissance est "
                           "inconnue ou identique : le plus âgé l'emporte (L2121-21) ; "
                           "renseignez les dates de naissance.")  # fmt: skip
    return sorted(int(pk) for pk in chosen)
