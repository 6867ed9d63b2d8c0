"""`registre read`: read published documents (PDF, text, Word) into records and check them.

`registre read FICHIER` prints, in French, what was read (the meeting, who was
there, each deliberation, the doubts and the passages not interpreted), then the
rules' findings and the verdict (`cli_read_report`); `--json` prints the public JSON
document of `registre.extracts.output` instead. Exit status as for `check`: 0, 1
when a finding is an error, 2 when the file cannot be read.

`registre read DOSSIER -o résultats.jsonl` reads every document under DOSSIER in
parallel processes and writes one JSON line per document as soon as it is read
(`cli_batch`). The run can be interrupted and started again: documents already in
the results file are not read twice.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from typing import Any

from registre.cli import _add_output_options, _emit, _status
from registre.cli_batch import read_folder
from registre.cli_document import EXIT_INTERRUPTED, read_document
from registre.cli_read_report import read_report
from registre.cli_text import FrenchHelpFormatter
from registre.errors import RegistreError
from registre.rules import check

# --- one file ------------------------------------------------------------------------


def _read_file(args: argparse.Namespace) -> int:
    for option, value in (("--workers", args.workers), ("--findings-csv", args.findings_csv)):
        if value is not None:
            raise RegistreError(f"l'option {option} ne s'applique qu'à un dossier")
    try:
        result = read_document(
            args.path, ocr_page_limit=args.ocr_pages, embedded=not args.ignore_embedded
        )
    except KeyboardInterrupt:
        print(f"registre : lecture de {args.path} interrompue", file=sys.stderr)
        return EXIT_INTERRUPTED
    findings = check(result.record, events=result.events)
    if args.format == "json":
        from registre.extracts.output import result_data  # noqa: PLC0415 (see cli_document)

        data = result_data(result, findings)
        text = json.dumps(data, ensure_ascii=False, indent=2) + "\n"
    else:
        text = read_report(args.path, result, findings)
    _emit(text, args.out)
    return _status(findings)


# --- the command ---------------------------------------------------------------------


def run_read(args: argparse.Namespace) -> int:
    """`registre read`: read a document (report or JSON), or every document of a folder."""
    if os.path.isdir(args.path):
        return read_folder(args)
    return _read_file(args)


def _count(minimum: int) -> Any:
    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"« {text} » n'est pas un nombre entier") from None
        if value < minimum:
            raise argparse.ArgumentTypeError(f"{value} : au moins {minimum} attendu")
        return value

    return parse


READ_EPILOG = """\
Un fichier : le rapport en français (séance, présences, délibérations, doutes,
passages non interprétés, constatations, verdict), ou avec --json le document JSON
décrit par docs/read.schema.json (registre schema --read).
Code de sortie : 0 sans erreur, 1 si au moins une erreur, 2 si le document est illisible.

Un dossier (avec -o résultats.jsonl) : chaque document .pdf, .txt, .doc, .docx ou
.odt du dossier et de ses sous-dossiers, une ligne JSON par document (le même document
avec "file", chemin relatif au dossier ; ou {"file", "error"} s'il est illisible).
Chaque ligne est écrite dès que son document est lu : une exécution interrompue
reprend là où elle s'est arrêtée, sans relire ce qui est déjà dans le fichier.
Code de sortie : 0 (les échecs sont dans le fichier et le résumé), 2 si le dossier ou
le fichier de résultats est inutilisable, 130 si interrompu."""


def add_read(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add `registre read` to the command's subparsers."""
    parser = commands.add_parser(
        "read",
        help="lit un document publié (PDF, texte, Word) ou un dossier, et le contrôle",
        description=(
            "Lit un extrait ou un procès-verbal publié (PDF, texte, Word .doc/.docx, .odt),\n"
            "ou tous ceux d'un dossier, et contrôle les séances lues au regard du CGCT."
        ),
        epilog=READ_EPILOG,
        formatter_class=FrenchHelpFormatter,
    )
    parser.add_argument("path", metavar="FICHIER|DOSSIER", help="le document, ou un dossier")
    _add_output_options(
        parser,
        "un fichier : écrit le rapport dans CHEMIN ; un dossier : le fichier de résultats "
        "(JSON Lines), complété s'il existe",
    )
    parser.add_argument(
        "--ocr-pages",
        metavar="N",
        type=_count(0),
        help="au plus N pages numérisées passées à la reconnaissance de caractères (défaut : toutes)",
    )
    parser.add_argument(
        "--ignore-embedded",
        action="store_true",
        help="un PDF produit par registre porte son enregistrement : lire plutôt son texte imprimé",
    )
    parser.add_argument(
        "--workers",
        metavar="N",
        type=_count(1),
        help="dossier : nombre de processus de lecture (défaut : nombre de processeurs)",
    )
    parser.add_argument(
        "--findings-csv",
        metavar="CHEMIN",
        help="dossier : écrit aussi les constatations en CSV (une ligne par constatation, "
        "séparateur ;, UTF-8 avec BOM pour Excel)",
    )
    parser.set_defaults(run=run_read)
