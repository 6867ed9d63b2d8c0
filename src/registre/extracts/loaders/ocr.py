"""Optical character recognition of page images with Tesseract (French).

Pages are rendered by pdfium to a grey image and piped to the `tesseract`
command as a PGM file; nothing is written to disk.
"""

from __future__ import annotations

import shutil
import subprocess

import pypdfium2 as pdfium

from registre.errors import InputError

DPI = 300
# Cap on the longer side of the image: an oversized page (a plan, a poster)
# would otherwise need gigabytes at 300 dpi.
MAX_PIXELS_SIDE = 8000
PAGE_TIMEOUT_SECONDS = 300
LANGUAGE = "fra"
INSTALL_HINT = "apt-get install tesseract-ocr tesseract-ocr-fra"


def check_tesseract(path: str) -> None:
    """Raise InputError unless `tesseract` is on PATH with the French language."""
    if shutil.which("tesseract") is None:
        raise InputError(
            "ce document est numérisé (sans couche texte) et doit être lu par "
            f"reconnaissance de caractères, mais Tesseract n'est pas installé : {INSTALL_HINT}",
            path=path,
        )
    if LANGUAGE not in _languages(path):
        raise InputError(
            "ce document est numérisé et doit être lu par reconnaissance de caractères, "
            f"mais la langue française de Tesseract n'est pas installée : {INSTALL_HINT}",
            path=path,
        )


def _languages(path: str) -> set[str]:
    result = _run(["tesseract", "--list-langs"], b"", 60, path)
    # Tesseract 3 lists languages on stderr, later versions on stdout.
    listing = (result.stdout + result.stderr).decode("utf-8", errors="replace")
    return {line.strip() for line in listing.splitlines()[1:] if line.strip()}


def render_page(page: pdfium.PdfPage) -> bytes:
    """A grey PGM image of the page at about 300 dpi (caller holds the pdfium lock)."""
    width, height = page.get_size()
    scale = min(DPI / 72, MAX_PIXELS_SIDE / max(width, height, 1.0))
    bitmap = page.render(scale=scale, grayscale=True)
    try:
        pixels = bytes(bitmap.buffer)
        channels, stride = bitmap.n_channels, bitmap.stride
        rows = [
            pixels[y * stride : y * stride + bitmap.width * channels] for y in range(bitmap.height)
        ]
        grey = b"".join(rows) if channels == 1 else b"".join(row[::channels] for row in rows)
        return b"P5\n%d %d\n255\n" % (bitmap.width, bitmap.height) + grey
    finally:
        bitmap.close()


def recognize(image: bytes, *, path: str, page: int) -> str:
    """The text Tesseract reads in a page image (French)."""
    command = ["tesseract", "-", "-", "-l", LANGUAGE, "--dpi", str(DPI)]
    result = _run(command, image, PAGE_TIMEOUT_SECONDS, path, page=page)
    if result.returncode != 0:
        detail = result.stderr.decode("utf-8", errors="replace").strip()[:200]
        raise InputError(
            f"la reconnaissance de caractères de la page {page} a échoué ({detail})", path=path
        )
    return result.stdout.decode("utf-8", errors="replace").replace("\f", "").strip("\n")


def _run(
    command: list[str], stdin: bytes, timeout: int, path: str, *, page: int | None = None
) -> subprocess.CompletedProcess[bytes]:
    where = f" de la page {page}" if page is not None else ""
    try:
        return subprocess.run(
            command, input=stdin, capture_output=True, timeout=timeout, check=False
        )
    except subprocess.TimeoutExpired:
        raise InputError(
            f"la reconnaissance de caractères{where} a dépassé {timeout} s ; "
            "le document est peut-être trop grand ou illisible",
            path=path,
        ) from None
    except OSError as error:
        raise InputError(
            f"Tesseract n'a pas pu être lancé ({error.strerror}) : {INSTALL_HINT}", path=path
        ) from None
