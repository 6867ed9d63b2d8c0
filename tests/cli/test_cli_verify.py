"""`registre verify`: a register's verdict, its export, the anchors, and bad input."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
from cli_helpers import RecordFactory

from factories import fill_register
from registre import cli
from registre.extracts.loaders import load
from registre.register import SqliteStore, anchor
from registre.register.chain import digest_of


@pytest.fixture
def register(tmp_path: Path) -> Path:
    path = tmp_path / "registre.sqlite"
    store = SqliteStore(path)
    fill_register(store, 30)
    store.close()
    return path


def test_verify_a_sound_register(register: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["verify", str(register)]) == 0
    assert "Registre intègre : 30 écritures vérifiées" in capsys.readouterr().out


def test_verify_an_export_and_locate_a_change(
    register: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    export = tmp_path / "registre.jsonl"
    assert cli.main(["verify", str(register), "--export", str(export)]) == 0
    assert cli.main(["verify", str(export)]) == 0
    lines = export.read_bytes().splitlines()
    lines[6] = lines[6].replace(b'"for":', b'"for":1', 1)
    export.write_bytes(b"\n".join(lines) + b"\n")
    capsys.readouterr()
    assert cli.main(["verify", str(export)]) == 1
    out = capsys.readouterr().out
    assert "ROMPU à l'écriture n° 7" in out and "contenu a été modifié" in out


def test_anchors_catch_a_rewrite(
    register: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    head = anchor(SqliteStore(register), "conseil", "la liste des délibérations du 3 janvier 2023")
    assert head is not None
    anchors = tmp_path / "empreintes.json"
    wrong = {"assembly": "conseil", "sequence": head.sequence, "digest": "f" * 64,
             "published_in": head.published_in}  # fmt: skip
    anchors.write_text(json.dumps([wrong]), encoding="utf-8")
    assert cli.main(["verify", str(register), "--anchors", str(anchors)]) == 1
    assert "3 janvier 2023" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("content", "message"),
    [(b"pas une base", "n'est pas une base de registre"), (b'{"x": 1}\n', "ligne 1")],
)
def test_bad_input_is_a_french_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], content: bytes, message: str
) -> None:
    path = tmp_path / ("r.jsonl" if content.startswith(b"{") else "r.sqlite")
    path.write_bytes(content)
    assert cli.main(["verify", str(path)]) == 2
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err


def test_missing_register(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["verify", str(tmp_path / "absent.sqlite")]) == 2
    assert "introuvable" in capsys.readouterr().err


def test_sqlite_refuses_a_locked_edit(register: Path) -> None:
    with pytest.raises(sqlite3.DatabaseError):
        sqlite3.connect(register).execute("DELETE FROM register_entry")


def test_verify_never_writes_into_another_database(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    other = tmp_path / "autre.sqlite"
    sqlite3.connect(other).execute("CREATE TABLE t (x)")
    before = other.read_bytes()
    assert cli.main(["verify", str(other)]) == 2
    assert "n'est pas une base de registre" in capsys.readouterr().err
    assert other.read_bytes() == before


def test_published_list_anchors_the_register_end_to_end(
    register: Path, tmp_path: Path, write_record: RecordFactory, capsys: pytest.CaptureFixture[str]
) -> None:
    listing = tmp_path / "liste.pdf"
    argv = ["render", str(write_record()), "--kind", "deliberation_list", "--register",
            str(register), "-o", str(listing)]  # fmt: skip
    assert cli.main(argv) == 0
    assert "Empreinte du registre" in load(listing).text
    assert cli.main(["verify", str(register), "--anchors", str(listing)]) == 0
    # an attacker rewrites the last entry and re-hashes it, triggers dropped
    db = sqlite3.connect(register, isolation_level=None)
    db.execute("DROP TRIGGER register_entry_no_update")
    store = SqliteStore.__new__(SqliteStore)
    store.connection = db
    last = list(store.entries())[-1]
    payload = last.payload.replace(b'"for":', b'"for":1', 1)
    digest = digest_of(last.previous, last.header(), payload)
    db.execute("UPDATE register_entry SET payload = ?, digest = ? WHERE sequence = ?",
               (payload, digest, last.sequence))  # fmt: skip
    db.close()
    capsys.readouterr()
    assert cli.main(["verify", str(register)]) == 0  # the chain alone cannot tell
    assert cli.main(["verify", str(register), "--anchors", str(listing)]) == 1
    out = capsys.readouterr().out
    assert f"n° {last.sequence}" in out and "liste.pdf" in out and "réécrit" in out


def test_register_option_only_for_the_list(
    register: Path, tmp_path: Path, write_record: RecordFactory, capsys: pytest.CaptureFixture[str]
) -> None:
    argv = ["render", str(write_record()), "--kind", "minutes", "--register", str(register),
            "-o", str(tmp_path / "pv.pdf")]  # fmt: skip
    assert cli.main(argv) == 2
    assert "ne s'applique qu'à la liste" in capsys.readouterr().err


def test_archive_package_from_the_command(register: Path, tmp_path: Path) -> None:
    out = tmp_path / "registre-2023"
    assert cli.main(["verify", str(register), "--archive", "2023", "-o", str(out)]) == 0
    assert {p.name for p in out.iterdir()} >= {
        "registre.jsonl",
        "MANIFEST.sha256",
        "verifier.py",
        "LISEZMOI.txt",
    }
