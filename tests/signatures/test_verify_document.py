"""`registre verify DOCUMENT.pdf`: a signed extract of an entered deliberation checks
out; a byte changed, an unknown root or a record absent from the register do not."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization
from testca import PASSPHRASE, DemoCA

from factories import FakeClock, dijon_record, meeting_of
from registre import cli
from registre.documents import render_for_signing
from registre.record import DocumentKind
from registre.register import SqliteStore, append_deliberation
from registre.signatures import Signatory, load_pkcs12, sign

WHEN = dt.datetime(2023, 11, 24, 9, 30, tzinfo=dt.UTC)


@pytest.fixture(scope="module")
def setup(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, Path]:
    folder = tmp_path_factory.mktemp("verify")
    ca = DemoCA()
    root = folder / "racine.pem"
    root.write_bytes(ca.certificate.public_bytes(serialization.Encoding.PEM))
    record = meeting_of(dijon_record(), 3)
    store = SqliteStore(folder / "registre.sqlite")
    for item in record.deliberations:
        append_deliberation(store, "conseil", record, item.number, FakeClock())
    store.close()
    pdf, places = render_for_signing(record, DocumentKind.EXTRACT, item="2023_0002")
    president = next(p for p in places if p.role == "president")
    who = Signatory(
        load_pkcs12(ca.issue(folder, "Président"), PASSPHRASE), "François", "REBSAMEN", "president"
    )
    signed = folder / "extrait.pdf"
    signed.write_bytes(sign(pdf, president, who, WHEN))
    return signed, root, folder / "registre.sqlite"


def _one_byte_changed(signed: Path) -> bytes:
    """The signed extract with its item number changed by one byte (0002 -> 0003)."""
    data = signed.read_bytes()
    index = data.index(b"2023_0002")
    return data[:index] + b"2023_0003" + data[index + 9 :]


def test_signed_extract_of_an_entry_verifies(
    setup: tuple[Path, Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    signed, root, register = setup
    assert cli.main(["verify", str(signed), "--trust", str(root), "--register", str(register)]) == 0
    out = capsys.readouterr().out
    assert "intacte, certificat reconnu" in out and "écriture n° 2" in out


def test_changed_byte_unknown_root_or_foreign_register_fail(
    setup: tuple[Path, Path, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    signed, root, _ = setup
    tampered = tmp_path / "modifie.pdf"
    tampered.write_bytes(_one_byte_changed(signed))
    assert cli.main(["verify", str(tampered), "--trust", str(root)]) == 1
    assert "ÉCHEC" in capsys.readouterr().out
    other = tmp_path / "autre.pem"
    other.write_bytes(DemoCA("Autre AC").certificate.public_bytes(serialization.Encoding.PEM))
    assert cli.main(["verify", str(signed), "--trust", str(other)]) == 1
    assert "NON reconnu" in capsys.readouterr().out
    empty = tmp_path / "vide.sqlite"
    SqliteStore(empty).close()
    assert cli.main(["verify", str(signed), "--trust", str(root), "--register", str(empty)]) == 1
    assert "aucune écriture" in capsys.readouterr().out


def test_verify_register_with_its_documents_checks_each_signed_pdf(
    setup: tuple[Path, Path, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    signed, root, register = setup
    folder = tmp_path / "publies"
    folder.mkdir()
    (folder / "extrait-2.pdf").write_bytes(signed.read_bytes())
    argv = ["verify", str(register), "--documents", str(folder), "--trust", str(root)]
    assert cli.main(argv) == 0
    out = capsys.readouterr().out
    assert "Registre intègre : 3 écritures" in out and "1 conforme(s), 0 NON" in out
    (folder / "extrait-modifie.pdf").write_bytes(_one_byte_changed(signed))
    assert cli.main(argv) == 1
    out = capsys.readouterr().out
    assert "extrait-modifie.pdf" in out and "1 conforme(s), 1 NON conforme(s)" in out
    export = tmp_path / "registre.jsonl"  # the same against an exported register
    assert cli.main(["verify", str(register), "--export", str(export)]) == 0
    assert cli.main(["verify", str(export), "--documents", str(folder), "--trust", str(root)]) == 1
    out = capsys.readouterr().out
    assert "écriture n° 2" in out and "1 conforme(s), 1 NON conforme(s)" in out


def test_unsigned_document_and_bad_root(
    setup: tuple[Path, Path, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _, root, _ = setup
    pdf, _ = render_for_signing(dijon_record(), DocumentKind.EXTRACT)
    unsigned = tmp_path / "non-signe.pdf"
    unsigned.write_bytes(pdf)
    assert cli.main(["verify", str(unsigned), "--trust", str(root)]) == 1
    assert "aucune signature électronique" in capsys.readouterr().out
    bad = tmp_path / "faux.pem"
    bad.write_bytes(b"pas un certificat")
    assert cli.main(["verify", str(unsigned), "--trust", str(bad)]) == 2
    assert "certificat racine illisible" in capsys.readouterr().err


def test_signature_replaced_by_another_certificate_is_not_recognised(
    setup: tuple[Path, Path, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _, root, register = setup
    record = meeting_of(dijon_record(), 3)
    pdf, places = render_for_signing(record, DocumentKind.EXTRACT, item="2023_0002")
    president = next(p for p in places if p.role == "president")
    usurper = DemoCA("Autorité usurpatrice")
    who = Signatory(load_pkcs12(usurper.issue(tmp_path, "Faux président"), PASSPHRASE),
                    "François", "REBSAMEN", "president")  # fmt: skip
    forged = tmp_path / "extrait-resigne.pdf"
    forged.write_bytes(sign(pdf, president, who, WHEN))
    assert cli.main(["verify", str(forged), "--trust", str(root), "--register", str(register)]) == 1
    out = capsys.readouterr().out
    assert (
        "NON reconnu" in out and "écriture n° 2" in out
    )  # the record is genuine, the signer is not


def test_render_signs_in_the_names_the_record_gives(
    setup: tuple[Path, Path, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:  # fmt: skip
    _, root, _ = setup
    ca = DemoCA()
    root = tmp_path / "racine.pem"
    root.write_bytes(ca.certificate.public_bytes(serialization.Encoding.PEM))
    record_path = tmp_path / "seance.json"
    from registre.record import dumps  # noqa: PLC0415

    record_path.write_text(dumps(dijon_record()), encoding="utf-8")
    monkeypatch.setenv("REGISTRE_PKCS12_PASSPHRASE", PASSPHRASE.decode())
    out = tmp_path / "extrait-signe.pdf"
    argv = ["render", str(record_path), "--kind", "extract", "-o", str(out),
            "--sign-president", str(ca.issue(tmp_path, "P")), "--sign-secretary",
            str(ca.issue(tmp_path, "S")), "--trust", str(root)]  # fmt: skip
    assert cli.main(argv) == 0
    capsys.readouterr()
    assert cli.main(["verify", str(out), "--trust", str(root)]) == 0
    report = capsys.readouterr().out
    assert report.count("intacte, certificat reconnu") == 2
    import pikepdf  # noqa: PLC0415

    with pikepdf.open(out) as pdf:  # the visible blocks name the record's signers
        drawn = b"".join(
            x.read_bytes()
            for page in pdf.pages for annot in page.get("/Annots") or [] if "/AP" in annot
            for x in [annot.AP.N, *annot.AP.N.get("/Resources", {}).get("/XObject", {}).values()]
        )  # fmt: skip
    assert b"Antoine HOAREAU" in drawn and b"Fran" in drawn and b"REBSAMEN" in drawn


def test_render_signs_with_a_smart_card_named_by_its_uri(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:  # fmt: skip
    import softhsm  # noqa: PLC0415

    if not softhsm.available():
        pytest.skip("SoftHSM absent (apt-get install softhsm2 opensc) : make test l'installe")
    from registre.record import dumps  # noqa: PLC0415

    ca = DemoCA()
    root = tmp_path / "racine.pem"
    root.write_bytes(ca.certificate.public_bytes(serialization.Encoding.PEM))
    record_path = tmp_path / "seance.json"
    record_path.write_text(dumps(dijon_record()), encoding="utf-8")
    out = tmp_path / "extrait-carte.pdf"
    uri = f"pkcs11:token={softhsm.LABEL};object={softhsm.KEY}"
    with softhsm.token_with(
        ca.issue(tmp_path, "Président sur carte"), PASSPHRASE, tmp_path
    ) as module:
        monkeypatch.setenv("REGISTRE_PKCS11_PIN", softhsm.PIN)
        argv = ["render", str(record_path), "--kind", "extract", "-o", str(out),
                "--sign-president", uri, "--pkcs11-module", module]  # fmt: skip
        assert cli.main(argv) == 0
        capsys.readouterr()
        monkeypatch.setenv("REGISTRE_PKCS11_PIN", "000000")  # a wrong PIN: French, nothing written
        again = tmp_path / "refus.pdf"
        assert cli.main([*argv[:4], "-o", str(again), *argv[6:]]) != 0
        assert "ne s'ouvre pas" in capsys.readouterr().err and not again.exists()
    assert cli.main(["verify", str(out), "--trust", str(root)]) == 0
    assert "Président sur carte" in capsys.readouterr().out


def test_a_pkcs11_uri_without_its_key_is_a_french_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:  # fmt: skip
    from registre.record import dumps  # noqa: PLC0415

    record_path = tmp_path / "seance.json"
    record_path.write_text(dumps(dijon_record()), encoding="utf-8")
    argv = ["render", str(record_path), "--kind", "extract", "-o", str(tmp_path / "x.pdf"),
            "--sign-president", "pkcs11:token=registre", "--pkcs11-module", "/nulle/part.so"]  # fmt: skip
    assert cli.main(argv) != 0
    assert "doit nommer le jeton et la clé" in capsys.readouterr().err
    assert not (tmp_path / "x.pdf").exists()


def test_render_with_a_timestamp_server_then_verify_says_timestamped(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:  # fmt: skip
    from tsa import timestamp_server  # noqa: PLC0415

    from registre.record import dumps  # noqa: PLC0415

    ca = DemoCA()
    root = tmp_path / "racine.pem"
    root.write_bytes(ca.certificate.public_bytes(serialization.Encoding.PEM))
    record_path = tmp_path / "seance.json"
    record_path.write_text(dumps(dijon_record()), encoding="utf-8")
    monkeypatch.setenv("REGISTRE_PKCS12_PASSPHRASE", PASSPHRASE.decode())
    out = tmp_path / "extrait-horodate.pdf"
    with timestamp_server(*ca.issue_tsa()) as url:
        argv = ["render", str(record_path), "--kind", "extract", "-o", str(out),
                "--sign-president", str(ca.issue(tmp_path, "P")), "--tsa", url]  # fmt: skip
        assert cli.main(argv) == 0
    capsys.readouterr()
    assert cli.main(["verify", str(out), "--trust", str(root)]) == 0
    assert "horodatée (RFC 3161)" in capsys.readouterr().out
