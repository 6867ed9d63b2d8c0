"""`registre render`: the official documents of a meeting as PDF/A files.

Typst and the layouts are imported only when a document is rendered, so that the
other commands start fast.
"""

from __future__ import annotations

import argparse
import os
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

from registre import cli_sign
from registre.cli_document import load_checked
from registre.cli_text import FrenchHelpFormatter
from registre.errors import InputError, RegistreError
from registre.record import DocumentKind, MeetingRecord

if TYPE_CHECKING:
    from registre.documents.template import Template
    from registre.register import Anchor

# File names of `--all`, in French for the clerks who publish them.
FILE_NAMES = {
    DocumentKind.DELIBERATION_LIST: "liste-des-deliberations.pdf",
    DocumentKind.MINUTES: "proces-verbal.pdf",
    DocumentKind.CONVOCATION: "convocation.pdf",
    DocumentKind.REGISTER_SHEETS: "feuillets-du-registre.pdf",
}
EPILOG = """\
Entrée : un enregistrement JSON, ou un document publié (lu d'abord, comme « registre read »).
Sortie : des PDF/A-3a et PDF/UA-1 ; l'extrait, la liste et le procès-verbal portent
l'enregistrement JSON de la séance en fichier joint (registre-record.json).
Exemples :
  registre render seance.json --kind extract --item 20231123_01 -o extrait.pdf
  registre render seance.json --all -o documents/
  registre render seances/*.json --year-tables 2023 -o tables-2023.pdf
  REGISTRE_PKCS12_PASSPHRASE=… registre render seance.json --kind extract \\
      --sign-president president.p12 --sign-secretary secretaire.p12 -o extrait-signe.pdf
Code de sortie : 0 si les documents sont écrits, 2 si l'entrée ou le modèle est invalide."""


def run_render(args: argparse.Namespace) -> int:
    """Render one document (--kind) or all of them (--all) from a record or a document."""
    from registre.documents import render  # noqa: PLC0415 (see docstring)
    from registre.documents.template import load_template  # noqa: PLC0415

    if args.out is None:
        raise RegistreError("indiquez où écrire le PDF avec -o CHEMIN (un dossier avec --all)")
    if args.year_tables is not None:
        return _year_tables(args)
    if args.all == (args.kind is not None):
        raise RegistreError("choisissez un document avec --kind, ou tous avec --all")
    if len(args.path) != 1:
        raise RegistreError("une seule séance à la fois (plusieurs avec --year-tables)")
    template = load_template(Path(args.template) if args.template else None)
    record, _ = load_checked(args.path[0])
    if args.all:
        if cli_sign.wants_signing(args):
            raise RegistreError("la signature se fait document par document (--kind)")
        written = _render_all(record, Path(args.out), template)
        print(f"{len(written)} documents écrits dans {args.out}")
        return 0
    kind = DocumentKind(args.kind)
    if cli_sign.wants_signing(args):
        pdf = cli_sign.render_signed(args, record, kind, template, _head(args, record))
    else:
        pdf = render(record, kind, args.item, template, anchor=_head(args, record))
    _write(Path(args.out), pdf)
    return 0


def _head(args: argparse.Namespace, record: MeetingRecord) -> Anchor | None:
    """The register's head to print in a list of deliberations (--register)."""
    if not args.register:
        return None
    if args.kind != DocumentKind.DELIBERATION_LIST.value:
        raise RegistreError("--register ne s'applique qu'à la liste des délibérations")
    from registre.cli_verify import open_register  # noqa: PLC0415 (loads the register)
    from registre.documents.french import date_words  # noqa: PLC0415
    from registre.register import anchor  # noqa: PLC0415

    store = open_register(Path(args.register))
    where = f"la liste des délibérations de la séance du {date_words(record.meeting.date)}"
    head = anchor(store, args.assembly, where)
    store.close()
    if head is None:
        raise RegistreError(f"le registre ne contient aucune écriture de « {args.assembly} »")
    return head


def _year_tables(args: argparse.Namespace) -> int:
    """The yearly tables (R2121-9) over every meeting given."""
    from registre.documents import render_year_tables  # noqa: PLC0415 (see docstring)

    if args.all or args.kind is not None:
        raise RegistreError("--year-tables ne se combine ni avec --kind ni avec --all")
    records = [load_checked(path)[0] for path in args.path]
    template = Path(args.template) if args.template else None
    _write(Path(args.out), render_year_tables(records, args.year_tables, template))
    return 0


def _render_all(record: MeetingRecord, folder: Path, template: Template) -> list[Path]:
    """Every document of the meeting; nothing is written unless all of them render."""
    from registre.documents import render  # noqa: PLC0415 (see the module's docstring)

    documents = {
        f"extrait-{_safe(d.number)}.pdf": render(record, DocumentKind.EXTRACT, d.number, template)
        for d in record.deliberations
    }
    for kind, name in FILE_NAMES.items():
        documents[name] = render(record, kind, None, template)
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise InputError(f"dossier impossible à créer ({exc.strerror})", path=str(folder)) from None
    for name, pdf in documents.items():
        _write(folder / name, pdf)
    return [folder / name for name in documents]


def _safe(number: str) -> str:
    return "".join(c if c.isalnum() or c in "-_" else "-" for c in number) or "sans-numero"


def _write(path: Path, data: bytes) -> None:
    """Write through a temporary file renamed at the end: never a half-written PDF."""
    try:
        handle, temporary = tempfile.mkstemp(dir=path.parent or Path("."), suffix=".part")
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
        os.replace(temporary, path)
    except OSError as exc:
        raise InputError(f"écriture impossible ({exc.strerror})", path=str(path)) from None


def add_render(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add `registre render` to the command's subparsers."""
    parser = commands.add_parser(
        "render",
        help="produit les documents officiels d'une séance (PDF/A)",
        description="Produit l'extrait, la liste des délibérations, le procès-verbal, la\n"
        "convocation ou les feuillets du registre d'une séance, en PDF/A-3a et PDF/UA-1.",
        epilog=EPILOG,
        formatter_class=FrenchHelpFormatter,
    )
    parser.add_argument(
        "path", metavar="ENREGISTREMENT|DOCUMENT", nargs="+", help="la séance (ou les séances)"
    )
    parser.add_argument("--kind", choices=[k.value for k in DocumentKind], help="le document")
    parser.add_argument("--all", action="store_true", help="tous les documents de la séance")
    parser.add_argument("--item", metavar="N", help="extrait : le numéro de la délibération")
    parser.add_argument(
        "--year-tables",
        metavar="ANNÉE",
        type=int,
        help="les tables annuelles du registre (par date, par objet) des séances données",
    )
    parser.add_argument("--template", metavar="DOSSIER", help="le modèle de la collectivité")
    parser.add_argument(
        "--register",
        metavar="REGISTRE",
        help="liste des délibérations : y imprimer l'empreinte de tête de ce registre (SQLite)",
    )
    parser.add_argument(
        "--assembly", default="conseil", help="l'assemblée dans le registre (défaut : conseil)"
    )
    parser.add_argument("-o", "--out", metavar="CHEMIN", help="le PDF (un dossier avec --all)")
    cli_sign.add_sign_options(parser)
    parser.set_defaults(run=run_render)
