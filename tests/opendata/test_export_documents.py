"""`registre export` from published documents: the 82 Montpellier extracts of
2014-05-22 in one command, valid except for what they do not say, reported row by
row; a broken row caught by the same validation; the demo record exported valid."""

from __future__ import annotations

import contextlib
import csv
import io
import json
from dataclasses import dataclass
from pathlib import Path

import pytest

from factories import dijon_text
from registre import cli
from registre.opendata import validate_csv

FOLDER = Path(__file__).parents[1] / "data" / "corpus" / "montpellier" / "2014-05-22"
# a placeholder: the SIREN printed on the extracts (213401722) followed by 00000,
# as the demo does; the city's real SIRET is not in the corpus
SIRET = "21340172200000"


@dataclass(frozen=True)
class Run:
    status: int
    out: str
    written: Path


def export(*argv: str, out: Path) -> Run:
    """Run `registre export ... -o out`; its exit status and stdout."""
    buffer = io.StringIO()
    with contextlib.redirect_stdout(buffer):
        status = cli.main(["export", *argv, "-o", str(out)])
    return Run(status, buffer.getvalue(), out)


def rows_of(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


@pytest.fixture(scope="module")
def montpellier(tmp_path_factory: pytest.TempPathFactory) -> Run:
    out = tmp_path_factory.mktemp("export") / "montpellier.csv"
    return export("scdl", str(FOLDER), "--siret", SIRET, out=out)


@pytest.fixture(scope="module")
def montpellier_inferred(tmp_path_factory: pytest.TempPathFactory) -> Run:
    out = tmp_path_factory.mktemp("export") / "montpellier-matieres.csv"
    return export("scdl", str(FOLDER), "--siret", SIRET, "--infer-matter",
                  "--base-url", "https://exemple.invalid/deliberations", out=out)  # fmt: skip


def test_the_folder_holds_82_extracts() -> None:
    assert len(sorted(FOLDER.glob("*.pdf"))) == 82
    assert len(list(FOLDER.iterdir())) == 82


def test_82_rows_one_per_extract(montpellier: Run) -> None:
    rows = rows_of(montpellier.written)
    assert len(rows) == 82
    assert {row["COLL_SIRET"] for row in rows} == {SIRET}
    assert {row["COLL_NOM"] for row in rows} == {"Ville de Montpellier"}
    assert {row["DELIB_DATE"] for row in rows} == {"2014-05-22"}
    assert len({row["DELIB_ID"] for row in rows}) == 82
    assert all(row["PREF_DATE"] >= "2014-05-22" for row in rows)
    assert "registre export : 82 délibérations écrite(s)" in montpellier.out


def _reported_required_gaps(report: str) -> set[tuple[int, str]]:
    """(line, column) of each required cell the report says is empty."""
    found: set[tuple[int, str]] = set()
    line = 0
    for text in report.splitlines():
        if text.startswith("  ligne "):
            line = int(text.split()[1])
        elif text.strip().startswith("obligatoire vide :"):
            found |= {(line, c) for c in text.split(":", 1)[1].strip().split(", ")}
    return found


def test_valid_except_what_the_documents_do_not_say(montpellier: Run) -> None:
    problems = validate_csv(montpellier.written.read_bytes())
    unsaid = _reported_required_gaps(montpellier.out)
    # every error is a required value the report names, row by row, and only those
    assert {(p.line, p.columns[0]) for p in problems} == unsaid
    assert {p.code for p in problems} == {"required"}
    assert {c for _, c in unsaid} == {"DELIB_MATIERE_CODE", "DELIB_MATIERE_NOM"}
    assert len(unsaid) == 2 * 82
    assert "164 erreurs, dont 164 valeur(s) obligatoire(s) non dite(s)" in montpellier.out
    assert montpellier.status == 1


def test_the_report_says_why_each_column_is_empty(montpellier: Run) -> None:
    out = montpellier.out
    assert "  ligne 2 — n° 2014 / 219 — " in out
    assert "    obligatoire vide : DELIB_MATIERE_CODE, DELIB_MATIERE_NOM" in out
    assert "  VOTE_POUR : 82 lignes — pas de décompte des voix « pour »" in out
    assert "--infer-matter la déduit de l'objet" in out


@pytest.mark.parametrize(
    ("column", "value", "code"),
    [
        ("VOTE_POUR", "59", "sum-columns-value"),
        ("PREF_DATE", "2014-05-21", "compare-columns-value"),
        ("COLL_SIRET", "2134017220000", "constraint-error"),
        ("DELIB_DATE", "22/05/2014", "type-error"),
    ],
)
def test_a_deliberately_broken_row_is_caught(
    montpellier_inferred: Run, column: str, value: str, code: str
) -> None:
    text = montpellier_inferred.written.read_text(encoding="utf-8")
    rows = list(csv.reader(io.StringIO(text)))
    header, line = rows[0], 40
    if column == "VOTE_POUR":  # a tally that does not add up
        rows[line - 1][header.index("VOTE_REEL")] = "64"
        rows[line - 1][header.index("VOTE_CONTRE")] = "0"
        rows[line - 1][header.index("VOTE_ABSTENTION")] = "0"
    rows[line - 1][header.index(column)] = value
    broken = io.StringIO()
    csv.writer(broken, lineterminator="\r\n").writerows(rows)
    before = validate_csv(text.encode("utf-8"))
    after = validate_csv(broken.getvalue().encode("utf-8"))
    assert [(p.line, p.code) for p in after if p not in before] == [(line, code)]


def test_with_inferred_matters_only_three_rows_stay_without_one(montpellier_inferred: Run) -> None:
    rows = rows_of(montpellier_inferred.written)
    assert len(rows) == 82
    assert sum(1 for row in rows if not row["DELIB_MATIERE_CODE"]) == 3
    problems = validate_csv(montpellier_inferred.written.read_bytes())
    assert {p.code for p in problems} == {"required"} and len(problems) == 6
    assert rows[0]["DELIB_URL"] == "https://exemple.invalid/deliberations/2014-05-22-0000072016.pdf"
    assert (
        "matière déduite de l'objet : 5.3 (designation, representant)" in montpellier_inferred.out
    )


def test_the_popolo_export_of_the_folder(tmp_path: Path) -> None:
    run = export("popolo", str(FOLDER), "--siret", SIRET, "--infer-matter",
                 out=tmp_path / "montpellier.json")  # fmt: skip
    assert run.status == 0
    data = json.loads(run.written.read_text(encoding="utf-8"))
    events = data["vote_events"]
    assert len(events) == 82
    assert len(data["legislative_sessions"]) == 1
    assert len(data["people"]) == 65
    first = events[0]
    assert first["matter_inferred"] is True and first["matter"]["code"] == "5.3"
    assert len(first["attendance"]["present"]) == 59
    assert [r["proxy_holder_id"] for r in first["attendance"]["represented"]] == [None] * 5
    assert first["counts"] == [{"option": "absent", "value": 1}]


def test_a_record_file_exports_like_a_document(tmp_path: Path) -> None:
    record = tmp_path / "dijon.json"
    record.write_text(dijon_text(), encoding="utf-8")
    run = export("scdl", str(record), "--siret", "24210041000000", out=tmp_path / "dijon.csv")
    assert run.status == 0
    assert "Validation SCDL 2.1.5 (frictionless) : aucune erreur." in run.out
    assert validate_csv(run.written.read_bytes()) == []
