"""`registre render … --sign-president P12 --sign-secretary P12`: the document signed
by the meeting's president and secretary, whose names and capacities come from the
record; the PKCS#12 passphrase from the environment, never the command line."""

from __future__ import annotations

import argparse
import datetime as dt
import os
from pathlib import Path
from typing import TYPE_CHECKING

from registre.errors import RegistreError
from registre.record import DocumentKind, MeetingRecord, Member

if TYPE_CHECKING:
    from registre.documents import SignaturePlace
    from registre.documents.template import Template
    from registre.register import Anchor

PASSPHRASE_ENV = "REGISTRE_PKCS12_PASSPHRASE"


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
    for role, p12 in (("secretary", args.sign_secretary), ("president", args.sign_president)):
        if p12:
            if role not in places:
                raise RegistreError(f"ce document n'a pas de place de signature pour « {role} »")
            pdf = _sign(pdf, places[role], Path(p12), record, args)
    return pdf


def _sign(
    pdf: bytes, place: SignaturePlace, p12: Path, record: MeetingRecord, args: argparse.Namespace
) -> bytes:
    from registre.signatures import Signatory, load_pkcs12, load_roots, sign  # noqa: PLC0415

    member = _member(record, place.role)
    passphrase = os.environ.get(PASSPHRASE_ENV)
    signer = load_pkcs12(p12, passphrase.encode() if passphrase else None)
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
    parser.add_argument(
        "--sign-president", metavar="P12", help="signe au nom du président (PKCS#12)"
    )
    parser.add_argument(
        "--sign-secretary", metavar="P12", help="signe au nom du secrétaire de séance"
    )
    parser.add_argument("--tsa", metavar="URL", help="serveur d'horodatage RFC 3161")
    parser.add_argument("--trust", metavar="CERTIFICAT", action="append",
                        help="racine de confiance : données de validation à long terme (PAdES B-LT)")  # fmt: skip
