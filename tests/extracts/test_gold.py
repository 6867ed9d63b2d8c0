"""The reader against gold files written by hand: tallies, outcomes and attendance.

Each document has a floor of field accuracy under which the test fails; the
floors are the accuracy measured when they were set (see the issue notes), so a
change that reads worse fails, and one that reads better should raise them.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from goldcmp import compare, gold_files, load_gold, read_source

from factories import dijon_record
from registre.extracts import read_text
from registre.rules import Severity, check

# accuracy floors (fraction of gold fields read right), per gold file stem
FLOORS = {
    "018_preuilly-sur-claise-cm-2020-07-23": 0.90,
    "019_couthenans-cm-2021-01-29": 0.95,
    "020_couthenans-cm-2021-11-05": 0.99,
    "021_couthenans-cm-2022-10-28": 0.99,
    "022_couthenans-cm-2023-02-24": 0.96,
    "023_flaux-cm-2020-06-08": 0.74,
    "024_flaux-cm-2020-06-19": 0.68,
    "025_flaux-cm-2020-11-19": 0.94,
    "031_flaux-cm-2021-11-26-ocr": 0.52,
    "032_flaux-cm-2023-11-17-ocr": 0.43,
    "couthenans-cm-2021-04-09": 0.99,
    "couthenans-cm-2021-09-17": 0.99,
    "couthenans-cm-2022-10-07": 0.87,
    "flaux-cm-2020-07-10": 0.76,
    "flaux-cm-2021-03-11": 0.21,
    "montpellier-2014-04-05-0000070899": 0.99,
    "montpellier-2014-04-24-0000071218": 0.99,
    "montpellier-2014-04-24-0000071267": 0.99,
    "montpellier-2014-05-22-0000072073": 0.99,
    "montpellier-2014-05-22-0000072216": 0.99,
}
_SCANS = {"flaux-cm-2021-03-11"}  # scanned PDF: whole-document OCR only in make test-full


def _stem(path: Path) -> str:
    return path.name.removesuffix(".gold.json")


def _params() -> list[object]:
    marks = {stem: [pytest.mark.slow] for stem in _SCANS}
    return [pytest.param(p, id=_stem(p), marks=marks.get(_stem(p), [])) for p in gold_files()]


def test_every_gold_file_has_a_floor() -> None:
    assert {_stem(p) for p in gold_files()} == set(FLOORS)


@pytest.mark.parametrize("path", _params())
def test_reader_matches_gold(path: Path) -> None:
    gold = load_gold(path)
    score = compare(read_source(gold), gold)
    floor = FLOORS[_stem(path)]
    assert score.accuracy >= floor, f"{score.accuracy:.0%} < {floor:.0%} : {score.misses[:15]}"


def test_dijon_reads_exactly() -> None:
    text = (
        Path(__file__).resolve().parents[1] / "data" / "dijon-extrait-2023-11-23.txt"
    ).read_text(encoding="utf-8")
    result = read_text(text, source="dijon")
    record, demo = result.record, dijon_record()
    assert record.meeting.date == demo.meeting.date
    assert record.meeting.convocation_date == demo.meeting.convocation_date
    assert record.meeting.members_in_office == 86
    names = {m.id: m.display_name for m in record.meeting.members}
    demo_names = {m.id: m.display_name for m in demo.meeting.members}
    for key in ("present", "absent", "represented"):
        got = [names[m] for m in getattr(record.attendance, key)]
        assert got == [demo_names[m] for m in getattr(demo.attendance, key)], key
    pairs = {(names[p.giver], names[p.holder or ""]) for p in record.attendance.proxies}
    assert pairs == {
        (demo_names[p.giver], demo_names[p.holder or ""]) for p in demo.attendance.proxies
    }
    assert "Marie-Hélène JUILLARD-RANDRIAN" in names.values()
    assert names[record.meeting.president or ""] == "François REBSAMEN"
    assert [names[s] for s in record.meeting.secretaries or ()] == ["Antoine HOAREAU"]
    item, want = record.deliberations[0], demo.deliberations[0]
    assert (item.heading, item.subject, item.outcome) == (want.heading, want.subject, want.outcome)
    assert item.vote is not None and want.vote is not None
    assert (
        item.vote.for_,
        item.vote.against,
        item.vote.abstention,
        item.vote.not_voting,
        item.vote.proxies_counted,
    ) == (84, 0, 0, 0, 9)
    assert not [f for f in check(record) if f.severity is Severity.ERROR]
    assert result.span_of("/meeting/date") is not None
