"""`registre export`'s options and errors: French, naming the file and what to do,
never a traceback; exit status 2 when nothing could be exported."""

from __future__ import annotations

from pathlib import Path

import pytest

from factories import dijon_text
from registre import cli

TRACEBACK = "Traceback"
DEMO_SIRET = "24210041000000"  # the demo's placeholder (demo-values.md)


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    status = cli.main(["export", *argv])
    out, err = capsys.readouterr()
    assert TRACEBACK not in out + err
    return status, out, err


@pytest.fixture
def record(tmp_path: Path) -> Path:
    path = tmp_path / "dijon.json"
    path.write_text(dijon_text(), encoding="utf-8")
    return path


def test_help_is_french(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = run(capsys, "--help")
    assert status == 0
    assert out.startswith("Utilisation : registre export")
    for option in ("--siret SIRET", "--collectivity SIREN", "--year AAAA", "--infer-matter",
                   "--base-url URL", "-o FICHIER"):  # fmt: skip
        assert option in out


def test_documents_without_siret(capsys: pytest.CaptureFixture[str], record: Path) -> None:
    status, _, err = run(capsys, "scdl", str(record), "-o", str(record.with_suffix(".csv")))
    assert status == 2
    assert "donnez-le avec --siret (14 chiffres)" in err


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--siret", "123"], "« 123 » : le SIRET compte 14 chiffres"),
        (["--collectivity", "24210041"], "« 24210041 » : le SIREN compte 9 chiffres"),
        (["--year", "23"], "« 23 » n'est pas une année (AAAA)"),
    ],
)
def test_malformed_identifiers(
    capsys: pytest.CaptureFixture[str], argv: list[str], message: str
) -> None:
    status, _, err = run(capsys, "scdl", *argv, "-o", "x.csv")
    assert status == 2
    assert message in err


def test_a_missing_path(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    missing = tmp_path / "absent"
    status, _, err = run(capsys, "scdl", str(missing), "--siret", DEMO_SIRET, "-o", "x.csv")
    assert status == 2
    assert f"registre : erreur : {missing} : fichier ou dossier introuvable" in err


def test_a_document_of_another_collectivity(
    capsys: pytest.CaptureFixture[str], record: Path, tmp_path: Path
) -> None:
    out = tmp_path / "x.csv"
    status, _, err = run(capsys, "scdl", str(record), "--siret", "21340172200000", "-o", str(out))
    assert status == 2
    assert f"{record} : ce document est celui de la collectivité de SIREN 242100410" in err
    assert "exportez chaque collectivité à part" in err
    assert not out.exists()


def test_options_that_do_not_go_together(capsys: pytest.CaptureFixture[str], record: Path) -> None:
    status, _, err = run(capsys, "scdl", str(record), "--collectivity", "242100410", "-o", "x.csv")
    assert (status, "donnez soit des documents, soit --collectivity" in err) == (2, True)
    status, _, err = run(capsys, "scdl", str(record), "--siret", DEMO_SIRET, "--year", "2023",
                         "-o", "x.csv")  # fmt: skip
    assert (status, "--year ne s'applique qu'avec --collectivity" in err) == (2, True)
    status, _, err = run(capsys, "scdl", "-o", "x.csv")
    assert (status, "indiquez les documents ou dossiers à exporter" in err) == (2, True)


def test_an_unwritable_output(capsys: pytest.CaptureFixture[str], record: Path) -> None:
    out = record.parent / "absent" / "x.csv"
    status, _, err = run(capsys, "scdl", str(record), "--siret", DEMO_SIRET, "-o", str(out))
    assert status == 2
    assert f"{out} : écriture impossible : le dossier n'existe pas" in err


def test_an_unreadable_document_is_listed_and_the_rest_exported(
    capsys: pytest.CaptureFixture[str], record: Path, tmp_path: Path
) -> None:
    broken = tmp_path / "abime.pdf"
    broken.write_bytes(b"%PDF-1.7 ceci n'est pas un PDF")
    out = tmp_path / "x.csv"
    status, stdout, _ = run(capsys, "scdl", str(tmp_path), "--siret", DEMO_SIRET, "-o", str(out))
    assert status == 1
    assert f"  illisible : {broken} : " in stdout
    assert "1 délibération écrite(s)" in stdout and "(2 sources lue(s))" in stdout
    assert len(out.read_text(encoding="utf-8").splitlines()) == 2


def test_nothing_readable(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    broken = tmp_path / "abime.pdf"
    broken.write_bytes(b"%PDF-1.7 ceci n'est pas un PDF")
    status, _, err = run(capsys, "scdl", str(broken), "--siret", DEMO_SIRET, "-o", "x.csv")
    assert status == 2
    assert "aucun document n'a pu être lu" in err


def test_the_demo_record_exports_valid(
    capsys: pytest.CaptureFixture[str], record: Path, tmp_path: Path
) -> None:
    out = tmp_path / "dijon.csv"
    status, stdout, _ = run(capsys, "scdl", str(record), "--siret", DEMO_SIRET, "-o", str(out))
    assert status == 0
    assert "aucune erreur" in stdout
    assert "facultatif vide : BUDGET_ANNEE, BUDGET_NOM, PREF_ID, PREF_DATE, DELIB_URL" in stdout


def test_the_export_written_inside_the_folder_is_not_read_again(
    capsys: pytest.CaptureFixture[str], record: Path
) -> None:
    out = record.parent / "export.json"
    for _ in range(2):
        status, stdout, _ = run(capsys, "popolo", str(record.parent), "--siret", DEMO_SIRET,
                                "-o", str(out))  # fmt: skip
        assert status == 0
        assert "(1 source lue(s))" in stdout


def test_an_empty_folder(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    status, _, err = run(capsys, "scdl", str(tmp_path), "--siret", DEMO_SIRET, "-o", "x.csv")
    assert status == 2
    assert f"{tmp_path} : aucun document à exporter" in err
