"""`registre render`: one document or all of a meeting, from a record or a document;
French errors, nothing half-written; `registre read` of what it wrote."""

from __future__ import annotations

import json
from pathlib import Path

import pypdfium2 as pdfium
import pytest
from cli_helpers import RecordFactory

from factories import make_template
from registre import cli
from registre.record import loads


def _run(*argv: str) -> int:
    return cli.main(list(argv))


def test_render_all_writes_every_document(write_record: RecordFactory, tmp_path: Path) -> None:
    out = tmp_path / "documents"
    assert _run("render", str(write_record()), "--all", "-o", str(out)) == 0
    names = sorted(p.name for p in out.iterdir())
    assert names == [
        "convocation.pdf", "extrait-20231123_01.pdf", "feuillets-du-registre.pdf",
        "liste-des-deliberations.pdf", "proces-verbal.pdf",
    ]  # fmt: skip
    for path in out.iterdir():
        assert len(pdfium.PdfDocument(path)) >= 1


def test_render_one_extract_then_read_it(
    write_record: RecordFactory, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    record_path = write_record()
    pdf = tmp_path / "extrait.pdf"
    assert (
        _run(
            "render", str(record_path), "--kind", "extract", "--item", "20231123_01", "-o", str(pdf)
        )
        == 0
    )
    capsys.readouterr()
    assert _run("read", str(pdf), "--json") == 0
    data = json.loads(capsys.readouterr().out)
    original = loads(record_path.read_text(encoding="utf-8"))
    assert loads(json.dumps(data["record"])) == original  # the attached record, exactly
    assert _run("read", str(pdf), "--json", "--ignore-embedded") == 0
    by_text = json.loads(capsys.readouterr().out)
    assert len(by_text["record"]["attendance"]["present"]) == 75
    assert by_text["record"]["deliberations"][0]["vote"]["for"] == 84


def test_render_from_a_published_document(tmp_path: Path) -> None:
    dijon = Path(__file__).resolve().parents[1] / "data" / "dijon-extrait-2023-11-23.txt"
    out = tmp_path / "liste.pdf"
    assert _run("render", str(dijon), "--kind", "deliberation_list", "-o", str(out)) == 0
    assert out.read_bytes().startswith(b"%PDF")


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--kind", "extract"], "indiquez où écrire le PDF avec -o"),
        (["--all", "--kind", "extract", "-o", "x.pdf"], "choisissez un document avec --kind"),
        (["-o", "x.pdf"], "choisissez un document avec --kind"),
        (
            ["--kind", "extract", "--item", "99", "-o", "x.pdf"],
            "« 99 » n'est pas dans cette séance",
        ),
    ],
)
def test_render_errors_are_french_and_write_nothing(
    write_record: RecordFactory, tmp_path: Path, capsys: pytest.CaptureFixture[str],
    argv: list[str], message: str,
) -> None:  # fmt: skip
    argv = [str(tmp_path / a) if a == "x.pdf" else a for a in argv]
    assert _run("render", str(write_record()), *argv) == 2
    assert message in capsys.readouterr().err
    assert not (tmp_path / "x.pdf").exists()


def test_render_all_with_a_broken_template_writes_nothing(
    write_record: RecordFactory, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    template = make_template(tmp_path / "modele", '[logo]\nfichier = "logo.png"\n', logo=True)
    out = tmp_path / "documents"
    argv = ["render", str(write_record()), "--all", "-o", str(out), "--template", str(template)]
    assert _run(*argv) == 2
    err = capsys.readouterr().err
    assert "modele.toml" in err and "texte alternatif" in err and "Traceback" not in err
    assert not out.exists()


def test_render_help_is_french(capsys: pytest.CaptureFixture[str]) -> None:
    assert _run("render", "--help") == 0
    assert "feuillets du registre" in capsys.readouterr().out


def test_render_year_tables_of_several_meetings(
    write_record: RecordFactory, tmp_path: Path
) -> None:
    first = write_record(name="a.json")
    second = write_record({"/meeting/date": "2023-03-09"}, name="b.json")
    out = tmp_path / "tables.pdf"
    assert _run("render", str(first), str(second), "--year-tables", "2023", "-o", str(out)) == 0
    assert len(pdfium.PdfDocument(out)) >= 1


def test_render_of_one_document_refuses_several_meetings(
    write_record: RecordFactory, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    a, b = write_record(name="a.json"), write_record(name="b.json")
    assert _run("render", str(a), str(b), "--kind", "minutes", "-o", str(tmp_path / "x.pdf")) == 2
    assert "une seule séance à la fois" in capsys.readouterr().err
