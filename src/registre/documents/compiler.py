"""Warm Typst compilers, one per layout file, reused across documents.

A document's data reaches Typst as files in the compiler's own folder, not as
`sys.inputs`: changing the inputs rebuilds Typst's whole environment, so that
nothing of the previous document is reused (35 ms an extract instead of 5).
With files, only what reads the changed data is laid out again.
"""

from __future__ import annotations

import atexit
import re
import shutil
import tempfile
import threading
from functools import lru_cache
from pathlib import Path
from typing import Literal

import typst

from registre.documents.template import font_paths
from registre.errors import InputError

Standard = Literal[
    "1.4", "1.5", "1.6", "1.7", "2.0", "a-1a", "a-1b", "a-2a", "a-2b", "a-2u",
    "a-3a", "a-3b", "a-3u", "a-4", "a-4e", "a-4f", "ua-1",
]  # fmt: skip
STANDARDS: list[Standard] = ["a-3a", "ua-1"]
_LOCK = threading.Lock()  # a compiler and its data folder serve one document at a time


class WarmCompiler:
    """A Typst compiler of one layout and the folder its data files are written to."""

    def __init__(self, main: Path, fonts: Path | None) -> None:
        self.folder = Path(tempfile.mkdtemp(prefix="registre-typst-"))
        atexit.register(shutil.rmtree, self.folder, ignore_errors=True)
        # the stub's TypeVar cannot be inferred from one argument
        self.compiler = typst.Compiler(  # type: ignore[misc]
            main,
            root="/",
            font_paths=font_paths(fonts),
            ignore_system_fonts=True,
            sys_inputs={"data": f"{self.folder}/"},
        )

    def places(self) -> str:
        """The signature places of the last document compiled (JSON from Typst's query)."""
        return str(self.compiler.query("<signature-place>", field="value", format="json"))

    def compile(self, files: dict[str, bytes]) -> bytes:
        """The PDF of the layout over these data files (name -> content)."""
        for name, content in files.items():
            (self.folder / name).write_bytes(content)
        pdf = self.compiler.compile(pdf_standards=STANDARDS)
        assert isinstance(pdf, bytes)
        return pdf


@lru_cache(maxsize=64)
def compiler(main: Path, fonts: Path | None) -> WarmCompiler:
    """The warm compiler of one layout file (root "/": a template's logo may be anywhere)."""
    return WarmCompiler(main, fonts)


def compile_pdf(main: Path, fonts: Path | None, files: dict[str, bytes]) -> bytes:
    """Compile to PDF/A-3a and PDF/UA-1; Typst's errors become French InputErrors."""
    return _compile(main, fonts, files, query_places=False)[0]


def compile_with_places(
    main: Path, fonts: Path | None, files: dict[str, bytes]
) -> tuple[bytes, str]:
    """The PDF and the JSON of its signature places (see `compile_pdf`)."""
    return _compile(main, fonts, files, query_places=True)


def _compile(
    main: Path, fonts: Path | None, files: dict[str, bytes], *, query_places: bool
) -> tuple[bytes, str]:
    try:
        with _LOCK:
            warm = compiler(main, fonts)
            pdf = warm.compile(files)
            return pdf, warm.places() if query_places else ""
    except typst.TypstError as error:
        raise InputError(_french(error), path=str(main)) from None


def _french(error: typst.TypstError) -> str:
    where = re.search(r"┌─ (\S+):(\d+):(\d+)", error.diagnostic or "")
    place = f" (fichier {where[1]}, ligne {where[2]})" if where else ""
    return f"la mise en page ne peut pas être produite{place} : {error.message}"
