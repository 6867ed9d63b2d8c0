"""Publication of a signed act (R2131-1): the mention on the document, and its check.

R2131-1 wants the published file non-modifiable and showing, readably, the first
name, name and capacity of the act's author and the date it was put online; the
mention comes after the act's signatures, as an update they must allow.

Not taken: certifying (DocMDP P=2) when signing and filling a field placed in
advance. The certification must come first, so the president's and secretary's
signatures would need fields placed before it (`sign` appends its own, the layouts
place none); and form filling is unsigned: anyone may fill the field again under
P=2, so the mention would prove neither who published nor when.

Taken: the mention is the visible appearance of a last approval signature, field
`publication`, by the collectivity's publication certificate, in an incremental
update like the president's signature after the secretary's. What was signed stays
as it was, the mention itself is signed, the last signature covers the whole file
and its field lock (`/P 1`) allows nothing after it but signature maintenance.
`review_updates` holds every revision after the first signed one to pyHanko's
difference analysis: each adds and signs one signature field and nothing else
(`FORM_FILLING`, only that field changed) or maintains signatures (`LTA_UPDATES`),
the publication signature last. Docs: `docs/registre.md`, "Publication (R2131-1)".

Findings point into the file: `/`, `/signatures/<field>`, `/revisions/<n>`,
`/publication` (the mention), `/pages/<n>` (from 1), `/metadata`.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import pypdfium2 as pdfium
from asn1crypto import x509 as asn1_x509
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.pdf_utils.text import TextBoxStyle
from pyhanko.sign import fields, signers
from pyhanko.sign.diff_analysis import DEFAULT_DIFF_POLICY, ModificationLevel
from pyhanko.sign.timestamps import HTTPTimeStamper
from pyhanko.stamp import TextStampStyle

from registre.errors import RegistreError
from registre.rules import BY_CODE, Code, Finding, Severity

PUBLICATION_FIELD = "publication"
# The mention goes in the first page's top margin (2 cm in the Typst layouts), above
# the title and within the text's side margins; else at the foot of the last page.
MARGIN, BAND = 56.7, 40.0
_PUBLISHED = re.compile(r"Publié sous forme électronique le (\d{2})/(\d{2})/(\d{4})(?: à l'adresse (\S+))?")  # fmt: skip
_AUTHOR = re.compile(r"Auteur :(.*)")
_PDFA = re.compile(rb"pdfaid:part(?:>|=[\"'])\s*(\d)")
Box = tuple[float, float, float, float]  # left, bottom, right, top, in PDF units


@dataclass(frozen=True, slots=True)
class PublicationMention:
    """What R2131-1 asks the published act to show: its author's first name, name
    and capacity, and the date it was put online (with its address, when known)."""

    first_name: str
    last_name: str
    capacity: str
    published_on: dt.date
    url: str | None = None

    def __post_init__(self) -> None:
        missing = [what for what, value in (("le prénom", self.first_name), ("le nom", self.last_name),
                                            ("la qualité", self.capacity)) if not value.strip()]  # fmt: skip
        if missing:
            raise RegistreError(f"la mention de publication doit indiquer {' et '.join(missing)} "
                                "de l'auteur de l'acte (article R2131-1 du CGCT)")  # fmt: skip
        if not isinstance(self.published_on, dt.date) or isinstance(self.published_on, dt.datetime):
            raise RegistreError("la mention de publication doit indiquer la date de mise en ligne")
        if any(c in self.first_name + self.last_name for c in ",\n"):
            raise RegistreError("le prénom et le nom de l'auteur s'écrivent sans virgule")
        if self.url is not None and not re.fullmatch(r"https?://\S+", self.url):
            raise RegistreError("l'adresse de publication doit être une URL http(s) sans espace")

    def lines(self) -> list[str]:
        """The mention as printed on the document, one line each."""
        where = f" à l'adresse {self.url}" if self.url else ""
        return [f"Publié sous forme électronique le {self.published_on:%d/%m/%Y}{where}",
                f"Auteur : {self.first_name.strip()} {self.last_name.strip()}, {self.capacity.strip()}"]  # fmt: skip


def publish_mention(
    pdf: bytes,
    mention: PublicationMention,
    signer: signers.Signer,
    when: dt.datetime,
    *,
    timestamp_url: str | None = None,
    trust_roots: list[asn1_x509.Certificate] | None = None,
) -> bytes:
    """The signed act with its publication mention: the visible appearance of a last
    signature (field `publication`, locking the document) by `signer`, made at
    `when`, in an incremental update; timestamp and validation data as `sign`."""
    if when.tzinfo is None:
        raise RegistreError("l'heure de publication doit porter son fuseau horaire")
    if mention_text(pdf) is not None:
        raise RegistreError("ce document porte déjà une mention de publication")
    page, box = _place(pdf)
    writer = IncrementalPdfFileWriter(io.BytesIO(pdf), strict=False)
    lock = fields.FieldMDPSpec(fields.FieldMDPAction.ALL)
    fields.append_signature_field(writer, fields.SigFieldSpec(
        PUBLICATION_FIELD, on_page=page, box=box, field_mdp_spec=lock,
        doc_mdp_update_value=fields.MDPPerm.NO_CHANGES))  # fmt: skip
    from registre.signatures import signing_context  # noqa: PLC0415 (the package imports us)

    context = signing_context(trust_roots)
    meta = signers.PdfSignatureMetadata(
        field_name=PUBLICATION_FIELD, md_algorithm="sha256", subfilter=fields.SigSeedSubFilter.PADES,
        reason="Publication (article R2131-1 du CGCT)", location=mention.url,
        validation_context=context, embed_validation_info=context is not None,
    )  # fmt: skip
    stamper = HTTPTimeStamper(timestamp_url) if timestamp_url else None
    style = _stamp(mention, signer, when)
    pdf_signer = signers.PdfSigner(meta, signer, stamp_style=style, timestamper=stamper)
    return bytes(pdf_signer.sign_pdf(writer, in_place=False).getbuffer())


def _stamp(mention: PublicationMention, signer: signers.Signer, when: dt.datetime) -> TextStampStyle:  # fmt: skip
    """The mention's appearance, in the font `sign` embeds (the file stays PDF/A)."""
    from registre.signatures import FONT, _FontFromBytes  # noqa: PLC0415 (the package imports us)

    cert = signer.signing_cert
    publisher = cert.subject.native.get("common_name", "") if cert is not None else ""
    lines = [*mention.lines(), f"Mention signée par {publisher}, le {when.astimezone(dt.UTC):%d/%m/%Y à %H:%M} UTC"]  # fmt: skip
    return TextStampStyle(
        stamp_text="\n".join(lines).replace("%", "%%"),  # pyHanko interpolates %(...)s
        text_box_style=TextBoxStyle(font=_FontFromBytes(str(FONT))),
        border_width=1,
        background=None,
    )


@contextmanager
def _pdfium(pdf: bytes) -> Iterator[Any]:
    """The file opened by pdfium, which is not thread-safe: under the lock its every
    use in registre takes."""
    from registre.extracts.loaders.pdf import PDFIUM  # noqa: PLC0415 (loads the reader)

    with PDFIUM:
        document = pdfium.PdfDocument(pdf)
        try:
            yield document
        finally:
            document.close()


def _place(pdf: bytes) -> tuple[int, tuple[int, int, int, int]]:
    """The mention's page (from 0) and box: the first page's top margin, else the
    foot of the last page, whichever nothing is drawn on."""
    with _pdfium(pdf) as document:
        for index in (0, len(document) - 1):
            page = document[index]
            width, height = page.get_size()
            bottom = height - 10 - BAND if index == 0 else 4
            box = (MARGIN, bottom, width - MARGIN, bottom + BAND)
            if not any(_overlap(box, used) for used in _used(page)):
                return index, (round(box[0]), round(box[1]), round(box[2]), round(box[3]))
    raise RegistreError("pas de place libre pour la mention de publication : la première page "
                        "doit garder une marge haute de 2 cm")  # fmt: skip


def _used(page: Any) -> Iterator[Box]:
    """The boxes of what a page draws: its objects and its annotations."""
    for item in page.get_objects(max_depth=1):
        yield item.get_bounds()
    for position in range(pdfium.raw.FPDFPage_GetAnnotCount(page)):
        yield _annotation_rect(page, position)


def _annotation_rect(page: Any, position: int) -> Box:
    """An annotation's rectangle; empty when it has none."""
    rect = pdfium.raw.FS_RECTF()
    annotation = pdfium.raw.FPDFPage_GetAnnot(page, position)
    try:
        if not pdfium.raw.FPDFAnnot_GetRect(annotation, rect):
            return (0.0, 0.0, 0.0, 0.0)
    finally:
        pdfium.raw.FPDFPage_CloseAnnot(annotation)
    return (rect.left, min(rect.bottom, rect.top), rect.right, max(rect.bottom, rect.top))


def _overlap(a: Sequence[float], b: Sequence[float]) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def _same(a: Sequence[float], b: Sequence[float]) -> bool:
    """Whether two boxes are the same, to half a point."""
    return all(abs(x - y) <= 0.5 for x, y in zip(a, b, strict=True))


def mention_text(pdf: bytes) -> str | None:
    """The text of the publication mention as a reader sees it on the page (the
    `publication` field's appearance, drawn into its page by pdfium and read back);
    None when the document carries no publication field."""
    reader = PdfFileReader(io.BytesIO(pdf), strict=False)
    ref = next((ref for name, _, ref in fields.enumerate_sig_fields(reader)
                if name == PUBLICATION_FIELD), None)  # fmt: skip
    if ref is None:
        return None
    if "/Kids" in ref.get_object():  # a field apart from its widget annotation
        ref = ref.get_object()["/Kids"].raw_get(0)
    widget, page = ref.get_object(), _page_index(reader, ref)
    if page is None or "/Rect" not in widget:
        return ""
    x0, y0, x1, y1 = (float(v) for v in widget["/Rect"])
    return _drawn_text(pdf, page, (min(x0, x1), min(y0, y1), max(x0, x1), max(y0, y1)))


def _page_index(reader: PdfFileReader, ref: Any) -> int | None:
    """The index of the page showing a widget annotation, None when no page does."""
    for index in range(int(reader.root["/Pages"]["/Count"])):
        page = reader.find_page_for_modification(index)[0]  # type: ignore[no-untyped-call]
        annotations = page.get_object().get("/Annots")
        for position in range(len(annotations or ())):
            if getattr(annotations.raw_get(position), "reference", None) == ref.reference:
                return index
    return None


def _drawn_text(pdf: bytes, index: int, rect: Box) -> str:
    """The text the widget at `rect` draws on its page. pdfium reads only page
    content: the widget is drawn into the page (its other annotations removed), the
    file saved and read again, and what follows the text of before is the widget's
    (drawing appends to the page's content)."""
    with _pdfium(pdf) as document:
        page = document[index]
        before = _page_text(page)
        for position in reversed(range(pdfium.raw.FPDFPage_GetAnnotCount(page))):
            if not _same(rect, _annotation_rect(page, position)):
                pdfium.raw.FPDFPage_RemoveAnnot(page, position)
        pdfium.raw.FPDFPage_Flatten(page, pdfium.raw.FLAT_NORMALDISPLAY)
        flat = io.BytesIO()
        document.save(flat)
    with _pdfium(flat.getvalue()) as document:
        after = _page_text(document[index])
    added = after[len(before) :] if after.startswith(before) else after
    return added.replace("\r\n", "\n").strip()


def _page_text(page: Any) -> str:
    textpage = page.get_textpage()
    try:
        return str(textpage.get_text_range())
    finally:
        textpage.close()


def read_mention(pdf: bytes) -> PublicationMention | None:
    """The publication mention read on the document; None when it has none.

    RegistreError (French) when the mention lacks one of the parts R2131-1 asks for.
    """
    text = mention_text(pdf)
    if text is None:
        return None
    mention, missing = _parse(text)
    if mention is None:
        raise RegistreError(f"la mention de publication n'indique pas {', '.join(missing)}")
    return mention


def _parse(text: str) -> tuple[PublicationMention | None, list[str]]:
    """The mention printed by `PublicationMention.lines`, or what it lacks (French)."""
    published, author = _PUBLISHED.search(text), _AUTHOR.search(text)
    names, _, capacity = (author[1] if author else "").partition(",")
    words = names.split()
    cut = len(words) - 1  # the name: the last word, with the words in capitals before it
    while cut > 1 and words[cut - 1].isupper():
        cut -= 1
    first_name, last_name = " ".join(words[:cut]), " ".join(words[cut:])
    try:
        day = (
            dt.date(int(published[3]), int(published[2]), int(published[1])) if published else None
        )
    except ValueError:
        day = None
    missing = [what for what, present in (
        ("le prénom de l'auteur", first_name), ("le nom de l'auteur", last_name),
        ("la qualité de l'auteur", capacity.strip()), ("la date de mise en ligne", day),
    ) if not present]  # fmt: skip
    if missing or day is None or published is None:
        return None, missing
    return PublicationMention(first_name, last_name, capacity.strip(), day, published[4]), []


def review_updates(pdf: bytes) -> list[Finding]:
    """The updates of a signed PDF beyond what its signatures allow (errors): after
    the first signed revision, each revision adds and signs one signature field and
    nothing else, or only maintains signatures (validation data, document
    timestamps); the publication signature is the last one. Empty when unsigned."""
    reader = PdfFileReader(io.BytesIO(pdf), strict=False)
    signed = {s.signed_revision: s for s in reader.embedded_signatures}
    if not signed:
        return []
    findings = []
    approvals = [
        signed[r].field_name for r in sorted(signed) if signed[r].sig_object_type == "/Sig"
    ]
    if PUBLICATION_FIELD in approvals and approvals[-1] != PUBLICATION_FIELD:
        findings.append(_error("/signatures", "Une signature a été ajoutée après la mention de publication : le document publié a changé."))  # fmt: skip
    for revision in range(min(signed) + 1, reader.xrefs.total_revisions):
        field = signed[revision].field_name if revision in signed else None
        if not _allowed(reader, revision, field):
            what = f"signature « {field} »" if field else "sans signature"
            findings.append(_error(f"/revisions/{revision}",
                f"La mise à jour n° {revision} ({what}) modifie le document signé (page, annotation, "
                "champ ou autre objet) : après les signatures, seule la mention de publication est admise."))  # fmt: skip
    return findings


def _allowed(reader: PdfFileReader, revision: int, field: str | None) -> bool:
    """Whether a revision only adds and signs `field`, or only maintains signatures."""
    try:
        diff = DEFAULT_DIFF_POLICY.apply(
            reader.get_historical_resolver(revision - 1), reader.get_historical_resolver(revision)
        )
    except Exception:  # SuspiciousModification, or a revision pyHanko cannot even compare
        return False
    limit = ModificationLevel.FORM_FILLING if field else ModificationLevel.LTA_UPDATES
    fields_signed = {field} if field else set()
    return diff.modification_level <= limit and diff.changed_form_fields <= fields_signed


def check_publication(pdf: bytes, trust_roots: list[asn1_x509.Certificate]) -> list[Finding]:
    """`PUBLICATION_FORMAT` (R2131-1) on a published file: a PDF whose signatures are
    intact and cover everything but the publication mention, which carries the
    author's first name, name and capacity and the date it was put online; its text
    is extractable (published in full, not a scan) and it says it is PDF/A."""
    try:
        reader = PdfFileReader(io.BytesIO(pdf), strict=False)
        reader.root["/Pages"]  # parse now: a broken file fails here
    except Exception:  # whatever the file is, the check answers with a finding
        return [_error("/", "Le fichier publié n'est pas un PDF lisible.")]
    return [
        *_safely(lambda: _signature_findings(pdf, trust_roots), "/signatures", "ses signatures"),
        *_safely(lambda: review_updates(pdf), "/revisions", "ses mises à jour"),
        *_safely(lambda: _mention_findings(pdf), "/publication", "sa mention de publication"),
        *_safely(lambda: _text_findings(pdf), "/pages", "son texte"),
        *_pdfa_findings(reader),
    ]


def _safely(part: Callable[[], list[Finding]], pointer: str, what: str) -> list[Finding]:
    """One part of the check; a file too damaged for it is an error, not a crash."""
    try:
        return part()
    except Exception:  # a broken or hostile file must still get its finding
        return [_error(pointer, f"Le fichier publié est endommagé : impossible de lire {what}.")]


def _signature_findings(pdf: bytes, roots: list[asn1_x509.Certificate]) -> list[Finding]:
    from registre.signatures import verify_signatures  # noqa: PLC0415 (the package imports us)

    checks = verify_signatures(pdf, roots)
    if not checks:
        return [_error("/signatures", "Le fichier publié n'est pas signé électroniquement : rien ne garantit qu'il ne sera pas modifié.")]  # fmt: skip
    findings = []
    for check in checks:
        who = f"La signature « {check.field} » ({check.signer})"
        if not check.intact:
            findings.append(_error(f"/signatures/{check.field}", f"{who} est altérée : le fichier a changé après avoir été signé."))  # fmt: skip
        elif not check.trusted:
            findings.append(_finding(Severity.WARNING, f"/signatures/{check.field}", f"{who} n'est pas reconnue : son certificat ne remonte pas aux racines de confiance données."))  # fmt: skip
    if all(check.field == PUBLICATION_FIELD for check in checks):
        findings.append(_finding(Severity.WARNING, "/signatures", "L'acte n'est pas signé avant sa publication : seule la signature de publication protège le fichier."))  # fmt: skip
    return findings


def _mention_findings(pdf: bytes) -> list[Finding]:
    text = mention_text(pdf)
    if text is None:
        return [_error("/publication", "Le fichier publié ne porte pas la mention de publication (prénom, nom et qualité de l'auteur, date de mise en ligne).")]  # fmt: skip
    return [_error("/publication", f"La mention de publication n'indique pas {what}.") for what in _parse(text)[1]]  # fmt: skip


def _text_findings(pdf: bytes) -> list[Finding]:
    """Published in full: every page has text that can be read, not only an image."""
    with _pdfium(pdf) as document:
        texts = [_page_text(page) for page in document]
    empty = [index for index, text in enumerate(texts, 1) if not any(c.isalnum() for c in text)]
    if len(empty) == len(texts):
        return [_error("/pages", "Le texte du fichier publié ne peut pas être lu (image seule, numérisation sans texte) : l'acte n'est pas publié en entier sous une forme lisible.")]  # fmt: skip
    return [_finding(Severity.WARNING, f"/pages/{index}", f"La page {index} ne porte aucun texte lisible (image seule ?).") for index in empty]  # fmt: skip


def _pdfa_findings(reader: PdfFileReader) -> list[Finding]:
    """PDF/A, when the file's XMP metadata says so; otherwise an information."""
    try:
        metadata = reader.root["/Metadata"].get_object().data
    except Exception:  # no metadata, or not a stream: nothing says PDF/A
        metadata = b""
    if _PDFA.search(metadata):
        return []
    return [_finding(Severity.INFO, "/metadata", "Le fichier publié ne se déclare pas PDF/A : sa lisibilité à long terme n'est pas établie.")]  # fmt: skip


def _error(pointer: str, message: str) -> Finding:
    return _finding(Severity.ERROR, pointer, message)


def _finding(severity: Severity, pointer: str, message: str) -> Finding:
    code = Code.PUBLICATION_FORMAT
    return Finding(code, severity, BY_CODE[code].article, message, pointer)
