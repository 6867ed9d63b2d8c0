"""Official documents rendered from records: archival (PDF/A-3a), accessible
(PDF/UA-1) PDFs that carry their record inside.

One entry point, `render(record, kind, item=None, template=None) -> bytes`.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

from registre.documents.compiler import STANDARDS, compile_pdf
from registre.documents.template import Template, load_template
from registre.documents.view import View, extract_view, meeting_documents_view
from registre.errors import InputError
from registre.record import (
    EMBEDDED_NAME,
    DeliberationRecord,
    DocumentKind,
    MeetingRecord,
    canonical_bytes,
)

LAYOUTS = Path(__file__).resolve().parent / "typst"
ATTACHMENT = EMBEDDED_NAME
# The register's sheets are the legal paper: they embed no record.
_EMBEDS = {DocumentKind.EXTRACT, DocumentKind.DELIBERATION_LIST, DocumentKind.MINUTES}

__all__ = ["ATTACHMENT", "DocumentKind", "TypstJob", "render", "typst_job"]


@dataclass(frozen=True, slots=True)
class TypstJob:
    """What is handed to Typst for one document: layout file, fonts, inputs, standards."""

    main: Path
    fonts: Path | None
    inputs: dict[str, str]
    standards: tuple[str, ...]


def render(
    record: MeetingRecord,
    kind: DocumentKind,
    item: str | None = None,
    template: Path | None = None,
) -> bytes:
    """The PDF of one document of a meeting (`item`: the deliberation number of an extract).

    Raises InputError (French) for an unknown item or a broken template.
    """
    job = typst_job(record, kind, item, load_template(template))
    return compile_pdf(job.main, job.fonts, job.inputs)


def typst_job(
    record: MeetingRecord, kind: DocumentKind, item: str | None, template: Template
) -> TypstJob:
    """The Typst layout and inputs of a document (for `render`, and for benchmarks)."""
    data = canonical_bytes(record)
    inputs = {
        "view": json.dumps(_view(record, kind, item), ensure_ascii=False),
        "style": json.dumps(_style(template), ensure_ascii=False),
        "record": data.decode("utf-8") if kind in _EMBEDS else "",
        "sha": hashlib.sha256(data).hexdigest(),
    }
    main = template.layout(f"{kind.value}.typ", LAYOUTS / f"{kind.value}.typ")
    return TypstJob(main, template.folder, inputs, tuple(STANDARDS))


def _view(record: MeetingRecord, kind: DocumentKind, item: str | None) -> View:
    if kind is DocumentKind.EXTRACT:
        return extract_view(record, _item(record, item))
    return meeting_documents_view(record)


def _item(record: MeetingRecord, number: str | None) -> DeliberationRecord:
    numbers = [d.number for d in record.deliberations]
    if number is None and len(numbers) == 1:
        return record.deliberations[0]
    for deliberation in record.deliberations:
        if deliberation.number == number:
            return deliberation
    listed = ", ".join(numbers[:10]) + (" …" if len(numbers) > 10 else "")
    asked = (
        f"la délibération « {number} » n'est pas"
        if number
        else "indiquez la délibération (--item) :"
    )
    raise InputError(f"{asked} dans cette séance (numéros : {listed or 'aucun'}).")


def _style(template: Template) -> View:
    return {
        "header_lines": list(template.header_lines),
        "logo": str(template.logo.resolve()) if template.logo else None,
        "logo_alt": template.logo_alt,
        "colour": template.colour,
        "font": template.font,
        "footer": template.footer,
    }
