"""`registre render … --sign-president KEY --sign-secretary KEY`: the document signed
by the meeting's president and secretary, whose names and capacities come from the
record. KEY is a PKCS#12 file or a smart card's key named by an RFC 7512 URI
(`pkcs11:token=…;object=…`); passphrase and PIN come from the environment, never
the command line (where `ps` would show them)."""

from __future__ import annotations

import argparse
import datetime as dt
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import unquote

from registre.errors import InputError, RegistreError
from registre.record import DocumentKind, MeetingRecord, Member

if TYPE_CHECKING:
    from pyhanko.sign.signers import Signer

    from registre.documents import SignaturePlace
    from registre.documents.template import Template
    from registre.register import Anchor

PASSPHRASE_ENV = "REGISTRE_PKCS12_PASSPHRASE"
PIN_ENV = "REGISTRE_PKCS11_PIN"
MODULE_ENV = "REGISTRE_PKCS11_MODULE"


def wants_signing(args: argparse.Namespace) -> bool:
    """Whether the command asks for signatures."""
    return bool(args.sign_president or args.sign_secretary)


def render_signed(
    args: argparse.Namespace, record: MeetingRecord, kind: DocumentKind,
    template: Template, anchor: Anchor | None,
) -> bytes:  # fmt: skip
    """The document rendered, then signed by each signer given, secretary first."""
    from registre.documents import render_for_signing  # noqa: PLC0415 (loads Typst)

    pdf, found = render_for_signing(record, kind, args.item, template, anchor=anchor)
    places = {place.role: place for place in found}
    for role, key in (("secretary", args.sign_secretary), ("president", args.sign_president)):
        if key:
            if role not in places:
                raise RegistreError(f"ce document n'a pas de place de signature pour « {role} »")
            with _signer(key, args) as signer:
                pdf = _sign(pdf, places[role], signer, record, args)
    return pdf


@contextmanager
def _signer(key: str, args: argparse.Namespace) -> Iterator[Signer]:
    """The signer a KEY names; a token's session is closed once it has signed."""
    from registre.signatures import load_pkcs12, pkcs11_signer  # noqa: PLC0415

    if not key.startswith("pkcs11:"):
        passphrase = os.environ.get(PASSPHRASE_ENV)
        yield load_pkcs12(Path(key), passphrase.encode() if passphrase else None)
        return
    token, label = _pkcs11_uri(key)
    module = args.pkcs11_module or os.environ.get(MODULE_ENV)
    if not module:
        raise InputError(f"le module PKCS#11 de la carte n'est pas donné : --pkcs11-module "
                         f"CHEMIN ou la variable {MODULE_ENV}", path=key)  # fmt: skip
    signer, session = pkcs11_signer(module, token, os.environ.get(PIN_ENV, ""), label)
    try:
        yield signer
    finally:
        session.close()


def _pkcs11_uri(uri: str) -> tuple[str, str]:
    """The token and key labels of an RFC 7512 URI (`pkcs11:token=T;object=K`)."""
    attributes = dict(
        part.split("=", 1) for part in uri.removeprefix("pkcs11:").split(";") if "=" in part
    )
    token, label = attributes.get("token"), attributes.get("object")
    if not token or not label:
        raise InputError("l'URI PKCS#11 doit nommer le jeton et la clé : "
                         "pkcs11:token=NOM;object=CLÉ", path=uri)  # fmt: skip
    return unquote(token), unquote(label)


def _sign(
    pdf: bytes, place: SignaturePlace, signer: Signer, record: MeetingRecord,
    args: argparse.Namespace,
) -> bytes:  # fmt: skip
    from registre.signatures import Signatory, load_roots, sign  # noqa: PLC0415

    member = _member(record, place.role)
    who = Signatory(signer, member.first_name or "", member.last_name, place.role)
    roots = load_roots([Path(p) for p in args.trust or ()]) or None
    return sign(pdf, place, who, dt.datetime.now(dt.UTC), timestamp_url=args.tsa, trust_roots=roots)


def _member(record: MeetingRecord, role: str) -> Member:
    meeting = record.meeting
    member_id = meeting.president if role == "president" else (meeting.secretaries or (None,))[0]
    member = next((m for m in meeting.members if m.id == member_id), None)
    if member is None:
        what = "le président" if role == "president" else "le secrétaire de séance"
        raise RegistreError(
            f"l'enregistrement ne dit pas qui est {what} : impossible de signer en son nom"
        )
    return member


def add_sign_options(parser: argparse.ArgumentParser) -> None:
    """The signing options of `registre render`."""
    parser.add_argument("--sign-president", metavar="CLÉ",
                        help="signe au nom du président : fichier PKCS#12 ou carte "
                             "(pkcs11:token=…;object=…)")  # fmt: skip
    parser.add_argument("--sign-secretary", metavar="CLÉ",
                        help="signe au nom du secrétaire de séance (même forme)")  # fmt: skip
    parser.add_argument("--pkcs11-module", metavar="CHEMIN",
                        help=f"module PKCS#11 de la carte (ou la variable {MODULE_ENV})")  # fmt: skip
    parser.add_argument("--tsa", metavar="URL", help="serveur d'horodatage RFC 3161")
    parser.add_argument("--trust", metavar="CERTIFICAT", action="append",
                        help="racine de confiance : données de validation à long terme (PAdES B-LT)")  # fmt: skip
