"""Bad input: exit 2, one French line on stderr naming the file and the problem."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from cli_helpers import DELETE, RecordFactory, demo_data

from registre import cli
from registre.errors import InputError


def run_bad(capsys: pytest.CaptureFixture[str], path: Path, *argv: str) -> str:
    """Run `registre check` (on `path` alone by default), assert the bad-input contract.

    `path` is the file the message must name; return the message.
    """
    status = cli.main(list(argv) or ["check", str(path)])
    out, err = capsys.readouterr()
    assert status == 2
    assert out == ""
    assert "Traceback" not in err
    assert err.startswith("registre : erreur : ")
    assert err.endswith("\n") and err.count("\n") == 1, "one line only"
    assert str(path) in err
    return err


def test_empty_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "vide.json"
    path.write_bytes(b"")
    assert "le document est vide" in run_bad(capsys, path)


def test_invalid_json(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "casse.json"
    path.write_text('{"meeting": ', encoding="utf-8")
    assert "JSON invalide à la ligne 1" in run_bad(capsys, path)


def test_json_list_instead_of_object(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "liste.json"
    path.write_text("[1, 2]", encoding="utf-8")
    assert "le document doit être un objet JSON" in run_bad(capsys, path)


def test_object_missing_meeting(
    write_record: RecordFactory, capsys: pytest.CaptureFixture[str]
) -> None:
    err = run_bad(capsys, write_record({"/meeting": DELETE}))
    assert "champ /meeting : champ obligatoire « meeting » manquant" in err


def test_negative_count(write_record: RecordFactory, capsys: pytest.CaptureFixture[str]) -> None:
    err = run_bad(capsys, write_record({"/deliberations/0/vote/for": -1}))
    assert "champ /deliberations/0/vote/for" in err
    assert "positif ou nul" in err


def test_date_that_does_not_exist(
    write_record: RecordFactory, capsys: pytest.CaptureFixture[str]
) -> None:
    err = run_bad(capsys, write_record({"/meeting/date": "2023-02-30"}))
    assert "champ /meeting/date : la date « 2023-02-30 » n'existe pas" in err


def test_unknown_field(write_record: RecordFactory, capsys: pytest.CaptureFixture[str]) -> None:
    err = run_bad(capsys, write_record({"/meeting/salle": "B"}))
    assert "champ inconnu « salle »" in err


def test_file_of_50_mb_refused_before_reading(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "enorme.json"
    with path.open("wb") as handle:
        handle.truncate(50 * 1024 * 1024)
    assert path.stat().st_size == 50 * 1024 * 1024

    def no_open(*args: object, **kwargs: object) -> None:
        raise AssertionError("the file was opened")

    monkeypatch.setattr(cli, "open", no_open, raising=False)
    err = run_bad(capsys, path)
    assert "fichier trop volumineux (50 Mo)" in err
    assert "la limite est de 10 Mo" in err


def test_file_just_over_the_limit(tmp_path: Path) -> None:
    path = tmp_path / "gros.json"
    path.write_bytes(b" " * (10 * 1024 * 1024 + 1))
    with pytest.raises(InputError, match="trop volumineux"):
        cli.read_input(str(path))


def test_missing_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert "fichier introuvable" in run_bad(capsys, tmp_path / "absent.json")


def test_directory(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert "c'est un dossier" in run_bad(capsys, tmp_path)


def test_not_utf8(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "latin1.json"
    path.write_bytes('{"nom": "Dijon métropole"}'.encode("latin-1"))
    assert "doit être du JSON encodé en UTF-8" in run_bad(capsys, path)


def test_utf8_bom_is_accepted(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "bom.json"
    path.write_bytes(b"\xef\xbb\xbf" + json.dumps(demo_data()).encode("utf-8"))
    assert cli.main(["check", str(path)]) == 0
    assert "Verdict : conforme" in capsys.readouterr().out


def test_deep_nesting(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "profond.json"
    path.write_text("[" * 100_000 + "]" * 100_000, encoding="utf-8")
    run_bad(capsys, path)


def test_bad_history_file_is_named(
    write_record: RecordFactory, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    past = tmp_path / "ancienne.json"
    past.write_text("{}", encoding="utf-8")
    err = run_bad(capsys, past, "check", str(write_record()), "--history", str(past))
    assert "ancienne.json : champ /collectivity" in err


def test_events_not_a_list(
    write_record: RecordFactory, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    events = tmp_path / "evenements.json"
    events.write_text("{}", encoding="utf-8")
    err = run_bad(capsys, events, "check", str(write_record()), "--events", str(events))
    assert "liste JSON d'événements" in err


def test_event_with_bad_date_shows_pointer(
    write_record: RecordFactory, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    events = tmp_path / "evenements.json"
    events.write_text('[{"kind": "signed", "on": "2023-11-31"}]', encoding="utf-8")
    err = run_bad(capsys, events, "check", str(write_record()), "--events", str(events))
    assert f"{events} : champ /0/on : la date « 2023-11-31 » n'existe pas" in err


def test_event_about_unknown_deliberation(
    write_record: RecordFactory, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    events = tmp_path / "evenements.json"
    events.write_text(
        '[{"kind": "signed", "on": "2023-11-24", "deliberation": "99"}]', encoding="utf-8"
    )
    err = run_bad(capsys, events, "check", str(write_record()), "--events", str(events))
    assert "champ /0/deliberation : la délibération « 99 »" in err


@pytest.mark.parametrize(
    ("value", "problem"),
    [("2023-13-01", "n'existe pas"), ("2023-02-30", "n'existe pas"), ("23/11/2023", "AAAA-MM-JJ")],
)
def test_impossible_as_of(
    write_record: RecordFactory, capsys: pytest.CaptureFixture[str], value: str, problem: str
) -> None:
    status = cli.main(["check", str(write_record()), "--as-of", value])
    err = capsys.readouterr().err
    assert status == 2
    assert "Traceback" not in err
    assert "argument --as-of : " in err
    assert f"« {value} »" in err
    assert problem in err


def test_unwritable_output(
    write_record: RecordFactory, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "absent" / "rapport.txt"
    err = run_bad(capsys, out, "check", str(write_record()), "-o", str(out))
    assert f"{out} : écriture impossible : le dossier n'existe pas" in err
