"""`registre actes build|send|classification`: a package from the Dijon record, from a
published Montpellier extract and from a register's entry; sending it to the fake
operator records the events once; French errors without traceback, exit 2."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from actes_factories import CLASSIFICATION_FILE, PDF
from fake_operator import FakeOperator, Script

from factories import FakeClock, dijon_record
from registre import cli
from registre.actes import read_package, register_events
from registre.record import EventKind
from registre.register import SqliteStore, append_deliberation

DEMO = Path(cli.__file__).parent / "demo" / "dijon-2023-11-23.json"
MONTPELLIER = Path(__file__).resolve().parents[1] / "data" / "corpus" / "montpellier"
EMITTER = ["--email", "greffe@dijon-metropole.fr", "--arrondissement", "2",
           "--nature-collectivite", "34"]  # fmt: skip


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    status = cli.main([str(a) for a in argv])
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    return status, out, err


@pytest.fixture
def pdf(tmp_path: Path) -> Path:
    path = tmp_path / "extrait.pdf"
    path.write_bytes(PDF)
    return path


def build(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, pdf: Path, *extra: str
) -> tuple[int, str, str]:
    out = tmp_path / "paquet.tar.gz"
    return run(capsys, "actes", "build", *extra, "--pdf", pdf, "--classification",
               CLASSIFICATION_FILE, *EMITTER, "--date", "2023-11-24", "-o", out)  # fmt: skip


def test_build_from_a_record(capsys: pytest.CaptureFixture[str], tmp_path: Path, pdf: Path) -> None:
    status, out, err = build(capsys, tmp_path, pdf, DEMO)
    assert status == 0, err
    assert (
        "acte 021-242100410-20231123-20231123_01-DE : délibération n° 20231123_01 du 23/11/2023"
        in out
    )
    assert "matière 8.6, classification du 19/04/2017" in out
    contents = read_package((tmp_path / "paquet.tar.gz").read_bytes())
    assert contents.document.data == PDF


def test_build_from_a_published_extract(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, pdf: Path
) -> None:
    """A Montpellier extract read by the reader: its printed act id is kept."""
    extract = sorted(MONTPELLIER.glob("2014-04-05/*.pdf"))[0]
    status, out, err = build(capsys, tmp_path, pdf, extract, "--matter", "5.2")
    assert status == 0, err
    number = extract.stem.split("-")[-1]
    assert f"acte 034-213401722-20140405-{number}-DE" in out


def test_build_from_a_register_entry(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, pdf: Path
) -> None:
    store = SqliteStore(tmp_path / "registre.sqlite")
    record = dijon_record()
    entry = append_deliberation(
        store, "conseil", record, record.deliberations[0].number, FakeClock()
    )
    store.close()
    status, out, err = build(capsys, tmp_path, pdf, "--register", tmp_path / "registre.sqlite",
                             "--entry", str(entry.sequence))  # fmt: skip
    assert status == 0, err
    assert "021-242100410-20231123-20231123_01-DE" in out
    status, _, err = build(
        capsys, tmp_path, pdf, "--register", tmp_path / "registre.sqlite", "--entry", "9"
    )
    assert status == 2 and "aucune délibération à l'écriture n° 9" in err


def test_build_lists_every_problem(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    status, out, err = run(capsys, "actes", "build", DEMO, "--number", "2023 / 1", "--email", "x",
                           "--arrondissement", "22", "--nature-collectivite", "34",
                           "-o", tmp_path / "p.tar.gz")  # fmt: skip
    assert status == 2 and out == ""
    assert err.startswith("registre : erreur : le paquet @CTES ne peut pas être constitué :")
    for words in ("contient une espace", "« 2023_1 »", "le PDF signé de l'acte manque",
                  "arrondissement « 22 » invalide", "adresse électronique « x » invalide",
                  "la date de la classification est inconnue"):  # fmt: skip
        assert words in err
    assert not (tmp_path / "p.tar.gz").exists()


@pytest.fixture
def operator() -> Iterator[FakeOperator]:
    with FakeOperator(departement="021", siren="242100410", delay=1.0) as fake:
        yield fake


def test_send_then_send_again(capsys: pytest.CaptureFixture[str], tmp_path: Path, pdf: Path,
                              operator: FakeOperator) -> None:  # fmt: skip
    operator.scripts["20231123_01"] = Script(create=["timeout"])
    assert build(capsys, tmp_path, pdf, DEMO)[0] == 0
    SqliteStore(tmp_path / "registre.sqlite").close()
    argv = ["actes", "send", tmp_path / "paquet.tar.gz", "--operator", operator.url, "--register",
            tmp_path / "registre.sqlite", "--timeout", "0,4", "--interval", "0"]  # fmt: skip
    status, out, err = run(capsys, *argv)
    assert status == 0, err
    assert "inscrit au registre : transmis à la préfecture le" in out
    assert "inscrit au registre : accusé de réception le 24/11/2023" in out
    assert (
        "accusé de réception de la préfecture le 24/11/2023 pour l'acte 021-242100410-20231123-20231123_01-DE"
        in out
    )
    status, out, _ = run(capsys, *argv)
    assert status == 0 and "registre actes : inscrit" not in out and "déjà inscrit" in out
    assert operator.stored["20231123_01"] == 1
    store = SqliteStore(tmp_path / "registre.sqlite")
    assert [e.kind for e in register_events(store, "conseil")] == [
        EventKind.TRANSMITTED,
        EventKind.ACKNOWLEDGED,
    ]
    store.close()


def test_send_refused(capsys: pytest.CaptureFixture[str], tmp_path: Path, pdf: Path,
                      operator: FakeOperator) -> None:  # fmt: skip
    operator.scripts["20231123_01"] = Script(create=["ko:Le numéro n'est pas correct"])
    assert build(capsys, tmp_path, pdf, DEMO)[0] == 0
    SqliteStore(tmp_path / "registre.sqlite").close()
    status, out, err = run(capsys, "actes", "send", tmp_path / "paquet.tar.gz", "--operator",
                           operator.url, "--register", tmp_path / "registre.sqlite")  # fmt: skip
    assert status == 1 and out == ""
    assert err == ("registre : refus pour l'acte 021-242100410-20231123-20231123_01-DE : "
                   "Le numéro n'est pas correct\n")  # fmt: skip


@pytest.mark.parametrize(
    ("argv", "words"),
    [
        (["actes", "send", "absent.tar.gz", "--operator", "https://x", "--register", "r.sqlite"],
         "absent.tar.gz : paquet introuvable"),
        (["actes", "send", "{pdf}", "--operator", "https://x", "--register", "r.sqlite"],
         "ce n'est pas un paquet @CTES (tar.gz) lisible"),
        (["actes", "send", "{pdf}", "--operator", "ftp://x", "--register", "r.sqlite"],
         "adresse d'opérateur invalide"),
        (["actes", "classification", "{pdf}"], "la classification n'est pas un XML lisible"),
        (["actes", "build", str(DEMO), "--cert"], "argument"),
    ],
)  # fmt: skip
def test_bad_input(
    capsys: pytest.CaptureFixture[str], pdf: Path, argv: list[str], words: str
) -> None:
    status, _, err = run(capsys, *[a.replace("{pdf}", str(pdf)) for a in argv])
    assert status == 2 and words in err


def test_classification_command(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = run(capsys, "actes", "classification", CLASSIFICATION_FILE)
    assert status == 0
    assert out.startswith(
        "Classification de la préfecture du 19/04/2017 : 9 matières de niveau 1, 57 de niveau 2"
    )
    assert "\n  8.6  Emploi-formation professionnelle\n" in out
    status, out, _ = run(capsys, "actes", "classification", CLASSIFICATION_FILE, "--json")
    assert status == 0 and '"code": "7.10"' in out and '"version": "2017-04-19"' in out
