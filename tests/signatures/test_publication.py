"""Publication (R2131-1): the demo extract signed by the president and the secretary,
then published with its mention as a last signature; the mention is read on the page,
every signature still verifies, and any other change is refused."""

from __future__ import annotations

import datetime as dt
import io
import sys
from collections.abc import Callable
from pathlib import Path

import pypdfium2 as pdfium
import pytest
from cryptography.hazmat.primitives import serialization
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.sign.signers import Signer
from pyhanko.stamp import TextStamp, TextStampStyle
from testca import PASSPHRASE, DemoCA

from factories import dijon_record
from registre import cli
from registre.documents import SignaturePlace, render_for_signing
from registre.errors import RegistreError
from registre.record import DocumentKind, canonical_bytes
from registre.rules import Code, Finding, Severity
from registre.signatures import (
    PublicationMention,
    Signatory,
    check_publication,
    load_pkcs12,
    publish_mention,
    read_mention,
    review_updates,
    sign,
    verify_signatures,
)

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "documents"))
from conformance import check_conformance

WHEN = dt.datetime(2023, 11, 24, 9, 30, tzinfo=dt.UTC)
PUBLISHED_AT = dt.datetime(2023, 11, 27, 8, 0, tzinfo=dt.UTC)
MENTION = PublicationMention(
    "François", "REBSAMEN", "Président de Dijon métropole", dt.date(2023, 11, 27),
    "https://www.metropole-dijon.fr/deliberations/20231123_01",
)  # fmt: skip


@pytest.fixture(scope="module")
def ca() -> DemoCA:
    return DemoCA()


@pytest.fixture(scope="module")
def pki(ca: DemoCA, tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("pki")
    (folder / "racine.pem").write_bytes(ca.certificate.public_bytes(serialization.Encoding.PEM))
    return folder


@pytest.fixture(scope="module")
def signed(ca: DemoCA, pki: Path) -> bytes:
    """The demo extract signed by the secretary, then the president."""
    pdf, places = render_for_signing(dijon_record(), DocumentKind.EXTRACT)
    people = {
        "secretary": Signatory(load_pkcs12(ca.issue(pki, "Antoine HOAREAU"), PASSPHRASE),
                               "Antoine", "HOAREAU", "secretary"),
        "president": Signatory(load_pkcs12(ca.issue(pki, "François REBSAMEN"), PASSPHRASE),
                               "François", "REBSAMEN", "president"),
    }  # fmt: skip
    for place in sorted(places, key=lambda p: p.role != "secretary"):
        pdf = sign(pdf, place, people[place.role], WHEN)
    return pdf


@pytest.fixture(scope="module")
def publisher(ca: DemoCA, pki: Path) -> Signer:
    """The collectivity's publication certificate."""
    return load_pkcs12(ca.issue(pki, "Dijon métropole publication"), PASSPHRASE)


@pytest.fixture(scope="module")
def published(signed: bytes, publisher: Signer) -> bytes:
    return publish_mention(signed, MENTION, publisher, PUBLISHED_AT)


def _shown_text(pdf: bytes) -> str:
    """Every page's text once its annotations are drawn into it, read by pdfium."""
    document = pdfium.PdfDocument(pdf)
    for page in document:
        pdfium.raw.FPDFPage_Flatten(page, pdfium.raw.FLAT_NORMALDISPLAY)
    flat = io.BytesIO()
    document.save(flat)
    document.close()
    document = pdfium.PdfDocument(flat.getvalue())
    text = "\n".join(page.get_textpage().get_text_range() for page in document)
    document.close()
    return text.replace("\r\n", "\n")


def _errors(findings: list[Finding]) -> list[Finding]:
    assert all(f.code is Code.PUBLICATION_FORMAT and f.article == "R2131-1" for f in findings)
    return [f for f in findings if f.severity is Severity.ERROR]


def _verify(
    pdf: bytes, folder: Path, name: str, capsys: pytest.CaptureFixture[str]
) -> tuple[int, str]:
    """`registre verify` on the PDF written to `folder/name`: exit code and output."""
    path = folder / name
    path.write_bytes(pdf)
    capsys.readouterr()
    code = cli.main(["verify", str(path), "--trust", str(folder / "racine.pem")])
    return code, capsys.readouterr().out


def test_the_mention_is_on_the_page(published: bytes) -> None:
    shown = _shown_text(published)
    assert (
        "Publié sous forme électronique le 27/11/2023 à l'adresse https://www.metropole-dijon.fr/deliberations/20231123_01"
        in shown
    )
    assert "Auteur : François REBSAMEN, Président de Dijon métropole" in shown
    assert "Mention signée par Dijon métropole publication, le 27/11/2023 à 08:00 UTC" in shown
    assert "Auteur :" not in _shown_text(_signed_only(published))  # drawn by the publication
    assert read_mention(published) == MENTION


def _signed_only(published: bytes) -> bytes:
    """The file as it was before publication: its bytes up to the president's revision."""
    end = published.rindex(b"%%EOF", 0, published.rindex(b"%%EOF"))
    return published[: end + len(b"%%EOF")]


def test_every_signature_still_verifies(ca: DemoCA, published: bytes) -> None:
    checks = verify_signatures(published, [ca.root])
    assert [c.field for c in checks] == [
        "signature-secretary",
        "signature-president",
        "publication",
    ]
    assert all(c.intact and c.trusted for c in checks), [c.summary for c in checks]
    assert checks[-1].covers_whole_document and "publication" in checks[-1].signer
    assert all("ACCEPTABLE_MODIFICATIONS" in c.summary for c in checks[:2])


def test_the_published_act_passes_its_check_and_stays_pdf_a(ca: DemoCA, published: bytes) -> None:
    assert check_publication(published, [ca.root]) == []
    assert review_updates(published) == []
    problems = check_conformance(published, embeds_record=canonical_bytes(dijon_record()))
    assert not problems, "\n".join(problems)


def test_registre_verify_reports_the_mention_and_accepts_its_update(
    published: bytes, pki: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out = _verify(published, pki, "publie.pdf", capsys)
    assert code == 0, out
    assert out.count("intacte, certificat reconnu") == 3
    assert ("OK      mention de publication : François REBSAMEN, Président de Dijon métropole, "
            "mise en ligne le 27/11/2023 (https://www.metropole-dijon.fr/deliberations/20231123_01) ; "
            "seule mise à jour après les signatures") in out  # fmt: skip


def _page_byte_changed(pdf: bytes) -> bytes:
    """One byte changed inside the second page's content stream."""
    import pikepdf  # noqa: PLC0415

    with pikepdf.open(io.BytesIO(pdf)) as document:
        number = document.pages[1].obj.Contents.objgen[0]
    start = pdf.index(b"stream", pdf.index(f"\n{number} 0 obj".encode())) + 20
    return pdf[:start] + bytes([pdf[start] ^ 0x01]) + pdf[start + 1 :]


def _page_text_added(pdf: bytes) -> bytes:
    """An incremental update that writes on the second page after publication."""
    writer = IncrementalPdfFileWriter(io.BytesIO(pdf), strict=False)
    TextStamp(writer, TextStampStyle(stamp_text="POUR : 99", border_width=0)).apply(1, 300, 200)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _annotation_added(pdf: bytes) -> bytes:
    """An incremental update that adds a note on the second page after publication."""
    writer = IncrementalPdfFileWriter(io.BytesIO(pdf), strict=False)
    page_ref = writer.find_page_for_modification(1)[0]
    page = page_ref.get_object()
    note = generic.DictionaryObject({
        generic.NameObject("/Type"): generic.NameObject("/Annot"),
        generic.NameObject("/Subtype"): generic.NameObject("/Text"),
        generic.NameObject("/Rect"): generic.ArrayObject([generic.NumberObject(v) for v in (100, 100, 120, 120)]),
        generic.NameObject("/Contents"): generic.TextStringObject("Délibération annulée"),
    })  # fmt: skip
    annotations = generic.ArrayObject([*page["/Annots"], writer.add_object(note)])
    page["/Annots"] = annotations
    writer.update_container(page)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


@pytest.mark.parametrize("tamper", [_page_byte_changed, _page_text_added, _annotation_added])
def test_any_other_change_is_rejected(
    tamper: Callable[[bytes], bytes],
    ca: DemoCA,
    published: bytes,
    pki: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    changed = tamper(published)
    errors = _errors(check_publication(changed, [ca.root]))
    assert errors, "the change went unnoticed"
    code, out = _verify(changed, pki, "modifie.pdf", capsys)
    assert code == 1 and "ÉCHEC" in out and "NON CONFORME" in out
    if tamper is not _page_byte_changed:  # signatures intact: only the extra update is blamed
        assert all(c.intact for c in verify_signatures(changed, [ca.root]))
        assert [e.pointer for e in errors] == ["/revisions/4"]
        assert "modifie le document signé" in out
    if tamper is _page_text_added:  # and the page does show the new text
        assert "POUR : 99" in _shown_text(changed)


def test_a_signature_after_publication_is_rejected(ca: DemoCA, published: bytes, pki: Path) -> None:
    _, places = render_for_signing(dijon_record(), DocumentKind.EXTRACT)
    late = Signatory(
        load_pkcs12(ca.issue(pki, "Retardataire"), PASSPHRASE), "Jean", "TARD", "president"
    )
    place = next(p for p in places if p.role == "president")
    resigned = sign(published, SignaturePlace("tard", place.page, place.x, 600.0), late, WHEN)
    messages = [f.message for f in _errors(check_publication(resigned, [ca.root]))]
    assert any("ajoutée après la mention de publication" in m for m in messages), messages


def test_timestamp_and_validation_data_after_publication_are_accepted(
    ca: DemoCA, signed: bytes, publisher: Signer
) -> None:
    from tsa import timestamp_server  # noqa: PLC0415

    with timestamp_server(*ca.issue_tsa()) as url:
        published = publish_mention(
            signed, MENTION, publisher, PUBLISHED_AT, timestamp_url=url, trust_roots=[ca.root]
        )
    assert check_publication(published, [ca.root]) == []  # the DSS revision is maintenance
    last = verify_signatures(published, [ca.root])[-1]
    assert last.field == "publication" and last.timestamped and last.timestamp_trusted
    with pytest.raises(RegistreError, match="porte déjà une mention de publication"):
        publish_mention(published, MENTION, publisher, PUBLISHED_AT)


def test_an_unsigned_pdf_gets_its_findings(ca: DemoCA) -> None:
    pdf, _ = render_for_signing(dijon_record(), DocumentKind.EXTRACT)
    errors = _errors(check_publication(pdf, [ca.root]))
    assert {e.pointer for e in errors} == {"/signatures", "/publication"}
    assert "n'est pas signé électroniquement" in errors[0].message
    assert check_publication(b"%PDF-1.7 pas un PDF", [ca.root])[0].pointer == "/"


def _image_only(pdf: bytes) -> bytes:
    """The extract's first page as a picture, as a scanner would make it."""
    source = pdfium.PdfDocument(pdf)
    bitmap = source[0].render(scale=1)
    scan = pdfium.PdfDocument.new()
    page = scan.new_page(595, 842)
    image = pdfium.PdfImage.new(scan)
    image.set_bitmap(bitmap)
    image.set_matrix(pdfium.PdfMatrix().scale(595, 842))
    page.insert_obj(image)
    page.gen_content()
    out = io.BytesIO()
    scan.save(out)
    scan.close()
    source.close()
    return out.getvalue()


def test_an_image_only_pdf_gets_its_findings(ca: DemoCA) -> None:
    pdf, _ = render_for_signing(dijon_record(), DocumentKind.EXTRACT)
    findings = check_publication(_image_only(pdf), [ca.root])
    by_pointer = {f.pointer: f for f in findings}
    assert by_pointer["/pages"].severity is Severity.ERROR
    assert "ne peut pas être lu" in by_pointer["/pages"].message
    assert by_pointer["/metadata"].severity is Severity.INFO  # no XMP: not PDF/A
    assert {"/signatures", "/publication"} <= set(by_pointer)


def test_a_mention_without_capacity_is_refused_in_french(signed: bytes, publisher: Signer) -> None:
    with pytest.raises(RegistreError, match="doit indiquer la qualité de l'auteur de l'acte"):
        PublicationMention("François", "REBSAMEN", "  ", dt.date(2023, 11, 27))
    with pytest.raises(RegistreError, match="fuseau horaire"):
        publish_mention(signed, MENTION, publisher, dt.datetime(2023, 11, 27, 8, 0))


def test_a_file_whose_mention_lacks_the_capacity_is_a_finding(
    signed: bytes, publisher: Signer, pki: Path,
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
) -> None:  # fmt: skip
    monkeypatch.setattr(PublicationMention, "lines", lambda self: [
        "Publié sous forme électronique le 27/11/2023", "Auteur : François REBSAMEN"])  # fmt: skip
    incomplete = publish_mention(signed, MENTION, publisher, PUBLISHED_AT)
    errors = _errors(check_publication(incomplete, []))  # no roots: trust is but a warning
    assert [e.message for e in errors] == [
        "La mention de publication n'indique pas la qualité de l'auteur."
    ]
    code, out = _verify(incomplete, pki, "incomplet.pdf", capsys)
    assert code == 1 and "n'indique pas la qualité de l'auteur" in out
