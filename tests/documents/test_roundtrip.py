"""Round trips: a rendered extract read back by its text (the attached record
ignored) gives the same attendance, proxies and tally; its attached record gives
the record exactly.

The generated meetings are a corpus of their own: their layout is registre's, so
they show that what registre prints is readable, not that the reader is right on
other publishers' documents (the corpus tests do that).
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from factories import dijon_record
from registre.documents import render
from registre.extracts import Method, read
from registre.record import (
    Appointment,
    Attendance,
    Candidate,
    CandidateVotes,
    DeliberationRecord,
    DocumentKind,
    MeetingRecord,
    Round,
    canonical_bytes,
    item_attendances,
)
from strategies import consistent_meetings

_FIRST = ("Anne", "Benoît", "Céline", "Éric", "Françoise", "Gaëlle", "Hélène", "Jean-Marc",
          "Loïc", "Maëlys", "Noël", "Océane", "Pierre", "Zoé", "Jérôme", "Agnès")  # fmt: skip
_LAST = ("DUPONT", "N'DIAYE", "LEFÈVRE", "MARTIN-GENDRE", "D'ALEMBERT", "GONÇALVES",
         "CARRELET DE LOISY", "ÉTIENNE", "BOUILLÉ", "PRÉVÔT", "O'NEILL", "ROUSSEAU",
         "FAURÉ", "LŒWENBRUCK", "ÇELIK", "HUON-SAVINA", "BÂTARD", "NOËL")  # fmt: skip


def _unique_names(record: MeetingRecord) -> MeetingRecord:
    """One name per member (a council has no two members of the same name)."""
    members = []
    for index, member in enumerate(record.meeting.members):
        first = _FIRST[(index // len(_LAST)) % len(_FIRST)]
        last = _LAST[index % len(_LAST)]
        if index >= len(_FIRST) * len(_LAST):
            last = f"{last}-{_LAST[(index // len(_LAST)) % len(_LAST)]}"
        members.append(replace(member, first_name=first, last_name=last))
    return replace(record, meeting=replace(record.meeting, members=tuple(members)))


def _names(record: MeetingRecord) -> dict[str, str]:
    return {m.id: f"{m.first_name} {m.last_name}".upper() for m in record.meeting.members}


def _as_names(att: Attendance, names: dict[str, str]) -> tuple[object, ...]:
    def each(ids: tuple[str, ...] | None) -> list[str]:
        return sorted(names[i] for i in ids or ())

    proxies = sorted((names[p.giver], names.get(p.holder or "", "")) for p in att.proxies or ())
    return each(att.present), each(att.represented), proxies


def _tally(item: DeliberationRecord) -> tuple[object, ...]:
    vote = item.vote
    if vote is None:
        return (None,)
    return vote.for_ or 0, vote.against or 0, vote.abstention or 0, vote.not_voting or 0


def _read_back(record: MeetingRecord, item: DeliberationRecord, folder: Path) -> MeetingRecord:
    path = folder / "extrait.pdf"
    path.write_bytes(render(record, DocumentKind.EXTRACT, item=item.number))
    result = read(path, embedded=False)
    assert result.method is Method.PDF_TEXT
    return result.record


def _assert_same_extract(record: MeetingRecord, item: DeliberationRecord, folder: Path) -> None:
    expected = item.attendance or item_attendances(record)[item.number]
    back = _read_back(record, item, folder)
    [read_item] = back.deliberations
    read_attendance = read_item.attendance or back.attendance
    names, read_names = _names(record), _names(back)
    assert _as_names(read_attendance, read_names) == _as_names(expected, names)
    vote = item.vote
    if vote is None or vote.appointment is not None:
        return  # an appointment prints its rounds, which the reader does not read
    if vote.unanimous:
        assert read_item.vote is not None and read_item.vote.unanimous
    else:
        assert _tally(read_item) == _tally(item)


def _variant(record: MeetingRecord, item: DeliberationRecord, choice: int) -> MeetingRecord:
    """The item voted unanimously (when nobody voted otherwise), or as an
    appointment of one seat between two present members, or left as drawn."""
    vote = item.vote
    if vote is None:
        return record
    attendance = item.attendance or item_attendances(record)[item.number]
    if choice == 1 and not (vote.against or vote.abstention or vote.not_voting):
        vote = replace(vote, unanimous=True)
    elif choice == 2 and len(attendance.present or ()) >= 2:
        first, second = (attendance.present or ())[:2]
        candidates = (Candidate(id="c1", name="Liste A", member=first),
                      Candidate(id="c2", name="Liste B", member=second))  # fmt: skip
        ballots = (CandidateVotes(candidate="c1", votes=vote.for_ or 0),
                   CandidateVotes(candidate="c2", votes=vote.against or 0))  # fmt: skip
        rounds = (Round(number=1, votes=ballots, elected=("c1",)),)
        vote = replace(vote, appointment=Appointment(seats=1, candidates=candidates, rounds=rounds))
    items = tuple(replace(d, vote=vote) if d is item else d for d in record.deliberations)
    return replace(record, deliberations=items)


def test_dijon_extract_reads_back_by_its_text(tmp_path: Path) -> None:
    record = dijon_record()
    _assert_same_extract(record, record.deliberations[0], tmp_path)
    back = _read_back(record, record.deliberations[0], tmp_path)
    assert back.meeting.date == record.meeting.date
    assert back.meeting.members_in_office == 86
    assert back.meeting.president == record.meeting.president
    assert back.meeting.secretaries == record.meeting.secretaries
    assert back.deliberations[0].vote.proxies_counted == 9  # type: ignore[union-attr]


def test_attached_record_is_the_record_exactly(tmp_path: Path) -> None:
    record = dijon_record()
    for kind in (DocumentKind.EXTRACT, DocumentKind.DELIBERATION_LIST, DocumentKind.MINUTES):
        path = tmp_path / f"{kind.value}.pdf"
        path.write_bytes(render(record, kind))
        result = read(path)
        assert result.method is Method.EMBEDDED
        assert result.record == record
        assert canonical_bytes(result.record) == canonical_bytes(record)


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(consistent_meetings(min_members=5, max_members=150, max_items=3), st.data())
def test_generated_extracts_read_back_by_their_text(
    tmp_path_factory: object, record: MeetingRecord, data: st.DataObject
) -> None:
    record = _unique_names(record)
    index = data.draw(st.integers(0, len(record.deliberations) - 1))
    record = _variant(record, record.deliberations[index], data.draw(st.integers(0, 2)))
    folder = tmp_path_factory.mktemp("rt")  # type: ignore[attr-defined]
    _assert_same_extract(record, record.deliberations[index], folder)
