"""The yearly archive package verifies with sha256sum and its standalone checker,
without registre; a changed entry or document is caught by both."""

from __future__ import annotations

import shutil
import subprocess
import sys
from datetime import date
from pathlib import Path

from factories import FakeClock, dijon_record, fill_register, with_meeting
from registre.register import SqliteStore, append_deliberation
from registre.register.archive import write_archive


def _package(tmp_path: Path) -> Path:
    store = SqliteStore(tmp_path / "r.sqlite")
    fill_register(store, 20)  # January 2023
    next_year = with_meeting(dijon_record(), date=date(2024, 2, 1))
    append_deliberation(store, "conseil", next_year, "20231123_01", FakeClock())
    document = tmp_path / "extrait.pdf"
    document.write_bytes(b"%PDF-1.7 un extrait signe")
    write_archive(store.entries(), "conseil", 2023, [document], tmp_path / "registre-2023")
    return tmp_path / "registre-2023"


def _checker(folder: Path) -> subprocess.CompletedProcess[str]:
    # a fresh interpreter with no registre on its path: the package stands alone
    return subprocess.run([sys.executable, "-I", str(folder / "verifier.py")],
                          check=False, capture_output=True, text=True, cwd=folder)  # fmt: skip


def _sha256sum(folder: Path) -> subprocess.CompletedProcess[str]:
    """coreutils' sha256sum over the manifest, as the archivist runs it."""
    assert shutil.which("sha256sum"), "sha256sum (coreutils) manque"
    return subprocess.run(["sha256sum", "-c", "MANIFEST.sha256"],
                          check=False, cwd=folder, capture_output=True, text=True)  # fmt: skip


def test_package_verifies_without_registre(tmp_path: Path) -> None:
    folder = _package(tmp_path)
    assert (folder / "registre.jsonl").read_bytes().count(b"\n") == 20
    result = _checker(folder)
    assert result.returncode == 0 and "20 écritures" in result.stdout
    check = _sha256sum(folder)
    assert check.returncode == 0, check.stdout


def test_package_tampering_is_caught(tmp_path: Path) -> None:
    folder = _package(tmp_path)
    lines = (folder / "registre.jsonl").read_bytes().splitlines()
    lines[4] = lines[4].replace(b'"for":', b'"for":1', 1)
    (folder / "registre.jsonl").write_bytes(b"\n".join(lines) + b"\n")
    result = _checker(folder)
    assert result.returncode != 0 and "ligne 5 : le contenu a été modifié" in result.stderr
    check = _sha256sum(folder)
    assert check.returncode != 0 and "registre.jsonl: FAILED" in check.stdout
