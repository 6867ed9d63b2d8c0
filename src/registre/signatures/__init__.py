"""PAdES signatures of registre's documents (pyHanko), and their verification.

The visible signature is drawn with the font shipped with registre and embedded,
so that a signed document is still PDF/A; it sits at the place the Typst document
reserved for its signer (`registre.documents.render_for_signing`).
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from asn1crypto import x509 as asn1_x509
from pyhanko.pdf_utils.font.opentype import GlyphAccumulator, GlyphAccumulatorFactory
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.pdf_utils.text import TextBoxStyle
from pyhanko.sign import fields, signers
from pyhanko.sign.timestamps import HTTPTimeStamper
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko.stamp import TextStampStyle
from pyhanko_certvalidator import ValidationContext

from registre.documents import SignaturePlace
from registre.documents.template import FONTS
from registre.errors import InputError
from registre.signatures.publication import PublicationMention as PublicationMention
from registre.signatures.publication import check_publication as check_publication
from registre.signatures.publication import mention_text as mention_text
from registre.signatures.publication import publish_mention as publish_mention
from registre.signatures.publication import read_mention as read_mention
from registre.signatures.publication import review_updates as review_updates

FONT = FONTS / "LiberationSerif-Regular.ttf"
STAMP_WIDTH, STAMP_HEIGHT = 210.0, 46.0
CAPACITIES = {"president": "Le Président", "secretary": "Le secrétaire de séance"}


class _FontFromBytes(GlyphAccumulatorFactory):
    """pyHanko's embedded-font factory, reading the font from memory: the stock one
    opens the file and never closes it."""

    def create_font_engine(self, writer: Any, obj_stream: Any = None) -> GlyphAccumulator:
        if obj_stream is None and writer.stream_xrefs and self.create_objstream_if_needed:
            obj_stream = writer.prepare_object_stream()
        return GlyphAccumulator(
            writer=writer, font_handle=io.BytesIO(_font_bytes()), font_size=self.font_size,
            ot_script_tag=self.ot_script_tag, ot_language_tag=self.ot_language_tag,
            writing_direction=self.writing_direction, bcp47_lang_code=self.bcp47_lang_code,
            obj_stream=obj_stream,
        )  # fmt: skip


@lru_cache(maxsize=1)
def _font_bytes() -> bytes:
    """The stamp's font scaled to 1,000 units an em: pyHanko writes the glyph widths
    in the font's own units, which PDF reads as thousandths (a 2,048-unit TrueType
    font would print every letter twice too far apart)."""
    from fontTools.ttLib import TTFont  # noqa: PLC0415 (pyHanko's [opentype] extra)
    from fontTools.ttLib.scaleUpem import scale_upem  # noqa: PLC0415

    font = TTFont(io.BytesIO(FONT.read_bytes()))
    scale_upem(font, 1000)
    out = io.BytesIO()
    font.save(out)
    return out.getvalue()


@dataclass(frozen=True, slots=True)
class Signatory:
    """Who signs: their key and certificate, first name, name and capacity (R2131-1)."""

    signer: signers.Signer
    first_name: str
    last_name: str
    role: str  # "president" or "secretary"


def load_pkcs12(path: Path, passphrase: bytes | None) -> signers.Signer:
    """A signer from a PKCS#12 file; InputError (French) when it cannot be opened."""
    try:
        signer: signers.Signer | None = signers.SimpleSigner.load_pkcs12(  # type: ignore[no-untyped-call]
            str(path), passphrase=passphrase
        )
    except (OSError, ValueError):
        signer = None
    if signer is None:
        raise InputError(
            "certificat PKCS#12 illisible : vérifiez le fichier et sa phrase de passe.",
            path=str(path),
        )
    return signer


def pkcs11_signer(module: str, token_label: str, pin: str, key_label: str) -> Any:
    """A signer on a PKCS#11 token (smart card, HSM); close it with `close_pkcs11`.

    Returns (signer, session). InputError (French) when the token cannot be opened.
    """
    from pyhanko.config.pkcs11 import TokenCriteria  # noqa: PLC0415
    from pyhanko.sign.pkcs11 import PKCS11Signer, open_pkcs11_session  # noqa: PLC0415

    try:
        criteria = TokenCriteria(label=token_label)
        session = open_pkcs11_session(module, token_criteria=criteria, user_pin=pin)
    except Exception as exc:
        raise InputError(
            f"le jeton PKCS#11 « {token_label} » ne s'ouvre pas ({type(exc).__name__}) : "
            "vérifiez qu'il est branché, son code PIN et le module.",
            path=module,
        ) from None
    # raw mechanism: hash here, sign on the token (cards and SoftHSM lack ECDSA-SHA256)
    signer = PKCS11Signer(
        session, cert_label=key_label, key_label=key_label, use_raw_mechanism=True
    )
    return signer, session


def signing_context(trust_roots: list[asn1_x509.Certificate] | None) -> ValidationContext | None:
    """What a signature embeds its validation data from (B-LT), given trusted roots:
    fetched when reachable, revocation soft-fail; None without roots."""
    if not trust_roots:
        return None
    return ValidationContext(
        trust_roots=trust_roots, allow_fetching=True, revocation_mode="soft-fail"
    )


def sign(
    pdf: bytes,
    place: SignaturePlace,
    who: Signatory,
    when: dt.datetime,
    *,
    timestamp_url: str | None = None,
    trust_roots: list[asn1_x509.Certificate] | None = None,
) -> bytes:
    """The PDF signed (PAdES baseline, incremental update) at its signer's place,
    with an RFC 3161 timestamp from `timestamp_url` when a server is configured, and,
    given the trusted roots, the validation data (certificates, and the revocation
    information that can be reached) embedded for long-term validation (B-LT)."""
    writer = IncrementalPdfFileWriter(io.BytesIO(pdf), strict=False)
    height = float(writer.root["/Pages"]["/Kids"][place.page - 1]["/MediaBox"][3])
    top = height - place.y - 4
    box = (int(place.x), int(top - STAMP_HEIGHT), int(place.x + STAMP_WIDTH), int(top))
    name = f"signature-{place.role}"
    fields.append_signature_field(
        writer, fields.SigFieldSpec(name, on_page=place.page - 1, box=box)
    )
    text = (
        f"Signé électroniquement par {who.first_name} {who.last_name}\n"
        f"{CAPACITIES.get(who.role, who.role)}, le {when.astimezone(dt.UTC):%d/%m/%Y à %H:%M} UTC"
    )
    style = TextStampStyle(
        stamp_text=text,
        text_box_style=TextBoxStyle(font=_FontFromBytes(str(FONT))),
        border_width=1,
        background=None,
    )
    context = signing_context(trust_roots)
    meta = signers.PdfSignatureMetadata(
        field_name=name, md_algorithm="sha256", subfilter=fields.SigSeedSubFilter.PADES,
        name=f"{who.first_name} {who.last_name}", reason=CAPACITIES.get(who.role, who.role),
        validation_context=context, embed_validation_info=context is not None,
    )  # fmt: skip
    stamper = HTTPTimeStamper(timestamp_url) if timestamp_url else None
    pdf_signer = signers.PdfSigner(meta, who.signer, stamp_style=style, timestamper=stamper)
    out = pdf_signer.sign_pdf(writer, in_place=False)
    return bytes(out.getbuffer())


@dataclass(frozen=True, slots=True)
class SignatureCheck:
    """One signature of a document, as verified."""

    field: str
    signer: str
    intact: bool
    trusted: bool
    covers_whole_document: bool
    timestamped: bool
    timestamp_trusted: bool
    summary: str


def verify_signatures(pdf: bytes, trust_roots: list[asn1_x509.Certificate]) -> list[SignatureCheck]:
    """Every signature of a PDF checked against the given trust roots."""
    reader = PdfFileReader(io.BytesIO(pdf), strict=False)
    context = ValidationContext(trust_roots=trust_roots, allow_fetching=False)
    checks = []
    for embedded in reader.embedded_signatures:
        status = validate_pdf_signature(embedded, context)
        checks.append(
            SignatureCheck(
                field=embedded.field_name,
                signer=status.signing_cert.subject.human_friendly,
                intact=status.intact and status.valid,
                trusted=status.trusted,
                covers_whole_document=status.coverage is not None
                and status.coverage.name == "ENTIRE_FILE",
                timestamped=status.timestamp_validity is not None,
                timestamp_trusted=status.timestamp_validity is not None
                and status.timestamp_validity.trusted,
                summary=status.summary(),
            )
        )
    return checks


def load_roots(paths: list[Path]) -> list[asn1_x509.Certificate]:
    """Trusted root certificates from PEM or DER files; InputError (French) otherwise."""
    from asn1crypto import pem  # noqa: PLC0415

    roots = []
    for path in paths:
        try:
            data = path.read_bytes()
            if pem.detect(data):
                _, _, data = pem.unarmor(data)
            roots.append(asn1_x509.Certificate.load(data))
            roots[-1].native  # noqa: B018 (parse now: a bad file fails here, not later)
        except (OSError, ValueError, TypeError):
            raise InputError(
                "certificat racine illisible (PEM ou DER attendu).", path=str(path)
            ) from None
    return roots
