"""`registre actes build|send|classification`: transmission to the prefecture (@CTES).

`build` makes the package of one deliberation (from a record, a published document
or a register's entry) with its signed PDF; `send` hands a package to the
collectivity's operator, waits for the prefecture's acknowledgement and records
both in the register, never sending twice; `classification` prints the matters of
the prefecture's classification. Exit status: 0 done (for `send`: acknowledged),
1 refused, failed or not yet acknowledged (`send`), 2 bad input.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import sys
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from registre.cli import EXIT_ERRORS, EXIT_OK, as_of_date, load_record
from registre.cli_text import FrenchHelpFormatter
from registre.errors import InputError, RegistreError
from registre.record import MeetingRecord

if TYPE_CHECKING:  # registre.actes loads lxml: imported only by the commands that use it
    from registre.actes import Attachment, OperatorClient, SendResult

KEY_PASSPHRASE_ENV = "REGISTRE_OPERATOR_KEY_PASSPHRASE"
MAX_FILE = 100 * 1024 * 1024


def _read(path: str, what: str) -> bytes:
    try:
        if os.stat(path).st_size > MAX_FILE:
            raise InputError(f"{what} trop volumineux (plus de 100 Mo)", path=path)
        return Path(path).read_bytes()
    except IsADirectoryError:
        raise InputError(f"{what} : c'est un dossier, pas un fichier", path=path) from None
    except FileNotFoundError:
        raise InputError(f"{what} introuvable", path=path) from None
    except OSError as exc:
        raise InputError(f"{what} illisible ({exc.strerror})", path=path) from None


def _write(path: str, data: bytes) -> None:
    """Write through a temporary file renamed at the end: never a half-written package."""
    target = Path(path)
    partial = target.with_name(target.name + ".part")
    try:
        partial.write_bytes(data)
        os.replace(partial, target)
    except OSError as exc:
        raise InputError(f"écriture impossible ({exc.strerror})", path=path) from None


def _french_date(day: date) -> str:
    return day.strftime("%d/%m/%Y")


# --- build ---------------------------------------------------------------------------


def _from_register(args: argparse.Namespace) -> MeetingRecord:
    """The deliberation entered at `--entry` in the register's chain `--assembly`."""
    from registre.cli_verify import open_register  # noqa: PLC0415 (loads the register)
    from registre.record import loads  # noqa: PLC0415
    from registre.register import EntryKind  # noqa: PLC0415

    store = open_register(Path(args.register))
    try:
        entry = next((e for e in store.entries(args.assembly) if e.sequence == args.entry), None)
    finally:
        store.close()
    if entry is None or entry.kind is not EntryKind.DELIBERATION:
        raise InputError(f"aucune délibération à l'écriture n° {args.entry} de « {args.assembly} »",
                         path=args.register)  # fmt: skip
    return loads(entry.payload.decode("utf-8"))


def _record(args: argparse.Namespace) -> MeetingRecord:
    if args.register and args.record:
        raise RegistreError(
            "donnez soit un enregistrement, soit --register et --entry, pas les deux"
        )
    if args.register:
        if args.entry is None:
            raise RegistreError(
                "--register demande --entry : le numéro de l'écriture de la délibération"
            )
        return _from_register(args)
    if not args.record:
        raise RegistreError(
            "indiquez la séance (ENREGISTREMENT.json ou document publié) ou --register"
        )
    from registre.cli_document import is_document, load_checked  # noqa: PLC0415

    return load_checked(args.record)[0] if is_document(args.record) else load_record(args.record)


def _item_number(record: MeetingRecord, item: str | None) -> str:
    if item is not None:
        return item
    if len(record.deliberations) == 1:
        return record.deliberations[0].number
    known = ", ".join(d.number for d in record.deliberations)
    raise RegistreError(
        f"la séance compte plusieurs délibérations : choisissez-en une avec --item ({known})"
    )


def _attachments(values: list[str]) -> tuple[Attachment, ...]:
    from registre.actes import Attachment  # noqa: PLC0415

    found = []
    for value in values:
        path, _, type_code = value.partition("=")
        found.append(Attachment(Path(path).name, _read(path, "annexe"), type_code or "99_AU"))
    return tuple(found)


def _collectivity(record: MeetingRecord, number: str) -> tuple[str, str]:
    """The emitter's département (three characters) and SIREN: the record's, else those
    of the act id printed on the document read (a published extract rarely says its
    département otherwise); as found when they do not fit (the checks then say so)."""
    from registre.actes import ActIdError, departement_code, parse_act_id  # noqa: PLC0415

    who = record.collectivity
    printed = next((d.act_id for d in record.deliberations if d.number == number), None)
    try:
        act = parse_act_id(printed) if printed else None
    except ActIdError:
        act = None
    code = who.departement_code or (act.departement if act else "")
    with contextlib.suppress(ActIdError):
        code = departement_code(code) if code else ""
    return code, who.siren or (act.siren if act else "")


def run_build(args: argparse.Namespace) -> int:
    """`registre actes build`: write the package of one deliberation."""
    from registre.actes import (  # noqa: PLC0415 (lxml is loaded only for this command)
        Emitter,
        package_for,
        parse_classification,
    )

    record = _record(args)
    number = _item_number(record, args.item)
    classification = (
        parse_classification(_read(args.classification, "classification"))
        if args.classification
        else None
    )
    attachments = _attachments(args.annexe)
    departement, siren = _collectivity(record, number)
    emitter = Emitter(siren=siren, departement=departement,
                      arrondissement=args.arrondissement, nature=args.nature_collectivite,
                      emails=tuple(args.email), referent_name=args.referent)  # fmt: skip
    package = package_for(
        record, number, emitter, pdf=_read(args.pdf, "PDF de l'acte") if args.pdf else None,
        built_on=args.date or date.today(), act_number=args.number, attachments=attachments,
        classification=classification, classification_date=args.classification_date,
        matter_code=args.matter, sequence=args.sequence,
    )  # fmt: skip
    _write(args.out, package.data)
    act = package.act_id
    version = classification.version if classification else args.classification_date
    print(f"registre actes : paquet écrit dans {args.out} ({package.name})")
    print(f"  acte {act} : délibération n° {number} du {_french_date(act.decision_date)}")
    matter = args.matter or next(d.matter_code for d in record.deliberations if d.number == number)
    print(f"  matière {matter}, classification du {_french_date(version)}")
    print("  fichiers : " + ", ".join(package.files))
    return EXIT_OK


# --- send ----------------------------------------------------------------------------


def _operator(args: argparse.Namespace) -> OperatorClient:
    from registre.actes import OperatorClient, OperatorConfig  # noqa: PLC0415

    if bool(args.cert) != bool(args.key):
        raise RegistreError("le certificat client va avec sa clé : donnez --cert et --key ensemble")
    for path in (args.cert, args.key, args.ca):
        if path and not Path(path).is_file():
            raise InputError("fichier introuvable", path=path)
    config = OperatorConfig(
        args.operator, cert=Path(args.cert) if args.cert else None,
        key=Path(args.key) if args.key else None, ca=Path(args.ca) if args.ca else None,
        key_password=os.environ.get(KEY_PASSPHRASE_ENV), timeout=args.timeout,
    )  # fmt: skip
    try:
        return OperatorClient(config)
    except (OSError, ValueError) as exc:  # ssl.SSLError is an OSError
        raise InputError(f"certificat client ou clé inutilisable ({exc})", path=args.cert) from None


def run_send(args: argparse.Namespace) -> int:
    """`registre actes send`: send a package, record the transmission and the acknowledgement."""
    from registre.actes import RetryPolicy, read_package, send  # noqa: PLC0415
    from registre.register import SqliteStore  # noqa: PLC0415

    if not args.operator.startswith(("https://", "http://")):
        raise RegistreError(f"adresse d'opérateur invalide : « {args.operator} » (https://…)")
    contents = read_package(_read(args.package, "paquet"))
    operator = _operator(args)
    if not Path(args.register).is_file():
        raise InputError("registre introuvable (la base SQLite du registre)", path=args.register)
    policy = RetryPolicy(posts=args.attempts, polls=args.polls, interval=args.interval)
    store = SqliteStore(args.register)
    try:
        result = send(operator, contents, store, args.assembly, _clock,
                      deliberation=args.item, policy=policy)  # fmt: skip
    finally:
        store.close()
    return _report(result)


def _clock() -> datetime:
    """Now, in the machine's time zone: the day of the transmission is the clerk's day."""
    return datetime.now().astimezone()


def _report(result: SendResult) -> int:
    from registre.actes import Outcome  # noqa: PLC0415

    for event in result.appended:
        print(f"registre actes : inscrit au registre : {_EVENT_WORDS[event.kind.value]} "
              f"le {_french_date(event.on)} ({event.act_id})")  # fmt: skip
    where = f" (transaction {result.transaction})" if result.transaction else ""
    if result.outcome is Outcome.ACKNOWLEDGED:
        ack = result.acknowledgement
        day = f" le {_french_date(ack.received_on)}" if ack else ""
        print(
            f"registre actes : accusé de réception de la préfecture{day} pour l'acte {result.act_id}{where}"
        )
        if result.message:
            print(f"  {result.message}")
        return EXIT_OK
    if result.outcome is Outcome.ELSEWHERE:
        print(f"registre actes : acte {result.act_id} {result.message}")
        return EXIT_OK
    if result.outcome is Outcome.PENDING:
        print(f"registre actes : acte {result.act_id} transmis à l'opérateur{where}, accusé de "
              "réception pas encore reçu ; relancez la même commande plus tard (rien ne sera renvoyé)")  # fmt: skip
        return EXIT_ERRORS
    label = "refus" if result.outcome is Outcome.REFUSED else "envoi impossible"
    print(
        f"registre : {label} pour l'acte {result.act_id}{where} : {result.message}", file=sys.stderr
    )
    return EXIT_ERRORS


_EVENT_WORDS = {"transmitted": "transmis à la préfecture", "acknowledged": "accusé de réception"}


# --- classification ------------------------------------------------------------------


def run_classification(args: argparse.Namespace) -> int:
    """`registre actes classification`: print the matters of a prefecture's classification."""
    from registre.actes import parse_classification  # noqa: PLC0415

    found = parse_classification(_read(args.file, "classification"))
    if args.format == "json":
        data = {"version": found.version.isoformat(),
                "natures": [{"code": n.code, "abbreviation": n.abbreviation, "label": n.label}
                            for n in found.natures],
                "matters": [{"code": m.code, "label": m.label, "level": m.level} for m in found.matters]}  # fmt: skip
        sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")
        return EXIT_OK
    levels = [sum(1 for m in found.matters if m.level == n) for n in (1, 2)]
    print(f"Classification de la préfecture du {_french_date(found.version)} : "
          f"{levels[0]} matières de niveau 1, {levels[1]} de niveau 2, {len(found.matters)} en tout")  # fmt: skip
    print(
        "Natures d'acte : "
        + ", ".join(f"{n.code} {n.abbreviation} {n.label}" for n in found.natures)
    )
    for matter in found.matters:
        print(f"{'  ' * (matter.level - 1)}{matter.code}  {matter.label}")
    return EXIT_OK


# --- the parser ----------------------------------------------------------------------

EPILOG = """\
Paquet : registre actes build seance.json --item 12 --pdf extrait-12.pdf \\
           --classification classification.xml --email greffe@ville.fr \\
           --arrondissement 2 --nature-collectivite 34 -o paquet.tar.gz
Envoi : registre actes send paquet.tar.gz --operator https://operateur.example \\
           --cert client.pem --key client.key --register registre.sqlite
Voir docs/actes.md. Code de sortie : 0 fait (envoi : accusé de réception reçu),
1 refusé, en échec ou en attente de l'accusé de réception, 2 entrée invalide."""


def _positive(text: str) -> int:
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"« {text} » n'est pas un nombre entier positif")
    return int(text)


def _seconds(text: str) -> float:
    try:
        value = float(text.replace(",", "."))
    except ValueError:
        value = -1.0
    if value < 0:
        raise argparse.ArgumentTypeError(f"« {text} » n'est pas une durée en secondes")
    return value


# Each option: its names, then argparse's keywords (tables keep the commands readable).
Option = tuple[tuple[str, ...], dict[str, Any]]
_REQUIRED = {"required": True}

BUILD_OPTIONS: tuple[Option, ...] = (
    (("record",), {"nargs": "?", "metavar": "SÉANCE",
                   "help": "la séance : enregistrement JSON ou document publié"}),
    (("--item",), {"metavar": "N", "help": "le numéro de la délibération dans la séance"}),
    (("--register",), {"metavar": "REGISTRE", "help": "lire la délibération dans ce registre (SQLite)"}),
    (("--entry",), {"type": _positive, "metavar": "N", "help": "avec --register : le numéro de l'écriture"}),
    (("--assembly",), {"default": "conseil", "help": "avec --register : l'assemblée (défaut : conseil)"}),
    (("--pdf",), {"metavar": "PDF", "help": "le PDF signé de l'acte"}),
    (("--annexe",), {"action": "append", "default": [], "metavar": "FICHIER[=TYPE]",
                     "help": "une annexe, avec son type de pièce (défaut 99_AU) ; répétable"}),
    (("--number",), {"metavar": "NUMÉRO", "help": "le numéro de l'acte pour @CTES s'il diffère (lettres, chiffres, _)"}),
    (("--matter",), {"metavar": "CODE", "help": "la matière @CTES (par exemple 8.6) si l'enregistrement n'en a pas"}),
    (("--classification",), {"metavar": "FICHIER.xml", "help": "la classification de la préfecture (RetourClassification)"}),
    (("--classification-date",), {"type": as_of_date, "metavar": "AAAA-MM-JJ", "help": "sans --classification : sa date"}),
    (("--email",), {"action": "append", "default": [], **_REQUIRED, "metavar": "ADRESSE",
                    "help": "adresse de retour des réponses de la préfecture ; répétable"}),
    (("--arrondissement",), {**_REQUIRED, "metavar": "N", "help": "l'arrondissement de la collectivité (un chiffre)"}),
    (("--nature-collectivite",), {**_REQUIRED, "metavar": "NN", "help": "la nature de la collectivité dans @CTES (deux chiffres)"}),
    (("--referent",), {"metavar": "NOM", "help": "le nom du référent de la collectivité pour la préfecture"}),
    (("--date",), {"type": as_of_date, "metavar": "AAAA-MM-JJ", "help": "le jour du paquet (défaut : aujourd'hui)"}),
    (("--sequence",), {"type": _positive, "default": 1, "metavar": "N", "help": "le numéro de l'enveloppe dans le jour (défaut 1)"}),
    (("-o", "--out"), {**_REQUIRED, "metavar": "PAQUET.tar.gz", "help": "le paquet à écrire"}),
)  # fmt: skip

SEND_OPTIONS: tuple[Option, ...] = (
    (("package",), {"metavar": "PAQUET.tar.gz", "help": "le paquet (registre actes build)"}),
    (("--operator",), {**_REQUIRED, "metavar": "URL", "help": "l'adresse de l'opérateur (https://…)"}),
    (("--cert",), {"metavar": "CERT.pem", "help": "le certificat client de la collectivité (TLS mutuel)"}),
    (("--key",), {"metavar": "CLÉ.pem", "help": f"sa clé privée (phrase de passe : variable {KEY_PASSPHRASE_ENV})"}),
    (("--ca",), {"metavar": "AC.pem", "help": "l'autorité du certificat de l'opérateur, si le système ne la connaît pas"}),
    (("--register",), {**_REQUIRED, "metavar": "REGISTRE", "help": "le registre (SQLite) où inscrire les événements"}),
    (("--assembly",), {"default": "conseil", "help": "l'assemblée dans le registre (défaut : conseil)"}),
    (("--item",), {"metavar": "N", "help": "le numéro de la délibération dans sa séance (défaut : celui de l'acte)"}),
    (("--timeout",), {"type": _seconds, "default": 60.0, "metavar": "S", "help": "attente d'une réponse, en secondes (défaut 60)"}),
    (("--attempts",), {"type": _positive, "default": 3, "metavar": "N", "help": "essais de remise à l'opérateur (défaut 3)"}),
    (("--polls",), {"type": _positive, "default": 10, "metavar": "N", "help": "lectures du statut (défaut 10)"}),
    (("--interval",), {"type": _seconds, "default": 5.0, "metavar": "S", "help": "pause entre deux essais, en secondes (défaut 5)"}),
)  # fmt: skip

CLASSIFICATION_OPTIONS: tuple[Option, ...] = (
    (("file",), {"metavar": "FICHIER.xml", "help": "la classification reçue de la préfecture"}),
    (("--format",), {"choices": ("text", "json"), "default": "text",
                     "help": "format de sortie : text (par défaut) ou json"}),
    (("--json",), {"dest": "format", "action": "store_const", "const": "json",
                   "help": "raccourci de --format json"}),
)  # fmt: skip

COMMANDS = (
    ("build", run_build, BUILD_OPTIONS, "constitue le paquet @CTES d'une délibération (tar.gz)",
     "Constitue le paquet @CTES (enveloppe, message ACTES, PDF signé, annexes) d'une délibération."),
    ("send", run_send, SEND_OPTIONS, "envoie un paquet à l'opérateur et inscrit l'accusé de réception",
     "Envoie un paquet @CTES à l'opérateur de télétransmission, attend l'accusé de réception de la "
     "préfecture et inscrit la transmission et l'accusé au registre, sans jamais envoyer deux fois."),
    ("classification", run_classification, CLASSIFICATION_OPTIONS,
     "affiche les matières d'une classification de la préfecture",
     "Affiche les natures et les matières d'une classification de la préfecture (RetourClassification)."),
)  # fmt: skip


def add_actes(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add `registre actes` and its three commands to the command's subparsers."""
    parser = commands.add_parser(
        "actes", help="transmission à la préfecture (@CTES) : paquet, envoi, classification",
        description="Transmission des actes à la préfecture (@CTES, format ACTES v1.1).",
        epilog=EPILOG, formatter_class=FrenchHelpFormatter,
    )  # fmt: skip
    actes = parser.add_subparsers(title="commandes", dest="actes_command", metavar="COMMANDE",
                                  required=True)  # fmt: skip
    for name, run, options, summary, description in COMMANDS:
        command = actes.add_parser(name, help=summary, description=description,
                                   formatter_class=FrenchHelpFormatter)  # fmt: skip
        for flags, keywords in options:
            command.add_argument(*flags, **keywords)
        command.set_defaults(run=run)
