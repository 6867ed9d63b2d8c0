"""Hostile and broken inputs: always an InputError naming the file, never a traceback or a hang."""

from __future__ import annotations

import random
import time
import zipfile
from pathlib import Path

import pytest
from loader_fixtures import CORPUS, ROBUSTNESS, Page, Text, pdf_bytes, write_pdf

from registre.errors import InputError
from registre.extracts.document import Method
from registre.extracts.loaders import MAX_BYTES, load


def refused(path: Path, *words: str) -> str:
    """Load `path`, expecting an InputError whose message names the file and holds `words`."""
    with pytest.raises(InputError) as caught:
        load(path)
    message = str(caught.value)
    assert caught.value.path == str(path)
    assert message.startswith(f"{path} : ")
    for word in words:
        assert word in message, message
    return message


def test_missing_file(tmp_path: Path) -> None:
    refused(tmp_path / "absent.pdf", "introuvable")


def test_directory(tmp_path: Path) -> None:
    refused(tmp_path, "dossier")


def test_empty_file(tmp_path: Path) -> None:
    path = tmp_path / "vide.pdf"
    path.write_bytes(b"")
    refused(path, "vide")


def test_random_bytes(tmp_path: Path) -> None:
    data = random.Random(7).randbytes(20_000)
    for name in ("aleatoire.bin", "aleatoire", "aleatoire.txt"):
        path = tmp_path / name
        path.write_bytes(data)
        refused(path, "format de fichier inconnu", path.suffix or "absente")


def test_random_bytes_named_pdf(tmp_path: Path) -> None:
    path = tmp_path / "aleatoire.pdf"
    path.write_bytes(random.Random(8).randbytes(20_000))
    refused(path, ".pdf", "ne contient pas un PDF")


@pytest.mark.parametrize(
    ("name", "data", "label"),
    [
        ("page.pdf", b"<!DOCTYPE html><html><body>Erreur 404</body></html>", "HTML"),
        ("texte.pdf", b"Ceci est du texte.", "du texte"),
        ("image.png", b"\x89PNG\r\n\x1a\n" + bytes(100), "image PNG"),
        ("photo.jpg", b"\xff\xd8\xff\xe0" + bytes(100), "image JPEG"),
        ("document.rtf", b"{\\rtf1\\ansi Bonjour}", "RTF"),
        ("document.doc", b"{\\rtf1\\ansi Bonjour}", "RTF"),
        ("chiffre.docx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(100), "mot de passe"),
    ],
)
def test_formats_named_in_the_message(tmp_path: Path, name: str, data: bytes, label: str) -> None:
    path = tmp_path / name
    path.write_bytes(data)
    refused(path, label)


def test_zip_archives_that_are_not_documents(tmp_path: Path) -> None:
    sheet = tmp_path / "budget.xlsx"
    with zipfile.ZipFile(sheet, "w") as archive:
        archive.writestr("xl/workbook.xml", "<workbook/>")
    refused(sheet, "classeur Excel")
    plain = tmp_path / "pieces.zip"
    with zipfile.ZipFile(plain, "w") as archive:
        archive.writestr("a.txt", "a")
    refused(plain, "archive ZIP", ".zip")
    broken = tmp_path / "casse.docx"
    broken.write_bytes(b"PK\x03\x04" + bytes(200))
    refused(broken, "ZIP endommagée")


def test_truncated_pdf(tmp_path: Path) -> None:
    whole = (CORPUS / "couthenans" / "CR_reunion_20210409.pdf").read_bytes()
    path = tmp_path / "tronque.pdf"
    path.write_bytes(whole[: len(whole) // 2])
    refused(path, "endommagé ou incomplet")


def test_pdf_cut_before_its_pages(tmp_path: Path) -> None:
    path = tmp_path / "debut.pdf"
    path.write_bytes(b"%PDF-1.4\n%%EOF\n")
    refused(path, "PDF")


def test_pdf_without_pages(tmp_path: Path) -> None:
    path = write_pdf(tmp_path / "sans-page.pdf", [])
    refused(path, "aucune page")


def test_pdf_protected_by_a_password() -> None:
    refused(ROBUSTNESS / "protege-par-mot-de-passe.pdf", "protégé par un mot de passe")


def test_error_of_one_pdf_does_not_leak_into_the_next(tmp_path: Path) -> None:
    # pdfium keeps its last error globally; a PDF without pages sets none.
    refused(ROBUSTNESS / "protege-par-mot-de-passe.pdf", "mot de passe")
    message = refused(write_pdf(tmp_path / "sans-page.pdf", []), "aucune page")
    assert "mot de passe" not in message


def test_pdf_with_only_an_owner_password_is_read() -> None:
    document = load(ROBUSTNESS / "protege-sans-mot-de-passe-de-lecture.pdf")
    assert document.method is Method.PDF_TEXT
    assert "Présents : Jeanne MARTIN, Paul DURAND" in document.text


def test_file_over_the_limit_is_refused_before_reading(tmp_path: Path) -> None:
    path = tmp_path / "enorme.pdf"
    with path.open("wb") as stream:
        stream.write(pdf_bytes([Page(texts=(Text(72, 700, "début"),))]))
        stream.truncate(MAX_BYTES + 1)  # sparse: no 50 Mo written to disk
    started = time.perf_counter()
    refused(path, "trop volumineux", "50 Mo")
    assert time.perf_counter() - started < 1


def test_file_at_the_limit_is_read(tmp_path: Path) -> None:
    path = tmp_path / "limite.txt"
    with path.open("wb") as stream:
        stream.write(b"ligne\n" * 1000)
    assert load(path).lines[0].text == "ligne"


def test_garbage_inside_a_pdf(tmp_path: Path) -> None:
    # The header and the end marker of a PDF around random bytes.
    data = b"%PDF-1.4\n" + random.Random(9).randbytes(5000) + b"\n%%EOF\n"
    path = tmp_path / "faux.pdf"
    path.write_bytes(data)
    refused(path, "PDF")
