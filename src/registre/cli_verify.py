"""`registre verify`: check a register (SQLite database or JSON Lines export) against
the digests published in the lists of deliberations (anchors)."""

from __future__ import annotations

import argparse
import json
import sqlite3
from pathlib import Path

from registre.cli_text import FrenchHelpFormatter
from registre.errors import InputError, RegistreError
from registre.register import (
    Anchor,
    SqliteStore,
    entry_from_line,
    export_lines,
    verify,
    verify_export,
)
from registre.register.chain import anchors_in_keywords

EPILOG = """\
REGISTRE : la base SQLite de registre, ou un registre exporté (JSON Lines, --export).
--anchors : les empreintes publiées, dans une liste des délibérations produite par
  registre (PDF, « registre render --register »), ou un fichier JSON
  [{"assembly", "sequence", "digest", "published_in"}, ...] ; une réécriture du
  registre depuis leur publication les contredit.
DOCUMENT.pdf : ses signatures (intactes, reconnues par --trust) et son enregistrement
joint (empreinte des métadonnées, écriture du registre avec --register).
--documents DOSSIER : après la chaîne, chaque PDF signé du dossier est vérifié de même
  contre le registre (signatures, horodatages, écriture correspondante).
Code de sortie : 0 si le registre est intègre, 1 à la première rupture (dite
précisément : écriture, ce qui a changé, quelle publication le contredit), 2 si
l'entrée est illisible."""


def run_verify(args: argparse.Namespace) -> int:
    """Check every chain of the register; print the verdict in French."""
    path = Path(args.path)
    if path.suffix.lower() == ".pdf":
        from registre.cli_verify_document import verify_document  # noqa: PLC0415

        return verify_document(args)
    anchors = tuple(a for given in args.anchors or () for a in _anchors(Path(given)))
    if args.archive is not None:
        return _archive(path, args)
    if args.export:
        with _store(path) as store, open(args.export, "wb") as out:
            for line in export_lines(store.entries()):
                out.write(line + b"\n")
        print(f"registre exporté dans {args.export}")
        return 0
    if path.suffix.lower() in (".jsonl", ".json"):
        _check_export(path)
        result = verify_export(path, anchors)
    else:
        result = verify(open_register(path).entries(), anchors)
    if result.broken is None:
        heads = ", ".join(
            f"{a} : {n} écritures, tête {d[:16]}…" for a, (n, d) in result.heads.items()
        )
        print(f"Registre intègre : {result.entries} écritures vérifiées ({heads or 'vide'}).")
        return _documents(path, args) if args.documents else 0
    broken = result.broken
    print(
        f"Registre ROMPU à l'écriture n° {broken.sequence} de « {broken.assembly} » : {broken.problem}."
    )
    return 1


def _documents(path: Path, args: argparse.Namespace) -> int:
    """The signed documents of a folder, each against the register just verified."""
    from registre.cli_verify_document import verify_documents  # noqa: PLC0415

    failed = verify_documents(Path(args.documents), [Path(p) for p in args.trust or ()], path)
    return 1 if failed else 0


class _store:
    def __init__(self, path: Path) -> None:
        self.store = open_register(path)

    def __enter__(self) -> SqliteStore:
        return self.store

    def __exit__(self, *exc: object) -> None:
        self.store.close()


def _archive(path: Path, args: argparse.Namespace) -> int:
    """Write the year's self-verifying package (entries, documents, manifest, checker)."""
    from registre.register.archive import write_archive  # noqa: PLC0415

    if not args.out:
        raise RegistreError("indiquez le dossier du paquet d'archive avec -o DOSSIER")
    documents = sorted(Path(args.documents).glob("*.pdf")) if args.documents else []
    with _store(path) as store:
        write_archive(store.entries(), args.assembly, args.archive, documents, Path(args.out))
    print(f"paquet d'archive {args.archive} écrit dans {args.out} (vérification : LISEZMOI.txt)")
    return 0


def open_register(path: Path) -> SqliteStore:
    """A register database opened read-only; InputError (French) when it is not one."""
    if not path.is_file():
        raise InputError("fichier introuvable.", path=str(path))
    try:
        return SqliteStore(path, read_only=True)
    except sqlite3.DatabaseError:
        raise InputError(
            "ce fichier n'est pas une base de registre SQLite.", path=str(path)
        ) from None


def _check_export(path: Path) -> None:
    """An export whose first line is no entry is not a register: a French error."""
    if not path.is_file():
        raise InputError("fichier introuvable.", path=str(path))
    try:
        with path.open("rb") as stream:
            first = stream.readline().rstrip(b"\r\n")
    except OSError as exc:
        raise InputError(f"lecture impossible ({exc.strerror}).", path=str(path)) from None
    try:
        entry_from_line(first)
    except (ValueError, TypeError):
        raise InputError(
            "ligne 1 : ce n'est pas une écriture du registre.", path=str(path)
        ) from None


def _anchors(path: Path) -> tuple[Anchor, ...]:
    """The anchors of a JSON list, or those a published PDF carries in its keywords."""
    if path.suffix.lower() == ".pdf":
        return _pdf_anchors(path)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return tuple(Anchor(str(a["assembly"]), int(a["sequence"]), str(a["digest"]),
                            str(a.get("published_in", path.name))) for a in data)  # fmt: skip
    except (OSError, ValueError, KeyError, TypeError):
        raise InputError(
            'liste d\'empreintes illisible : attendu [{"assembly", "sequence", "digest", '
            '"published_in"}, ...].',
            path=str(path),
        ) from None


def _pdf_anchors(path: Path) -> tuple[Anchor, ...]:
    import pypdfium2 as pdfium  # noqa: PLC0415 (only for published PDFs)

    try:
        document = pdfium.PdfDocument(str(path))
        keywords = document.get_metadata_dict().get("Keywords", "")
        document.close()
    except (OSError, pdfium.PdfiumError):
        raise InputError("ce PDF ne peut pas être ouvert.", path=str(path)) from None
    found = anchors_in_keywords(keywords, path.name)
    if not found:
        raise InputError("ce PDF ne porte aucune empreinte du registre.", path=str(path))
    return tuple(found)


def add_verify(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add `registre verify` to the command's subparsers."""
    parser = commands.add_parser(
        "verify",
        help="vérifie l'intégrité d'un registre (chaîne d'empreintes, publications)",
        description="Vérifie la chaîne d'empreintes d'un registre et les empreintes publiées.",
        epilog=EPILOG,
        formatter_class=FrenchHelpFormatter,
    )
    parser.add_argument(
        "path", metavar="REGISTRE|DOCUMENT", help="base SQLite, export .jsonl, ou un PDF publié"
    )
    parser.add_argument(
        "--trust",
        metavar="CERTIFICAT",
        action="append",
        help="document : certificat racine de confiance (PEM ou DER, répétable)",
    )
    parser.add_argument(
        "--register", metavar="REGISTRE", help="document : le registre où chercher son écriture"
    )
    parser.add_argument(
        "--anchors",
        metavar="CHEMIN",
        action="append",
        help="empreintes publiées : un JSON, ou une liste des délibérations en PDF (répétable)",
    )
    parser.add_argument("--export", metavar="CHEMIN", help="exporte le registre en JSON Lines")
    parser.add_argument(
        "--archive", metavar="ANNÉE", type=int, help="écrit le paquet d'archive de l'année (-o)"
    )
    parser.add_argument("--assembly", default="conseil", help="archive : l'assemblée (conseil)")
    parser.add_argument(
        "--documents",
        metavar="DOSSIER",
        help="les PDF signés : vérifiés contre le registre, ou joints à l'archive",
    )
    parser.add_argument("-o", "--out", metavar="DOSSIER", help="archive : le dossier du paquet")
    parser.set_defaults(run=run_verify)


__all__ = ["RegistreError", "add_verify", "run_verify"]
