"""Scanned PDFs read with Tesseract (French). CI installs tesseract-ocr-fra."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from loader_fixtures import CORPUS, Page, Text, write_pdf

from registre.errors import InputError
from registre.extracts.document import Line, Method
from registre.extracts.loaders import load

STAMPED_SCAN = CORPUS / "flaux" / "PV_DU_17_NOVEMBRE-tampon.pdf"


def _tesseract_french() -> bool:
    if shutil.which("tesseract") is None:
        return False
    listing = subprocess.run(
        ["tesseract", "--list-langs"], capture_output=True, text=True, check=False
    )
    return "fra" in (listing.stdout + listing.stderr).split()


needs_tesseract = pytest.mark.skipif(
    not _tesseract_french(),
    reason="Tesseract with French is not installed (apt-get install tesseract-ocr tesseract-ocr-fra)",
)


def page_text(lines: tuple[Line, ...], page: int) -> str:
    return "\n".join(line.text for line in lines if line.page == page)


@needs_tesseract
def test_first_page_of_a_stamped_scan() -> None:
    # The text layer holds only the prefecture stamp: the page image is read.
    document = load(STAMPED_SCAN, ocr_page_limit=1)
    assert document.method is Method.OCR
    assert document.pages == 10
    first = page_text(document.lines, 1)
    assert "REPUBLIQUE FRANCAISE" in first
    assert "Présents" in first
    assert "JUVIN" in first
    assert "préfecture" in first  # the stamp is read from the image too
    assert all(not line.text for line in document.lines if line.page > 1), "only one page is OCR'd"


@needs_tesseract
@pytest.mark.slow
def test_whole_stamped_scan() -> None:
    document = load(STAMPED_SCAN)
    assert document.method is Method.OCR
    assert document.pages == 10
    for page in range(1, 11):
        assert page_text(document.lines, page).strip(), f"page {page} has text"
    assert "Séance du" in document.text


@needs_tesseract
def test_image_of_nothing_gives_a_document_without_text(tmp_path: Path) -> None:
    document = load(write_pdf(tmp_path / "blanc.pdf", [Page(image_grey=255)]))
    assert document.method is Method.OCR
    assert document.pages == 1
    assert not document.text.strip()


def test_no_ocr_when_the_limit_is_zero(tmp_path: Path) -> None:
    page = Page(image_grey=200, texts=(Text(400, 800, "Reçu en préfecture le 21/12/2023", 6),))
    document = load(write_pdf(tmp_path / "scan.pdf", [page]), ocr_page_limit=0)
    assert document.method is Method.OCR
    assert not document.text.strip()


def test_missing_tesseract_names_the_packages(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    empty = tmp_path / "bin"
    empty.mkdir()
    monkeypatch.setenv("PATH", str(empty))  # a machine where Tesseract is not installed
    with pytest.raises(InputError) as caught:
        load(STAMPED_SCAN, ocr_page_limit=1)
    message = str(caught.value)
    assert str(STAMPED_SCAN) in message
    assert "apt-get install tesseract-ocr tesseract-ocr-fra" in message
    assert "numérisé" in message


def test_missing_french_language_names_the_packages(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A tesseract that knows only English: the French data package is missing.
    fake_bin = tmp_path / "bin"
    fake_bin.mkdir()
    script = fake_bin / "tesseract"
    script.write_text('#!/bin/sh\necho "List of available languages (2):"\necho eng\necho osd\n')
    script.chmod(0o755)
    monkeypatch.setenv("PATH", str(fake_bin))
    with pytest.raises(InputError, match="tesseract-ocr-fra"):
        load(STAMPED_SCAN, ocr_page_limit=1)
