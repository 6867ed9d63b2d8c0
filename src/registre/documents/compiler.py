"""Warm Typst compilers, one per layout file, reused across documents."""

from __future__ import annotations

import re
import threading
from functools import lru_cache
from pathlib import Path
from typing import Literal

import typst

from registre.errors import InputError

Standard = Literal[
    "1.4", "1.5", "1.6", "1.7", "2.0", "a-1a", "a-1b", "a-2a", "a-2b", "a-2u",
    "a-3a", "a-3b", "a-3u", "a-4", "a-4e", "a-4f", "ua-1",
]  # fmt: skip
STANDARDS: list[Standard] = ["a-3a", "ua-1"]
_LOCK = threading.Lock()  # a Compiler is not meant to be shared between threads


@lru_cache(maxsize=64)
def compiler(main: Path, fonts: Path | None) -> typst.Compiler:
    """The compiler of one layout file (root "/": a template's logo may be anywhere)."""
    # the stub's TypeVar cannot be inferred from one argument
    return typst.Compiler(  # type: ignore[misc]
        main, root="/", font_paths=[str(fonts)] if fonts else [], ignore_system_fonts=True
    )


def compile_pdf(main: Path, fonts: Path | None, inputs: dict[str, str]) -> bytes:
    """Compile to PDF/A-3a and PDF/UA-1; Typst's errors become French InputErrors."""
    try:
        with _LOCK:
            pdf = compiler(main, fonts).compile(sys_inputs=inputs, pdf_standards=STANDARDS)
    except typst.TypstError as error:
        raise InputError(_french(error), path=str(main)) from None
    assert isinstance(pdf, bytes)
    return pdf


def _french(error: typst.TypstError) -> str:
    where = re.search(r"┌─ (\S+):(\d+):(\d+)", error.diagnostic or "")
    place = f" (fichier {where[1]}, ligne {where[2]})" if where else ""
    return f"la mise en page ne peut pas être produite{place} : {error.message}"
