"""`registre export scdl|popolo`: open data from published documents or the database.

`registre export scdl DOSSIER... --siret SIRET -o délibérations.csv` reads every
document given (PDF, text, Word, or a record in JSON; folders are read whole) and
writes one SCDL row per deliberation decided; `popolo` writes the richer JSON.
`registre export scdl --collectivity SIREN --year AAAA -o FICHIER` takes the acts
the portal publishes (not withdrawn, already redacted) from the database instead.

The report on stdout says, row by row, which cells stay empty because the
documents do not say them, then the SCDL file's validation (frictionless). Exit
status: 0 when the written SCDL file is valid (popolo: when written), 1 when it has
errors or a document could not be read (the file is written all the same), 2 when
nothing could be exported (bad option, unreadable input, unwritable output).
"""

from __future__ import annotations

import argparse
import re
import sys
import urllib.parse
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from registre.cli import EXIT_ERRORS, EXIT_OK, load_record, write_output
from registre.cli_batch import documents
from registre.cli_document import is_document, read_document
from registre.cli_text import FrenchHelpFormatter
from registre.errors import InputError, RegistreError
from registre.opendata import (
    PublishedDeliberation,
    ScdlRow,
    csv_text,
    decided,
    gaps,
    popolo_json,
    published,
    scdl_row,
    validate_csv,
    with_inferred_matter,
)
from registre.record import LifecycleEvent, MeetingRecord
from registre.rules.context import plural


@dataclass(slots=True)
class Loaded:
    """What the inputs gave: the deliberations, and the inputs that failed (why)."""

    items: list[PublishedDeliberation] = field(default_factory=list)
    failures: list[tuple[str, str]] = field(default_factory=list)
    inputs: int = 0


# --- from documents ------------------------------------------------------------------


def _files(paths: Sequence[str], out: Path) -> list[tuple[Path, Path]]:
    """Each input file with the folder it was given under (itself for a file); in a
    folder, the export being written (`out`) is not an input."""
    found: list[tuple[Path, Path]] = []
    for name in paths:
        path = Path(name)
        if path.is_dir():
            records = [p for p in path.rglob("*.json") if p.is_file()]
            inside = {*documents(path), *records}
            found += [(path, p) for p in sorted(inside) if p.resolve() != out.resolve()]
        elif path.is_file():
            found.append((path.parent, path))
        else:
            raise InputError("fichier ou dossier introuvable", path=name)
    return found


def _read(path: Path) -> tuple[MeetingRecord, tuple[LifecycleEvent, ...]]:
    if not is_document(str(path)):
        return load_record(str(path)), ()
    result = read_document(str(path))
    return result.record, result.events


def _check_siren(record: MeetingRecord, siret: str, path: Path) -> None:
    siren = record.collectivity.siren
    if siren and siret[:9] != siren:
        raise InputError(
            f"ce document est celui de la collectivité de SIREN {siren}, mais le SIRET donné "
            f"(--siret {siret}) commence par {siret[:9]} : exportez chaque collectivité à part, "
            "avec son propre SIRET",
            path=str(path),
        )


def _url(base_url: str | None, root: Path, path: Path) -> str | None:
    if not base_url:
        return None
    relative = path.relative_to(root).as_posix() if path.is_relative_to(root) else path.name
    return base_url.rstrip("/") + "/" + urllib.parse.quote(relative)


def load_documents(paths: Sequence[str], siret: str, base_url: str | None, out: str) -> Loaded:
    """Read each document (or record) under `paths`, but the export `out`; a document
    that cannot be read is listed as a failure, one of another collectivity stops
    the export."""
    loaded = Loaded()
    files = _files(paths, Path(out))
    if not files:
        raise InputError("aucun document à exporter (.pdf, .txt, .doc, .docx, .odt, .json)",
                         path=", ".join(paths))  # fmt: skip
    loaded.inputs = len(files)
    for root, path in files:
        try:
            record, events = _read(path)
        except InputError as exc:
            loaded.failures.append((str(path), str(exc).removeprefix(f"{exc.path} : ")))
            continue
        _check_siren(record, siret, path)
        loaded.items += published(
            record, source=str(path), url=_url(base_url, root, path), events=events
        )
    return loaded


# --- the report ----------------------------------------------------------------------


def _row_report(line: int, item: PublishedDeliberation, scdl: ScdlRow) -> list[str]:
    empty = gaps(scdl)
    head = f"  ligne {line} — n° {item.deliberation.number} — {item.source}"
    out = [head]
    # why each column is empty is said once, in the summary by column
    for required, label in ((True, "obligatoire vide"), (False, "facultatif vide")):
        columns = [g.column.value for g in empty if g.required is required]
        if columns:
            out.append(f"    {label} : {', '.join(columns)}")
    if item.matter_inferred:
        words = ", ".join(item.matter_evidence)
        out.append(f"    matière déduite de l'objet : {scdl.delib_matiere_code} ({words})")
    return out


def scdl_report(items: Sequence[PublishedDeliberation], rows: Sequence[ScdlRow]) -> str:
    """What each row leaves empty and why (line 1 is the header), then the count of
    empty cells by column."""
    lines = ["Valeurs non dites par les documents, ligne par ligne (ligne 1 : en-tête) :"]
    counts: Counter[str] = Counter()
    reasons: dict[str, str] = {}
    for index, (item, scdl) in enumerate(zip(items, rows, strict=True)):
        lines += _row_report(index + 2, item, scdl)
        for gap in gaps(scdl):
            counts[gap.column.value] += 1
            reasons[gap.column.value] = gap.reason
    if counts:
        lines.append("Cellules vides par colonne :")
        lines += [f"  {c} : {plural(n, 'ligne')} — {reasons[c]}" for c, n in counts.items()]
    return "\n".join(lines) + "\n"


def validation_report(data: bytes) -> tuple[str, bool]:
    """The SCDL file's validation in French, and whether it has any error."""
    problems = validate_csv(data)
    if not problems:
        return "Validation SCDL 2.1.5 (frictionless) : aucune erreur.\n", False
    # the export leaves a cell empty only when no document says its value
    unsaid = [p for p in problems if p.code == "required"]
    others = [p for p in problems if p.code != "required"]
    text = f"Validation SCDL 2.1.5 (frictionless) : {plural(len(problems), 'erreur')}"
    text += f", dont {len(unsaid)} valeur(s) obligatoire(s) non dite(s) par les documents.\n"
    text += "".join(f"  {p.message}\n" for p in others)
    return text, True


# --- the command ---------------------------------------------------------------------


def _load(args: argparse.Namespace) -> Loaded:
    if args.collectivity:
        if args.paths:
            raise RegistreError("donnez soit des documents, soit --collectivity, pas les deux")
        from registre.cli_export_db import load_database  # noqa: PLC0415 (loads Django)

        return load_database(args.collectivity, args.year, args.siret, args.base_url)
    if args.year is not None:
        raise RegistreError("--year ne s'applique qu'avec --collectivity (export depuis la base)")
    if not args.paths:
        raise RegistreError("indiquez les documents ou dossiers à exporter, ou --collectivity")
    if not args.siret:
        raise RegistreError(
            "les documents n'impriment pas le SIRET de la collectivité : donnez-le avec "
            "--siret (14 chiffres)"
        )
    return load_documents(args.paths, args.siret, args.base_url, args.out)


def _summary(loaded: Loaded, count: int, out: str) -> str:
    text = f"registre export : {plural(count, 'délibération')} écrite(s) dans {out}"
    text += f" ({plural(loaded.inputs, 'source')} lue(s))\n"
    for source, reason in loaded.failures:
        text += f"  illisible : {source} : {reason}\n"
    return text


def run_export(args: argparse.Namespace) -> int:
    """`registre export`: write the SCDL CSV or the Popolo JSON, then the report."""
    loaded = _load(args)
    if loaded.inputs and len(loaded.failures) == loaded.inputs:
        raise RegistreError(f"aucun document n'a pu être lu ({loaded.failures[0][0]} : {loaded.failures[0][1]})")  # fmt: skip
    items = [with_inferred_matter(i) for i in loaded.items] if args.infer_matter else loaded.items
    siret = args.siret or (items[0].record.collectivity.siret if items else None)
    if args.kind == "popolo":
        write_output(args.out, popolo_json(items, siret=siret))
        sys.stdout.write(_summary(loaded, len(items), args.out))
        return EXIT_ERRORS if loaded.failures else EXIT_OK
    kept = [item for item in items if decided(item)]
    rows = [scdl_row(item, siret=siret) for item in kept]
    text = csv_text(rows)
    write_output(args.out, text)
    validation, invalid = validation_report(text.encode("utf-8"))
    sys.stdout.write(_summary(loaded, len(rows), args.out) + scdl_report(kept, rows) + validation)
    return EXIT_ERRORS if invalid or loaded.failures else EXIT_OK


def _digits(count: int, what: str) -> Callable[[str], str]:
    def parse(text: str) -> str:
        if not re.fullmatch(rf"\d{{{count}}}", text):
            raise argparse.ArgumentTypeError(f"« {text} » : le {what} compte {count} chiffres")
        return text

    return parse


def _year(text: str) -> int:
    if not re.fullmatch(r"\d{4}", text):
        raise argparse.ArgumentTypeError(f"« {text} » n'est pas une année (AAAA)")
    return int(text)


EXPORT_EPILOG = """\
Depuis des documents : registre export scdl DOSSIER --siret 21340172200000 -o delib.csv
Depuis la base : registre export scdl --collectivity 213401722 --year 2014 -o delib.csv
Le rapport dit, ligne par ligne, les cellules laissées vides faute d'être dites par
les documents, puis la validation du fichier SCDL (frictionless). Voir docs/opendata.md.
Code de sortie : 0 fichier valide, 1 fichier écrit avec des erreurs ou un document
illisible, 2 rien n'a pu être exporté."""


def add_export(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add `registre export` to the command's subparsers."""
    parser = commands.add_parser(
        "export",
        help="exporte les délibérations en open data (SCDL CSV, ou JSON Popolo)",
        description="Exporte les délibérations au format SCDL « Délibérations » 2.1.5 (CSV)\n"
        "ou en JSON Popolo (votes, procurations, présences), depuis des documents publiés\n"
        "ou depuis la base de l'application.",
        epilog=EXPORT_EPILOG,
        formatter_class=FrenchHelpFormatter,
    )
    parser.add_argument("kind", choices=("scdl", "popolo"), metavar="{scdl,popolo}",
                        help="scdl : le CSV national ; popolo : le JSON détaillé")  # fmt: skip
    parser.add_argument("paths", nargs="*", metavar="CHEMIN",
                        help="documents publiés (PDF, texte, Word), registres JSON, ou dossiers")  # fmt: skip
    parser.add_argument("-o", "--out", metavar="FICHIER", required=True,
                        help="le fichier à écrire")  # fmt: skip
    parser.add_argument("--siret", type=_digits(14, "SIRET"), metavar="SIRET",
                        help="le SIRET de la collectivité (COLL_SIRET)")  # fmt: skip
    parser.add_argument("--collectivity", type=_digits(9, "SIREN"), metavar="SIREN",
                        help="exporte depuis la base les actes publiés de cette collectivité")  # fmt: skip
    parser.add_argument("--year", type=_year, metavar="AAAA",
                        help="avec --collectivity : l'année des séances")  # fmt: skip
    parser.add_argument("--infer-matter", action="store_true",
                        help="déduit de l'objet la matière @CTES que les documents n'impriment pas")  # fmt: skip
    parser.add_argument("--base-url", metavar="URL",
                        help="adresse de publication : DELIB_URL = URL/chemin du document (depuis la base : l'adresse du portail, par défaut REGISTRE_PUBLIC_URL)")  # fmt: skip
    parser.set_defaults(run=run_export)
