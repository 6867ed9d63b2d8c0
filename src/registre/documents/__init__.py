"""Official documents rendered from records: archival (PDF/A-3a), accessible
(PDF/UA-1) PDFs that carry their record inside.

One entry point, `render(record, kind, item=None, template=None) -> bytes`.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from registre.documents.compiler import STANDARDS, compile_pdf, compile_with_places
from registre.documents.template import Template, load_template
from registre.documents.view import (
    View,
    extract_view,
    meeting_documents_view,
    year_tables_view,
)
from registre.errors import InputError
from registre.record import (
    EMBEDDED_NAME,
    DeliberationRecord,
    DocumentKind,
    MeetingRecord,
    canonical_bytes,
    single_deliberation,
)
from registre.register.chain import Anchor, anchor_keyword

LAYOUTS = Path(__file__).resolve().parent / "typst"
ATTACHMENT = EMBEDDED_NAME
# The register's sheets are the legal paper: they embed no record.
_EMBEDS = {DocumentKind.EXTRACT, DocumentKind.DELIBERATION_LIST, DocumentKind.MINUTES}

__all__ = [
    "ATTACHMENT", "DocumentKind", "SignaturePlace", "TypstJob", "render", "render_for_signing",
    "render_year_tables", "typst_job",
]  # fmt: skip


@dataclass(frozen=True, slots=True)
class TypstJob:
    """What Typst compiles for one document: layout file, fonts folder, data files."""

    main: Path
    fonts: Path | None
    files: dict[str, bytes]
    standards: tuple[str, ...]


def render(
    record: MeetingRecord,
    kind: DocumentKind,
    item: str | None = None,
    template: Path | Template | None = None,
    *,
    anchor: Anchor | None = None,
) -> bytes:
    """The PDF of one document of a meeting (`item`: the deliberation number of an extract).

    `template` is a template folder (or one already loaded). `anchor`, the head of the
    register's chain when the meeting closed, is printed in the list of deliberations
    and in its metadata: a later rewrite contradicts it.
    Raises InputError (French) for an unknown item or a broken template.
    """
    job = typst_job(record, kind, item, _template(template), anchor=anchor)
    return compile_pdf(job.main, job.fonts, job.files)


@dataclass(frozen=True, slots=True)
class SignaturePlace:
    """Where a signer's visible signature goes: page (from 1), and the point below
    the signer's name, in points from the page's top left corner."""

    role: str  # "president" or "secretary"
    page: int
    x: float
    y: float


def render_for_signing(
    record: MeetingRecord,
    kind: DocumentKind,
    item: str | None = None,
    template: Path | Template | None = None,
    *,
    anchor: Anchor | None = None,
) -> tuple[bytes, list[SignaturePlace]]:
    """The PDF (as `render`) and its signature places, read from the compiled document."""
    job = typst_job(record, kind, item, _template(template), anchor=anchor)
    pdf, places = compile_with_places(job.main, job.fonts, job.files)
    return pdf, [
        SignaturePlace(str(p["role"]), int(p["page"]), float(p["x"]), float(p["y"]))
        for p in json.loads(places)
    ]


def _template(template: Path | Template | None) -> Template:
    return template if isinstance(template, Template) else load_template(template)


def typst_job(
    record: MeetingRecord,
    kind: DocumentKind,
    item: str | None,
    template: Template,
    *,
    anchor: Anchor | None = None,
) -> TypstJob:
    """The Typst layout and data files of a document (for `render`, and benchmarks)."""
    embedded = _embedded(record, kind, item)
    data = canonical_bytes(embedded)
    meta = {
        "sha": hashlib.sha256(data).hexdigest(),
        "embed": kind in _EMBEDS,
        "anchor": anchor_keyword(anchor) if anchor else None,
        "anchor_text": f"écriture n° {anchor.sequence}, SHA-256 {anchor.digest}"
        if anchor
        else None,
    }
    files = {
        "view.json": _json(_view(record, kind, item)),
        "style.json": _json(_style(template)),
        "meta.json": _json(meta),
        "record.json": data if kind in _EMBEDS else b"",
    }
    main = template.layout(f"{kind.value}.typ", LAYOUTS / f"{kind.value}.typ")
    return TypstJob(main, template.folder, files, tuple(STANDARDS))


def render_year_tables(
    records: Sequence[MeetingRecord], year: int, template: Path | None = None
) -> bytes:
    """The yearly tables of the register (R2121-9): every deliberation of the year's
    meetings by date and by subject. InputError when no meeting falls in `year`."""
    if not any(r.meeting.date is not None and r.meeting.date.year == year for r in records):
        raise InputError(f"aucune des séances fournies n'a eu lieu en {year}.")
    look = load_template(template)
    digest = hashlib.sha256(b"".join(canonical_bytes(r) for r in records)).hexdigest()
    files = {
        "view.json": _json(year_tables_view(list(records), year)),
        "style.json": _json(_style(look)),
        "meta.json": _json({"sha": digest, "embed": False}),
        "record.json": b"",
    }
    main = look.layout("year_tables.typ", LAYOUTS / "year_tables.typ")
    return compile_pdf(main, look.folder, files)


def _embedded(record: MeetingRecord, kind: DocumentKind, item: str | None) -> MeetingRecord:
    """The record a document carries: the meeting's, or for the extract of one of
    several items, the meeting with that item alone (its attendance stated)."""
    if kind is not DocumentKind.EXTRACT or len(record.deliberations) <= 1:
        return record
    return single_deliberation(record, _item(record, item).number)


def _json(value: View) -> bytes:
    return json.dumps(value, ensure_ascii=False).encode("utf-8")


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
