"""The `registre` command: check a meeting record, run the demo, print the schema or rules.

Everything the user reads is French. Exit status: 0 when no finding is an error,
1 when at least one is, 2 when an input cannot be read or is not a valid record
(one French line on stderr naming the file and the problem, never a traceback).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import asdict
from datetime import date
from importlib.resources import files
from typing import Any

from registre import __version__
from registre.cli_text import (
    REPORT_SHAPE,
    FrenchHelpFormatter,
    demo_header,
    french_argparse,
    json_report,
    text_report,
)
from registre.errors import InputError, RecordFormatError, RegistreError
from registre.record import LifecycleEvent, MeetingRecord, from_data, loads
from registre.record.codec import parse_json
from registre.record.schema import json_schema_text
from registre.rules import CATALOGUE, Finding, Severity, check

MAX_INPUT_BYTES = 10 * 1024 * 1024
DEMO_PACKAGE, DEMO_FILE = "registre.demo", "dijon-2023-11-23.json"
EXIT_OK, EXIT_ERRORS, EXIT_BAD_INPUT = 0, 1, 2

Command = Callable[[argparse.Namespace], int]

# --- reading and writing files -------------------------------------------------------


def _megabytes(size: int) -> str:
    text = f"{size / (1024 * 1024):.1f}".replace(".", ",")
    return text.removesuffix(",0")


def _os_reason(exc: OSError, *, writing: bool = False) -> str:
    if isinstance(exc, FileNotFoundError):
        return "le dossier n'existe pas" if writing else "fichier introuvable"
    if isinstance(exc, IsADirectoryError):
        return "c'est un dossier, pas un fichier"
    if isinstance(exc, PermissionError):
        return "accès refusé (droits insuffisants)"
    if isinstance(exc, NotADirectoryError):
        return "chemin invalide : un élément du chemin n'est pas un dossier"
    action = "écriture" if writing else "lecture"
    return f"{action} impossible ({exc.strerror or exc})"


def _too_large(size: int, limit: int, path: str) -> InputError:
    return InputError(
        f"fichier trop volumineux ({_megabytes(size)} Mo) ; la limite est de "
        f"{_megabytes(limit)} Mo",
        path=path,
    )


def read_input(path: str, limit: int = MAX_INPUT_BYTES) -> str:
    """Read a UTF-8 text file (BOM allowed), refusing files over `limit` bytes unread.

    Raise InputError, with a French message naming `path`, when the file is missing,
    unreadable, too large or not UTF-8.
    """
    try:
        size = os.stat(path).st_size
        if size > limit:
            raise _too_large(size, limit, path)
        with open(path, "rb") as handle:
            data = handle.read(limit + 1)
    except OSError as exc:
        raise InputError(_os_reason(exc), path=path) from None
    if len(data) > limit:
        raise _too_large(len(data), limit, path)
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(
            f"le fichier doit être du JSON encodé en UTF-8 (octet invalide en position {exc.start})",
            path=path,
        ) from None


def write_output(path: str, text: str) -> None:
    """Write `text` to `path` in UTF-8; raise InputError in French if it cannot be written."""
    try:
        with open(path, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
    except OSError as exc:
        raise InputError(
            f"écriture impossible : {_os_reason(exc, writing=True)}", path=path
        ) from None


def _format_detail(exc: RecordFormatError) -> str:
    if exc.pointer:
        return f"champ {exc.pointer} : {exc.detail}"
    return f"le document {exc.detail}" if exc.detail.startswith("doit") else exc.detail


@contextmanager
def _naming(path: str) -> Iterator[None]:
    """Turn a format error inside the block into an InputError naming `path`."""
    try:
        yield
    except RecordFormatError as exc:
        raise InputError(_format_detail(exc), path=path) from None
    except RecursionError:
        raise InputError("JSON imbriqué trop profondément", path=path) from None


def record_from_text(text: str, path: str) -> MeetingRecord:
    """Decode a MeetingRecord; a format error becomes an InputError naming `path`."""
    with _naming(path):
        return loads(text)


def load_record(path: str) -> MeetingRecord:
    """Read and decode the MeetingRecord JSON file at `path`."""
    return record_from_text(read_input(path), path)


def load_events(path: str, record: MeetingRecord) -> list[LifecycleEvent]:
    """Read a JSON list of lifecycle events about `record`'s deliberations."""
    text = read_input(path)
    with _naming(path):
        data = parse_json(text)
        if not isinstance(data, list):
            raise RecordFormatError("doit être une liste JSON d'événements ([...])")
        events = [from_data(LifecycleEvent, item, f"/{i}") for i, item in enumerate(data)]
        numbers = {item.number for item in record.deliberations}
        for index, event in enumerate(events):
            if event.deliberation is not None and event.deliberation not in numbers:
                raise RecordFormatError(
                    f"la délibération « {event.deliberation} » n'est pas dans le registre contrôlé",
                    pointer=f"/{index}/deliberation",
                )
    return events


# --- commands ------------------------------------------------------------------------


def _emit(text: str, out: str | None) -> None:
    if out is None:
        sys.stdout.write(text)
        return
    write_output(out, text)
    print(f"registre : écrit dans {out}", file=sys.stderr)


def _status(findings: Sequence[Finding]) -> int:
    errors = any(f.severity is Severity.ERROR for f in findings)
    return EXIT_ERRORS if errors else EXIT_OK


def run_check(args: argparse.Namespace) -> int:
    """`registre check`: check a record file, or a published document, and report."""
    from registre.cli_document import load_checked  # noqa: PLC0415 (it imports this module)

    record, stated = load_checked(args.file)
    history = [load_record(path) for path in args.history]
    events = [*stated, *(load_events(args.events, record) if args.events else [])]
    findings = check(record, as_of=args.as_of, history=history, events=events)
    if args.format == "json":
        report = json_report(args.file, findings)
    else:
        report = text_report(args.file, record, findings)
    _emit(report, args.out)
    return _status(findings)


def run_demo(args: argparse.Namespace) -> int:
    """`registre demo`: the web application with Dijon métropole loaded; with
    --report (or --json, --out), the check of the bundled Dijon record instead."""
    if not (args.report or args.format == "json" or args.out):
        from registre.cli_web import run_web_demo  # noqa: PLC0415 (loads Django)

        return run_web_demo(args)
    name = f"{DEMO_PACKAGE}/{DEMO_FILE}"
    text = files(DEMO_PACKAGE).joinpath(DEMO_FILE).read_text(encoding="utf-8")
    record = record_from_text(text, name)
    findings = check(record)
    if args.format == "json":
        report = json_report(name, findings)
    else:
        report = demo_header(record) + text_report(name, record, findings)
    _emit(report, args.out)
    return _status(findings)


def run_schema(args: argparse.Namespace) -> int:
    """`registre schema`: print or write the JSON Schema of a record (or of `read`'s output)."""
    if args.read:
        from registre.extracts.output import read_schema_text  # noqa: PLC0415 (loads the reader)

        _emit(read_schema_text(), args.out)
        return EXIT_OK
    _emit(json_schema_text(), args.out)
    return EXIT_OK


def _rules_markdown() -> str:
    try:
        from registre.rules import docs  # noqa: PLC0415 (written separately; optional)
    except ModuleNotFoundError as exc:
        if exc.name != "registre.rules.docs":
            raise
        raise RegistreError("la documentation des règles n'est pas disponible") from None
    text: str = docs.markdown()
    return text


def run_rules(args: argparse.Namespace) -> int:
    """`registre rules`: print or write the rules' documentation (Markdown, or JSON)."""
    if args.format == "json":
        catalogue: list[dict[str, Any]] = [asdict(info) for info in CATALOGUE]
        text = json.dumps(catalogue, ensure_ascii=False, indent=2) + "\n"
    else:
        text = _rules_markdown()
    _emit(text, args.out)
    return EXIT_OK


# --- the parser ----------------------------------------------------------------------


def as_of_date(text: str) -> date:
    """argparse type of --as-of: an existing date written AAAA-MM-JJ."""
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        try:
            return date.fromisoformat(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"la date « {text} » n'existe pas") from None
    raise argparse.ArgumentTypeError(f"« {text} » n'est pas une date au format AAAA-MM-JJ")


def _add_output_options(parser: argparse.ArgumentParser, out_help: str) -> None:
    parser.add_argument(
        "--format",
        choices=("text", "json"),
        default="text",
        help="format de sortie : text (par défaut) ou json",
    )
    parser.add_argument(
        "--json",
        dest="format",
        action="store_const",
        const="json",
        help="raccourci de --format json",
    )
    parser.add_argument("-o", "--out", metavar="CHEMIN", help=out_help)


def _add_check(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = commands.add_parser(
        "check",
        help="contrôle un registre de séance (JSON) ou un document publié au regard du CGCT",
        description=(
            "Contrôle un registre de séance (MeetingRecord, JSON) au regard du CGCT ; "
            "un document publié (PDF, texte, Word) est d'abord lu (voir registre read)."
        ),
        epilog=REPORT_SHAPE,
        formatter_class=FrenchHelpFormatter,
    )
    parser.add_argument(
        "file",
        metavar="FICHIER",
        help="le registre de la séance (JSON, UTF-8), ou un document publié (.pdf, .txt, "
        ".doc, .docx, .odt)",
    )
    parser.add_argument(
        "--as-of",
        metavar="AAAA-MM-JJ",
        type=as_of_date,
        help="date à laquelle juger les délais après la séance (publication, signatures…)",
    )
    parser.add_argument(
        "--events", metavar="ÉVÉNEMENTS.json", help="liste JSON des événements (signature…)"
    )
    parser.add_argument(
        "--history",
        metavar="ANCIENNE.json",
        nargs="+",
        action="extend",
        default=[],
        help="registres de séances antérieures de la même assemblée (âge des procurations)",
    )
    _add_output_options(parser, "écrit le rapport dans CHEMIN au lieu de l'afficher")
    parser.set_defaults(run=run_check)


def _add_simple(
    commands: argparse._SubParsersAction[argparse.ArgumentParser],
    name: str,
    run: Command,
    summary: str,
    out_help: str,
) -> argparse.ArgumentParser:
    parser = commands.add_parser(
        name,
        help=summary,
        description=summary[0].upper() + summary[1:] + ".",
        formatter_class=FrenchHelpFormatter,
    )
    _add_output_options(parser, out_help)
    parser.set_defaults(run=run)
    return parser


def _add_demo_options(demo: argparse.ArgumentParser) -> None:
    from registre.cli_web import add_address  # noqa: PLC0415

    add_address(demo)
    demo.add_argument("--report", action="store_true",
                      help="affiche le contrôle du registre de Dijon au lieu de servir")  # fmt: skip
    demo.add_argument("--check", action="store_true",
                      help="sur un port libre : charge l'accueil, se connecte, et s'arrête")  # fmt: skip


def build_parser() -> argparse.ArgumentParser:
    """The `registre` argument parser; build it inside `french_argparse()`."""
    parser = argparse.ArgumentParser(
        prog="registre",
        description="Registre des délibérations des assemblées locales : contrôle CGCT.",
        epilog="Code de sortie : 0 sans erreur, 1 si au moins une erreur, 2 si entrée invalide.",
        formatter_class=FrenchHelpFormatter,
    )
    parser.add_argument(
        "--version",
        action="version",
        version=f"registre {__version__}",
        help="affiche le numéro de version et quitte",
    )
    commands = parser.add_subparsers(
        title="commandes", dest="command", metavar="COMMANDE", required=True
    )
    _add_check(commands)
    from registre import (  # noqa: PLC0415 (they import this module)
        cli_actes,
        cli_export,
        cli_import,
        cli_read,
        cli_render,
        cli_verify,
        cli_web,
    )

    for add in (cli_read.add_read, cli_render.add_render, cli_verify.add_verify, cli_web.add_web,
                cli_import.add_import):  # fmt: skip
        add(commands)
    cli_export.add_export(commands)
    cli_actes.add_actes(commands)
    demo = _add_simple(
        commands, "demo", run_demo,
        "démonstration : l'application web avec Dijon métropole (ou, avec --report, le "
        "contrôle de son registre)", "écrit le rapport dans CHEMIN au lieu de l'afficher",
    )  # fmt: skip
    _add_demo_options(demo)
    schema = _add_simple(
        commands, "schema", run_schema, "affiche le schéma JSON du registre",
        "écrit le schéma dans CHEMIN au lieu de l'afficher",
    )  # fmt: skip
    schema.add_argument(
        "--read",
        action="store_true",
        help="le schéma du résultat de « registre read --json » (docs/read.schema.json)",
    )
    _add_simple(
        commands, "rules", run_rules, "affiche la documentation des règles (Markdown)",
        "écrit la documentation dans CHEMIN au lieu de l'afficher",
    )  # fmt: skip
    return parser


# --- entry point ---------------------------------------------------------------------


def _fail(message: str) -> int:
    print(f"registre : erreur : {message}", file=sys.stderr)
    return EXIT_BAD_INPUT


def _parse(argv: Sequence[str] | None) -> argparse.Namespace | int:
    try:
        with french_argparse():
            return build_parser().parse_args(argv)
    except SystemExit as exc:
        code = exc.code
        return code if isinstance(code, int) else (EXIT_OK if code is None else EXIT_BAD_INPUT)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the `registre` command with `argv` (default: sys.argv); return the exit status."""
    args = _parse(argv)
    if isinstance(args, int):
        return args
    try:
        run: Command = args.run
        status = run(args)
    except RegistreError as exc:
        return _fail(str(exc))
    except OSError as exc:
        where = f"{exc.filename} : " if exc.filename else ""
        return _fail(f"{where}{_os_reason(exc)}")
    except UnicodeError:
        return _fail("un fichier doit être du JSON encodé en UTF-8")
    return status


if __name__ == "__main__":
    sys.exit(main())
