"""`registre read` (a document, or a folder to JSON Lines), `check` on a document, and
the JSON Schema of the read output (docs/read.schema.json), on real published files."""

from __future__ import annotations

import csv
import importlib.util
import io
import json
import os
import random
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from cli_helpers import demo_data

from registre import cli, cli_batch
from registre.extracts import read
from registre.extracts.output import KEYS, read_schema, read_schema_text, result_data
from registre.record import loads, to_data
from registre.record.schema import json_schema
from registre.rules import check

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "tests" / "data"
DIJON = DATA / "dijon-extrait-2023-11-23.txt"
COUTHENANS = DATA / "corpus" / "text" / "019_couthenans-cm-2021-01-29.txt"
MONTPELLIER = DATA / "corpus" / "montpellier" / "2014-04-24" / "2014-04-24-0000071218.pdf"
READ_SCHEMA_FILE = ROOT / "docs" / "read.schema.json"


def run(capsys: pytest.CaptureFixture[str], *argv: str | Path) -> tuple[int, str, str]:
    status = cli.main([str(arg) for arg in argv])
    out, err = capsys.readouterr()
    return status, out, err


def garbage(path: Path) -> Path:
    """A file named .pdf holding random bytes (a download that went wrong)."""
    path.write_bytes(random.Random(7).randbytes(4096))
    return path


# --- one document --------------------------------------------------------------------


def test_read_dijon_text_report(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, err = run(capsys, "read", DIJON)
    assert status == 0
    assert err == ""
    assert f"Fichier : {DIJON}" in out
    assert "23 novembre 2023" in out
    assert "Convocation : envoyée le 15 novembre 2023" in out
    assert "Membres en exercice : 86" in out
    assert "Président : François REBSAMEN" in out
    assert "Secrétaire de séance : Antoine HOAREAU" in out
    assert "75 présents" in out
    assert "9 procurations" in out
    assert "Céline TONOT : procuration à Jean-Marc RETY" in out
    assert "Absents (2)" in out
    assert "84 pour" in out
    assert "Résultat : adoptée" in out
    assert "Doutes (" in out
    assert "Passages non interprétés (" in out
    assert out.rstrip().splitlines()[-1].startswith("Verdict : conforme")


def test_read_proxy_without_holder_says_so(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = run(capsys, "read", MONTPELLIER)
    assert status in (0, 1)
    assert "mandataire non indiqué" in out
    assert "Lu comme : PDF (couche texte)" in out
    assert "Verdict : " in out


def test_read_dijon_json(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, err = run(capsys, "read", DIJON, "--json")
    assert status == 0
    assert err == ""
    data = json.loads(out)
    assert tuple(data) == KEYS
    record = data["record"]
    assert record["meeting"]["date"] == "2023-11-23"
    assert len(record["attendance"]["present"]) == 75
    assert record["deliberations"][0]["vote"]["for"] == 84
    span = data["provenance"]["/meeting/date"]
    assert set(span) == {"page", "lines"}
    assert span["page"] == 1
    first, last = span["lines"]
    assert 1 <= first <= last
    for doubt in data["doubts"]:
        assert set(doubt) == {"pointer", "reason"}
    for finding in data["findings"]:
        assert set(finding) == {"code", "severity", "article", "message", "pointer", "deliberation"}


def test_json_record_is_the_canonical_record(capsys: pytest.CaptureFixture[str]) -> None:
    _, out, _ = run(capsys, "read", DIJON, "--json")
    data = json.loads(out)
    result = read(DIJON)
    assert data["record"] == to_data(result.record)
    assert loads(json.dumps(data["record"])) == result.record
    assert data["source"] == str(DIJON)
    assert data["method"] == result.method.value
    assert data["pages"] == result.pages


def test_read_json_to_file(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    target = tmp_path / "lu.json"
    status, out, err = run(capsys, "read", DIJON, "--json", "-o", target)
    assert status == 0
    assert out == ""
    assert str(target) in err
    assert json.loads(target.read_text(encoding="utf-8"))["record"]["meeting"]["date"] == (
        "2023-11-23"
    )


def test_result_data_unread_and_findings_shapes() -> None:
    result = read(MONTPELLIER)
    findings = check(result.record, events=result.events)
    data = result_data(result, findings)
    assert len(data["unread"]) == len(result.unread)
    for item, unread in zip(data["unread"], result.unread, strict=True):
        assert item == {
            "page": unread.span.page,
            "lines": [unread.span.first_line, unread.span.last_line],
            "text": unread.text,
            "reason": unread.reason,
        }
    assert [f["code"] for f in data["findings"]] == [f.code.value for f in findings]
    assert data["events"] == [to_data(event) for event in result.events]


def assert_bad_input(status: int, out: str, err: str, path: Path) -> None:
    assert status == 2
    assert out == ""
    assert "Traceback" not in err
    assert err.startswith("registre : erreur : ")
    assert err.count("\n") == 1
    assert str(path) in err


def test_read_unreadable_document_exits_2(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = garbage(tmp_path / "telechargement.pdf")
    assert_bad_input(*run(capsys, "read", path), path)
    missing = tmp_path / "absent.pdf"
    assert_bad_input(*run(capsys, "read", missing), missing)


@pytest.mark.parametrize(
    ("options", "expected"),
    [
        (["--workers", "2"], "--workers ne s'applique qu'à un dossier"),
        (["--findings-csv", "x.csv"], "--findings-csv ne s'applique qu'à un dossier"),
    ],
)
def test_folder_options_on_a_file_are_refused(
    capsys: pytest.CaptureFixture[str], options: list[str], expected: str
) -> None:
    status, out, err = run(capsys, "read", DIJON, *options)
    assert status == 2
    assert out == ""
    assert expected in err


@pytest.mark.parametrize("value", ["0", "-1", "deux"])
def test_bad_workers_value(capsys: pytest.CaptureFixture[str], value: str) -> None:
    status, _, err = run(capsys, "read", DIJON, "--workers", value)
    assert status == 2
    assert "argument --workers" in err
    assert "Traceback" not in err


# --- check on a published document ----------------------------------------------------


def test_check_reads_a_text_document(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, err = run(capsys, "check", DIJON)
    assert status == 0
    assert err == ""
    assert out.startswith(f"Fichier : {DIJON}\n")
    assert "Dijon métropole" in out
    assert out.rstrip().splitlines()[-1].startswith("Verdict : conforme")
    status, out, _ = run(capsys, "check", DIJON, "--json")
    assert status == 0
    report = json.loads(out)
    assert report["file"] == str(DIJON)
    assert report["verdict"]["conforme"] is True


def test_check_reads_a_pdf(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = run(capsys, "check", MONTPELLIER, "--json")
    expected = check(read(MONTPELLIER).record)
    assert status == (1 if any(f.severity.value == "error" for f in expected) else 0)
    assert [f["code"] for f in json.loads(out)["findings"]] == [f.code.value for f in expected]


def test_check_unreadable_document_exits_2(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = garbage(tmp_path / "proces-verbal.pdf")
    assert_bad_input(*run(capsys, "check", path), path)


def test_check_still_takes_json_whatever_its_name(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = tmp_path / "seance.txt"
    path.write_text(json.dumps(demo_data(), ensure_ascii=False), encoding="utf-8-sig")
    status, out, _ = run(capsys, "check", path)
    assert status == 0
    assert "Verdict : conforme" in out


# --- a folder ------------------------------------------------------------------------


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    """Three real documents (one in a sub-folder) and one .pdf of random bytes."""
    folder = tmp_path / "corpus"
    (folder / "montpellier").mkdir(parents=True)
    shutil.copy(DIJON, folder / DIJON.name)
    shutil.copy(COUTHENANS, folder / COUTHENANS.name)
    shutil.copy(MONTPELLIER, folder / "montpellier" / MONTPELLIER.name)
    garbage(folder / "casse.pdf")
    (folder / "notes.md").write_text("pas un document à lire\n", encoding="utf-8")
    return folder


FILES = {
    DIJON.name,
    COUTHENANS.name,
    f"montpellier/{MONTPELLIER.name}",
    "casse.pdf",
}


def lines_of(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def test_read_folder(capsys: pytest.CaptureFixture[str], corpus: Path, tmp_path: Path) -> None:
    out_file = tmp_path / "resultats.jsonl"
    csv_file = tmp_path / "constatations.csv"
    status, out, err = run(
        capsys, "read", corpus, "-o", out_file, "--workers", "2", "--findings-csv", csv_file
    )
    assert status == 0
    assert "Traceback" not in err
    entries = lines_of(out_file)
    assert len(entries) == 4
    assert {entry["file"] for entry in entries} == FILES
    failed = [entry for entry in entries if "error" in entry]
    assert len(failed) == 1
    assert failed[0]["file"] == "casse.pdf"
    assert set(failed[0]) == {"file", "error"}
    assert "ne contient pas un PDF" in failed[0]["error"]
    for entry in entries:
        if "error" not in entry:
            assert tuple(entry) == ("file", *KEYS)
    dijon = next(entry for entry in entries if entry["file"] == DIJON.name)
    assert dijon["record"]["deliberations"][0]["vote"]["for"] == 84
    assert "4 documents" in out
    assert "3 documents lus, 1 en échec" in out
    assert "casse.pdf : ce fichier porte l'extension .pdf" in out
    assert "Constatations par code" in out
    assert "[4/4] 100 %" in err


def test_findings_csv(capsys: pytest.CaptureFixture[str], corpus: Path, tmp_path: Path) -> None:
    out_file = tmp_path / "resultats.jsonl"
    csv_file = tmp_path / "constatations.csv"
    assert run(capsys, "read", corpus, "-o", out_file, "--findings-csv", csv_file)[0] == 0
    raw = csv_file.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig")), delimiter=";"))
    assert rows[0] == ["file", "deliberation", "code", "severity", "article", "message"]
    expected = [
        [
            entry["file"],
            f["deliberation"] or "",
            f["code"],
            f["severity"],
            f["article"],
            f["message"],
        ]
        for entry in lines_of(out_file)
        for f in entry.get("findings", [])
    ]
    assert sorted(rows[1:]) == sorted(expected)
    assert rows[1:], "the corpus has findings"


def test_resume_after_interruption(
    capsys: pytest.CaptureFixture[str], corpus: Path, tmp_path: Path
) -> None:
    out_file = tmp_path / "resultats.jsonl"
    assert run(capsys, "read", corpus, "-o", out_file)[0] == 0
    first, second, *_ = out_file.read_bytes().splitlines(keepends=True)
    out_file.write_bytes(first + second[: len(second) // 2])  # killed while writing line 2

    status, out, _ = run(capsys, "read", corpus, "-o", out_file)
    assert status == 0
    text = out_file.read_bytes()
    assert text.startswith(first), "lines already written are kept as they are"
    assert text.endswith(b"\n")
    entries = lines_of(out_file)
    assert len(entries) == 4
    assert sorted(entry["file"] for entry in entries) == sorted(FILES)
    assert "non relus : 1" in out

    status, out, err = run(capsys, "read", corpus, "-o", out_file)
    assert status == 0
    assert "non relus : 4" in out
    assert "0 document à lire" in err
    assert out_file.read_bytes() == text


def test_resume_keeps_a_complete_last_line_without_newline(
    capsys: pytest.CaptureFixture[str], corpus: Path, tmp_path: Path
) -> None:
    out_file = tmp_path / "resultats.jsonl"
    line = json.dumps({"file": DIJON.name, "error": "lu ailleurs"}, ensure_ascii=False)
    out_file.write_text(line, encoding="utf-8")
    assert run(capsys, "read", corpus, "-o", out_file, "--workers", "1")[0] == 0
    entries = lines_of(out_file)
    assert entries[0] == {"file": DIJON.name, "error": "lu ailleurs"}
    assert sorted(entry["file"] for entry in entries) == sorted(FILES)


def test_results_file_that_is_not_ours_is_left_alone(
    capsys: pytest.CaptureFixture[str], corpus: Path, tmp_path: Path
) -> None:
    out_file = tmp_path / "rapport.txt"
    out_file.write_text("Rapport annuel\nà ne pas écraser\n", encoding="utf-8")
    status, out, err = run(capsys, "read", corpus, "-o", out_file)
    assert_bad_input(status, out, err, out_file)
    assert "n'est pas un fichier de résultats" in err
    assert out_file.read_text(encoding="utf-8") == "Rapport annuel\nà ne pas écraser\n"


def test_folder_needs_an_output_file(capsys: pytest.CaptureFixture[str], corpus: Path) -> None:
    status, out, err = run(capsys, "read", corpus)
    assert status == 2
    assert out == ""
    assert "-o resultats.jsonl" in err
    status, _, err = run(capsys, "read", corpus, "--json", "-o", "x.jsonl")
    assert status == 2
    assert "--json ne s'applique qu'à un fichier" in err


def test_empty_folder(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    folder = tmp_path / "vide"
    folder.mkdir()
    status, out, err = run(capsys, "read", folder, "-o", tmp_path / "r.jsonl")
    assert_bad_input(status, out, err, folder)
    assert "aucun document à lire" in err


def crash_on_marked_files(job: cli_batch.Job) -> dict[str, Any]:
    """A worker that dies (as a native crash would) on files whose name says so."""
    if "plantage" in job[0]:
        os._exit(3)
    return cli_batch.read_entry(job)


def test_a_document_that_kills_its_worker(
    capsys: pytest.CaptureFixture[str],
    corpus: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    shutil.copy(DIJON, corpus / "plantage.txt")
    monkeypatch.setattr(cli_batch, "read_entry", crash_on_marked_files)
    out_file = tmp_path / "resultats.jsonl"
    status, out, _ = run(capsys, "read", corpus, "-o", out_file, "--workers", "2")
    assert status == 0
    entries = lines_of(out_file)
    assert sorted(entry["file"] for entry in entries) == sorted([*FILES, "plantage.txt"])
    crashed = next(entry for entry in entries if entry["file"] == "plantage.txt")
    assert "arrêté brutalement" in crashed["error"]
    assert sum("error" in entry for entry in entries) == 2
    assert "2 en échec" in out


def test_read_folder_as_a_subprocess(corpus: Path, tmp_path: Path) -> None:
    """The real command (spawned workers re-import it), with --workers 2."""
    out_file = tmp_path / "resultats.jsonl"
    argv = ["read", str(corpus), "-o", str(out_file), "--workers", "2"]
    done = subprocess.run(
        [sys.executable, "-m", "registre.cli", *argv],
        capture_output=True,
        text=True,
        encoding="utf-8",
        cwd=tmp_path,
        env={**os.environ, "PYTHONIOENCODING": "utf-8"},
        check=False,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr
    assert {entry["file"] for entry in lines_of(out_file)} == FILES
    assert "3 documents lus, 1 en échec" in done.stdout


# --- the schema of the read output -----------------------------------------------------


def test_read_schema_file_is_generated() -> None:
    assert READ_SCHEMA_FILE.read_text(encoding="utf-8") == read_schema_text(), (
        "docs/read.schema.json ne correspond plus au résultat de lecture : lancer "
        "`registre schema --read -o docs/read.schema.json` (ou `make schema`) pour le "
        "régénérer, puis le committer."
    )


def test_schema_read_command(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    status, out, _ = run(capsys, "schema", "--read")
    assert status == 0
    assert out == read_schema_text()
    assert json.loads(out) == read_schema()
    target = tmp_path / "read.schema.json"
    assert run(capsys, "schema", "--read", "-o", target)[0] == 0
    assert target.read_text(encoding="utf-8") == read_schema_text()


def test_read_schema_embeds_the_record_schema() -> None:
    schema = read_schema()
    record = json_schema()
    record_defs = record.pop("$defs")
    for key in ("$schema", "$id"):
        record.pop(key)
    assert schema["properties"]["record"] == {"$ref": "#/$defs/MeetingRecord"}
    assert schema["$defs"]["MeetingRecord"] == record
    for name, definition in record_defs.items():
        assert schema["$defs"][name] == definition
    assert schema["required"] == list(KEYS)
    assert list(schema["properties"]) == list(KEYS)
    for ref in _refs(schema):
        assert ref.startswith("#/$defs/")
        assert ref.removeprefix("#/$defs/") in schema["$defs"], ref


def _refs(node: Any) -> list[str]:
    if isinstance(node, dict):
        own = [node["$ref"]] if isinstance(node.get("$ref"), str) else []
        return own + [ref for value in node.values() for ref in _refs(value)]
    if isinstance(node, list):
        return [ref for value in node for ref in _refs(value)]
    return []


def _record_validator() -> type:
    """The small validator of tests/record/test_schema.py (loaded from its file)."""
    path = ROOT / "tests" / "record" / "test_schema.py"
    spec = importlib.util.spec_from_file_location("_record_schema_tests", path)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    validator: type = module.Validator
    return validator


def _read_validator(root: dict[str, Any]) -> Any:
    """That validator, taught the keywords the read schema adds."""
    base = _record_validator()

    class ReadValidator(base):  # type: ignore[misc, valid-type]
        def __init__(self, root: dict[str, Any]) -> None:
            super().__init__(root)
            self.keywords |= {
                "additionalProperties": self._additional_schema,
                "propertyNames": self._property_names,
                "minItems": self._min_items,
                "maxItems": self._max_items,
            }

        def _additional_schema(
            self, instance: Any, allowed: Any, schema: dict[str, Any], path: str
        ) -> list[str]:
            if allowed is False:
                out: list[str] = self._additional(instance, allowed, schema, path)
                return out
            known = schema.get("properties", {})
            if not isinstance(instance, dict):
                return []
            return [
                error
                for name, value in instance.items()
                if name not in known
                for error in self.errors(value, allowed, f"{path}/{name}")
            ]

        def _property_names(
            self, instance: Any, names: dict[str, Any], _: dict[str, Any], path: str
        ) -> list[str]:
            if not isinstance(instance, dict):
                return []
            return [e for name in instance for e in self.errors(name, names, f"{path}/{name}")]

        def _min_items(self, instance: Any, low: int, _: dict[str, Any], path: str) -> list[str]:
            ok = not isinstance(instance, list) or len(instance) >= low
            return [] if ok else [f"{path}: au moins {low} éléments"]

        def _max_items(self, instance: Any, high: int, _: dict[str, Any], path: str) -> list[str]:
            ok = not isinstance(instance, list) or len(instance) <= high
            return [] if ok else [f"{path}: au plus {high} éléments"]

    return ReadValidator(root)


@pytest.mark.parametrize("path", [DIJON, COUTHENANS, MONTPELLIER], ids=lambda p: p.name)
def test_read_output_follows_its_schema(path: Path) -> None:
    result = read(path)
    data = json.loads(json.dumps(result_data(result, check(result.record, events=result.events))))
    schema = read_schema()
    assert _read_validator(schema).errors(data, schema) == []


def test_schema_rejects_a_wrong_document() -> None:
    result = read(DIJON)
    data = json.loads(json.dumps(result_data(result, [])))
    data["provenance"]["/meeting/date"]["lines"] = [3]
    data["doubts"].append({"pointer": "/meeting", "reason": "x", "extra": 1})
    data["record"]["meeting"]["date"] = "2023-02-30"
    schema = read_schema()
    errors = _read_validator(schema).errors(data, schema)
    assert any(e.startswith("/provenance//meeting/date/lines") for e in errors), errors
    assert any("extra" in e for e in errors), errors
    assert any(e.startswith("/record/meeting/date") for e in errors), errors
