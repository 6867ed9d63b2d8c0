"""After the meeting: the documents of its frozen records, in one action."""

from __future__ import annotations

import io
import zipfile

from registre.record import DocumentKind, MeetingRecord
from registre.register import Anchor, anchor
from registre.web.core.models import Assembly
from registre.web.live.models import Sitting
from registre.web.live.record import sitting_record
from registre.web.live.register import assembly_key, open_store

NAMES = {
    DocumentKind.DELIBERATION_LIST: "liste-des-deliberations.pdf",
    DocumentKind.MINUTES: "proces-verbal-projet.pdf",
    DocumentKind.REGISTER_SHEETS: "feuillets-du-registre.pdf",
}


def list_anchor(assembly: Assembly) -> Anchor | None:
    """The register's head digest, printed on the list of deliberations."""
    store = open_store()
    try:
        return anchor(store, assembly_key(assembly), "liste des délibérations")  # type: ignore[arg-type]
    finally:
        store.close()  # type: ignore[attr-defined]


def meeting_documents(sitting: Sitting) -> tuple[MeetingRecord, bytes]:
    """The record of the closed items, and a zip of its documents ready to sign: one
    extract per deliberation, the list (with the register's head digest), the draft
    minutes and the register sheets (PDF/A-3, each with its record attached)."""
    from registre.documents import render  # noqa: PLC0415 (Typst loads on first use)

    record = sitting_record(sitting)
    if not record.deliberations:
        raise ValueError("aucun point n'est clos : rien à produire")
    head = list_anchor(sitting.meeting.assembly)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as archive:  # PDFs are compressed already
        for item in record.deliberations:
            archive.writestr(
                f"extrait-{item.number}.pdf", render(record, DocumentKind.EXTRACT, item.number)
            )
        for kind, name in NAMES.items():
            archive.writestr(
                name,
                render(
                    record, kind, anchor=head if kind is DocumentKind.DELIBERATION_LIST else None
                ),
            )
    return record, out.getvalue()
