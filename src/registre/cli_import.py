"""`registre import résultats.jsonl`: put an archive read from published documents
(`registre read DOSSIER -o résultats.jsonl`) on the portal, in the application's
database; each act is marked as read from a document, with its findings."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from registre.cli_text import FrenchHelpFormatter
from registre.errors import InputError


def run_import(args: argparse.Namespace) -> int:
    """Import the results file; 0 when every line went in (or was there already)."""
    from registre.cli_web import _migrate, _setup  # noqa: PLC0415 (Django loads here only)

    path = Path(args.results)
    if not path.is_file():
        raise InputError("fichier introuvable : donnez le fichier écrit par "
                         "`registre read DOSSIER -o résultats.jsonl`.", path=str(path))  # fmt: skip
    _setup()  # the installation's database (REGISTRE_DATA, DATABASE_URL)
    _migrate()
    from registre.web.clock import system_clock  # noqa: PLC0415
    from registre.web.publication.importing import import_results  # noqa: PLC0415

    base = Path(args.documents) if args.documents else None
    with path.open(encoding="utf-8") as lines:
        report = import_results(lines, system_clock, base=base, siren=args.siren)
    print(f"{report.added} acte(s) ajouté(s) au portail, {report.already} déjà présent(s).")
    for problem in report.problems:
        print(f"  {problem}", file=sys.stderr)
    return 1 if report.problems else 0


def add_import(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Register `registre import`."""
    parser = commands.add_parser(
        "import", help="met sur le portail une archive lue par `registre read DOSSIER`",
        description=__doc__, formatter_class=FrenchHelpFormatter,
    )  # fmt: skip
    parser.add_argument("results", metavar="RÉSULTATS.jsonl", help="le fichier de `registre read`")
    parser.add_argument("--documents", metavar="DOSSIER",
                        help="le dossier lu, quand les chemins du fichier en sont relatifs")  # fmt: skip
    parser.add_argument(
        "--siren", help="SIREN de la collectivité, quand les documents ne le disent pas"
    )
    parser.set_defaults(run=run_import)
