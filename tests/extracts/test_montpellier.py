"""Every one of Montpellier's 123 published extracts (2014), read and checked.

For each file: its date, number ("2014 / 196"), act id, subject, rapporteur, the
dates of sending to the prefecture and of publication; present + represented +
absent = 65; every present name occurs in the document's text, none twice; the
represented members are givers without holders (the document names none); the
empty name slot of the 2014-04-24 files is reported, not dropped.
"""

from __future__ import annotations

import re
from datetime import date
from functools import cache
from pathlib import Path

import pytest

from registre.extracts import ReadResult, read
from registre.extracts.loaders import load
from registre.record import EventKind

FOLDER = Path(__file__).resolve().parents[1] / "data" / "corpus" / "montpellier"
FILES = sorted(FOLDER.glob("*/*.pdf"))


@cache
def _read(path: Path) -> ReadResult:
    return read(path)


def test_all_files_are_here() -> None:
    assert len(FILES) == 123


@pytest.mark.parametrize("path", FILES, ids=[p.stem for p in FILES])
def test_extract(path: Path) -> None:
    result = _read(path)
    record = result.record
    assert record.meeting.date == date.fromisoformat(path.parent.name)
    assert len(record.deliberations) == 1
    item = record.deliberations[0]
    assert re.fullmatch(r"2014 / \d{2,3}", item.number), item.number
    act = path.stem.split("-")[-1]
    assert item.act_id == f"034-213401722-{path.parent.name.replace('-', '')}-{act}-DE"
    printed = set(re.findall(r"034-213401722-\d{8}-\d{10}-DE", load(path).text))
    assert len(printed) == 1 or any(d.pointer.endswith("/act_id") for d in result.doubts)
    assert item.subject and not item.subject.startswith("(") and len(item.subject) > 8
    assert item.rapporteur is not None
    dates = {e.kind: e.on for e in result.events}
    assert dates[EventKind.TRANSMITTED] >= record.meeting.date
    assert EventKind.PUBLISHED in dates


@pytest.mark.parametrize("path", FILES, ids=[p.stem for p in FILES])
def test_attendance(path: Path) -> None:
    result = _read(path)
    att = result.record.attendance
    present, represented, absent = att.present or (), att.represented or (), att.absent or ()
    assert len(present) + len(represented) + len(absent) == 65
    assert len(set(present)) == len(present)
    names = {m.id: m.display_name for m in result.record.meeting.members}
    text = re.sub(r"-\s+", "-", re.sub(r"\s+", " ", load(path).text))
    for member in present:
        first, _, last = names[member].partition(" ")
        assert first in text and last.split()[-1] in text, names[member]
    # the document lists the givers and never their holders
    assert [p.giver for p in att.proxies] == list(represented)
    assert all(p.holder is None for p in att.proxies)


@pytest.mark.parametrize("path", sorted(FOLDER.glob("2014-04-24/*.pdf")), ids=lambda p: p.stem)
def test_empty_name_slot_is_reported(path: Path) -> None:
    result = _read(path)
    assert any("vide" in u.reason for u in result.unread)
    assert any("vide" in d.reason for d in result.doubts)
