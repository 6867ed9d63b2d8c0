"""Structural integrity of a record: what makes it ambiguous, not illegal.

A record whose references cannot be resolved (two members with one id, two items
with one number, an event bound to an item that does not exist) cannot be checked
at all; these are format errors, not legal findings.
"""

from __future__ import annotations

from collections.abc import Iterable

from registre.errors import RecordFormatError
from registre.record.model import Appointment, MeetingRecord


def _first_duplicate(values: Iterable[str]) -> str | None:
    seen: set[str] = set()
    for value in values:
        if value in seen:
            return value
        seen.add(value)
    return None


def check_integrity(record: MeetingRecord) -> None:
    """Raise RecordFormatError if the record's internal references are ambiguous."""
    dup = _first_duplicate(m.id for m in record.meeting.members)
    if dup is not None:
        raise RecordFormatError(
            f"l'identifiant de membre « {dup} » est utilisé deux fois", pointer="/meeting/members"
        )
    dup = _first_duplicate(d.number for d in record.deliberations)
    if dup is not None:
        raise RecordFormatError(
            f"le numéro de délibération « {dup} » est utilisé deux fois", pointer="/deliberations"
        )
    numbers = {d.number for d in record.deliberations}
    for index, change in enumerate(record.attendance.changes):
        if change.from_item not in numbers:
            raise RecordFormatError(
                f"l'événement concerne le point « {change.from_item} », absent des délibérations",
                pointer=f"/attendance/changes/{index}/from_item",
            )
    for index, item in enumerate(record.deliberations):
        if item.vote is not None and item.vote.appointment is not None:
            _check_appointment(item.vote.appointment, f"/deliberations/{index}/vote/appointment")


def _check_appointment(appointment: Appointment, pointer: str) -> None:
    ids = [c.id for c in appointment.candidates]
    dup = _first_duplicate(ids)
    if dup is not None:
        raise RecordFormatError(
            f"le candidat « {dup} » est listé deux fois", pointer=f"{pointer}/candidates"
        )
    for r_index, round_ in enumerate(appointment.rounds):
        for v_index, votes in enumerate(round_.votes):
            if votes.candidate not in ids:
                raise RecordFormatError(
                    f"le candidat « {votes.candidate} » n'est pas dans la liste des candidats",
                    pointer=f"{pointer}/rounds/{r_index}/votes/{v_index}/candidate",
                )
        for e_index, elected in enumerate(round_.elected):
            if elected not in ids:
                raise RecordFormatError(
                    f"l'élu « {elected} » n'est pas dans la liste des candidats",
                    pointer=f"{pointer}/rounds/{r_index}/elected/{e_index}",
                )
