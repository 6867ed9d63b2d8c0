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


def test_serve_with_two_workers_answers_and_stops_on_sigterm(tmp_path: Path) -> None:
    import signal  # noqa: PLC0415
    import socket  # noqa: PLC0415
    import time  # noqa: PLC0415
    import urllib.request  # noqa: PLC0415

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env = {**os.environ, "REGISTRE_DATA": str(tmp_path / "donnees")}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    server = subprocess.Popen([sys.executable, "-m", "registre.cli", "serve", "--port", str(port),
                               "--workers", "2"], env=env, stdout=subprocess.PIPE, text=True)  # fmt: skip
    try:
        deadline, status = time.monotonic() + 60, 0
        while time.monotonic() < deadline and status != 200:
            try:
                status = urllib.request.urlopen(f"http://127.0.0.1:{port}/connexion/").status
            except OSError:
                time.sleep(0.2)
        assert status == 200
        children = Path(f"/proc/{server.pid}/task/{server.pid}/children").read_text().split()
        assert len(children) == 2  # two processes serve the one socket
        server.send_signal(signal.SIGTERM)
        assert server.wait(timeout=15) == 0
        assert not any(Path(f"/proc/{child}").exists() for child in children)
    finally:
        server.kill()
        server.wait()
        assert server.stdout is not None
        server.stdout.close()
