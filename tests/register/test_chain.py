"""The register's chain on SQLite: append, verify, and every tampering an attacker
with the database file would try, each detected and located."""

from __future__ import annotations

import json
import sqlite3
from datetime import date
from pathlib import Path

import pytest

from factories import FakeClock, dijon_record, fill_register
from registre.record import EventKind, LifecycleEvent, loads
from registre.register import (
    Anchor,
    EntryKind,
    SqliteStore,
    anchor,
    append_event,
    entry_from_line,
    export_entries,
    export_lines,
    verify,
    verify_export,
)
from registre.register.chain import digest_of


@pytest.fixture(scope="module")
def filled(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A register of 1,000 deliberations, made once; tests tamper with copies."""
    path = tmp_path_factory.mktemp("register") / "registre.sqlite"
    store = SqliteStore(path)
    fill_register(store, 1000)
    store.close()
    return path


def _copy(filled: Path, tmp_path: Path) -> sqlite3.Connection:
    target = tmp_path / "copie.sqlite"
    source = sqlite3.connect(filled)
    connection = sqlite3.connect(target, isolation_level=None)
    source.backup(connection)
    source.close()
    # what an attacker with the file does first
    connection.execute("DROP TRIGGER register_entry_no_update")
    connection.execute("DROP TRIGGER register_entry_no_delete")
    return connection


def _verify(connection: sqlite3.Connection, anchors: tuple[Anchor, ...] = ()) -> object:
    store = SqliteStore.__new__(SqliteStore)
    store.connection = connection
    return verify(store.entries(), anchors)


def test_thousand_entries_verify(filled: Path) -> None:
    store = SqliteStore(filled)
    result = verify(store.entries())
    assert result.ok and result.entries == 1000
    assert store.head("conseil")[0] == 1000  # type: ignore[index]
    numbers = [(e.year_number, e.meeting_number) for e in store.entries()][:12]
    assert numbers[:3] == [(1, 1), (2, 2), (3, 3)] and numbers[10] == (11, 1)


def test_entry_holds_the_deliberation_with_its_meeting(filled: Path) -> None:
    first = next(SqliteStore(filled).entries())
    record = loads(first.payload.decode("utf-8"))
    assert [d.number for d in record.deliberations] == ["2023_0001"]
    assert record.deliberations[0].attendance is not None
    assert record.meeting.members_in_office == 86


def test_update_and_delete_are_refused(filled: Path, tmp_path: Path) -> None:
    target = tmp_path / "r.sqlite"
    target.write_bytes(filled.read_bytes())
    store = SqliteStore(target)
    with pytest.raises(sqlite3.DatabaseError, match="ne se modifie pas"):
        store.connection.execute("UPDATE register_entry SET year = 1999")
    with pytest.raises(sqlite3.DatabaseError, match="ne se supprime pas"):
        store.connection.execute("DELETE FROM register_entry WHERE sequence = 5")
    assert verify(store.entries()).ok


def test_changed_vote_count_is_located(filled: Path, tmp_path: Path) -> None:
    db = _copy(filled, tmp_path)
    payload = db.execute("SELECT payload FROM register_entry WHERE sequence = 421").fetchone()[0]
    changed = bytes(payload).replace(b'"for":', b'"for":1', 1)
    db.execute("UPDATE register_entry SET payload = ? WHERE sequence = 421", (changed,))
    result = _verify(db)
    assert result.broken.sequence == 421  # type: ignore[attr-defined]
    assert "contenu a été modifié" in result.broken.problem  # type: ignore[attr-defined]


def test_deleted_entry_is_located(filled: Path, tmp_path: Path) -> None:
    db = _copy(filled, tmp_path)
    db.execute("DELETE FROM register_entry WHERE sequence = 500")
    broken = _verify(db).broken  # type: ignore[attr-defined]
    assert broken.sequence == 501 and "n° 500 manque" in broken.problem


def test_swapped_entries_are_located(filled: Path, tmp_path: Path) -> None:
    db = _copy(filled, tmp_path)
    db.execute("UPDATE register_entry SET sequence = -1 WHERE sequence = 300")
    db.execute("UPDATE register_entry SET sequence = 300 WHERE sequence = 301")
    db.execute("UPDATE register_entry SET sequence = 301 WHERE sequence = -1")
    broken = _verify(db).broken  # type: ignore[attr-defined]
    assert broken.sequence == 300


def test_changed_and_rehashed_entry_breaks_the_next_link(filled: Path, tmp_path: Path) -> None:
    db = _copy(filled, tmp_path)
    store = SqliteStore.__new__(SqliteStore)
    store.connection = db
    entry = next(e for e in store.entries() if e.sequence == 700)
    payload = entry.payload.replace(b'"for":', b'"for":1', 1)
    digest = digest_of(entry.previous, entry.header(), payload)
    db.execute(
        "UPDATE register_entry SET payload = ?, digest = ? WHERE sequence = 700", (payload, digest)
    )
    broken = _verify(db).broken  # type: ignore[attr-defined]
    assert broken.sequence == 701 and "lien vers l'écriture précédente" in broken.problem


def test_rewritten_history_is_caught_by_a_published_anchor(filled: Path, tmp_path: Path) -> None:
    store = SqliteStore(filled)
    published = anchor(store, "conseil", "la liste des délibérations du 28 janvier 2023")
    assert published is not None
    early = Anchor("conseil", 600, next(e.digest for e in store.entries() if e.sequence == 600),
                   "la liste des délibérations du 20 janvier 2023")  # fmt: skip
    db = _copy(filled, tmp_path)
    rewriter = SqliteStore.__new__(SqliteStore)
    rewriter.connection = db
    previous = None
    for entry in list(rewriter.entries()):
        if entry.sequence < 550:
            previous = entry.digest
            continue
        payload = (
            entry.payload.replace(b'"for":', b'"for":1', 1)
            if entry.sequence == 550
            else entry.payload
        )
        digest = digest_of(previous or "", entry.header(), payload)
        db.execute("UPDATE register_entry SET payload = ?, previous = ?, digest = ? WHERE sequence = ?",
                   (payload, previous, digest, entry.sequence))  # fmt: skip
        previous = digest
    assert _verify(db).ok  # the chain alone holds: only what was published can tell
    broken = _verify(db, (early, published)).broken  # type: ignore[attr-defined]
    assert broken.sequence == 600 and "20 janvier 2023" in broken.problem
    assert "réécrit" in broken.problem


def test_truncated_register_is_caught_by_an_anchor(filled: Path, tmp_path: Path) -> None:
    published = anchor(SqliteStore(filled), "conseil", "la liste du 28 janvier 2023")
    db = _copy(filled, tmp_path)
    db.execute("DELETE FROM register_entry WHERE sequence > 990")
    broken = _verify(db, (published,)).broken  # type: ignore[arg-type,attr-defined]
    assert broken.sequence == 1000 and "tronqué" in broken.problem


def test_events_are_entries_that_never_change_the_original(tmp_path: Path) -> None:
    store = SqliteStore(tmp_path / "r.sqlite")
    fill_register(store, 3)
    before = [e.digest for e in store.entries()]
    event = LifecycleEvent(kind=EventKind.CORRECTED, on=date(2023, 12, 1),
                           deliberation="2023_0002", reason="erreur matérielle")  # fmt: skip
    entry = append_event(store, "conseil", event, FakeClock("2023-12-01T09:00:00+00:00"))
    assert entry.kind is EntryKind.EVENT and entry.sequence == 4
    assert [e.digest for e in store.entries()][:3] == before
    assert verify(store.entries()).ok


def test_exported_register_verifies_without_the_database(filled: Path, tmp_path: Path) -> None:
    lines = list(export_lines(SqliteStore(filled).entries()))
    export = tmp_path / "registre.jsonl"
    export.write_bytes(b"\n".join(lines) + b"\n")
    result = verify_export(export)
    assert result.ok and result.entries == 1000
    assert [entry_from_line(line) for line in lines[:3]] == list(SqliteStore(filled).entries())[:3]
    assert list(export_entries(export)) == list(SqliteStore(filled).entries())
    record = json.loads(lines[0])["payload"]  # a re-user reads the record directly
    assert record["deliberations"][0]["number"] == "2023_0001"


@pytest.mark.parametrize(
    ("tamper", "sequence", "problem"),
    [
        (lambda ls: ls.__setitem__(10, ls[10].replace(b'"for":', b'"for":1', 1)), 11, "contenu"),
        (lambda ls: ls.pop(500), 502, "n° 501 manque"),
        (lambda ls: ls.insert(300, ls.pop(301)), 302, "n° 301 manque"),
        (lambda ls: ls.__setitem__(7, b"{pas une ligne}"), 8, "illisible"),
    ],
)
def test_tampered_export_is_located(
    filled: Path, tmp_path: Path, tamper: object, sequence: int, problem: str
) -> None:
    lines = list(export_lines(SqliteStore(filled).entries()))
    tamper(lines)  # type: ignore[operator]
    export = tmp_path / "registre.jsonl"
    export.write_bytes(b"\n".join(lines) + b"\n")
    broken = verify_export(export).broken
    assert broken is not None and broken.sequence == sequence and problem in broken.problem, broken


def test_export_checks_anchors(filled: Path, tmp_path: Path) -> None:
    store = SqliteStore(filled)
    export = tmp_path / "registre.jsonl"
    export.write_bytes(b"\n".join(export_lines(store.entries())) + b"\n")
    good = anchor(store, "conseil", "la liste du 28 janvier 2023")
    assert good is not None and verify_export(export, (good,)).ok
    wrong = Anchor("conseil", 640, "e" * 64, "la liste du 20 janvier 2023")
    broken = verify_export(export, (wrong,)).broken
    assert broken is not None and broken.sequence == 640 and "20 janvier 2023" in broken.problem
    beyond = Anchor("conseil", 1200, "e" * 64, "la liste du 30 janvier 2023")
    assert "tronqué" in verify_export(export, (beyond,)).broken.problem  # type: ignore[union-attr]


def test_two_assemblies_have_their_own_chains(tmp_path: Path) -> None:
    store = SqliteStore(tmp_path / "r.sqlite")
    fill_register(store, 2, assembly="conseil")
    fill_register(store, 3, assembly="bureau")
    assert store.head("conseil")[0] == 2 and store.head("bureau")[0] == 3  # type: ignore[index]
    assert verify(store.entries()).ok


def test_dijon_record_is_entered_whole(tmp_path: Path) -> None:
    from registre.register import append_deliberation  # noqa: PLC0415

    store = SqliteStore(tmp_path / "r.sqlite")
    record = dijon_record()
    entry = append_deliberation(store, "conseil", record, "20231123_01", FakeClock())
    assert loads(entry.payload.decode("utf-8")) == record


def test_payload_is_the_canonical_record_of_the_one_deliberation() -> None:
    from factories import meeting_of  # noqa: PLC0415
    from registre.record import canonical_bytes, single_deliberation  # noqa: PLC0415
    from registre.register import deliberation_payload  # noqa: PLC0415

    record = meeting_of(dijon_record(), 3)
    for item in record.deliberations:
        expected = canonical_bytes(single_deliberation(record, item.number))
        assert deliberation_payload(record, item.number) == expected


def test_a_batch_is_entered_whole_or_not_at_all(tmp_path: Path) -> None:
    from factories import register_items  # noqa: PLC0415
    from registre.register import append_deliberation, append_deliberations  # noqa: PLC0415

    store = SqliteStore(tmp_path / "lots.sqlite")
    items = register_items(30)
    one_by_one = SqliteStore(tmp_path / "un.sqlite")
    clock = FakeClock()
    singles = [append_deliberation(one_by_one, "conseil", r, n, clock) for r, n in items]
    batch = append_deliberations(store, "conseil", items, FakeClock())
    # the same chain as entered one by one: same numbers, payloads and digests
    assert [(e.sequence, e.year_number, e.meeting_number, e.digest) for e in batch] == [
        (e.sequence, e.year_number, e.meeting_number, e.digest) for e in singles
    ]
    broken = [*register_items(5), (items[0][0], "n'existe pas")]
    with pytest.raises(KeyError):
        append_deliberations(store, "conseil", broken, FakeClock())
    assert len(list(store.entries())) == 30 and verify(store.entries()).ok
