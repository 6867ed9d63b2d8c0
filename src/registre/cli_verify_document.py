"""`registre verify DOCUMENT.pdf`: a published document's signatures, and its attached
record against its entry in the register."""

from __future__ import annotations

import argparse
import hashlib
import re
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from registre.errors import InputError, RegistreError

if TYPE_CHECKING:
    from registre.register import Entry


def verify_document(args: argparse.Namespace) -> int:
    """Print one line per check in French; 0 when all hold, 1 otherwise."""
    entries = _payloads(Path(args.register)) if args.register else None
    return 1 if _report(Path(args.path), [Path(p) for p in args.trust or ()], entries) else 0


def verify_documents(folder: Path, roots: list[Path], register: Path) -> int:
    """Check every PDF of a folder against the register; the number that fail."""
    if not folder.is_dir():
        raise InputError("dossier des documents introuvable.", path=str(folder))
    entries = _payloads(register)
    paths = sorted(folder.glob("*.pdf"))
    failed = 0
    for path in paths:
        print(f"\n{path.name}")
        failed += _report(path, roots, entries)
    print(f"\nDocuments : {len(paths) - failed} conforme(s), {failed} NON conforme(s).")
    return failed


def _report(path: Path, roots: list[Path], entries: dict[bytes, str] | None) -> int:
    """Print a document's checks; 1 when one fails."""
    try:
        pdf = path.read_bytes()
    except OSError:
        raise InputError("fichier introuvable ou illisible.", path=str(path)) from None
    lines = (
        _signature_lines(pdf, roots) + _publication_lines(pdf) + _record_lines(path, pdf, entries)
    )
    for ok, text in lines:
        print(f"{'OK     ' if ok else 'ÉCHEC  '} {text}")
    failed = sum(1 for ok, _ in lines if not ok)
    print(
        f"Document {'conforme' if not failed else 'NON CONFORME'} : {len(lines) - failed} contrôle(s) réussi(s), {failed} échec(s)."
    )
    return 1 if failed else 0


def _signature_lines(pdf: bytes, roots: list[Path]) -> list[tuple[bool, str]]:
    from registre.signatures import load_roots, verify_signatures  # noqa: PLC0415

    trusted = load_roots(roots)  # a bad root is the user's input error, said as such
    try:
        checks = verify_signatures(pdf, trusted)
    except Exception as exc:
        return [(False, f"signatures illisibles : le fichier est endommagé ({type(exc).__name__})")]
    if not checks:
        return [(False, "aucune signature électronique")]
    lines = []
    for check in checks:
        state = "intacte" if check.intact else "ALTÉRÉE"
        trust = (
            "certificat reconnu" if check.trusted else "certificat NON reconnu (racine, validité)"
        )
        ok = check.intact and (check.trusted or not roots)
        if check.timestamped:
            trust += ", horodatée (RFC 3161" + (
                ")" if check.timestamp_trusted else ", horodatage NON reconnu)"
            )
            ok = ok and (check.timestamp_trusted or not roots)
        lines.append((ok, f"signature {check.field} de {check.signer} : {state}, {trust}"))
    return lines


def _publication_lines(pdf: bytes) -> list[tuple[bool, str]]:
    """The publication mention (R2131-1) when there is one, and every update after the
    signatures beyond it: the only one accepted is the mention's."""
    from registre.signatures import read_mention, review_updates  # noqa: PLC0415

    try:
        lines = [(False, finding.message) for finding in review_updates(pdf)]
        try:
            mention = read_mention(pdf)
        except RegistreError as exc:  # the mention lacks a part R2131-1 asks for
            return [*lines, (False, str(exc))]
    except Exception:
        return []  # a damaged file: the signature lines already say so
    if mention is not None:
        where = f" ({mention.url})" if mention.url else ""
        alone = "" if lines else " ; seule mise à jour après les signatures"
        lines.insert(0, (True, f"mention de publication : {mention.first_name} {mention.last_name}, "
                               f"{mention.capacity}, mise en ligne le {mention.published_on:%d/%m/%Y}{where}{alone}"))  # fmt: skip
    return lines


def _record_lines(
    path: Path, pdf: bytes, entries: dict[bytes, str] | None
) -> list[tuple[bool, str]]:
    from registre.extracts.loaders.attached import attached_record  # noqa: PLC0415
    from registre.record import canonical_bytes  # noqa: PLC0415

    found = attached_record(path)
    if found is None:
        return [(False, "aucun enregistrement joint (registre-record.json)")]
    data = canonical_bytes(found[0])
    digest = hashlib.sha256(data).hexdigest()
    printed = re.search(rb"registre-sha256:([0-9a-f]{64})", pdf)
    lines = [(printed is not None and printed[1].decode() == digest,
              f"enregistrement joint : SHA-256 {digest[:16]}… {'conforme aux métadonnées' if printed and printed[1].decode() == digest else 'DIFFÉRENT des métadonnées'}")]  # fmt: skip
    if entries is not None:
        entry = entries.get(hashlib.sha256(data).digest())
        lines.append((entry is not None, entry or
                      "l'enregistrement joint ne correspond à aucune écriture du registre"))  # fmt: skip
    return lines


def _payloads(register: Path) -> dict[bytes, str]:
    """The register's entries (a database or a JSON Lines export) by the SHA-256 of
    their payload, read once for all the documents checked, each with the sentence
    that names it."""
    return {
        hashlib.sha256(e.payload).digest(): f"l'enregistrement joint est l'écriture "
        f"n° {e.sequence} de « {e.assembly} » ({e.entered_at})"
        for e in _entries(register)
    }


def _entries(register: Path) -> Iterator[Entry]:
    from registre.cli_verify import open_register  # noqa: PLC0415
    from registre.register import export_entries  # noqa: PLC0415

    if register.suffix.lower() in (".jsonl", ".json"):
        yield from export_entries(register)
        return
    store = open_register(register)
    try:
        yield from store.entries()
    finally:
        store.close()
