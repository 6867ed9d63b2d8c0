"""The commands, run in-process: reports, verdicts, exit statuses, output files."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from cli_helpers import RecordFactory

from registre import __version__, cli
from registre.record.schema import json_schema_text
from registre.rules import CATALOGUE


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    status = cli.main(list(argv))
    out, err = capsys.readouterr()
    return status, out, err


def test_demo_is_conforme(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, err = run(capsys, "demo", "--report")
    assert status == 0
    assert err == ""
    assert "Dijon métropole, conseil métropolitain du 23 novembre 2023" in out
    assert "SIECO" in out
    assert "/collectivity/siret (valeur provisoire)" in out
    assert "/deliberations/0/number (choix de démonstration)" in out
    assert "Verdict : conforme — 0 erreur" in out
    assert out.rstrip().splitlines()[-1].startswith("Verdict : conforme")


def test_demo_json(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = run(capsys, "demo", "--json")
    assert status == 0
    report = json.loads(out)
    assert report["verdict"]["conforme"] is True


def test_check_demo_json(write_record: RecordFactory, capsys: pytest.CaptureFixture[str]) -> None:
    path = write_record()
    status, out, _ = run(capsys, "check", str(path), "--json")
    assert status == 0
    report = json.loads(out)
    assert set(report) == {"file", "verdict", "findings"}
    assert report["file"] == str(path)
    assert report["verdict"]["errors"] == 0
    assert report["verdict"]["conforme"] is True
    for finding in report["findings"]:
        assert set(finding) == {"code", "severity", "article", "message", "pointer", "deliberation"}


def test_format_json_equals_json_shorthand(
    write_record: RecordFactory, capsys: pytest.CaptureFixture[str]
) -> None:
    path = str(write_record())
    assert run(capsys, "check", path, "--json") == run(capsys, "check", path, "--format", "json")


def test_missing_secretary_is_an_error(
    write_record: RecordFactory, capsys: pytest.CaptureFixture[str]
) -> None:
    status, out, _ = run(capsys, "check", str(write_record({"/meeting/secretaries": []})))
    assert status == 1
    assert "ERREUR SECRETARY_MISSING (art. L2121-15)" in out
    assert "Verdict : NON CONFORME — 1 erreur, 0 avertissement, 1 information." in out


def test_findings_grouped_by_deliberation(
    write_record: RecordFactory, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write_record({"/deliberations/0/vote/for": 200, "/meeting/secretaries": []})
    status, out, _ = run(capsys, "check", str(path))
    assert status == 1
    meeting = out.index("\nSéance\n")
    item = out.index("\nDélibération n° 20231123_01 — Signature de la Stratégie")
    assert meeting < out.index("SECRETARY_MISSING") < item < out.index("TALLY_EXCEEDS_VOTERS")
    assert "Verdict : NON CONFORME — 2 erreurs" in out


def test_json_report_of_errors(
    write_record: RecordFactory, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write_record({"/meeting/secretaries": []})
    status, out, _ = run(capsys, "check", str(path), "--json")
    report = json.loads(out)
    assert status == 1
    assert report["verdict"] == {"errors": 1, "warnings": 0, "infos": 1, "conforme": False}
    secretary = next(f for f in report["findings"] if f["code"] == "SECRETARY_MISSING")
    assert secretary == {
        "code": "SECRETARY_MISSING",
        "severity": "error",
        "article": "L2121-15",
        "message": secretary["message"],
        "pointer": "/meeting/secretaries",
        "deliberation": None,
    }


def test_as_of_history_and_events(
    write_record: RecordFactory, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    events = tmp_path / "evenements.json"
    events.write_text(
        '[{"kind": "signed", "on": "2023-11-24", "deliberation": "20231123_01"}]',
        encoding="utf-8",
    )
    past = write_record(name="ancienne.json")
    path = write_record()
    argv = ["check", str(path), "--as-of", "2024-01-15", "--events", str(events)]
    status, out, err = run(capsys, *argv, "--history", str(past), "--json")
    assert err == ""
    report = json.loads(out)
    assert status == (1 if report["verdict"]["errors"] else 0)
    assert "LIST_NOT_PUBLISHED" in {f["code"] for f in report["findings"]}


def test_out_writes_the_report(
    write_record: RecordFactory, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "rapport.json"
    status, out, err = run(capsys, "check", str(write_record()), "--json", "-o", str(target))
    assert status == 0
    assert out == ""
    assert str(target) in err
    assert json.loads(target.read_text(encoding="utf-8"))["verdict"]["conforme"] is True


def test_demo_out_text(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "demo.txt"
    assert run(capsys, "demo", "--out", str(target))[0] == 0
    assert "Verdict : conforme" in target.read_text(encoding="utf-8")


def test_schema(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    status, out, _ = run(capsys, "schema")
    assert status == 0
    assert out == json_schema_text()
    target = tmp_path / "record.schema.json"
    assert run(capsys, "schema", "-o", str(target))[0] == 0
    assert target.read_text(encoding="utf-8") == json_schema_text()


def test_rules_json(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = run(capsys, "rules", "--json")
    assert status == 0
    assert [entry["code"] for entry in json.loads(out)] == [r.code.value for r in CATALOGUE]


def test_rules_markdown(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    docs = pytest.importorskip("registre.rules.docs")
    status, out, _ = run(capsys, "rules")
    assert status == 0
    assert out == docs.markdown()
    target = tmp_path / "rules.md"
    assert run(capsys, "rules", "-o", str(target))[0] == 0
    assert target.read_text(encoding="utf-8") == docs.markdown()


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = run(capsys, "--version")
    assert status == 0
    assert out == f"registre {__version__}\n"
    assert out == "registre 0.1.0\n"
