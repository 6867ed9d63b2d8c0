"""Word documents: `.doc` through antiword, `.docx` and `.odt` from their XML.

Paragraphs come in document order, one per line; a table row is one line with
its cells separated by " | ". Page breaks become form feeds: for .docx the
breaks Word recorded when it last laid the document out (else the manual page
breaks), for .odt the soft page breaks LibreOffice records.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import xml.etree.ElementTree as ET
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path

from registre.errors import InputError

ANTIWORD_TIMEOUT_SECONDS = 120
# Uncompressed size accepted for the XML part of a .docx/.odt (a zip bomb guard).
MAX_XML_BYTES = 200 * 1024 * 1024
CELL_SEPARATOR = " | "

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
# Subtrees whose text is not the document's: alternate-content fallbacks (a copy
# of the text for old readers) and text moved away (it appears where it moved to).
_SKIPPED = frozenset(
    {"{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback", f"{_W}moveFrom"}
)
_BREAK = re.compile(r"\n?\f\n?")
# Cap on repeated spaces (text:s c="..."), a count an attacker could make huge.
_MAX_SPACES = 200
_TEXT = "{urn:oasis:names:tc:opendocument:xmlns:text:1.0}"
_TABLE = "{urn:oasis:names:tc:opendocument:xmlns:table:1.0}"
_OFFICE = "{urn:oasis:names:tc:opendocument:xmlns:office:1.0}"


def doc_text(path: Path) -> str:
    """The text of a Word 97-2003 .doc, as `antiword -w 0` writes it (UTF-8)."""
    name = str(path)
    if shutil.which("antiword") is None:
        raise InputError(
            "les documents Word .doc sont lus avec antiword, qui n'est pas installé : "
            "apt-get install antiword (ou enregistrez le document en PDF ou en .docx).",
            path=name,
        )
    # An absolute path cannot be mistaken for an option, whatever the file name.
    command = ["antiword", "-w", "0", "-m", "UTF-8.txt", str(path.absolute())]
    try:
        result = subprocess.run(
            command, capture_output=True, timeout=ANTIWORD_TIMEOUT_SECONDS, check=False
        )
    except subprocess.TimeoutExpired:
        raise InputError(
            f"antiword n'a pas fini de lire ce document en {ANTIWORD_TIMEOUT_SECONDS} s.", path=name
        ) from None
    if result.returncode != 0:
        detail = result.stderr.decode("utf-8", errors="replace").strip().replace(name, "").strip()
        raise InputError(
            f"ce fichier n'a pas pu être lu comme document Word .doc ({detail or 'erreur antiword'}) : "
            "enregistrez-le en PDF ou en .docx.",
            path=name,
        )
    return result.stdout.decode("utf-8", errors="replace")


def docx_text(archive: zipfile.ZipFile, name: str) -> str:
    """The text of a .docx: body paragraphs and table rows, in order."""
    root = _xml(archive, "word/document.xml", name)
    body = root.find(f"{_W}body")
    if body is None:
        return ""
    rendered = any(True for _ in root.iter(f"{_W}lastRenderedPageBreak"))
    paragraph = _docx_paragraph_reader(rendered)
    return _pages("\n".join(_blocks(body, paragraph, _docx_kind)))


def odt_text(archive: zipfile.ZipFile, name: str) -> str:
    """The text of an .odt: body paragraphs, headings, lists and table rows, in order."""
    root = _xml(archive, "content.xml", name)
    body = root.find(f"{_OFFICE}body/{_OFFICE}text")
    if body is None:
        return ""
    return _pages("\n".join(_blocks(body, _odt_paragraph, _odt_kind)))


def _pages(text: str) -> str:
    """A page break takes the place of the line end next to it (no empty line)."""
    return _BREAK.sub("\f", text)


def _xml(archive: zipfile.ZipFile, member: str, name: str) -> ET.Element:
    try:
        info = archive.getinfo(member)
    except KeyError:
        raise InputError(f"document incomplet : la partie {member} manque.", path=name) from None
    if info.file_size > MAX_XML_BYTES:
        raise InputError("document trop volumineux une fois décompressé.", path=name)
    data = archive.read(info)
    # Office documents never declare a DTD; one here could only expand entities.
    if b"<!DOCTYPE" in data[:4096] or b"<!ENTITY" in data:
        raise InputError("document refusé : son XML déclare une DTD.", path=name)
    try:
        return ET.fromstring(data)
    except ET.ParseError as error:
        raise InputError(f"document endommagé : XML illisible ({error}).", path=name) from None


# A block kind: "p" (paragraph), "table", "row", "cell", "container" or "" (ignored).
Kind = Callable[[ET.Element], str]


def _blocks(
    container: ET.Element, paragraph: Callable[[ET.Element], str], kind: Kind
) -> Iterator[str]:
    """Lines of the block elements of a container, in order (tables one row a line)."""
    for child in container:
        what = kind(child)
        if what == "p":
            yield paragraph(child)
        elif what == "table":
            yield from _rows(child, paragraph, kind)
        elif what == "container":
            yield from _blocks(child, paragraph, kind)
        elif what == "pagebreak":
            yield "\f"


def _rows(table: ET.Element, paragraph: Callable[[ET.Element], str], kind: Kind) -> Iterator[str]:
    for child in table:
        what = kind(child)
        if what == "row":
            cells = [_cell(cell, paragraph, kind) for cell in child if kind(cell) == "cell"]
            yield CELL_SEPARATOR.join(cells) if any(cells) else ""
        elif what in ("container", "table"):
            yield from _rows(child, paragraph, kind)


def _cell(cell: ET.Element, paragraph: Callable[[ET.Element], str], kind: Kind) -> str:
    # A cell is one piece of a line: its paragraphs and page breaks become spaces.
    text = " ".join(line for line in _blocks(cell, paragraph, kind) if line.strip())
    return " ".join(text.replace(CELL_SEPARATOR, " / ").split())


_DOCX_KINDS = {
    f"{_W}p": "p",
    f"{_W}tbl": "table",
    f"{_W}tr": "row",
    f"{_W}tc": "cell",
    **dict.fromkeys(
        (f"{_W}sdt", f"{_W}sdtContent", f"{_W}customXml", f"{_W}ins", f"{_W}moveTo"), "container"
    ),
}


def _docx_kind(element: ET.Element) -> str:
    return _DOCX_KINDS.get(element.tag, "")


def _docx_paragraph_reader(rendered_breaks: bool) -> Callable[[ET.Element], str]:
    """Read a w:p; page breaks are Word's last layout if recorded, else manual breaks."""

    def read(element: ET.Element) -> str:
        parts: list[str] = []
        for node in _walk(element):
            parts.append(_docx_piece(node, rendered_breaks))
        return "".join(parts)

    return read


# Pieces of a w:p that stand for fixed text; a nested w:p is a paragraph inside
# a text box, which starts a line of its own.
_DOCX_PIECES = {f"{_W}tab": "\t", f"{_W}noBreakHyphen": "-", f"{_W}p": "\n"}


def _docx_piece(node: ET.Element, rendered_breaks: bool) -> str:
    tag = node.tag
    if tag == f"{_W}t":
        return node.text or ""
    if tag in (f"{_W}cr", f"{_W}br"):
        if node.get(f"{_W}type") != "page":
            return "\n"
        return "" if rendered_breaks else "\f"
    if tag == f"{_W}lastRenderedPageBreak":
        return "\f" if rendered_breaks else ""
    return _DOCX_PIECES.get(tag, "")


def _walk(element: ET.Element) -> Iterator[ET.Element]:
    """Descendants in document order, without the fallback copies of alternate content."""
    for child in element:
        if child.tag in _SKIPPED:
            continue
        yield child
        yield from _walk(child)


_ODT_KINDS = {
    f"{_TEXT}p": "p",
    f"{_TEXT}h": "p",
    f"{_TABLE}table": "table",
    f"{_TABLE}table-row": "row",
    f"{_TABLE}table-cell": "cell",
    f"{_TABLE}covered-table-cell": "cell",
    f"{_TEXT}soft-page-break": "pagebreak",
    **dict.fromkeys(
        (
            f"{_TEXT}list",
            f"{_TEXT}list-item",
            f"{_TEXT}list-header",
            f"{_TEXT}section",
            f"{_TABLE}table-header-rows",
            f"{_TABLE}table-rows",
            f"{_TABLE}table-row-group",
        ),
        "container",
    ),
}


def _odt_kind(element: ET.Element) -> str:
    return _ODT_KINDS.get(element.tag, "")


def _odt_paragraph(element: ET.Element) -> str:
    parts = [element.text or ""]
    for child in element:
        parts.append(_odt_piece(child))
        parts.append(child.tail or "")
    return "".join(parts)


def _odt_piece(node: ET.Element) -> str:
    tag = node.tag
    if tag == f"{_TEXT}s":
        count = node.get(f"{_TEXT}c", "1")
        return " " * (min(int(count), _MAX_SPACES) if count.isdigit() else 1)
    if tag == f"{_TEXT}tab":
        return "\t"
    if tag == f"{_TEXT}line-break":
        return "\n"
    if tag == f"{_TEXT}soft-page-break":
        return "\f"
    if tag in (f"{_TEXT}note", f"{_OFFICE}annotation"):
        return ""  # footnotes and comments are not part of the text as read
    return _odt_paragraph(node)
