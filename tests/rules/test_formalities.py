"""Convocation delays by kind of collectivity, urgency and second convocation."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

import pytest

from factories import dijon_record, move, plain_present, with_meeting, with_vote
from registre.record import CollectivityKind, MeetingRecord
from registre.rules import Code, Severity, check

MEETING = date(2023, 11, 23)


def _convened(
    kind: CollectivityKind, clear_days: int, population: int | None = None, **meeting: object
) -> MeetingRecord:
    record = dijon_record()
    record = replace(
        record, collectivity=replace(record.collectivity, kind=kind, population=population)
    )
    sent = MEETING - timedelta(days=clear_days + 1)
    return with_meeting(record, convocation_date=sent, synthesis_note_sent=True, **meeting)


def _severity(record: MeetingRecord) -> Severity | None:
    found = [f.severity for f in check(record) if f.code is Code.CONVOCATION_TOO_LATE]
    assert len(found) <= 1
    return found[0] if found else None


C, M, D = CollectivityKind.COMMUNE, CollectivityKind.METROPOLE, CollectivityKind.DEPARTEMENT
E, I = Severity.ERROR, Severity.INFO


@pytest.mark.parametrize(
    ("kind", "clear", "population", "meeting", "expected"),
    [
        (C, 3, 800, {}, None),  # L2121-11: 3 clear days
        (C, 2, 800, {}, E),
        (C, 4, 5000, {}, E),  # L2121-12: 5 clear days
        (C, 5, 5000, {}, None),
        (C, 4, None, {}, I),  # population unknown: 3 or 5, cannot tell
        (C, 2, None, {}, E),  # fewer than 3 whatever the population
        (M, 4, None, {}, E),  # EPCI: as communes of 3,500 and more
        (M, 1, None, {"urgency": True}, None),
        (M, 0, None, {"urgency": True}, E),
        (M, 3, None, {"second_convocation": True}, None),
        (D, 11, None, {}, None),  # L3121-19: 12 days
        (D, 10, None, {}, E),
    ],
)
def test_convocation_delay(
    kind: CollectivityKind,
    clear: int,
    population: int | None,
    meeting: dict[str, object],
    expected: Severity | None,
) -> None:
    assert _severity(_convened(kind, clear, population, **meeting)) == expected


def test_unknown_convocation_date_is_information() -> None:
    assert _severity(with_meeting(dijon_record(), convocation_date=None)) == I


def test_message_gives_the_dates_in_french() -> None:
    record = with_meeting(dijon_record(), convocation_date=date(2023, 11, 18))
    (found,) = [f for f in check(record) if f.code is Code.CONVOCATION_TOO_LATE]
    assert "18 novembre 2023" in found.message and "4 jours francs" in found.message
    assert found.article.startswith("L2121-11") and found.pointer == "/meeting/convocation_date"


def test_synthesis_note_not_needed_in_small_communes() -> None:
    record = with_meeting(_convened(C, 3, 800), synthesis_note_sent=False)
    assert Code.SYNTHESIS_NOTE_MISSING not in {f.code for f in check(record)}


def test_quorum_message_matches_the_clerks_wording() -> None:
    record = dijon_record()
    record = with_vote(move(record, plain_present(record, 35), "present", "absent"), for_=49)
    (found,) = [f for f in check(record) if f.code is Code.QUORUM_NOT_REACHED]
    assert found.message == (
        "Le quorum n'est pas atteint : 40 membres présents pour 86 en exercice, il en faut au moins 44."
    )
    assert found.deliberation == "20231123_01"
    assert found.pointer == "/deliberations/0/attendance/present"


@pytest.mark.parametrize(
    ("kind", "population", "meeting", "clear"),
    [(C, 800, {}, 3), (C, 5000, {}, 5), (M, None, {}, 5), (M, None, {"urgency": True}, 1),
     (M, None, {"second_convocation": True}, 3), (D, None, {}, 11)],
)  # fmt: skip
def test_convocation_deadline_is_the_last_day_the_check_accepts(
    kind: CollectivityKind, population: int | None, meeting: dict[str, object], clear: int
) -> None:
    from registre.rules import convocation_deadline  # noqa: PLC0415

    deadline = convocation_deadline(_convened(kind, clear, population, **meeting))
    assert deadline is not None and deadline.clear_days == clear
    assert deadline.latest == MEETING - timedelta(days=clear + 1)
    on_time = _convened(kind, clear, population, **meeting)
    late = with_meeting(on_time, convocation_date=deadline.latest + timedelta(days=1))
    assert _severity(on_time) is None and _severity(late) is E


def test_convocation_deadline_unknown_without_population_or_date() -> None:
    from registre.rules import convocation_deadline  # noqa: PLC0415

    unknown = convocation_deadline(_convened(C, 3, None))
    assert unknown is not None and unknown.latest is None and "population" in unknown.reason
    assert convocation_deadline(with_meeting(dijon_record(), date=None)) is None
