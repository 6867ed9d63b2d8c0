"""PAdES signatures of the president and the secretary, placed where the document
reserved them, verified, and still PDF/A; tampering and foreign certificates caught."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

import pytest
from testca import PASSPHRASE, DemoCA

from factories import dijon_record

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "documents"))
from conformance import check_conformance

from registre.documents import render_for_signing
from registre.errors import InputError
from registre.record import DocumentKind, canonical_bytes
from registre.signatures import Signatory, load_pkcs12, sign, verify_signatures

WHEN = dt.datetime(2023, 11, 24, 9, 30, tzinfo=dt.UTC)


@pytest.fixture(scope="module")
def ca() -> DemoCA:
    return DemoCA()


@pytest.fixture(scope="module")
def signed(ca: DemoCA, tmp_path_factory: pytest.TempPathFactory) -> bytes:
    folder = tmp_path_factory.mktemp("pki")
    pdf, places = render_for_signing(dijon_record(), DocumentKind.EXTRACT)
    people = {
        "secretary": Signatory(load_pkcs12(ca.issue(folder, "Antoine HOAREAU"), PASSPHRASE),
                               "Antoine", "HOAREAU", "secretary"),
        "president": Signatory(load_pkcs12(ca.issue(folder, "François REBSAMEN"), PASSPHRASE),
                               "François", "REBSAMEN", "president"),
    }  # fmt: skip
    for place in sorted(places, key=lambda p: p.role != "secretary"):
        pdf = sign(pdf, place, people[place.role], WHEN)
    return pdf


def test_places_come_from_the_document() -> None:
    _, places = render_for_signing(dijon_record(), DocumentKind.EXTRACT)
    assert sorted(p.role for p in places) == ["president", "secretary"]
    secretary, president = sorted(places, key=lambda p: p.x)
    assert secretary.page == president.page and secretary.x < president.x


def test_both_signatures_verify_against_the_root(ca: DemoCA, signed: bytes) -> None:
    checks = verify_signatures(signed, [ca.root])
    assert [c.field for c in checks] == ["signature-secretary", "signature-president"]
    assert all(c.intact and c.trusted for c in checks), [c.summary for c in checks]
    assert checks[-1].covers_whole_document
    assert "REBSAMEN" in checks[-1].signer


def test_signed_document_is_still_pdf_a_and_carries_its_record(signed: bytes) -> None:
    problems = check_conformance(signed, embeds_record=canonical_bytes(dijon_record()))
    assert not problems, "\n".join(problems)


def test_one_changed_byte_breaks_the_signature(ca: DemoCA, signed: bytes) -> None:
    index = signed.index(b"/Type /Catalog") if b"/Type /Catalog" in signed else len(signed) // 3
    tampered = signed[:index] + bytes([signed[index] ^ 1]) + signed[index + 1 :]
    try:
        checks = verify_signatures(tampered, [ca.root])
    except Exception:
        return
    assert not all(c.intact for c in checks)


def test_another_root_is_not_trusted(signed: bytes) -> None:
    checks = verify_signatures(signed, [DemoCA("Autre AC").root])
    assert checks and not any(c.trusted for c in checks)


def test_certificate_expired_at_signing_time_is_not_trusted(ca: DemoCA, tmp_path: Path) -> None:
    pdf, places = render_for_signing(dijon_record(), DocumentKind.EXTRACT)
    expired = ca.issue(tmp_path, "Expiré", days=10, start_days_ago=400)
    who = Signatory(load_pkcs12(expired, PASSPHRASE), "Jean", "EXPIRÉ", "president")
    president = next(p for p in places if p.role == "president")
    checks = verify_signatures(sign(pdf, president, who, WHEN), [ca.root])
    assert checks and not checks[0].trusted


def test_unreadable_pkcs12_is_a_french_error(tmp_path: Path) -> None:
    bad = tmp_path / "faux.p12"
    bad.write_bytes(b"pas un certificat")
    with pytest.raises(InputError, match="certificat PKCS#12 illisible"):
        load_pkcs12(bad, b"x")


def test_visible_signature_names_the_signer_in_the_embedded_font(signed: bytes) -> None:
    import io  # noqa: PLC0415

    import pikepdf  # noqa: PLC0415

    with pikepdf.open(io.BytesIO(signed)) as pdf:
        streams = []
        for page in pdf.pages:
            for annot in page.get("/Annots") or []:
                if "/AP" in annot:
                    normal = annot.AP.N
                    streams.append(normal.read_bytes())
                    xobjects = normal.get("/Resources", {}).get("/XObject", {})
                    streams.extend(x.read_bytes() for x in xobjects.values())
    text = b"".join(streams)
    assert b"Antoine HOAREAU" in text and b"REBSAMEN" in text
    assert b"/F1" in text  # drawn with the font the conformance test found embedded


def test_timestamp_from_the_loopback_server_is_verified(ca: DemoCA, tmp_path: Path) -> None:
    from tsa import timestamp_server  # noqa: PLC0415

    pdf, places = render_for_signing(dijon_record(), DocumentKind.EXTRACT)
    president = next(p for p in places if p.role == "president")
    who = Signatory(load_pkcs12(ca.issue(tmp_path, "Président"), PASSPHRASE),
                    "François", "REBSAMEN", "president")  # fmt: skip
    with timestamp_server(*ca.issue_tsa()) as url:
        signed = sign(pdf, president, who, WHEN, timestamp_url=url)
    [check] = verify_signatures(signed, [ca.root])
    assert check.intact and check.trusted and check.timestamped and check.timestamp_trusted
    assert not check_conformance(signed, embeds_record=canonical_bytes(dijon_record()))


def test_signature_from_a_pkcs11_token(ca: DemoCA, tmp_path: Path) -> None:
    import softhsm  # noqa: PLC0415

    if not softhsm.available():
        pytest.skip("SoftHSM absent (apt-get install softhsm2 opensc) : make test l'installe")
    from registre.signatures import pkcs11_signer  # noqa: PLC0415

    p12 = ca.issue(tmp_path, "Secrétaire sur carte")
    pdf, places = render_for_signing(dijon_record(), DocumentKind.EXTRACT)
    secretary = next(p for p in places if p.role == "secretary")
    with softhsm.token_with(p12, PASSPHRASE, tmp_path) as module:
        signer, session = pkcs11_signer(module, softhsm.LABEL, softhsm.PIN, softhsm.KEY)
        try:
            signed = sign(
                pdf, secretary, Signatory(signer, "Antoine", "HOAREAU", "secretary"), WHEN
            )
        finally:
            session.close()
    [check] = verify_signatures(signed, [ca.root])
    assert check.intact and check.trusted and "Secrétaire sur carte" in check.signer


@pytest.mark.parametrize("kind", [DocumentKind.DELIBERATION_LIST, DocumentKind.MINUTES])
def test_signed_list_and_minutes_stay_conformant(
    ca: DemoCA, tmp_path: Path, kind: DocumentKind
) -> None:
    pdf, places = render_for_signing(dijon_record(), kind)
    for place in places:
        who = Signatory(
            load_pkcs12(ca.issue(tmp_path, place.role), PASSPHRASE), "Prénom", "NOM", place.role
        )
        pdf = sign(pdf, place, who, WHEN)
    assert len(verify_signatures(pdf, [ca.root])) == 2
    problems = check_conformance(pdf, embeds_record=canonical_bytes(dijon_record()))
    assert not problems, "\n".join(problems)


def test_long_term_validation_data_is_embedded(ca: DemoCA, tmp_path: Path) -> None:
    import io  # noqa: PLC0415

    import pikepdf  # noqa: PLC0415

    pdf, places = render_for_signing(dijon_record(), DocumentKind.EXTRACT)
    president = next(p for p in places if p.role == "president")
    who = Signatory(load_pkcs12(ca.issue(tmp_path, "Président LT"), PASSPHRASE),
                    "François", "REBSAMEN", "president")  # fmt: skip
    signed = sign(pdf, president, who, WHEN, trust_roots=[ca.root])
    with pikepdf.open(io.BytesIO(signed)) as document:
        assert "/DSS" in document.Root and len(document.Root.DSS.Certs) >= 2
    [check] = verify_signatures(signed, [ca.root])
    assert check.intact and check.trusted
    assert not check_conformance(signed, embeds_record=canonical_bytes(dijon_record()))
