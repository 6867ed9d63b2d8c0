"""Build small PDF, Word and OpenDocument files for the loader tests.

The PDFs are written by hand in PDF syntax (Helvetica, WinAnsi encoding): text at
given positions, an optional full-page grey image, a page rotation, text inside
a Form XObject. Word and OpenDocument files are zips of minimal XML.
"""

from __future__ import annotations

import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path

DATA = Path(__file__).resolve().parents[2] / "data"
CORPUS = DATA / "corpus"
ROBUSTNESS = DATA / "robustness"
SHARED_CORPUS = Path("/work/shared/corpus")


@dataclass(frozen=True)
class Text:
    """Text drawn with its baseline starting at (x, y), in points."""

    x: float
    y: float
    text: str
    size: float = 10
    upright_on_rotated_page: bool = False


@dataclass(frozen=True)
class Page:
    """One page: texts, an optional full-page grey image, a rotation, a form."""

    texts: tuple[Text, ...] = ()
    width: float = 595
    height: float = 842
    image_grey: int | None = None
    rotate: int = 0
    form_texts: tuple[Text, ...] = ()
    form_matrix_offset: tuple[float, float] = (0, 0)
    form_placed_at: tuple[float, float] = (0, 0)


def _escape(text: str) -> bytes:
    raw = text.encode("cp1252")
    return raw.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)")


def _show(texts: tuple[Text, ...]) -> bytes:
    parts = []
    for t in texts:
        # A page turned by /Rotate 90 shows upright the text drawn upwards.
        matrix = b"0 1 -1 0" if t.upright_on_rotated_page else b"1 0 0 1"
        parts.append(
            b"BT /F1 %.2f Tf %s %.2f %.2f Tm (%s) Tj ET"
            % (t.size, matrix, t.x, t.y, _escape(t.text))
        )
    return b"\n".join(parts)


def _stream(body: bytes, extra: bytes = b"") -> bytes:
    return b"<< /Length %d %s >>\nstream\n%s\nendstream" % (len(body), extra, body)


class _Writer:
    def __init__(self) -> None:
        self.objects: list[bytes] = []

    def add(self, body: bytes) -> int:
        self.objects.append(body)
        return len(self.objects)

    def reserve(self) -> int:
        return self.add(b"null")

    def set(self, number: int, body: bytes) -> None:
        self.objects[number - 1] = body

    def output(self, root: int) -> bytes:
        out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
        offsets = []
        for number, body in enumerate(self.objects, start=1):
            offsets.append(len(out))
            out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
        xref = len(out)
        out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(self.objects) + 1)
        out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
        out += b"trailer\n<< /Size %d /Root %d 0 R >>\n" % (len(self.objects) + 1, root)
        out += b"startxref\n%d\n%%%%EOF\n" % xref
        return bytes(out)


def _page(writer: _Writer, page: Page, parent: int, font: int) -> int:
    xobjects: list[bytes] = []
    content = b""
    if page.image_grey is not None:
        pixels = zlib.compress(bytes([page.image_grey]) * 64)
        image = writer.add(
            _stream(
                pixels,
                b"/Type /XObject /Subtype /Image /Width 8 /Height 8 /ColorSpace /DeviceGray"
                b" /BitsPerComponent 8 /Filter /FlateDecode",
            )
        )
        xobjects.append(b"/Im1 %d 0 R" % image)
        content += b"q %.2f 0 0 %.2f 0 0 cm /Im1 Do Q\n" % (page.width, page.height)
    if page.form_texts:
        mx, my = page.form_matrix_offset
        form = writer.add(
            _stream(
                _show(page.form_texts),
                b"/Type /XObject /Subtype /Form /BBox [0 0 %.2f %.2f] /Matrix [1 0 0 1 %.2f %.2f]"
                b" /Resources << /Font << /F1 %d 0 R >> >>"
                % (page.width, page.height, mx, my, font),
            )
        )
        xobjects.append(b"/Fm1 %d 0 R" % form)
        dx, dy = page.form_placed_at
        content += b"q 1 0 0 1 %.2f %.2f cm /Fm1 Do Q\n" % (dx, dy)
    content += _show(page.texts)
    stream = writer.add(_stream(content))
    resources = b"<< /Font << /F1 %d 0 R >> /XObject << %s >> >>" % (font, b" ".join(xobjects))
    return writer.add(
        b"<< /Type /Page /Parent %d 0 R /MediaBox [0 0 %.2f %.2f] /Rotate %d /Resources %s /Contents %d 0 R >>"
        % (parent, page.width, page.height, page.rotate, resources, stream)
    )


def pdf_bytes(pages: list[Page]) -> bytes:
    """A PDF with the given pages (Helvetica text, optional image and form)."""
    writer = _Writer()
    catalog = writer.reserve()
    parent = writer.reserve()
    font = writer.add(
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>"
    )
    kids = [_page(writer, page, parent, font) for page in pages]
    refs = b" ".join(b"%d 0 R" % kid for kid in kids)
    writer.set(parent, b"<< /Type /Pages /Kids [%s] /Count %d >>" % (refs, len(kids)))
    writer.set(catalog, b"<< /Type /Catalog /Pages %d 0 R >>" % parent)
    return writer.output(catalog)


def write_pdf(path: Path, pages: list[Page]) -> Path:
    """Write `pdf_bytes(pages)` to `path` and return it."""
    path.write_bytes(pdf_bytes(pages))
    return path


def paragraph(
    x: float, top: float, lines: list[str], *, size: float = 10, leading: float = 12
) -> tuple[Text, ...]:
    """Lines of text starting at `top` (baseline of the first), one below the other."""
    return tuple(Text(x, top - i * leading, line, size) for i, line in enumerate(lines))


_W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


def docx_paragraph(text: str, *, page_break_before: bool = False) -> str:
    """A w:p holding `text` (split into two runs to test joining)."""
    brk = '<w:r><w:br w:type="page"/></w:r>' if page_break_before else ""
    half = len(text) // 2
    return (
        f'<w:p>{brk}<w:r><w:t xml:space="preserve">{_xml(text[:half])}</w:t></w:r>'
        f'<w:r><w:t xml:space="preserve">{_xml(text[half:])}</w:t></w:r></w:p>'
    )


def docx_table(rows: list[list[str]]) -> str:
    """A w:tbl with one paragraph per cell."""
    body = "".join(
        "<w:tr>"
        + "".join(f"<w:tc><w:p><w:r><w:t>{_xml(c)}</w:t></w:r></w:p></w:tc>" for c in row)
        + "</w:tr>"
        for row in rows
    )
    return f"<w:tbl>{body}</w:tbl>"


def write_docx(path: Path, body_xml: str) -> Path:
    """A minimal .docx whose body is `body_xml` (w:p and w:tbl elements)."""
    document = f'<?xml version="1.0" encoding="UTF-8"?><w:document {_W}><w:body>{body_xml}</w:body></w:document>'
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>',
        )
        archive.writestr("word/document.xml", document)
    return path


_ODF = (
    'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
    'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
    'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0"'
)


def write_odt(path: Path, body_xml: str) -> Path:
    """A minimal .odt whose office:text holds `body_xml`."""
    content = (
        f'<?xml version="1.0" encoding="UTF-8"?><office:document-content {_ODF}>'
        f"<office:body><office:text>{body_xml}</office:text></office:body></office:document-content>"
    )
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr(zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.text")
        archive.writestr("content.xml", content)
    return path


def _xml(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
