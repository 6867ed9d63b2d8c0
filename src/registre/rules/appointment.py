"""Appointments: absolute majority at rounds 1-2, relative at round 3, the eldest on a tie (L2121-21)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

from registre.record import Appointment, Candidate, Round
from registre.rules.context import ItemContext
from registre.rules.findings import Code, Finding, Severity

E, I = Severity.ERROR, Severity.INFO


def check_appointment(ctx: ItemContext, appointment: Appointment) -> Iterator[Finding]:
    """OUTCOME_INCONSISTENT for each round of an appointment."""
    candidates = {c.id: c for c in appointment.candidates}
    already: set[str] = set()  # a later round fills only the seats left
    for index, round_ in enumerate(appointment.rounds):
        where = f"/vote/appointment/rounds/{index}"
        if round_.number > 3:
            yield ctx.find(
                Code.OUTCOME_INCONSISTENT,
                E,
                f"Tour n° {round_.number} : une nomination se joue en trois tours au plus.",
                where,
            )
            continue
        if appointment.seats > 1 and round_.number < 3 and round_.expressed is None:
            yield ctx.find(
                Code.OUTCOME_INCONSISTENT,
                I,
                f"Tour n° {round_.number} : nombre de suffrages exprimés inconnu ; majorité absolue non vérifiable.",
                where,
            )
            continue
        left = max(appointment.seats - len(already), 0)
        already |= set(round_.elected)
        expected, undecided = _expected(round_, left, candidates)
        if undecided:
            yield ctx.find(
                Code.OUTCOME_INCONSISTENT,
                I,
                f"Tour n° {round_.number} : égalité entre candidats dont la date de naissance est inconnue ; le plus âgé l'emporte, non vérifiable.",
                where,
            )
        elif set(round_.elected) != expected:
            yield ctx.find(
                Code.OUTCOME_INCONSISTENT,
                E,
                _message(round_, expected, candidates),
                f"{where}/elected",
            )


def elect(round_: Round, seats: int, candidates: tuple[Candidate, ...]) -> tuple[set[str], bool]:
    """Who this round elects (candidate ids), computed, never typed: an absolute
    majority of the votes expressed at rounds 1 and 2, a relative majority at round 3,
    the eldest winning a tie (L2121-21); and whether a tie between candidates of
    unknown or equal birth dates left a seat undecided."""
    return _expected(round_, seats, {c.id: c for c in candidates})


def _expected(round_: Round, seats: int, candidates: dict[str, Candidate]) -> tuple[set[str], bool]:
    """Who should be elected at this round, and whether an age tie left it undecided."""
    votes = {v.candidate: v.votes for v in round_.votes}
    # with one seat each ballot names one candidate; with several, the count of
    # ballots must be given
    expressed = round_.expressed if round_.expressed is not None else sum(votes.values())
    if round_.number < 3:
        eligible = {c: n for c, n in votes.items() if n > expressed / 2}
    else:
        eligible = dict(votes)
    ranked = sorted(eligible, key=lambda c: (-eligible[c], _birth(candidates[c])))
    chosen = ranked[:seats]
    if len(ranked) > seats and chosen:
        last, first_out = chosen[-1], ranked[seats]
        if eligible[last] == eligible[first_out]:
            births = (candidates[last].birth_date, candidates[first_out].birth_date)
            if None in births or births[0] == births[1]:
                return set(chosen), True
    return set(chosen), False


def _birth(candidate: Candidate) -> date:
    return candidate.birth_date or date.max


def _message(round_: Round, expected: set[str], candidates: dict[str, Candidate]) -> str:
    def names(ids: set[str] | tuple[str, ...]) -> str:
        return ", ".join(sorted(candidates[c].name for c in ids)) or "personne"

    rule = (
        "la majorité absolue"
        if round_.number < 3
        else "la majorité relative, le plus âgé en cas d'égalité"
    )
    return (
        f"Tour n° {round_.number} : sont déclarés élus {names(round_.elected)}, "
        f"mais {rule} désigne {names(expected)}."
    )
