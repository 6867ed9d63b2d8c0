"""The real command, run as a subprocess: exit statuses and streams."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from cli_helpers import RecordFactory


def registre(*argv: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONIOENCODING": "utf-8"}
    env.pop("DJANGO_SETTINGS_MODULE", None)  # the test settings are the suite's own
    return subprocess.run(
        [sys.executable, "-m", "registre.cli", *argv],
        capture_output=True,
        text=True,
        encoding="utf-8",
        cwd=cwd,
        env=env,
        check=False,
        timeout=60,
    )


def test_demo_report(tmp_path: Path) -> None:
    done = registre("demo", "--report", cwd=tmp_path)
    assert done.returncode == 0
    assert "Verdict : conforme" in done.stdout
    assert done.stderr == ""


def test_demo_check_serves_logs_in_and_exits(tmp_path: Path) -> None:
    """The README's main job: the web demo, started for real, answers a login."""
    os.environ["REGISTRE_DATA"] = str(tmp_path / "donnees")
    try:
        done = registre("demo", "--check", cwd=tmp_path)
    finally:
        del os.environ["REGISTRE_DATA"]
    assert done.returncode == 0, done.stderr
    assert "connexion du greffe réussie" in done.stdout
    assert "Identifiant : greffe" in done.stdout
    assert (tmp_path / "donnees" / "demo.sqlite3").is_file()


def test_check_error_exits_1(write_record: RecordFactory, tmp_path: Path) -> None:
    path = write_record({"/meeting/secretaries": []})
    done = registre("check", str(path), "--json", cwd=tmp_path)
    assert done.returncode == 1
    assert json.loads(done.stdout)["verdict"]["conforme"] is False


def test_bad_input_exits_2_without_traceback(tmp_path: Path) -> None:
    path = tmp_path / "casse.json"
    path.write_text("{", encoding="utf-8")
    done = registre("check", str(path), cwd=tmp_path)
    assert done.returncode == 2
    assert done.stdout == ""
    assert "Traceback" not in done.stderr
    assert done.stderr.startswith(f"registre : erreur : {path} : JSON invalide")


def test_version_and_help(tmp_path: Path) -> None:
    version = registre("--version", cwd=tmp_path)
    assert (version.returncode, version.stdout) == (0, "registre 0.1.0\n")
    helped = registre("--help", cwd=tmp_path)
    assert helped.returncode == 0
    assert "Utilisation" in helped.stdout
    assert "options" in helped.stdout
    assert "show this help message" not in helped.stdout


def test_unknown_subcommand(tmp_path: Path) -> None:
    done = registre("inconnue", cwd=tmp_path)
    assert done.returncode == 2
    assert "choix invalide" in done.stderr
    assert "Traceback" not in done.stderr
